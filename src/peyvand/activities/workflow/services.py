"""Handing a record to a colleague, asking for an approval and deciding it, notes on activities.

Each is one transaction: the change, an audit entry on the record itself (so the customer's
timeline shows hand-offs and approvals of a customer, and the audit trail has them all), and the
notifications, in each recipient's language. Colleagues named with @username in a note, a
hand-off's note or a request are told too, if they may see the record; the others are returned, so
the page can say who was not told.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.accounts import audit, mentions
from peyvand.accounts.mentions import Told
from peyvand.accounts.models import AuditEvent, Role, User
from peyvand.accounts.notifications import notification_send
from peyvand.accounts.permissions import Action
from peyvand.activities.models import Activity
from peyvand.activities.workflow import access, records
from peyvand.activities.workflow.models import ActivityNote, ApprovalRequest, Handoff

MAX_NOTE = 4000


class ApprovalDecidedError(ValueError):
    """The request was approved, rejected or withdrawn already."""


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _in_language(user: User) -> translation.override:
    return translation.override(user.language or settings.LANGUAGE_CODE)


def _tell_mentioned(actor: User, record_type: records.RecordType, record: Any, text: str, *,
                    already: Collection[int] = ()) -> Told:  # fmt: skip
    """Notify the users ``text`` mentions who may see ``record``."""
    return mentions.tell_mentioned(
        actor=actor, text=text, skip=already, body=text, url=record_type.url(record),
        may_see=lambda user: record_type.can(user, record, Action.VIEW),
        title=lambda user: _("%(name)s mentioned you: %(record)s") % {"name": _name(actor),
                                                                     "record": record_type.title(record)},
    )  # fmt: skip


def _check_text(name: str, text: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({name: [_("This field is required.")]})
    if len(text) > MAX_NOTE:
        raise ValidationError({name: [_("Write at most %(count)s characters.") % {"count": MAX_NOTE}]})
    return text


# Hand-offs ---------------------------------------------------------------------------------------
@transaction.atomic
def handoff_create(
    *, actor: User, record_type: str, record_id: Any, to_user: User, note: str = ""
) -> tuple[Handoff, Told]:
    """Give the record to ``to_user`` with a note: its owner (and an activity's assignment) changes
    through the record's own service, the hand-off is kept, and ``to_user`` is told."""
    kind = records.get(record_type)
    record = kind.fetch(actor, record_id, Action.EDIT)
    note = _check_text("note", note)
    if to_user.pk == actor.pk:
        raise ValidationError({"to_user": [_("Choose a colleague other than yourself.")]})
    if not to_user.is_active or not records.colleagues(actor, kind, record).filter(pk=to_user.pk).exists():
        raise ValidationError({"to_user": [_("You may hand records only to active members of your teams.")]})
    if not kind.would_see(to_user, record):
        raise ValidationError({"to_user": [_("%(name)s may not see this kind of record, so it cannot be handed to them.")
                                           % {"name": _name(to_user)}]})  # fmt: skip
    previous_owner = getattr(record, "owner", None)
    kind.hand_over(actor, record, to_user)
    handoff = Handoff.objects.create(
        related_type=records.content_type_of(kind.key), related_id=record.pk,
        record_label=kind.title(record)[:300], party=kind.party(record), from_user=actor, to_user=to_user, note=note,
    )  # fmt: skip
    audit.record(actor=actor, kind=AuditEvent.Kind.HANDOFF, object_type=kind.key, object_id=str(record.pk),
                 object_label=kind.title(record),
                 changes={"handed_to": [_name(previous_owner), _name(to_user)], **({"note": note} if note else {})})  # fmt: skip
    with _in_language(to_user):
        title = _("%(name)s handed you %(record)s") % {"name": _name(actor), "record": kind.title(record)}
    notification_send(recipient=to_user, title=title, body=note[:500], url=kind.url(record), kind="handoff")
    told = _tell_mentioned(actor, kind, record, note, already={to_user.pk})
    return handoff, told


# Approvals ---------------------------------------------------------------------------------------
def _approvers(approval: ApprovalRequest) -> models.QuerySet[User]:
    if approval.approver_id is not None:
        return User.objects.filter(pk=approval.approver_id, is_active=True)
    return User.objects.filter(roles=approval.approver_role_id, is_active=True).distinct().order_by("pk")


@transaction.atomic
def approval_request_create(*, actor: User, record_type: str, record_id: Any, subject: str, details: str = "",
                            approver: User | None = None, approver_role: Role | None = None) -> tuple[ApprovalRequest, Told]:  # fmt: skip
    """Ask ``approver`` (or anyone holding ``approver_role``) to approve ``subject`` about the record."""
    kind = records.get(record_type)
    record = kind.fetch(actor, record_id, Action.VIEW)
    errors: dict[str, list[str]] = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = [_("Say what is to be approved.")]
    elif len(subject) > 200:
        errors["subject"] = [_("Write at most %(count)s characters.") % {"count": 200}]
    try:
        details = _check_text("details", details)
    except ValidationError as error:
        errors.update(error.message_dict)
    if (approver is None) == (approver_role is None):
        errors["approver"] = [_("Choose either a person or a role to approve it.")]
    elif approver is not None:
        if approver.pk == actor.pk:
            errors["approver"] = [_("Someone else must approve your request.")]
        elif not approver.is_active:
            errors["approver"] = [_("This user is no longer active.")]
        elif not kind.can(approver, record, Action.VIEW):
            errors["approver"] = [_("%(name)s may not see this record, so they could not judge it.")
                                  % {"name": _name(approver)}]  # fmt: skip
    elif approver_role is not None:
        holders = [user for user in User.objects.filter(roles=approver_role, is_active=True).exclude(pk=actor.pk)
                   if kind.can(user, record, Action.VIEW)]  # fmt: skip
        if not holders:
            errors["approver_role"] = [_("Nobody else holding this role may see this record.")]
    if errors:
        raise ValidationError(errors)
    approval = ApprovalRequest.objects.create(
        related_type=records.content_type_of(kind.key), related_id=record.pk,
        record_label=kind.title(record)[:300], party=kind.party(record), subject=subject, details=details,
        requested_by=actor, approver=approver, approver_role=approver_role,
    )  # fmt: skip
    approver_label = _name(approver) if approver is not None else str(approver_role)
    audit.record(actor=actor, kind=AuditEvent.Kind.APPROVAL_REQUESTED, object_type=kind.key,
                 object_id=str(record.pk), object_label=kind.title(record),
                 changes={"approval": subject, "approver": approver_label,
                          **({"details": details} if details else {})})  # fmt: skip
    url = approval_url(approval)
    deciders = [user for user in _approvers(approval).exclude(pk=actor.pk) if kind.can(user, record, Action.VIEW)]
    for user in deciders:
        with _in_language(user):
            title = _("%(name)s asks for your approval: %(subject)s") % {"name": _name(actor), "subject": subject}
        notification_send(recipient=user, title=title, body=kind.title(record), url=url, kind="approval_request")
    told = _tell_mentioned(actor, kind, record, details, already={user.pk for user in deciders})
    return approval, told


def approval_url(approval: ApprovalRequest) -> str:
    return reverse("workflow:approval_detail", args=[approval.pk])


def _lock(approval: ApprovalRequest) -> None:
    status = ApprovalRequest.objects.select_for_update().filter(pk=approval.pk).values_list("status", flat=True).first()
    approval.status = status or approval.status
    if not approval.is_pending:
        raise ApprovalDecidedError(approval.status)


def _record_of(approval: ApprovalRequest) -> Any | None:
    """The record a request is about, if it is still there."""
    model = approval.related_type.model_class()
    return model._default_manager.filter(pk=approval.related_id).first() if model is not None else None


@transaction.atomic
def approval_decide(*, actor: User, approval: ApprovalRequest, approve: bool, comment: str = "") -> ApprovalRequest:
    """Approve or reject (a rejection needs its reason); the requester is told."""
    comment = _check_text("comment", comment, required=not approve)
    if not access.may_decide(actor, approval):
        raise ValidationError({"decision": [_("Only the approver may decide this request.")]})
    _lock(approval)
    approval.status = ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.REJECTED
    approval.decided_by, approval.decided_at, approval.comment = actor, timezone.now(), comment
    approval.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    kind = records.get(records.key_of(approval.related_type))
    event = AuditEvent.Kind.APPROVAL_APPROVED if approve else AuditEvent.Kind.APPROVAL_REJECTED
    audit.record(actor=actor, kind=event, object_type=kind.key, object_id=str(approval.related_id),
                 object_label=approval.record_label,
                 changes={"approval": approval.subject, **({"comment": comment} if comment else {})})  # fmt: skip
    requester = approval.requested_by
    if requester is not None and requester.is_active:
        with _in_language(requester):
            title = (_("%(name)s approved: %(subject)s") if approve else _("%(name)s rejected: %(subject)s")) % {
                "name": _name(actor), "subject": approval.subject}  # fmt: skip
        notification_send(recipient=requester, title=title, body=comment[:500], url=approval_url(approval),
                          kind="approval_decision")  # fmt: skip
    record = _record_of(approval) if comment else None
    if record is not None:
        _tell_mentioned(actor, kind, record, comment, already={approval.requested_by_id or 0})
    return approval


@transaction.atomic
def approval_withdraw(*, actor: User, approval: ApprovalRequest) -> ApprovalRequest:
    if not access.may_withdraw(actor, approval):
        raise ValidationError({"decision": [_("Only whoever asked may withdraw a waiting request.")]})
    _lock(approval)
    approval.status = ApprovalRequest.Status.WITHDRAWN
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor=actor, kind=AuditEvent.Kind.APPROVAL_CANCELLED,
                 object_type=records.key_of(approval.related_type), object_id=str(approval.related_id),
                 object_label=approval.record_label, changes={"approval": approval.subject})  # fmt: skip
    return approval


# Notes on activities -----------------------------------------------------------------------------
@transaction.atomic
def activity_note_add(*, actor: User, activity: Activity, text: str) -> tuple[ActivityNote, Told]:
    """A note on an activity the actor may see; the colleagues it mentions who may see it are told."""
    text = _check_text("text", text, required=True)
    note = ActivityNote.objects.create(activity=activity, author=actor, text=text)
    told = _tell_mentioned(actor, records.get("activities.activity"), activity, text)
    return note, told
