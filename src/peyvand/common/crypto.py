"""Encryption at rest for secrets and sensitive fields, with rotatable keys.

``ENCRYPTION_KEYS`` holds comma-separated Fernet keys, newest first: values are written with the
first and read with any, so a key is rotated by putting a new one in front and re-saving.
Without it (the embedded setup) one key is derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@functools.cache
def _fernet() -> MultiFernet:
    keys = [key.strip() for key in getattr(settings, "ENCRYPTION_KEYS", []) if key.strip()]
    if not keys:
        digest = hashlib.sha256(f"peyvand-encryption:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The value cannot be decrypted with the configured keys") from error


def rotate(token: str) -> str:
    """Re-encrypt with the newest key."""
    return _fernet().rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    """A stable, keyed digest for exact lookups of a secret value without storing it."""
    key = hashlib.sha256(f"peyvand-lookup:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
