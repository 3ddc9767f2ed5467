"""Finding a person's names, phone numbers and emails in free text, to erase them.

An erasure removes a person's texts from the timeline, the audit trail, import reports and
whatever later apps keep. :class:`PersonTexts` knows those texts and finds them however they were
written: a name with Arabic or Persian ی and ک, any spacing or ZWNJ between its words and any
letter case; a phone number with or without +98, 0098 or 0, with spaces, dashes, dots or
brackets between its digits, in Latin, Persian or Arabic-Indic digits; an email in any case.
A name is matched as a whole word, so erasing "Sara" leaves "Sarah" alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from peyvand.common.text import to_persian_digits

# What an erased text becomes wherever it was found.
ERASED = "[erased]"
# Single words shorter than this are not erased on their own: "Al" would cut through every text.
MINIMUM_WORD_LENGTH = 2

_LETTER_VARIANTS = {"ی": "یيى", "ي": "یيى", "ى": "یيى", "ک": "کك", "ك": "کك", "ه": "هة", "ة": "هة"}
_DIGITS = {str(number): f"{number}{chr(0x06F0 + number)}{chr(0x0660 + number)}" for number in range(10)}
_ANY_DIGIT = "0-9\u06f0-\u06f9\u0660-\u0669"
# What people put between the digits of a phone number.
_PHONE_SEPARATOR = r"[\s\-.()/\u200c\u200e\u200f]*"


def _letters(text: str) -> str:
    """A pattern for ``text`` whose letters and digits match their other spellings."""
    parts: list[str] = []
    for character in text:
        if character.isspace() or character == "\u200c":
            if not parts or parts[-1] != r"[\s\u200c]+":
                parts.append(r"[\s\u200c]+")
        elif character in _LETTER_VARIANTS:
            parts.append(f"[{_LETTER_VARIANTS[character]}]")
        elif character in _DIGITS:
            parts.append(f"[{_DIGITS[character]}]")
        else:
            parts.append(re.escape(character))
    return "".join(parts)


def _phone(national_number: str, country_code: str) -> str:
    digits = _PHONE_SEPARATOR.join(f"[{_DIGITS[digit]}]" for digit in national_number)
    code = _PHONE_SEPARATOR.join(f"[{_DIGITS[digit]}]" for digit in country_code)
    international = rf"(?:(?:\+|[0۰٠]{{2}}){_PHONE_SEPARATOR})?{code}{_PHONE_SEPARATOR}"
    prefix = rf"(?:{international}|[0۰٠]{_PHONE_SEPARATOR})?" if code else ""
    return rf"(?<![{_ANY_DIGIT}]){prefix}{digits}(?![{_ANY_DIGIT}])"


@dataclass(frozen=True)
class Phone:
    """One phone number in the forms Peyvand stores it."""

    value: str  # as shown: "0912 345 6789"
    e164: str  # "+989123456789"
    national_number: str  # "9123456789"

    @property
    def country_code(self) -> str:
        return self.e164.removeprefix("+").removesuffix(self.national_number)

    @property
    def stored_forms(self) -> list[str]:
        digits = self.e164.removeprefix("+")
        trunk = f"0{self.national_number}" if self.country_code == "98" else ""
        return [form for form in dict.fromkeys((self.value, self.e164, digits, self.national_number, trunk)) if form]


@dataclass(frozen=True)
class PersonTexts:
    """The texts of one person that an erasure removes.

    ``names`` are full names (the current one and former ones), ``words`` the first and last
    names on their own, ``emails`` the addresses.
    """

    names: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()

    def as_list(self) -> list[str]:
        """Every text in every stored form, longest first: what erasure handlers are given."""
        texts = [*self.names, *self.words, *(form for phone in self.phones for form in phone.stored_forms),
                 *self.emails]  # fmt: skip
        return sorted(dict.fromkeys(text for text in texts if text), key=lambda text: (-len(text), text))

    def needles(self) -> list[str]:
        """What a database search for rows that may hold the person's texts looks for (``LIKE``).

        Full names, phone numbers as stored and emails: texts distinctive enough to point at this
        person in records about someone else. A first or last name alone is not among them.
        """
        phones = [form for phone in self.phones for form in (phone.value, phone.e164, phone.national_number)]
        texts = [*self.names, *phones, *self.emails]
        return sorted(dict.fromkeys(text for text in texts if text), key=lambda text: (-len(text), text))

    def replace(self, text: str, *, with_words: bool = True) -> str:
        """``text`` with each of the person's texts replaced by ``[erased]``.

        ``with_words=False`` leaves a first or last name alone untouched: for records about
        someone else, where "Sara" may well be another Sara.
        """
        if not text:
            return text
        pattern = self._pattern(with_words)
        return pattern.sub(ERASED, text) if pattern is not None else text

    def found_in(self, text: str, *, with_words: bool = True) -> bool:
        pattern = self._pattern(with_words)
        return bool(text) and pattern is not None and pattern.search(text) is not None

    def _pattern(self, with_words: bool) -> re.Pattern[str] | None:
        return _compile(self.names, self.words if with_words else (), self.phones, self.emails)


@functools.lru_cache(maxsize=32)
def _compile(names: tuple[str, ...], words: tuple[str, ...], phones: tuple[Phone, ...],
             emails: tuple[str, ...]) -> re.Pattern[str] | None:  # fmt: skip
    alternatives: list[tuple[int, str]] = []
    for name in (*names, *words):
        name = name.strip()
        if len(name) >= MINIMUM_WORD_LENGTH:
            alternatives.append((len(name), rf"(?<!\w){_letters(name)}(?!\w)"))
    for phone in phones:
        if phone.national_number:
            alternatives.append((len(phone.e164), _phone(phone.national_number, phone.country_code)))
        if phone.value:  # what was typed may carry more than the number (an extension)
            alternatives.append((len(phone.value), _letters(phone.value)))
    for email in emails:
        if email:
            alternatives.append((len(email), re.escape(email)))
    if not alternatives:
        return None
    alternatives.sort(key=lambda item: -item[0])
    return re.compile("|".join(pattern for _length, pattern in alternatives), re.IGNORECASE)


def cut_mentions(rows: QuerySet[Any], fields: tuple[str, ...], texts: list[str], *, marker: str) -> int:
    """Replace each of ``texts`` (as given, and with Persian digits) by ``marker`` in ``fields`` of
    the ``rows`` that mention one; returns how many rows changed.

    What the apps' erasure handlers do to records about someone else that name an erased person.
    Longest texts first, so that "Sara Karimi" goes before "Sara" leaves "Karimi" behind; a value is
    cut to its field's length.
    """
    variants = {
        variant for text in texts if text.strip() for variant in (text.strip(), to_persian_digits(text.strip()))
    }
    if not variants:
        return 0
    pattern = re.compile("|".join(re.escape(text) for text in sorted(variants, key=len, reverse=True)), re.IGNORECASE)
    mentions = Q()
    for variant in variants:
        for name in fields:
            mentions |= Q(**{f"{name}__icontains": variant})
    model = rows.model
    limits = {name: getattr(model._meta.get_field(name), "max_length", None) for name in fields}
    changed: list[Any] = []
    for row in rows.filter(mentions).only("pk", *fields):
        new = {name: pattern.sub(marker, getattr(row, name))[: limits[name]] for name in fields}
        if any(new[name] != getattr(row, name) for name in fields):
            for name, value in new.items():
                setattr(row, name, value)
            changed.append(row)
    model._default_manager.bulk_update(changed, list(fields), batch_size=500)
    return len(changed)
