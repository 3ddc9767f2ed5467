"""My page's "Assigned to me": the customers and leads the user owns, leads not yet contacted first,
then the newest, as far as the user may see them, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.contacts.models import Party
from peyvand.contacts.panels import assigned_to_me
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _user(*, persons: int = Scope.ALL, leads: int = Scope.ALL) -> User:
    grants = {("persons", Action.VIEW): persons, ("companies", Action.VIEW): Scope.ALL, ("leads", Action.VIEW): leads}
    grants = {key: scope for key, scope in grants.items() if scope}
    return UserFactory(roles=[RoleFactory(grants=grants)], language=User.Language.ENGLISH)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _added(party: Party, days_ago: float) -> Party:
    Party.objects.filter(pk=party.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return party


def _names(user: User) -> list[str]:
    return [party.name for party in assigned_to_me(actor=user).parties]


def test_new_leads_come_first_then_the_newest_customers() -> None:
    # Given a user's person, company, new lead, an older new lead, a lead already contacted,
    # and someone else's new lead
    user = _user()
    _added(PersonFactory(first_name="Reza", last_name="Karimi", owner=user), 1)
    _added(CompanyFactory(name="Pars Trading", owner=user), 2)
    _added(LeadFactory(first_name="Mina", last_name="Azadi", owner=user), 3)
    _added(LeadFactory(first_name="Old", last_name="Lead", owner=user), 30)
    _added(LeadFactory(first_name="Called", last_name="Lead", owner=user, lead_status="contacted"), 0.5)
    LeadFactory(first_name="Not", last_name="Mine", owner=UserFactory())

    # When the user opens their page
    page = _client(user).get("/").content.decode()

    # Then the new leads come first (newest first), then the others newest first; not the other's
    assert _names(user) == ["Mina Azadi", "Old Lead", "Called Lead", "Reza Karimi", "Pars Trading"]
    assert "Assigned to me" in page
    assert page.count("New lead") == 2
    assert page.index("Mina Azadi") < page.index("Old Lead") < page.index("Called Lead") < page.index("Reza Karimi")
    assert "Not Mine" not in page


def test_at_most_eight_and_links_to_the_lists_when_there_are_more() -> None:
    user = _user()
    for number in range(10):
        _added(PersonFactory(first_name="Customer", last_name=str(number), owner=user), number)

    found = assigned_to_me(actor=user)
    page = _client(user).get("/").content.decode()

    assert [party.name for party in found.parties] == [f"Customer {number}" for number in range(8)]
    assert found.has_more is True
    assert "/contacts/persons/?owner=me&amp;sort=-created_at" in page


def test_kinds_out_of_sight_are_left_out() -> None:
    user = _user(persons=Scope.NONE, leads=Scope.OWN)
    PersonFactory(first_name="Hidden", last_name="Person", owner=user)
    LeadFactory(first_name="Seen", last_name="Lead", owner=user)

    assert _names(user) == ["Seen Lead"]


def test_an_empty_state_says_what_will_appear_and_no_customers_no_panel() -> None:
    page = _client(_user()).get("/").content.decode()
    no_customers = _client(UserFactory(language=User.Language.ENGLISH)).get("/").content.decode()

    assert "No customers or leads are yours yet." in page
    assert "Assigned to me" not in no_customers


def test_the_panel_costs_two_queries_however_many_customers() -> None:
    user = _user()
    assigned_to_me(actor=user)  # the permission profile, read once per request
    with CaptureQueriesContext(connection) as empty:
        assigned_to_me(actor=user)
    for _number in range(12):
        PersonFactory(owner=user)
        LeadFactory(owner=user)

    with CaptureQueriesContext(connection) as full:
        found = assigned_to_me(actor=user)

    assert len(empty) == len(full) == 2
    assert len(found.parties) == 8
