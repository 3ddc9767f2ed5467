"""Imports through the API: POST /imports, GET /imports, GET /imports/{id}, GET /imports/{id}/errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from peyvand.contacts.models import ImportJob, Party
from tests.contacts.import_helpers import csv_bytes, importer

pytestmark = pytest.mark.django_db

FILE = csv_bytes([
    "Full name,Cell,Mail,Notes",
    "Sara Karimi,0912 123 4567,sara@example.com,first",
    "Reza Moradi,12,reza@example.com,",
    "Ali Rezaei,0935,ali@example,",
    "Neda Amini,0935 765 4321,,",
])  # fmt: skip


def _client(user: Any) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def _post(client: Client, **data: Any) -> Any:
    data.setdefault("file", SimpleUploadedFile("people.csv", FILE))
    return client.post("/api/v1/imports", data)


def test_upload_and_follow_an_import(django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any) -> None:
    # Given someone who may create persons
    client = _client(importer())

    # When they upload a file, naming the columns the headers do not give away
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, kind="person", mapping=json.dumps({"Cell": "phone:mobile", "Mail": "email"}))

    # Then it is accepted, with every column's field
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert body["headers"] == ["Full name", "Cell", "Mail", "Notes"]
    assert body["mapping"] == {"Full name": "name", "Cell": "phone:mobile", "Mail": "email", "Notes": "description"}
    job_id = body["id"]

    # and it runs in the background; its figures and failed rows can be read
    detail = client.get(f"/api/v1/imports/{job_id}").json()
    assert {key: detail[key] for key in ("status", "total_rows", "processed_rows", "created_count", "failed_count")} == {
        "status": "done", "total_rows": 4, "processed_rows": 4, "created_count": 2, "failed_count": 2,
    }  # fmt: skip
    with django_assert_num_queries(7):
        first = client.get(f"/api/v1/imports/{job_id}/errors?limit=1").json()
    second = client.get(f"/api/v1/imports/{job_id}/errors?limit=1&cursor={first['next_cursor']}").json()
    assert first["items"] == [{
        "row_number": 3, "values": {"Full name": "Reza Moradi", "Cell": "12", "Mail": "reza@example.com"},
        "errors": [{"column": "Cell", "field": "phone:mobile", "message": "This phone number is too short."}],
    }]  # fmt: skip
    assert [item["row_number"] for item in second["items"]] == [4]
    assert second["next_cursor"] is None
    listing = client.get("/api/v1/imports").json()
    assert [item["id"] for item in listing["items"]] == [job_id]
    assert sorted(Party.objects.values_list("first_name", "last_name")) == [("Neda", "Amini"), ("Sara", "Karimi")]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "person", "mapping": "[1]"}, "mapping", "Send a JSON object of column headers and field names."),
        ({"kind": "person", "mapping": '{"Cell": "shoe_size"}'}, "mapping.Cell",
         "This is not a field this record type can import into."),
        ({"kind": "person", "mapping": '{"Full name": ""}'}, "mapping", "Choose the column that holds the name."),
        ({"kind": "person", "on_duplicate": "merge"}, "on_duplicate", "Choose skip, update or create."),
        ({"kind": "planet"}, "kind", "Select a valid choice. planet is not one of the available choices."),
        ({"kind": "person", "file": None}, "file", "This field is required."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_kept(data: dict[str, Any], field: str, message: str) -> None:
    client = _client(importer())
    if data.get("file", "") is None:
        data.pop("file")
        response = client.post("/api/v1/imports", data)
    else:
        response = _post(client, **data)

    assert response.status_code == 422
    assert {"field": field, "message": message} in response.json()["error"]["fields"]
    assert ImportJob.objects.count() == 0


def test_permissions() -> None:
    persons_only = _client(importer(modules=("persons",), actions=("view", "create")))

    assert _post(persons_only, kind="company").status_code == 403
    assert _post(persons_only, kind="person", on_duplicate="update").status_code == 403
    assert ImportJob.objects.count() == 0
    other = importer(username="other")
    job = ImportJob.objects.create(user=other, kind="person", file_name="x.csv", file_format="csv")
    assert persons_only.get(f"/api/v1/imports/{job.pk}").status_code == 404
    assert persons_only.get("/api/v1/imports").json()["items"] == []
