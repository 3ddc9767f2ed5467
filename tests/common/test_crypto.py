from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.fixtures import Settings as SettingsWrapper

from peyvand.common import crypto

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
OTHER_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _fresh_keys() -> Iterator[None]:
    crypto._fernet.cache_clear()
    yield
    crypto._fernet.cache_clear()


@given(st.text(max_size=200))
def test_a_value_decrypts_to_itself(plain: str) -> None:
    token = crypto.encrypt(plain)

    assert crypto.decrypt(token) == plain


def test_the_token_does_not_show_the_value() -> None:
    token = crypto.encrypt("national-id-0012345678")

    assert token.startswith("gAAAAA")  # a Fernet token
    assert "0012345678" not in token


def test_the_same_value_encrypts_differently_each_time() -> None:
    assert crypto.encrypt("0912 345 6789") != crypto.encrypt("0912 345 6789")


def test_without_configured_keys_one_is_derived_from_the_secret_key(settings: SettingsWrapper) -> None:
    settings.ENCRYPTION_KEYS = []
    token = crypto.encrypt("سلام")

    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-checks"

    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(token)


def test_an_old_value_stays_readable_after_a_new_key_is_put_first(settings: SettingsWrapper) -> None:
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    old_token = crypto.encrypt("national id 0012345678")

    settings.ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    new_token = crypto.encrypt("card 6037")

    assert crypto.decrypt(old_token) == "national id 0012345678"
    assert crypto.decrypt(new_token) == "card 6037"
    assert Fernet(NEW_KEY.encode()).decrypt(new_token.encode()) == b"card 6037"  # written with the first key


def test_rotate_re_encrypts_with_the_newest_key(settings: SettingsWrapper) -> None:
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    old_token = crypto.encrypt("secret")
    settings.ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    rotated = crypto.rotate(old_token)

    assert Fernet(NEW_KEY.encode()).decrypt(rotated.encode()) == b"secret"
    settings.ENCRYPTION_KEYS = [NEW_KEY]  # the old key retired: the rotated value still reads
    assert crypto.decrypt(rotated) == "secret"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(old_token)


def test_a_value_from_an_unknown_key_is_refused(settings: SettingsWrapper) -> None:
    settings.ENCRYPTION_KEYS = [OTHER_KEY]
    foreign = crypto.encrypt("secret")
    settings.ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(foreign)
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.rotate(foreign)


@pytest.mark.parametrize("garbage", ["", "not a token", "gAAAAA", "۱۲۳"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(garbage)


def test_keys_may_come_as_one_comma_separated_string(settings: SettingsWrapper) -> None:
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    old_token = crypto.encrypt("secret")

    settings.ENCRYPTION_KEYS = f" {NEW_KEY} , {OLD_KEY} ,"

    assert crypto.decrypt(old_token) == "secret"
    assert Fernet(NEW_KEY.encode()).decrypt(crypto.encrypt("x").encode()) == b"x"


def test_keyed_hash_is_stable_and_tells_values_apart(settings: SettingsWrapper) -> None:
    digest = crypto.keyed_hash("0012345678")

    assert crypto.keyed_hash("0012345678") == digest
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert crypto.keyed_hash("0012345679") != digest
    assert crypto.keyed_hash("") != digest
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-checks"
    assert crypto.keyed_hash("0012345678") != digest  # keyed: not a plain SHA-256 anyone can compute


@given(st.text(max_size=50), st.text(max_size=50))
def test_keyed_hash_differs_for_different_values(first: str, second: str) -> None:
    assert (crypto.keyed_hash(first) == crypto.keyed_hash(second)) is (first == second)
