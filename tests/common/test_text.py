from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from peyvand.common.text import ZWNJ, compact_key, normalize_text, search_key, to_ascii_digits, to_persian_digits

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآءأإؤئۀة"
ARABIC_VARIANTS = "يكى"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0670"
INVISIBLES = "\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c\u00ad\u2060"
SPACES = " \t\n\u00a0\u2009\u3000"
TATWEEL = "\u0640"

# What people paste into a CRM: Persian and Arabic letters, every kind of digit, marks, invisible
# characters, spaces and Latin letters; plus any Unicode text at all.
persian_like_text = st.text(
    alphabet=st.sampled_from(
        "".join(
            [
                *(PERSIAN_LETTERS, ARABIC_VARIANTS, PERSIAN_DIGITS, ARABIC_DIGITS, "0123456789", DIACRITICS),
                *(INVISIBLES, SPACES, TATWEEL, ZWNJ, "AbCdeFXyzİßé.-_@+()/"),
            ]
        )
    ),
    max_size=40,
)
any_text = st.one_of(persian_like_text, st.text(max_size=40))

ARABIC_MARKS = [
    chr(code)
    for low, high in ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
    for code in range(low, high + 1)
    if unicodedata.category(chr(code)) == "Mn"
]


def assert_clean(text: str) -> None:
    for character in text:
        assert character not in ARABIC_VARIANTS, text
        assert character != TATWEEL, text
        assert character not in ARABIC_MARKS, text
        assert character not in PERSIAN_DIGITS + ARABIC_DIGITS, text
        assert unicodedata.category(character) not in ("Cf", "Cc") or character == ZWNJ, text
    assert text == text.strip(), text
    assert "  " not in text, text
    assert all(character == " " or not character.isspace() for character in text), text


@given(any_text)
@example("علي \u200c كريمي")
@example("e\u0654\u0301")
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)

    assert normalize_text(once) == once


@given(any_text)
def test_normalize_text_output_is_clean(text: str) -> None:
    result = normalize_text(text)

    assert_clean(result)
    for position, character in enumerate(result):
        if character == ZWNJ:  # kept only between two letters
            assert 0 < position < len(result) - 1, result
            assert result[position - 1].isalpha(), result
            assert result[position + 1].isalpha(), result


@given(any_text)
@example("İstanbul")
@example("ǰ")
@example("ﷲ")
def test_search_key_is_idempotent(text: str) -> None:
    once = search_key(text)

    assert search_key(once) == once


@given(any_text)
def test_search_key_output_is_clean_folded_and_without_zwnj(text: str) -> None:
    result = search_key(text)

    assert_clean(result)
    assert ZWNJ not in result
    assert result == result.casefold()
    assert all(character.isalnum() or character == " " for character in result), result


def arabic_spelling(text: str) -> str:
    return text.replace("ی", "ي").replace("ک", "ك")


@given(
    words=st.lists(
        st.text(alphabet=PERSIAN_LETTERS + "0123456789ABCxyz", min_size=1, max_size=8), min_size=1, max_size=5
    ),
    separators=st.data(),
)
def test_search_key_ignores_how_the_same_text_was_typed(words: list[str], separators: st.DataObject) -> None:
    plain = " ".join(words)
    typed = ""
    for index, word in enumerate(words):
        if index:
            typed += separators.draw(st.sampled_from([" ", "  ", ZWNJ, " \u200c ", "\t", "\u00a0"]))
        typed += word
    typed = to_persian_digits(arabic_spelling(typed)).swapcase()
    padding = separators.draw(st.sampled_from(["", " ", "  \u200f"]))

    assert search_key(padding + typed + padding) == search_key(plain)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("علي كريمي", "علی کریمی"),
        ("مُحَمَّد", "محمد"),
        ("محمّدرضا", "محمدرضا"),
        ("عـــلی", "علی"),
        ("۰۹۱۲ ۳۴۵ ۶۷۸۹", "0912 345 6789"),
        ("٠٩١٢٣٤٥٦٧٨٩", "09123456789"),
        ("  سارا\t\n احمدی  ", "سارا احمدی"),
        ("می‌روم", "می\u200cروم"),
        ("می\u200c\u200cروم", "می\u200cروم"),
        ("علی \u200c رضا", "علی رضا"),
        ("\u200cعلی\u200c", "علی"),
        ("\u200fعلی\u200e \u202bرضا\u202c", "علی رضا"),
        ("کتاب\u200c2", "کتاب2"),
        ("ﻋﻠﻲ", "علی"),
        ("Ali KARIMI", "Ali KARIMI"),
    ],
)
def test_normalize_text_examples(typed: str, expected: str) -> None:
    assert normalize_text(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("علي كريمي", "علی کریمی"),
        ("علی کریمی", "علی کریمی"),
        ("مُحَمَّد", "محمد"),
        ("محمد‌علی", "محمد علی"),
        ("محمدعلی", "محمدعلی"),
        ("آرش", "ارش"),
        ("مؤسسه", "موسسه"),
        ("رئیس", "رییس"),
        ("خانۀ", "خانه"),
        ("مدرسة", "مدرسه"),
        ("Ali KARIMI", "ali karimi"),
        ("José Müller", "jose muller"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("ali.karimi@Example.com", "ali karimi example com"),
        ("۰۹۱۲-۳۴۵-۶۷۸۹", "0912 345 6789"),
        ("(شرکت) «پیوند»", "شرکت پیوند"),
        ("", ""),
        ("\u200c\u200f ", ""),
    ],
)
def test_search_key_examples(typed: str, expected: str) -> None:
    assert search_key(typed) == expected


def test_search_key_matches_arabic_and_persian_spellings_of_a_name() -> None:
    assert search_key("علي كريمي") == search_key("علی کریمی") == "علی کریمی"


@pytest.mark.parametrize("typed", ["میروم", "می‌روم", "می روم", "مي روم", "مـی‌روم"])
def test_compact_key_joins_the_spellings_of_a_compound_word(typed: str) -> None:
    assert compact_key(typed) == "میروم"


def test_compact_key_matches_phone_numbers_however_grouped() -> None:
    assert compact_key("۰۹۱۲ ۳۴۵ ۶۷۸۹") == compact_key("0912-345-6789") == "09123456789"


def test_search_key_keeps_compound_and_separate_words_apart() -> None:
    # The space matters for search_key: only compact_key joins the two.
    assert search_key("محمدعلی") != search_key("محمد علی")
    assert compact_key("محمدعلی") == compact_key("محمد علی") == "محمدعلی"


@given(any_text)
def test_compact_key_is_search_key_without_spaces(text: str) -> None:
    assert compact_key(text) == search_key(text).replace(" ", "")


def test_digit_conversions() -> None:
    assert to_ascii_digits("۱۴۰۳/٠١/01") == "1403/01/01"
    assert to_persian_digits("1403/٠١/۰۱") == "۱۴۰۳/۰۱/۰۱"
