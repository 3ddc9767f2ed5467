"""The comparable forms of what people type into a customer record.

Display text is kept as typed (cleaned by ``normalize_text``); these functions give the keys that
search, caller ID and duplicate detection compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from peyvand.common.phones import InvalidPhoneNumber, parse_phone
from peyvand.common.text import normalize_text, search_key
from peyvand.contacts.models import ContactPoint

# Words shorter than this are not indexed on their own: one letter finds too much to be useful.
MIN_TERM_LENGTH = 2
TERM_LENGTH = 64


def person_name(first_name: str, last_name: str) -> str:
    return " ".join(part for part in (normalize_text(first_name), normalize_text(last_name)) if part)


def search_terms(*names: str) -> set[str]:
    """The words a party is found by: each word of each name, in search-key form."""
    terms: set[str] = set()
    for name in names:
        for word in search_key(name).split():
            if len(word) >= MIN_TERM_LENGTH:
                terms.add(word[:TERM_LENGTH])
    return terms


def reversed_digits(digits: str) -> str:
    return digits[::-1]


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string of digits greater than every string starting with ``prefix``.

    "4329" → "433", "499" → "5", "999" → None: ``prefix <= value < bound`` is "starts with" as an
    index range that means the same under every collation.
    """
    stripped = prefix.rstrip("9")
    if not stripped:
        return None
    return stripped[:-1] + str(int(stripped[-1]) + 1)


def text_upper_bound(prefix: str) -> str:
    """``prefix`` with its last character raised by one: ``prefix <= term < bound`` is "starts with"."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@dataclass(frozen=True)
class ContactPointIn:
    """A contact point as a form, the API or an import gives it."""

    kind: str
    value: str
    label: str = ""
    network: str = ""
    extension: str = ""
    is_primary: bool = False
    consent: str = "unknown"


@dataclass(frozen=True)
class ContactPointKeys:
    value: str
    key: str
    digits: str = ""
    national_number: str = ""
    extension: str = ""


_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])


def contact_point_keys(point: ContactPointIn) -> ContactPointKeys:
    """Check one contact point and give its comparable keys, or raise ``ValidationError``."""
    value = normalize_text(point.value)
    if not value:
        raise ValidationError(_("Enter a value."), code="required")
    if point.kind == ContactPoint.Kind.PHONE:
        try:
            number = parse_phone(value)
        except InvalidPhoneNumber as error:
            raise ValidationError(error.message, code="invalid_phone") from None
        extension = point.extension or number.extension
        return ContactPointKeys(
            value=number.display(), key=number.e164, digits=number.digits,
            national_number=number.national_number, extension=extension,
        )  # fmt: skip
    if point.kind == ContactPoint.Kind.EMAIL:
        address = value.replace(" ", "")
        _email_validator(address)
        local, _at, domain = address.rpartition("@")
        return ContactPointKeys(value=address, key=f"{local}@{domain.lower()}".lower())
    if point.kind == ContactPoint.Kind.WEBSITE:
        address = value if "://" in value else f"https://{value}"
        _url_validator(address)
        key = address.split("://", 1)[1].lower().removeprefix("www.").rstrip("/")
        return ContactPointKeys(value=address, key=key)
    if point.kind == ContactPoint.Kind.SOCIAL:
        handle = value.strip().removeprefix("@")
        if not point.network:
            raise ValidationError(_("Choose the network of this handle."), code="network_required")
        return ContactPointKeys(value=handle, key=f"{point.network}:{search_key(handle).replace(' ', '')}")
    raise ValidationError(_("Unknown kind of contact point."), code="invalid_kind")
