"""`peyvand demo` gives a lived-in customer file: both languages, every channel, linked records."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from django.test import Client

from peyvand.accounts.models import User
from peyvand.contacts.models import ContactPoint, CustomField, DuplicateCandidate, Party, Relationship, Tag
from peyvand.timeline.models import Channel, ChannelTally, Interaction

PERSIAN = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin_client(client: Client, demo: None, db: None) -> Client:
    client.force_login(User.objects.get(username="admin"))
    return client


def test_the_demo_has_persons_companies_and_leads(demo: None, db: None) -> None:
    counts = dict(Party.objects.values_list("kind").annotate(count=Count("pk")).values_list("kind", "count"))

    # 150 persons and the two entered twice, as happens; 40 companies; 30 leads.
    assert counts == {"person": 152, "company": 40, "lead": 30}
    assert set(Party.objects.filter(kind="lead").values_list("lead_status", flat=True)) == {
        "new", "contacted", "qualified", "unqualified",
    }  # fmt: skip
    assert Party.objects.exclude(owner=None).count() == 222
    assert set(Party.objects.values_list("owner__username", flat=True)) == {"rep", "rep2", "manager", "agent"}


def test_names_are_in_persian_and_english(demo: None, db: None) -> None:
    for kind in ("person", "company", "lead"):
        names = list(Party.objects.filter(kind=kind).values_list("name", flat=True))
        persian = [name for name in names if PERSIAN.search(name)]
        assert 0 < len(persian) < len(names), kind
    assert Party.objects.filter(kind="person", name__regex=r"^[A-Za-z ]+$").count() == 25


def test_companies_have_valid_identifiers_and_people_some_sensitive_fields(demo: None, db: None) -> None:
    from peyvand.common.identifiers import is_valid_company_national_id, is_valid_economic_code
    from peyvand.contacts import sensitive

    companies = list(Party.objects.filter(kind="company"))
    assert all(is_valid_company_national_id(company.company_national_id)
               for company in companies if company.company_national_id)  # fmt: skip
    assert sum(bool(company.company_national_id) for company in companies) == 37
    assert all(is_valid_economic_code(company.economic_code) for company in companies if company.economic_code)
    persons = list(Party.objects.filter(kind="person"))
    national_ids = [sensitive.read(person, "national_id") for person in persons]
    assert 20 < sum(value is not None for value in national_ids) < 70
    assert sum(sensitive.read(person, "birth_date") is not None for person in persons) > 30


def test_lists_of_the_administrator_are_filled_in(demo: None, db: None) -> None:
    fields = {(field.kind, field.key, field.field_type) for field in CustomField.objects.all()}

    assert fields == {("person", "customer_code", "text"), ("company", "customer_code", "text"),
                      ("person", "preferred_branch", "choice")}  # fmt: skip
    assert Party.objects.filter(custom__has_key="preferred_branch").count() > 20
    assert Tag.objects.count() >= 8
    assert Party.objects.filter(tags__isnull=False).distinct().count() > 50
    provinces = set(Party.objects.values_list("addresses__province", flat=True)) - {None}
    assert len(provinces) >= 10


def test_every_channel_is_used_over_months(demo: None, db: None) -> None:
    used = set(Interaction.objects.values_list("channel__key", flat=True))
    span = Interaction.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))

    assert used == set(Channel.objects.filter(is_active=True).values_list("key", flat=True))
    assert len(used) == 12
    assert (span["last"] - span["first"]).days > 180
    assert 700 < Interaction.objects.count() < 1_200
    subjects = list(Interaction.objects.values_list("subject", flat=True))
    assert any(PERSIAN.search(subject) for subject in subjects)
    assert any(not PERSIAN.search(subject) for subject in subjects)
    assert not Interaction.objects.filter(cost=0).exists()


def test_the_figures_of_every_party_are_those_of_its_timeline(demo: None, db: None) -> None:
    for party in Party.objects.annotate(logged=Count("interactions"), first=Min("interactions__occurred_at"),
                                        last=Max("interactions__occurred_at")):  # fmt: skip
        assert party.interaction_count == party.logged
        assert party.first_contact_at == party.first
        assert party.last_contact_at == party.last
        assert party.created_at <= (party.first or party.created_at)
    assert sum(ChannelTally.objects.values_list("count", flat=True)) == Interaction.objects.count()
    key_accounts = Party.objects.filter(interaction_count__gte=30).count()
    assert key_accounts == 3


def test_relationships_show_on_both_records(admin_client: Client) -> None:
    works_at = Relationship.objects.filter(type__key="works_at").select_related("from_party", "to_party").first()
    assert works_at is not None
    person, company = works_at.from_party, works_at.to_party

    person_page = admin_client.get(f"/contacts/{person.pk}/")
    company_page = admin_client.get(f"/contacts/{company.pk}/")

    assert person_page.status_code == company_page.status_code == 200
    assert company.name in person_page.content.decode()
    assert person.name in company_page.content.decode()
    kinds = set(Relationship.objects.values_list("type__key", flat=True))
    assert kinds >= {"works_at", "spouse", "family", "referred_by", "supplier_of", "competitor", "partner",
                     "parent_of"}  # fmt: skip


def test_the_persons_entered_twice_wait_in_the_duplicates_review(demo: None, db: None) -> None:
    pairs = DuplicateCandidate.objects.filter(reason=DuplicateCandidate.Reason.PHONE)

    assert pairs.count() >= 2
    for pair in pairs[:2]:
        first_phones = set(pair.first.contact_points.filter(kind=ContactPoint.Kind.PHONE).values_list("key", flat=True))
        assert first_phones & set(pair.second.contact_points.values_list("key", flat=True))


def test_a_search_finds_a_demo_person_in_either_language(admin_client: Client) -> None:
    persian = Party.objects.filter(kind="person", name__regex="^[\u0600-\u06ff ]+$").order_by("pk").first()
    english = Party.objects.filter(kind="person", name__regex="^[A-Za-z ]+$").order_by("pk").first()
    assert persian is not None
    assert english is not None

    for person in (persian, english):
        response = admin_client.get("/api/v1/search", {"q": person.name, "limit": 50})
        assert response.status_code == 200
        assert person.pk in [hit["id"] for hit in response.json()["results"]]
