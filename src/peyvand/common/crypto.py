"""Encryption at rest for secrets and sensitive fields, with rotatable keys.

``ENCRYPTION_KEYS`` holds comma-separated Fernet keys, newest first: values are written with the
first and read with any, so a key is rotated by putting a new one in front and re-saving (or
calling :func:`rotate`). Without it (the embedded setup) one key is derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


@functools.cache
def _fernet() -> MultiFernet:
    configured = getattr(settings, "ENCRYPTION_KEYS", None) or []
    if isinstance(configured, str):  # one comma-separated string, as in the environment
        configured = configured.split(",")
    keys = [key.strip() for key in configured if key.strip()]
    if not keys:
        digest = hashlib.sha256(f"peyvand-encryption:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    # Tests (override_settings) change the keys while the process runs.
    if setting in ("ENCRYPTION_KEYS", "SECRET_KEY"):
        _fernet.cache_clear()


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The value cannot be decrypted with the configured keys") from error


def rotate(token: str) -> str:
    """Re-encrypt with the newest key; ``ValueError`` if no configured key reads it."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The value cannot be decrypted with the configured keys") from error


def keyed_hash(value: str) -> str:
    """A stable, keyed digest for exact lookups of a secret value without storing it."""
    key = hashlib.sha256(f"peyvand-lookup:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
