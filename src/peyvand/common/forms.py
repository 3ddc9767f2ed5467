"""Form fields that read what a Persian or English user types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.common import calendar
from peyvand.common.text import to_ascii_digits


class LocalDateInput(forms.TextInput):
    """A text box showing the date in the reader's calendar (Jalali in Persian)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return calendar.format_date(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", "1403/05/12" if calendar.uses_jalali() else "2024-08-02")
        return context


class LocalDateField(forms.DateField):
    """Accepts Jalali dates in Persian and Gregorian in English, in Persian or Latin digits.

    The cleaned value is a Gregorian ``datetime.date``.
    """

    widget = LocalDateInput
    default_error_messages = {"invalid": _("Enter a valid date.")}

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return calendar.parse_date(str(value))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class LocalDateTimeField(forms.CharField):
    """A date (in the reader's calendar) and an optional ``HH:MM``, read in the current time zone."""

    widget = LocalDateInput

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        text = to_ascii_digits(str(value)).strip()
        date_part, _separator, time_part = text.partition(" ")
        try:
            day = calendar.parse_date(date_part)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        try:
            moment = dt.time.fromisoformat(time_part.strip()) if time_part.strip() else dt.time()
        except ValueError:
            raise forms.ValidationError(_("Enter the time as hours:minutes, for example 14:30."), code="invalid") from None
        return timezone.make_aware(dt.datetime.combine(day, moment))
