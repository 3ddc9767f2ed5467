from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from peyvand.common.calendar import format_date, format_date_long, format_datetime, parse_date, to_jalali
from peyvand.common.text import to_persian_digits

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _tehran() -> Iterator[None]:
    with timezone.override(TEHRAN):
        yield


@pytest.mark.parametrize(
    ("day", "jalali"),
    [
        (dt.date(2024, 3, 19), "1402/12/29"),  # 1402 is not a leap year: Esfand has 29 days
        (dt.date(2024, 3, 20), "1403/01/01"),  # Nowruz 1403
        (dt.date(2024, 8, 2), "1403/05/12"),
        (dt.date(2025, 3, 20), "1403/12/30"),  # 1403 is a leap year: Esfand 30 exists
        (dt.date(2025, 3, 21), "1404/01/01"),
        (dt.date(1979, 2, 11), "1357/11/22"),
    ],
)
def test_format_date_in_persian_is_jalali(day: dt.date, jalali: str) -> None:
    with translation.override("fa"):
        assert format_date(day) == jalali


def test_format_date_in_english_is_iso_gregorian() -> None:
    with translation.override("en"):
        assert format_date(dt.date(2024, 3, 20)) == "2024-03-20"


def test_an_explicit_language_wins_over_the_active_one() -> None:
    with translation.override("en"):
        assert format_date(dt.date(2024, 3, 20), language="fa") == "1403/01/01"
        assert format_date_long(dt.date(2024, 8, 2), language="fa") == "12 مرداد 1403"
    with translation.override("fa"):
        assert format_date(dt.date(2024, 3, 20), language="en") == "2024-03-20"
        assert format_date_long(dt.date(2024, 8, 2), language="en") == "2 August 2024"


@pytest.mark.parametrize(
    ("moment", "jalali", "gregorian"),
    [
        # 21:00 UTC is 00:30 the next day in Tehran (UTC+03:30): already Nowruz.
        (dt.datetime(2024, 3, 19, 21, 0, tzinfo=UTC), "1403/01/01", "2024-03-20"),
        (dt.datetime(2024, 3, 19, 20, 29, tzinfo=UTC), "1402/12/29", "2024-03-19"),
        (dt.datetime(2024, 3, 19, 20, 30, tzinfo=UTC), "1403/01/01", "2024-03-20"),
        (dt.datetime(2025, 3, 20, 20, 29, tzinfo=UTC), "1403/12/30", "2025-03-20"),
        (dt.datetime(2025, 3, 20, 20, 30, tzinfo=UTC), "1404/01/01", "2025-03-21"),
    ],
)
def test_a_datetime_is_dated_in_tehran_time(moment: dt.datetime, jalali: str, gregorian: str) -> None:
    with translation.override("fa"):
        assert format_date(moment) == jalali
        assert to_jalali(moment).isoformat() == jalali.replace("/", "-")
    with translation.override("en"):
        assert format_date(moment) == gregorian


def test_the_active_time_zone_decides_the_day() -> None:
    moment = dt.datetime(2024, 3, 19, 21, 0, tzinfo=UTC)

    with timezone.override(UTC), translation.override("fa"):
        assert format_date(moment) == "1402/12/29"
        assert format_datetime(moment) == "1402/12/29 21:00"


@pytest.mark.parametrize(
    ("value", "persian", "english"),
    [
        (dt.date(2024, 8, 2), "12 مرداد 1403", "2 August 2024"),
        (dt.date(2024, 3, 20), "1 فروردین 1403", "20 March 2024"),
        (dt.date(2025, 3, 20), "30 اسفند 1403", "20 March 2025"),
        (dt.date(2024, 12, 21), "1 دی 1403", "21 December 2024"),
        (dt.datetime(2024, 3, 19, 21, 0, tzinfo=UTC), "1 فروردین 1403", "20 March 2024"),
    ],
)
def test_format_date_long(value: dt.date, persian: str, english: str) -> None:
    with translation.override("fa"):
        assert format_date_long(value) == persian
    with translation.override("en"):
        assert format_date_long(value) == english


def test_format_datetime_shows_tehran_local_time() -> None:
    moment = dt.datetime(2024, 3, 19, 21, 0, tzinfo=UTC)

    with translation.override("fa"):
        assert format_datetime(moment) == "1403/01/01 00:30"
    with translation.override("en"):
        assert format_datetime(moment) == "2024-03-20 00:30"


def test_empty_values_format_as_empty_text() -> None:
    assert format_date(None) == ""
    assert format_date_long(None) == ""
    assert format_datetime(None) == ""


@pytest.mark.parametrize(
    "typed",
    [
        "1403/1/1",
        "1403/01/01",
        "۱۴۰۳/۰۱/۰۱",
        "١٤٠٣-٠١-٠١",
        "1403.01.01",
        " 1403 / 1 / 1 ",
        "01/01/1403",
        "\u200f۱۴۰۳/۰۱/۰۱\u200e",
        "2024-03-20",
        "۲۰۲۴-۰۳-۲۰",
        "20/03/2024",
    ],
)
@pytest.mark.parametrize("language", ["fa", "en"])
def test_parse_date_reads_what_people_type(typed: str, language: str) -> None:
    with translation.override(language):
        assert parse_date(typed) == dt.date(2024, 3, 20)


def test_parse_date_knows_the_jalali_leap_year() -> None:
    with translation.override("fa"):
        assert parse_date("1403/12/30") == dt.date(2025, 3, 20)
        assert parse_date("1399/12/30") == dt.date(2021, 3, 20)


@pytest.mark.parametrize("typed", ["1403/13/01", "1403/12/31", "1402/12/30", "1403/00/10", "1403/07/31", "2025-02-29"])
def test_parse_date_refuses_a_day_the_calendar_does_not_have(typed: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=r"^This date does not exist in the calendar\.$"):
        parse_date(typed)


def test_the_refusal_is_translated() -> None:
    with translation.override("fa"):
        expected = gettext("This date does not exist in the calendar.")
        with pytest.raises(ValueError, match=r"calendar|تقویم") as error:
            parse_date("1403/12/31")

    assert str(error.value) == expected


@pytest.mark.parametrize(
    "typed", ["", "   ", "garbage", "1403/01", "1403/01/01/01", "03/01/01", "1/1/1", "1403-01-01T10:00"]
)
def test_parse_date_explains_the_format_for_garbage(typed: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=r"2024-08-02") as english:
        parse_date(typed)
    with translation.override("fa"):
        persian_message = gettext("Enter a date as year/month/day, for example %(example)s.") % {
            "example": "1403/05/12"
        }
        with pytest.raises(ValueError, match=r"1403/05/12") as persian:
            parse_date(typed)

    assert str(english.value) == "Enter a date as year/month/day, for example 2024-08-02."
    assert str(persian.value) == persian_message


@given(st.dates(min_value=dt.date(1622, 3, 22), max_value=dt.date(2320, 12, 31)))
def test_a_jalali_date_shown_parses_back_to_the_same_day(day: dt.date) -> None:
    # Jalali years 1001 to 1699: what the Persian UI can show and read back.
    with translation.override("fa"):
        shown = format_date(day)

        assert parse_date(shown) == day
        assert parse_date(to_persian_digits(shown)) == day


@given(st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_a_gregorian_date_shown_parses_back_to_the_same_day(day: dt.date) -> None:
    with translation.override("en"):
        shown = format_date(day)

        assert parse_date(shown) == day
        assert parse_date(to_persian_digits(shown)) == day


@given(st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(2320, 12, 31)))
def test_jalali_and_gregorian_agree(day: dt.date) -> None:
    jalali = to_jalali(day)

    assert jalali.togregorian() == day
    with translation.override("fa"):
        assert format_date(day) == f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}"
