"""The API of one record: POST /parties, GET/PATCH/DELETE /parties/{id}, links, definitions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import CustomField, Party, Relationship, RelationshipType
from peyvand.contacts.services.relationships import relationship_create
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, CustomFieldFactory, PersonFactory

pytestmark = pytest.mark.django_db
MODULES = ("persons", "companies", "leads")
ACTIONS = ("view", "create", "edit", "delete", "export")
VALID_NATIONAL_ID = "0499370899"


def _role(scope: Scope, *, sensitive: bool = False) -> Any:
    grants = {(module, action): scope for module in MODULES for action in ACTIONS}
    fields = [
        (module, name) for module in ("persons", "leads") for name in ("national_id", "birth_date", "income_band")
    ]
    return RoleFactory(grants=grants, sensitive_fields=fields if sensitive else ())


@pytest.fixture
def team() -> Any:
    return TeamFactory(name="Sales")


@pytest.fixture
def api(client: Client, team: Any) -> Client:
    client.force_login(UserFactory(username="seller", roles=[_role(Scope.TEAM)], teams=[team]))
    return client


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(method, f"/api/v1{path}", json.dumps(body), content_type="application/json")


def _fields(response: Any) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json()["error"]["fields"]}


def test_create_a_person_with_phones_addresses_tags_and_custom_values(api: Client, team: Any) -> None:
    CustomFieldFactory(
        key="tier", field_type="choice", choices=[{"value": "gold", "label": "طلایی", "label_en": "Gold"}]
    )

    response = _send(api, "POST", "/parties", {
        "kind": "person", "first_name": "Sara", "last_name": "Karimi", "team_id": team.pk, "tags": ["VIP"],
        "contact_points": [{"kind": "phone", "value": "+98 912 123 4567", "consent": "granted"},
                           {"kind": "email", "value": "Sara@Example.com"}],
        "addresses": [{"province": "tehran", "city": "Tehran", "postal_code": "1234567890"}],
        "custom": {"tier": "Gold"},
    })  # fmt: skip

    body = response.json()
    assert response.status_code == 201
    assert (body["name"], body["team"], body["tags"], body["custom"]) == (
        "Sara Karimi", {"id": team.pk, "name": "Sales"}, ["VIP"], {"tier": "gold"},
    )  # fmt: skip
    assert [(point["kind"], point["key"], point["consent"]) for point in body["contact_points"]] == [
        ("email", "sara@example.com", "unknown"), ("phone", "+989121234567", "granted"),
    ]  # fmt: skip
    assert body["addresses"][0]["postal_code"] == "1234567890"
    assert "national_id" not in body


def test_every_wrong_field_is_named_as_the_client_sent_it(api: Client) -> None:
    CustomFieldFactory(key="tier", field_type="choice", choices=[{"value": "gold", "label": "طلایی"}])

    response = _send(api, "POST", "/parties", {
        "kind": "person", "first_name": "Sara", "owner_id": 999999, "custom": {"tier": "tin", "colour": "red"},
        "contact_points": [{"kind": "phone", "value": "0912 123 4567"}, {"kind": "phone", "value": "12"}],
        "addresses": [{"postal_code": "12"}],
    })  # fmt: skip

    assert response.status_code == 422
    assert _fields(response) == {
        "owner_id": "Select a valid choice. That choice is not one of the available choices.",
        "custom.tier": "Select a valid choice. tin is not one of the available choices.",
        "custom.colour": "There is no such custom field.",
        "contact_points.1.value": "This phone number is too short.",
        "addresses.0.postal_code": "An Iranian postal code has 10 digits.",
    }
    assert Party.objects.count() == 0


def test_sensitive_fields_are_refused_to_roles_not_granted_them(api: Client) -> None:
    response = _send(
        api, "POST", "/parties", {"kind": "person", "last_name": "Karimi", "national_id": VALID_NATIONAL_ID}
    )

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You may not set: national_id."
    assert Party.objects.count() == 0


def test_sensitive_fields_come_back_only_to_roles_granted_them(client: Client, team: Any) -> None:
    person = PersonFactory(team=team, national_id=VALID_NATIONAL_ID)
    client.force_login(UserFactory(roles=[_role(Scope.TEAM)], teams=[team]))
    hidden = client.get(f"/api/v1/parties/{person.pk}").json()
    client.force_login(UserFactory(roles=[_role(Scope.TEAM, sensitive=True)], teams=[team]))
    shown = client.get(f"/api/v1/parties/{person.pk}").json()

    assert "national_id" not in hidden
    assert VALID_NATIONAL_ID not in json.dumps(hidden)
    assert shown["national_id"] == VALID_NATIONAL_ID


def test_patch_changes_only_what_is_sent(api: Client, team: Any) -> None:
    person = PersonFactory(team=team, first_name="Sara", last_name="Karimi", phones=["0912 123 4567"], tags=["VIP"])

    response = _send(api, "PATCH", f"/parties/{person.pk}", {"last_name": "Moradi", "lifecycle_stage": "customer"})

    body = response.json()
    assert response.status_code == 200
    assert (body["name"], body["lifecycle_stage"], body["tags"]) == ("Sara Moradi", "customer", ["VIP"])
    assert [point["key"] for point in body["contact_points"]] == ["+989121234567"]


def test_patch_refuses_a_field_of_another_kind(api: Client, team: Any) -> None:
    company = CompanyFactory(team=team)

    response = _send(api, "PATCH", f"/parties/{company.pk}", {"first_name": "Sara"})

    assert response.status_code == 422
    assert _fields(response) == {"first_name": "This field does not belong to this kind of record."}


def test_delete(api: Client, team: Any) -> None:
    person = PersonFactory(team=team)

    response = api.delete(f"/api/v1/parties/{person.pk}")

    assert response.status_code == 204
    assert Party.objects.count() == 0


def test_links_are_added_and_removed(api: Client, team: Any) -> None:
    person, company = PersonFactory(team=team), CompanyFactory(team=team)

    added = _send(api, "POST", f"/parties/{company.pk}/relationships",
                  {"type": "works_at", "to_party_id": person.pk, "direction": "inverse"})  # fmt: skip

    assert added.status_code == 201
    assert added.json() == {"id": added.json()["id"], "type": "works_at", "label": "employs", "direction": "inverse",
                            "other": {"id": person.pk, "kind": "person", "name": person.name}, "note": ""}  # fmt: skip
    relationship = Relationship.objects.get()
    assert (relationship.from_party_id, relationship.to_party_id) == (person.pk, company.pk)
    assert api.delete(f"/api/v1/relationships/{relationship.pk}").status_code == 204
    assert Relationship.objects.count() == 0


def test_a_link_against_the_type_is_refused(api: Client, team: Any) -> None:
    first, second = PersonFactory(team=team), PersonFactory(team=team)

    response = _send(api, "POST", f"/parties/{first.pk}/relationships", {"type": "works_at", "to_party_id": second.pk})

    assert response.status_code == 422
    assert _fields(response) == {"type": "“works at” links a person to a company."}


def test_definitions_tell_integrators_the_keys(api: Client) -> None:
    CustomFieldFactory(key="tier", kind="company", label="سطح", label_en="Tier", field_type="choice",
                       choices=[{"value": "gold", "label": "طلایی", "label_en": "Gold"}])  # fmt: skip
    CustomFieldFactory(key="old", is_active=False)

    fields = api.get("/api/v1/custom-fields").json()
    types = api.get("/api/v1/relationship-types").json()

    assert fields == [{"key": "tier", "kind": "company", "field_type": "choice", "label": "سطح", "label_en": "Tier",
                       "choices": [{"value": "gold", "label": "طلایی", "label_en": "Gold"}], "is_required": False,
                       "help_text": "", "order": 100}]  # fmt: skip
    assert [item["key"] for item in types] == ["works_at", "parent_of", "spouse", "family", "referred_by", "partner",
                                               "supplier_of", "competitor"]  # fmt: skip
    assert api.get("/api/v1/custom-fields?kind=person").json() == []
    assert CustomField.objects.count() == 2


def test_the_detail_costs_a_fixed_number_of_queries(api: Client, team: Any, django_assert_num_queries: Any) -> None:
    person = PersonFactory(team=team, phones=["0912 000 0001", "0912 000 0002"], tags=["a", "b"])
    for _index in range(3):
        relationship_create(actor=None, from_party=person, to_party=CompanyFactory(team=team),
                            type=RelationshipType.objects.get(key="partner"))  # fmt: skip

    # session, user, profile (3), party, contact points, addresses, tags, custom fields, links
    with django_assert_num_queries(11):
        response = api.get(f"/api/v1/parties/{person.pk}")
    assert response.status_code == 200
    assert len(response.json()["relationships"]) == 3


def test_creating_writes_one_audit_entry(api: Client, team: Any) -> None:
    _send(api, "POST", "/parties", {"kind": "company", "name": "Pars", "team_id": team.pk})

    assert list(AuditEvent.objects.filter(object_type="contacts.party").values_list("kind", flat=True)) == ["create"]


def test_null_lists_mean_none(api: Client) -> None:
    response = _send(api, "POST", "/parties", {"kind": "person", "last_name": "Karimi", "contact_points": None,
                                               "addresses": None, "tags": None})  # fmt: skip

    assert response.status_code == 201, response.content
    party = Party.objects.get(pk=response.json()["id"])
    assert (party.contact_points.count(), party.addresses.count(), party.tags.count()) == (0, 0, 0)
