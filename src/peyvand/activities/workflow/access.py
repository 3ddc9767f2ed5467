"""Who sees and decides approval requests, and who sees hand-offs.

An approval request is seen by whoever asked, the approver (or every active holder of the approving
role) and administrators; it is decided by the approver or a holder of the role, never by whoever
asked. A hand-off is seen by the two people it passed between and by administrators. The records
themselves keep their own rules (``workflow.records``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import User
from peyvand.activities.workflow.models import ApprovalRequest, Handoff

_ROLE_IDS = "_peyvand_role_ids"


def role_ids(user: User) -> frozenset[int]:
    """The ids of the user's roles: one query, then remembered on the user for the request."""
    known: frozenset[int] | None = getattr(user, _ROLE_IDS, None)
    if known is None:
        known = frozenset(user.roles.values_list("pk", flat=True))
        setattr(user, _ROLE_IDS, known)
    return known


def _roles_of(user: User) -> QuerySet[Any]:
    """The user's roles as a subquery, read in the same query as what it narrows."""
    return User.roles.through.objects.filter(user_id=user.pk).values("role_id")


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated and actor.is_active else None


def approval_filter(actor: Any) -> Q | None:
    user = _user(actor)
    if user is None:
        return None
    if accounts_access.is_administrator(user):
        return Q()
    return Q(requested_by=user) | Q(approver=user) | Q(approver_role__in=_roles_of(user))


def waiting_for(user: User) -> Q:
    """The pending requests ``user`` may decide."""
    return (
        Q(status=ApprovalRequest.Status.PENDING)
        & (Q(approver=user) | Q(approver_role__in=_roles_of(user)))
        & ~Q(requested_by=user)
    )


def visible_approvals(actor: Any) -> QuerySet[ApprovalRequest]:
    condition = approval_filter(actor)
    if condition is None:
        return ApprovalRequest.objects.none()
    return ApprovalRequest.objects.filter(condition)


def access_approval(actor: Any, pk: Any) -> ApprovalRequest:
    """The request ``pk`` if ``actor`` may see it (one query, with its people), else 404."""
    try:
        return (
            visible_approvals(actor)
            .select_related("requested_by", "approver", "approver_role", "decided_by", "related_type", "party")
            .get(pk=pk)
        )
    except (ApprovalRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_decide(actor: Any, approval: ApprovalRequest) -> bool:
    """Whether ``actor`` may approve or reject ``approval``: no query beyond the actor's roles."""
    user = _user(actor)
    if user is None or not approval.is_pending or approval.requested_by_id == user.pk:
        return False
    if approval.approver_id is not None:
        return approval.approver_id == user.pk
    return approval.approver_role_id in role_ids(user)


def may_withdraw(actor: Any, approval: ApprovalRequest) -> bool:
    user = _user(actor)
    return user is not None and approval.is_pending and approval.requested_by_id == user.pk


def visible_handoffs(actor: Any) -> QuerySet[Handoff]:
    user = _user(actor)
    if user is None:
        return Handoff.objects.none()
    if accounts_access.is_administrator(user):
        return Handoff.objects.all()
    return Handoff.objects.filter(Q(from_user=user) | Q(to_user=user))
