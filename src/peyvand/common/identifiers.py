"""Iranian identifiers: the personal national ID, the company national ID and the economic code.

UI-free. ``validate_*`` reads what a person typed (Persian or Arabic-Indic digits, spaces, dashes, dots,
the invisible marks that right-to-left text carries along), returns the value to store, and otherwise
raises :class:`InvalidIdentifier` saying exactly what is wrong; the ``*_validator`` functions wrap them
for Django form and model fields.

No maintained library covers all three: python-stdnum has no Iranian module, persiantools none of these
numbers, and django-localflavor only a form field for the personal national ID (no company ID, no
economic code, no Persian digits, one generic message). The check-digit rules are short and public, so
they are written out here; where each comes from is said where it is used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from peyvand.common.text import to_ascii_digits

NATIONAL_ID_LENGTH = 10
COMPANY_NATIONAL_ID_LENGTH = 11
ECONOMIC_CODE_LENGTHS = (11, 12, 14)

# The personal national ID (کد ملی), issued by the civil registration office: a three-digit code of the
# issuing office, a six-digit serial and a check digit. The check digit is a modulus-11 check over the
# first nine digits weighted 10 down to 2, as many Persian write-ups describe it and as
# django-localflavor's IRIDNumberField applies it. A remainder below 2 is the check digit itself
# (eleven minus it would not be one digit); any other remainder r gives 11 - r.
_NATIONAL_ID_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)

# The company national ID (شناسه ملی اشخاص حقوقی), issued by the registry of companies (the deeds and
# properties registration organisation) to every legal entity: the tenth digit plus 2 is added to
# each of the first ten digits, those sums are weighted 29, 27, 23, 19, 17 twice over, and the total
# modulo 11 is the check digit, a remainder of 10 being written 0. This is the rule circulated in
# Persian write-ups on the ID and implemented by the persian-tools library (verifyIranianLegalId); it
# was checked against company IDs that organisations print on their own pages (10260014510,
# 10460108920), which it accepts.
_COMPANY_NATIONAL_ID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)

# Not \d: in a str pattern \d also matches the digits of other scripts (Devanagari, Thai, …).
_ASCII_DIGITS = re.compile("[0-9]+")
_DOTS = frozenset(".\u066b\u06d4")  # full stop, Arabic decimal separator, Arabic full stop
_MINUS_SIGN = "\u2212"


class InvalidIdentifier(ValueError):  # noqa: N818 - the agreed public name
    """The text is not a valid identifier; ``str(error)`` is a translated message for the person who typed it."""


def _is_separator(character: str) -> bool:
    if character.isspace() or character in _DOTS or character == _MINUS_SIGN:
        return True
    # Pd: hyphen-minus and every other dash; Cf: ZWNJ, ZWJ, direction marks and isolates, soft hyphen, BOM.
    return unicodedata.category(character) in ("Pd", "Cf")


def _strip_separators(text: str) -> str:
    return "".join(character for character in to_ascii_digits(text) if not _is_separator(character))


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and _ASCII_DIGITS.fullmatch(value) is not None


def normalize_identifier(text: str) -> str:
    """The form an identifier is stored in: ASCII digits with nothing between them.

    Persian and Arabic-Indic digits become ASCII; spaces, dashes, dots, direction marks and ZWNJ go.
    Anything else (a letter, a slash) is kept so that validation can reject it.

    An 8- or 9-digit result is taken as a personal national ID that lost its leading zeros, as it does
    in spreadsheets (which read it as a number) and in some older records, and is left-padded with
    zeros to 10 digits; issuing-office codes are described as starting with at most two zeros. No other identifier has 8, 9 or 10 digits, so
    the padding never turns another kind of identifier into a valid one.
    """
    value = _strip_separators(text)
    if len(value) in (8, 9) and _ASCII_DIGITS.fullmatch(value):
        return value.zfill(NATIONAL_ID_LENGTH)
    return value


def national_id_check_digit(first_nine_digits: str) -> int:
    """The check digit that completes a personal national ID."""
    assert _is_digits(first_nine_digits, NATIONAL_ID_LENGTH - 1), first_nine_digits
    weighted = sum(int(digit) * weight for digit, weight in zip(first_nine_digits, _NATIONAL_ID_WEIGHTS, strict=True))
    remainder = weighted % 11
    return remainder if remainder < 2 else 11 - remainder


def validate_national_id(text: str) -> str:
    """The personal national ID (کد ملی) as 10 ASCII digits, or :class:`InvalidIdentifier`.

    Ten times the same digit passes the check-digit rule (every such number does) but is rejected, as
    the common validators reject it: it is what people type when they do not know the number.
    """
    value = normalize_identifier(text)
    if not _is_digits(value, NATIONAL_ID_LENGTH):
        raise InvalidIdentifier(gettext("A national ID has 10 digits."))
    if len(set(value)) == 1:
        raise InvalidIdentifier(gettext("A national ID is never the same digit ten times."))
    if int(value[-1]) != national_id_check_digit(value[:-1]):
        raise InvalidIdentifier(gettext("This national ID's check digit does not match: please check it."))
    return value


def is_valid_national_id(text: str) -> bool:
    try:
        validate_national_id(text)
    except InvalidIdentifier:
        return False
    return True


def company_national_id_check_digit(first_ten_digits: str) -> int:
    """The check digit that completes a company national ID."""
    assert _is_digits(first_ten_digits, COMPANY_NATIONAL_ID_LENGTH - 1), first_ten_digits
    offset = int(first_ten_digits[-1]) + 2
    weighted = sum(
        (int(digit) + offset) * weight
        for digit, weight in zip(first_ten_digits, _COMPANY_NATIONAL_ID_WEIGHTS, strict=True)
    )
    remainder = weighted % 11
    return 0 if remainder == 10 else remainder


def validate_company_national_id(text: str) -> str:
    """The company national ID (شناسه ملی) as 11 ASCII digits, or :class:`InvalidIdentifier`."""
    value = _strip_separators(text)
    if not _is_digits(value, COMPANY_NATIONAL_ID_LENGTH):
        raise InvalidIdentifier(gettext("A company national ID has 11 digits."))
    if len(set(value)) == 1:
        raise InvalidIdentifier(gettext("A company national ID is never the same digit eleven times."))
    if int(value[-1]) != company_national_id_check_digit(value[:-1]):
        raise InvalidIdentifier(gettext("This company national ID's check digit does not match: please check it."))
    return value


def is_valid_company_national_id(text: str) -> bool:
    try:
        validate_company_national_id(text)
    except InvalidIdentifier:
        return False
    return True


def validate_economic_code(text: str, *, company_national_id: str | None = None) -> str:
    """The economic code (کد اقتصادی) as 11, 12 or 14 ASCII digits, or :class:`InvalidIdentifier`.

    The tax administration has issued two schemes. The older code has 12 digits; it is still printed on
    many letterheads and invoices (the legal entities' codes seen start with 411). Since Mehr 1401,
    autumn 2022 (circular 17831/234/ص of 1401/08/23, and notice 36 of Ordibehesht 1403 requiring the new
    numbers on electronic invoices), the economic code is:

    - a legal entity's 11-digit company national ID, unchanged;
    - a civil partnership's 11-digit partnership ID, assigned by the tax administration;
    - for a person, 14 digits: the 10-digit national ID followed by four digits counting from 0001;
    - for a foreign national, 14 digits: the 12-digit foreign national code followed by two digits.

    Only the length and the digits are checked: the 14-digit forms cannot be told apart, and an
    11-digit code may be a partnership's, whose check-digit rule is not published. When the legal
    entity's ``company_national_id`` is known, an 11-digit economic code must be that ID.
    """
    value = _strip_separators(text)
    if len(value) not in ECONOMIC_CODE_LENGTHS or not _ASCII_DIGITS.fullmatch(value):
        raise InvalidIdentifier(gettext("An economic code has 11, 12 or 14 digits."))
    expected = _strip_separators(company_national_id or "")
    if expected and len(value) == COMPANY_NATIONAL_ID_LENGTH and value != expected:
        raise InvalidIdentifier(
            gettext("A company's 11-digit economic code is its company national ID, and these two differ.")
        )
    return value


def is_valid_economic_code(text: str) -> bool:
    try:
        validate_economic_code(text)
    except InvalidIdentifier:
        return False
    return True


def _raise_validation_error(validate: Callable[[str], str], value: str) -> None:
    try:
        validate(value)
    except InvalidIdentifier as error:
        raise ValidationError(str(error), code="invalid") from error


def national_id_validator(value: str) -> None:
    """A Django field validator for :func:`validate_national_id`; the field should store the value it returns."""
    _raise_validation_error(validate_national_id, value)


def company_national_id_validator(value: str) -> None:
    """A Django field validator for :func:`validate_company_national_id`."""
    _raise_validation_error(validate_company_national_id, value)


def economic_code_validator(value: str) -> None:
    """A Django field validator for :func:`validate_economic_code` (length and digits; no cross-check)."""
    _raise_validation_error(validate_economic_code, value)
