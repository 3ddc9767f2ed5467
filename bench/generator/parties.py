"""Persons and companies, written as people type them.

Arabic letters, stray spaces and ZWNJs, phones in every format and three digit sets: what search,
dedupe and import have to cope with. Rows are plain dicts (the models come with the customer
file), one at a time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from bench.generator import names
from bench.generator.common import DEFAULT_SEED, count, latin_slug, random_stream

ZWNJ = "\u200c"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})

ARABIC_LETTERS_SHARE = 0.05  # of Persian names, written with Arabic ي and ك
PERSIAN_DIGITS_SHARE = 0.15  # of phones, typed with Persian digits
ARABIC_INDIC_DIGITS_SHARE = 0.05  # of phones, with Arabic-Indic digits


# Persons --------------------------------------------------------------------------------------
def persons(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"key", "locale", "first_name", "last_name", "phones", "emails"}``; half Persian, half English."""
    rng = random_stream(seed, "persons")
    for key in range(1, count("persons", scale) + 1):
        if rng.random() < 0.5:
            first, first_latin = rng.choice(names.PERSIAN_FIRST_NAMES)
            last, last_latin = rng.choice(names.PERSIAN_LAST_NAMES)
            first, last = messy_persian(rng, first), messy_persian(rng, last)
            if rng.random() < ARABIC_LETTERS_SHARE:
                first, last = first.translate(ARABIC_LETTERS), last.translate(ARABIC_LETTERS)
            locale = "fa"
        else:
            first = first_latin = rng.choice(names.ENGLISH_FIRST_NAMES)
            last = last_latin = rng.choice(names.ENGLISH_LAST_NAMES)
            locale = "en"
        phones = [mobile_phone(rng) for _ in range(rng.randint(1, 3))]
        email_count = rng.choices((0, 1, 2), weights=(3, 5, 2))[0]
        emails = _emails(rng, first_latin, last_latin, email_count)
        yield {
            "key": key, "locale": locale, "first_name": first, "last_name": last,
            "phones": phones, "emails": emails,
        }  # fmt: skip


def messy_persian(rng: random.Random, text: str) -> str:
    """``text`` as a hurried typist writes it: ZWNJ as a space or left out, stray spaces."""
    if ZWNJ in text:
        draw = rng.random()
        if draw < 0.15:
            text = text.replace(ZWNJ, " ")
        elif draw < 0.25:
            text = text.replace(ZWNJ, "")
    if rng.random() < 0.05:
        text = rng.choice((f" {text}", f"{text} ", text.replace(" ", "  ") if " " in text else f"{text}  "))
    return text


def mobile_phone(rng: random.Random) -> str:
    """An Iranian mobile number in one of the ways people write them."""
    prefix = rng.choice(names.MOBILE_PREFIXES)
    block, line = f"{rng.randrange(1000):03d}", f"{rng.randrange(10000):04d}"
    formats = (
        (f"0{prefix}{block}{line}", 30),
        (f"0{prefix} {block} {line}", 15),
        (f"0{prefix}-{block}-{line}", 10),
        (f"0{prefix} {block} {line[:2]} {line[2:]}", 8),
        (f"(0{prefix}) {block}-{line}", 4),
        (f"+98{prefix}{block}{line}", 12),
        (f"+98 {prefix} {block} {line}", 8),
        (f"+98-{prefix}-{block}-{line}", 3),
        (f"0098{prefix}{block}{line}", 6),
        (f"0098 {prefix} {block} {line}", 4),
    )
    phone = rng.choices([text for text, _ in formats], weights=[weight for _, weight in formats])[0]
    draw = rng.random()
    if draw < PERSIAN_DIGITS_SHARE:
        return phone.translate(PERSIAN_DIGITS)
    if draw < PERSIAN_DIGITS_SHARE + ARABIC_INDIC_DIGITS_SHARE:
        return phone.translate(ARABIC_INDIC_DIGITS)
    return phone


def _emails(rng: random.Random, first: str, last: str, wanted: int) -> list[str]:
    first, last = latin_slug(first), latin_slug(last)
    emails: list[str] = []
    while len(emails) < wanted:
        local = rng.choice(
            (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{rng.randrange(100)}", f"{last}.{first}")
        )
        email = f"{local}@{rng.choice(names.EMAIL_DOMAINS)}"
        if rng.random() < 0.05:
            email = email.capitalize()
        if email.lower() not in (known.lower() for known in emails):
            emails.append(email)
    return emails


# Companies ------------------------------------------------------------------------------------
def companies(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"key", "locale", "name", "national_id", "economic_code"}``; the two codes for most, "" otherwise."""
    rng = random_stream(seed, "companies")
    for key in range(1, count("companies", scale) + 1):
        if rng.random() < 0.7:
            name = _persian_company_name(rng)
            locale = "fa"
        else:
            name = _english_company_name(rng)
            locale = "en"
        national_id = legal_national_id(rng) if rng.random() < 0.9 else ""
        economic_code = f"4{rng.randrange(10**11):011d}" if rng.random() < 0.85 else ""
        yield {"key": key, "locale": locale, "name": name, "national_id": national_id, "economic_code": economic_code}


def _persian_company_name(rng: random.Random) -> str:
    core = f"{rng.choice(names.COMPANY_PREFIXES_PERSIAN)} {rng.choice(names.COMPANY_ACTIVITIES_PERSIAN)}"
    legal = rng.choice(names.COMPANY_LEGAL_FORMS_PERSIAN)
    name = rng.choice((f"شرکت {core} {legal}", f"شرکت {legal} {core}", f"{core} ({legal})", f"شرکت {core}",
                       f"گروه صنعتی {core}"))  # fmt: skip
    name = messy_persian(rng, name)
    return name.translate(ARABIC_LETTERS) if rng.random() < ARABIC_LETTERS_SHARE else name


def _english_company_name(rng: random.Random) -> str:
    prefix, activity = rng.choice(names.COMPANY_PREFIXES_ENGLISH), rng.choice(names.COMPANY_ACTIVITIES_ENGLISH)
    return f"{prefix} {activity} {rng.choice(names.COMPANY_LEGAL_FORMS_ENGLISH)}"


LEGAL_ID_WEIGHTS = (29, 27, 23, 19, 17)


def legal_id_check_digit(first_ten: str) -> int:
    """The check digit of a legal entity's national ID (شناسه ملی), from its first ten digits.

    Each digit, increased by the tenth digit plus two, is weighted 29, 27, 23, 19, 17 in turn;
    the sum modulo 11 is the check digit, 10 counting as 0.
    """
    assert len(first_ten) == 10, first_ten
    assert first_ten.isascii(), first_ten
    assert first_ten.isdigit(), first_ten
    shift = int(first_ten[9]) + 2
    total = sum((shift + int(digit)) * LEGAL_ID_WEIGHTS[index % 5] for index, digit in enumerate(first_ten))
    return total % 11 % 10


def legal_national_id(rng: random.Random) -> str:
    """An 11-digit شناسه ملی with a correct check digit (registry serial never all zeros)."""
    first_ten = f"{rng.choice(('10', '14'))}{rng.randrange(1, 10**8):08d}"
    return f"{first_ten}{legal_id_check_digit(first_ten)}"
