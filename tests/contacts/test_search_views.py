"""The header's search: persons, companies and leads as you type, grouped, and the full results page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _user(*, language: str = User.Language.ENGLISH, users: bool = False) -> User:
    grants = {(module, Action.VIEW): Scope.ALL for module in ("persons", "companies", "leads")}
    if users:
        grants[("users", Action.VIEW)] = Scope.ALL
    return UserFactory(roles=[RoleFactory(grants=grants)], language=language)


def _rows(response: Any) -> list[tuple[str, str, str, str]]:
    return [(heading, result.title, str(result.kind), result.detail) for heading, items in response.context["groups"]
            for result in items]  # fmt: skip


def test_the_dropdown_groups_persons_companies_and_leads(client: Client) -> None:
    # Given a lead, a company and a person that "pars" finds, and a user named so
    lead = LeadFactory(first_name="Pars", last_name="Moradi", company_name="Kavir Tile")
    company = CompanyFactory(name="Pars Trading", phones=["021 8877 6655"])
    person = PersonFactory(first_name="Pars", last_name="Karimi", job_title="Buyer")
    UserFactory(username="pars", first_name="Pars", last_name="Admin")
    client.force_login(_user(users=True))
    # When typing "pars" in the header
    response = client.get("/search/", {"q": "pars"}, headers=HTMX)
    # Then only the dropdown comes back, grouped: persons, companies, leads, then users
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="global-search-results"')
    assert _rows(response) == [
        ("Persons", "Pars Karimi", "Person", "Buyer"),
        ("Companies", "Pars Trading", "Company", ""),
        ("Leads", "Pars Moradi", "Lead", "Kavir Tile"),
        ("Users", "Pars Admin", "User", "pars"),
    ]
    for party in (person, company, lead):
        assert f'href="/contacts/{party.pk}/"' in body
    assert 'role="option"' in body
    assert 'href="/search/?q=pars"' in body  # all results


def test_the_dropdown_shows_the_phone_that_matched_kept_left_to_right(client: Client) -> None:
    CompanyFactory(name="Pars Trading", phones=["021 8877 6655"])
    client.force_login(_user())

    response = client.get("/search/", {"q": "۶۶۵۵"}, headers=HTMX)

    assert _rows(response) == [("Companies", "Pars Trading", "Company", "\u2066021 8877 6655\u2069")]


def test_the_full_page_lists_more_than_the_dropdown(client: Client) -> None:
    for number in range(12):
        PersonFactory(first_name="Sara", last_name=f"Karimi {number:02d}")
    client.force_login(_user())

    dropdown = client.get("/search/", {"q": "sara"}, headers=HTMX)
    page = client.get("/search/", {"q": "sara"})

    assert len(dropdown.context["results"]) == 8
    assert len(page.context["results"]) == 12
    assert "Search results for “sara”" in page.content.decode()


def test_nothing_found_says_so_in_persian(client: Client) -> None:
    client.force_login(_user(language=User.Language.PERSIAN))

    response = client.get("/search/", {"q": "ناشناس"}, headers=HTMX)

    assert "برای «ناشناس» چیزی پیدا نشد." in response.content.decode()


def test_one_character_is_not_searched_and_leaves_the_dropdown_empty(client: Client) -> None:
    PersonFactory(first_name="Sara")
    client.force_login(_user())

    response = client.get("/search/", {"q": "s"}, headers=HTMX)

    assert response.context["results"] == []
    assert 'role="option"' not in response.content.decode()


def test_the_dropdown_costs_a_fixed_number_of_queries(client: Client, django_assert_num_queries: Any) -> None:
    for number in range(5):
        PersonFactory(first_name="علی", last_name=f"کریمی {number}", phones=[f"0912 123 456{number}"])
    client.force_login(_user())
    client.get("/search/", {"q": "علی"}, headers=HTMX)

    # session, user, the permission profile (3), the name query
    with django_assert_num_queries(6):
        response = client.get("/search/", {"q": "علی"}, headers=HTMX)

    assert len(response.context["results"]) == 5
