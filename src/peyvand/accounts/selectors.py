"""Reads of users, teams, roles and the audit trail, narrowed to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from peyvand.accounts import access
from peyvand.accounts.models import AuditEvent, Role, Team, User
from peyvand.accounts.permissions import Action, Scope
from peyvand.common.text import normalize_text


def user_list(*, actor: Any, search: str = "", team: Team | None = None, role: Role | None = None,
              is_active: bool | None = None) -> QuerySet[User]:  # fmt: skip
    """Users the actor may see: OWN is themselves, TEAM the members of their teams."""
    scope = access.scope_of(actor, "users", Action.VIEW)
    users = User.objects.all()
    if scope == Scope.NONE:
        return users.none()
    if scope == Scope.OWN:
        users = users.filter(pk=actor.pk)
    elif scope == Scope.TEAM:
        team_ids = sorted(access.profile_for(actor).team_ids)
        users = users.filter(Q(pk=actor.pk) | Q(teams__in=team_ids)).distinct()
    if search:
        term = normalize_text(search)
        users = users.filter(
            Q(username__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__iexact=term)
        )
    if team is not None:
        users = users.filter(teams=team)
    if role is not None:
        users = users.filter(roles=role)
    if is_active is not None:
        users = users.filter(is_active=is_active)
    return users.order_by("username")


def team_list(*, actor: Any) -> QuerySet[Team]:
    if not access.can(actor, "teams"):
        return Team.objects.none()
    return Team.objects.select_related("parent").order_by("path")


def role_list(*, actor: Any) -> QuerySet[Role]:
    if not access.is_administrator(actor):
        return Role.objects.none()
    return Role.objects.prefetch_related("grants", "field_grants").order_by("name")


def audit_event_list(
    *,
    actor: Any,
    kind: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    search: str = "",
) -> QuerySet[AuditEvent]:
    """Audit events the actor may see: OWN their own doings, TEAM those of their teams' members."""
    scope = access.scope_of(actor, "audit", Action.VIEW)
    events = AuditEvent.objects.all()
    if scope == Scope.NONE:
        return events.none()
    if scope == Scope.OWN:
        events = events.filter(actor_id=actor.pk)
    elif scope == Scope.TEAM:
        members = User.objects.filter(teams__in=sorted(access.profile_for(actor).team_ids)).values("pk")
        events = events.filter(Q(actor_id=actor.pk) | Q(actor_id__in=members))
    if kind:
        events = events.filter(kind=kind)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lt=until)
    if search:
        events = events.filter(Q(object_label__icontains=search) | Q(actor_label__icontains=search))
    return events
