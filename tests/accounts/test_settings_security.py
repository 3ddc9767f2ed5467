"""The shipped security settings, and production start-up with and without safe settings.

The test settings swap in a fast password hasher (tests/conftest.py), so these read the values
of the settings module itself, and start Peyvand in a separate process for production mode.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import Argon2PasswordHasher

from peyvand import settings as project_settings

PEYVAND = str(Path(sys.executable).with_name("peyvand"))


def _production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "crm.example.com",
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "LOOKUP_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "PEYVAND_DATA_DIR": str(tmp_path),
    }
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value != ""}


def _peyvand(tmp_path: Path, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own command, fixed arguments)
        [PEYVAND, *arguments], env=_production_environment(tmp_path, **environment), cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_passwords_are_hashed_with_argon2_first() -> None:
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("a-long-pass-phrase", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("a-long-pass-phrase", encoded) is True


def test_the_shipped_session_and_browser_settings_are_strict() -> None:
    assert (project_settings.SESSION_COOKIE_HTTPONLY, project_settings.SESSION_COOKIE_SAMESITE) == (True, "Lax")
    assert project_settings.X_FRAME_OPTIONS == "DENY"
    assert project_settings.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert project_settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 10}


def test_the_deployment_check_passes_in_production_mode(tmp_path: Path) -> None:
    result = _peyvand(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_turns_on_https_only_cookies_and_hsts(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )

    result = _peyvand(tmp_path, "shell", "--no-imports", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True 31536000"


@pytest.mark.parametrize(
    ("environment", "problem"),
    [
        ({"CURRENCY_DISPLAY": "dollar"}, "CURRENCY_DISPLAY must be one of toman, rial; it is 'dollar'"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be one of database, redis, immediate; it is 'celery'"),
        ({"ENCRYPTION_KEYS": "not-a-key"}, "ENCRYPTION_KEYS: key number 1 is not a valid key"),
    ],
)
def test_a_misspelt_choice_stops_the_start(tmp_path: Path, environment: dict[str, str], problem: str) -> None:
    result = _peyvand(tmp_path, "check", **environment)

    assert result.returncode != 0
    assert problem in result.stderr


def test_the_encryption_key_command_prints_a_usable_key(tmp_path: Path) -> None:
    # It runs in production mode before any key exists: that is when it is needed.
    result = _peyvand(tmp_path, "encryption_key", ENCRYPTION_KEYS="")

    assert result.returncode == 0
    Fernet(result.stdout.strip().encode())  # raises if it is not a valid key


@pytest.mark.parametrize(
    ("environment", "problem"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set to a random value of at least 50 characters"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be set to a random value of at least 50 characters"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must list the host names Peyvand is served on"),
        ({"ENCRYPTION_KEYS": ""}, "ENCRYPTION_KEYS must hold at least one key"),
        ({"ENCRYPTION_KEYS": ","}, "ENCRYPTION_KEYS must hold at least one key"),
    ],
)
def test_production_mode_refuses_to_start_unsafe(tmp_path: Path, environment: dict[str, str], problem: str) -> None:
    result = _peyvand(tmp_path, "check", **environment)

    assert result.returncode != 0
    assert "Peyvand will not start in production mode (DEBUG=false)" in result.stderr
    assert problem in result.stderr
