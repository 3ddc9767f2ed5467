"""My page's "Recent interactions with my customers": the latest interactions on the customers the
user owns, newest first, as far as the user may see them, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.timeline.panels import my_interactions
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory
from tests.timeline.factories import InteractionFactory, channel

pytestmark = pytest.mark.django_db


def _user(*, interactions: int = Scope.ALL, persons: int = Scope.ALL, **fields: object) -> User:
    grants = {("persons", Action.VIEW): persons, ("companies", Action.VIEW): Scope.ALL,
              ("leads", Action.VIEW): Scope.OWN, ("interactions", Action.VIEW): interactions}  # fmt: skip
    grants = {key: scope for key, scope in grants.items() if scope}
    return UserFactory(roles=[RoleFactory(grants=grants)], language=User.Language.ENGLISH, **fields)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ago(hours: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


def test_the_latest_interactions_with_my_customers_come_newest_first() -> None:
    # Given a user's person, company and lead with interactions, and someone else's customer
    user = _user()
    reza = PersonFactory(first_name="Reza", last_name="Karimi", owner=user)
    pars = CompanyFactory(name="Pars Trading", owner=user)
    lead = LeadFactory(first_name="Mina", last_name="Azadi", owner=user)
    other = PersonFactory(first_name="Not", last_name="Mine", owner=UserFactory())
    InteractionFactory(party=reza, subject="Asked for the price list", occurred_at=_ago(5))
    InteractionFactory(party=pars, subject="Visited the showroom", occurred_at=_ago(1), channel=channel("store"))
    InteractionFactory(party=lead, subject="Filled the web form", occurred_at=_ago(3), channel=channel("website"))
    InteractionFactory(party=reza, subject="Called back", occurred_at=_ago(2))
    InteractionFactory(party=other, subject="Someone else's call", occurred_at=_ago(0.5))

    # When the user opens their page
    page = _client(user).get("/").content.decode()

    # Then the four show newest first with their customers and channels, and the other customer's does not
    assert "Recent interactions with my customers" in page
    assert (page.index("Visited the showroom") < page.index("Called back") < page.index("Filled the web form")
            < page.index("Asked for the price list"))  # fmt: skip
    assert "Someone else" not in page
    assert f'href="/contacts/{pars.pk}/"' in page
    assert "Store or branch visit" in page
    assert "channels.svg#store" in page


def test_only_the_eight_latest_show_across_customers_and_more_says_so() -> None:
    user = _user()
    customers = [PersonFactory(first_name="Customer", last_name=str(number), owner=user) for number in range(10)]
    for number, customer in enumerate(customers):
        InteractionFactory(party=customer, subject=f"Old {number}", occurred_at=_ago(100 + number))
        InteractionFactory(party=customer, subject=f"New {number}", occurred_at=_ago(number + 1))
    # the busiest customer's interactions are the very latest
    for number in range(3):
        InteractionFactory(party=customers[9], subject=f"Latest {number}", occurred_at=_ago(0.1 * (number + 1)))

    shown, has_more = my_interactions(actor=user)

    assert [row.subject for row in shown] == ["Latest 0", "Latest 1", "Latest 2", "New 0", "New 1", "New 2",
                                              "New 3", "New 4"]  # fmt: skip
    assert has_more is True
    assert [row.party.name for row in shown][:4] == ["Customer 9", "Customer 9", "Customer 9", "Customer 0"]


def test_customers_out_of_sight_and_users_without_interactions_see_nothing() -> None:
    # Given a user who owns a person but whose role shows no persons (companies and leads only)
    blind = _user(persons=Scope.NONE)
    InteractionFactory(party=PersonFactory(owner=blind), subject="Hidden call")
    lead = LeadFactory(owner=blind)
    InteractionFactory(party=lead, subject="Seen call")
    # and a user who owns customers but may see no interactions
    no_interactions = _user(interactions=Scope.NONE)
    InteractionFactory(party=PersonFactory(owner=no_interactions), subject="Not for them")

    shown, _more = my_interactions(actor=blind)
    page = _client(no_interactions).get("/").content.decode()

    assert [row.subject for row in shown] == ["Seen call"]
    assert "Recent interactions with my customers" not in page
    assert "Not for them" not in page


def test_an_empty_state_says_what_will_appear() -> None:
    page = _client(_user()).get("/").content.decode()

    assert "No interactions with your customers yet." in page


def test_the_panel_costs_two_queries_however_many_customers_and_interactions() -> None:
    user = _user()
    client = _client(user)
    client.get("/")
    with CaptureQueriesContext(connection) as empty:
        client.get("/")
    for number in range(12):
        customer = PersonFactory(owner=user)
        for hours in range(3):
            InteractionFactory(party=customer, occurred_at=_ago(number * 3 + hours))

    with CaptureQueriesContext(connection) as full:
        page = client.get("/").content.decode()
    my_interactions(actor=user)  # the permission profile, read once per request
    with CaptureQueriesContext(connection) as alone:
        my_interactions(actor=user)

    assert len(full) == len(empty) + 1  # the interactions, once the user's customers have some
    assert len(alone) == 2
    assert page.count('class="my-interaction"') == 8
    assert "See more" in page
