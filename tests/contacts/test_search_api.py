"""GET /api/v1/search: the same search as the header's, for programs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import RoleFactory, UserFactory
from tests.api.helpers import ApiClient, create_token, error
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

MODULES = ("persons", "companies", "leads")


def _user(scope: Scope = Scope.ALL, *, national_id: bool = False, **kwargs: Any) -> User:
    grants = {(module, Action.VIEW): scope for module in MODULES}
    fields = [("persons", "national_id")] if national_id else []
    return UserFactory(roles=[RoleFactory(grants=grants, sensitive_fields=fields)], **kwargs)


def _api(user: User) -> ApiClient:
    api = ApiClient(token=create_token(user))
    assert api.get("/me").status_code == 200  # the token's first use writes last_used_at
    return api


def test_names_phones_and_emails_are_found_and_say_what_matched() -> None:
    # Given a person, a company and a lead
    person = PersonFactory(first_name="علی", last_name="کریمی", phones=["0912 123 4567"], emails=["ali@example.com"])
    company = CompanyFactory(name="کریمی و شرکا")
    lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="Kavir", phones=["021 8877 6655"])
    api = _api(_user())
    # When searching a name with Arabic letters, a phone with Persian digits and an email
    by_name = api.get("/search", {"q": "كريمي"}).json()
    by_phone = api.get("/search", {"q": "۶۶۵۵"}).json()
    by_email = api.get("/search", {"q": "ali@ex"}).json()
    # Then each says what matched, with the customer's page
    assert by_name == {
        "query": "كريمي",
        "results": [
            # The name that starts with the word comes first
            {"id": company.pk, "kind": "company", "name": "کریمی و شرکا", "matched": "name", "matched_value": "",
             "url": f"/contacts/{company.pk}/"},
            {"id": person.pk, "kind": "person", "name": "علی کریمی", "matched": "name", "matched_value": "",
             "url": f"/contacts/{person.pk}/"},
        ],
    }  # fmt: skip
    assert by_phone["results"] == [
        {"id": lead.pk, "kind": "lead", "name": "Reza Moradi", "matched": "phone", "matched_value": "021 8877 6655",
         "url": f"/contacts/{lead.pk}/"}
    ]  # fmt: skip
    assert [(hit["id"], hit["matched"], hit["matched_value"]) for hit in by_email["results"]] == [
        (person.pk, "email", "ali@example.com")
    ]


def test_kinds_and_limit_narrow_the_answer() -> None:
    for number in range(3):
        CompanyFactory(name=f"Pars {number}")
    PersonFactory(first_name="Pars", last_name="Karimi")
    api = _api(_user())

    response = api.get("/search", {"q": "pars", "kinds": "company, lead", "limit": 2})

    assert [(hit["kind"], hit["name"]) for hit in response.json()["results"]] == [
        ("company", "Pars 0"), ("company", "Pars 1")
    ]  # fmt: skip


def test_an_unknown_kind_is_refused_by_name() -> None:
    response = _api(_user()).get("/search", {"q": "pars", "kinds": "person,deal"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "kinds", "message": "Unknown record type: deal. Use person, company or lead."}
    ]


@pytest.mark.parametrize(("params", "field"), [({}, "q"), ({"q": "pars", "limit": 51}, "limit"),
                                              ({"q": "x" * 101}, "q")])  # fmt: skip
def test_bad_parameters_are_refused(params: dict[str, Any], field: str) -> None:
    response = _api(_user()).get("/search", params)

    assert response.status_code == 422
    assert [item["field"] for item in response.json()["error"]["fields"]] == [field]


def test_a_national_id_is_found_only_with_the_grant_and_never_returned() -> None:
    person = PersonFactory(first_name="Sara", last_name="Nouri", national_id="0012345679")

    granted = _api(_user(national_id=True)).get("/search", {"q": "0012345679"}).json()
    not_granted = _api(_user()).get("/search", {"q": "0012345679"}).json()

    assert granted["results"] == [
        {"id": person.pk, "kind": "person", "name": "Sara Nouri", "matched": "national_id", "matched_value": "",
         "url": f"/contacts/{person.pk}/"}
    ]  # fmt: skip
    assert not_granted["results"] == []


def test_a_stranger_s_person_is_not_found_by_an_own_scoped_user() -> None:
    user = _user(Scope.OWN)
    mine = PersonFactory(first_name="Sara", owner=user)
    PersonFactory(first_name="Sara", owner=UserFactory())

    response = _api(user).get("/search", {"q": "sara"})

    assert [hit["id"] for hit in response.json()["results"]] == [mine.pk]


def test_a_user_who_may_see_no_customer_is_refused() -> None:
    response = _api(UserFactory()).get("/search", {"q": "sara"})

    assert (response.status_code, response.json()) == (
        403, error("permission_denied", "You do not have permission to do this.")
    )  # fmt: skip


def test_a_search_costs_a_fixed_number_of_queries(client: Client, django_assert_num_queries: Any) -> None:
    for number in range(5):
        PersonFactory(first_name="علی", last_name=f"کریمی {number}")
    client.force_login(_user())
    api = ApiClient(client)

    # session, user, the permission profile (3), names starting so (too few to fill the page), the
    # counts of the words, the name query
    with django_assert_num_queries(8):
        response = api.get("/search", {"q": "علی کریمی", "limit": 50})

    assert len(response.json()["results"]) == 5
