"""The duplicate pages: the review list, the comparison, merging, dismissing; the conversion pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.contacts.models import DuplicateCandidate, LeadConversion, Party
from peyvand.contacts.services.conversion import lead_convert
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

GRANTS = {(module, action): 3 for module in ("persons", "companies", "leads")
          for action in ("view", "create", "edit", "delete", "export")}  # fmt: skip


@pytest.fixture
def manager(client: Client):  # type: ignore[no-untyped-def]
    user = UserFactory(username="manager", roles=[RoleFactory(grants=GRANTS)])
    client.force_login(user)
    return user


def _pair(number: str = "0912 123 4567", **second: object) -> tuple[Party, Party, DuplicateCandidate]:
    first = PersonFactory(first_name="Sara", last_name="Karimi", phones=[number], job_title="Buyer")
    other = PersonFactory(**{"first_name": "Sarah", "last_name": "Karimi", "phones": [number], **second})
    return first, other, DuplicateCandidate.objects.get(first=first, second=other)


def test_the_list_shows_pairs_most_alike_first_in_a_fixed_number_of_queries(
    client: Client,
    manager,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for index in range(3):
        _pair(f"0912 123 456{index}")
    DuplicateCandidate.objects.filter(pk=DuplicateCandidate.objects.order_by("pk").first().pk).update(score=90)  # type: ignore[union-attr]

    # session, user, the profile (3), the page, phones and emails, cities, the notification bell
    with django_assert_num_queries(9):
        response = client.get(reverse("contacts:duplicate_list"))

    assert response.status_code == 200
    scores = [candidate.score for candidate in response.context["candidates"]]
    assert scores == [100, 100, 90]
    assert "Same phone number" in response.text
    assert "0912 123 4560" in response.text


def test_the_list_pages_with_a_cursor_and_recovers_from_a_damaged_one(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    for index in range(27):
        PersonFactory(phones=[f"0912 200 00{index:02d}"])
        PersonFactory(phones=[f"0912 200 00{index:02d}"])

    first_page = client.get(reverse("contacts:duplicate_list"))
    second_page = client.get(reverse("contacts:duplicate_list") + first_page.context["next_page_url"])
    damaged = client.get(reverse("contacts:duplicate_list") + "?kind=person&cursor=broken")

    assert len(first_page.context["candidates"]) == 25
    assert len(second_page.context["candidates"]) == 2
    assert damaged.status_code == 302


def test_the_empty_list_explains_itself(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("contacts:duplicate_list") + "?kind=company")

    assert response.status_code == 200
    assert "No possible duplicates" in response.text


def test_the_comparison_shows_differing_fields_in_a_fixed_number_of_queries(
    client: Client,
    manager,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    first, _second, candidate = _pair(job_title="Head of purchasing", emails=["sarah@example.com"])

    # session, user, profile (3), the pair, the two records, their contact points, addresses, tags, the bell
    with django_assert_num_queries(11):
        response = client.get(reverse("contacts:duplicate_compare", args=[candidate.pk]))

    assert response.status_code == 200
    differing = {row.name: (row.first, row.second, checked) for row, checked in response.context["differing"]}
    assert differing["first_name"] == ("Sara", "Sarah", first.pk)
    assert differing["job_title"] == ("Buyer", "Head of purchasing", first.pk)
    assert response.context["survivor_id"] == first.pk
    assert "sarah@example.com" in response.text


def test_merging_from_the_page_keeps_the_picked_values_and_lands_on_the_survivor(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    first, second, candidate = _pair(job_title="Head of purchasing")

    response = client.post(reverse("contacts:duplicate_merge", args=[candidate.pk]), {
        "survivor": second.pk, "field_job_title": first.pk, "field_first_name": second.pk,
    })  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:party_detail", args=[second.pk])
    second.refresh_from_db()
    assert (second.first_name, second.job_title) == ("Sarah", "Buyer")
    assert not Party.objects.filter(pk=first.pk).exists()


def test_a_merge_without_a_kept_record_is_asked_again(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    _first, _second, candidate = _pair()

    response = client.post(reverse("contacts:duplicate_merge", args=[candidate.pk]), {"survivor": "999"})

    assert response.status_code == 422
    assert "Choose the record to keep." in response.text
    assert Party.objects.count() == 2


def test_dismissing_a_pair_takes_it_off_the_list(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    _first, _second, candidate = _pair()

    response = client.post(reverse("contacts:duplicate_dismiss", args=[candidate.pk]))

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reviewed_by) == ("dismissed", manager)
    assert list(client.get(reverse("contacts:duplicate_list")).context["candidates"]) == []


def test_the_customer_page_notice_lists_possible_duplicates(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    first, second, _candidate = _pair()
    from peyvand.contacts.selectors.duplicates import possible_duplicates

    assert [(candidate.pk, other) for candidate, other in possible_duplicates(manager, first)] == [
        (_candidate.pk, second)
    ]
    response = client.get(reverse("contacts:party_detail", args=[first.pk]))
    assert response.status_code == 200
    assert "Possible duplicates" in response.text


def test_the_conversion_page_converts_with_a_new_company(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="Kavir Tile")

    page = client.get(reverse("contacts:lead_convert", args=[lead.pk]))
    response = client.post(reverse("contacts:lead_convert", args=[lead.pk]), {
        "create_person": "on", "company_mode": "new", "company_name": "Kavir Tile", "lifecycle_stage": "prospect",
    })  # fmt: skip

    assert page.status_code == 200
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.kind, lead.lead_status) == ("person", "converted")
    assert LeadConversion.objects.get().company.name == "Kavir Tile"  # type: ignore[union-attr]


def test_the_conversion_page_finds_and_links_an_existing_company(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    lead = LeadFactory()
    company = CompanyFactory(name="Pars Trading")

    found = client.get(reverse("contacts:lead_convert", args=[lead.pk]), {"company_mode": "existing", "q": "par"})
    missing = client.post(reverse("contacts:lead_convert", args=[lead.pk]), {
        "create_person": "on", "company_mode": "existing", "lifecycle_stage": "prospect",
    })  # fmt: skip
    linked = client.post(reverse("contacts:lead_convert", args=[lead.pk]), {
        "create_person": "on", "company_mode": "existing", "company_id": company.pk, "lifecycle_stage": "prospect",
    })  # fmt: skip

    assert list(found.context["companies"]) == [company]
    assert missing.status_code == 422
    assert "Search for the company and choose it." in missing.text
    assert linked.status_code == 302
    assert LeadConversion.objects.get().company == company


def test_an_administrator_undoes_a_conversion_from_its_page(admin_client: Client) -> None:
    lead = LeadFactory(company_name="Kavir Tile")
    conversion = lead_convert(actor=None, lead=lead, create_company_name="Kavir Tile")

    confirm = admin_client.get(reverse("contacts:lead_conversion_undo", args=[conversion.pk]))
    response = admin_client.post(reverse("contacts:lead_conversion_undo", args=[conversion.pk]))

    assert confirm.status_code == 200
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.kind, lead.lead_status) == ("lead", "new")
