"""The answers for the activities pages: the list, one activity, its forms and state changes, and
the customer panel's refresh and quick form.

They point at the records of ``cases_activities``: OWN reaches what it owns, is assigned to or
takes part in; TEAM adds the colleague's; only ALL reaches the stranger's. The pages redirect
(302) after a change, and the customer panel needs sight of the customer.
"""

from __future__ import annotations

from typing import Any

from tests.permissions.world import LOGIN, Case, World

USES = ("cases_activities",)

PAGE = (LOGIN, 403, 200, 200, 200, 200)
COLLEAGUE_PAGE = (LOGIN, 403, 404, 200, 200, 200)
COLLEAGUE_POST = (LOGIN, 403, 404, 302, 302, 302)
OWN_POST = (LOGIN, 403, 302, 404, 302, 302)


def _activity(name: str) -> Any:
    return lambda w: [w.extra[name].pk]


def _party(name: str) -> Any:
    return lambda w: [w.extra[name].pk]


def _new(w: World) -> dict[str, Any]:
    return {"kind": "task", "subject": "Send the catalogue", "priority": "normal", "recurrence": "none",
            "recurrence_interval": "1", "recurrence_calendar": "jalali"}  # fmt: skip


def _edit(w: World) -> dict[str, Any]:
    activity = w.extra["activity_of_colleague"]
    return {**_new(w), "subject": "Send the new catalogue", "owner": w.colleague.pk, "team": activity.team_id,
            "assignees": [w.colleague.pk]}  # fmt: skip


def _quick(w: World) -> dict[str, Any]:
    return {"activity-kind": "call", "activity-subject": "Call about the order", "activity-when": ""}


CASES: list[Case] = [
    Case("activities:activity_list", PAGE),
    Case(
        "activities:activity_list",
        PAGE,
        data=lambda w: {"assignee": "me", "overdue": "on", "period": "week"},
        note="filtered",
    ),
    Case("activities:activity_create", PAGE, data=lambda w: {"kind": "call", "starts_at": "2025-03-21T10:00:00"}),
    Case("activities:activity_create", (LOGIN, 403, 302, 302, 302, 302), method="POST", data=_new),
    Case("activities:activity_detail", COLLEAGUE_PAGE, args=_activity("activity_of_colleague")),
    Case(
        "activities:activity_detail",
        (LOGIN, 403, 404, 404, 200, 200),
        args=_activity("activity_of_stranger"),
        note="stranger",
    ),
    Case(
        "activities:activity_detail",
        (LOGIN, 403, 200, 404, 200, 200),
        args=_activity("activity_assigned_to_own"),
        note="assigned to own",
    ),
    Case("activities:activity_edit", COLLEAGUE_PAGE, args=_activity("activity_of_colleague")),
    Case(
        "activities:activity_edit", COLLEAGUE_POST, method="POST", args=_activity("activity_of_colleague"), data=_edit
    ),
    Case("activities:activity_complete", COLLEAGUE_PAGE, args=_activity("activity_of_colleague")),
    Case(
        "activities:activity_complete",
        COLLEAGUE_POST,
        method="POST",
        args=_activity("activity_of_colleague"),
        data=lambda w: {"complete-outcome": "Sent"},
    ),
    Case(
        "activities:activity_complete",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_activity("activity_of_stranger"),
        note="stranger",
    ),
    Case("activities:activity_reopen", COLLEAGUE_POST, method="POST", args=_activity("done_activity_of_colleague")),
    Case("activities:activity_cancel", OWN_POST, method="POST", args=_activity("activity_assigned_to_own")),
    Case(
        "activities:activity_cancel",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_activity("activity_of_stranger"),
        note="stranger",
    ),
    Case("activities:activity_delete", COLLEAGUE_PAGE, args=_activity("activity_of_colleague")),
    Case("activities:activity_delete", OWN_POST, method="POST", args=_activity("activity_assigned_to_own")),
    # The customer panel: without htmx its refresh leads to the list for that customer.
    Case("activities:party_panel", COLLEAGUE_POST, args=_party("person_of_colleague")),
    Case(
        "activities:party_panel", (LOGIN, 403, 404, 404, 302, 302), args=_party("person_of_stranger"), note="stranger"
    ),
    Case(
        "activities:party_create",
        (LOGIN, 403, 302, 302, 302, 302),
        method="POST",
        args=_party("person_of_own"),
        data=_quick,
    ),
    Case(
        "activities:party_create",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_party("person_of_stranger"),
        data=_quick,
        note="stranger",
    ),
]
