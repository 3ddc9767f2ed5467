"""Persian and Arabic text normalisation for search keys and duplicate detection.

The original text is always kept for display; these functions produce the comparable form.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from persiantools import characters, digits

ZWNJ = "\u200c"
TATWEEL = "\u0640"
# Arabic presentation forms (ligatures and positional shapes pasted from PDFs) stand for plain letters.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_ARABIC_BLOCKS = (
    ("\u0600", "\u06ff"),
    ("\u0750", "\u077f"),
    ("\u0870", "\u08ff"),
    ("\ufb50", "\ufdff"),
    ("\ufe70", "\ufeff"),
)
_SPACES = re.compile(r"\s+")
_ZWNJ_RUN = re.compile(f"{ZWNJ}+")
# Spellings of one letter that people use interchangeably; folded only in the search key. آ أ إ ؤ ئ ۀ
# lose their mark there (see search_key) and become ا ا ا و ی ه (ۀ decomposes to ە, folded here).
_FOLDED_LETTERS = str.maketrans({"ة": "ه", "ٱ": "ا", "ہ": "ه", "ە": "ه", "ے": "ی"})


def to_ascii_digits(text: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits become ASCII digits."""
    return digits.fa_to_en(digits.ar_to_fa(text))


def to_persian_digits(text: str) -> str:
    return digits.en_to_fa(to_ascii_digits(text))


@functools.lru_cache(maxsize=4096)
def _is_noise(character: str) -> bool:
    """Tatweel, Arabic diacritics, and the invisible characters copy and paste brings (ZWNJ excepted)."""
    category = unicodedata.category(character)
    if category == "Cf":  # zero-width and direction marks, soft hyphen, byte-order mark…
        return character != ZWNJ
    if category == "Cc":  # control characters; tabs and line breaks are whitespace and become a space
        return not character.isspace()
    if category == "Mn":  # harakat, tanwin, shadda, sukun, superscript alef and Quranic marks
        return any(low <= character <= high for low, high in _ARABIC_BLOCKS)
    return character == TATWEEL


def _zwnj_between_letters(match: re.Match[str]) -> str:
    start, end = match.span()
    text = match.string
    if start > 0 and end < len(text) and text[start - 1].isalpha() and text[end].isalpha():
        return ZWNJ
    return ""


# Names, cities and job titles repeat a great deal (an import of a million persons has a few
# thousand first names): both functions are pure, so their answers are remembered.
@functools.lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """A clean display form: Persian letters, ASCII digits, no tatweel or diacritics.

    ZWNJ is kept where it separates two letters (می‌روم) and dropped elsewhere, so a ZWNJ next to
    a space leaves the space; runs of whitespace become one space.
    """
    text = unicodedata.normalize("NFC", text)
    text = _PRESENTATION_FORMS.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)
    text = characters.ar_to_fa(text)
    text = to_ascii_digits(text)
    text = "".join(character for character in text if not _is_noise(character))
    text = _ZWNJ_RUN.sub(_zwnj_between_letters, text)
    text = _SPACES.sub(" ", text).strip()
    # Removing a mark can let the letters around it compose.
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=65536)
def search_key(text: str) -> str:
    """The form two spellings of the same name share: what search and dedupe compare.

    On top of :func:`normalize_text`: ZWNJ is a space; case and compatibility forms are folded
    (``NFKD(casefold(NFKD(text)))``, the Unicode caseless match); every combining mark is dropped, so
    Latin accents go and آ أ إ ؤ ئ ۀ become ا ا ا و ی ه; ة ٱ ہ ے become ه ا ه ی; punctuation is a space.
    """
    text = text.replace(ZWNJ, " ")
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    text = "".join(character for character in text if unicodedata.category(character) not in ("Mn", "Me"))
    text = normalize_text(text).translate(_FOLDED_LETTERS)
    text = "".join(character if character.isalnum() else " " for character in text)
    return _SPACES.sub(" ", text).strip()


def compact_key(text: str) -> str:
    """:func:`search_key` without spaces: میروم, می‌روم and می روم, or ۰۹۱۲ ۳۴۵ ۶۷۸۹ and 09123456789, meet."""
    return search_key(text).replace(" ", "")


# "@sara" in a note: "@" and a username (letters, digits and ". + - _", ending in a letter or digit,
# so a sentence's full stop is not part of it), at the start or after anything but a letter, digit
# or "@" (so an email address is not one). Read by accounts.mentions, marked by the template filter.
MENTION = re.compile(r"(?<![\w@])@(\w(?:[\w.+\-]*\w)?)")
