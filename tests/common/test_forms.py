from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext

from peyvand.common.forms import LocalDateField, LocalDateInput, LocalDateTimeField, LocalDateTimeInput

TEHRAN = ZoneInfo("Asia/Tehran")
NOT_IN_CALENDAR = "This date does not exist in the calendar."
BAD_TIME = "Enter the time as hours:minutes, for example 14:30."


class MeetingForm(forms.Form):
    day = LocalDateField()
    starts_at = LocalDateTimeField(required=False)


def shown_value(html: str) -> str:
    match = re.search(r'value="([^"]*)"', html)
    assert match is not None, html
    return match[1]


@pytest.fixture(autouse=True)
def _tehran() -> Iterator[None]:
    with timezone.override(TEHRAN):
        yield


@pytest.mark.parametrize("typed", ["1403/01/01", "۱۴۰۳/۰۱/۰۱", "١٤٠٣/١/١", "1403-1-1", "2024-03-20"])
def test_a_persian_user_types_a_jalali_date(typed: str) -> None:
    with translation.override("fa"):
        form = MeetingForm(data={"day": typed})

        assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": dt.date(2024, 3, 20), "starts_at": None}


def test_an_english_user_types_a_gregorian_date() -> None:
    with translation.override("en"):
        form = MeetingForm(data={"day": "2024-03-20"})

        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2024, 3, 20)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1403/12/31", NOT_IN_CALENDAR),
        ("1402/12/30", NOT_IN_CALENDAR),
        ("1403/13/01", NOT_IN_CALENDAR),
        ("tomorrow", "Enter a date as year/month/day, for example 2024-08-02."),
        ("", "This field is required."),
    ],
)
def test_a_wrong_date_is_a_field_error_with_a_human_message(typed: str, message: str) -> None:
    with translation.override("en"):
        form = MeetingForm(data={"day": typed})

        assert form.is_valid() is False
        assert form.errors == {"day": [message]}


def test_the_field_error_is_translated() -> None:
    with translation.override("fa"):
        form = MeetingForm(data={"day": "۱۴۰۳/۱۲/۳۱"})

        assert form.is_valid() is False
        assert form.errors == {"day": [gettext(NOT_IN_CALENDAR)]}


@pytest.mark.parametrize(("language", "shown"), [("fa", "1403/01/01"), ("en", "2024-03-20")])
def test_the_widget_shows_the_stored_date_in_the_readers_calendar(language: str, shown: str) -> None:
    with translation.override(language):
        form = MeetingForm(initial={"day": dt.date(2024, 3, 20)})

        html = str(form["day"])

    assert f'value="{shown}"' in html


def test_a_form_shown_and_sent_back_unchanged_has_not_changed() -> None:
    initial = {"day": dt.date(2025, 3, 20), "starts_at": dt.datetime(2024, 3, 19, 21, 0, tzinfo=dt.UTC)}
    with translation.override("fa"):
        shown = MeetingForm(initial=initial)
        data = {name: shown_value(str(shown[name])) for name in ("day", "starts_at")}

        sent_back = MeetingForm(data=data, initial=initial)

        assert data == {"day": "1403/12/30", "starts_at": "1403/01/01 00:30"}
        assert sent_back.is_valid(), sent_back.errors
        assert sent_back.has_changed() is False
    assert sent_back.cleaned_data == initial


@pytest.mark.parametrize(
    ("language", "html"),
    [
        (
            "fa",
            '<input type="text" name="day" value="1403/05/12" inputmode="numeric" autocomplete="off" dir="ltr"'
            ' placeholder="۱۴۰۳/۰۵/۱۲">',
        ),
        (
            "en",
            '<input type="text" name="day" value="2024-08-02" inputmode="numeric" autocomplete="off" dir="ltr"'
            ' placeholder="2024-08-02">',
        ),
    ],
)
def test_local_date_input_renders(language: str, html: str) -> None:
    with translation.override(language):
        assert LocalDateInput().render("day", dt.date(2024, 8, 2)) == html


def test_local_date_input_keeps_a_given_placeholder_and_shows_typed_text_as_is() -> None:
    with translation.override("fa"):
        html = LocalDateInput(attrs={"placeholder": "روز"}).render("day", "۱۴۰۳/۱۳/۰۱")

    assert html == (
        '<input type="text" name="day" value="۱۴۰۳/۱۳/۰۱" inputmode="numeric" autocomplete="off" dir="ltr"'
        ' placeholder="روز">'
    )


def test_local_date_time_input_renders_the_local_time() -> None:
    moment = dt.datetime(2024, 3, 19, 21, 0, tzinfo=dt.UTC)

    with translation.override("fa"):
        assert LocalDateTimeInput().render("at", moment) == (
            '<input type="text" name="at" value="1403/01/01 00:30" inputmode="numeric" autocomplete="off" dir="ltr"'
            ' placeholder="۱۴۰۳/۰۵/۱۲ ۱۴:۳۰">'
        )
    with translation.override("en"):
        assert LocalDateTimeInput().render("at", moment) == (
            '<input type="text" name="at" value="2024-03-20 00:30" inputmode="numeric" autocomplete="off" dir="ltr"'
            ' placeholder="2024-08-02 14:30">'
        )


@pytest.mark.parametrize(
    ("typed", "expected_utc"),
    [
        ("1403/01/01 14:30", dt.datetime(2024, 3, 20, 11, 0, tzinfo=dt.UTC)),
        ("۱۴۰۳/۰۱/۰۱ ۱۴:۳۰", dt.datetime(2024, 3, 20, 11, 0, tzinfo=dt.UTC)),
        ("1403 / 01 / 01   9:05", dt.datetime(2024, 3, 20, 5, 35, tzinfo=dt.UTC)),
        ("1403/01/01 14:30:15", dt.datetime(2024, 3, 20, 11, 0, 15, tzinfo=dt.UTC)),
        ("1403/01/01", dt.datetime(2024, 3, 19, 20, 30, tzinfo=dt.UTC)),
        ("2024-03-20T14:30", dt.datetime(2024, 3, 20, 11, 0, tzinfo=dt.UTC)),
    ],
)
def test_a_date_and_time_is_read_in_tehran_time(typed: str, expected_utc: dt.datetime) -> None:
    with translation.override("fa"):
        form = MeetingForm(data={"day": "1403/01/01", "starts_at": typed})

        assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == expected_utc
    assert form.cleaned_data["starts_at"].tzinfo is not None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1403/01/01 25:00", BAD_TIME),
        ("1403/01/01 14:75", BAD_TIME),
        ("1403/01/01 14:30+00:00", BAD_TIME),
        ("1403/01/01 :", BAD_TIME),
        ("1403/12/31 10:00", NOT_IN_CALENDAR),
        ("1403/01/01 10", "Enter a date as year/month/day, for example 2024-08-02."),
    ],
)
def test_a_wrong_date_and_time_is_a_field_error(typed: str, message: str) -> None:
    with translation.override("en"):
        form = MeetingForm(data={"day": "2024-03-20", "starts_at": typed})

        assert form.is_valid() is False
        assert form.errors == {"starts_at": [message]}


def test_python_values_pass_through_the_fields() -> None:
    assert LocalDateField().clean(dt.date(2024, 3, 20)) == dt.date(2024, 3, 20)
    assert LocalDateField().clean(dt.datetime(2024, 3, 19, 21, 0, tzinfo=dt.UTC)) == dt.date(2024, 3, 20)
    assert LocalDateTimeField().clean(dt.datetime(2024, 3, 20, 11, 0, tzinfo=dt.UTC)) == dt.datetime(
        2024, 3, 20, 11, 0, tzinfo=dt.UTC
    )
    assert LocalDateTimeField().clean(dt.datetime(2024, 3, 20, 14, 30)) == dt.datetime(
        2024, 3, 20, 11, 0, tzinfo=dt.UTC
    )
