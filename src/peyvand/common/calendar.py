"""Dates for people: Jalali when the language is Persian, Gregorian in English.

Values are stored as UTC datetimes and Gregorian dates; these functions only show and parse.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.common.text import to_ascii_digits

JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
_DATE_INPUT = re.compile(r"^\s*(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})\s*$")


def uses_jalali(language: str | None = None) -> bool:
    return (language or translation.get_language() or "fa").startswith("fa")


def to_jalali(value: dt.date) -> jdatetime.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    return jdatetime.date.fromgregorian(date=value)


def format_date(value: dt.date | dt.datetime | None, *, language: str | None = None) -> str:
    """``1403/05/12`` in Persian, ``2024-08-02`` in English; digits are shaped later."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if uses_jalali(language):
        jalali = to_jalali(value)
        return f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}"
    return value.isoformat()


def format_date_long(value: dt.date | dt.datetime | None, *, language: str | None = None) -> str:
    """``12 مرداد 1403`` in Persian, ``2 August 2024`` in English."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if uses_jalali(language):
        jalali = to_jalali(value)
        return f"{jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: dt.datetime | None, *, language: str | None = None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date(), language=language)} {local:%H:%M}"


def parse_date(text: str, *, language: str | None = None) -> dt.date:
    """Read a date typed by a person, Persian or Latin digits, in the calendar of the language.

    Persian users type Jalali (``1403/5/12``); a year above 1700 is taken as Gregorian so a
    pasted ISO date still works. Raises ``ValueError`` with a message for the person.
    """
    match = _DATE_INPUT.match(to_ascii_digits(text))
    if not match:
        raise ValueError(_("Enter a date as year/month/day, for example %(example)s.") % {
            "example": "1403/05/12" if uses_jalali(language) else "2024-08-02"
        })
    year, month, day = (int(part) for part in match.groups())
    if day > 31 and year <= 31:  # day/month/year order
        year, day = day, year
    try:
        if year < 1700:
            return jdatetime.date(year, month, day).togregorian()
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("This date does not exist in the calendar.")) from None
