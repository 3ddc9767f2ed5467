"""The workflow API: approval requests (ask, list, read, approve, reject, withdraw), hand-offs and
notes on activities. The same access rules and services as the pages; a record is named by its
type (``contacts.party``, ``activities.activity``) and id."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from peyvand.accounts.models import Role, User
from peyvand.accounts.permissions import Action
from peyvand.activities import access as activity_access
from peyvand.activities.workflow import access, records, selectors, services
from peyvand.activities.workflow.models import ActivityNote, ApprovalRequest, Handoff
from peyvand.common.api import ERROR_RESPONSES, PageOut, PageQuery, paginate

router = Router(tags=["Workflow"])

CONFLICTS: dict[type[Exception], str | Promise] = {
    services.ApprovalDecidedError: gettext_lazy("This request was decided already."),
}


class PersonOut(Schema):
    id: int
    username: str
    name: str


class RecordOut(Schema):
    type: str
    id: int
    label: str


class ApprovalIn(Schema):
    record_type: str = Field(examples=["contacts.party"])
    record_id: int
    subject: str = Field(max_length=200)
    details: str = ""
    approver_id: int | None = None
    approver_role_id: int | None = None


class ApprovalOut(Schema):
    id: int
    record: RecordOut
    subject: str
    details: str
    status: str
    requested_by: PersonOut | None
    approver: PersonOut | None
    approver_role: str | None
    decided_by: PersonOut | None
    decided_at: dt.datetime | None
    comment: str
    created_at: dt.datetime
    may_decide: bool
    not_told: list[str] = []


class DecisionIn(Schema):
    comment: str = ""


class ApprovalQuery(PageQuery):
    box: Literal["waiting", "requested", "decided", "all"] = "waiting"


class HandoffIn(Schema):
    record_type: str = Field(examples=["contacts.party"])
    record_id: int
    to_user_id: int
    note: str = ""


class HandoffOut(Schema):
    id: int
    record: RecordOut
    from_user: PersonOut | None
    to_user: PersonOut
    note: str
    created_at: dt.datetime
    not_told: list[str] = []


class HandoffQuery(PageQuery):
    box: Literal["received", "given"] = "received"


class NoteIn(Schema):
    text: str


class NoteOut(Schema):
    id: int
    author: PersonOut | None
    text: str
    created_at: dt.datetime
    not_told: list[str] = []


def _actor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def _record(row: ApprovalRequest | Handoff) -> dict[str, Any]:
    return {"type": records.key_of(row.related_type), "id": row.related_id,
            "label": row.record_label}  # fmt: skip


def _names(users: list[User]) -> list[str]:
    return [user.get_username() for user in users]


def approval_out(actor: User, approval: ApprovalRequest, told: services.Told | None = None) -> dict[str, Any]:
    return {
        "id": approval.pk, "record": _record(approval), "subject": approval.subject, "details": approval.details,
        "status": approval.status, "requested_by": _person(approval.requested_by),
        "approver": _person(approval.approver),
        "approver_role": approval.approver_role.name if approval.approver_role_id else None,  # type: ignore[union-attr]
        "decided_by": _person(approval.decided_by), "decided_at": approval.decided_at, "comment": approval.comment,
        "created_at": approval.created_at, "may_decide": access.may_decide(actor, approval),
        "not_told": _names(told.not_told) if told else [],
    }  # fmt: skip


def handoff_out(handoff: Handoff, told: services.Told | None = None) -> dict[str, Any]:
    return {
        "id": handoff.pk, "record": _record(handoff), "from_user": _person(handoff.from_user),
        "to_user": _person(handoff.to_user), "note": handoff.note, "created_at": handoff.created_at,
        "not_told": _names(told.not_told) if told else [],
    }  # fmt: skip


def _user(field: str, pk: int | None) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("There is no such user.")]})
    return found


# Approvals ---------------------------------------------------------------------------------------
@router.get("/approvals", response={200: PageOut[ApprovalOut], **ERROR_RESPONSES})
def approval_list(request: HttpRequest, filters: Query[ApprovalQuery]) -> dict[str, Any]:
    """Approval requests: `waiting` for your decision (default), `requested` by you, `decided` by you,
    or `all` you may see; newest first."""
    actor = _actor(request)
    result = paginate(selectors.approval_list(actor=actor, box=filters.box), ordering="-created_at", page=filters)
    return {"items": [approval_out(actor, row) for row in result.items], "next_cursor": result.next_cursor}


@router.post("/approvals", response={201: ApprovalOut, **ERROR_RESPONSES})
def approval_create(request: HttpRequest, payload: ApprovalIn) -> Status[dict[str, Any]]:
    """Ask a person (`approver_id`) or anyone holding a role (`approver_role_id`) to approve something
    about a record you may see. They are notified; so are colleagues named with @username in `details`."""
    actor = _actor(request)
    approver = _user("approver_id", payload.approver_id)
    role = None
    if payload.approver_role_id is not None:
        role = Role.objects.filter(pk=payload.approver_role_id).first()
        if role is None:
            raise ValidationError({"approver_role_id": [_("There is no such role.")]})
    try:
        approval, told = services.approval_request_create(
            actor=actor, record_type=payload.record_type, record_id=payload.record_id, subject=payload.subject,
            details=payload.details, approver=approver, approver_role=role,
        )  # fmt: skip
    except ValidationError as error:
        names = {"approver": "approver_id", "approver_role": "approver_role"}
        raise ValidationError({names.get(key, key): texts for key, texts in error.message_dict.items()}) from None
    return Status(201, approval_out(actor, access.access_approval(actor, approval.pk), told))


@router.get("/approvals/{approval_id}", response={200: ApprovalOut, **ERROR_RESPONSES})
def approval_detail(request: HttpRequest, approval_id: int) -> dict[str, Any]:
    """One request you asked, may decide, or (administrators) any; otherwise 404."""
    actor = _actor(request)
    return approval_out(actor, access.access_approval(actor, approval_id))


def _decide(request: HttpRequest, approval_id: int, *, approve: bool, comment: str) -> dict[str, Any]:
    actor = _actor(request)
    approval = access.access_approval(actor, approval_id)
    if not approval.is_pending:
        raise services.ApprovalDecidedError(approval.status)
    if not access.may_decide(actor, approval):
        raise PermissionDenied
    services.approval_decide(actor=actor, approval=approval, approve=approve, comment=comment)
    return approval_out(actor, access.access_approval(actor, approval_id))


@router.post("/approvals/{approval_id}/approve", response={200: ApprovalOut, **ERROR_RESPONSES})
def approval_approve(request: HttpRequest, approval_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Approve a waiting request, with an optional comment. Only its approver; decided already: 409."""
    return _decide(request, approval_id, approve=True, comment=payload.comment)


@router.post("/approvals/{approval_id}/reject", response={200: ApprovalOut, **ERROR_RESPONSES})
def approval_reject(request: HttpRequest, approval_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Reject a waiting request; the comment (why) is required. Only its approver; decided already: 409."""
    return _decide(request, approval_id, approve=False, comment=payload.comment)


@router.post("/approvals/{approval_id}/withdraw", response={200: ApprovalOut, **ERROR_RESPONSES})
def approval_withdraw(request: HttpRequest, approval_id: int) -> dict[str, Any]:
    """Withdraw your own waiting request; decided already: 409."""
    actor = _actor(request)
    approval = access.access_approval(actor, approval_id)
    if not approval.is_pending:
        raise services.ApprovalDecidedError(approval.status)
    if not access.may_withdraw(actor, approval):
        raise PermissionDenied
    services.approval_withdraw(actor=actor, approval=approval)
    return approval_out(actor, access.access_approval(actor, approval_id))


# Hand-offs ---------------------------------------------------------------------------------------
@router.get("/handoffs", response={200: PageOut[HandoffOut], **ERROR_RESPONSES})
def handoff_list(request: HttpRequest, filters: Query[HandoffQuery]) -> dict[str, Any]:
    """Records handed to you (`received`, default) or by you (`given`), newest first."""
    result = paginate(selectors.handoff_list(actor=_actor(request), box=filters.box), ordering="-created_at",
                      page=filters)  # fmt: skip
    return {"items": [handoff_out(row) for row in result.items], "next_cursor": result.next_cursor}


@router.post("/handoffs", response={201: HandoffOut, **ERROR_RESPONSES})
def handoff_create(request: HttpRequest, payload: HandoffIn) -> Status[dict[str, Any]]:
    """Hand a record you may edit to a colleague (a member of your teams, or anyone with the ALL scope),
    with a note: they become its owner (and an activity's assignee) and are notified."""
    actor = _actor(request)
    to_user = _user("to_user_id", payload.to_user_id)
    assert to_user is not None
    try:
        handoff, told = services.handoff_create(actor=actor, record_type=payload.record_type,
                                                record_id=payload.record_id, to_user=to_user, note=payload.note)  # fmt: skip
    except ValidationError as error:
        raise ValidationError({("to_user_id" if key == "to_user" else key): texts
                               for key, texts in error.message_dict.items()}) from None  # fmt: skip
    return Status(201, handoff_out(handoff, told))


# Notes on an activity ----------------------------------------------------------------------------
def _note_out(note: ActivityNote, told: services.Told | None = None) -> dict[str, Any]:
    return {"id": note.pk, "author": _person(note.author), "text": note.text, "created_at": note.created_at,
            "not_told": _names(told.not_told) if told else []}  # fmt: skip


@router.get("/activities/{activity_id}/notes", response={200: list[NoteOut], **ERROR_RESPONSES})
def activity_notes(request: HttpRequest, activity_id: int) -> list[dict[str, Any]]:
    """The notes on an activity you may see, oldest first."""
    activity = activity_access.access_activity(_actor(request), activity_id, Action.VIEW)
    return [_note_out(note) for note in selectors.activity_notes(activity.pk)]


@router.post("/activities/{activity_id}/notes", response={201: NoteOut, **ERROR_RESPONSES})
def activity_note_create(request: HttpRequest, activity_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    """Add a note to an activity you may see; colleagues named with @username who may see it are notified."""
    actor = _actor(request)
    activity = activity_access.access_activity(actor, activity_id, Action.VIEW)
    note, told = services.activity_note_add(actor=actor, activity=activity, text=payload.text)
    return Status(201, _note_out(note, told))
