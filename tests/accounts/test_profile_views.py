"""The user's own account pages: preferences, password, two-factor login and API tokens."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from peyvand.accounts import authentication, services
from peyvand.accounts.models import ApiToken, AuditEvent, LoginFailure, User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, TeamFactory, UserFactory, with_two_factor

pytestmark = pytest.mark.django_db

PROFILE_URL = "/accounts/profile/"
PASSWORD_URL = "/accounts/password/"
TWO_FACTOR_URL = "/accounts/two-factor/"
TWO_FACTOR_OFF_URL = "/accounts/two-factor/disable/"
TOKENS_URL = "/accounts/tokens/"
NEW_PASSWORD = "a-brand-new-pass-phrase"
# A logged-in page costs the session, the user, the user's grants (read once per request for
# the navigation and the two-factor rule) and then the page's own reads.
PAGE_QUERIES = 7


@pytest.fixture
def user(db: None) -> User:
    return UserFactory(
        username="sara", first_name="Sara", last_name="Ahmadi", email="sara@example.com",
        teams=[TeamFactory(name="Tehran branch")], roles=[RoleFactory(name="Sales"), RoleFactory(name="Support")],
    )  # fmt: skip


@pytest.fixture
def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("url", [PROFILE_URL, PASSWORD_URL, TWO_FACTOR_URL, TOKENS_URL])
def test_the_account_pages_need_a_login(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# Preferences ----------------------------------------------------------------------------------
def test_the_profile_shows_who_the_user_is(logged_in: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(PAGE_QUERIES + 2):
        response = logged_in.get(PROFILE_URL)

    text = _text(response)
    assert response.status_code == 200
    assert "<dd><bdi>sara</bdi></dd>" in text
    assert "<dd>Sara Ahmadi</dd>" in text
    assert "<bdi>sara@example.com</bdi>" in text
    assert '<span class="tag">Tehran branch</span>' in text
    assert '<span class="tag">Sales</span> <span class="tag">Support</span>' in text
    assert '<input type="radio" name="language" value="en" required id="id_language_1" checked>' in text


def test_saving_preferences(logged_in: Client, user: User) -> None:
    response = logged_in.post(PROFILE_URL, {"language": "fa", "digits": "latin", "theme": "dark"})

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert response.cookies["peyvand_language"].value == "fa"
    user.refresh_from_db()
    assert (user.language, user.digits, user.theme) == ("fa", "latin", "dark")
    page = logged_in.get(PROFILE_URL).content.decode()
    assert '<html lang="fa" dir="rtl" data-theme="dark">' in page
    assert "message-success" in page


def test_bad_preferences_change_nothing(logged_in: Client, user: User) -> None:
    response = logged_in.post(PROFILE_URL, {"language": "xx", "digits": "latin", "theme": "dark"})

    assert response.status_code == 200
    assert "Select a valid choice. xx is not one of the available choices." in _text(response)
    assert 'data-theme="auto"' in _text(response)
    user.refresh_from_db()
    assert (user.language, user.digits, user.theme) == ("en", "auto", "auto")


# Password -------------------------------------------------------------------------------------
def _change_password(
    client: Client, current: str = DEFAULT_PASSWORD, new: str = NEW_PASSWORD, again: str | None = None
):  # type: ignore[no-untyped-def]
    data = {"old_password": current, "new_password1": new, "new_password2": new if again is None else again}
    return client.post(PASSWORD_URL, data)


def test_the_password_page_shows_the_rules(logged_in: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = logged_in.get(PASSWORD_URL)

    assert response.status_code == 200
    assert "At least 10 characters." in _text(response)


def test_changing_the_password_keeps_this_session_and_ends_the_others(logged_in: Client, user: User) -> None:
    elsewhere = Client()
    elsewhere.force_login(user)

    response = _change_password(logged_in)

    assert response.status_code == 302
    assert response["Location"] == PASSWORD_URL
    assert "Your password was changed. Your other sessions have been logged out." in _text(logged_in.get(PASSWORD_URL))
    assert logged_in.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_CHANGED)
    assert (event.actor_id, event.object_id) == (user.pk, str(user.pk))


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("wrong-password", NEW_PASSWORD, None, "Your current password was entered incorrectly."),
        (DEFAULT_PASSWORD, NEW_PASSWORD, "something-else-entirely", "The two passwords do not match."),
        (DEFAULT_PASSWORD, "short", None, "This password is too short: it needs at least 10 characters."),
        (DEFAULT_PASSWORD, "password123", None, "This password is one of the most common ones; choose another."),
    ],
)
def test_a_refused_password_change_changes_nothing(
    logged_in: Client, user: User, current: str, new: str, again: str | None, message: str
) -> None:
    response = _change_password(logged_in, current, new, again)

    assert response.status_code == 200
    assert message in _text(response)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED).count() == 0


def test_wrong_current_passwords_count_as_failed_logins(logged_in: Client, user: User, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        _change_password(logged_in, current="guess")
    assert LoginFailure.objects.filter(username="sara").count() == settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT

    response = _change_password(logged_in)

    assert response.status_code == 429
    assert "Too many wrong passwords." in _text(response)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT, actor_label="sara").count() == 1


# Two-factor login -----------------------------------------------------------------------------
def _pending_secret(client: Client) -> str:
    return str(client.session["peyvand_pending_totp_secret"])


def test_the_setup_shows_a_qr_code_and_the_key(logged_in: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    # The first visit also saves the offered secret in the session
    with django_assert_max_num_queries(PAGE_QUERIES + 3):
        response = logged_in.get(TWO_FACTOR_URL)

    secret = _pending_secret(logged_in)
    text = _text(response)
    assert response.status_code == 200
    assert '<svg width="' in text
    assert 'class="qr-code"' in text
    grouped = " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))
    assert f'<p class="secret" id="two-factor-secret">{grouped}</p>' in text
    assert "A role of yours requires two-factor login." not in text
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    # The same secret until it is confirmed, so a reload does not break a scan in progress
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert secret in _text(logged_in.get(TWO_FACTOR_URL)).replace(" ", "")
    assert _pending_secret(logged_in) == secret


def test_a_wrong_setup_code_turns_nothing_on(logged_in: Client, user: User) -> None:
    logged_in.get(TWO_FACTOR_URL)
    code = pyotp.TOTP(_pending_secret(logged_in)).now()
    wrong = f"{(int(code) + 500_000) % 1_000_000:06d}"

    response = logged_in.post(TWO_FACTOR_URL, {"code": wrong})

    assert response.status_code == 200
    assert "This code is not correct. Enter the code your app shows now." in _text(response)
    user.refresh_from_db()
    assert user.has_two_factor is False


def test_the_right_setup_code_turns_two_factor_on(logged_in: Client, user: User) -> None:
    logged_in.get(TWO_FACTOR_URL)
    secret = _pending_secret(logged_in)

    response = logged_in.post(TWO_FACTOR_URL, {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR_URL
    user.refresh_from_db()
    assert user.has_two_factor is True
    assert authentication.totp_secret_of(user) == secret
    assert "peyvand_pending_totp_secret" not in logged_in.session
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_ENABLED, actor=user).count() == 1
    page = _text(logged_in.get(TWO_FACTOR_URL))
    assert "Two-factor login is on. From now on you will be asked for a code when you log in." in page
    assert '<span class="tag ok">On</span>' in page
    assert "Turn off two-factor login" in page


def test_the_setup_page_explains_a_role_requirement(client: Client) -> None:
    user = UserFactory(roles=[RoleFactory(requires_two_factor=True)])
    client.force_login(user)

    response = client.get(TWO_FACTOR_URL)

    assert "A role of yours requires two-factor login. Set it up now to go on" in _text(response)


def test_turning_two_factor_off_needs_the_password(
    logged_in: Client, user: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with_two_factor(user)
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert logged_in.get(TWO_FACTOR_URL).status_code == 200

    refused = logged_in.post(TWO_FACTOR_OFF_URL, {"password": "guess"})

    assert refused.status_code == 200
    assert "Your current password was entered incorrectly." in _text(refused)
    user.refresh_from_db()
    assert user.has_two_factor is True
    assert LoginFailure.objects.filter(username="sara").count() == 1

    response = logged_in.post(TWO_FACTOR_OFF_URL, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR_URL
    user.refresh_from_db()
    assert (user.has_two_factor, user.totp_secret_encrypted) == (False, "")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_DISABLED, actor=user).count() == 1
    assert "Two-factor login is off. You log in with your password only." in _text(logged_in.get(TWO_FACTOR_URL))


def test_two_factor_required_by_a_role_cannot_be_turned_off(client: Client) -> None:
    user = UserFactory(roles=[RoleFactory(requires_two_factor=True)])
    with_two_factor(user)
    client.force_login(user)
    assert "so it cannot be turned off" in _text(client.get(TWO_FACTOR_URL))

    response = client.post(TWO_FACTOR_OFF_URL, {"password": DEFAULT_PASSWORD}, follow=True)

    assert "Two-factor login cannot be turned off: a role of yours requires it." in _text(response)
    user.refresh_from_db()
    assert user.has_two_factor is True
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_DISABLED).count() == 0


def test_turning_two_factor_off_is_post_only(logged_in: Client, user: User) -> None:
    with_two_factor(user)

    assert logged_in.get(TWO_FACTOR_OFF_URL).status_code == 405
    user.refresh_from_db()
    assert user.has_two_factor is True


# API tokens -----------------------------------------------------------------------------------
def _create_token(client: Client, **data: object):  # type: ignore[no-untyped-def]
    return client.post(TOKENS_URL, {"name": "Accounting export", "expires_in_days": "30", **data})


def test_the_token_page_starts_empty(logged_in: Client) -> None:
    response = logged_in.get(TOKENS_URL)

    text = _text(response)
    assert "You have no API tokens yet." in text
    assert 'name="expires_in_days" value="90"' in text
    # A user allowed nothing has nothing to narrow a token to
    assert 'name="allowed_actions"' not in text


def test_a_new_token_is_shown_exactly_once(logged_in: Client, user: User) -> None:
    response = _create_token(logged_in)

    assert response.status_code == 302
    assert response["Location"] == TOKENS_URL
    token = ApiToken.objects.get(user=user)
    assert token.name == "Accounting export"
    assert token.allowed_actions == []
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    first = _text(logged_in.get(TOKENS_URL))
    match = re.search(r'<p class="secret" id="new-token-value">(pvd_[\w-]+)</p>', first)
    assert match is not None
    plain = match.group(1)
    assert "it is shown only this once" in first
    found = authentication.user_for_token(plain)
    assert found is not None
    assert found[0].pk == user.pk
    second = _text(logged_in.get(TOKENS_URL))
    assert plain not in second
    assert "new-token-value" not in second
    assert f"pvd_{token.prefix}_…" in second
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_CREATED, actor=user).count() == 1


def test_a_token_can_be_narrowed_to_what_the_user_may_do(client: Client) -> None:
    role = RoleFactory(grants={("users", Action.VIEW): Scope.ALL, ("audit", Action.VIEW): Scope.OWN})
    user = UserFactory(roles=[role])
    client.force_login(user)
    page = _text(client.get(TOKENS_URL))
    assert 'value="users:view"' in page
    assert 'value="audit:view"' in page
    assert 'value="users:edit"' not in page

    response = _create_token(client, allowed_actions=["users:view"])

    assert response.status_code == 302
    assert ApiToken.objects.get(user=user).allowed_actions == ["users:view"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"expires_in_days": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"expires_in_days": "366"}, "Ensure this value is less than or equal to 365."),
        ({"name": ""}, "This field is required."),
        ({"allowed_actions": ["users:edit"]}, "Select a valid choice. users:edit is not one of the available choices."),
    ],
)
def test_a_refused_token_is_not_created(logged_in: Client, data: dict[str, object], message: str) -> None:
    response = _create_token(logged_in, **data)

    assert response.status_code == 200
    assert message in _text(response)
    assert ApiToken.objects.count() == 0


def test_the_token_list_costs_the_same_for_many_tokens(
    logged_in: Client, user: User, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    expires = timezone.now() + dt.timedelta(days=10)
    services.api_token_create(actor=user, name="first", expires_at=expires)
    with django_assert_num_queries(PAGE_QUERIES):
        one = logged_in.get(TOKENS_URL)
    for number in range(5):
        services.api_token_create(actor=user, name=f"token {number}", expires_at=expires)
    with django_assert_num_queries(PAGE_QUERIES):
        six = logged_in.get(TOKENS_URL)

    assert _text(one).count('<span class="tag ok">Active</span>') == 1
    assert _text(six).count('<span class="tag ok">Active</span>') == 6


def test_the_list_shows_each_tokens_state(logged_in: Client, user: User) -> None:
    now = timezone.now()
    services.api_token_create(actor=user, name="active one", expires_at=now + dt.timedelta(days=1))
    expired, _ = services.api_token_create(actor=user, name="old one", expires_at=now + dt.timedelta(days=1))
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=now - dt.timedelta(days=1))
    revoked, _ = services.api_token_create(actor=user, name="dropped one", expires_at=now + dt.timedelta(days=1))
    services.api_token_revoke(actor=user, token=revoked)
    UserFactory().api_tokens.create(name="not mine", prefix="abcd1234", key_hash="x", expires_at=now)

    text = _text(logged_in.get(TOKENS_URL))

    assert text.count('<span class="tag ok">Active</span>') == 1
    assert text.count('<span class="tag off">Expired</span>') == 1
    assert text.count('<span class="tag off">Revoked</span>') == 1
    assert text.count(">Revoke</button>") == 1
    assert "not mine" not in text


def test_revoking_an_own_token(logged_in: Client, user: User) -> None:
    token, plain = services.api_token_create(
        actor=user, name="export", expires_at=timezone.now() + dt.timedelta(days=1)
    )

    response = logged_in.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == TOKENS_URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert authentication.user_for_token(plain) is None
    assert "The token “export” was revoked; it no longer works." in _text(logged_in.get(TOKENS_URL))
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_REVOKED, object_id=str(token.pk)).count() == 1


def test_another_users_token_cannot_be_revoked(logged_in: Client) -> None:
    other = UserFactory()
    token, plain = services.api_token_create(
        actor=other, name="theirs", expires_at=timezone.now() + dt.timedelta(days=1)
    )

    response = logged_in.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert authentication.user_for_token(plain) is not None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_REVOKED).count() == 0


def test_revoking_is_post_only(logged_in: Client, user: User) -> None:
    token, _ = services.api_token_create(actor=user, name="export", expires_at=timezone.now() + dt.timedelta(days=1))

    assert logged_in.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
