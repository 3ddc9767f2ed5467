"""The timeline API: pushes from other systems, reading back, the merged timeline, the channels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party
from peyvand.timeline.models import ChannelTally, Interaction
from tests.accounts.factories import RoleFactory, UserFactory
from tests.api.helpers import ApiClient, create_token, error
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory, channel

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 21, 9, 30, tzinfo=dt.UTC)
INVALID = "Some of the values sent are not valid."
DENIED = error("permission_denied", "You do not have permission to do this.")
NOT_FOUND = error("not_found", "This was not found, or it is out of your reach.")


def _user(scope: Scope = Scope.ALL, **extra: Scope) -> User:
    grants = {("persons", action): scope for action in ("view", "edit")}
    grants.update({("interactions", action): scope for action in ("view", "create", "edit", "delete")})
    grants.update({tuple(name.split("__")): value for name, value in extra.items()})  # type: ignore[misc]
    return UserFactory(username="till", roles=[RoleFactory(grants=grants)])


def _api(user: User) -> ApiClient:
    api = ApiClient(token=create_token(user))
    assert api.get("/me").status_code == 200
    return api


def _push(api: ApiClient, **body: Any) -> Any:
    return api.post("/interactions", {"channel": "phone", "kind": "call", "subject": "Incoming call", **body})


def test_a_push_logs_the_interaction_and_a_repeated_one_answers_200_with_it() -> None:
    # Given a call-centre token and a customer
    api = _api(_user())
    party = PersonFactory()
    body = {"party_id": party.pk, "occurred_at": "2025-03-21T13:00:00+03:30", "duration_seconds": 95,
            "source_system": "pbx", "external_id": "call-77", "direction": "inbound"}  # fmt: skip

    # When the PBX pushes a call, then pushes it again
    first = _push(api, **body)
    second = _push(api, **{**body, "subject": "Another text"})

    # Then the first answer is 201 with the interaction, the second 200 with the same one, logged once
    assert first.status_code == 201
    assert second.status_code == 200
    data = first.json()
    assert second.json() == data
    assert {key: data[key] for key in ("kind", "direction", "subject", "duration_seconds", "cost", "source_system",
                                        "external_id", "occurred_at")} == {
        "kind": "call", "direction": "inbound", "subject": "Incoming call", "duration_seconds": 95, "cost": 0,
        "source_system": "pbx", "external_id": "call-77", "occurred_at": "2025-03-21T09:30:00Z",
    }  # fmt: skip
    assert data["party"] == {"id": party.pk, "kind": "person", "name": party.name}
    assert data["channel"] == {"key": "phone", "name": "Phone"}
    assert data["owner"]["username"] == "till"
    assert Interaction.objects.count() == 1
    party.refresh_from_db()
    assert party.interaction_count == 1


def test_a_push_finds_the_customer_by_phone_in_any_format_or_by_email() -> None:
    api = _api(_user())
    sara = PersonFactory(phones=["0912 123 4567"], emails=["Sara@Example.com"])

    by_phone = _push(api, phone="+98 ۹۱۲ ۱۲۳ ۴۵۶۷")
    by_email = _push(api, email="sara@example.COM", channel="email", kind="email")

    assert (by_phone.status_code, by_email.status_code) == (201, 201)
    assert by_phone.json()["party"]["id"] == by_email.json()["party"]["id"] == sara.pk


def test_a_push_without_a_customer_or_with_an_unknown_or_shared_number_is_refused_by_field() -> None:
    api = _api(_user())
    PersonFactory(phones=["0912 111 2222"])
    PersonFactory(phones=["0912 111 2222"])

    nobody = _push(api)
    unknown = _push(api, phone="0912 999 8888")
    shared = _push(api, phone="09121112222")
    broken = _push(api, phone="12")

    assert nobody.status_code == unknown.status_code == shared.status_code == broken.status_code == 422
    assert nobody.json() == error("validation_error", INVALID, [
        {"field": "party_id", "message": "Send party_id, or a phone number or email address to find the customer by."}
    ])  # fmt: skip
    assert unknown.json()["error"]["fields"] == [
        {"field": "phone", "message": "No customer you may see has this phone number."}
    ]
    assert shared.json()["error"]["fields"] == [
        {"field": "phone", "message": "Several customers have this; send party_id to choose one."}
    ]
    assert [field["field"] for field in broken.json()["error"]["fields"]] == ["phone"]
    assert Interaction.objects.count() == 0


def test_wrong_values_are_named_and_nothing_is_written() -> None:
    api = _api(_user())
    party = PersonFactory()

    response = _push(api, party_id=party.pk, channel="pigeon", kind="dance", subject="", cost=-1)

    assert response.status_code == 422
    assert sorted(field["field"] for field in response.json()["error"]["fields"]) == ["cost", "kind"]
    response = _push(api, party_id=party.pk, channel="pigeon", subject="")
    assert response.json()["error"]["fields"] == [
        {"field": "channel", "message": "Select a valid choice. pigeon is not one of the available choices."},
        {"field": "subject", "message": "Write a subject or some content."},
    ]
    assert Interaction.objects.count() == 0


def test_a_repeated_external_id_out_of_reach_is_a_conflict() -> None:
    # Given the stranger's customer has an interaction pushed as pbx/1
    InteractionFactory(party=PersonFactory(), source_system="pbx", external_id="1")
    api = _api(_user(Scope.OWN))
    mine = PersonFactory(owner=User.objects.get(username="till"))

    response = _push(api, party_id=mine.pk, source_system="pbx", external_id="1")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Interaction.objects.count() == 1


def test_the_list_pages_newest_first_with_filters(django_assert_num_queries: Any) -> None:
    api = _api(_user())
    party = PersonFactory()
    interactions = [InteractionFactory(party=party, occurred_at=T0 + dt.timedelta(minutes=n)) for n in range(5)]
    InteractionFactory(party=party, channel=channel("email"), kind="email", occurred_at=T0)

    first = api.get("/interactions", {"channel": "phone", "limit": 3})
    second = api.get("/interactions", {"channel": "phone", "limit": 3, "cursor": first.json()["next_cursor"]})

    ids = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert ids == [interaction.pk for interaction in reversed(interactions)]
    assert second.json()["next_cursor"] is None
    unknown = api.get("/interactions", {"channel": "pigeon"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["fields"] == [{"field": "channel", "message": "There is no channel with this key."}]


@pytest.mark.parametrize("count", [5, 200])
def test_the_list_costs_the_same_queries_however_many_interactions(count: int, django_assert_num_queries: Any) -> None:
    api = _api(_user(Scope.TEAM))
    party = PersonFactory(owner=User.objects.get(username="till"))
    Interaction.objects.bulk_create([
        Interaction(party=party, channel=channel("phone"), occurred_at=T0 - dt.timedelta(minutes=n), subject=f"{n}")
        for n in range(count)
    ])  # fmt: skip

    # the token (1), the profile (3), one page of interactions with their party, channel and owner (1)
    with django_assert_num_queries(5):
        response = api.get("/interactions", {"limit": 50})

    assert len(response.json()["items"]) == min(count, 50)


@pytest.mark.parametrize("count", [5, 200])
def test_the_timeline_costs_the_same_queries_however_long(count: int, django_assert_num_queries: Any) -> None:
    api = _api(_user())
    party = PersonFactory()
    Interaction.objects.bulk_create([
        Interaction(party=party, channel=channel("phone"), occurred_at=T0 - dt.timedelta(minutes=n), subject=f"{n}")
        for n in range(count)
    ])  # fmt: skip

    # the token (1), the profile (3), the party (1), interactions (1), changes (1)
    with django_assert_num_queries(7):
        response = api.get(f"/parties/{party.pk}/timeline", {"limit": 30})

    assert len(response.json()["items"]) == min(count + 1, 30)  # with the record's creation


def test_the_timeline_merges_changes_and_pages_on() -> None:
    api = _api(_user())
    party = PersonFactory()
    call = InteractionFactory(party=party, occurred_at=T0)

    first = api.get(f"/parties/{party.pk}/timeline", {"limit": 1})
    second = api.get(f"/parties/{party.pk}/timeline", {"limit": 1, "cursor": first.json()["next_cursor"]})

    assert first.json()["items"][0]["type"] == "change"
    assert first.json()["items"][0]["change"] == {"kind": "create", "actor": "", "fields": []}
    assert second.json()["items"][0]["type"] == "interaction"
    assert second.json()["items"][0]["interaction"]["id"] == call.pk
    assert second.json()["next_cursor"] is None
    bad = api.get(f"/parties/{party.pk}/timeline", {"cursor": "forged"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"][0]["field"] == "cursor"
    wrong_kind = api.get(f"/parties/{party.pk}/timeline", {"kind": "dance"})
    assert wrong_kind.status_code == 422


def test_patch_changes_only_what_is_sent_and_recounts() -> None:
    api = _api(_user())
    party = PersonFactory()
    interaction = InteractionFactory(party=party, occurred_at=T0, subject="Call", content="Keep me")

    response = api.patch(f"/interactions/{interaction.pk}", {"channel": "email", "kind": "email", "cost": 4_000})

    assert response.status_code == 200
    assert (response.json()["channel"]["key"], response.json()["content"], response.json()["cost"]) == (
        "email",
        "Keep me",
        4_000,
    )
    assert {tally.channel.key: tally.count for tally in ChannelTally.objects.filter(party=party)} == {"email": 1}
    refused = api.patch(f"/interactions/{interaction.pk}", {"subject": None})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == [
        {"field": "subject", "message": "This field cannot be null; leave it out to keep its value."}
    ]


def test_delete_removes_and_recounts() -> None:
    api = _api(_user())
    interaction = InteractionFactory(occurred_at=T0)

    response = api.delete(f"/interactions/{interaction.pk}")

    assert response.status_code == 204
    assert Interaction.objects.count() == 0
    assert Party.objects.get(pk=interaction.party_id).interaction_count == 0


def test_refusals_use_the_common_format_and_change_nothing() -> None:
    # Given a user who sees only their own persons and may only view interactions
    user = UserFactory(
        roles=[RoleFactory(grants={("persons", "view"): Scope.OWN, ("interactions", "view"): Scope.ALL})]
    )
    api = _api(user)
    theirs = InteractionFactory(occurred_at=T0, subject="Untouched")
    mine = InteractionFactory(party=PersonFactory(owner=user), occurred_at=T0, subject="Mine")

    assert api.get(f"/interactions/{theirs.pk}").json() == NOT_FOUND
    assert api.patch(f"/interactions/{mine.pk}", {"subject": "x"}).json() == DENIED
    assert api.delete(f"/interactions/{mine.pk}").json() == DENIED
    assert _push(api, party_id=mine.party_id).json() == DENIED
    assert list(Interaction.objects.order_by("pk").values_list("subject", flat=True)) == ["Untouched", "Mine"]


def test_channels_are_listed_in_their_order() -> None:
    api = _api(_user())
    response = api.get("/channels")
    keys = [channel["key"] for channel in response.json()]
    assert keys[:4] == ["phone", "email", "sms", "website"]
    assert response.json()[0] == {"id": channel("phone").pk, "key": "phone", "name": "Phone", "name_fa": "تلفن",
                                  "name_en": "Phone", "icon": "phone", "cost_per_contact": 0, "is_active": True,
                                  "order": 10}  # fmt: skip
