"""Phone numbers: read as people type them, kept in E.164, found again by their last digits.

Validation and formatting come from ``phonenumbers`` (Google's libphonenumber); this module only
cleans what people and telephone exchanges send before handing it over, and decides how a search box
and a caller ID are compared with stored numbers. Iran (``IR``) is the home region.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType, ValidationResult

from peyvand.common.text import ZWNJ, normalize_text

DEFAULT_REGION = "IR"
IRAN_COUNTRY_CODE = "98"
IRAN_NATIONAL_NUMBER_LENGTH = 10  # every Iranian landline and mobile: area code or operator prefix + subscriber
# Outside-line digits some PBXs put in front of the caller ID; see caller_id_candidates.
_OUTSIDE_LINE_PREFIXES = ("", "9", "0", "00")

# Written after the number: "ext. 12", "x12", "#12", ";ext=12" (RFC 3966), "داخلی ۱۲", "(داخلی: ۱۲)".
_EXTENSION = re.compile(
    r"(?:(?<![^\W\d_])(?:extension|extn|ext|x)\.?|#|داخلی)\s*[:.=]?\s*(?P<extension>[0-9]{1,10})\s*\)?$",
    re.IGNORECASE,
)
_EXTENSION_SEPARATORS = " ,;(-–—"
# What may remain once the extension is gone. Anything else, letters above all, is refused here:
# phonenumbers would read letters as a keypad spells them (0912abc4567 -> 0912 222 4567).
_NUMBER_TEXT = re.compile(r"[(\[]?\+?[0-9\s().\-/\[\]‐‑‒–—―−]+")
_PLUS_FIRST = re.compile(r"[\s(\[]*\+")
# Not \d: in a str pattern \d also matches the digits of other scripts.
_ASCII_DIGITS = re.compile("[0-9]+")

PhoneErrorCode = Literal["invalid", "too_short", "too_long", "needs_area_code"]


class PhoneKind(models.TextChoices):
    """The kind of line, as phonenumbers tells it from the numbering plan."""

    MOBILE = "mobile", gettext_lazy("Mobile")
    FIXED_LINE = "fixed_line", gettext_lazy("Landline")
    FIXED_LINE_OR_MOBILE = "fixed_line_or_mobile", gettext_lazy("Landline or mobile")
    VOIP = "voip", gettext_lazy("VoIP")
    TOLL_FREE = "toll_free", gettext_lazy("Toll-free")
    PREMIUM_RATE = "premium_rate", gettext_lazy("Premium rate")
    SHARED_COST = "shared_cost", gettext_lazy("Shared cost")
    PERSONAL_NUMBER = "personal_number", gettext_lazy("Personal number")
    PAGER = "pager", gettext_lazy("Pager")
    UAN = "uan", gettext_lazy("Universal access number")
    VOICEMAIL = "voicemail", gettext_lazy("Voicemail")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


_KINDS = {
    PhoneNumberType.MOBILE: PhoneKind.MOBILE,
    PhoneNumberType.FIXED_LINE: PhoneKind.FIXED_LINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: PhoneKind.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.VOIP: PhoneKind.VOIP,
    PhoneNumberType.TOLL_FREE: PhoneKind.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE: PhoneKind.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST: PhoneKind.SHARED_COST,
    PhoneNumberType.PERSONAL_NUMBER: PhoneKind.PERSONAL_NUMBER,
    PhoneNumberType.PAGER: PhoneKind.PAGER,
    PhoneNumberType.UAN: PhoneKind.UAN,
    PhoneNumberType.VOICEMAIL: PhoneKind.VOICEMAIL,
}


class InvalidPhoneNumber(ValueError):  # noqa: N818 - the agreed public name
    """What :func:`parse_phone` could not read; ``message`` is for the person, ``code`` for the program."""

    def __init__(self, code: PhoneErrorCode) -> None:
        messages: dict[PhoneErrorCode, str] = {
            "invalid": _("This is not a valid phone number."),
            "too_short": _("This phone number is too short."),
            "too_long": _("This phone number is too long."),
            "needs_area_code": _("This phone number needs its area code, such as 021 for Tehran."),
        }
        self.code = code
        self.message = messages[code]
        super().__init__(self.message)


@dataclass(frozen=True)
class PhoneNumber:
    """A valid phone number in the forms Peyvand stores.

    ``digits`` (the E.164 number without "+") ends with ``national_number``; a search key from
    :func:`phone_search_digits` is compared with the end of ``digits``.
    """

    e164: str  # "+989121234567"
    region: str  # "IR"; "001" for numbers of no country (+800, +882…)
    national_number: str  # "9121234567": digits only, without the trunk 0
    kind: PhoneKind
    extension: str = ""  # digits, "" when none
    digits: str = field(init=False)  # "989121234567"

    def __post_init__(self) -> None:
        digits = self.e164.removeprefix("+")
        assert self.e164.startswith("+"), self.e164
        assert _ASCII_DIGITS.fullmatch(digits), self.e164
        assert _ASCII_DIGITS.fullmatch(self.national_number), self.national_number
        assert digits.endswith(self.national_number), (self.e164, self.national_number)
        assert self.extension == "" or _ASCII_DIGITS.fullmatch(self.extension), self.extension
        object.__setattr__(self, "digits", digits)

    @property
    def international(self) -> str:
        """International form, "+98 912 123 4567", with the extension if there is one."""
        return self._formatted(PhoneNumberFormat.INTERNATIONAL)

    @property
    def national(self) -> str:
        """National form, "0912 123 4567": as dialled from inside its own country."""
        return self._formatted(PhoneNumberFormat.NATIONAL)

    def display(self, *, home_region: str = DEFAULT_REGION) -> str:
        """National form for numbers of the home region, international form for the others."""
        return self.national if self.region == home_region else self.international

    def _formatted(self, number_format: int) -> str:
        text = phonenumbers.format_number(phonenumbers.parse(self.e164), number_format)
        if not self.extension:
            return text
        # Translators: a phone number and its extension; parse_phone also reads "داخلی" back.
        return _("%(number)s ext. %(extension)s") % {"number": text, "extension": self.extension}


def parse_phone(text: str, *, default_region: str = DEFAULT_REGION) -> PhoneNumber:
    """Read a phone number typed in any usual way, or raise :class:`InvalidPhoneNumber`.

    Persian and Arabic-Indic digits, direction marks, ZWNJ and odd spaces are cleaned away first.
    Without "+" or "00" the number is read as dialled in ``default_region``; in Iran 0912…, 912…,
    98912… and 0098912… are all the same mobile. An extension is kept in ``extension``.
    """
    assert default_region in phonenumbers.SUPPORTED_REGIONS, default_region
    number_text, extension = _split_extension(_clean(text))
    if not _NUMBER_TEXT.fullmatch(number_text):
        raise InvalidPhoneNumber("invalid")
    try:
        number = phonenumbers.parse(number_text, default_region)
    except NumberParseException as error:
        raise InvalidPhoneNumber(_parse_error_code(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(_invalid_number_code(number))
    region = phonenumbers.region_code_for_number(number)
    assert region is not None, number  # a valid number always has one
    return PhoneNumber(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        region=region,
        national_number=phonenumbers.national_significant_number(number),
        kind=_KINDS.get(phonenumbers.number_type(number), PhoneKind.UNKNOWN),
        extension=extension,
    )


def phone_search_digits(text: str) -> str:
    """The digits a search box compares with the end of :attr:`PhoneNumber.digits`.

    ASCII digits only, extension left out. A whole Iranian number becomes its national number:
    "+98 912 123 4567", "0098 912 123 4567", "989121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷" and "9121234567" all give
    "9121234567". A leading "+98" or "0098" is always the country code; a bare "98" only when ten
    digits follow, and a leading 0 is the trunk prefix only when ten digits follow, because nothing
    shorter is a whole Iranian number: "1234567" or "0045" are the last digits of a number and stay
    as typed. A foreign number written with "+" or "00" becomes country code + national number,
    the end of its ``digits``.
    """
    number_text, _extension = _split_extension(_clean(text))
    digits = _ascii_digits(number_text)
    if _PLUS_FIRST.match(number_text):
        international: str | None = digits
    elif digits.startswith("00") and len(digits) >= IRAN_NATIONAL_NUMBER_LENGTH:
        # A shorter string starting with 00 may be the end of a number (…1200 45).
        international = digits[2:]
    else:
        international = None
    if international is not None and not international.startswith(IRAN_COUNTRY_CODE):
        return _foreign_digits(international)
    if international is not None:
        national = international.removeprefix(IRAN_COUNTRY_CODE)
    elif len(digits) == len(IRAN_COUNTRY_CODE) + IRAN_NATIONAL_NUMBER_LENGTH and digits.startswith(IRAN_COUNTRY_CODE):
        national = digits.removeprefix(IRAN_COUNTRY_CODE)
    else:
        national = digits
    if len(national) == 1 + IRAN_NATIONAL_NUMBER_LENGTH and national.startswith("0"):
        return national[1:]
    return national


def caller_id_candidates(text: str, *, area_code: str | None = None) -> list[str]:
    """The national numbers a caller ID may stand for, most specific first, each a valid number.

    Compare them for equality with :attr:`PhoneNumber.national_number`. The rule: a leading "+" is
    read as "00"; the digits are read as sent, then without an outside-line prefix "9", "0" or "00"
    that some PBXs put in front. Each reading is one of
    - 00 + country code + number: that number, of any country (its national number is returned);
    - 0 + ten digits, 98 + ten digits, or ten digits: an Iranian national number;
    - a local number (eight digits in Iran) when ``area_code`` is given (the PBX's own, "21" or
      "021" in Tehran): area code + local number, as the exchange completes it. Without
      ``area_code`` a local number is not guessed at.
    Readings phonenumbers finds invalid are dropped, and so are repeats. So "88776655" with
    ``area_code="21"`` gives ["2188776655"], and "09121234567", "+989121234567", "909121234567"
    give ["9121234567"].
    """
    own_area_code = None if area_code is None else area_code.lstrip("0")
    assert own_area_code is None or (own_area_code.isascii() and own_area_code.isdigit()), area_code
    number_text, _extension = _split_extension(_clean(text))
    digits = _ascii_digits(number_text)
    if _PLUS_FIRST.match(number_text):
        digits = "00" + digits
    candidates: list[str] = []
    for prefix in _OUTSIDE_LINE_PREFIXES:
        if digits.startswith(prefix):
            for national_number in _caller_id_readings(digits.removeprefix(prefix), own_area_code):
                if national_number not in candidates:
                    candidates.append(national_number)
    return candidates


def _caller_id_readings(digits: str, area_code: str | None) -> Iterator[str]:
    if digits.startswith("00"):
        number = _valid_number("+" + digits[2:])
        if number is not None:
            yield phonenumbers.national_significant_number(number)
        return
    if len(digits) == 1 + IRAN_NATIONAL_NUMBER_LENGTH and digits.startswith("0"):
        national = digits[1:]
    elif len(digits) == len(IRAN_COUNTRY_CODE) + IRAN_NATIONAL_NUMBER_LENGTH and digits.startswith(IRAN_COUNTRY_CODE):
        national = digits.removeprefix(IRAN_COUNTRY_CODE)
    elif len(digits) == IRAN_NATIONAL_NUMBER_LENGTH:
        national = digits
    elif area_code and digits and len(area_code) + len(digits) == IRAN_NATIONAL_NUMBER_LENGTH:
        national = area_code + digits
    else:
        return
    number = _valid_number(f"+{IRAN_COUNTRY_CODE}{national}")
    # phonenumbers may reread what it is given (drop a 0, say); only the reading made here counts.
    if number is not None and phonenumbers.national_significant_number(number) == national:
        yield national


def _valid_number(international_text: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(international_text)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _foreign_digits(international: str) -> str:
    """Country code + national number; phonenumbers drops a written trunk 0 (+44 (0)20 …)."""
    try:
        number = phonenumbers.parse("+" + international)
    except NumberParseException:
        return international
    if not phonenumbers.is_possible_number(number):
        return international
    return f"{number.country_code}{phonenumbers.national_significant_number(number)}"


def _clean(text: str) -> str:
    """ASCII digits, no direction marks, ZWNJ or odd spaces; fullwidth forms folded (NFKC)."""
    text = normalize_text(unicodedata.normalize("NFKC", text)).replace(ZWNJ, "")
    return "".join(str(unicodedata.decimal(character)) if character.isdecimal() else character for character in text)


def _split_extension(text: str) -> tuple[str, str]:
    match = _EXTENSION.search(text)
    if match is None:
        return text, ""
    return text[: match.start()].rstrip(_EXTENSION_SEPARATORS), match["extension"]


def _ascii_digits(text: str) -> str:
    return "".join(character for character in text if "0" <= character <= "9")


def _parse_error_code(error: NumberParseException) -> PhoneErrorCode:
    if error.error_type in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
        return "too_short"
    if error.error_type == NumberParseException.TOO_LONG:
        return "too_long"
    return "invalid"


def _invalid_number_code(number: phonenumbers.PhoneNumber) -> PhoneErrorCode:
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.TOO_SHORT:
        return "too_short"
    if reason == ValidationResult.TOO_LONG:
        return "too_long"
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return "needs_area_code"
    # The length is possible (or between two possible ones) but no range of the plan holds it.
    return "invalid"
