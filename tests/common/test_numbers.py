from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.fixtures import Settings as SettingsWrapper

from peyvand.common.numbers import format_money, format_number, shape_digits, wants_persian_digits
from peyvand.common.text import to_ascii_digits


@pytest.mark.parametrize(
    ("value", "places", "persian", "latin"),
    [
        (0, 0, "۰", "0"),
        (7, 0, "۷", "7"),
        (999, 0, "۹۹۹", "999"),
        (1000, 0, "۱٬۰۰۰", "1,000"),
        (1234567, 0, "۱٬۲۳۴٬۵۶۷", "1,234,567"),
        (-1234567, 0, "-۱٬۲۳۴٬۵۶۷", "-1,234,567"),
        (Decimal("1234.5"), 2, "۱٬۲۳۴٫۵۰", "1,234.50"),
        (Decimal("-0.75"), 1, "-۰٫۸", "-0.8"),
        (1234.5, 1, "۱٬۲۳۴٫۵", "1,234.5"),
        (Decimal("2.5"), 0, "۳", "3"),  # halves round up, as people do, not to even
        (Decimal("-2.5"), 0, "-۳", "-3"),
        (2.675, 2, "۲٫۶۸", "2.68"),  # the float that was written, not its binary neighbour
        (Decimal("-0.4"), 0, "۰", "0"),  # never "-0"
        (Decimal("1E+3"), 0, "۱٬۰۰۰", "1,000"),
        (10**30, 0, "۱" + "٬۰۰۰" * 10, "1" + ",000" * 10),
    ],
)
def test_format_number(value: int | float | Decimal, places: int, persian: str, latin: str) -> None:
    with translation.override("fa"):
        assert format_number(value, places=places) == persian
    with translation.override("en"):
        assert format_number(value, places=places) == latin


def test_format_number_of_nothing_is_empty() -> None:
    assert format_number(None) == ""


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_digit_preference_overrides_the_language(language: str) -> None:
    with translation.override(language):
        assert format_number(1234567, "persian") == "۱٬۲۳۴٬۵۶۷"
        assert format_number(1234567, "latin") == "1,234,567"
        assert shape_digits("1403/01/01", "persian") == "۱۴۰۳/۰۱/۰۱"
        assert shape_digits("۱۴۰۳/۰۱/۰۱", "latin") == "1403/01/01"


@pytest.mark.parametrize(("language", "expected"), [("fa", True), ("en", False), ("fa-ir", True), ("en-us", False)])
def test_auto_follows_the_language(language: str, expected: bool) -> None:
    with translation.override(language):
        assert wants_persian_digits("auto") is expected
        assert wants_persian_digits(None) is expected


@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_formatted_integers_read_back(value: int) -> None:
    for preference in ("persian", "latin"):
        text = format_number(value, preference)

        assert int(to_ascii_digits(text).replace(",", "").replace("٬", "")) == value


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_formatted_decimals_read_back(value: Decimal) -> None:
    persian = format_number(value, "persian", places=2)
    latin = format_number(value, "latin", places=2)

    assert Decimal(latin.replace(",", "")) == value
    assert to_ascii_digits(persian).replace("٬", ",").replace("٫", ".") == latin


def test_money_in_toman_is_a_tenth_of_the_stored_rials(settings: SettingsWrapper) -> None:
    settings.CURRENCY_DISPLAY = "toman"

    with translation.override("en"):
        assert format_money(12_345_670) == "1,234,567 toman"
        assert format_money(-12_345_670) == "-1,234,567 toman"
        assert format_money(12_345_675) == "1,234,568 toman"
        assert format_money(Decimal("12345675"), places=1) == "1,234,567.5 toman"
    with translation.override("fa"):
        assert format_money(12_345_670) == gettext("%(amount)s toman") % {"amount": "۱٬۲۳۴٬۵۶۷"}


def test_money_in_rial(settings: SettingsWrapper) -> None:
    settings.CURRENCY_DISPLAY = "rial"

    with translation.override("en"):
        assert format_money(12_345_670) == "12,345,670 rial"
        assert format_money(0) == "0 rial"
    with translation.override("fa"):
        assert format_money(12_345_670) == gettext("%(amount)s rial") % {"amount": "۱۲٬۳۴۵٬۶۷۰"}


def test_an_explicit_unit_and_preference_win(settings: SettingsWrapper) -> None:
    settings.CURRENCY_DISPLAY = "toman"

    with translation.override("en"):
        assert format_money(12_345_670, unit="rial") == "12,345,670 rial"
        assert format_money(12_345_670, "persian", unit="rial") == "۱۲٬۳۴۵٬۶۷۰ rial"
    with translation.override("fa"):
        assert format_money(12_345_670, "latin") == gettext("%(amount)s toman") % {"amount": "1,234,567"}


def test_money_of_nothing_is_empty() -> None:
    assert format_money(None) == ""


def test_an_unknown_unit_is_a_programming_error() -> None:
    with pytest.raises(AssertionError):
        format_money(10, unit="dollar")
