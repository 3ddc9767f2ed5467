from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings: pytest.FixtureRequest) -> Iterator[None]:
    # Argon2 is what production hashes with (tests/accounts/test_settings.py checks it);
    # the tests use a fast hasher so that creating users costs nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Peyvand's default language is Persian; tests that mean Persian say so (a Persian user,
    # Accept-Language: fa), and the others read English for anyone who reads the test.
    settings.LANGUAGE_CODE = "en"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def admin_user(db: None):  # type: ignore[no-untyped-def]
    from tests.accounts.factories import RoleFactory

    return UserFactory(username="admin", roles=[RoleFactory(name="Administrators", is_administrator=True)])


@pytest.fixture
def admin_client(client: Client, admin_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client
