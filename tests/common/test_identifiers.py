from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from peyvand.common.identifiers import (
    InvalidIdentifier,
    company_national_id_check_digit,
    company_national_id_validator,
    economic_code_validator,
    is_valid_company_national_id,
    is_valid_economic_code,
    is_valid_national_id,
    national_id_check_digit,
    national_id_validator,
    normalize_identifier,
    validate_company_national_id,
    validate_economic_code,
    validate_national_id,
)
from peyvand.common.text import to_persian_digits

NATIONAL_ID_LENGTH_MESSAGE = "A national ID has 10 digits."
NATIONAL_ID_SAME_DIGIT_MESSAGE = "A national ID is never the same digit ten times."
NATIONAL_ID_CHECK_MESSAGE = "This national ID's check digit does not match: please check it."
COMPANY_ID_LENGTH_MESSAGE = "A company national ID has 11 digits."
COMPANY_ID_SAME_DIGIT_MESSAGE = "A company national ID is never the same digit eleven times."
COMPANY_ID_CHECK_MESSAGE = "This company national ID's check digit does not match: please check it."
ECONOMIC_CODE_LENGTH_MESSAGE = "An economic code has 11, 12 or 14 digits."
ECONOMIC_CODE_MISMATCH_MESSAGE = "A company's 11-digit economic code is its company national ID, and these two differ."

# Company national IDs that organisations print on their own pages, and the example in the
# documentation of the persian-tools library.
PUBLISHED_COMPANY_NATIONAL_IDS = ["10260014510", "10460108920", "10380284790"]

NATIONAL_ID_SEPARATORS = [" ", "-", "\u2013", "\u2212", ".", "\u00a0", "\u200c", "\u200e", "\u200f", "\u2067", "\u2069"]

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda digits: len(set(digits)) > 1)
ten_digits = st.text(alphabet="0123456789", min_size=10, max_size=10).filter(lambda digits: len(set(digits)) > 1)


def reference_national_id_check_digit(first_nine_digits: str) -> int:
    """The rule stated the other way round: the weighted sum plus the check digit is a multiple of 11,
    except that a sum leaving 1 takes 1, because 10 is not a digit."""
    weighted = sum(int(digit) * weight for digit, weight in zip(first_nine_digits, range(10, 1, -1), strict=True))
    if weighted % 11 == 1:
        return 1
    return next(check for check in range(10) if (weighted + check) % 11 == 0)


def national_id_remainder(national_id: str) -> int:
    return sum(int(digit) * weight for digit, weight in zip(national_id[:9], range(10, 1, -1), strict=True)) % 11


def company_id_remainder(company_national_id: str) -> int:
    """Each of the first ten digits plus (tenth digit + 2), weighted 29 27 23 19 17 twice, modulo 11; expanded:
    the weighted digits plus (tenth digit + 2) times the sum of the weights, 230."""
    weights = (29, 27, 23, 19, 17) * 2
    digits = [int(digit) for digit in company_national_id[:10]]
    weighted_digits = sum(digit * weight for digit, weight in zip(digits, weights, strict=True))
    return (weighted_digits + (digits[9] + 2) * 230) % 11


def one_digit_changes(code: str, positions: range) -> list[str]:
    return [
        code[:index] + digit + code[index + 1 :]
        for index in positions
        for digit in "0123456789"
        if digit != code[index]
    ]


# normalize_identifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0012345679", "0012345679"),
        ("۰۰۱۲۳۴۵۶۷۹", "0012345679"),  # Persian digits
        ("٠٠١٢٣٤٥٦٧٩", "0012345679"),  # Arabic-Indic digits
        ("001-234567-9", "0012345679"),
        (" 001 234 567 9 ", "0012345679"),
        ("001.234.567.9", "0012345679"),
        ("۰۰۱–۲۳۴۵۶۷–۹", "0012345679"),  # en dashes, as word processors turn hyphens
        ("\u200f۰۰۱\u200c۲۳۴۵۶۷\u200e۹\u00a0", "0012345679"),  # direction marks, ZWNJ, no-break space
        ("12345679", "0012345679"),  # 8 digits: two leading zeros were dropped
        ("۱۲۳۴۵۶۷۹", "0012345679"),
        ("123456789", "0123456789"),  # 9 digits: one leading zero was dropped
        ("1234567", "1234567"),  # 7 digits: no office code starts with three zeros
        ("10260014510", "10260014510"),
        ("12a45678", "12a45678"),  # not digits: left for validation to reject
        ("", ""),
    ],
)
def test_normalize_identifier(text: str, expected: str) -> None:
    assert normalize_identifier(text) == expected


# The personal national ID


def test_the_check_digit_worked_by_hand() -> None:
    # 0·10 + 0·9 + 1·8 + 2·7 + 3·6 + 4·5 + 5·4 + 6·3 + 7·2 = 112 = 10·11 + 2, and 11 - 2 = 9.
    assert national_id_check_digit("001234567") == 9
    assert validate_national_id("0012345679") == "0012345679"


@pytest.mark.parametrize(
    ("national_id", "remainder"),
    [
        ("0012345679", 2),
        ("0123456789", 2),
        ("4567890124", 7),
        ("2740135912", 9),
        ("3456789130", 0),  # a remainder of 0 is the check digit itself
        ("3456789051", 1),  # so is a remainder of 1
        ("1234567891", 1),
        ("0001234560", 0),
    ],
)
def test_valid_national_ids(national_id: str, remainder: int) -> None:
    assert national_id_remainder(national_id) == remainder
    assert validate_national_id(national_id) == national_id
    assert is_valid_national_id(national_id) is True


@pytest.mark.parametrize("national_id", ["0012345678", "0012345670", "3456789131", "3456789050", "1234567890"])
def test_a_wrong_check_digit_is_named(national_id: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        validate_national_id(national_id)
    assert str(raised.value) == NATIONAL_ID_CHECK_MESSAGE
    assert is_valid_national_id(national_id) is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1234567",  # 7 digits
        "00123456790",  # 11 digits
        "001234567a",
        "001234567/9",
        "००१२३४५६७९",  # Devanagari digits are digits to str.isdigit, not to us
        "0012345679\u00b9",  # a superscript one
    ],
)
def test_a_national_id_that_is_not_ten_digits_is_named(text: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        validate_national_id(text)
    assert str(raised.value) == NATIONAL_ID_LENGTH_MESSAGE
    assert is_valid_national_id(text) is False


@pytest.mark.parametrize("digit", "0123456789")
def test_ten_times_the_same_digit_is_rejected_though_its_check_digit_matches(digit: str) -> None:
    national_id = digit * 10
    assert national_id_check_digit(national_id[:9]) == int(digit)
    with pytest.raises(InvalidIdentifier) as raised:
        validate_national_id(national_id)
    assert str(raised.value) == NATIONAL_ID_SAME_DIGIT_MESSAGE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۰۰۱-۲۳۴۵۶۷-۹", "0012345679"),
        ("  ٠١٢٣.٤٥٦.٧٨٩ ", "0123456789"),
        ("12345679", "0012345679"),
        ("123456789", "0123456789"),
        ("۱۲۳۴۵۶۷۹", "0012345679"),
    ],
)
def test_national_ids_as_people_type_them(text: str, expected: str) -> None:
    assert validate_national_id(text) == expected


def test_an_unpadded_national_id_is_checked_after_padding() -> None:
    # 12345678 would be 0012345678, whose check digit should be 9.
    with pytest.raises(InvalidIdentifier) as raised:
        validate_national_id("12345678")
    assert str(raised.value) == NATIONAL_ID_CHECK_MESSAGE


@given(nine_digits)
def test_every_prefix_completed_with_its_check_digit_validates(first_nine_digits: str) -> None:
    check_digit = national_id_check_digit(first_nine_digits)
    assert check_digit == reference_national_id_check_digit(first_nine_digits)
    national_id = f"{first_nine_digits}{check_digit}"
    assert validate_national_id(national_id) == national_id
    assert (
        validate_national_id(to_persian_digits(f"{national_id[:3]}-{national_id[3:9]}-{national_id[9]}")) == national_id
    )


@given(nine_digits, st.lists(st.sampled_from(NATIONAL_ID_SEPARATORS), min_size=10, max_size=10))
def test_separators_anywhere_do_not_matter(first_nine_digits: str, separators: list[str]) -> None:
    national_id = f"{first_nine_digits}{national_id_check_digit(first_nine_digits)}"
    typed = "".join(separator + digit for separator, digit in zip(separators, national_id, strict=True))
    assert validate_national_id(typed) == national_id
    assert normalize_identifier(normalize_identifier(typed)) == normalize_identifier(typed)


@given(nine_digits)
def test_changing_the_check_digit_is_always_detected(first_nine_digits: str) -> None:
    national_id = f"{first_nine_digits}{national_id_check_digit(first_nine_digits)}"
    for changed in one_digit_changes(national_id, range(9, 10)):
        assert is_valid_national_id(changed) is False, changed


@given(nine_digits)
def test_changing_one_of_the_first_nine_digits_is_detected_unless_the_remainder_moves_between_1_and_10(
    first_nine_digits: str,
) -> None:
    # Remainders 1 and 10 both call for check digit 1, so a change that moves the weighted sum from one
    # to the other goes unseen; every other single-digit change alters the check digit required.
    national_id = f"{first_nine_digits}{national_id_check_digit(first_nine_digits)}"
    for changed in one_digit_changes(national_id, range(9)):
        undetectable = {national_id_remainder(national_id), national_id_remainder(changed)} == {1, 10}
        assert is_valid_national_id(changed) is (undetectable and len(set(changed)) > 1), changed


def test_a_single_digit_error_the_check_digit_cannot_see() -> None:
    # 3456789051 leaves remainder 1; writing 4 for the ninth digit 5 takes 2 off the sum: remainder 10.
    assert national_id_remainder("3456789051") == 1
    assert national_id_remainder("3456789041") == 10
    assert validate_national_id("3456789041") == "3456789041"


# The company national ID


def test_the_company_check_digit_worked_by_hand() -> None:
    # 1038028479: the tenth digit 9 plus 2 is 11, added to each digit: 12 11 14 19 11 13 19 15 18 20;
    # weighted 29 27 23 19 17 29 27 23 19 17: 348 + 297 + 322 + 361 + 187 + 377 + 513 + 345 + 342 + 340
    # = 3432 = 312·11, remainder 0.
    assert company_national_id_check_digit("1038028479") == 0
    assert validate_company_national_id("10380284790") == "10380284790"


@pytest.mark.parametrize("company_national_id", PUBLISHED_COMPANY_NATIONAL_IDS)
def test_published_company_national_ids_validate(company_national_id: str) -> None:
    assert validate_company_national_id(company_national_id) == company_national_id
    assert is_valid_company_national_id(company_national_id) is True


def test_a_company_remainder_of_10_is_written_0() -> None:
    assert company_id_remainder("10260014510") == 10
    assert company_national_id_check_digit("1026001451") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("۱۰۲۶۰۰۱۴۵۱۰", "10260014510"), ("1026-001-4510", "10260014510"), ("\u200f١٠٢٦٠٠١٤٥١٠ ", "10260014510")],
)
def test_company_national_ids_as_people_type_them(text: str, expected: str) -> None:
    assert validate_company_national_id(text) == expected


@pytest.mark.parametrize("company_national_id", ["10260014511", "10380284792", "10380285692", "10460108902"])
def test_a_wrong_company_check_digit_is_named(company_national_id: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        validate_company_national_id(company_national_id)
    assert str(raised.value) == COMPANY_ID_CHECK_MESSAGE
    assert is_valid_company_national_id(company_national_id) is False


@pytest.mark.parametrize("text", ["", "1026001451", "102600145100", "1026001451O", "0012345679", "123456789"])
def test_a_company_national_id_that_is_not_eleven_digits_is_named(text: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        validate_company_national_id(text)
    assert str(raised.value) == COMPANY_ID_LENGTH_MESSAGE


def test_eleven_threes_is_rejected_though_its_check_digit_matches() -> None:
    assert company_national_id_check_digit("3333333333") == 3
    for digit in "0123456789":
        with pytest.raises(InvalidIdentifier) as raised:
            validate_company_national_id(digit * 11)
        assert str(raised.value) == COMPANY_ID_SAME_DIGIT_MESSAGE


@given(ten_digits)
def test_every_company_prefix_completed_with_its_check_digit_validates(first_ten_digits: str) -> None:
    check_digit = company_national_id_check_digit(first_ten_digits)
    assert check_digit == company_id_remainder(first_ten_digits) % 10
    company_national_id = f"{first_ten_digits}{check_digit}"
    assert validate_company_national_id(to_persian_digits(company_national_id)) == company_national_id


@given(ten_digits)
def test_changing_the_company_check_digit_is_always_detected(first_ten_digits: str) -> None:
    company_national_id = f"{first_ten_digits}{company_national_id_check_digit(first_ten_digits)}"
    for changed in one_digit_changes(company_national_id, range(10, 11)):
        assert is_valid_company_national_id(changed) is False, changed


@given(ten_digits)
def test_changing_one_of_the_first_ten_digits_is_detected_unless_the_remainder_moves_between_0_and_10(
    first_ten_digits: str,
) -> None:
    # Remainders 0 and 10 are both written 0. Every weight and 230 (the tenth digit's weight through the
    # offset it adds to every digit, 17 + 230 = 247 ≡ 5) is prime to 11, so any other change is seen.
    company_national_id = f"{first_ten_digits}{company_national_id_check_digit(first_ten_digits)}"
    for changed in one_digit_changes(company_national_id, range(10)):
        undetectable = {company_id_remainder(company_national_id), company_id_remainder(changed)} == {0, 10}
        assert is_valid_company_national_id(changed) is (undetectable and len(set(changed)) > 1), changed


def test_a_single_digit_company_error_the_check_digit_cannot_see() -> None:
    assert company_id_remainder("10100000010") == 0
    assert company_id_remainder("40100000010") == 10
    assert validate_company_national_id("40100000010") == "40100000010"


# The economic code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("411175119134", "411175119134"),  # the older 12-digit scheme
        ("4111-7511-9134", "411175119134"),
        ("10260014510", "10260014510"),  # a legal entity: its company national ID
        ("00123456790001", "00123456790001"),  # a person: national ID and 0001
        ("۰۰۱۲۳۴۵۶۷۹۰۰۰۱", "00123456790001"),
    ],
)
def test_valid_economic_codes(text: str, expected: str) -> None:
    assert validate_economic_code(text) == expected
    assert is_valid_economic_code(text) is True


@pytest.mark.parametrize("text", ["", "0012345679", "4111751191340", "001234567900012", "41117511913A", "12345678"])
def test_an_economic_code_of_another_length_is_named(text: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        validate_economic_code(text)
    assert str(raised.value) == ECONOMIC_CODE_LENGTH_MESSAGE
    assert is_valid_economic_code(text) is False


def test_an_eleven_digit_economic_code_is_the_company_national_id() -> None:
    assert validate_economic_code("10260014510", company_national_id="۱۰۲۶۰۰۱۴۵۱۰") == "10260014510"
    with pytest.raises(InvalidIdentifier) as raised:
        validate_economic_code("10460108920", company_national_id="10260014510")
    assert str(raised.value) == ECONOMIC_CODE_MISMATCH_MESSAGE


@pytest.mark.parametrize("company_national_id", ["", None])
def test_an_unknown_company_national_id_is_not_compared(company_national_id: str | None) -> None:
    assert validate_economic_code("10460108920", company_national_id=company_national_id) == "10460108920"


def test_an_older_twelve_digit_economic_code_is_not_compared_with_the_company_national_id() -> None:
    assert validate_economic_code("411175119134", company_national_id="10260014510") == "411175119134"


# Django validators


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (national_id_validator, "0012345678", NATIONAL_ID_CHECK_MESSAGE),
        (national_id_validator, "12345", NATIONAL_ID_LENGTH_MESSAGE),
        (national_id_validator, "5555555555", NATIONAL_ID_SAME_DIGIT_MESSAGE),
        (company_national_id_validator, "10260014511", COMPANY_ID_CHECK_MESSAGE),
        (company_national_id_validator, "1026001451", COMPANY_ID_LENGTH_MESSAGE),
        (economic_code_validator, "4111751191", ECONOMIC_CODE_LENGTH_MESSAGE),
    ],
)
def test_django_validators_raise_validation_error(validator: Callable[[str], None], value: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    assert raised.value.code == "invalid"
    assert raised.value.messages == [message]


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (national_id_validator, "۰۰۱-۲۳۴۵۶۷-۹"),
        (company_national_id_validator, "10260014510"),
        (economic_code_validator, "411175119134"),
    ],
)
def test_django_validators_accept_valid_values(validator: Callable[[str], None], value: str) -> None:
    validator(value)  # raises nothing
