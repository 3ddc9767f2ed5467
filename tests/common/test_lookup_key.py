"""LOOKUP_KEY: the key of the keyed hashes that find encrypted values by exact match.

It is separate from SECRET_KEY (which may be changed to log everyone out) and from
ENCRYPTION_KEYS (which rotate): once hashes are stored, it never changes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pytest_django.fixtures import Settings as SettingsWrapper

from peyvand.common import crypto

PEYVAND = str(Path(sys.executable).with_name("peyvand"))
LOOKUP_KEY = "a-lookup-key-of-more-than-thirty-two-characters"


def _peyvand(tmp_path: Path, *arguments: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "crm.example.com",
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(), "LOOKUP_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PEYVAND_DATA_DIR": str(tmp_path),
    }  # fmt: skip
    environment.update(overrides)
    return subprocess.run(  # noqa: S603  (our own command, fixed arguments)
        [PEYVAND, *arguments], env={name: value for name, value in environment.items() if value != ""},
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_without_a_lookup_key_the_hash_is_derived_from_the_secret_key_as_before(settings: SettingsWrapper) -> None:
    settings.LOOKUP_KEY = ""
    key = hashlib.sha256(f"peyvand-lookup:{settings.SECRET_KEY}".encode()).digest()

    assert crypto.keyed_hash("0499370899") == hmac.new(key, b"0499370899", hashlib.sha256).hexdigest()


def test_with_a_lookup_key_the_hash_no_longer_depends_on_the_secret_key(settings: SettingsWrapper) -> None:
    settings.LOOKUP_KEY = LOOKUP_KEY
    digest = crypto.keyed_hash("0499370899")

    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-checks"

    assert crypto.keyed_hash("0499370899") == digest
    settings.LOOKUP_KEY = ""
    assert crypto.keyed_hash("0499370899") != digest


def test_different_lookup_keys_give_different_hashes(settings: SettingsWrapper) -> None:
    settings.LOOKUP_KEY = LOOKUP_KEY
    digest = crypto.keyed_hash("0499370899")

    settings.LOOKUP_KEY = LOOKUP_KEY + "-2"

    assert crypto.keyed_hash("0499370899") != digest


def test_production_mode_refuses_to_start_without_a_lookup_key(tmp_path: Path) -> None:
    result = _peyvand(tmp_path, "check", LOOKUP_KEY="")

    assert result.returncode != 0
    assert "Peyvand will not start in production mode (DEBUG=false)" in result.stderr
    assert "LOOKUP_KEY must be set (make one with: peyvand encryption_key --lookup)" in result.stderr


@pytest.mark.parametrize("debug", ["true", "false"])
def test_a_short_lookup_key_stops_the_start_in_any_mode(tmp_path: Path, debug: str) -> None:
    result = _peyvand(tmp_path, "check", DEBUG=debug, LOOKUP_KEY="short")

    assert result.returncode != 0
    assert "LOOKUP_KEY must be a random value of at least 32 characters, not SECRET_KEY" in result.stderr


def test_the_lookup_key_may_not_be_the_secret_key(tmp_path: Path) -> None:
    shared = secrets.token_urlsafe(48)

    result = _peyvand(tmp_path, "check", SECRET_KEY=shared, LOOKUP_KEY=shared)

    assert result.returncode != 0
    assert "LOOKUP_KEY must be a random value" in result.stderr


def test_the_command_prints_a_lookup_key_production_mode_accepts(tmp_path: Path) -> None:
    printed = _peyvand(tmp_path, "encryption_key", "--lookup", LOOKUP_KEY="", ENCRYPTION_KEYS="")
    key = printed.stdout.strip()

    result = _peyvand(tmp_path, "check", "--deploy", LOOKUP_KEY=key)

    assert printed.returncode == 0
    assert len(key) >= 32
    assert result.returncode == 0, result.stderr
