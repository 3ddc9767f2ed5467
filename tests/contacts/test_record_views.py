"""The customer record's pages: create, edit, delete, and the customer page (the 360° view)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party, RelationshipType
from peyvand.contacts.registry import customer_file
from peyvand.contacts.services.relationships import relationship_create
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, CustomFieldFactory, LeadFactory, PersonFactory

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
def seller(team: Any) -> User:
    return UserFactory(username="seller", roles=[_role(Scope.TEAM)], teams=[team])


@pytest.fixture
def seller_client(client: Client, seller: User) -> Client:
    client.force_login(seller)
    return client


def _post_data(**fields: Any) -> dict[str, Any]:
    data = {"lifecycle_stage": "prospect", "points-TOTAL_FORMS": "0", "points-INITIAL_FORMS": "0",
            "addresses-TOTAL_FORMS": "0", "addresses-INITIAL_FORMS": "0"}  # fmt: skip
    data.update(fields)
    return data


def _errors(response: Any) -> list[str]:
    return re.findall(r'<ul class="errorlist" id="id_([\w-]+)_error"', response.content.decode())


def test_creating_a_person_with_two_phones_and_an_address(seller_client: Client, seller: User, team: Any) -> None:
    # When the seller fills in the form with two phones and an address
    response = seller_client.post(reverse("contacts:party_create", args=["person"]), _post_data(
        first_name="Sara", last_name="Karimi", owner=seller.pk, team=team.pk, tags="VIP، Gold",
        **{"points-TOTAL_FORMS": "2", "points-0-kind": "phone", "points-0-value": "0912 123 4567",
           "points-0-consent": "granted", "points-0-is_primary": "on", "points-1-kind": "phone",
           "points-1-value": "021 8888 0000", "points-1-consent": "unknown", "points-1-label": "work",
           "addresses-TOTAL_FORMS": "1", "addresses-0-label": "home", "addresses-0-province": "tehran",
           "addresses-0-city": "تهران", "addresses-0-postal_code": "1234567890", "addresses-0-consent": "unknown"},
    ))  # fmt: skip

    # Then the record exists with both phones, and the page goes to it
    party = Party.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:party_detail", args=[party.pk])
    assert (party.name, party.owner_id, party.team_id) == ("Sara Karimi", seller.pk, team.pk)
    assert list(party.contact_points.order_by("pk").values_list("key", "consent", "is_primary")) == [
        ("+989121234567", "granted", True), ("+982188880000", "unknown", False),
    ]  # fmt: skip
    assert list(party.addresses.values_list("province", "city", "postal_code")) == [("tehran", "تهران", "1234567890")]
    assert sorted(party.tags.values_list("name", flat=True)) == ["Gold", "VIP"]


def test_a_wrong_phone_is_shown_on_its_row_and_nothing_typed_is_lost(seller_client: Client, seller: User) -> None:
    response = seller_client.post(reverse("contacts:party_create", args=["person"]), _post_data(
        first_name="Sara", owner=seller.pk,
        **{"points-TOTAL_FORMS": "2", "points-0-kind": "phone", "points-0-value": "0912 123 4567",
           "points-0-consent": "unknown", "points-1-kind": "phone", "points-1-value": "12", "points-1-consent": "unknown",
           "addresses-TOTAL_FORMS": "1", "addresses-0-label": "work", "addresses-0-postal_code": "123",
           "addresses-0-consent": "unknown"},
    ))  # fmt: skip

    body = response.content.decode()
    assert response.status_code == 422
    assert _errors(response) == ["points-1-value", "addresses-0-postal_code"]
    assert "This phone number is too short." in body
    assert "An Iranian postal code has 10 digits." in body
    assert 'value="0912 123 4567"' in body
    assert 'value="Sara"' in body
    assert Party.objects.count() == 0


def test_adding_a_row_without_javascript_keeps_what_was_typed(seller_client: Client, seller: User) -> None:
    response = seller_client.post(reverse("contacts:party_create", args=["person"]), _post_data(
        first_name="Sara", owner=seller.pk, add_row="points",
        **{"points-TOTAL_FORMS": "1", "points-0-kind": "phone", "points-0-value": "0912 123 4567",
           "points-0-consent": "unknown"},
    ))  # fmt: skip

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="points-TOTAL_FORMS" value="2"' in body
    assert 'name="points-1-value"' in body
    assert 'value="0912 123 4567"' in body
    assert "errorlist" not in body
    assert Party.objects.count() == 0


def test_a_record_the_seller_would_lose_sight_of_is_refused(seller_client: Client) -> None:
    response = seller_client.post(reverse("contacts:party_create", args=["company"]), _post_data(name="Pars"))

    assert response.status_code == 422
    assert "You would lose sight of this record" in response.content.decode()
    assert Party.objects.count() == 0


def test_sensitive_fields_are_offered_only_to_roles_granted_them(client: Client, team: Any) -> None:
    plain = UserFactory(roles=[_role(Scope.TEAM)], teams=[team])
    granted = UserFactory(roles=[_role(Scope.TEAM, sensitive=True)], teams=[team])
    url = reverse("contacts:party_create", args=["person"])

    client.force_login(plain)
    assert 'name="national_id"' not in client.get(url).content.decode()
    client.force_login(granted)
    assert 'name="national_id"' in client.get(url).content.decode()


def test_a_persian_user_enters_the_birth_date_in_jalali(client: Client, team: Any) -> None:
    user = UserFactory(roles=[_role(Scope.TEAM, sensitive=True)], teams=[team], language=User.Language.PERSIAN)
    client.force_login(user)

    response = client.post(reverse("contacts:party_create", args=["person"]), _post_data(
        first_name="سارا", last_name="کریمی", owner=user.pk, national_id="۰۴۹۹۳۷۰۸۹۹", birth_date="۱۳۶۹/۰۱/۱۴",
    ))  # fmt: skip

    assert response.status_code == 302
    from peyvand.contacts import sensitive

    party = Party.objects.get()
    assert sensitive.read(party, "birth_date") == dt.date(1990, 4, 3)
    assert sensitive.read(party, "national_id") == VALID_NATIONAL_ID


def test_the_customer_page_masks_sensitive_fields_for_roles_not_granted_them(client: Client, team: Any) -> None:
    person = PersonFactory(team=team, national_id=VALID_NATIONAL_ID, birth_date=dt.date(1990, 3, 4))
    url = reverse("contacts:party_detail", args=[person.pk])

    client.force_login(UserFactory(roles=[_role(Scope.TEAM)], teams=[team]))
    masked = client.get(url).content.decode()
    client.force_login(UserFactory(roles=[_role(Scope.TEAM, sensitive=True)], teams=[team]))
    shown = client.get(url).content.decode()

    assert VALID_NATIONAL_ID not in masked
    assert "1990" not in masked
    assert masked.count("••••") == 2
    assert VALID_NATIONAL_ID in shown
    assert "4 March 1990" in shown


def test_the_customer_page_shows_who_they_are_and_how_to_reach_them(seller_client: Client, team: Any) -> None:
    # Given a person who works at a company, with phones, an email, an address, tags and a custom value
    CustomFieldFactory(key="tier", label_en="Tier", field_type="choice",
                       choices=[{"value": "gold", "label": "طلایی", "label_en": "Gold"}])  # fmt: skip
    company = CompanyFactory(name="Pars Trading", team=team)
    person = PersonFactory(first_name="Sara", last_name="Karimi", job_title="Buyer", team=team, tags=["VIP"],
                           phones=["0912 123 4567"], emails=["sara@example.com"], custom={"tier": "gold"},
                           addresses=[{"province": "isfahan", "city": "Isfahan", "street": "Chaharbagh 12"}])  # fmt: skip
    relationship_create(actor=None, from_party=person, to_party=company,
                        type=RelationshipType.objects.get(key="works_at"))  # fmt: skip

    body = seller_client.get(reverse("contacts:party_detail", args=[person.pk])).content.decode()

    assert "Buyer" in body
    assert f'href="/contacts/{company.pk}/"><bdi>Pars Trading</bdi></a>' in body
    assert 'href="tel:+989121234567"' in body
    assert 'href="mailto:sara@example.com"' in body
    assert "Chaharbagh 12" in body
    assert "Isfahan" in body
    assert ">VIP<" in body
    assert "Tier" in body
    assert "Gold" in body
    assert "<svg" in body
    assert "works at" in body
    assert "Convert" not in body


def test_the_company_page_reads_the_link_the_other_way(seller_client: Client, team: Any) -> None:
    company = CompanyFactory(name="Pars Trading", team=team)
    person = PersonFactory(first_name="Sara", last_name="Karimi", team=team)
    relationship_create(actor=None, from_party=person, to_party=company,
                        type=RelationshipType.objects.get(key="works_at"))  # fmt: skip

    body = seller_client.get(reverse("contacts:party_detail", args=[company.pk])).content.decode()

    assert '<span class="relationship-label">employs</span>' in body
    assert "Sara Karimi" in body


def test_panels_registered_by_other_apps_are_rendered(seller_client: Client, team: Any, monkeypatch: Any) -> None:
    from peyvand.contacts.registry import Figure, FigureProvider, PartyPanel, PartyRegistry

    registry = PartyRegistry()
    registry.add_panel(PartyPanel(key="probe", template="contacts/records/_picker_results.html",
                                  context=lambda request, party: {"n": 1}, column="side"))  # fmt: skip
    registry.add_figures(FigureProvider(key="probe", figures=lambda request, party: [Figure("Calls", "12")]))
    monkeypatch.setattr("peyvand.contacts.views.records.customer_file", registry)
    person = PersonFactory(team=team)

    body = seller_client.get(reverse("contacts:party_detail", args=[person.pk])).content.decode()

    assert "<dt>Calls</dt><dd>12</dd>" in body
    assert "Choose the related record" in body


def test_a_lead_shows_convert_only_when_conversion_exists(seller_client: Client, team: Any) -> None:
    from django.urls import NoReverseMatch

    lead = LeadFactory(team=team)
    body = seller_client.get(reverse("contacts:party_detail", args=[lead.pk])).content.decode()
    try:
        url = reverse("contacts:lead_convert", args=[lead.pk])
    except NoReverseMatch:
        assert ">Convert<" not in body
    else:
        assert f'href="{url}"' in body


@pytest.mark.parametrize("size", [0, 6])
def test_the_customer_page_costs_a_fixed_number_of_queries(seller_client: Client, team: Any, size: int,
                                                           django_assert_num_queries: Any, monkeypatch: Any) -> None:  # fmt: skip
    from peyvand.contacts.registry import PartyRegistry

    # Given a person with none or many contact points, addresses, tags and links (other apps' panels aside)
    monkeypatch.setattr("peyvand.contacts.views.records.customer_file", PartyRegistry())
    person = PersonFactory(team=team, phones=[f"0912 000 00{index:02d}" for index in range(size)],
                           tags=[f"tag {index}" for index in range(size)],
                           addresses=[{"city": f"City {index}"} for index in range(size)])  # fmt: skip
    partner = RelationshipType.objects.get(key="partner")
    for _index in range(size):
        relationship_create(actor=None, from_party=person, to_party=CompanyFactory(team=team), type=partner)
    seller_client.get(reverse("contacts:party_detail", args=[person.pk]))  # warm the session

    # Then: session, user, profile (3), party, contact points, addresses, tags, custom fields, links,
    # relationship types (the add form), the notification bell
    with django_assert_num_queries(13):
        response = seller_client.get(reverse("contacts:party_detail", args=[person.pk]))
    assert response.status_code == 200


def test_with_every_registered_panel_the_count_does_not_grow(seller_client: Client, team: Any) -> None:
    assert customer_file.panels, "the timeline and others register their panels"
    small = PersonFactory(team=team)
    large = PersonFactory(team=team, phones=[f"0912 000 00{index:02d}" for index in range(8)], tags=["a", "b", "c"])
    partner = RelationshipType.objects.get(key="partner")
    for _index in range(5):
        relationship_create(actor=None, from_party=large, to_party=CompanyFactory(team=team), type=partner)
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for party in (small, large):
        seller_client.get(reverse("contacts:party_detail", args=[party.pk]))
        with CaptureQueriesContext(connection) as captured:
            seller_client.get(reverse("contacts:party_detail", args=[party.pk]))
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_editing_keeps_untouched_contact_points(seller_client: Client, team: Any, seller: User) -> None:
    person = PersonFactory(team=team, owner=seller, phones=["0912 123 4567"])
    form_page = seller_client.get(reverse("contacts:party_edit", args=[person.pk])).content.decode()
    assert 'value="0912 123 4567"' in form_page

    response = seller_client.post(reverse("contacts:party_edit", args=[person.pk]), _post_data(
        first_name="Sara", last_name="Changed", owner=seller.pk, team=team.pk,
        **{"points-TOTAL_FORMS": "1", "points-INITIAL_FORMS": "1", "points-0-kind": "phone",
           "points-0-value": "0912 123 4567", "points-0-consent": "unknown", "points-0-is_primary": "on"},
    ))  # fmt: skip

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Changed"
    assert list(person.contact_points.values_list("key", flat=True)) == ["+989121234567"]


def test_delete_asks_first_then_deletes(seller_client: Client, team: Any) -> None:
    person = PersonFactory(team=team, first_name="Sara", last_name="Karimi")
    url = reverse("contacts:party_delete", args=[person.pk])

    assert "Delete Sara Karimi?" in seller_client.get(url).content.decode()
    assert Party.objects.count() == 1
    response = seller_client.post(url)

    assert response.status_code == 302
    assert Party.objects.count() == 0


def test_the_form_reads_in_persian(client: Client, team: Any) -> None:
    user = UserFactory(roles=[_role(Scope.TEAM)], teams=[team], language=User.Language.PERSIAN)
    client.force_login(user)

    body = client.get(reverse("contacts:party_create", args=["person"])).content.decode()

    assert 'dir="rtl"' in body
    assert "شخص جدید" in body
    assert "تهران" in body
