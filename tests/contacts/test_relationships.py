"""Links between parties: who may add them, what a type allows, both records' audit trails."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Relationship, RelationshipType
from peyvand.contacts.services.relationships import relationship_create, relationship_delete
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _type(key: str) -> RelationshipType:
    return RelationshipType.objects.get(key=key)


def _user(scope: Scope, team: Any) -> Any:
    grants = {(module, action): scope for module in ("persons", "companies", "leads")
              for action in ("view", "create", "edit", "delete")}  # fmt: skip
    return UserFactory(roles=[RoleFactory(grants=grants)], teams=[team])


def test_a_link_is_written_in_both_records_audit_trails() -> None:
    person = PersonFactory(first_name="Sara", last_name="Karimi")
    company = CompanyFactory(name="Pars Trading")

    relationship = relationship_create(actor=None, from_party=person, to_party=company, type=_type("works_at"))
    relationship_delete(actor=None, relationship=relationship)

    events = AuditEvent.objects.filter(object_type="contacts.party").exclude(kind="create").order_by("pk")
    assert [(event.object_id, event.changes) for event in events] == [
        (str(person.pk), {"relationship": ["", "works at: Pars Trading"], "relationship_party": company.pk}),
        (str(company.pk), {"relationship": ["", "employs: Sara Karimi"], "relationship_party": person.pk}),
        (str(person.pk), {"relationship": ["works at: Pars Trading", ""], "relationship_party": company.pk}),
        (str(company.pk), {"relationship": ["employs: Sara Karimi", ""], "relationship_party": person.pk}),
    ]
    assert Relationship.objects.count() == 0


@pytest.mark.parametrize(
    ("key", "first", "second", "errors"),
    [
        ("works_at", "company", "person", {"type": ["“works at” links a person to a company."]}),
        ("spouse", "person", "same", {"to_party": ["A record cannot be linked to itself."]}),
    ],
)
def test_what_a_type_allows(key: str, first: str, second: str, errors: dict[str, list[str]]) -> None:
    makers = {"person": PersonFactory, "company": CompanyFactory}
    from_party = makers[first]()
    to_party = from_party if second == "same" else makers[second]()

    with pytest.raises(ValidationError) as raised:
        relationship_create(actor=None, from_party=from_party, to_party=to_party, type=_type(key))

    assert raised.value.message_dict == errors
    assert Relationship.objects.count() == 0


def test_a_symmetric_link_is_not_added_twice_the_other_way() -> None:
    first, second = PersonFactory(), PersonFactory()
    relationship_create(actor=None, from_party=first, to_party=second, type=_type("spouse"))

    with pytest.raises(ValidationError) as raised:
        relationship_create(actor=None, from_party=second, to_party=first, type=_type("spouse"))

    assert raised.value.message_dict == {"to_party": ["These two are already linked this way."]}


def test_both_ends_must_be_in_sight() -> None:
    sales, elsewhere = TeamFactory(), TeamFactory()
    actor = _user(Scope.TEAM, sales)
    mine, theirs = PersonFactory(team=sales), CompanyFactory(team=elsewhere)

    with pytest.raises(PermissionDenied):
        relationship_create(actor=actor, from_party=mine, to_party=theirs, type=_type("works_at"))
    assert Relationship.objects.count() == 0


def test_viewing_both_is_not_enough_one_must_be_changeable() -> None:
    sales = TeamFactory()
    viewer = UserFactory(roles=[RoleFactory(grants={("persons", "view"): Scope.ALL, ("companies", "view"): Scope.ALL})],
                         teams=[sales])  # fmt: skip

    with pytest.raises(PermissionDenied):
        relationship_create(actor=viewer, from_party=PersonFactory(), to_party=CompanyFactory(), type=_type("works_at"))


def test_adding_from_the_company_page_with_the_inverse_reading(client: Client) -> None:
    sales = TeamFactory()
    actor = _user(Scope.TEAM, sales)
    person, company = PersonFactory(team=sales), CompanyFactory(team=sales)
    client.force_login(actor)

    response = client.post(reverse("contacts:relationship_create", args=[company.pk]),
                           {"reading": f"{_type('works_at').pk}:i", "other": person.pk, "note": "since 1400"})  # fmt: skip

    assert response.status_code == 302
    assert list(Relationship.objects.values_list("from_party", "to_party", "note")) == [(person.pk, company.pk,
                                                                                          "since 1400")]  # fmt: skip


def test_the_picker_finds_only_parties_in_sight(client: Client) -> None:
    sales, elsewhere = TeamFactory(), TeamFactory()
    client.force_login(_user(Scope.TEAM, sales))
    PersonFactory(first_name="Sara", last_name="Karimi", team=sales)
    PersonFactory(first_name="Sara", last_name="Hidden", team=elsewhere)

    body = client.get(reverse("contacts:party_picker"), {"q": "sar"}).content.decode()

    assert "Sara Karimi" in body
    assert "Hidden" not in body


def test_the_form_page_without_javascript_searches_and_keeps_the_choice(client: Client) -> None:
    sales = TeamFactory()
    client.force_login(_user(Scope.TEAM, sales))
    person = PersonFactory(team=sales)
    CompanyFactory(name="Kavir Tile", team=sales)

    body = client.get(reverse("contacts:relationship_create", args=[person.pk]), {"q": "kavir"}).content.decode()

    assert "Kavir Tile" in body
    assert 'type="radio" name="other"' in body
