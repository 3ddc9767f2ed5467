"""Sensitive personal fields, encrypted at rest: the national ID, the birth date and the income band.

The columns hold Fernet tokens (``common.crypto``, keys from ``ENCRYPTION_KEYS``, rotatable); the
national ID also has a keyed hash so that an exact search finds it. Only these functions read or
write them; whether a reader may see them is ``access.can_see_sensitive``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peyvand.common import crypto
from peyvand.contacts.models import Party

COLUMNS = {
    "national_id": "national_id_encrypted",
    "birth_date": "birth_date_encrypted",
    "income_band": "income_band_encrypted",
}


def national_id_lookup(national_id: str) -> str:
    """The keyed hash stored in ``Party.national_id_hash`` for a valid, normalised national ID."""
    return crypto.keyed_hash(f"national-id:{national_id}")


def read(party: Party, field_name: str) -> Any:
    """The plain value of a sensitive field: str, ``date`` for the birth date, or None when empty."""
    token = getattr(party, COLUMNS[field_name])
    if not token:
        return None
    try:
        plain = crypto.decrypt(token)
    except ValueError:
        return None
    if field_name == "birth_date":
        return dt.date.fromisoformat(plain)
    return plain


def write(party: Party, field_name: str, value: Any) -> None:
    """Set a sensitive field on ``party`` (not saved): encrypted, with the national ID's lookup hash."""
    column = COLUMNS[field_name]
    if value in (None, ""):
        setattr(party, column, "")
        if field_name == "national_id":
            party.national_id_hash = ""
        return
    plain = value.isoformat() if isinstance(value, dt.date) else str(value)
    setattr(party, column, crypto.encrypt(plain))
    if field_name == "national_id":
        party.national_id_hash = national_id_lookup(plain)


def read_all(party: Party) -> dict[str, Any]:
    return {name: read(party, name) for name in COLUMNS}
