"""Every change to users, teams, roles and tokens: one transaction, one audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts import access, audit
from peyvand.accounts.models import ApiToken, AuditEvent, Role, RoleFieldGrant, RoleGrant, Team, User
from peyvand.accounts.permissions import Scope

USER_AUDIT_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "language"]
TEAM_AUDIT_FIELDS = ["name", "kind", "parent", "is_active"]
ROLE_AUDIT_FIELDS = ["name", "description", "is_administrator", "requires_two_factor"]


# Users ----------------------------------------------------------------------------------------
def _memberships(user: User) -> dict[str, list[str]]:
    return {
        "roles": sorted(role.name for role in user.roles.all()),
        "teams": sorted(team.name for team in user.teams.all()),
    }


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = User.Language.PERSIAN,
    roles: Iterable[Role] = (),
    teams: Iterable[Team] = (),
    is_active: bool = True,
) -> User:
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email,
        language=language, is_active=is_active,
    )  # fmt: skip
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.roles.set(roles)
    user.teams.set(teams)
    audit.record(
        actor=actor, kind=AuditEvent.Kind.CREATE, instance=user,
        changes={**audit.diff({}, audit.snapshot(user, USER_AUDIT_FIELDS)), **audit.diff({}, _memberships(user))},
    )  # fmt: skip
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    roles: Iterable[Role] | None = None,
    teams: Iterable[Team] | None = None,
    **fields: Any,
) -> User:
    """Change a user's details and memberships; a role or team change ends their sessions."""
    unknown = set(fields) - set(USER_AUDIT_FIELDS) - {"digits", "theme"}
    assert not unknown, f"not editable here: {unknown}"
    before = {**audit.snapshot(user, USER_AUDIT_FIELDS), **_memberships(user)}
    for name, value in fields.items():
        setattr(user, name, value)
    if roles is not None:
        user.roles.set(roles)
    if teams is not None:
        user.teams.set(teams)
    after = {**audit.snapshot(user, USER_AUDIT_FIELDS), **_memberships(user)}
    changes = audit.diff(before, after)
    if "roles" in changes or "teams" in changes or ("is_active" in changes and not user.is_active):
        user.session_generation = F("session_generation") + 1
    user.save()
    user.refresh_from_db(fields=["session_generation"])
    access.forget_profile(user)
    if changes:
        kind = AuditEvent.Kind.PERMISSION_CHANGED if {"roles", "teams"} & set(changes) else AuditEvent.Kind.UPDATE
        audit.record(actor=actor, kind=kind, instance=user, changes=changes)
    return user


@transaction.atomic
def user_update_preferences(*, user: User, language: str, digits: str, theme: str) -> User:
    """A user's own display preferences; not audited (they change nothing for anyone else)."""
    user.language, user.digits, user.theme = language, digits, theme
    user.save(update_fields=["language", "digits", "theme"])
    return user


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str, reset: bool = False) -> User:
    """Set the password and end every other session of the user."""
    user.set_password(password)
    user.session_generation = F("session_generation") + 1
    user.save(update_fields=["password", "session_generation"])
    user.refresh_from_db(fields=["session_generation"])
    kind = AuditEvent.Kind.PASSWORD_RESET if reset else AuditEvent.Kind.PASSWORD_CHANGED
    audit.record(actor=actor or user, kind=kind, instance=user)
    return user


@transaction.atomic
def user_end_sessions(*, actor: User, user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=user, changes={"sessions": ["active", "ended"]})


# Teams ----------------------------------------------------------------------------------------
def _team_path(team: Team) -> str:
    return f"{team.parent.path if team.parent else '/'}{team.pk}/"


@transaction.atomic
def team_create(*, actor: User | None, name: str, kind: str = Team.Kind.DEPARTMENT, parent: Team | None = None) -> Team:
    team = Team.objects.create(name=name, kind=kind, parent=parent)
    team.path = _team_path(team)
    team.save(update_fields=["path"])
    audit.record(actor=actor, kind=AuditEvent.Kind.CREATE, instance=team,
                 changes=audit.diff({}, audit.snapshot(team, TEAM_AUDIT_FIELDS)))  # fmt: skip
    return team


class TeamCycleError(ValueError):
    pass


@transaction.atomic
def team_update(*, actor: User | None, team: Team, **fields: Any) -> Team:
    unknown = set(fields) - set(TEAM_AUDIT_FIELDS)
    assert not unknown, f"not editable here: {unknown}"
    before = audit.snapshot(team, TEAM_AUDIT_FIELDS)
    old_path = team.path
    parent = fields.get("parent", team.parent)
    if parent is not None and parent.path.startswith(old_path):
        raise TeamCycleError(_("A team cannot be placed under itself or one of its own teams."))
    for name, value in fields.items():
        setattr(team, name, value)
    team.path = _team_path(team)
    team.save()
    if team.path != old_path:
        # The whole subtree moves in one statement: its paths get the new prefix.
        Team.objects.filter(path__startswith=old_path).exclude(pk=team.pk).update(
            path=Concat(Value(team.path), Substr("path", len(old_path) + 1), output_field=CharField())
        )
        User.objects.filter(teams__path__startswith=team.path).update(session_generation=F("session_generation") + 1)
    changes = audit.diff(before, audit.snapshot(team, TEAM_AUDIT_FIELDS))
    if changes:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=team, changes=changes)
    return team


class TeamInUseError(ValueError):
    pass


@transaction.atomic
def team_delete(*, actor: User | None, team: Team) -> None:
    if team.children.exists() or team.members.exists():
        raise TeamInUseError(_("Move its members and sub-teams elsewhere first."))
    audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, instance=team,
                 changes=audit.diff(audit.snapshot(team, TEAM_AUDIT_FIELDS), {}))  # fmt: skip
    team.delete()


# Roles ----------------------------------------------------------------------------------------
def _grants_of(role: Role) -> dict[str, Any]:
    grants = {f"{g.module}.{g.action}": Scope(g.scope).name.lower() for g in role.grants.all() if g.scope}
    fields = sorted(f"{g.module}.{g.field}" for g in role.field_grants.all())
    return {"grants": grants, "sensitive_fields": fields}


@transaction.atomic
def role_create(
    *,
    actor: User | None,
    name: str,
    description: str = "",
    is_administrator: bool = False,
    requires_two_factor: bool = False,
    grants: dict[tuple[str, str], int] | None = None,
    sensitive_fields: Iterable[tuple[str, str]] = (),
) -> Role:
    role = Role.objects.create(
        name=name, description=description, is_administrator=is_administrator, requires_two_factor=requires_two_factor
    )
    _write_grants(role, grants or {}, sensitive_fields)
    audit.record(actor=actor, kind=AuditEvent.Kind.CREATE, instance=role,
                 changes=audit.diff({}, {**audit.snapshot(role, ROLE_AUDIT_FIELDS), **_grants_of(role)}))  # fmt: skip
    return role


def _write_grants(role: Role, grants: dict[tuple[str, str], int], sensitive_fields: Iterable[tuple[str, str]]) -> None:
    role.grants.all().delete()
    role.field_grants.all().delete()
    RoleGrant.objects.bulk_create(
        RoleGrant(role=role, module=module, action=action, scope=scope)
        for (module, action), scope in grants.items()
        if scope
    )
    RoleFieldGrant.objects.bulk_create(
        RoleFieldGrant(role=role, module=module, field=field) for module, field in set(sensitive_fields)
    )


@transaction.atomic
def role_update(
    *,
    actor: User | None,
    role: Role,
    grants: dict[tuple[str, str], int] | None = None,
    sensitive_fields: Iterable[tuple[str, str]] | None = None,
    **fields: Any,
) -> Role:
    """Change a role; when what it grants changes, its holders' sessions end."""
    unknown = set(fields) - set(ROLE_AUDIT_FIELDS)
    assert not unknown, f"not editable here: {unknown}"
    before = {**audit.snapshot(role, ROLE_AUDIT_FIELDS), **_grants_of(role)}
    for name, value in fields.items():
        setattr(role, name, value)
    role.save()
    if grants is not None or sensitive_fields is not None:
        current = _grants_of(role)
        _write_grants(
            role,
            grants if grants is not None else {
                (g.module, g.action): g.scope for g in role.grants.all()
            },
            sensitive_fields if sensitive_fields is not None else [
                (name.split(".", 1)[0], name.split(".", 1)[1]) for name in current["sensitive_fields"]
            ],
        )  # fmt: skip
    after = {**audit.snapshot(role, ROLE_AUDIT_FIELDS), **_grants_of(role)}
    changes = audit.diff(before, after)
    if changes:
        if set(changes) - {"name", "description"}:
            User.objects.filter(roles=role).update(session_generation=F("session_generation") + 1)
        audit.record(actor=actor, kind=AuditEvent.Kind.PERMISSION_CHANGED, instance=role, changes=changes)
    return role


@transaction.atomic
def role_delete(*, actor: User | None, role: Role) -> None:
    User.objects.filter(roles=role).update(session_generation=F("session_generation") + 1)
    audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, instance=role,
                 changes=audit.diff({**audit.snapshot(role, ROLE_AUDIT_FIELDS), **_grants_of(role)}, {}))  # fmt: skip
    role.delete()


# API tokens -----------------------------------------------------------------------------------
TOKEN_PREFIX = "pvd"  # noqa: S105  (a label, not a secret)


def hash_token_secret(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain digest is enough to make a stolen
    # table useless; a slow hash would only slow every API call.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, expires_at: dt.datetime, allowed_actions: Iterable[str] = ()
) -> tuple[ApiToken, str]:
    """Create a token for ``actor`` and return it with its plain value, which is not kept."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, key_hash=hash_token_secret(secret),
        expires_at=expires_at, allowed_actions=sorted(set(allowed_actions)),
    )  # fmt: skip
    audit.record(actor=actor, kind=AuditEvent.Kind.TOKEN_CREATED, instance=token, object_label=name,
                 changes={"expires_at": [None, expires_at], "allowed_actions": [None, token.allowed_actions]})  # fmt: skip
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, kind=AuditEvent.Kind.TOKEN_REVOKED, instance=token, object_label=token.name)
    return token
