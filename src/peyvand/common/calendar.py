"""Dates for people: Jalali when the language is Persian, Gregorian in English.

Values are stored as UTC datetimes and Gregorian dates; these functions only show and parse.
A datetime is first turned into the current time zone's local time (Asia/Tehran unless another
is activated), so 2024-03-19 21:00 UTC is already 1403/01/01 in Tehran.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from peyvand.common.text import normalize_text

JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
_DATE_INPUT = re.compile(r"^\s*(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})\s*$", re.ASCII)
# Years below this are typed in the Jalali calendar, in either language; Jalali 1700 is Gregorian 2321.
_FIRST_GREGORIAN_YEAR = 1700
# Anything earlier is a typo (a two-digit year, a day in the year's place), not a date a CRM holds.
_FIRST_YEAR = 1000


def uses_jalali(language: str | None = None) -> bool:
    return (language or translation.get_language() or "fa").startswith("fa")


def local_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar day ``value`` falls on in the current time zone (a naive datetime is taken as local)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def to_jalali(value: dt.date | dt.datetime) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=local_date(value))


def format_date(value: dt.date | dt.datetime | None, *, language: str | None = None) -> str:
    """``1403/05/12`` in Persian, ``2024-08-02`` in English; digits are shaped later."""
    if value is None:
        return ""
    day = local_date(value)
    if uses_jalali(language):
        jalali = to_jalali(day)
        return f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}"
    return day.isoformat()


def format_date_long(value: dt.date | dt.datetime | None, *, language: str | None = None) -> str:
    """``12 مرداد 1403`` in Persian, ``2 August 2024`` in English."""
    if value is None:
        return ""
    day = local_date(value)
    if uses_jalali(language):
        jalali = to_jalali(day)
        return f"{jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
    with translation.override(language or translation.get_language()):
        return str(dateformat.format(day, "j F Y"))


def format_datetime(value: dt.datetime | None, *, language: str | None = None) -> str:
    """``1403/05/12 14:30`` in Persian, ``2024-08-02 14:30`` in English, in local time."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date(), language=language)} {local:%H:%M}"


def parse_date(text: str, *, language: str | None = None) -> dt.date:
    """Read a date typed by a person, Persian or Latin digits, in the calendar of the language.

    Persian users type Jalali (``1403/5/12``, ``۱۴۰۳-۰۵-۱۲``, ``1403.05.12``, or day first
    ``12/05/1403``); a year from 1700 on is Gregorian, so a pasted ISO date works in Persian too, and
    a year below it is Jalali in English too. Raises ``ValueError`` with a message for the person.
    """
    match = _DATE_INPUT.match(normalize_text(text))
    year, month, day = (int(part) for part in match.groups()) if match else (0, 0, 0)
    if day > 31 and year <= 31:  # day/month/year order
        year, day = day, year
    if year < _FIRST_YEAR:
        raise ValueError(
            _("Enter a date as year/month/day, for example %(example)s.")
            % {"example": "1403/05/12" if uses_jalali(language) else "2024-08-02"}
        )
    try:
        if year < _FIRST_GREGORIAN_YEAR:
            return jdatetime.date(year, month, day).togregorian()
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("This date does not exist in the calendar.")) from None
