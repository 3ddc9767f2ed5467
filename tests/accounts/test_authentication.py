"""The login security model below the pages: lockout counting, one-time codes and API tokens."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import RequestFactory
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from peyvand.accounts import authentication, services
from peyvand.accounts.models import ApiToken, AuditEvent, LoginFailure, User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory, with_two_factor

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.20"


def _fail(username: str, times: int, address: str | None = ADDRESS) -> None:
    for _ in range(times):
        authentication.record_failure(username, address, reason="password")


def _age_failures(settings: SettingsWrapper, seconds_past_window: int = 1) -> None:
    past = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + seconds_past_window)
    LoginFailure.objects.update(at=past)


# Lockout --------------------------------------------------------------------------------------
def test_an_account_is_locked_at_the_limit_and_not_before(settings: SettingsWrapper) -> None:
    # Given one failure fewer than the limit
    _fail("sara", settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT - 1)
    # Then the account is open; one more failure locks it, whatever the case of the name
    assert authentication.is_locked_out("sara", ADDRESS) is False
    _fail("sara", 1)
    assert authentication.is_locked_out("sara", ADDRESS) is True
    assert authentication.is_locked_out("SARA", "192.0.2.1") is True
    assert authentication.is_locked_out("reza", "192.0.2.1") is False


def test_an_address_is_locked_across_usernames(settings: SettingsWrapper) -> None:
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    # Given three failures from one address, each for another name
    for username in ("ali", "bahar", "cyrus"):
        _fail(username, 1)
    # Then any name from that address is refused, and the same name from elsewhere is not
    assert authentication.is_locked_out("dara", ADDRESS) is True
    assert authentication.is_locked_out("dara", "192.0.2.1") is False


def test_failures_older_than_the_window_no_longer_count(settings: SettingsWrapper) -> None:
    _fail("sara", settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT)
    assert authentication.is_locked_out("sara", ADDRESS) is True
    # When the window passes
    _age_failures(settings)
    # Then the lock is lifted
    assert authentication.is_locked_out("sara", ADDRESS) is False


def test_a_failure_is_counted_and_audited_with_the_address() -> None:
    authentication.record_failure("sara", ADDRESS, reason="password")

    failure = LoginFailure.objects.get()
    assert (failure.username, failure.address) == ("sara", ADDRESS)
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor_label, event.address, event.changes) == (
        AuditEvent.Kind.LOGIN_FAILED, "sara", ADDRESS, {"reason": "password"},
    )  # fmt: skip


def test_the_right_password_is_refused_while_locked_out(settings: SettingsWrapper, rf: RequestFactory) -> None:
    user = UserFactory(username="sara")
    _fail("sara", settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT)
    request = rf.post("/accounts/login/")

    outcome = authentication.check_password_login(request, "sara", DEFAULT_PASSWORD, ADDRESS)

    assert outcome == authentication.LoginOutcome(user=None, locked_out=True)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT, actor_label="sara").count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN, actor=user).count() == 0


def test_a_login_clears_the_accounts_failures() -> None:
    user = UserFactory(username="sara")
    _fail("sara", 2)
    _fail("reza", 1)

    authentication.record_login(user, ADDRESS)

    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["reza"]
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).get()
    assert (event.actor_id, event.address) == (user.pk, ADDRESS)


# One-time codes -------------------------------------------------------------------------------
def test_a_code_matches_in_latin_or_persian_digits_with_spaces() -> None:
    secret = authentication.new_totp_secret()
    code = pyotp.TOTP(secret).now()
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    assert authentication.totp_matches(secret, code) is True
    assert authentication.totp_matches(secret, f"{persian[:3]} {persian[3:]}") is True
    assert authentication.totp_matches(secret, "abcdef") is False
    wrong = f"{(int(code) + 500_000) % 1_000_000:06d}"
    assert authentication.totp_matches(secret, wrong) is False


def test_the_secret_is_stored_encrypted_and_read_back() -> None:
    user = UserFactory()

    secret = with_two_factor(user)

    user.refresh_from_db()
    assert user.has_two_factor is True
    assert secret not in user.totp_secret_encrypted
    assert authentication.totp_secret_of(user) == secret
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_ENABLED, object_id=str(user.pk)).count() == 1


def test_the_provisioning_qr_code_is_an_inline_svg() -> None:
    user = UserFactory(username="sara")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    uri = authentication.provisioning_uri(user, secret)
    svg = authentication.provisioning_qr_svg(user, secret)

    assert uri == "otpauth://totp/Peyvand:sara?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Peyvand"
    assert svg.startswith('<svg width="')
    assert 'class="qr-code"' in svg
    assert "<title>QR code to scan with your authenticator app</title>" in svg
    assert secret not in svg


# API tokens -----------------------------------------------------------------------------------
def _token(user: User, *, days: int = 30, allowed: tuple[str, ...] = ()) -> tuple[ApiToken, str]:
    return services.api_token_create(
        actor=user, name="export", expires_at=timezone.now() + dt.timedelta(days=days), allowed_actions=allowed,
    )  # fmt: skip


def test_a_token_stands_for_its_user_and_notes_its_use() -> None:
    user = UserFactory()
    token, plain = _token(user)

    found = authentication.user_for_token(plain)

    assert found is not None
    assert (found[0].pk, found[1].pk) == (user.pk, token.pk)
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("case", ["revoked", "expired", "wrong secret", "malformed", "inactive user"])
def test_a_token_that_may_not_be_used_stands_for_nobody(case: str) -> None:
    user = UserFactory()
    token, plain = _token(user)
    if case == "revoked":
        services.api_token_revoke(actor=user, token=token)
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif case == "wrong secret":
        plain = plain[:-4] + ("aaaa" if not plain.endswith("aaaa") else "bbbb")
    elif case == "malformed":
        plain = plain.replace("pvd_", "xyz_")
    else:
        services.user_update(actor=None, user=user, is_active=False)

    assert authentication.user_for_token(plain) is None


def test_a_narrowed_token_narrows_its_user() -> None:
    user = UserFactory()
    _, plain = _token(user, allowed=("users:view",))

    found = authentication.user_for_token(plain)

    assert found is not None
    assert found[0]._peyvand_token_narrowing == frozenset({"users:view"})  # type: ignore[attr-defined]
