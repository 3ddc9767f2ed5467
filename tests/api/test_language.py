"""Messages come in the request's language: the user's own, else what Accept-Language asks for."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from peyvand.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.api.helpers import ApiClient, create_token

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = "Log in, or send a valid API token in the Authorization header: Bearer pvd_…"
DENIED = "You do not have permission to do this."
NOT_FOUND = "This was not found, or it is out of your reach."


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_without_a_user_accept_language_chooses(language: str) -> None:
    response = ApiClient().get("/me", **{"Accept-Language": language})

    message = response.json()["error"]["message"]
    assert response["Content-Language"] == language
    assert message == in_language(language, NOT_AUTHENTICATED)
    assert message.strip() != ""


def test_a_token_users_language_wins_over_accept_language() -> None:
    user = UserFactory(language=User.Language.PERSIAN)

    response = ApiClient(token=create_token(user)).get("/roles", **{"Accept-Language": "en"})

    assert (response.status_code, response["Content-Language"]) == (403, "fa")
    assert response.json()["error"]["message"] == in_language("fa", DENIED)


def test_a_session_users_language_wins_over_accept_language() -> None:
    user = UserFactory(language=User.Language.PERSIAN)
    client = Client()
    client.force_login(user)

    response = ApiClient(client).get("/nothing-here", **{"Accept-Language": "en"})

    assert response["Content-Language"] == "fa"
    assert response.json()["error"]["message"] == in_language("fa", NOT_FOUND)
