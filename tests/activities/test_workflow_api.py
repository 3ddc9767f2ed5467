"""The workflow API: asking for an approval and deciding it, hand-offs and activity notes, with
their field errors (422), conflicts (409) and what is out of reach (404, 403)."""

from __future__ import annotations

from typing import Any

import pytest

from peyvand.accounts.models import User
from peyvand.activities.workflow.models import ApprovalRequest
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.activities.factories import TaskFactory
from tests.api.helpers import ApiClient, create_token
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "create", "edit", "delete", "export")


def _role(scope: int) -> Any:
    return RoleFactory(grants={(module, action): scope for module in ("persons", "activities", "interactions")
                               for action in ACTIONS})  # fmt: skip


def _api(user: User) -> ApiClient:
    return ApiClient(token=create_token(user))


def _fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {field["field"]: field["message"] for field in response.json()["error"]["fields"]}


@pytest.fixture
def people() -> dict[str, Any]:
    tehran = TeamFactory(name="Tehran")
    rep, manager = _role(1), _role(3)
    sara = UserFactory(username="sara", roles=[rep], teams=[tehran])
    return {
        "sara": sara, "reza": UserFactory(username="reza", roles=[rep], teams=[tehran]),
        "maryam": UserFactory(username="maryam", roles=[manager], teams=[tehran]),
        "customer": PersonFactory(first_name="Parsa", owner=sara, team=tehran), "manager_role": manager,
    }  # fmt: skip


def test_an_approval_is_asked_listed_approved_and_then_a_conflict(people: Any) -> None:
    sara, maryam, customer = people["sara"], people["maryam"], people["customer"]
    asked = _api(sara).post("/approvals", {"record_type": "contacts.party", "record_id": customer.pk,
                                           "subject": "10% off", "details": "Ask @maryam", "approver_id": maryam.pk})  # fmt: skip
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert (body["status"], body["record"], body["approver"]["username"], body["may_decide"]) == (
        "pending", {"type": "contacts.party", "id": customer.pk, "label": customer.name}, "maryam", False)  # fmt: skip

    boss = _api(maryam)
    waiting = boss.get("/approvals").json()["items"]
    assert [item["subject"] for item in waiting] == ["10% off"]
    assert waiting[0]["may_decide"] is True
    approved = boss.post(f"/approvals/{body['id']}/approve", {"comment": "OK"})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    again = boss.post(f"/approvals/{body['id']}/reject", {"comment": "No"})
    assert again.status_code == 409
    assert ApprovalRequest.objects.get().status == "approved"


def test_asking_names_the_wrong_fields(people: Any) -> None:
    customer = people["customer"]
    api = _api(people["sara"])
    both = api.post("/approvals", {"record_type": "contacts.party", "record_id": customer.pk, "subject": "x",
                                   "approver_id": people["maryam"].pk, "approver_role_id": people["manager_role"].pk})  # fmt: skip
    assert "approver_id" in _fields(both)
    nobody = api.post("/approvals", {"record_type": "contacts.party", "record_id": customer.pk, "subject": "x",
                                     "approver_id": 999999})  # fmt: skip
    assert _fields(nobody) == {"approver_id": "There is no such user."}
    unknown = api.post("/approvals", {"record_type": "sales.deal", "record_id": 1, "subject": "x",
                                      "approver_id": people["maryam"].pk})  # fmt: skip
    assert unknown.status_code == 404
    assert not ApprovalRequest.objects.exists()


def test_a_rejection_without_a_reason_is_a_field_error_and_the_requester_cannot_decide(people: Any) -> None:
    sara, maryam, customer = people["sara"], people["maryam"], people["customer"]
    asked = _api(sara).post("/approvals", {"record_type": "contacts.party", "record_id": customer.pk,
                                           "subject": "Free delivery", "approver_role_id": people["manager_role"].pk})  # fmt: skip
    approval_id = asked.json()["id"]
    assert _api(sara).post(f"/approvals/{approval_id}/approve", {}).status_code == 403
    assert "comment" in _fields(_api(maryam).post(f"/approvals/{approval_id}/reject", {"comment": ""}))
    assert _api(people["reza"]).get(f"/approvals/{approval_id}").status_code == 404
    withdrawn = _api(sara).post(f"/approvals/{approval_id}/withdraw", {})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_hand_off_by_the_api_and_its_refusal(people: Any) -> None:
    sara, reza, customer = people["sara"], people["reza"], people["customer"]
    refused = _api(sara).post("/handoffs", {"record_type": "contacts.party", "record_id": customer.pk,
                                            "to_user_id": sara.pk})  # fmt: skip
    assert "to_user_id" in _fields(refused)
    handed = _api(sara).post("/handoffs", {"record_type": "contacts.party", "record_id": customer.pk,
                                           "to_user_id": reza.pk, "note": "Yours"})  # fmt: skip
    assert handed.status_code == 201
    assert handed.json()["to_user"]["username"] == "reza"
    assert [item["note"] for item in _api(reza).get("/handoffs").json()["items"]] == ["Yours"]
    assert [item["note"] for item in _api(sara).get("/handoffs?box=given").json()["items"]] == ["Yours"]


def test_notes_on_an_activity_by_the_api_report_who_was_not_told(people: Any) -> None:
    sara = people["sara"]
    task = TaskFactory(actor=sara, owner=sara, assignees=[sara])
    added = _api(sara).post(f"/activities/{task.pk}/notes", {"text": "@maryam look; @reza too"})
    assert added.status_code == 201
    assert added.json()["not_told"] == ["reza"]  # Reza (OWN) does not see Sara's task
    assert [note["text"] for note in _api(sara).get(f"/activities/{task.pk}/notes").json()] == [
        "@maryam look; @reza too"
    ]
    assert "text" in _fields(_api(sara).post(f"/activities/{task.pk}/notes", {"text": " "}))
