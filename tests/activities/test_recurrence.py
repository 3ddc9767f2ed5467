"""When a repeating activity falls next: days and weeks, and months and years of the Jalali or Gregorian calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import jdatetime
import pytest

from peyvand.activities import recurrence
from peyvand.activities.recurrence import jalali_month_length, next_time

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def _jalali(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(jdatetime.date(year, month, day).togregorian(), dt.time(hour), tzinfo=TEHRAN)


def _as_jalali(value: dt.datetime) -> tuple[int, int, int, int]:
    local = value.astimezone(TEHRAN)
    day = jdatetime.date.fromgregorian(date=local.date())
    return day.year, day.month, day.day, local.hour


def _series(start: dt.datetime, count: int, *, frequency: str, calendar: str, interval: int = 1) -> list[dt.datetime]:
    times = [start]
    for _ in range(count):
        times.append(next_time(times[-1], anchor=start, frequency=frequency, interval=interval, calendar=calendar))
    return times[1:]


def test_jalali_months_are_31_then_30_days_and_esfand_29_or_30_in_a_leap_year() -> None:
    assert [jalali_month_length(1403, month) for month in range(1, 13)] == [31] * 6 + [30] * 5 + [30]
    assert jalali_month_length(1402, 12) == 29
    assert jalali_month_length(1404, 12) == 29
    assert jalali_month_length(1408, 12) == 30


def test_daily_and_weekly_keep_the_time_of_day_in_tehran() -> None:
    start = dt.datetime(2025, 3, 19, 9, 30, tzinfo=TEHRAN)

    daily = _series(start, 2, frequency=recurrence.DAILY, calendar=recurrence.JALALI, interval=3)
    weekly = _series(start, 1, frequency=recurrence.WEEKLY, calendar=recurrence.GREGORIAN, interval=2)

    assert [time.astimezone(TEHRAN) for time in daily] == [
        dt.datetime(2025, 3, 22, 9, 30, tzinfo=TEHRAN), dt.datetime(2025, 3, 25, 9, 30, tzinfo=TEHRAN),
    ]  # fmt: skip
    assert weekly[0].astimezone(TEHRAN) == dt.datetime(2025, 4, 2, 9, 30, tzinfo=TEHRAN)


def test_monthly_in_jalali_months_clamps_the_31st_and_crosses_a_leap_esfand() -> None:
    # Given a series on 31 Shahrivar 1403 (1403 is a leap year: Esfand has 30 days)
    start = _jalali(1403, 6, 31)

    # When it steps month by month into 1404
    times = _series(start, 7, frequency=recurrence.MONTHLY, calendar=recurrence.JALALI)

    # Then the autumn and winter months have it on the 30th, Esfand on its 30th, Farvardin on the 31st again
    assert [_as_jalali(time) for time in times] == [
        (1403, 7, 30, 10), (1403, 8, 30, 10), (1403, 9, 30, 10), (1403, 10, 30, 10), (1403, 11, 30, 10),
        (1403, 12, 30, 10), (1404, 1, 31, 10),
    ]  # fmt: skip


def test_monthly_in_jalali_months_falls_on_the_29th_of_esfand_in_a_common_year() -> None:
    start = _jalali(1402, 11, 30)

    times = _series(start, 2, frequency=recurrence.MONTHLY, calendar=recurrence.JALALI)

    assert [_as_jalali(time) for time in times] == [(1402, 12, 29, 10), (1403, 1, 30, 10)]


def test_yearly_in_jalali_years_keeps_the_30th_of_esfand_for_leap_years_only() -> None:
    start = _jalali(1403, 12, 30)

    times = _series(start, 5, frequency=recurrence.YEARLY, calendar=recurrence.JALALI)

    assert [_as_jalali(time)[:3] for time in times] == [
        (1404, 12, 29), (1405, 12, 29), (1406, 12, 29), (1407, 12, 29), (1408, 12, 30),
    ]  # fmt: skip


def test_the_same_series_in_gregorian_months_steps_by_gregorian_months() -> None:
    # 31 Shahrivar 1403 is 21 September 2024: Gregorian months keep the 21st
    start = _jalali(1403, 6, 31)

    times = _series(start, 2, frequency=recurrence.MONTHLY, calendar=recurrence.GREGORIAN, interval=2)

    assert [time.astimezone(TEHRAN).date() for time in times] == [dt.date(2024, 11, 21), dt.date(2025, 1, 21)]


def test_gregorian_month_ends_and_leap_days_are_clamped_and_come_back() -> None:
    end_of_january = dt.datetime(2025, 1, 31, 8, tzinfo=TEHRAN)
    leap_day = dt.datetime(2024, 2, 29, 8, tzinfo=TEHRAN)

    monthly = _series(end_of_january, 3, frequency=recurrence.MONTHLY, calendar=recurrence.GREGORIAN)
    yearly = _series(leap_day, 4, frequency=recurrence.YEARLY, calendar=recurrence.GREGORIAN)

    assert [time.astimezone(TEHRAN).date() for time in monthly] == [
        dt.date(2025, 2, 28), dt.date(2025, 3, 31), dt.date(2025, 4, 30),
    ]  # fmt: skip
    assert [time.astimezone(TEHRAN).date() for time in yearly] == [
        dt.date(2025, 2, 28), dt.date(2026, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 29),
    ]  # fmt: skip


def test_stepping_past_the_calendars_end_is_refused() -> None:
    late = dt.datetime(9999, 6, 1, 8, tzinfo=TEHRAN)

    with pytest.raises(ValueError, match="year"):
        next_time(late, anchor=late, frequency=recurrence.YEARLY, interval=1, calendar=recurrence.GREGORIAN)
