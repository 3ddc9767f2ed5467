"""The customer picker: suggestions as one types (contacts:party_picker) and the activity form that uses it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.activities.models import Activity
from tests.accounts.factories import RoleFactory, UserFactory
from tests.activities.factories import staff_member
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
URL = "/contacts/picker/"


def _user(scope: int = Scope.ALL) -> User:
    grants = {(module, Action.VIEW): scope for module in ("persons", "companies", "leads")}
    return UserFactory(roles=[RoleFactory(grants=grants)], language=User.Language.ENGLISH)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _options(response: Any) -> list[tuple[str, str]]:
    return [(str(party), str(kind)) for party, kind, _detail in response.context["options"]]


# Suggestions ------------------------------------------------------------------------------------
def test_typing_a_name_lists_the_customers_it_finds_as_options_to_choose() -> None:
    # Given a person, a company and a lead that "pars" finds
    person = PersonFactory(first_name="Pars", last_name="Karimi", job_title="Buyer")
    CompanyFactory(name="Pars Trading")
    LeadFactory(first_name="Pars", last_name="Moradi", company_name="Kavir Tile")
    PersonFactory(first_name="Reza", last_name="Ahmadi")

    # When the picker of the form's "party" field asks for "pars"
    response = _client(_user()).get(URL, {"q": "pars", "field": "id_party_search"}, headers=HTMX)

    # Then a listbox of options names them, each carrying the number the form takes
    body = response.content.decode()
    assert response.status_code == 200
    assert sorted(_options(response)) == [("Pars Karimi", "Person"), ("Pars Moradi", "Lead"),
                                          ("Pars Trading", "Company")]  # fmt: skip
    assert body.startswith('<div id="id_party_search-options" class="search-popup picker-options" role="listbox"')
    assert body.count('role="option"') == 3
    assert f'data-party-id="{person.pk}" data-party-name="Pars Karimi"' in body
    assert 'id="id_party_search-option-1"' in body
    assert "Buyer" in body  # what tells namesakes apart
    assert "Kavir Tile" in body


def test_typing_the_end_of_a_phone_finds_its_customer_and_shows_the_number() -> None:
    PersonFactory(first_name="Sara", last_name="Rahimi", phones=["0912 123 4567"])

    response = _client(_user()).get(URL, {"q": "۴۵۶۷"}, headers=HTMX)

    assert _options(response) == [("Sara Rahimi", "Person")]
    assert "\u20660912 123 4567\u2069" in response.content.decode()


def test_only_customers_the_user_may_see_are_suggested_and_at_most_eight() -> None:
    # Given a user who sees only their own customers: ten of theirs and one of a colleague's
    user = _user(Scope.OWN)
    for number in range(10):
        PersonFactory(first_name="Ali", last_name=f"Karimi {number}", owner=user)
    PersonFactory(first_name="Ali", last_name="Colleague's", owner=UserFactory())

    response = _client(user).get(URL, {"q": "ali"}, headers=HTMX)

    names = [name for name, _kind in _options(response)]
    assert len(names) == 8
    assert all(name.startswith("Ali Karimi") for name in names)


def test_an_empty_or_one_letter_query_searches_nothing(django_assert_num_queries: Any) -> None:
    PersonFactory(first_name="Ali", last_name="Karimi")
    client = _client(_user())
    client.get(URL, {"q": "a"}, headers=HTMX)

    # session, user and the permission profile (3): no search
    with django_assert_num_queries(5):
        short = client.get(URL, {"q": "a"}, headers=HTMX)
    empty = client.get(URL, headers=HTMX)

    for response in (short, empty):
        assert response.status_code == 200
        assert response.context["options"] == []
        assert 'role="option"' not in response.content.decode()
        assert "No customer" not in response.content.decode()


def test_nothing_found_says_so_inside_the_listbox() -> None:
    response = _client(_user()).get(URL, {"q": "zzzz"}, headers=HTMX)

    assert "No customer you may see matches “zzzz”." in response.content.decode()


def test_a_hostile_field_name_is_not_echoed() -> None:
    response = _client(_user()).get(URL, {"q": "pars", "field": '"><script>'}, headers=HTMX)

    assert response.content.decode().startswith('<div id="party-picker-options"')


def test_the_suggestions_cost_a_fixed_number_of_queries(django_assert_num_queries: Any) -> None:
    for number in range(6):
        PersonFactory(first_name="علی", last_name=f"کریمی {number}", phones=[f"0912 123 456{number}"])
    client = _client(_user())
    client.get(URL, {"q": "علی"}, headers=HTMX)

    # session, user, the permission profile (3), the name query
    with django_assert_num_queries(6):
        response = client.get(URL, {"q": "علی"}, headers=HTMX)

    assert len(response.context["options"]) == 6


def test_a_user_who_sees_no_customers_is_refused_and_a_visitor_asked_to_log_in() -> None:
    assert _client(UserFactory()).get(URL, {"q": "pars"}).status_code == 403
    assert Client().get(URL, {"q": "pars"}).status_code == 302


# The activity form ------------------------------------------------------------------------------
def _form(**values: object) -> dict[str, object]:
    return {"kind": "task", "subject": "Send the catalogue", "priority": "normal", "recurrence": "none",
            "recurrence_interval": "1", "recurrence_calendar": "gregorian", **values}  # fmt: skip


def test_the_form_shows_the_chosen_customers_by_name_in_the_pickers() -> None:
    # Given a customer given in the address (as from the customer page)
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory(first_name="Reza", last_name="Karimi")

    response = _client(user).get(reverse("activities:activity_create"), {"party": customer.pk})

    # Then the customer box holds the number and shows the name, removable; the search box is there
    body = response.content.decode()
    assert response.context["form"].picker_choices == {"party": [(customer.pk, "Reza Karimi")],
                                                       "participant_parties": []}  # fmt: skip
    assert f'<li class="picker-choice" data-party-id="{customer.pk}"><span dir="auto">Reza Karimi</span>' in body
    assert 'aria-label="Remove Reza Karimi"' in body
    assert f'name="party" value="{customer.pk}"' in body
    assert 'id="id_party_search"' in body
    assert 'id="id_participant_parties_search"' in body
    assert 'role="combobox"' in body


def test_choosing_customers_with_the_picker_posts_their_numbers() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()
    first, second = PersonFactory(), PersonFactory()

    response = _client(user).post(reverse("activities:activity_create"),
                                  _form(due_at="2025-03-21 10:00", party=str(customer.pk),
                                        participant_parties=f"{first.pk}, {second.pk}", q=""))  # fmt: skip

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.party == customer
    assert set(activity.participants.values_list("party_id", flat=True)) == {first.pk, second.pk}


def test_the_form_still_refuses_a_customer_out_of_sight_on_its_field() -> None:
    # Given a user who sees only their own customers, and a colleague's customer
    user = staff_member("sara", scope=Scope.OWN, language=User.Language.ENGLISH)
    mine = PersonFactory(first_name="Reza", last_name="Karimi", owner=user)
    hidden = PersonFactory(first_name="Hidden", last_name="Person", owner=UserFactory())

    # When the hidden one's number is posted as the customer and as a participant
    response = _client(user).post(reverse("activities:activity_create"),
                                  _form(due_at="2025-03-21 10:00", party=hidden.pk,
                                        participant_parties=f"{mine.pk}, {hidden.pk}"))  # fmt: skip

    # Then each field says so, nothing is written, and the picker shows only the visible one's name
    errors = response.context["form"].errors
    assert errors["party"] == ["There is no customer you may see with this number."]
    assert errors["participant_parties"] == [f"There is no customer you may see with the number {hidden.pk}."]
    assert Activity.objects.count() == 0
    assert response.context["form"].picker_choices == {"party": [],
                                                       "participant_parties": [(mine.pk, "Reza Karimi")]}  # fmt: skip
    assert "Hidden Person" not in response.content.decode()
