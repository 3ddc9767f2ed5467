"""Numbers and money shown the way the reader writes them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from peyvand.common.text import to_ascii_digits, to_persian_digits

PERSIAN_THOUSANDS_SEPARATOR = "٬"
PERSIAN_DECIMAL_SEPARATOR = "٫"


def wants_persian_digits(preference: str | None = None) -> bool:
    """``preference`` is the user's choice: "persian", "latin" or "auto" (follow the language)."""
    if preference == "persian":
        return True
    if preference == "latin":
        return False
    return (translation.get_language() or "fa").startswith("fa")


def shape_digits(text: str, preference: str | None = None) -> str:
    return to_persian_digits(text) if wants_persian_digits(preference) else to_ascii_digits(text)


def format_number(value: int | float | Decimal | None, preference: str | None = None, places: int = 0) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value):,.{places}f}"
    if wants_persian_digits(preference):
        text = text.replace(",", "\0").replace(".", PERSIAN_DECIMAL_SEPARATOR)
        return to_persian_digits(text.replace("\0", PERSIAN_THOUSANDS_SEPARATOR))
    return text


def format_money(rials: int | Decimal | None, preference: str | None = None, unit: str | None = None) -> str:
    """An amount stored in Rial, shown in Toman or Rial with its unit."""
    if rials is None:
        return ""
    unit = unit or settings.CURRENCY_DISPLAY
    if unit == "toman":
        return _("%(amount)s toman") % {"amount": format_number(Decimal(rials) / 10, preference)}
    return _("%(amount)s rial") % {"amount": format_number(rials, preference)}
