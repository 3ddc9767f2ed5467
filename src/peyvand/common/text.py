"""Persian and Arabic text normalisation for search keys and duplicate detection.

The original text is always kept for display; these functions produce the comparable form.
"""

from __future__ import annotations

import re
import unicodedata

from persiantools import characters, digits

ZWNJ = "\u200c"
TATWEEL = "\u0640"
# Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef) and Quranic marks.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
# Zero-width and direction marks that creep in from copy and paste, except ZWNJ.
_INVISIBLES = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_ZWNJ_RUN = re.compile(f"{ZWNJ}+")
_EXTRA_LETTERS = str.maketrans({"ى": "ی", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و"})


def to_ascii_digits(text: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits become ASCII digits."""
    return digits.fa_to_en(digits.ar_to_fa(text))


def to_persian_digits(text: str) -> str:
    return digits.en_to_fa(to_ascii_digits(text))


def normalize_text(text: str) -> str:
    """A clean display form: Persian letters, ASCII digits, no tatweel or diacritics.

    ZWNJ is kept where it separates two letters (می‌روم) and dropped elsewhere; runs of
    whitespace become one space.
    """
    text = unicodedata.normalize("NFC", text)
    text = characters.ar_to_fa(text)
    text = to_ascii_digits(text)
    text = text.replace(TATWEEL, "")
    text = _DIACRITICS.sub("", text)
    text = _INVISIBLES.sub("", text)
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(f" ?{ZWNJ} ?", ZWNJ, text)
    return text.strip(ZWNJ)


def search_key(text: str) -> str:
    """The form two spellings of the same name share: what search and dedupe compare.

    On top of :func:`normalize_text`: case folded, ZWNJ treated as a space, hamza and
    tā marbūṭa variants folded, punctuation dropped.
    """
    text = normalize_text(text).replace(ZWNJ, " ").translate(_EXTRA_LETTERS).casefold()
    text = "".join(ch if ch.isalnum() or ch == " " else " " for ch in text)
    return _SPACES.sub(" ", text).strip()
