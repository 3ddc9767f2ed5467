"""The persons, companies and leads list pages: what a user sees, filters, saved views, bulk actions."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party, SavedView
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _grants(
    scope: int, *modules: str, actions: tuple[str, ...] = ("view", "create", "edit", "delete", "export")
) -> dict:
    return {(module, action): scope for module in modules for action in actions}


@pytest.fixture
def seller() -> User:
    role = RoleFactory(name="Sales", grants=_grants(Scope.ALL, "persons", "companies", "leads"))
    return UserFactory(username="seller", roles=[role])


@pytest.fixture
def seller_client(client: Client, seller: User) -> Client:
    client.force_login(seller)
    return client


def _names(html: str) -> list[str]:
    return re.findall(r'<td class="party-name">(?:<a href="[^"]*">)?<bdi>([^<]*)</bdi>', html)


def test_the_list_shows_rows_with_their_phone_email_owner_and_tags(seller_client: Client, seller: User) -> None:
    PersonFactory(first_name="Sara", last_name="Karimi", phones=["0912 123 4567"], emails=["sara@example.com"],
                  owner=seller, tags=["VIP"])  # fmt: skip

    response = seller_client.get(reverse("contacts:person_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert _names(html) == ["Sara Karimi"]
    assert "sara@example.com" in html
    assert "+989121234567" in html  # the tel: link
    assert "<bdi>VIP</bdi>" in html
    assert "Never" in html  # no contact yet


def test_each_kind_has_its_own_list(seller_client: Client) -> None:
    PersonFactory(first_name="Sara", last_name="Karimi")
    CompanyFactory(name="Pars Tile")
    LeadFactory(first_name="Reza", last_name="Moradi", company_name="Kavir")

    assert _names(seller_client.get(reverse("contacts:person_list")).content.decode()) == ["Sara Karimi"]
    assert _names(seller_client.get(reverse("contacts:company_list")).content.decode()) == ["Pars Tile"]
    assert _names(seller_client.get(reverse("contacts:lead_list")).content.decode()) == ["Reza Moradi"]


def test_filters_and_sort_from_the_query_string(seller_client: Client) -> None:
    PersonFactory(first_name="Ali", last_name="A", lifecycle_stage="customer")
    PersonFactory(first_name="Bita", last_name="B", lifecycle_stage="customer")
    PersonFactory(first_name="Cyrus", last_name="C", lifecycle_stage="prospect")

    response = seller_client.get(reverse("contacts:person_list"), {"stage": "customer", "sort": "-name"})

    assert _names(response.content.decode()) == ["Bita B", "Ali A"]


def test_a_bad_filter_is_explained_and_keeps_what_was_typed(seller_client: Client) -> None:
    PersonFactory(first_name="Ali", last_name="A")

    response = seller_client.get(reverse("contacts:person_list"), {"name": "Ali", "created_from": "1403/13/40"})

    html = response.content.decode()
    assert response.status_code == 200
    assert _names(html) == []
    assert "This date does not exist in the calendar." in html
    assert 'value="Ali"' in html
    assert 'value="1403/13/40"' in html
    assert "Correct the filters to see the list" in html


def test_empty_states_help(seller_client: Client) -> None:
    empty = seller_client.get(reverse("contacts:company_list")).content.decode()
    no_match = seller_client.get(reverse("contacts:company_list"), {"name": "nothing"}).content.decode()

    assert "No companies yet" in empty
    assert "No company matches these filters" in no_match
    assert "Clear filters" in no_match


def test_keyset_pages_reach_every_row_once(seller_client: Client) -> None:
    # Given more rows than a page holds
    for number in range(53):
        PersonFactory(first_name="P", last_name=f"{number:03d}")

    # When the user follows "Next page"
    first = seller_client.get(reverse("contacts:person_list"), {"stage": "prospect"}).content.decode()
    next_url = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', first)
    assert next_url is not None
    second = seller_client.get(
        reverse("contacts:person_list") + next_url.group(1).replace("&amp;", "&")
    ).content.decode()

    # Then the second page continues where the first stopped, with the filter kept
    assert len(_names(first)) == 50
    assert _names(second) == ["P 050", "P 051", "P 052"]
    assert 'rel="next"' not in second
    assert "First page" in second


def test_a_damaged_cursor_starts_from_the_top(seller_client: Client) -> None:
    PersonFactory(first_name="Ali", last_name="A")

    response = seller_client.get(reverse("contacts:person_list"), {"cursor": "forged"})

    assert _names(response.content.decode()) == ["Ali A"]


def test_the_list_shows_only_what_the_role_may_see(client: Client) -> None:
    team = TeamFactory(name="North")
    mine = UserFactory(username="mine", roles=[RoleFactory(grants=_grants(Scope.OWN, "persons"))], teams=[team])
    PersonFactory(first_name="My", last_name="Customer", owner=mine)
    PersonFactory(first_name="Their", last_name="Customer", team=team)
    client.force_login(mine)

    response = client.get(reverse("contacts:person_list"))

    assert _names(response.content.decode()) == ["My Customer"]
    assert client.get(reverse("contacts:company_list")).status_code == 403


@pytest.mark.parametrize("rows", [1, 12])
def test_the_page_costs_a_fixed_number_of_queries(seller_client: Client, seller: User, rows: int,
                                                  django_assert_num_queries: Callable) -> None:  # fmt: skip
    for number in range(rows):
        PersonFactory(first_name="P", last_name=str(number), phones=["0912 000 0000"], emails=[f"p{number}@x.ir"],
                      owner=seller, tags=["a", "b"])  # fmt: skip

    # session, user, 3 for the permission profile, custom fields, rows, contact points, tags, saved
    # views, the notification bell, then the filter panel's choices (tags, sources, categories,
    # teams, users) and the bulk bar's teams (its users are the filter panel's).
    with django_assert_num_queries(17):
        response = seller_client.get(reverse("contacts:person_list"), {"stage": "prospect", "has_phone": "yes"})

    assert len(_names(response.content.decode())) == rows


def test_saving_opening_renaming_and_deleting_a_view(seller_client: Client, seller: User) -> None:
    PersonFactory(first_name="Ali", last_name="A", lifecycle_stage="customer")
    PersonFactory(first_name="Bita", last_name="B")

    # Save the current filters
    response = seller_client.post(reverse("contacts:saved_view_create", args=["persons"]),
                                  {"name": "Customers", "query": "stage=customer&sort=-name&cursor=abc"})  # fmt: skip
    view = SavedView.objects.get(user=seller)
    assert (view.kind, view.name, view.query) == ("person", "Customers", "stage=customer&sort=-name")
    assert response["Location"] == f"/contacts/persons/?stage=customer&sort=-name&view={view.pk}"

    # Open it: the menu lists it, and the list is filtered
    opened = seller_client.get(response["Location"]).content.decode()
    assert _names(opened) == ["Ali A"]
    assert "· <bdi>Customers</bdi>" in opened

    # Rename and delete
    seller_client.post(reverse("contacts:saved_view_rename", args=[view.pk]), {"name": "Good customers"})
    view.refresh_from_db()
    assert view.name == "Good customers"
    seller_client.post(reverse("contacts:saved_view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_a_view_with_a_taken_name_or_bad_filters_is_refused(seller_client: Client, seller: User) -> None:
    url = reverse("contacts:saved_view_create", args=["persons"])
    seller_client.post(url, {"name": "Mine", "query": ""})

    taken = seller_client.post(url, {"name": "Mine", "query": "stage=customer"})
    bad = seller_client.post(url, {"name": "Other", "query": "stage=vip"})

    assert [str(message) for message in get_messages(taken.wsgi_request)][
        -1
    ] == "You already have a view with this name."
    assert [str(message) for message in get_messages(bad.wsgi_request)][-1] == (
        "Select a valid choice. vip is not one of the available choices."
    )
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Mine"]


def test_someone_elses_view_is_not_found(client: Client, seller: User) -> None:
    view = SavedView.objects.create(user=seller, kind="person", name="Private", query="")
    other = UserFactory(username="other", roles=seller.roles.all())
    client.force_login(other)

    assert client.post(reverse("contacts:saved_view_delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_bulk_assign_from_the_page(seller_client: Client) -> None:
    colleague = UserFactory(username="colleague")
    first, second = PersonFactory(first_name="A", last_name="A"), PersonFactory(first_name="B", last_name="B")

    response = seller_client.post(reverse("contacts:party_bulk", args=["persons"]), {
        "action": "assign", "ids": [first.pk, second.pk], "owner": colleague.pk, "next_query": "stage=prospect",
    })  # fmt: skip

    assert response["Location"] == "/contacts/persons/?stage=prospect"
    assert list(Party.objects.order_by("pk").values_list("owner", flat=True)) == [colleague.pk, colleague.pk]
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["2 records were changed."]


def test_bulk_delete_asks_first(seller_client: Client) -> None:
    person = PersonFactory(first_name="A", last_name="A")
    url = reverse("contacts:party_bulk", args=["persons"])

    asked = seller_client.post(url, {"action": "delete", "ids": [person.pk]})
    assert "Delete the selected records?" in asked.content.decode()
    assert Party.objects.filter(pk=person.pk).exists()

    seller_client.post(url, {"action": "delete", "ids": [person.pk], "confirmed": "1"})
    assert not Party.objects.filter(pk=person.pk).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DELETE, object_id=str(person.pk)).count() == 1


def test_the_persian_list_reads_right_to_left_with_jalali_dates(client: Client) -> None:
    role = RoleFactory(grants=_grants(Scope.ALL, "persons"))
    reader = UserFactory(username="reader", roles=[role], language=User.Language.PERSIAN)
    PersonFactory(first_name="سارا", last_name="کریمی")
    client.force_login(reader)

    html = client.get(reverse("contacts:person_list")).content.decode()

    assert 'dir="rtl"' in html
    assert "اشخاص" in html
    assert re.search(r'<td class="nowrap">۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2}</td>', html)


def test_a_list_leads_to_importing_that_kind_from_a_file(seller_client: Client) -> None:
    response = seller_client.get("/contacts/companies/")

    assert 'href="/contacts/imports/new/?kind=company"' in response.content.decode()


def test_names_in_the_owner_pickers_are_escaped_and_the_chosen_owner_stays_checked(
    seller_client: Client, seller: User
) -> None:
    # Given a colleague whose name holds markup
    colleague = UserFactory(first_name="<b>Bold", last_name="Name</b>")

    # When the list is filtered on that owner
    page = seller_client.get(reverse("contacts:person_list"), {"owner": str(colleague.pk)}).content.decode()

    # Then the name is shown as text in the filter and the bulk bar, and the filter keeps the choice
    assert "<b>Bold" not in page
    assert page.count("&lt;b&gt;Bold Name&lt;/b&gt;") >= 1
    assert re.search(rf'<input type="checkbox" name="owner" value="{colleague.pk}" id="id_owner_\d+" checked>', page)


def test_bulk_assign_says_which_records_were_kept_from_leaving_sight(client: Client) -> None:
    # Given a seller who sees only their own persons, and one of theirs
    role = RoleFactory(grants={("persons", action): Scope.OWN for action in ("view", "create", "edit", "delete")})
    seller = UserFactory(username="own-seller", roles=[role])
    mine = PersonFactory(first_name="Mine", last_name="Only", owner=seller)
    colleague = UserFactory(username="other")
    client.force_login(seller)

    # When they assign it to a colleague from the list
    response = client.post(reverse("contacts:party_bulk", args=["persons"]),
                           {"action": "assign", "ids": [mine.pk], "owner": colleague.pk}, follow=True)  # fmt: skip

    # Then the page says why it stayed theirs
    assert "you would lose sight of it" in response.content.decode()
    mine.refresh_from_db()
    assert mine.owner_id == seller.pk
