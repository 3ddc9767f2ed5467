"""The pages and API operations of a person's data: export, erasure, and the customer page's panel."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import ContactPoint, Party
from tests.accounts.factories import RoleFactory, UserFactory
from tests.api.helpers import ApiClient, create_token, error
from tests.contacts.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return UserFactory(username="boss", roles=[RoleFactory(name="Administrators", is_administrator=True)])


@pytest.fixture
def person() -> Party:
    return PersonFactory(first_name="Mina", last_name="Sadeghi", phones=["0912 111 2233"], emails=["mina@example.com"])


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state(party: Party) -> tuple[Any, ...]:
    party.refresh_from_db()
    return (party.name, party.erased_at, party.contact_points.count(), AuditEvent.objects.count())


# The erasure page --------------------------------------------------------------------------------
def test_the_erasure_page_explains_and_asks_for_the_reason_and_the_name(
    admin: User, person: Party, django_assert_num_queries: Any
) -> None:
    client = _client(admin)
    url = reverse("contacts:party_erase", args=[person.pk])
    client.get(url)

    with django_assert_num_queries(7):  # session, user, grants (3), the party, the unread notifications
        response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Erase Mina Sadeghi’s data?" in page
    assert "What is erased" in page
    assert "What stays" in page
    assert f"The record, shown as “Erased person #{person.pk}”" in page
    assert 'name="reason"' in page
    assert 'name="confirm_name"' in page
    assert f"{reverse('contacts:personal_data_export', args=[person.pk])}?format=json" in page


def test_erasing_lands_on_the_anonymised_record(admin: User, person: Party) -> None:
    client = _client(admin)

    response = client.post(reverse("contacts:party_erase", args=[person.pk]),
                           {"reason": "Asked by email", "confirm_name": "mina  SADEGHI"})  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:party_detail", args=[person.pk])
    person.refresh_from_db()
    assert (person.name, str(person), person.contact_points.count()) == ("[erased]", f"Erased person #{person.pk}", 0)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ERASE)
    assert (event.actor_label, event.changes["reason"]) == ("boss", "Asked by email")
    detail = client.get(response["Location"]).content.decode()
    assert "The person&#x27;s data was erased." in detail
    assert "Erased on request:" in detail


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "Asked", "confirm_name": "Mina Karimi"}, "confirm_name",
         "This is not the name on the record. Type it exactly as shown above."),
        ({"reason": "  ", "confirm_name": "Mina Sadeghi"}, "reason", "Say why this person&#x27;s data is erased."),
    ],
)  # fmt: skip
def test_a_wrong_name_or_no_reason_erases_nothing(admin: User, person: Party, data: dict[str, str], field: str,
                                                  message: str) -> None:  # fmt: skip
    before = _state(person)

    response = _client(admin).post(reverse("contacts:party_erase", args=[person.pk]), data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert _state(person) == before


def test_the_erasure_page_of_an_erased_person_sends_back_to_the_record(admin: User, person: Party) -> None:
    client = _client(admin)
    url = reverse("contacts:party_erase", args=[person.pk])
    client.post(url, {"reason": "Asked", "confirm_name": "Mina Sadeghi"})

    response = client.post(url, {"reason": "Again", "confirm_name": "[erased]"})

    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ERASE).count() == 1


def test_the_erasure_page_reads_persian(person: Party) -> None:
    reader = UserFactory(language=User.Language.PERSIAN, roles=[RoleFactory(is_administrator=True)])

    page = _client(reader).get(reverse("contacts:party_erase", args=[person.pk])).content.decode()

    assert 'dir="rtl"' in page
    assert "اطلاعات شخصی Mina Sadeghi پاک شود؟" in page
    assert "چه چیزهایی پاک می‌شود" in page


# The export --------------------------------------------------------------------------------------
def test_the_export_downloads_json_and_csv(admin: User, person: Party, django_assert_num_queries: Any) -> None:
    client = _client(admin)
    url = reverse("contacts:personal_data_export", args=[person.pk])

    response = client.get(url, {"format": "json"})
    archive = client.get(url, {"format": "csv"})

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{person.pk}.json"'
    assert json.loads(response.content)["contact_points"][0]["value"] == "mina@example.com"
    assert archive["Content-Disposition"] == f'attachment; filename="personal-data-{person.pk}.zip"'
    assert "record.csv" in zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, object_id=str(person.pk)).count() == 2


def test_the_export_costs_a_fixed_number_of_queries(admin: User, person: Party, django_assert_num_queries: Any) -> None:
    client = _client(admin)
    url = reverse("contacts:personal_data_export", args=[person.pk])
    client.get(url)
    PersonFactory(first_name="Other", last_name="Person")

    with django_assert_num_queries(15):
        client.get(url)


def test_an_unknown_export_format_is_a_clear_bad_request(admin: User, person: Party) -> None:
    response = _client(admin).get(reverse("contacts:personal_data_export", args=[person.pk]), {"format": "xml"})

    assert response.status_code == 400
    assert response.content.decode() == "Choose JSON or CSV."


# The customer page's panel -----------------------------------------------------------------------
def test_the_panel_offers_both_actions_to_an_administrator(admin: User, person: Party) -> None:
    page = _client(admin).get(reverse("contacts:party_detail", args=[person.pk])).content.decode()

    assert "Personal data" in page
    assert f"{reverse('contacts:personal_data_export', args=[person.pk])}?format=csv" in page
    assert reverse("contacts:party_erase", args=[person.pk]) in page


def test_the_panel_is_hidden_from_those_who_may_only_view(person: Party) -> None:
    viewer = UserFactory(roles=[RoleFactory(grants={("persons", "view"): Scope.ALL})])

    page = _client(viewer).get(reverse("contacts:party_detail", args=[person.pk])).content.decode()

    assert reverse("contacts:party_erase", args=[person.pk]) not in page
    assert "privacy-panel" not in page


def test_a_company_has_no_privacy_panel(admin: User) -> None:
    company = CompanyFactory()

    page = _client(admin).get(reverse("contacts:party_detail", args=[company.pk])).content.decode()

    assert "privacy-panel" not in page


# The API -----------------------------------------------------------------------------------------
def test_the_api_exports_json_and_csv(admin: User, person: Party) -> None:
    api = ApiClient(token=create_token(admin))

    document = api.get(f"/parties/{person.pk}/personal-data")
    archive = api.get(f"/parties/{person.pk}/personal-data", {"format": "csv"})

    assert document.status_code == 200
    assert json.loads(document.content)["record"]["name"] == "Mina Sadeghi"
    assert archive["Content-Type"] == "application/zip"


def test_the_api_refuses_an_export_without_the_sensitive_fields(person: Party) -> None:
    exporter = UserFactory(
        roles=[RoleFactory(grants={("persons", "view"): Scope.ALL, ("persons", "export"): Scope.ALL})]
    )

    response = ApiClient(token=create_token(exporter)).get(f"/parties/{person.pk}/personal-data")

    assert response.status_code == 403
    assert response.json() == error("permission_denied", "You do not have permission to do this.")


def test_the_api_erases_once(admin: User, person: Party) -> None:
    api = ApiClient(token=create_token(admin))

    first = api.post(f"/parties/{person.pk}/erase", {"reason": "Asked by email"})
    second = api.post(f"/parties/{person.pk}/erase", {"reason": "Asked by email"})

    assert first.status_code == 200
    body = first.json()
    assert (body["id"], body["removed"]["contact_points"]) == (person.pk, 2)
    assert second.status_code == 409
    assert second.json() == error("conflict", "This person's data was already erased.")
    assert not ContactPoint.objects.filter(party=person).exists()


def test_the_api_needs_a_reason(admin: User, person: Party) -> None:
    api = ApiClient(token=create_token(admin))
    before = _state(person)

    response = api.post(f"/parties/{person.pk}/erase", {"reason": ""})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "reason", "message": "Say why this person's data is erased."}
    ]
    assert _state(person) == before
