"""Encryption at rest for secrets and sensitive fields, with rotatable keys.

``ENCRYPTION_KEYS`` holds comma-separated Fernet keys, newest first: values are written with the
first and read with any, so a key is rotated by putting a new one in front and re-saving (or
calling :func:`rotate`). Without it (the embedded setup) one key is derived from ``SECRET_KEY``.
``LOOKUP_KEY`` keys :func:`keyed_hash`, the exact-match lookups; it does not rotate.
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
    if setting in ("ENCRYPTION_KEYS", "SECRET_KEY", "LOOKUP_KEY"):
        _fernet.cache_clear()
        _lookup_key.cache_clear()


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


@functools.cache
def _lookup_key() -> bytes:
    # Without LOOKUP_KEY (allowed only while DEBUG is on) the key comes from SECRET_KEY, as it
    # always did in the embedded setup, so hashes stored there stay valid.
    source = getattr(settings, "LOOKUP_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(f"peyvand-lookup:{source}".encode()).digest()


def keyed_hash(value: str) -> str:
    """A stable, keyed digest for exact lookups of a secret value without storing it.

    Keyed with ``LOOKUP_KEY``, which never changes once hashes are stored: a new key would make
    every stored hash unfindable (``ENCRYPTION_KEYS`` rotate; this key does not).
    """
    return hmac.new(_lookup_key(), value.encode(), hashlib.sha256).hexdigest()
