"""What the accounts API accepts and returns."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, WithJsonSchema, field_validator

from peyvand.accounts import access, selectors
from peyvand.accounts.forms import TOKEN_LIFETIME_DAYS_DEFAULT, TOKEN_LIFETIME_DAYS_MAX
from peyvand.accounts.models import AuditEvent, Role, RoleGrant, Team, User
from peyvand.accounts.permissions import Scope, modules
from peyvand.common.api import BodyIn, Moment

# Team.Kind and AuditEvent.Kind would both be the schema component "Kind", one hiding the other;
# each is written out where it is used instead.
TeamKind = Annotated[Team.Kind, WithJsonSchema({"type": "string", "enum": Team.Kind.values})]
AuditEventKind = Annotated[AuditEvent.Kind, WithJsonSchema({"type": "string", "enum": AuditEvent.Kind.values})]
# An id the database can hold (BigAutoField): a larger number would fail in the query, not here.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _document_refused_nulls(schema: dict[str, Any], model: type[Any]) -> None:
    """The OpenAPI schema of a _Patch offers null only for the fields that accept it."""
    for name, field in schema.get("properties", {}).items():
        choices = field.get("anyOf")
        if name in model.nullable_fields or not choices:
            continue
        rest = [choice for choice in choices if choice != {"type": "null"}]
        del field["anyOf"]
        field.update(rest[0] if len(rest) == 1 else {"anyOf": rest})


class _Patch(BodyIn):
    """A partial change: a field left out stays as it is; null is refused where a value is required."""

    model_config = ConfigDict(json_schema_extra=_document_refused_nulls)
    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        # Validators run only on values sent, so a None here was sent as null.
        if value is None and info.field_name not in cls.nullable_fields:
            raise ValueError(_("This field cannot be null; leave it out to keep its value."))
        return value

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


# References -------------------------------------------------------------------------------------
class TeamRef(Schema):
    id: int
    name: str


class RoleRef(Schema):
    id: int
    name: str


# The current user ---------------------------------------------------------------------------------
class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    language: User.Language
    digits: User.Digits
    theme: User.Theme
    is_administrator: bool = Field(description="False when the request's token is narrowed to some actions.")
    teams: list[TeamRef]
    roles: list[RoleRef]
    permissions: dict[str, dict[str, str]] = Field(
        description='What the user (or the token) may do: `{"users": {"view": "team"}}`. '
        "Scopes are own, team or all; an action left out is not allowed."
    )

    @staticmethod
    def resolve_is_administrator(user: User) -> bool:
        return access.is_administrator(user)

    @staticmethod
    def resolve_permissions(user: User) -> dict[str, dict[str, str]]:
        summary: dict[str, dict[str, str]] = {}
        for module in modules():
            actions = {action: access.scope_of(user, module.key, action) for action in module.actions}
            granted = {action: Scope(scope).name.lower() for action, scope in actions.items() if scope > Scope.NONE}
            if granted:
                summary[module.key] = granted
        return summary


class PreferencesIn(_Patch):
    language: User.Language | None = None
    digits: User.Digits | None = None
    theme: User.Theme | None = None


class NotificationPreferenceOut(Schema):
    kind: str = Field(description="The kind's key: `general`, `reminder`, `mention`, …")
    label: str
    description: str
    email: bool = Field(description="Also sent by email (in the app, notifications always appear).")


class NotificationPreferencesOut(Schema):
    preferences: list[NotificationPreferenceOut] = Field(description="Every kind of notification, in the order "
                                                                     "the profile page lists them.")  # fmt: skip


class NotificationPreferenceIn(Schema):
    kind: str = Field(max_length=40)
    email: bool


class NotificationPreferencesIn(BodyIn):
    preferences: list[NotificationPreferenceIn] = Field(
        max_length=100, description="The kinds to set; a kind left out keeps its setting. `label` and "
        "`description` may be sent back as GET gave them; they are ignored.",
    )  # fmt: skip


# Users --------------------------------------------------------------------------------------------
class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str | None = Field(
        None,
        exclude_if=lambda email: email is None,
        description="Present only for those allowed to see email addresses.",
    )
    is_active: bool
    language: User.Language
    teams: list[TeamRef]
    roles: list[RoleRef]

    @staticmethod
    def resolve_email(user: User, context: dict[str, Any]) -> str | None:
        return user.email if access.can_see_field(context["request"].user, "users", "email") else None


class UserFilters(Schema):
    search: str = Field("", max_length=100, description="Part of the username or a name, or a whole email address.")
    team: int | None = Field(None, description="Members of this team (its id).")
    role: int | None = Field(None, description="Holders of this role (its id).")
    is_active: bool | None = None


_EMAIL = "Only for those allowed to see email addresses."
_TEAMS = "Team ids; without the `all` scope, only your teams and those below them."


class UserCreateIn(BodyIn):
    username: str = Field(min_length=1, max_length=150)
    password: str | None = Field(None, description="Left out: the user cannot log in until a password is set.")
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254, description=_EMAIL)
    language: User.Language = User.Language.PERSIAN
    is_active: bool = True
    roles: list[RecordId] | None = Field(None, description="Role ids; administrators only.")
    teams: list[RecordId] | None = Field(None, description=_TEAMS)


class UserUpdateIn(_Patch):
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254, description=_EMAIL)
    language: User.Language | None = None
    is_active: bool | None = None
    roles: list[RecordId] | None = Field(None, description="Role ids, replacing the current ones; administrators only.")
    teams: list[RecordId] | None = Field(
        None, description=f"{_TEAMS} They replace the current ones, except those out of your reach, which stay."
    )


# Teams --------------------------------------------------------------------------------------------
class TeamOut(Schema):
    id: int
    name: str
    kind: TeamKind
    parent_id: int | None
    depth: int = Field(description="0 for a team at the top of the tree.")
    is_active: bool


class TeamCreateIn(BodyIn):
    name: str = Field(min_length=1, max_length=150)
    kind: TeamKind = Team.Kind.DEPARTMENT
    parent_id: int | None = None


class TeamUpdateIn(_Patch):
    nullable_fields = frozenset({"parent_id"})

    name: str | None = Field(None, min_length=1, max_length=150)
    kind: TeamKind | None = None
    parent_id: int | None = Field(None, description="null moves the team to the top of the tree.")
    is_active: bool | None = None


# Roles --------------------------------------------------------------------------------------------
class GrantOut(Schema):
    module: str
    action: str
    scope: str = Field(description="own, team or all")

    @staticmethod
    def resolve_scope(grant: RoleGrant) -> str:
        return Scope(grant.scope).name.lower()


class FieldGrantOut(Schema):
    module: str
    field: str


class RoleOut(Schema):
    id: int
    name: str
    description: str
    is_administrator: bool
    requires_two_factor: bool
    grants: list[GrantOut]
    sensitive_fields: list[FieldGrantOut] = Field(description="Sensitive fields the role may see.")

    @staticmethod
    def resolve_grants(role: Role) -> list[RoleGrant]:
        return sorted((grant for grant in role.grants.all() if grant.scope), key=lambda g: (g.module, g.action))

    @staticmethod
    def resolve_sensitive_fields(role: Role) -> list[Any]:
        return sorted(role.field_grants.all(), key=lambda g: (g.module, g.field))


# API tokens ---------------------------------------------------------------------------------------
class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    allowed_actions: list[str] = Field(description='"module:action" pairs the token is narrowed to; empty: none.')
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. It is shown only now; Peyvand keeps only a hash of it.")


class TokenCreateIn(BodyIn):
    name: str = Field(min_length=1, max_length=100, description="Where the token is used.")
    expires_in_days: int = Field(TOKEN_LIFETIME_DAYS_DEFAULT, ge=1, le=TOKEN_LIFETIME_DAYS_MAX)
    allowed_actions: list[str] = Field(
        default_factory=list,
        description='Narrow the token to these "module:action" pairs, such as "users:view"; only what you may do '
        "yourself can be chosen. Empty: the token may do all that you may.",
    )


# The audit trail ----------------------------------------------------------------------------------
class AuditChangeOut(Schema):
    field: str
    old: Any = Field(description="The value before; null when hidden or not a change.")
    new: Any = Field(description="The value after, or the detail's value.")
    is_change: bool = Field(description="False for a detail of the event, such as the reason of a failed login.")
    hidden: bool = Field(description="True when a sensitive field's values are hidden from you.")


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    kind: AuditEventKind
    actor_id: int | None
    actor_label: str
    address: str | None
    object_type: str
    object_id: str
    object_label: str
    changes: list[AuditChangeOut]

    @staticmethod
    def resolve_changes(event: AuditEvent, context: dict[str, Any]) -> list[selectors.AuditChange]:
        return selectors.audit_changes(actor=context["request"].user, event=event)


class AuditFilters(Schema):
    kind: AuditEventKind | None = None
    object_type: str = Field("", max_length=100, description='Such as "accounts.user".')
    object_id: str = Field("", max_length=64)
    actor: RecordId | None = Field(None, description="The id of the user who acted.")
    since: Moment | None = Field(
        None, description="Events at or after this time; without an offset, in the server's time zone."
    )
    until: Moment | None = Field(None, description="Events before this time.")
