from __future__ import annotations

import dataclasses
import operator
import re

import phonenumbers
import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from peyvand.common.phones import (
    InvalidPhoneNumber,
    PhoneKind,
    PhoneNumber,
    caller_id_candidates,
    parse_phone,
    phone_search_digits,
)

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ASCII_DIGITS = str.maketrans("0123456789", "0123456789")
# LRM, RLM, ZWNJ, ZWJ, LRE/PDF, LRI/PDI, byte-order mark: what copying from a right-to-left page brings.
INVISIBLES = "\u200e\u200f\u200c\u200d\u202a\u202c\u2066\u2069\ufeff"

# Operator prefixes whose whole range of 10 million numbers the plan holds (0998 and 0999 are only
# partly allocated, so they are left to the example tests).
MOBILE_PREFIXES = [
    *("900", "901", "902", "903", "904", "905"),
    *(f"91{digit}" for digit in range(10)),
    *("920", "921", "922", "923"),
    *(f"93{digit}" for digit in range(10)),
    *("990", "991", "992", "993", "994", "996"),
]
# Two-digit area codes of the 31 provinces: 021 Tehran, 031 Isfahan, 051 Mashhad, 071 Shiraz…
AREA_CODES = [
    *("11", "13", "17", "21", "23", "24", "25", "26", "28", "31", "34", "35", "38", "41", "44", "45"),
    *("51", "54", "56", "58", "61", "66", "71", "74", "76", "77", "81", "83", "84", "86", "87"),
]
# How people write a mobile: {p} the operator prefix (912), {a} {b} the rest (123, 4567), {s} a separator.
MOBILE_WRITINGS = [
    "0{p}{s}{a}{s}{b}",
    "(0{p}){s}{a}{s}{b}",
    "{p}{s}{a}{s}{b}",
    "+98{s}{p}{s}{a}{s}{b}",
    "+98 (0){p}{s}{a}{s}{b}",
    "+98 ({p}) {a}{s}{b}",
    "(+98) {p}{s}{a}{s}{b}",
    "0098{s}{p}{s}{a}{s}{b}",
    "98{s}{p}{s}{a}{s}{b}",
]
SEPARATORS = ["", " ", "-", ".", "/", " - ", "\u00a0", "\u2009", "\u202f", "–"]

mobile_national_numbers = st.builds(
    operator.add, st.sampled_from(MOBILE_PREFIXES), st.text(alphabet="0123456789", min_size=7, max_size=7)
)
# A subscriber number never starts with 0 (the trunk prefix) or 1 (short service numbers: 110, 115…).
landline_national_numbers = st.builds(
    "{}{}{}".format,
    st.sampled_from(AREA_CODES),
    st.sampled_from("23456789"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)


@st.composite
def in_any_digits(draw: st.DrawFn, text: str) -> str:
    """``text`` with each digit in Latin, Persian or Arabic-Indic form and a few invisible marks."""
    scripts = draw(
        st.lists(st.sampled_from([ASCII_DIGITS, PERSIAN_DIGITS, ARABIC_DIGITS]), min_size=len(text), max_size=len(text))
    )
    text = "".join(character.translate(script) for character, script in zip(text, scripts, strict=True))
    marks = draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(INVISIBLES)), max_size=3))
    for position, mark in sorted(marks, reverse=True):
        text = text[:position] + mark + text[position:]
    padding = draw(st.sampled_from(["", " ", "\u200f", "\u200e ", "\t"]))
    return padding + text + padding


@st.composite
def written_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """(how a person typed it, its national number)."""
    national_number = draw(mobile_national_numbers)
    writing = draw(st.sampled_from(MOBILE_WRITINGS)).format(
        p=national_number[:3], a=national_number[3:6], b=national_number[6:], s=draw(st.sampled_from(SEPARATORS))
    )
    return draw(in_any_digits(writing)), national_number


def mobile(national_number: str, extension: str = "") -> PhoneNumber:
    return PhoneNumber(
        e164=f"+98{national_number}",
        region="IR",
        national_number=national_number,
        kind=PhoneKind.MOBILE,
        extension=extension,
    )


def landline(national_number: str, extension: str = "") -> PhoneNumber:
    return PhoneNumber(
        e164=f"+98{national_number}",
        region="IR",
        national_number=national_number,
        kind=PhoneKind.FIXED_LINE,
        extension=extension,
    )


# parse_phone: examples


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "0912 123 4567",
        "0912-123-4567",
        "0912.123.4567",
        "(0912) 123-4567",
        "9121234567",
        "912 123 4567",
        "+989121234567",
        "+98 912 123 4567",
        "+98-912-123-4567",
        "+98 (912) 123-4567",
        "+98 (0) 912 123 4567",
        "(+98) 912 123 4567",
        "0098 912 123 4567",
        "00989121234567",
        "989121234567",
        "98 912 123 4567",
        "۰۹۱۲ ۱۲۳ ۴۵۶۷",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢ ١٢٣ ٤٥٦٧",
        "۰۹۱۲-123-٤٥٦٧",
        "\u200f+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷\u200f",
        "\u202a0912\u00a0123\u2009۴۵۶۷\u202c",
        "۰۹۱۲\u200c۱۲۳\u200c۴۵۶۷",
        "\ufeff ۰۹۱۲ ۱۲۳ ۴۵۶۷\n",
        "０９１２ １２３ ４５６７",
    ],
)
def test_a_mobile_typed_in_any_usual_way(typed: str) -> None:
    assert parse_phone(typed) == mobile("9121234567")


@pytest.mark.parametrize(
    ("typed", "national_number"),
    [
        ("0935 123 4567", "9351234567"),
        ("۰۹۳۵-۱۲۳-۴۵۶۷", "9351234567"),
        ("0990 123 4567", "9901234567"),
        ("+98 990 123 4567", "9901234567"),
        ("0901 234 5678", "9012345678"),
        ("0998 123 4567", "9981234567"),
    ],
)
def test_mobiles_of_other_operators(typed: str, national_number: str) -> None:
    assert parse_phone(typed) == mobile(national_number)


@pytest.mark.parametrize(
    "typed",
    [
        "021 8877 6655",
        "02188776655",
        "021-88776655",
        "(021) 8877-6655",
        "2188776655",
        "+98 21 8877 6655",
        "+98 (0)21 8877 6655",
        "0098 21 8877 6655",
        "98 21 8877 6655",
        "۰۲۱ ۸۸۷۷ ۶۶۵۵",
        "٠٢١-٨٨٧٧-٦٦٥٥",
        "\u200f(۰۲۱) ۸۸۷۷ ۶۶۵۵\u200e",
    ],
)
def test_a_tehran_landline(typed: str) -> None:
    assert parse_phone(typed) == landline("2188776655")


def test_an_isfahan_landline() -> None:
    assert parse_phone("031 3234 5678") == landline("3132345678")
    assert parse_phone("۰۳۱-۳۲۳۴۵۶۷۸") == landline("3132345678")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0912 123 4567 ext. 12", mobile("9121234567", "12")),
        ("0912 123 4567 Ext 12", mobile("9121234567", "12")),
        ("0912-123-4567 x12", mobile("9121234567", "12")),
        ("0912 123 4567 #12", mobile("9121234567", "12")),
        ("+98 21 8877 6655;ext=123", landline("2188776655", "123")),
        ("021 8877 6655 داخلی ۱۲", landline("2188776655", "12")),
        ("۰۲۱ ۸۸۷۷ ۶۶۵۵ - داخلی ۱۲۳۴", landline("2188776655", "1234")),
        ("021 8877 6655 (داخلي: ١٢)", landline("2188776655", "12")),  # Arabic yeh and digits
        ("۰۲۱۸۸۷۷۶۶۵۵ داخلی۱۲", landline("2188776655", "12")),
    ],
)
def test_an_extension_is_kept_apart(typed: str, expected: PhoneNumber) -> None:
    assert parse_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "e164", "region", "national_number", "kind"),
    [
        ("+1 650 253 0000", "+16502530000", "US", "6502530000", PhoneKind.FIXED_LINE_OR_MOBILE),
        ("001 650 253 0000", "+16502530000", "US", "6502530000", PhoneKind.FIXED_LINE_OR_MOBILE),
        ("+44 (0)20 7946 0958", "+442079460958", "GB", "2079460958", PhoneKind.FIXED_LINE),
        ("+93 70 123 4567", "+93701234567", "AF", "701234567", PhoneKind.MOBILE),
        ("+39 02 3661 8300", "+390236618300", "IT", "0236618300", PhoneKind.FIXED_LINE),  # Italy keeps its 0
        ("+800 1234 5678", "+80012345678", "001", "12345678", PhoneKind.TOLL_FREE),  # of no country
    ],
)
def test_a_foreign_number_is_read_when_it_starts_with_plus_or_00(
    typed: str, e164: str, region: str, national_number: str, kind: PhoneKind
) -> None:
    assert parse_phone(typed) == PhoneNumber(e164=e164, region=region, national_number=national_number, kind=kind)


def test_without_plus_or_00_a_number_is_read_in_the_default_region() -> None:
    assert parse_phone("(650) 253-0000", default_region="US").e164 == "+16502530000"
    assert parse_phone("011 98 912 123 4567", default_region="US").e164 == "+989121234567"  # America dials 011 out
    with pytest.raises(InvalidPhoneNumber):
        parse_phone("(650) 253-0000")


def test_the_phone_number_forms() -> None:
    phone = parse_phone("۰۹۱۲ ۱۲۳ ۴۵۶۷")

    assert (phone.e164, phone.region, phone.national_number, phone.digits) == (
        "+989121234567",
        "IR",
        "9121234567",
        "989121234567",
    )
    assert phone.kind == "mobile"
    assert phone.extension == ""


def test_display_forms() -> None:
    tehran = parse_phone("02188776655")
    cellphone = parse_phone("09121234567")
    california = parse_phone("+16502530000")

    assert (cellphone.international, cellphone.national, cellphone.display()) == (
        "+98 912 123 4567",
        "0912 123 4567",
        "0912 123 4567",
    )
    assert (tehran.international, tehran.national) == ("+98 21 8877 6655", "021 8877 6655")
    assert (california.international, california.national) == ("+1 650-253-0000", "(650) 253-0000")
    assert california.display() == "+1 650-253-0000"
    assert california.display(home_region="US") == "(650) 253-0000"


def test_display_forms_with_an_extension() -> None:
    phone = parse_phone("021 8877 6655 داخلی ۱۲")

    with translation.override("en"):
        assert phone.international == "+98 21 8877 6655 ext. 12"
        assert phone.national == "021 8877 6655 ext. 12"


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("", "invalid", "This is not a valid phone number."),
        ("   \u200f", "invalid", "This is not a valid phone number."),
        ("abc", "invalid", "This is not a valid phone number."),
        ("شماره ندارم", "invalid", "This is not a valid phone number."),
        # phonenumbers alone would read letters from a keypad: 0912 222 4567.
        ("0912abc4567", "invalid", "This is not a valid phone number."),
        ("0912 123 4567 ext", "invalid", "This is not a valid phone number."),
        ("تلفن: ۰۹۱۲۱۲۳۴۵۶۷", "invalid", "This is not a valid phone number."),
        ("09121234567#", "invalid", "This is not a valid phone number."),
        ("0912*123*4567", "invalid", "This is not a valid phone number."),
        ("0941 123 4567", "invalid", "This is not a valid phone number."),  # no operator holds 0941
        ("0912 123 456", "invalid", "This is not a valid phone number."),  # 9 digits: see _invalid_number_code
        ("+999 123 4567", "invalid", "This is not a valid phone number."),  # no such country code
        ("12", "too_short", "This phone number is too short."),
        ("+98 912", "too_short", "This phone number is too short."),
        ("0098", "too_short", "This phone number is too short."),
        ("۰۹۱۲۱۲۳۴۵۶۷۸", "too_long", "This phone number is too long."),
        ("+98 912 123 4567 890", "too_long", "This phone number is too long."),
        ("9" * 300, "too_long", "This phone number is too long."),
        ("88776655", "needs_area_code", "This phone number needs its area code, such as 021 for Tehran."),
        ("۸۸۷۷ ۶۶۵۵", "needs_area_code", "This phone number needs its area code, such as 021 for Tehran."),
    ],
)
def test_what_is_not_a_phone_number(typed: str, code: str, message: str) -> None:
    with translation.override("en"), pytest.raises(InvalidPhoneNumber) as raised:
        parse_phone(typed)

    assert raised.value.code == code
    assert raised.value.message == message
    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)


# phone_search_digits: examples


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("۰۹۱۲ ۱۲۳ ۴۵۶۷", "9121234567"),
        ("+98 912 123 4567", "9121234567"),
        ("9121234567", "9121234567"),
        ("0098 912 123 4567", "9121234567"),
        ("989121234567", "9121234567"),
        ("+98 (0) 912 123 4567", "9121234567"),
        ("\u200f+۹۸-۹۱۲-۱۲۳-۴۵۶۷", "9121234567"),
        ("0912 123 4567 داخلی ۱۲", "9121234567"),
        ("021 8877 6655", "2188776655"),
        ("(۰۲۱) ۸۸۷۷-۶۶۵۵", "2188776655"),
        # The end of a number stays as typed.
        ("88776655", "88776655"),
        ("1234567", "1234567"),
        ("۱۲۳ ۴۵۶۷", "1234567"),
        ("4567", "4567"),
        ("0045", "0045"),
        ("001234567", "001234567"),
        ("98912", "98912"),
        # So does the start of one: it matches nothing as an end, and nothing is guessed.
        ("0912", "0912"),
        ("0912 123", "0912123"),
        # Foreign numbers: country code and national number, the end of PhoneNumber.digits.
        ("+1 650 253 0000", "16502530000"),
        ("001 650 253 0000", "16502530000"),
        ("+44 (0)20 7946 0958", "442079460958"),
        ("", ""),
        ("abc", ""),
    ],
)
def test_phone_search_digits(typed: str, key: str) -> None:
    assert phone_search_digits(typed) == key


@pytest.mark.parametrize("typed", ["+1 650 253 0000", "+44 (0)20 7946 0958", "+39 02 3661 8300", "0098 21 8877 6655"])
def test_a_whole_number_searched_for_is_the_end_of_its_digits(typed: str) -> None:
    assert parse_phone(typed).digits.endswith(phone_search_digits(typed))


# caller_id_candidates: examples


@pytest.mark.parametrize(
    ("caller_id", "area_code", "candidates"),
    [
        ("09121234567", None, ["9121234567"]),
        ("9121234567", None, ["9121234567"]),
        ("+989121234567", None, ["9121234567"]),
        ("989121234567", None, ["9121234567"]),
        ("00989121234567", None, ["9121234567"]),
        # An outside-line digit in front: 9, 0 or 00.
        ("909121234567", None, ["9121234567"]),
        ("99121234567", None, ["9121234567"]),
        ("009121234567", None, ["9121234567"]),
        ("0009121234567", None, ["9121234567"]),
        ("902188776655", None, ["2188776655"]),
        ("90098 21 8877 6655", None, ["2188776655"]),
        ("02188776655", None, ["2188776655"]),
        ("2188776655", None, ["2188776655"]),
        ("03132345678", "21", ["3132345678"]),  # the area code given is only for local numbers
        # A local number, completed with the PBX's own area code, never guessed without it.
        ("88776655", "21", ["2188776655"]),
        ("88776655", "021", ["2188776655"]),
        ("32345678", "31", ["3132345678"]),
        ("988776655", "21", ["2188776655"]),
        ("088776655", "21", ["2188776655"]),
        ("88776655", None, []),
        ("۸۸۷۷ ۶۶۵۵", "21", ["2188776655"]),
        # Foreign numbers give their own national number.
        ("+16502530000", None, ["6502530000"]),
        ("0016502530000", None, ["6502530000"]),
        ("900442079460958", None, ["2079460958"]),
        # Nothing valid.
        ("", None, []),
        ("anonymous", None, []),
        ("1234", "21", []),
        ("0941 123 4567", None, []),
    ],
)
def test_caller_id_candidates(caller_id: str, area_code: str | None, candidates: list[str]) -> None:
    assert caller_id_candidates(caller_id, area_code=area_code) == candidates


# Properties


@given(written_mobiles())
@example(("\u200f+۹۸ (۰) ۹۱۲ ۱۲۳ ۴۵۶۷\u200f", "9121234567"))
@example(("٠٠٩٨-٩٩٠-١٢٣-٤٥٦٧", "9901234567"))
def test_every_writing_of_a_mobile_is_the_same_number(written: tuple[str, str]) -> None:
    typed, national_number = written

    assert parse_phone(typed) == mobile(national_number)
    assert phone_search_digits(typed) == national_number
    assert caller_id_candidates(typed) == [national_number]


@given(
    st.one_of(mobile_national_numbers, landline_national_numbers).flatmap(
        lambda national_number: st.sampled_from(["0", "+98", "0098", ""]).map(lambda prefix: prefix + national_number)
    ),
    st.sampled_from(["", " ext. 7", " داخلی 123", " x4"]),
)
def test_parse_phone_reads_its_own_output_back(typed: str, extension: str) -> None:
    phone = parse_phone(typed + extension)

    with translation.override("en"):
        assert parse_phone(phone.international) == phone
        assert parse_phone(phone.national) == phone
    assert parse_phone(phone.e164) == dataclasses.replace(phone, extension="")
    assert parse_phone(parse_phone(phone.e164).e164) == parse_phone(phone.e164)


@given(landline_national_numbers.flatmap(lambda national_number: in_any_digits("0" + national_number)))
def test_landlines_typed_in_any_digits(typed: str) -> None:
    phone = parse_phone(typed)

    assert phone.kind == PhoneKind.FIXED_LINE
    assert phone.e164 == "+98" + phone.national_number
    assert phone_search_digits(typed) == phone.national_number


@given(st.one_of(mobile_national_numbers, landline_national_numbers), st.integers(1, 9), st.data())
def test_the_end_of_a_number_is_searched_as_typed(national_number: str, length: int, data: st.DataObject) -> None:
    end = national_number[-length:]
    phone = parse_phone("0" + national_number)

    key = phone_search_digits(data.draw(in_any_digits(end)))

    assert key == end
    assert phone.national_number.endswith(key)
    assert phone.digits.endswith(key)


@given(st.one_of(mobile_national_numbers, landline_national_numbers))
def test_national_number_is_the_end_of_digits(national_number: str) -> None:
    phone = parse_phone(national_number)

    assert phone.digits == phone.e164.removeprefix("+")
    assert phone.digits.endswith(phone.national_number)
    assert phone.national_number == national_number


@given(landline_national_numbers)
def test_a_local_number_is_completed_with_the_pbx_area_code(national_number: str) -> None:
    area_code, local_number = national_number[:2], national_number[2:]

    assert caller_id_candidates(local_number, area_code=area_code) == [national_number]
    assert caller_id_candidates("9" + local_number, area_code=area_code) == [national_number]
    assert caller_id_candidates("0" + national_number, area_code=area_code) == [national_number]


typed_anything = st.one_of(
    st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩ +-()#.xextداخلی\u200f\u200c", max_size=30),
    st.text(max_size=30),
)


@given(typed_anything)
@example("+")
@example("00")
@example("(")
@example("ext 12")
def test_any_text_is_a_phone_number_or_invalid(typed: str) -> None:
    outcome: PhoneNumber | InvalidPhoneNumber
    try:
        outcome = parse_phone(typed)
    except InvalidPhoneNumber as error:
        outcome = error

    if isinstance(outcome, InvalidPhoneNumber):
        assert outcome.code in ("invalid", "too_short", "too_long", "needs_area_code")
    else:
        assert phonenumbers.is_valid_number(phonenumbers.parse(outcome.e164))
        assert outcome.digits.endswith(outcome.national_number)


@given(typed_anything, st.sampled_from([None, "21", "31"]))
def test_search_and_caller_id_give_ascii_digits_for_any_text(typed: str, area_code: str | None) -> None:
    key = phone_search_digits(typed)
    candidates = caller_id_candidates(typed, area_code=area_code)

    assert re.fullmatch("[0-9]*", key), key
    assert len(candidates) == len(set(candidates))
    for candidate in candidates:
        assert re.fullmatch("[0-9]+", candidate), candidate
