"""Regressions found in the review of the timeline: bad input in the API, escaping of what customers wrote."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.timeline.models import Interaction
from tests.accounts.factories import RoleFactory, UserFactory
from tests.api.helpers import ApiClient, create_token
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
SCRIPT = '"><script>alert(1)</script>'
IMG = "<img src=x onerror=alert(1)>"


def _user() -> User:
    grants = {("persons", action): Scope.ALL for action in ("view", "edit")}
    grants.update({("interactions", action): Scope.ALL for action in ("view", "create", "edit", "delete")})
    return UserFactory(username="till", roles=[RoleFactory(grants=grants)])


def _api(user: User) -> ApiClient:
    return ApiClient(token=create_token(user))


def _fields(response: Any) -> list[str]:
    return [field["field"] for field in response.json()["error"]["fields"]]


@pytest.mark.parametrize("name", ["source_system", "external_id", "channel"])
def test_a_null_character_in_a_pushed_text_is_a_field_error(name: str) -> None:
    # Given a call-centre token and a customer
    api = _api(_user())
    party = PersonFactory()
    body = {"party_id": party.pk, "channel": "phone", "subject": "Incoming call", "source_system": "pbx",
            "external_id": "call-1"}  # fmt: skip

    # When a text the API looks up or stores as sent holds a NUL character (PostgreSQL refuses those)
    response = api.post("/interactions", {**body, name: NUL})

    # Then it is a field error, and nothing was logged
    assert response.status_code == 422
    assert _fields(response) == [name]
    assert response.json()["error"]["fields"][0]["message"] == "Null characters are not allowed."
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("path", ["/interactions?channel={nul}", "/parties/{party}/timeline?channel={nul}"])
def test_a_null_character_in_a_channel_filter_is_a_field_error(path: str) -> None:
    api = _api(_user())
    party = PersonFactory()
    response = api.get(path.format(nul="a%00b", party=party.pk))
    assert response.status_code == 422
    assert _fields(response) == ["channel"]


@pytest.mark.parametrize("query", ["party_id=99999999999999999999999", "owner_id=99999999999999999999999",
                                   "party_id=abc", "since=1403/13/40", "kind=visit2"])  # fmt: skip
def test_wrong_interaction_filters_answer_without_a_server_error(query: str) -> None:
    api = _api(_user())
    InteractionFactory()
    response = api.get(f"/interactions?{query}")
    assert response.status_code in (200, 422), response.content
    if response.status_code == 200:
        assert response.json()["items"] == []


def test_the_timeline_escapes_what_was_written(client: Client) -> None:
    # Given an interaction whose subject and content are scripts, logged by a staff member named like one
    user = _user()
    writer = UserFactory(username="writer", first_name=IMG, last_name=SCRIPT)
    party = PersonFactory(first_name=IMG, last_name=SCRIPT)
    interaction = InteractionFactory(party=party, subject=IMG, content=f"{SCRIPT}\n{IMG}", owner=writer)
    client.force_login(user)

    # When the customer page, the timeline (whole and as htmx) and the interaction open
    pages = [
        client.get(reverse("contacts:party_detail", args=[party.pk])),
        client.get(reverse("timeline:party_timeline", args=[party.pk])),
        client.get(reverse("timeline:party_timeline", args=[party.pk]), headers={"HX-Request": "true"}),
        client.get(reverse("timeline:interaction_detail", args=[interaction.pk])),
        client.get(reverse("timeline:interaction_edit", args=[interaction.pk])),
    ]
    # Then every one shows the texts, escaped
    for response in pages:
        assert response.status_code == 200
        content = response.content.decode()
        assert IMG not in content
        assert SCRIPT not in content
        assert "&lt;img src=x onerror=alert(1)&gt;" in content
