"""Checking the values of the custom fields an administrator defines for a record type.

Forms, the API and imports all call :func:`clean_custom_values`, so a value is accepted or refused
the same way everywhere. Stored values are JSON: text and links as strings, numbers as strings of
a decimal (no float rounding), money as an integer of Rial, dates as ISO strings, choices as their
value, multiple choices as a list of values, yes/no as true or false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from peyvand.common.calendar import parse_date
from peyvand.common.text import normalize_text, to_ascii_digits
from peyvand.contacts.models import CustomField

_TRUE = {"1", "true", "yes", "y", "on", "بله", "آری", "اری", "درست", "✓"}
_FALSE = {"0", "false", "no", "n", "off", "خیر", "نه", "نادرست", ""}
_url_validator = URLValidator(schemes=["http", "https"])


def active_fields(kind: str) -> list[CustomField]:
    return list(CustomField.objects.filter(kind=kind, is_active=True).order_by("order", "pk"))


def clean_custom_values(kind: str, values: Mapping[str, Any], *,
                        fields: list[CustomField] | None = None) -> dict[str, Any]:  # fmt: skip
    """The values checked and in their stored form; ``ValidationError`` keyed by field key.

    Keys that are not an active custom field of ``kind`` are refused; a required field must have a
    value.
    """
    fields = active_fields(kind) if fields is None else fields
    by_key = {field.key: field for field in fields}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key in values:
        if key not in by_key:
            errors[key] = [_("There is no such custom field.")]
    for key, field in by_key.items():
        raw = values.get(key)
        try:
            value = clean_value(field, raw)
        except ValidationError as error:
            errors[key] = error.messages
            continue
        if value in (None, "", []):
            if field.is_required:
                errors[key] = [_("This field is required.")]
            continue
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_value(field: CustomField, raw: Any) -> Any:
    """One value in its stored form, or None when empty; ``ValidationError`` when it is not one."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    kind = field.field_type
    if kind == CustomField.Type.TEXT:
        return normalize_text(str(raw))[:1000]
    if kind in (CustomField.Type.NUMBER, CustomField.Type.MONEY):
        text = to_ascii_digits(str(raw)).replace(",", "").replace("٬", "").replace("٫", ".").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        if kind == CustomField.Type.MONEY:
            if number != number.to_integral_value() or number < 0:
                raise ValidationError(_("Enter an amount in whole Rials, not negative."))
            return int(number)
        return str(number.normalize()) if number != number.to_integral_value() else str(int(number))
    if kind == CustomField.Type.DATE:
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return parse_date(str(raw)).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a valid date.")) from None
    if kind == CustomField.Type.YES_NO:
        if isinstance(raw, bool):
            return raw
        text = normalize_text(str(raw)).casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationError(_("Answer yes or no."))
    if kind == CustomField.Type.LINK:
        address = str(raw).strip()
        address = address if "://" in address else f"https://{address}"
        _url_validator(address)
        return address
    allowed = {str(choice["value"]): choice for choice in field.choices}
    labels = {normalize_text(str(label)).casefold(): str(choice["value"]) for choice in field.choices
              for label in (choice.get("label"), choice.get("label_en"), choice["value"]) if label}  # fmt: skip
    if kind == CustomField.Type.CHOICE:
        return _choice(str(raw), allowed, labels)
    if kind == CustomField.Type.MULTIPLE_CHOICE:
        items = raw if isinstance(raw, list | tuple) else list(str(raw).replace("،", ",").split(","))
        chosen = [_choice(str(item).strip(), allowed, labels) for item in items if str(item).strip()]
        return list(dict.fromkeys(chosen))
    raise AssertionError(kind)


def _choice(text: str, allowed: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    if text in allowed:
        return text
    value = labels.get(normalize_text(text).casefold())
    if value is None:
        raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": text})
    return value


def display_value(field: CustomField, value: Any) -> str:
    """A stored value as the reader sees it, in the active language (choices by their label)."""
    from django.utils.translation import get_language

    if value in (None, "", []):
        return ""
    english = (get_language() or "fa").startswith("en")

    def label_of(choice_value: str) -> str:
        for choice in field.choices:
            if str(choice["value"]) == choice_value:
                return str((choice.get("label_en") if english else None) or choice.get("label") or choice_value)
        return choice_value

    if field.field_type == CustomField.Type.CHOICE:
        return label_of(str(value))
    if field.field_type == CustomField.Type.MULTIPLE_CHOICE:
        return (
            "، ".join(label_of(str(item)) for item in value)
            if not english
            else ", ".join(label_of(str(item)) for item in value)
        )
    if field.field_type == CustomField.Type.YES_NO:
        return _("Yes") if value else _("No")
    return str(value)
