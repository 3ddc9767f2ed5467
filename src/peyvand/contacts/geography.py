"""Iran's 31 provinces, with their names in Persian and English, for addresses and filters."""

from __future__ import annotations

from django.utils.translation import get_language

# (key, Persian name, English name), in the order of the Persian alphabet.
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("azarbaijan-east", "آذربایجان شرقی", "East Azerbaijan"),
    ("azarbaijan-west", "آذربایجان غربی", "West Azerbaijan"),
    ("ardabil", "اردبیل", "Ardabil"),
    ("isfahan", "اصفهان", "Isfahan"),
    ("alborz", "البرز", "Alborz"),
    ("ilam", "ایلام", "Ilam"),
    ("bushehr", "بوشهر", "Bushehr"),
    ("tehran", "تهران", "Tehran"),
    ("chaharmahal-bakhtiari", "چهارمحال و بختیاری", "Chaharmahal and Bakhtiari"),
    ("khorasan-south", "خراسان جنوبی", "South Khorasan"),
    ("khorasan-razavi", "خراسان رضوی", "Razavi Khorasan"),
    ("khorasan-north", "خراسان شمالی", "North Khorasan"),
    ("khuzestan", "خوزستان", "Khuzestan"),
    ("zanjan", "زنجان", "Zanjan"),
    ("semnan", "سمنان", "Semnan"),
    ("sistan-baluchestan", "سیستان و بلوچستان", "Sistan and Baluchestan"),
    ("fars", "فارس", "Fars"),
    ("qazvin", "قزوین", "Qazvin"),
    ("qom", "قم", "Qom"),
    ("kurdistan", "کردستان", "Kurdistan"),
    ("kerman", "کرمان", "Kerman"),
    ("kermanshah", "کرمانشاه", "Kermanshah"),
    ("kohgiluyeh-boyer-ahmad", "کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad"),
    ("golestan", "گلستان", "Golestan"),
    ("gilan", "گیلان", "Gilan"),
    ("lorestan", "لرستان", "Lorestan"),
    ("mazandaran", "مازندران", "Mazandaran"),
    ("markazi", "مرکزی", "Markazi"),
    ("hormozgan", "هرمزگان", "Hormozgan"),
    ("hamadan", "همدان", "Hamadan"),
    ("yazd", "یزد", "Yazd"),
)

_BY_KEY = {key: (persian, english) for key, persian, english in PROVINCES}


def is_province(key: str) -> bool:
    return key in _BY_KEY


def province_label(key: str) -> str:
    """The province's name in the active language; an unknown key (an address abroad) as it is."""
    names = _BY_KEY.get(key)
    if names is None:
        return key
    return names[1] if (get_language() or "fa").startswith("en") else names[0]


def province_choices() -> list[tuple[str, str]]:
    return [(key, province_label(key)) for key, _persian, _english in PROVINCES]
