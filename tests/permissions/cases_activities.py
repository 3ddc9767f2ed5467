"""The answers for the activities API.

The OWN persona reaches what it owns, is assigned to or takes part in (an activity of the stranger
it is assigned to); TEAM adds the colleague's activities (a team below sales); only ALL reaches the
stranger's. Linking a customer needs sight of it: a customer out of sight is a 422 naming
``party_id``. Everyone snoozes only their own reminder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.permissions.world import BUILDERS, Case, World


def _activities(world: World) -> None:
    from peyvand.activities import services
    from tests.activities.factories import TaskFactory

    field_sales = world.colleague.teams.get()
    due = timezone.now() + dt.timedelta(days=2)
    world.extra["activity_of_colleague"] = TaskFactory(owner=world.colleague, team=field_sales,
                                                       assignees=[world.colleague], due_at=due)  # fmt: skip
    world.extra["activity_of_stranger"] = TaskFactory(owner=world.stranger, team=world.other_branch,
                                                      assignees=[world.stranger], due_at=due)  # fmt: skip
    # The stranger's, but assigned to the OWN persona too: OWN reaches it, TEAM does not.
    world.extra["activity_assigned_to_own"] = TaskFactory(owner=world.stranger, team=world.other_branch,
                                                          assignees=[world.stranger, world.users["own"]], due_at=due)  # fmt: skip
    done = TaskFactory(owner=world.colleague, team=field_sales, assignees=[world.colleague], due_at=due)
    world.extra["done_activity_of_colleague"] = services.activity_complete(actor=None, activity=done)
    # On every persona's page, each with a reminder of their own.
    world.extra["activity_of_everyone"] = TaskFactory(owner=world.colleague, team=field_sales, due_at=due,
                                                      reminder_minutes=30,
                                                      assignees=[world.colleague, *world.users.values()])  # fmt: skip


BUILDERS.append(_activities)


def _activity(name: str) -> Any:
    return lambda w: [w.extra[name].pk]


def _new(party: str | None = None) -> Any:
    def data(w: World) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": "task", "subject": "Send the catalogue", "due_at": "2025-03-21T10:00:00Z"}
        if party:
            body["party_id"] = w.extra[party].pk
        return body

    return data


def _change(w: World) -> dict[str, Any]:
    return {"subject": "Send the new catalogue", "priority": "high"}


CASES: list[Case] = [
    # The list
    Case("GET /activities", (401, 403, 200, 200, 200, 200)),
    Case(
        "GET /activities",
        (401, 403, 200, 200, 200, 200),
        data=lambda w: {"assignee": "me", "overdue": "true", "kind": "task"},
        note="filtered",
    ),
    # Creating
    Case("POST /activities", (401, 403, 201, 201, 201, 201), method="POST", data=_new()),
    Case(
        "POST /activities",
        (401, 403, 422, 201, 201, 201),
        method="POST",
        data=_new("person_of_colleague"),
        note="colleague's customer",
    ),
    Case(
        "POST /activities",
        (401, 403, 422, 422, 201, 201),
        method="POST",
        data=_new("person_of_stranger"),
        note="stranger's customer",
    ),
    # One activity
    Case("GET /activities/{activity_id}", (401, 403, 404, 200, 200, 200), args=_activity("activity_of_colleague")),
    Case(
        "GET /activities/{activity_id}",
        (401, 403, 404, 404, 200, 200),
        args=_activity("activity_of_stranger"),
        note="stranger",
    ),
    Case(
        "GET /activities/{activity_id}",
        (401, 403, 200, 404, 200, 200),
        args=_activity("activity_assigned_to_own"),
        note="assigned to own",
    ),
    Case(
        "PATCH /activities/{activity_id}",
        (401, 403, 404, 200, 200, 200),
        method="PATCH",
        args=_activity("activity_of_colleague"),
        data=_change,
    ),
    Case(
        "PATCH /activities/{activity_id}",
        (401, 403, 404, 404, 200, 200),
        method="PATCH",
        args=_activity("activity_of_stranger"),
        data=_change,
        note="stranger",
    ),
    Case(
        "PATCH /activities/{activity_id}",
        (401, 403, 200, 404, 200, 200),
        method="PATCH",
        args=_activity("activity_assigned_to_own"),
        data=_change,
        note="assigned to own",
    ),
    Case(
        "DELETE /activities/{activity_id}",
        (401, 403, 404, 204, 204, 204),
        method="DELETE",
        args=_activity("activity_of_colleague"),
    ),
    Case(
        "DELETE /activities/{activity_id}",
        (401, 403, 204, 404, 204, 204),
        method="DELETE",
        args=_activity("activity_assigned_to_own"),
        note="assigned to own",
    ),
    # Completing, reopening, cancelling
    Case(
        "POST /activities/{activity_id}/complete",
        (401, 403, 404, 200, 200, 200),
        method="POST",
        args=_activity("activity_of_colleague"),
        data=lambda w: {"outcome": "Sent"},
    ),
    Case(
        "POST /activities/{activity_id}/complete",
        (401, 403, 404, 404, 200, 200),
        method="POST",
        args=_activity("activity_of_stranger"),
        data=lambda w: {"outcome": "Sent"},
        note="stranger",
    ),
    Case(
        "POST /activities/{activity_id}/complete",
        (401, 403, 404, 409, 409, 409),
        method="POST",
        args=_activity("done_activity_of_colleague"),
        note="done already",
    ),
    Case(
        "POST /activities/{activity_id}/reopen",
        (401, 403, 404, 200, 200, 200),
        method="POST",
        args=_activity("done_activity_of_colleague"),
    ),
    Case(
        "POST /activities/{activity_id}/cancel",
        (401, 403, 200, 404, 200, 200),
        method="POST",
        args=_activity("activity_assigned_to_own"),
    ),
    Case(
        "POST /activities/{activity_id}/cancel",
        (401, 403, 404, 404, 200, 200),
        method="POST",
        args=_activity("activity_of_stranger"),
        note="stranger",
    ),
    # One's own reminder
    Case(
        "POST /activities/{activity_id}/reminder/snooze",
        (401, 403, 200, 200, 200, 200),
        method="POST",
        args=_activity("activity_of_everyone"),
        data=lambda w: {"minutes": 15},
    ),
    Case(
        "POST /activities/{activity_id}/reminder/snooze",
        (401, 403, 404, 404, 404, 404),
        method="POST",
        args=_activity("activity_of_colleague"),
        data=lambda w: {"minutes": 15},
        note="no reminder of one's own",
    ),
]
