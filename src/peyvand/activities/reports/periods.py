"""The periods a report covers and the buckets a period's days fold into, in the reader's calendar.

Persian readers count in Jalali months and weeks from Saturday, English readers in Gregorian months
and weeks from Monday (``calendar.grid.Calendar``). A period is a run of whole local days,
``start`` inclusive and ``end`` exclusive; the database groups by day and Python folds the days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jdatetime
from django.utils import dateformat, timezone

from peyvand.activities.calendar.grid import Calendar
from peyvand.common.calendar import JALALI_MONTHS

LONGEST_DAYS = 366  # a custom period longer than a year is refused: the report reads every day of it


@dataclass(frozen=True)
class Period:
    start: dt.date  # the first day
    end: dt.date  # the day after the last

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Its first and past-the-last moments in the current time zone."""
        return _midnight(self.start), _midnight(self.end)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def named_period(name: str, *, today: dt.date, is_jalali: bool) -> Period:
    """``this_month``, ``last_month``, ``this_week``, ``last_week`` or ``last_90_days`` around ``today``."""
    calendar = Calendar(is_jalali=is_jalali)
    if name == "this_month":
        return Period(calendar.month_start(today), calendar.next_month_start(today))
    if name == "last_month":
        start = calendar.previous_month_start(today)
        return Period(start, calendar.next_month_start(start))
    if name in ("this_week", "last_week"):
        start = calendar.week_start(today) - dt.timedelta(days=7 if name == "last_week" else 0)
        return Period(start, start + dt.timedelta(days=7))
    assert name == "last_90_days", name
    return Period(today - dt.timedelta(days=89), today + dt.timedelta(days=1))


@dataclass(frozen=True)
class Bucket:
    """A week or month of a period, cut to the period: its days and its label."""

    start: dt.date
    end: dt.date  # exclusive
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def buckets(period: Period, unit: str, *, is_jalali: bool) -> list[Bucket]:
    """The period's weeks or months, in order, the first and last cut to the period."""
    calendar = Calendar(is_jalali=is_jalali)
    found = []
    cursor = period.start
    while cursor < period.end:
        if unit == "week":
            whole_start = calendar.week_start(cursor)
            next_start = whole_start + dt.timedelta(days=7)
            label = week_label(cursor, is_jalali=is_jalali)
        else:
            whole_start = calendar.month_start(cursor)
            next_start = calendar.next_month_start(cursor)
            label = calendar.month_title(whole_start)
        end = min(next_start, period.end)
        found.append(Bucket(start=cursor, end=end, label=label))
        cursor = end
    return found


def week_label(first_day: dt.date, *, is_jalali: bool) -> str:
    """A week by its first day in the period: ``8 آذر 1405`` or ``30 Nov 2026``."""
    if is_jalali:
        jalali = jdatetime.date.fromgregorian(date=first_day)
        return f"{jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
    return str(dateformat.format(first_day, "j M Y"))


def fold(days: dict[dt.date, dict[str, int]], parts: list[Bucket]) -> list[dict[str, int]]:
    """The day counts added up into each bucket (every bucket, empty ones as zeros)."""
    totals: list[dict[str, int]] = [{} for _ in parts]
    for day, counts in days.items():
        for index, part in enumerate(parts):
            if part.contains(day):
                for name, value in counts.items():
                    totals[index][name] = totals[index].get(name, 0) + value
                break
    return totals
