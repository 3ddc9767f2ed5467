"""The answers for internal workflow: approval requests, hand-offs and notes on activities.

A request is seen by whoever asked it (here the ALL persona), its approver (the TEAM persona) and
administrators; everyone else gets 404. Only the approver decides (an administrator sees it but may
not decide: 403), only whoever asked withdraws. Asking needs sight of the record, handing over the
edit of it; a record out of sight is missing. The lists show each user their own, so everyone
signed in gets one.
"""

from __future__ import annotations

from typing import Any

from tests.permissions.world import API_OWN, BUILDERS, LOGIN, PAGE, Case, World

USES = ("cases_activities",)


def _workflow(world: World) -> None:
    from peyvand.activities.workflow import services
    from tests.accounts.factories import RoleFactory, UserFactory

    # The head of sales, an administrator: whom requests are sent and records handed to.
    world.extra["boss"] = UserFactory(username="boss", teams=[world.sales],
                                      roles=[RoleFactory(name="Head of sales", is_administrator=True)])  # fmt: skip
    person = world.extra["person_of_colleague"]
    world.extra["approval_for_team"], _told = services.approval_request_create(
        actor=world.users["all"], record_type="contacts.party", record_id=person.pk, subject="Discount",
        approver=world.users["team"],
    )  # fmt: skip


BUILDERS.append(_workflow)


def _approval(w: World) -> list[Any]:
    return [w.extra["approval_for_team"].pk]


def _on_colleagues_person(w: World) -> dict[str, Any]:
    return {"type": "contacts.party", "id": w.extra["person_of_colleague"].pk}


def _ask(w: World) -> dict[str, Any]:
    return {"subject": "Free delivery", "approver": w.extra["boss"].pk}


def _hand(w: World) -> dict[str, Any]:
    return {"to_user": w.extra["boss"].pk, "note": "Yours now"}


CASES: list[Case] = [
    Case("workflow:approval_list", PAGE),
    Case("workflow:approval_list", PAGE, data=lambda w: {"box": "requested"}, note="requested"),
    Case("workflow:approval_detail", (LOGIN, 404, 404, 200, 200, 200), args=_approval),
    Case("workflow:approval_create", (LOGIN, 403, 404, 200, 200, 200), data=_on_colleagues_person),
    Case(
        "workflow:approval_create",
        (LOGIN, 403, 404, 302, 302, 302),
        method="POST",
        data=lambda w: {**_on_colleagues_person(w), **_ask(w)},
        note="sent",
    ),
    Case(
        "workflow:approval_decide",
        (LOGIN, 404, 404, 302, 403, 403),
        method="POST",
        args=_approval,
        data=lambda w: {"decision": "approve", "comment": "Fine"},
    ),
    Case("workflow:approval_withdraw", (LOGIN, 404, 404, 403, 302, 403), method="POST", args=_approval),
    Case("workflow:handoff_list", PAGE),
    Case("workflow:handoff_create", (LOGIN, 403, 404, 200, 200, 200), data=_on_colleagues_person),
    Case(
        "workflow:handoff_create",
        (LOGIN, 403, 404, 302, 302, 302),
        method="POST",
        data=lambda w: {**_on_colleagues_person(w), **_hand(w)},
        note="sent",
    ),
    Case(
        "workflow:activity_note_create",
        (LOGIN, 403, 404, 302, 302, 302),
        method="POST",
        args=lambda w: [w.extra["activity_of_colleague"].pk],
        data=lambda w: {"text": "Called @colleague"},
    ),
    Case("accounts:mention_users", PAGE, data=lambda w: {"q": "col"}),
    # Snoozing one's own reminder (every persona has one on this activity)
    Case(
        "activities:reminder_snooze",
        (LOGIN, 403, 302, 302, 302, 302),
        method="POST",
        args=lambda w: [w.extra["activity_of_everyone"].pk],
        data=lambda w: {"minutes": "10"},
    ),
    # The API
    Case("GET /approvals", API_OWN),
    Case(
        "POST /approvals",
        (401, 403, 404, 201, 201, 201),
        method="POST",
        data=lambda w: {
            "record_type": "contacts.party",
            "record_id": w.extra["person_of_colleague"].pk,
            "subject": "Free delivery",
            "approver_id": w.extra["boss"].pk,
        },
    ),
    Case("GET /approvals/{approval_id}", (401, 404, 404, 200, 200, 200), args=_approval),
    Case(
        "POST /approvals/{approval_id}/approve",
        (401, 404, 404, 200, 403, 403),
        method="POST",
        args=_approval,
        data=lambda w: {"comment": ""},
    ),
    Case(
        "POST /approvals/{approval_id}/reject",
        (401, 404, 404, 200, 403, 403),
        method="POST",
        args=_approval,
        data=lambda w: {"comment": "Too much"},
    ),
    Case("POST /approvals/{approval_id}/withdraw", (401, 404, 404, 403, 200, 403), method="POST", args=_approval),
    Case("GET /handoffs", API_OWN),
    Case(
        "POST /handoffs",
        (401, 403, 404, 201, 201, 201),
        method="POST",
        data=lambda w: {
            "record_type": "contacts.party",
            "record_id": w.extra["person_of_colleague"].pk,
            "to_user_id": w.extra["boss"].pk,
            "note": "Yours now",
        },
    ),
    Case(
        "GET /activities/{activity_id}/notes",
        (401, 403, 404, 200, 200, 200),
        args=lambda w: [w.extra["activity_of_colleague"].pk],
    ),
    Case(
        "POST /activities/{activity_id}/notes",
        (401, 403, 404, 201, 201, 201),
        method="POST",
        args=lambda w: [w.extra["activity_of_colleague"].pk],
        data=lambda w: {"text": "Called"},
    ),
]
