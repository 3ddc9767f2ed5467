"""The rate limit: one budget per token, per session user and per address without credentials."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peyvand.accounts.models import User
from peyvand.common.api import ApiRateThrottle
from tests.accounts.factories import UserFactory
from tests.api.helpers import ApiClient, create_token, error

pytestmark = pytest.mark.django_db

LIMITED = error("rate_limited", "Too many requests. Try again in 60 seconds.")


class Clock:
    def __init__(self) -> None:
        self.now = 1_742_549_400.0

    def tick(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Clock:
    settings.API_RATE_LIMIT = "2/m"
    clock = Clock()
    monkeypatch.setattr(ApiRateThrottle, "clock", staticmethod(lambda: clock.now))
    return clock


def test_a_token_past_its_budget_waits_and_another_token_has_its_own() -> None:
    user = UserFactory()
    first, second = ApiClient(token=create_token(user)), ApiClient(token=create_token(user))

    statuses = [first.get("/me").status_code for _ in range(2)]
    limited = first.patch("/me", {"theme": "dark"})

    assert statuses == [200, 200]
    assert (limited.status_code, limited.json(), limited["Retry-After"]) == (429, LIMITED, "60")
    user.refresh_from_db()
    assert user.theme == "auto"
    assert second.get("/me").status_code == 200


def test_the_budget_returns_after_the_period(clock: Clock) -> None:
    api = ApiClient(token=create_token(UserFactory()))

    assert [api.get("/me").status_code for _ in range(3)] == [200, 200, 429]
    clock.tick(30)
    assert api.get("/me")["Retry-After"] == "30"
    clock.tick(30)
    assert api.get("/me").status_code == 200


def test_a_session_user_has_a_budget_of_their_own() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    token_api, session_api = ApiClient(token=create_token(user)), ApiClient(client)

    assert [token_api.get("/me").status_code for _ in range(3)] == [200, 200, 429]
    assert [session_api.get("/me").status_code for _ in range(3)] == [200, 200, 429]


def test_failed_logins_spend_the_budget_of_their_address(admin_user: User) -> None:
    guesser = ApiClient()

    statuses = [guesser.get("/me", Authorization=f"Bearer pvd_0000000{n}_guess").status_code for n in range(3)]
    limited = guesser.get("/me")

    assert statuses == [401, 401, 429]
    assert (limited.status_code, limited.json(), limited["Retry-After"]) == (429, LIMITED, "60")
    assert ApiClient(token=create_token(admin_user)).get("/me").status_code == 200


def test_a_forged_forwarded_address_gets_no_fresh_budget(db: None) -> None:
    guesser = ApiClient()

    statuses = [guesser.get("/me", **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(3)]

    assert statuses == [401, 401, 429]
