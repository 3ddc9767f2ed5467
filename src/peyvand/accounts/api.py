"""The accounts API: the current user, users, teams, roles, API tokens and the audit trail.

Operations parse, call ``access``, a selector or a service, and shape the answer; what a user may
do is decided there, exactly as for the web pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router
from ninja.responses import Status
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from peyvand.accounts import access, authentication, selectors, services
from peyvand.accounts.models import ApiToken, Role, Team, User
from peyvand.accounts.permissions import Action
from peyvand.accounts.schemas import (
    AuditEventOut,
    AuditFilters,
    MeOut,
    PreferencesIn,
    RoleOut,
    TeamCreateIn,
    TeamOut,
    TeamUpdateIn,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
    UserCreateIn,
    UserFilters,
    UserOut,
    UserUpdateIn,
)
from peyvand.common.api import ERROR_RESPONSES, NotAuthenticated, PageOut, PageQuery, paginate

router = Router(tags=["accounts"])
TOKEN_LIFETIME = dt.timedelta(days=90)

# Domain errors answered with 409; handed to install_error_handlers by peyvand.api.
CONFLICTS = {
    services.TeamCycleError: gettext_lazy("A team cannot be placed under itself or one of its own teams."),
    services.TeamInUseError: gettext_lazy("This team still has members or sub-teams; move them elsewhere first."),
}


# Authentication -----------------------------------------------------------------------------------
class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer pvd_<prefix>_<secret>``; the token's user acts, narrowed as the token is."""

    openapi_bearerFormat = "pvd_<prefix>_<secret>"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = authentication.user_for_token(token)
        if found is None:
            raise NotAuthenticated(_("This API token is not valid: it is unknown, has expired or was revoked."))
        user, api_token = found
        request.user = user
        # As for a session: the user's language, whatever the client asks for.
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        return api_token


class SessionCookieAuth(APIKeyCookie):
    """The web session; unsafe methods need the CSRF token in the X-CSRFToken header."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(_("The CSRF token is missing or wrong. Send the csrftoken cookie's value in the X-CSRFToken header."))  # fmt: skip
        if access.profile_for(user).requires_two_factor and not user.has_two_factor:
            raise PermissionDenied(_("Your role requires two-factor login. Set it up in Peyvand before using the API."))
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return self(request)


api_auth = [ApiTokenAuth(), SessionCookieAuth()]


def _actor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


# Parsing ids into records -------------------------------------------------------------------------
def _records(model: type[Team] | type[Role], ids: list[int] | None, field: str) -> list[Any] | None:
    if ids is None:
        return None
    records = list(model.objects.filter(pk__in=set(ids)))
    missing = sorted(set(ids) - {record.pk for record in records})
    if missing:
        raise ValidationError({field: _("No record has these ids: %(ids)s.") % {"ids": ", ".join(map(str, missing))}})
    return records


def _team_or_none(team_id: int | None, field: str) -> Team | None:
    teams = _records(Team, None if team_id is None else [team_id], field)
    return teams[0] if teams else None


def _role_or_none(role_id: int | None, field: str) -> Role | None:
    roles = _records(Role, None if role_id is None else [role_id], field)
    return roles[0] if roles else None


def _check_password(password: str | None, user: User) -> None:
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None


def _user(request: HttpRequest, user_id: int, action: str = Action.VIEW) -> User:
    """The user ``user_id`` if the actor may ``action`` them: 403 without the grant, 404 out of reach."""
    actor = _actor(request)
    access.require(actor, "users", Action.VIEW)
    user = selectors.user_list(actor=actor).prefetch_related("teams", "roles").filter(pk=user_id).first()
    if user is None:
        raise Http404
    if action != Action.VIEW and not selectors.user_list(actor=actor, action=action).filter(pk=user_id).exists():
        raise PermissionDenied
    return user


def _team(request: HttpRequest, team_id: int, action: str = Action.VIEW) -> Team:
    actor = _actor(request)
    access.require(actor, "teams", action)
    team = selectors.team_list(actor=actor).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


# The current user ---------------------------------------------------------------------------------
@router.get("/me", response={200: MeOut, **ERROR_RESPONSES})
def me_detail(request: HttpRequest) -> User:
    """The user the request acts for, with their teams, roles and what they may do."""
    return _actor(request)


@router.patch("/me", response={200: MeOut, **ERROR_RESPONSES})
def me_update(request: HttpRequest, payload: PreferencesIn) -> User:
    """Change your own language, digits and theme."""
    user = _actor(request)
    changes = payload.changes()
    return services.user_update_preferences(
        user=user,
        language=changes.get("language", user.language),
        digits=changes.get("digits", user.digits),
        theme=changes.get("theme", user.theme),
    )


# Users --------------------------------------------------------------------------------------------
@router.get("/users", response={200: PageOut[UserOut], **ERROR_RESPONSES})
def user_list(request: HttpRequest, filters: Query[UserFilters], page: Query[PageQuery]) -> Any:
    """Users you may see, by username. `email` is present only if your role may see email addresses."""
    actor = _actor(request)
    access.require(actor, "users", Action.VIEW)
    users = selectors.user_list(
        actor=actor, search=filters.search, is_active=filters.is_active,
        team=_team_or_none(filters.team, "team"), role=_role_or_none(filters.role, "role"),
    ).prefetch_related("teams", "roles")  # fmt: skip
    return paginate(users, ordering="username", page=page)


@router.get("/users/{user_id}", response={200: UserOut, **ERROR_RESPONSES})
def user_detail(request: HttpRequest, user_id: int) -> User:
    return _user(request, user_id)


@router.post("/users", response={201: UserOut, **ERROR_RESPONSES})
def user_create(request: HttpRequest, payload: UserCreateIn) -> Status[User]:
    """Create a user. Giving roles or teams needs an administrator."""
    actor = _actor(request)
    access.require(actor, "users", Action.CREATE)
    if payload.roles is not None or payload.teams is not None:
        access.require_administrator(actor)
    roles, teams = _records(Role, payload.roles, "roles"), _records(Team, payload.teams, "teams")
    fields = payload.model_dump(exclude={"roles", "teams", "password"})
    _check_password(payload.password, User(**fields))
    user = services.user_create(actor=actor, password=payload.password, roles=roles or (), teams=teams or (), **fields)
    return Status(201, user)


@router.patch("/users/{user_id}", response={200: UserOut, **ERROR_RESPONSES})
def user_update(request: HttpRequest, user_id: int, payload: UserUpdateIn) -> User:
    """Change a user; only what is sent changes. Changing roles or teams needs an administrator."""
    actor = _actor(request)
    user = _user(request, user_id, Action.EDIT)
    changes = payload.changes()
    role_ids, team_ids = changes.pop("roles", None), changes.pop("teams", None)
    if role_ids is not None or team_ids is not None:
        access.require_administrator(actor)
    roles, teams = _records(Role, role_ids, "roles"), _records(Team, team_ids, "teams")
    return services.user_update(actor=actor, user=user, roles=roles, teams=teams, **changes)


# Teams --------------------------------------------------------------------------------------------
@router.get("/teams", response={200: PageOut[TeamOut], **ERROR_RESPONSES})
def team_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Teams in tree order: each team follows its parent."""
    actor = _actor(request)
    access.require(actor, "teams", Action.VIEW)
    return paginate(selectors.team_list(actor=actor), ordering="path", page=page)


@router.get("/teams/{team_id}", response={200: TeamOut, **ERROR_RESPONSES})
def team_detail(request: HttpRequest, team_id: int) -> Team:
    return _team(request, team_id)


@router.post("/teams", response={201: TeamOut, **ERROR_RESPONSES})
def team_create(request: HttpRequest, payload: TeamCreateIn) -> Status[Team]:
    actor = _actor(request)
    access.require(actor, "teams", Action.CREATE)
    parent = _team_or_none(payload.parent_id, "parent_id")
    return Status(201, services.team_create(actor=actor, name=payload.name, kind=payload.kind, parent=parent))


@router.patch("/teams/{team_id}", response={200: TeamOut, **ERROR_RESPONSES})
def team_update(request: HttpRequest, team_id: int, payload: TeamUpdateIn) -> Team:
    """Change a team; a new parent moves it with its sub-teams (not under itself: 409)."""
    team = _team(request, team_id, Action.EDIT)
    changes = payload.changes()
    if "parent_id" in changes:
        changes["parent"] = _team_or_none(changes.pop("parent_id"), "parent_id")
    return services.team_update(actor=_actor(request), team=team, **changes)


@router.delete("/teams/{team_id}", response={204: None, **ERROR_RESPONSES})
def team_delete(request: HttpRequest, team_id: int) -> Status[None]:
    """Delete a team that has no members and no sub-teams (otherwise 409)."""
    team = _team(request, team_id, Action.DELETE)
    services.team_delete(actor=_actor(request), team=team)
    return Status(204, None)


# Roles --------------------------------------------------------------------------------------------
@router.get("/roles", response={200: PageOut[RoleOut], **ERROR_RESPONSES})
def role_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Roles with what they grant, by name; administrators only."""
    actor = _actor(request)
    access.require_administrator(actor)
    return paginate(selectors.role_list(actor=actor), ordering="name", page=page)


@router.get("/roles/{role_id}", response={200: RoleOut, **ERROR_RESPONSES})
def role_detail(request: HttpRequest, role_id: int) -> Role:
    actor = _actor(request)
    access.require_administrator(actor)
    role = selectors.role_list(actor=actor).filter(pk=role_id).first()
    if role is None:
        raise Http404
    return role


# API tokens ---------------------------------------------------------------------------------------
@router.get("/tokens", response={200: PageOut[TokenOut], **ERROR_RESPONSES})
def token_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Your own API tokens, newest first, revoked and expired ones included."""
    return paginate(ApiToken.objects.filter(user=_actor(request)), ordering="-created_at", page=page)


@router.post("/tokens", response={201: TokenCreatedOut, **ERROR_RESPONSES})
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    """Create an API token for yourself. The answer holds the token itself, shown this once.

    Needs a session or a token that is not narrowed to some actions.
    """
    actor = _actor(request)
    if access.profile_for(actor).narrowed_to is not None:
        raise PermissionDenied(_("A token narrowed to some actions cannot create tokens."))
    token, plain = services.api_token_create(
        actor=actor, name=payload.name, expires_at=payload.expires_at or timezone.now() + TOKEN_LIFETIME,
        allowed_actions=payload.allowed_actions,
    )  # fmt: skip
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": plain})


@router.delete("/tokens/{token_id}", response={204: None, **ERROR_RESPONSES})
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of your own tokens; it stops working at once."""
    token = ApiToken.objects.filter(user=_actor(request), pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=_actor(request), token=token)
    return Status(204, None)


# The audit trail (read only: nothing here creates, changes or deletes an event) -------------------
@router.get("/audit", response={200: PageOut[AuditEventOut], **ERROR_RESPONSES})
def audit_event_list(request: HttpRequest, filters: Query[AuditFilters], page: Query[PageQuery]) -> Any:
    """Audit events you may see, newest first."""
    actor = _actor(request)
    access.require(actor, "audit", Action.VIEW)
    events = selectors.audit_event_list(
        actor=actor, kind=filters.kind or "", object_type=filters.object_type, object_id=filters.object_id,
        actor_id=filters.actor, since=filters.since, until=filters.until,
    )  # fmt: skip
    return paginate(events, ordering="-at", page=page)


@router.get("/audit/{event_id}", response={200: AuditEventOut, **ERROR_RESPONSES})
def audit_event_detail(request: HttpRequest, event_id: int) -> Any:
    actor = _actor(request)
    access.require(actor, "audit", Action.VIEW)
    event = selectors.audit_event_list(actor=actor).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event
