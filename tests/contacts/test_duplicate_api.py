"""The API of duplicates, merges and conversions: the same services and rules as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from peyvand.contacts.models import DuplicateCandidate, LeadConversion, Party
from peyvand.contacts.services.conversion import lead_convert
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

GRANTS = {(module, action): 3 for module in ("persons", "companies", "leads")
          for action in ("view", "create", "edit", "delete", "export")}  # fmt: skip


@pytest.fixture
def api(client: Client) -> Client:
    client.force_login(UserFactory(roles=[RoleFactory(grants=GRANTS)]))
    return client


def _post(client: Client, path: str, body: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json")


def test_the_list_is_a_keyset_page_in_a_fixed_number_of_queries(api: Client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for index in range(3):
        PersonFactory(phones=[f"0912 300 000{index}"])
        PersonFactory(phones=[f"0912 300 000{index}"])

    # session, user, profile (3), the page
    with django_assert_num_queries(6):
        response = api.get("/api/v1/duplicates", {"kind": "person", "limit": 2})

    body = response.json()
    assert response.status_code == 200
    assert [item["reason"] for item in body["items"]] == ["phone", "phone"]
    assert set(body["items"][0]) == {"id", "kind", "first", "second", "reason", "score", "status", "found_at"}
    assert body["next_cursor"] is not None
    rest = api.get("/api/v1/duplicates", {"kind": "person", "cursor": body["next_cursor"]}).json()
    assert len(rest["items"]) == 1


def test_dismiss(api: Client) -> None:
    PersonFactory(phones=["09121234567"])
    PersonFactory(phones=["09121234567"])
    candidate = DuplicateCandidate.objects.get()

    response = _post(api, f"/duplicates/{candidate.pk}/dismiss")

    assert (response.status_code, response.json()["status"]) == (200, "dismissed")


def test_merge_through_the_api(api: Client) -> None:
    survivor = PersonFactory(job_title="Buyer", phones=["09121111111"])
    merged = PersonFactory(job_title="Head of purchasing", phones=["09122222222"])

    response = _post(api, f"/parties/{survivor.pk}/merge", {"merged_id": merged.pk, "choices": {"job_title": "merged"}})

    assert response.status_code == 200
    assert response.json() == {
        "survivor": {"id": survivor.pk, "kind": "person", "name": survivor.name},
        "merged_id": merged.pk, "moved": {"contact_points": 1},
    }  # fmt: skip
    survivor.refresh_from_db()
    assert survivor.job_title == "Head of purchasing"


def test_merge_errors_name_the_client_fields_and_change_nothing(api: Client) -> None:
    survivor, merged, lead = PersonFactory(), PersonFactory(), LeadFactory()

    wrong = _post(api, f"/parties/{survivor.pk}/merge", {"merged_id": merged.pk, "choices": {"salary": "merged"}})
    other_kind = _post(api, f"/parties/{survivor.pk}/merge", {"merged_id": lead.pk})

    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"] == [
        {"field": "choices.salary", "message": "There is no such field to choose."}
    ]
    assert (other_kind.status_code, other_kind.json()["error"]["code"]) == (409, "conflict")
    assert Party.objects.count() == 3


def test_convert_and_undo(api: Client, admin_user) -> None:  # type: ignore[no-untyped-def]
    admin_client = Client()
    admin_client.force_login(admin_user)
    lead = LeadFactory(first_name="Reza", last_name="Moradi")
    company = CompanyFactory(name="Pars Trading")

    converted = _post(api, f"/leads/{lead.pk}/convert", {"company_id": company.pk, "lifecycle_stage": "customer"})
    again = _post(api, f"/leads/{lead.pk}/convert", {})
    refused = _post(api, f"/lead-conversions/{converted.json()['id']}/undo")
    undone = _post(admin_client, f"/lead-conversions/{converted.json()['id']}/undo")

    assert converted.status_code == 201
    assert converted.json()["party"] == {"id": lead.pk, "kind": "person", "name": "Reza Moradi"}
    assert converted.json()["company"] == {"id": company.pk, "kind": "company", "name": "Pars Trading"}
    assert (again.status_code, again.json()["error"]["code"]) == (409, "conflict")
    assert refused.status_code == 403
    assert undone.status_code == 200
    assert (undone.json()["party"]["kind"], undone.json()["company_kept"]) == ("lead", False)


def test_convert_with_an_unknown_company_is_a_field_error(api: Client) -> None:
    lead = LeadFactory()
    person = PersonFactory()

    response = _post(api, f"/leads/{lead.pk}/convert", {"company_id": person.pk})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "company_id", "message": "Choose a company."}]
    assert LeadConversion.objects.count() == 0


def test_undo_of_an_undone_conversion_is_a_conflict(admin_client: Client) -> None:
    conversion = lead_convert(actor=None, lead=LeadFactory())
    _post(admin_client, f"/lead-conversions/{conversion.pk}/undo")

    response = _post(admin_client, f"/lead-conversions/{conversion.pk}/undo")

    assert response.status_code == 409
