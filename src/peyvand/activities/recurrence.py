"""When the next occurrence of a repeating activity falls, in the Jalali or the Gregorian calendar.

Daily and weekly repetitions step in days. Monthly and yearly ones step in the months of their
calendar and keep the day of the month of the series' first occurrence, clamped to the length of
the month: a series started on 31 Shahrivar falls on 30 Mehr and then on 29 Esfand (30 in a leap
year), and comes back to the 31st in Farvardin. The wall-clock time in ``TIME_ZONE`` is kept.
"""

from __future__ import annotations

import calendar as gregorian_calendar
import datetime as dt

import jdatetime
from django.utils import timezone

DAILY, WEEKLY, MONTHLY, YEARLY = "daily", "weekly", "monthly", "yearly"
JALALI, GREGORIAN = "jalali", "gregorian"


def jalali_month_length(year: int, month: int) -> int:
    """31 days in the first six Jalali months, 30 in the next five, 29 in Esfand (30 in a leap year)."""
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 12, 1).isleap() else 29


def _month_step(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_months(day: dt.date, months: int, *, anchor_day: int, calendar: str) -> dt.date:
    """``day`` moved ``months`` months on in ``calendar``, on ``anchor_day`` (that calendar's day of
    the month) or the month's last day when it is shorter. Raises ``ValueError`` past the calendars' ends."""
    if calendar == JALALI:
        jalali = jdatetime.date.fromgregorian(date=day)
        year, month = _month_step(jalali.year, jalali.month, months)
        result: dt.date = jdatetime.date(year, month, min(anchor_day, jalali_month_length(year, month))).togregorian()
        return result
    year, month = _month_step(day.year, day.month, months)
    if not 1 <= year <= dt.MAXYEAR:
        raise ValueError("year out of range")
    return dt.date(year, month, min(anchor_day, gregorian_calendar.monthrange(year, month)[1]))


def day_of_month(day: dt.date, calendar: str) -> int:
    return int(jdatetime.date.fromgregorian(date=day).day) if calendar == JALALI else day.day


def next_time(at: dt.datetime, *, anchor: dt.datetime, frequency: str, interval: int, calendar: str) -> dt.datetime:
    """The occurrence after the one at ``at``, in a series whose first occurrence was at ``anchor``.

    Raises ``ValueError`` when it would fall outside the calendars (past the year 9999).
    """
    assert interval >= 1, interval
    local = timezone.localtime(at)
    if frequency == DAILY:
        day = local.date() + dt.timedelta(days=interval)
    elif frequency == WEEKLY:
        day = local.date() + dt.timedelta(weeks=interval)
    else:
        assert frequency in (MONTHLY, YEARLY), frequency
        months = interval if frequency == MONTHLY else 12 * interval
        anchor_day = day_of_month(timezone.localtime(anchor).date(), calendar)
        day = add_months(local.date(), months, anchor_day=anchor_day, calendar=calendar)
    return timezone.make_aware(dt.datetime.combine(day, local.time()))
