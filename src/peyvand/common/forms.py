"""Form fields that read what a Persian or English user types."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.common import calendar, numbers
from peyvand.common.text import normalize_text

# "<date> <time>" or ISO's "<date>T<time>"; whatever holds a colon at the end is the time.
_DATE_AND_TIME = re.compile(r"^(?P<date>.*?)(?:(?:\s+|T)(?P<time>[^\s:]*:\S*))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$", re.ASCII)


class LocalDateInput(forms.TextInput):
    """A text box showing the date in the reader's calendar (Jalali in Persian)."""

    jalali_placeholder = "1403/05/12"
    gregorian_placeholder = "2024-08-02"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return calendar.format_date(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        placeholder = self.jalali_placeholder if calendar.uses_jalali() else self.gregorian_placeholder
        placeholder = numbers.shape_digits(placeholder)
        context["widget"]["attrs"].setdefault("placeholder", placeholder)
        return context


class LocalDateTimeInput(LocalDateInput):
    """The date in the reader's calendar and the local time, ``1403/05/12 14:30``."""

    jalali_placeholder = "1403/05/12 14:30"
    gregorian_placeholder = "2024-08-02 14:30"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            return calendar.format_datetime(value)
        return super().format_value(value)


class LocalDateField(forms.DateField):
    """Accepts Jalali dates in Persian and Gregorian in English, in Persian or Latin digits.

    The cleaned value is a Gregorian ``datetime.date``.
    """

    widget = LocalDateInput
    default_error_messages = {"invalid": _("Enter a valid date.")}

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return calendar.local_date(value)
        try:
            return calendar.parse_date(str(value))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class LocalDateTimeField(forms.DateTimeField):
    """A date (in the reader's calendar) and an optional ``HH:MM``, read in the current time zone.

    The cleaned value is an aware ``datetime.datetime``; without a time it is the start of the day.
    """

    widget = LocalDateTimeInput

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        if isinstance(value, dt.date):
            return timezone.make_aware(dt.datetime.combine(value, dt.time()))
        parts = _DATE_AND_TIME.match(normalize_text(str(value)))
        assert parts is not None  # the pattern matches any text
        try:
            day = calendar.parse_date(parts["date"])
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        return timezone.make_aware(dt.datetime.combine(day, self._time(parts["time"] or "")))

    def _time(self, text: str) -> dt.time:
        if not text:
            return dt.time()
        match = _TIME.match(text)
        try:
            if match is None:
                raise ValueError(text)
            hour, minute, second = (int(part or 0) for part in match.groups())
            return dt.time(hour, minute, second)
        except ValueError:
            raise forms.ValidationError(
                _("Enter the time as hours:minutes, for example 14:30."), code="invalid_time"
            ) from None
