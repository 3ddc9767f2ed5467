"""Approval requests and hand-offs as their readers see them, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import User
from peyvand.activities.workflow import access, records
from peyvand.activities.workflow.models import ActivityNote, ApprovalRequest, Handoff

BOXES = ("waiting", "requested", "decided", "all")
HANDOFF_BOXES = ("received", "given")

_APPROVAL_PEOPLE = ("requested_by", "approver", "approver_role", "decided_by", "related_type")


def approval_list(*, actor: User, box: str = "waiting") -> QuerySet[ApprovalRequest]:
    """``waiting``: what the actor may decide; ``requested``: what they asked; ``decided``: what
    they decided; ``all``: every request they may see. Keyset-page it by ``-created_at``."""
    visible = access.visible_approvals(actor).select_related(*_APPROVAL_PEOPLE)
    if box == "waiting":
        return visible.filter(access.waiting_for(actor))
    if box == "requested":
        return visible.filter(requested_by=actor)
    if box == "decided":
        return visible.filter(decided_by=actor).exclude(requested_by=actor)
    return visible


def waiting_count(actor: User) -> int:
    return access.visible_approvals(actor).filter(access.waiting_for(actor)).count()


def with_links(rows: Any) -> list[Any]:
    """Hand-offs or approval requests with ``record_url``, their record's page (no query)."""
    rows = list(rows)
    for row in rows:
        row.record_url = records.url_of(row.related_type, row.related_id)
    return rows


def handoff_list(*, actor: User, box: str = "received") -> QuerySet[Handoff]:
    handoffs = access.visible_handoffs(actor).select_related("from_user", "to_user", "related_type")
    return handoffs.filter(from_user=actor) if box == "given" else handoffs.filter(to_user=actor)


@dataclass(frozen=True)
class RecordWorkflow:
    """What a record's page shows of its workflow: its hand-offs and approval requests."""

    handoffs: list[Handoff]
    approvals: list[ApprovalRequest]


def record_workflow(*, actor: User, record_type: str, record_id: Any, limit: int = 10) -> RecordWorkflow:
    """The record's latest hand-offs and approval requests (two queries; the content type is cached).
    Whoever sees the record sees them, as its timeline does; an approval opens for its parties."""
    related = Q(related_type=records.content_type_of(record_type), related_id=record_id)
    handoffs = list(Handoff.objects.filter(related).select_related("from_user", "to_user")[:limit])
    approvals = list(ApprovalRequest.objects.filter(related).select_related(*_APPROVAL_PEOPLE)[:limit])
    administrator = accounts_access.is_administrator(actor)
    roles = access.role_ids(actor) if approvals else frozenset()
    for approval in approvals:
        may_open = administrator or actor.pk in (approval.requested_by_id, approval.approver_id)
        approval.may_open = may_open or approval.approver_role_id in roles  # type: ignore[attr-defined]
    return RecordWorkflow(handoffs=handoffs, approvals=approvals)


def activity_notes(activity_id: int) -> list[ActivityNote]:
    return list(ActivityNote.objects.filter(activity_id=activity_id).select_related("author"))
