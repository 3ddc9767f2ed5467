"""Where the benchmarks keep their files, and the environment Peyvand runs in while measured.

The server is configured the way a production install is: ``DEBUG`` off, a secret key, the
host it is served on, and TLS ended by a reverse proxy in front (so ``SECURE_SSL_REDIRECT`` is
off and the client sends ``X-Forwarded-Proto: https`` as the proxy would). The settings module is
Peyvand's own; ``PEYVAND_QUERY_COUNT_HEADER=1`` adds the query count of each request.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from cryptography.fernet import Fernet

REPOSITORY = Path(__file__).resolve().parent.parent
VAR = REPOSITORY / "var" / "bench"  # loaded databases, collected static files, server logs
RESULTS = REPOSITORY / "bench" / "results"
DEFAULT_DATABASE_URL = "sqlite:///var/bench/peyvand.sqlite3"
HOST = "127.0.0.1"


def absolute_database_url(url: str) -> str:
    """A SQLite URL with a relative path (``sqlite:///var/…``) made absolute from the working directory.

    The server runs in another directory than the caller may; its parent directory is created.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:":
        return url
    path = Path(url[len(prefix) :])
    if not path.is_absolute():
        path = Path.cwd() / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def redacted(url: str) -> str:
    """The URL without its password, for reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def production_environment(*, database_url: str, secret_key: str | None = None,
                           redis_url: str | None = None) -> dict[str, str]:  # fmt: skip
    """The variables Peyvand is started with, for the server and for the benchmark process itself.

    ``redis_url`` moves the cache (the API's rate limits) to Redis, as deploy/peyvand.env.example
    offers; without it the cache is the database table, as on an install without Redis.
    """
    VAR.mkdir(parents=True, exist_ok=True)
    return {
        **({"REDIS_URL": redis_url} if redis_url else {}),
        "DJANGO_SETTINGS_MODULE": "peyvand.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(64),
        # The generated data holds nothing encrypted, so a fresh key per run loses nothing.
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "LOOKUP_KEY": secrets.token_urlsafe(48),  # required in production mode, like ENCRYPTION_KEYS
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "PEYVAND_QUERY_COUNT_HEADER": "1",
        "PEYVAND_DATA_DIR": str(VAR),
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        # The limiter still runs (its cost is measured); it only must not answer 429 to the loop.
        "API_RATE_LIMIT": "1000000/m",
        "LOG_LEVEL": "INFO",  # as deploy/peyvand.env.example
    }


def apply(variables: dict[str, str]) -> None:
    """Set ``variables`` in this process, before Django reads its settings."""
    os.environ.update(variables)
