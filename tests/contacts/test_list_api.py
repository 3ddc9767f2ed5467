"""The lists in the API: GET /persons|/companies|/leads, bulk, saved views, exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import CustomField, Party, SavedView
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, CustomFieldFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "create", "edit", "delete", "export")


def _user(scope: int = Scope.ALL, *, sensitive: bool = False, **kwargs: Any) -> User:
    grants = {(module, action): scope for module in ("persons", "companies", "leads") for action in ACTIONS}
    fields = [("persons", "national_id"), ("persons", "birth_date")] if sensitive else []
    return UserFactory(roles=[RoleFactory(grants=grants, sensitive_fields=fields)], **kwargs)


@pytest.fixture
def seller() -> User:
    return _user(username="seller")


@pytest.fixture
def api(client: Client, seller: User) -> Client:
    client.force_login(seller)
    return client


def _post(client: Client, url: str, body: dict[str, Any], method: str = "POST") -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_a_row_has_the_compact_fields_and_no_sensitive_ones(client: Client) -> None:
    reader = _user(sensitive=True, username="trusted")
    owner = UserFactory(username="owner", first_name="Reza", last_name="Moradi")
    person = PersonFactory(first_name="Sara", last_name="Karimi", owner=owner, phones=["0912 123 4567"],
                           emails=["Sara@Example.com"], tags=["VIP"], national_id="0499370899")  # fmt: skip
    client.force_login(reader)

    response = client.get("/api/v1/persons")

    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item == {
        "id": person.pk, "kind": "person", "name": "Sara Karimi", "lifecycle_stage": "prospect", "lead_status": "",
        "owner": {"id": owner.pk, "name": "Reza Moradi"}, "team": None, "primary_phone": "+989121234567",
        "primary_email": "sara@example.com", "tags": ["VIP"], "custom": {},
        "created_at": item["created_at"], "last_contact_at": None,
    }  # fmt: skip
    assert "0499370899" not in response.content.decode()


def test_filters_sort_and_keyset_pages(api: Client) -> None:
    for number in range(7):
        PersonFactory(first_name="P", last_name=f"{number}", lifecycle_stage="customer" if number % 2 else "prospect")

    first = api.get("/api/v1/persons", {"stage": "customer", "sort": "-name", "limit": 2}).json()
    second = api.get("/api/v1/persons", {"stage": "customer", "sort": "-name", "limit": 2,
                                         "cursor": first["next_cursor"]}).json()  # fmt: skip

    assert [item["name"] for item in first["items"]] == ["P 5", "P 3"]
    assert [item["name"] for item in second["items"]] == ["P 1"]
    assert second["next_cursor"] is None


def test_custom_field_filters_work_in_the_api(api: Client) -> None:
    CustomFieldFactory(kind=Party.Kind.COMPANY, key="employees", field_type=CustomField.Type.NUMBER)
    CompanyFactory(name="Small", custom={"employees": "8"})
    CompanyFactory(name="Large", custom={"employees": "800"})

    response = api.get("/api/v1/companies", {"cf_employees_min": "100"})

    assert [(item["name"], item["custom"]) for item in response.json()["items"]] == [("Large", {"employees": "800"})]


def test_bad_filters_answer_422_per_parameter(api: Client) -> None:
    response = api.get("/api/v1/leads", {"lead_status": "hot", "last_contact_to": "yesterday", "sort": "size"})

    assert response.status_code == 422
    fields = {field["field"]: field["message"] for field in response.json()["error"]["fields"]}
    assert fields == {
        "sort": "Choose one of: 'name', '-name', 'created_at', '-created_at', 'active_at' or '-active_at'."
    }

    response = api.get("/api/v1/leads", {"lead_status": "hot", "last_contact_to": "yesterday"})
    assert response.json()["error"]["fields"] == [
        {"field": "lead_status", "message": "Select a valid choice. hot is not one of the available choices."},
        {"field": "last_contact_to", "message": "Enter a date as year/month/day, for example 2024-08-02."},
    ]


def test_a_forged_cursor_answers_400(api: Client) -> None:
    response = api.get("/api/v1/persons", {"cursor": "nonsense"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "cursor"


def test_the_api_list_shows_only_the_scope(client: Client) -> None:
    own = _user(Scope.OWN, username="own")
    LeadFactory(first_name="Mine", last_name="X", owner=own)
    LeadFactory(first_name="Theirs", last_name="X")
    client.force_login(own)

    assert [item["name"] for item in client.get("/api/v1/leads").json()["items"]] == ["Mine X"]


@pytest.mark.parametrize("rows", [1, 15])
def test_the_api_list_costs_a_fixed_number_of_queries(api: Client, seller: User, rows: int,
                                                      django_assert_num_queries: Callable) -> None:  # fmt: skip
    for number in range(rows):
        PersonFactory(first_name="P", last_name=str(number), owner=seller, tags=["a"], phones=["09120000000"])

    # session, user, 3 for the permission profile, custom fields, rows, contact points, tags
    with django_assert_num_queries(9):
        response = api.get("/api/v1/persons", {"has_phone": "yes", "limit": 50})

    assert len(response.json()["items"]) == rows


def test_bulk_reports_what_it_refused_and_changes_nothing_out_of_scope(client: Client) -> None:
    own = _user(Scope.OWN, username="own")
    mine = PersonFactory(first_name="Mine", last_name="X", owner=own)
    theirs = PersonFactory(first_name="Theirs", last_name="X")
    client.force_login(own)

    response = _post(client, "/api/v1/parties/bulk", {"action": "tag", "ids": [mine.pk, theirs.pk], "tags": ["VIP"]})

    assert response.status_code == 200
    assert response.json() == {"changed": [mine.pk], "unchanged": [], "refused": [theirs.pk], "out_of_sight": []}
    assert list(theirs.tags.all()) == []
    assert list(mine.tags.values_list("name", flat=True)) == ["VIP"]


def test_bulk_refuses_a_bad_request(api: Client) -> None:
    response = _post(api, "/api/v1/parties/bulk", {"action": "assign", "ids": [1], "owner": "nobody"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "owner", "message": "Choose an active user."}]


def test_saved_views_are_each_users_own(api: Client, seller: User, client: Client) -> None:
    created = _post(api, "/api/v1/saved-views", {"kind": "person", "name": "VIP", "query": "tag=1&cursor=x"})
    assert created.status_code == 422  # tag 1 does not exist
    created = _post(api, "/api/v1/saved-views", {"kind": "person", "name": "Tehran", "query": "province=tehran"})
    view_id = created.json()["id"]

    listed = api.get("/api/v1/saved-views", {"kind": "person"}).json()
    renamed = _post(api, f"/api/v1/saved-views/{view_id}", {"name": "Capital"}, method="PATCH")

    assert created.status_code == 201
    assert [(view["name"], view["query"]) for view in listed] == [("Tehran", "province=tehran")]
    assert renamed.json()["name"] == "Capital"
    other = _user(username="other")
    client.force_login(other)
    assert client.delete(f"/api/v1/saved-views/{view_id}").status_code == 404
    client.force_login(seller)
    assert client.delete(f"/api/v1/saved-views/{view_id}").status_code == 204
    assert not SavedView.objects.exists()


def test_export_through_the_api(api: Client) -> None:
    PersonFactory(first_name="Ali", last_name="A", lifecycle_stage="customer")
    PersonFactory(first_name="Bita", last_name="B")

    response = api.get("/api/v1/persons/export", {"format": "csv", "stage": "customer"})

    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "Ali A" in text
    assert "Bita B" not in text
