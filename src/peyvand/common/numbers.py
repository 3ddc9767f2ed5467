"""Numbers and money shown the way the reader writes them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from peyvand.common.text import to_ascii_digits, to_persian_digits

PERSIAN_THOUSANDS_SEPARATOR = "٬"
PERSIAN_DECIMAL_SEPARATOR = "٫"
RIALS_PER_TOMAN = 10


def wants_persian_digits(preference: str | None = None) -> bool:
    """``preference`` is the user's choice: "persian", "latin" or "auto" (follow the language)."""
    if preference == "persian":
        return True
    if preference == "latin":
        return False
    return (translation.get_language() or "fa").startswith("fa")


def shape_digits(text: str, preference: str | None = None) -> str:
    return to_persian_digits(text) if wants_persian_digits(preference) else to_ascii_digits(text)


def _rounded(value: int | float | Decimal, places: int) -> Decimal:
    """``value`` to ``places`` decimals, halves away from zero as people round (not to even)."""
    # str() first so that 2.675 is the 2.675 that was written, not the binary float below it.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return number
    with localcontext() as context:
        context.prec = max(context.prec, number.adjusted() + places + 2)
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(number) if number.is_zero() else number  # never "-0"


def format_number(value: int | float | Decimal | None, preference: str | None = None, places: int = 0) -> str:
    """``1,234,567.50`` with Latin digits, ``۱٬۲۳۴٬۵۶۷٫۵۰`` with Persian ones."""
    assert places >= 0, places
    if value is None:
        return ""
    text = f"{_rounded(value, places):,f}"
    if wants_persian_digits(preference):
        text = text.replace(",", "\0").replace(".", PERSIAN_DECIMAL_SEPARATOR)
        return to_persian_digits(text.replace("\0", PERSIAN_THOUSANDS_SEPARATOR))
    return text


def format_money(
    rials: int | Decimal | None, preference: str | None = None, unit: str | None = None, places: int = 0
) -> str:
    """An amount stored in Rial, shown in Toman (``settings.CURRENCY_DISPLAY``) or Rial with its unit."""
    if rials is None:
        return ""
    unit = unit or settings.CURRENCY_DISPLAY
    assert unit in ("toman", "rial"), unit
    if unit == "toman":
        amount = format_number(Decimal(rials) / RIALS_PER_TOMAN, preference, places)
        return _("%(amount)s toman") % {"amount": amount}
    return _("%(amount)s rial") % {"amount": format_number(rials, preference, places)}
