"""Who a request acts for: a bearer token or the web session (with CSRF on changes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from peyvand.accounts import services
from peyvand.accounts.models import ApiToken, User
from tests.accounts.factories import RoleFactory, UserFactory
from tests.api.helpers import ApiClient, create_token, error

pytestmark = pytest.mark.django_db

NO_CREDENTIALS = error(
    "not_authenticated", "Log in, or send a valid API token in the Authorization header: Bearer pvd_…"
)
BAD_TOKEN = error("not_authenticated", "This API token is not valid: it is unknown, has expired or was revoked.")
CSRF_REFUSED = error(
    "permission_denied",
    "The CSRF token is missing or wrong. Send the csrftoken cookie's value in the X-CSRFToken header.",
)
CSRF_SECRET = "a" * 32


def session_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_without_credentials_the_answer_is_401_with_a_bearer_challenge(db: None) -> None:
    response = ApiClient().get("/me")

    assert (response.status_code, response.json()) == (401, NO_CREDENTIALS)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_session_reads_without_a_csrf_token() -> None:
    user = UserFactory(username="sara")

    response = ApiClient(session_client(user)).get("/me")

    assert (response.status_code, response.json()["username"]) == (200, "sara")


def test_a_session_change_without_the_csrf_token_is_refused_and_changes_nothing() -> None:
    user = UserFactory()

    response = ApiClient(session_client(user)).patch("/me", {"theme": "dark"})

    assert (response.status_code, response.json()) == (403, CSRF_REFUSED)
    user.refresh_from_db()
    assert user.theme == "auto"


def test_a_session_change_with_the_csrf_token_is_made() -> None:
    user = UserFactory()
    client = session_client(user)
    client.cookies["csrftoken"] = CSRF_SECRET

    response = ApiClient(client).patch("/me", {"theme": "dark"}, **{"X-CSRFToken": CSRF_SECRET})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.theme == "dark"


def test_a_token_changes_without_csrf_and_acts_as_its_user_over_a_session() -> None:
    token_user, session_user = UserFactory(username="token-user"), UserFactory(username="session-user")
    api = ApiClient(session_client(session_user), token=create_token(token_user))

    me = api.get("/me")
    change = api.patch("/me", {"theme": "dark"})

    assert (me.json()["username"], change.status_code) == ("token-user", 200)
    token_user.refresh_from_db()
    session_user.refresh_from_db()
    assert (token_user.theme, session_user.theme) == ("dark", "auto")


def test_a_token_records_when_it_was_last_used() -> None:
    user = UserFactory()
    api = ApiClient(token=create_token(user))

    api.get("/me")

    assert ApiToken.objects.get(user=user).last_used_at is not None


def expired(user: User) -> str:
    token, plain = services.api_token_create(actor=user, name="old", expires_at=timezone.now() + dt.timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    return plain


def revoked(user: User) -> str:
    plain = create_token(user, name="revoked")
    services.api_token_revoke(actor=user, token=ApiToken.objects.get(name="revoked"))
    return plain


def of_inactive_user(user: User) -> str:
    plain = create_token(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    return plain


def wrong_secret(user: User) -> str:
    return create_token(user)[:-4] + "AAAA"


@pytest.mark.parametrize(
    "make_token",
    [expired, revoked, of_inactive_user, wrong_secret, lambda user: "pvd_00000000_unknown", lambda user: ""],
)
def test_an_unusable_token_is_refused_with_401_even_beside_a_session(make_token: Any) -> None:
    user = UserFactory()
    token = make_token(user)
    client = Client()
    client.force_login(UserFactory())

    response = ApiClient(client).get("/me", Authorization=f"Bearer {token}")

    assert (response.status_code, response.json()) == (401, BAD_TOKEN)


def test_another_authorization_scheme_is_not_a_login(db: None) -> None:
    response = ApiClient().get("/me", Authorization="Basic dXNlcjpwYXNz")

    assert (response.status_code, response.json()) == (401, NO_CREDENTIALS)


def test_a_session_of_a_user_who_must_set_up_two_factor_login_is_refused() -> None:
    user = UserFactory(roles=[RoleFactory(requires_two_factor=True)])

    response = ApiClient(session_client(user)).get("/me")

    assert (response.status_code, response.json()) == (403, error(
        "permission_denied", "Your role requires two-factor login. Set it up in Peyvand before using the API."
    ))  # fmt: skip
