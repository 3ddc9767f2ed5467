"""Caller ID: the number a telephone exchange sends, the cards of who may be calling, and the screen pop."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from peyvand.accounts import access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.contacts.models import Party, Relationship
from peyvand.contacts.selectors.caller_id import CallerCard, caller_id_lookup
from tests.accounts.factories import RoleFactory, UserFactory
from tests.api.helpers import ApiClient, as_json, create_token, error
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory, RelationshipTypeFactory

pytestmark = pytest.mark.django_db

MODULES = ("persons", "companies", "leads")


def _user(scope: Scope = Scope.ALL, *, actions: tuple[str, ...] = (Action.VIEW,), **kwargs: Any) -> User:
    grants = {(module, action): scope for module in MODULES for action in actions}
    user = UserFactory(roles=[RoleFactory(grants=grants)], **kwargs)
    access.profile_for(user)
    return user


def _sara(owner: User | None = None) -> Party:
    owner = owner or UserFactory(first_name="Negar", last_name="Ahmadi")
    person = PersonFactory(first_name="Sara", last_name="Karimi", phones=["0912 123 4567"],
                           emails=["sara@example.com"], tags=["VIP", "Tehran"], owner=owner,
                           lifecycle_stage="customer")  # fmt: skip
    Party.objects.filter(pk=person.pk).update(
        last_contact_at=dt.datetime(2024, 8, 2, 9, 30, tzinfo=dt.UTC), interaction_count=12
    )
    return person


# The selector -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number", ["09121234567", "+989121234567", "00989121234567", "989121234567", "9121234567", "909121234567",
               "۰۹۱۲۱۲۳۴۵۶۷"],
)  # fmt: skip
def test_the_ways_an_exchange_sends_a_mobile_find_its_owner(number: str) -> None:
    person = _sara()

    found = caller_id_lookup(actor=_user(), number=number)

    assert (found.match, found.candidates, [card.id for card in found.cards]) == ("one", ["9121234567"], [person.pk])


def test_the_card_holds_what_a_call_centre_needs() -> None:
    # Given a person who works at a company, with tags, an owner and a history of contacts
    person = _sara()
    company = CompanyFactory(name="Pars Tile")
    works_at = RelationshipTypeFactory(key="works_at")
    Relationship.objects.create(from_party=person, to_party=company, type=works_at)
    # When their number calls
    found = caller_id_lookup(actor=_user(), number="09121234567")
    # Then the card says who they are
    assert found.cards == [
        CallerCard(
            id=person.pk, kind="person", name="Sara Karimi", company="Pars Tile", company_id=company.pk,
            owner="Negar Ahmadi", lifecycle_stage="customer", tags=["Tehran", "VIP"], phone="0912 123 4567",
            primary_phone="0912 123 4567", primary_email="sara@example.com",
            last_contact_at=dt.datetime(2024, 8, 2, 9, 30, tzinfo=dt.UTC), interaction_count=12,
            url=f"/contacts/{person.pk}/",
        )
    ]  # fmt: skip


def test_a_company_the_actor_may_not_see_is_left_off_the_card() -> None:
    user = _user(Scope.OWN)
    person = _sara(owner=user)
    company = CompanyFactory(name="Secret Holding")
    Relationship.objects.create(from_party=person, to_party=company, type=RelationshipTypeFactory(key="works_at"))

    [card] = caller_id_lookup(actor=user, number="09121234567").cards

    assert (card.company, card.company_id) == ("", None)


def test_a_lead_shows_the_company_it_named() -> None:
    lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="Kavir Tile", phones=["021 8877 6655"])

    [card] = caller_id_lookup(actor=_user(), number="02188776655").cards

    assert (card.id, card.kind, card.company) == (lead.pk, "lead", "Kavir Tile")


def test_a_local_number_is_completed_with_the_area_code(settings: Any) -> None:
    person = PersonFactory(phones=["021 8877 6655"])

    assert caller_id_lookup(actor=_user(), number="88776655").match == "none"
    assert [card.id for card in caller_id_lookup(actor=_user(), number="88776655", area_code="21").cards] == [person.pk]
    settings.CALLER_ID_AREA_CODE = "21"
    assert [card.id for card in caller_id_lookup(actor=_user(), number="88776655").cards] == [person.pk]


def test_several_parties_with_the_number_are_all_offered() -> None:
    first = PersonFactory(first_name="Ali", last_name="Karimi", phones=["0912 123 4567"])
    second = CompanyFactory(name="Karimi Trading", phones=["+98 912 123 4567"])

    found = caller_id_lookup(actor=_user(), number="09121234567")

    assert (found.match, [card.id for card in found.cards]) == ("several", [first.pk, second.pk])


def test_only_what_the_actor_may_see_is_found() -> None:
    user = _user(Scope.OWN)
    mine = PersonFactory(phones=["0912 123 4567"], owner=user)
    PersonFactory(phones=["0912 123 4567"], owner=UserFactory())

    found = caller_id_lookup(actor=user, number="09121234567")

    assert (found.match, [card.id for card in found.cards]) == ("one", [mine.pk])


@pytest.mark.parametrize("number", ["anonymous", "", "123", "0912"])
def test_a_number_that_cannot_be_read_finds_nobody(number: str) -> None:
    PersonFactory(phones=["0912 123 4567"])

    assert caller_id_lookup(actor=_user(), number=number).match == "none"


def test_a_lookup_costs_three_queries_and_one_when_nobody_matches(django_assert_num_queries: Any) -> None:
    user = _user()
    for number in range(3):
        PersonFactory(phones=["0912 123 4567"], tags=["VIP"], emails=[f"p{number}@example.com"])

    with django_assert_num_queries(3):
        assert len(caller_id_lookup(actor=user, number="09121234567").cards) == 3
    with django_assert_num_queries(1):
        assert caller_id_lookup(actor=user, number="09351112233").match == "none"


# The API ----------------------------------------------------------------------------------------
def test_the_api_answers_with_the_cards() -> None:
    person = _sara()
    api = ApiClient(token=create_token(_user()))

    response = api.get("/caller-id", {"number": "+98 912 123 4567"})

    assert response.status_code == 200
    assert response.json() == {
        "match": "one",
        "candidates": ["9121234567"],
        "cards": [
            {
                "id": person.pk, "kind": "person", "name": "Sara Karimi", "company": "", "company_id": None,
                "owner": "Negar Ahmadi", "lifecycle_stage": "customer", "tags": ["Tehran", "VIP"],
                "phone": "0912 123 4567", "primary_phone": "0912 123 4567", "primary_email": "sara@example.com",
                "last_contact_at": as_json(dt.datetime(2024, 8, 2, 9, 30, tzinfo=dt.UTC)), "interaction_count": 12,
                "url": f"/contacts/{person.pk}/",
            }
        ],
    }  # fmt: skip


def test_the_api_reads_a_local_number_with_the_area_code_given() -> None:
    person = PersonFactory(phones=["021 8877 6655"])
    api = ApiClient(token=create_token(_user()))

    response = api.get("/caller-id", {"number": "88776655", "area_code": "۰۲۱"})

    assert (response.json()["match"], [card["id"] for card in response.json()["cards"]]) == ("one", [person.pk])


def test_the_api_refuses_an_area_code_that_is_not_digits() -> None:
    api = ApiClient(token=create_token(_user()))

    response = api.get("/caller-id", {"number": "88776655", "area_code": "tehran"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "area_code", "message": "An area code is digits only, such as 21 for Tehran."}
    ]


def test_the_api_needs_a_number() -> None:
    api = ApiClient(token=create_token(_user()))

    response = api.get("/caller-id")

    assert response.status_code == 422
    assert [field["field"] for field in response.json()["error"]["fields"]] == ["number"]


def test_the_api_refuses_a_user_who_may_see_no_customer() -> None:
    api = ApiClient(token=create_token(UserFactory()))

    response = api.get("/caller-id", {"number": "09121234567"})

    assert (response.status_code, response.json()) == (
        403, error("permission_denied", "You do not have permission to do this.")
    )  # fmt: skip


def test_the_api_costs_a_fixed_number_of_queries(client: Client, django_assert_num_queries: Any) -> None:
    # Given a session user (as a call-centre screen calls it) and two parties with the number
    user = _user()
    PersonFactory(phones=["0912 123 4567"], tags=["VIP"])
    PersonFactory(phones=["0912 123 4567"], tags=["VIP"])
    client.force_login(user)
    api = ApiClient(client)
    # When the lookup is made: session, user, the permission profile (3), the lookup (3)
    with django_assert_num_queries(8):
        response = api.get("/caller-id", {"number": "09121234567"})
    # Then
    assert response.json()["match"] == "several"


# The screen-pop page ----------------------------------------------------------------------------
def test_one_match_opens_the_customer_page(client: Client) -> None:
    person = _sara()
    client.force_login(_user())

    response = client.get("/contacts/caller-id/", {"number": "00989121234567"})

    assert (response.status_code, response["Location"]) == (302, f"/contacts/{person.pk}/")


def test_several_matches_offer_a_choice(client: Client) -> None:
    first = PersonFactory(first_name="Ali", last_name="Karimi", phones=["0912 123 4567"])
    second = PersonFactory(first_name="Zahra", last_name="Karimi", phones=["0912 123 4567"])
    client.force_login(_user())

    response = client.get("/contacts/caller-id/", {"number": "09121234567"})

    body = response.content.decode()
    assert response.status_code == 200
    assert [card.id for card in response.context["found"].cards] == [first.pk, second.pk]
    assert f'href="/contacts/{first.pk}/"' in body
    assert f'href="/contacts/{second.pk}/"' in body
    assert "Several customers have the number" in body


def test_no_match_offers_to_add_a_person_with_the_number(client: Client) -> None:
    client.force_login(_user(actions=(Action.VIEW, Action.CREATE)))

    response = client.get("/contacts/caller-id/", {"number": "0912 123 4567"})

    body = response.content.decode()
    assert "No customer has the number" in body
    assert 'href="/contacts/new/person/?phone=0912+123+4567"' in body


def test_no_match_offers_no_creation_to_those_who_may_not_create(client: Client) -> None:
    client.force_login(_user())

    response = client.get("/contacts/caller-id/", {"number": "0912 123 4567"})

    assert "create_url" not in response.context
    assert "/contacts/new/person/" not in response.content.decode()


def test_the_page_without_a_number_asks_for_one_in_persian(client: Client) -> None:
    client.force_login(_user(language=User.Language.PERSIAN))

    response = client.get("/contacts/caller-id/")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl"' in body
    assert 'name="number"' in body


def test_the_page_says_what_is_wrong_with_an_area_code(client: Client) -> None:
    client.force_login(_user())

    response = client.get("/contacts/caller-id/", {"number": "88776655", "area_code": "x"})

    assert response.status_code == 422
    assert "An area code is digits only, such as 21 for Tehran." in response.content.decode()


def test_the_page_costs_a_fixed_number_of_queries(client: Client, django_assert_num_queries: Any) -> None:
    for _number in range(3):
        PersonFactory(phones=["0912 123 4567"], tags=["VIP"])
    client.force_login(_user())
    client.get("/contacts/caller-id/", {"number": "09121234567"})  # the first request of a session writes it

    # session, user, the permission profile (3), the lookup (3), the notification bell
    with django_assert_num_queries(9):
        response = client.get("/contacts/caller-id/", {"number": "09121234567"})

    assert len(response.context["found"].cards) == 3
