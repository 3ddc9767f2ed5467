"""The calendar's grids: which days a month, week or day view shows, in the user's calendar.

Persian users see Jalali months, weeks from Saturday and Friday as the weekend; English users
Gregorian months, weeks from Monday and Saturday and Sunday as the weekend. Days are Gregorian
``date`` values throughout; only the numbers and titles shown come from the calendar in use.
Nothing here queries the database: the view puts holidays and activities on the days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import jdatetime
from django.utils import dateformat
from django.utils.translation import gettext as _

from peyvand.common.calendar import JALALI_MONTHS

View = Literal["month", "week", "day"]
VIEWS: tuple[View, ...] = ("month", "week", "day")
SATURDAY, FRIDAY, MONDAY = 5, 4, 0  # Python's weekday numbers


@dataclass(frozen=True)
class Calendar:
    """The rules of one calendar: where weeks start, which days are the weekend."""

    is_jalali: bool

    @property
    def first_weekday(self) -> int:
        return SATURDAY if self.is_jalali else MONDAY

    @property
    def weekend(self) -> frozenset[int]:
        return frozenset({FRIDAY}) if self.is_jalali else frozenset({5, 6})

    def week_start(self, day: dt.date) -> dt.date:
        return day - dt.timedelta(days=(day.weekday() - self.first_weekday) % 7)

    def month_start(self, day: dt.date) -> dt.date:
        if self.is_jalali:
            jalali = jdatetime.date.fromgregorian(date=day)
            return jdatetime.date(jalali.year, jalali.month, 1).togregorian()
        return day.replace(day=1)

    def next_month_start(self, day: dt.date) -> dt.date:
        """The first day of the month after ``day``'s."""
        if self.is_jalali:
            jalali = jdatetime.date.fromgregorian(date=day)
            year, month = (jalali.year + 1, 1) if jalali.month == 12 else (jalali.year, jalali.month + 1)
            return jdatetime.date(year, month, 1).togregorian()
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

    def previous_month_start(self, day: dt.date) -> dt.date:
        return self.month_start(self.month_start(day) - dt.timedelta(days=1))

    def day_number(self, day: dt.date) -> int:
        return jdatetime.date.fromgregorian(date=day).day if self.is_jalali else day.day

    def month_title(self, day: dt.date) -> str:
        if self.is_jalali:
            jalali = jdatetime.date.fromgregorian(date=day)
            return f"{JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
        return str(dateformat.format(day, "F Y"))

    def day_title(self, day: dt.date) -> str:
        if self.is_jalali:
            jalali = jdatetime.date.fromgregorian(date=day)
            return f"{self.weekday_name(day)} {jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
        return str(dateformat.format(day, "l j F Y"))

    def weekday_name(self, day: dt.date) -> str:
        return str(dateformat.format(day, "l"))

    def weekday_names(self) -> list[str]:
        start = self.week_start(dt.date(2024, 1, 1))
        return [self.weekday_name(start + dt.timedelta(days=offset)) for offset in range(7)]


@dataclass
class Day:
    date: dt.date
    number: int  # the day of the month in the calendar shown
    in_period: bool  # false for the days of the months before and after in a month view
    is_today: bool
    is_weekend: bool
    holiday: Any = None  # a ``Holiday``, put there by the view
    entries: list[Any] = field(default_factory=list)

    @property
    def is_off(self) -> bool:
        return self.is_weekend or self.holiday is not None


@dataclass
class Grid:
    view: View
    calendar: Calendar
    day: dt.date  # the day the view was asked for
    start: dt.date  # the first day shown
    end: dt.date  # the day after the last one shown
    weeks: list[list[Day]]
    title: str
    previous: dt.date
    next: dt.date
    weekday_names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.weekday_names = self.weekday_names or self.calendar.weekday_names()

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week]


def _days(calendar: Calendar, start: dt.date, end: dt.date, period: tuple[dt.date, dt.date],
          today: dt.date) -> list[Day]:  # fmt: skip
    days, day = [], start
    while day < end:
        days.append(Day(date=day, number=calendar.day_number(day), in_period=period[0] <= day < period[1],
                        is_today=day == today, is_weekend=day.weekday() in calendar.weekend))  # fmt: skip
        day += dt.timedelta(days=1)
    return days


def build(view: View, day: dt.date, *, is_jalali: bool, today: dt.date) -> Grid:
    """The grid of ``view`` around ``day``: a month in whole weeks, a week, or one day."""
    assert view in VIEWS, view
    calendar = Calendar(is_jalali=is_jalali)
    if view == "month":
        first, after = calendar.month_start(day), calendar.next_month_start(day)
        start = calendar.week_start(first)
        end = calendar.week_start(after - dt.timedelta(days=1)) + dt.timedelta(days=7)
        days = _days(calendar, start, end, (first, after), today)
        weeks = [days[index : index + 7] for index in range(0, len(days), 7)]
        return Grid(view=view, calendar=calendar, day=day, start=start, end=end, weeks=weeks,
                    title=calendar.month_title(day), previous=calendar.previous_month_start(day), next=after)  # fmt: skip
    if view == "week":
        start = calendar.week_start(day)
        end = start + dt.timedelta(days=7)
        days = _days(calendar, start, end, (start, end), today)
        last = end - dt.timedelta(days=1)
        title = _("%(first)s to %(last)s") % {"first": calendar.day_title(start), "last": calendar.day_title(last)}
        return Grid(view=view, calendar=calendar, day=day, start=start, end=end, weeks=[days], title=title,
                    previous=start - dt.timedelta(days=7), next=end)  # fmt: skip
    end = day + dt.timedelta(days=1)
    days = _days(calendar, day, end, (day, end), today)
    return Grid(view=view, calendar=calendar, day=day, start=day, end=end, weeks=[days],
                title=calendar.day_title(day), previous=day - dt.timedelta(days=1), next=end)  # fmt: skip
