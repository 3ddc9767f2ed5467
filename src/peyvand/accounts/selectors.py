"""Reads of users, teams, roles and the audit trail, narrowed to what the actor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404

from peyvand.accounts import access
from peyvand.accounts.models import AuditEvent, Notification, Role, Team, User
from peyvand.accounts.permissions import Action, Scope, get_module
from peyvand.common.pagination import InvalidCursor, Page, keyset_page
from peyvand.common.text import normalize_text, search_key


def _users_in_scope(actor: Any, action: str) -> QuerySet[User]:
    """OWN is the actor themselves, TEAM the members of their teams (and the teams below)."""
    scope = access.scope_of(actor, "users", action)
    users = User.objects.all()
    if scope == Scope.NONE:
        return users.none()
    if scope == Scope.OWN:
        return users.filter(pk=actor.pk)
    if scope == Scope.TEAM:
        team_ids = sorted(access.profile_for(actor).team_ids)
        return users.filter(Q(pk=actor.pk) | Q(teams__in=team_ids)).distinct()
    return users


def user_list(*, actor: Any, search: str = "", team: Team | None = None, role: Role | None = None,
              is_active: bool | None = None, with_memberships: bool = False,
              action: str = Action.VIEW) -> QuerySet[User]:  # fmt: skip
    """Users the actor may ``action`` (see, by default): OWN is themselves, TEAM the members of their teams."""
    users = _users_in_scope(actor, action)
    if with_memberships:
        users = users.prefetch_related("teams", "roles")
    if search:
        term = normalize_text(search)
        matches = Q(username__icontains=term) | Q(search_name__contains=search_key(search))
        if access.can_see_field(actor, "users", "email"):  # else a search would tell whose address it is
            matches |= Q(email__iexact=term)
        users = users.filter(matches)
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
    action: str = Action.VIEW,
) -> QuerySet[AuditEvent]:
    """Audit events the actor may see: OWN their own doings, TEAM those of their teams' members.

    With ``action`` (``export``), the narrower of the two scopes applies.
    """
    scope = min(access.scope_of(actor, "audit", Action.VIEW), access.scope_of(actor, "audit", action))
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


def access_user(*, actor: Any, pk: Any, action: str = Action.VIEW) -> User:
    """The user ``pk`` if the actor may ``action`` them, in one query.

    Users carry no owner or team column, so :func:`access.access_record` cannot scope them; this
    keeps its rule: out of sight is missing (404), in sight but not allowed is refused (403).
    Only administrators may change an administrator, so no one can give themselves more power.
    """
    if not access.can(actor, "users", Action.VIEW):
        raise PermissionDenied
    users = _users_in_scope(actor, Action.VIEW)
    if action != Action.VIEW:
        users = users.annotate(
            _peyvand_allowed=Exists(_users_in_scope(actor, action).filter(pk=OuterRef("pk")))
            if access.can(actor, "users", action)
            else Value(False),
            _peyvand_administrator_role=Exists(Role.objects.filter(users=OuterRef("pk"), is_administrator=True)),
        )
    try:
        user = users.get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != Action.VIEW:
        target_is_administrator = user.is_superuser or getattr(user, "_peyvand_administrator_role")  # noqa: B009
        if not getattr(user, "_peyvand_allowed") or (target_is_administrator and not access.is_administrator(actor)):  # noqa: B009
            raise PermissionDenied
    return user


def team_options(*, actor: Any) -> QuerySet[Team]:
    """Teams offered in the filters and forms of users and teams, in tree order."""
    if not (access.can(actor, "users") or access.can(actor, "teams")):
        return Team.objects.none()
    return Team.objects.order_by("path")


def role_options(*, actor: Any) -> QuerySet[Role]:
    """Roles offered in the users' filter (their names are shown on every user anyway)."""
    if not access.can(actor, "users"):
        return Role.objects.none()
    return Role.objects.order_by("name")


def team_tree(*, actor: Any) -> QuerySet[Team]:
    """Every team in tree order, each with ``member_count``, in one query."""
    return team_list(actor=actor).annotate(member_count=Count("members", distinct=True))


def role_overview(*, actor: Any) -> QuerySet[Role]:
    """Roles with their grants and ``holder_count``; administrators only."""
    return role_list(actor=actor).annotate(holder_count=Count("users", distinct=True))


def other_administrators_exist(*, excluding_user: User | None = None, excluding_role: Role | None = None) -> bool:
    """Whether some active administrator remains without ``excluding_user`` or ``excluding_role``.

    Asked before a change that could leave the organisation with no one able to manage access.
    """
    administrator_roles = Role.objects.filter(is_administrator=True)
    if excluding_role is not None:
        administrator_roles = administrator_roles.exclude(pk=excluding_role.pk)
    administrators = User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(roles__in=administrator_roles))
    if excluding_user is not None:
        administrators = administrators.exclude(pk=excluding_user.pk)
    return administrators.exists()


# Audit trail ----------------------------------------------------------------------------------
# Which module's sensitive fields protect the changes recorded on a record type.
AUDIT_RECORD_MODULES: dict[str, str] = {"accounts.user": "users"}


@dataclass(frozen=True)
class AuditChange:
    field: str
    old: Any
    new: Any
    # False for details that are not a change, such as the reason of a failed login.
    is_change: bool = True
    hidden: bool = False


def audit_changes(*, actor: Any, event: AuditEvent) -> list[AuditChange]:
    """The event's changes, with sensitive fields the actor may not see hidden."""
    module_key = AUDIT_RECORD_MODULES.get(event.object_type)
    sensitive = set(get_module(module_key).sensitive_fields) if module_key else set()
    rows = []
    for name, value in sorted((event.changes or {}).items()):
        hidden = name in sensitive and not access.can_see_field(actor, module_key or "", name)
        if isinstance(value, list) and len(value) == 2:
            old, new = (None, None) if hidden else value
            rows.append(AuditChange(field=name, old=old, new=new, hidden=hidden))
        else:
            rows.append(
                AuditChange(field=name, old=None, new=None if hidden else value, is_change=False, hidden=hidden)
            )
    return rows


def audit_record_types() -> list[tuple[str, str]]:
    """``(label_lower, verbose name)`` of Peyvand's models, the record types events are filed under."""
    return sorted(
        ((model._meta.label_lower, str(model._meta.verbose_name)) for model in apps.get_models()
         if model.__module__.startswith("peyvand.")),
        key=lambda choice: choice[1].casefold(),
    )  # fmt: skip


# Notifications --------------------------------------------------------------------------------
def notification_list(*, user: Any, is_read: bool | None = None) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user)
    if is_read is not None:
        notifications = notifications.filter(read_at__isnull=not is_read)
    return notifications


def notification_filtered_page(*, user: Any, unread_only: bool, kind: str, cursor: str | None,
                               limit: int) -> Page[Notification]:  # fmt: skip
    """A page of the user's notifications of ``kind`` (any when "") and, with ``unread_only``, unread
    ones only, newest first; one query (a broken cursor starts again from the top)."""
    found = notification_list(user=user, is_read=False if unread_only else None)
    if kind:
        found = found.filter(kind=kind)
    try:
        return keyset_page(found, ordering="-created_at", cursor=cursor, limit=limit)
    except InvalidCursor:
        return keyset_page(found, ordering="-created_at", cursor=None, limit=limit)


def notification_page(*, user: Any, cursor: str | None, limit: int) -> Page[Notification]:
    """A page of the user's notifications: the unread ones first, newest first, then the read ones.

    The cursor says which part it continues (``u~…`` unread, ``r~…`` read); at most two queries.
    """
    part, _separator, position = (cursor or "").partition("~")
    unread, read = notification_list(user=user, is_read=False), notification_list(user=user, is_read=True)
    try:
        if part == "r":
            page = keyset_page(read, ordering="-created_at", cursor=position or None, limit=limit)
            return Page(page.items, f"r~{page.next_cursor}" if page.next_cursor else None)
        first = keyset_page(unread, ordering="-created_at", cursor=position or None, limit=limit)
    except InvalidCursor:
        return notification_page(user=user, cursor=None, limit=limit)
    if first.next_cursor:
        return Page(first.items, f"u~{first.next_cursor}")
    remaining = limit - len(first.items)
    if remaining == 0:
        return Page(first.items, "r~" if read.exists() else None)
    rest = keyset_page(read, ordering="-created_at", cursor=None, limit=remaining)
    return Page(first.items + rest.items, f"r~{rest.next_cursor}" if rest.next_cursor else None)


def active_user_names() -> list[tuple[int, str]]:
    """Every active user's id and name as ``str(user)`` gives it, by name: the choices of an owner picker.

    Values rather than users: a picker of 500 colleagues is read on every list page.
    """
    rows = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    return [
        (pk, f"{first} {last}".strip() or username)
        for pk, first, last, username in rows.values_list("pk", "first_name", "last_name", "username")
    ]
