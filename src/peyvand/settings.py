"""Peyvand's one settings module, configured entirely by environment variables.

The variables are documented in docs/configuration.md. With none set, Peyvand runs in its
embedded mode: SQLite in the working directory, DEBUG on, a development secret key. With
``DEBUG=false`` it refuses to start unless the production settings are safe.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False) if (PROJECT_DIR / ".env").exists() else None

DATA_DIR = Path(env.str("PEYVAND_DATA_DIR", default=str(PROJECT_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)
INSECURE_DEVELOPMENT_KEY = "peyvand-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEVELOPMENT_KEY)
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many reverse proxies (nginx, a load balancer) stand in front of Peyvand: the client's
# address is then read from X-Forwarded-For, as the last proxy saw it.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
ENCRYPTION_KEYS: list[str] = [key.strip() for key in env.list("ENCRYPTION_KEYS", default=[]) if key.strip()]
# The key of the keyed hashes that find a secret value by exact match (a national ID) without
# storing it. Unlike ENCRYPTION_KEYS it never rotates: every stored hash depends on it.
LOOKUP_KEY = env.str("LOOKUP_KEY", default="").strip()
LOOKUP_KEY_MINIMUM_LENGTH = 32
CURRENCY_DISPLAY = env.str("CURRENCY_DISPLAY", default="toman")
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
# The telephone exchange's own area code ("21" in Tehran): caller ID completes a local number with it.
CALLER_ID_AREA_CODE = env.str("CALLER_ID_AREA_CODE", default="").strip().lstrip("0")


def refuse_invalid_encryption_keys() -> None:
    for position, key in enumerate(ENCRYPTION_KEYS, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"ENCRYPTION_KEYS: key number {position} is not a valid key (make one with: peyvand encryption_key)"
            ) from None


refuse_invalid_encryption_keys()


def refuse_invalid_lookup_key() -> None:
    if LOOKUP_KEY and (len(LOOKUP_KEY) < LOOKUP_KEY_MINIMUM_LENGTH or LOOKUP_KEY == SECRET_KEY):
        raise ImproperlyConfigured(
            f"LOOKUP_KEY must be a random value of at least {LOOKUP_KEY_MINIMUM_LENGTH} characters, not SECRET_KEY"
            " (make one with: peyvand encryption_key --lookup)"
        )


refuse_invalid_lookup_key()

if CALLER_ID_AREA_CODE and not (CALLER_ID_AREA_CODE.isascii() and CALLER_ID_AREA_CODE.isdigit()):
    raise ImproperlyConfigured(
        f"CALLER_ID_AREA_CODE must be digits, such as 21 for Tehran; it is {CALLER_ID_AREA_CODE!r}"
    )


def refuse_unknown_choices() -> None:
    """A misspelt choice stops the start-up instead of silently meaning something else."""
    choices = {"CURRENCY_DISPLAY": (CURRENCY_DISPLAY, ("toman", "rial")),
               "TASKS_BACKEND": (TASKS_BACKEND, ("database", "redis", "immediate"))}  # fmt: skip
    for name, (value, allowed) in choices.items():
        if value not in allowed:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)}; it is {value!r}")


refuse_unknown_choices()


def refuse_unsafe_production_settings() -> None:
    """Stop the start-up when DEBUG is off and a setting would leave the CRM open."""
    # The command that makes the missing key must run before the key exists.
    if DEBUG or sys.argv[1:2] == ["encryption_key"]:
        return
    problems = []
    if SECRET_KEY == INSECURE_DEVELOPMENT_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the host names Peyvand is served on")
    if not ENCRYPTION_KEYS:
        problems.append(
            "ENCRYPTION_KEYS must hold at least one key (make one with: peyvand encryption_key), so that"
            " encrypted data does not depend on SECRET_KEY"
        )
    if not LOOKUP_KEY:
        problems.append(
            "LOOKUP_KEY must be set (make one with: peyvand encryption_key --lookup), so that searches of"
            " encrypted values do not depend on SECRET_KEY; it must never change afterwards"
        )
    if problems:
        raise ImproperlyConfigured("Peyvand will not start in production mode (DEBUG=false): " + "; ".join(problems))


refuse_unsafe_production_settings()

INSTALLED_APPS = [
    "peyvand.common",
    "peyvand.accounts",
    "peyvand.contacts",
    "peyvand.timeline",
    "peyvand.activities",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    # First, so that it counts every query of the request (sessions, the user, permissions).
    "peyvand.common.middleware.QueryCountHeaderMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peyvand.accounts.middleware.UserPreferencesMiddleware",
    "peyvand.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "peyvand.urls"
WSGI_APPLICATION = "peyvand.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peyvand.common.context_processors.shell",
                "peyvand.accounts.notifications.notifications",
            ],
            "builtins": ["peyvand.common.templatetags.peyvand"],
        },
    }
]

# Databases --------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'peyvand.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, tasks -----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "peyvand_cache"}}

if TASKS_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Accounts and security --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "peyvand.accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "peyvand.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "peyvand.accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "peyvand.accounts.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
PASSWORD_RESET_LIMIT_PER_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_HOUR", default=5)

# Failed logins: after LOGIN_FAILURE_LIMIT failures within the window an account is locked
# for the window; an address gets a larger allowance since offices share one address.
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env.int("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=30)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    # Behind a reverse proxy that terminates TLS the redirect is the proxy's job.
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")

# API
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/m")
API_PAGE_SIZE_MAX = 200

# Email
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Peyvand <peyvand@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications (accounts.notifications): where emails link to, and how often the bell asks.
SITE_URL = env.str("SITE_URL", default="").strip().rstrip("/")
NOTIFICATION_POLL_SECONDS = max(1, env.int("NOTIFICATION_POLL_SECONDS", default=60))

# Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="fa")
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "peyvand_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Tehran")
USE_I18N = True
USE_TZ = True

# Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/vazirmatn", NODE_MODULES / "vazirmatn" / "fonts" / "webfonts"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
# Imports of persons, companies and leads: the largest file accepted, in megabytes.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=25)

# Benchmarks read the number of SQL queries of each request from a response header.
QUERY_COUNT_HEADER = env.bool("PEYVAND_QUERY_COUNT_HEADER", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
