"""The accounts API: the current user, users, teams, roles, API tokens and the audit trail.

Operations parse, call ``access``, a selector or a service, and shape the answer; what a user may
do is decided there, exactly as for the web pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router
from ninja.responses import Status
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from peyvand.accounts import access, authentication, notifications, selectors, services
from peyvand.accounts.admin_forms import TeamForm, UserFilterForm, UserForm
from peyvand.accounts.forms import ApiTokenCreateForm, token_action_choices
from peyvand.accounts.models import ApiToken, Role, Team, User
from peyvand.accounts.permissions import Action
from peyvand.accounts.schemas import (
    AuditEventOut,
    AuditFilters,
    MeOut,
    NotificationPreferencesIn,
    NotificationPreferencesOut,
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
from peyvand.common.api import ERROR_RESPONSES, NotAuthenticatedError, PageOut, PageQuery, paginate

router = Router(tags=["accounts"])

# Domain errors answered with 409; handed to install_error_handlers by peyvand.api.
CONFLICTS: dict[type[Exception], str | Promise] = {
    services.TeamCycleError: gettext_lazy("A team cannot be placed under itself or one of its own teams."),
    services.TeamInUseError: gettext_lazy("This team still has members or sub-teams; move them elsewhere first."),
}


# Authentication -----------------------------------------------------------------------------------
class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer pvd_<prefix>_<secret>``; the token's user acts, narrowed as the token is."""

    openapi_bearerFormat = "pvd_<prefix>_<secret>"  # noqa: N815  (Django Ninja's name for the scheme's field)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = authentication.user_for_token(token)
        if found is None:
            raise NotAuthenticatedError(_("This API token is not valid: it is unknown, has expired or was revoked."))
        user, api_token = found
        if access.profile_for(user).requires_two_factor and not user.has_two_factor:
            # A token made before the role required it must not be a way around the second factor.
            raise PermissionDenied(_("Your role requires two-factor login. Set it up in Peyvand before using the API."))
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


def _team(request: HttpRequest, team_id: int, action: str = Action.VIEW) -> Team:
    actor = _actor(request)
    access.require(actor, "teams", action)
    team = selectors.team_list(actor=actor).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


# Checking input with the forms of the web pages, so that both allow exactly the same ------------
def _cleaned(form: forms.Form, names: dict[str, str] | None = None) -> dict[str, Any]:
    """The form's cleaned data, or a 422 naming the API's fields (``names``: form field to API field)."""
    if form.is_valid():
        return form.cleaned_data
    names = names or {}
    errors: dict[str, list[ValidationError]] = {}
    for field, field_errors in form.errors.as_data().items():
        errors.setdefault(names.get(field, field), []).extend(field_errors)
    raise ValidationError(errors)


def _refuse_unoffered(sent: Iterable[str], form: forms.Form, names: dict[str, str]) -> None:
    """Refuse (403) a value the actor may not set, which the web form would not even show."""

    def offered(name: str) -> bool:
        field = form.fields.get(names.get(name, name))
        return field is not None and not field.disabled

    refused = sorted(name for name in sent if not offered(name))
    if refused:
        raise PermissionDenied(_("You may not set: %(fields)s.") % {"fields": ", ".join(refused)})


def _keep_own_session(request: HttpRequest) -> None:
    """A change to one's own roles or teams ends one's other sessions, not the one in use."""
    if isinstance(getattr(request, "auth", None), User):  # the session, not a token
        authentication.keep_current_session(request, _actor(request))


_USER_FORM_NAMES = {"password": "password1"}
_USER_API_NAMES = {"password1": "password", "password2": "password"}
_TEAM_FORM_NAMES = {"parent_id": "parent"}
_TEAM_API_NAMES = {"parent": "parent_id"}


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


def _preferences_out(preferences: list[tuple[notifications.NotificationKind, bool]]) -> dict[str, Any]:
    return {"preferences": [{"kind": kind.key, "label": str(kind.label), "description": str(kind.description),
                             "email": email} for kind, email in preferences]}  # fmt: skip


@router.get("/me/notification-preferences", response={200: NotificationPreferencesOut, **ERROR_RESPONSES})
def me_notification_preferences(request: HttpRequest) -> dict[str, Any]:
    """Each kind of notification and whether it also comes to you by email; in the app, it always appears."""
    return _preferences_out(notifications.email_preferences(_actor(request)))


@router.put("/me/notification-preferences", response={200: NotificationPreferencesOut, **ERROR_RESPONSES})
def me_notification_preferences_update(request: HttpRequest, payload: NotificationPreferencesIn) -> dict[str, Any]:
    """Choose which kinds of notification also come to you by email; a kind left out keeps its setting.
    An unknown kind is a 422 naming it (`preferences.<index>.kind`), and nothing changes."""
    registered = {kind.key for kind in notifications.kinds()}
    unknown = {
        f"preferences.{index}.kind": [ValidationError(_("Unknown kind of notification: %(kind)s") % {"kind": item.kind})]
        for index, item in enumerate(payload.preferences) if item.kind not in registered
    }  # fmt: skip
    if unknown:
        raise ValidationError(unknown)
    chosen = {item.kind: item.email for item in payload.preferences}
    return _preferences_out(notifications.notification_preferences_set(user=_actor(request), email=chosen))


# Users --------------------------------------------------------------------------------------------
@router.get("/users", response={200: PageOut[UserOut], **ERROR_RESPONSES})
def user_list(request: HttpRequest, filters: Query[UserFilters], page: Query[PageQuery]) -> Any:
    """Users you may see, by username. `email` is present only if your role may see email addresses."""
    actor = _actor(request)
    access.require(actor, "users", Action.VIEW)
    form = UserFilterForm({"search": filters.search, "team": filters.team, "role": filters.role}, actor=actor)
    data = _cleaned(form)
    users = selectors.user_list(actor=actor, search=data["search"], team=data["team"], role=data["role"],
                                is_active=filters.is_active, with_memberships=True)  # fmt: skip
    return paginate(users, ordering="username", page=page)


@router.get("/users/{user_id}", response={200: UserOut, **ERROR_RESPONSES})
def user_detail(request: HttpRequest, user_id: int) -> User:
    """A user you may see; out of your reach is 404."""
    return selectors.access_user(actor=_actor(request), pk=user_id)


@router.post("/users", response={201: UserOut, **ERROR_RESPONSES})
def user_create(request: HttpRequest, payload: UserCreateIn) -> Status[User]:
    """Create a user. Roles are given by administrators only; without the `all` scope, the user must join
    at least one of your teams (or you would lose sight of them)."""
    actor = _actor(request)
    access.require(actor, "users", Action.CREATE)
    data = {**payload.model_dump(exclude={"password"}), "password1": payload.password, "password2": payload.password}
    form = UserForm(data, actor=actor)
    _refuse_unoffered(payload.model_fields_set, form, _USER_FORM_NAMES)
    _cleaned(form, _USER_API_NAMES)
    return Status(201, services.user_create(actor=actor, **form.service_arguments()))


@router.patch("/users/{user_id}", response={200: UserOut, **ERROR_RESPONSES})
def user_update(request: HttpRequest, user_id: int, payload: UserUpdateIn) -> User:
    """Change a user; only what is sent changes. Roles are changed by administrators only."""
    actor = _actor(request)
    user = selectors.access_user(actor=actor, pk=user_id, action=Action.EDIT)
    offered = UserForm(actor=actor, user=user)
    _refuse_unoffered(payload.model_fields_set, offered, _USER_FORM_NAMES)
    current = {name: offered.initial[name] for name in offered.fields if name in offered.initial}
    reachable = {team.pk for team in offered.allowed_teams}
    current["teams"] = [team.pk for team in current["teams"] if team.pk in reachable]
    if "roles" in current:
        current["roles"] = [role.pk for role in current["roles"]]
    form = UserForm({**current, **payload.changes()}, actor=actor, user=user)
    _cleaned(form, _USER_API_NAMES)
    services.user_update(actor=actor, user=user, **form.service_arguments())
    if user.pk == actor.pk:
        _keep_own_session(request)
    return user


# Teams --------------------------------------------------------------------------------------------
@router.get("/teams", response={200: PageOut[TeamOut], **ERROR_RESPONSES})
def team_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Teams in tree order: each team follows its parent."""
    actor = _actor(request)
    access.require(actor, "teams", Action.VIEW)
    return paginate(selectors.team_list(actor=actor), ordering="path", page=page)


@router.get("/teams/{team_id}", response={200: TeamOut, **ERROR_RESPONSES})
def team_detail(request: HttpRequest, team_id: int) -> Team:
    """One team."""
    return _team(request, team_id)


@router.post("/teams", response={201: TeamOut, **ERROR_RESPONSES})
def team_create(request: HttpRequest, payload: TeamCreateIn) -> Status[Team]:
    """Create a team, at the top of the tree or under `parent_id`; names are unique among siblings."""
    actor = _actor(request)
    access.require(actor, "teams", Action.CREATE)
    data = _cleaned(
        TeamForm({"name": payload.name, "kind": payload.kind, "parent": payload.parent_id}), _TEAM_API_NAMES
    )
    team = services.team_create(actor=actor, name=data["name"].strip(), kind=data["kind"], parent=data["parent"])
    return Status(201, team)


@router.patch("/teams/{team_id}", response={200: TeamOut, **ERROR_RESPONSES})
def team_update(request: HttpRequest, team_id: int, payload: TeamUpdateIn) -> Team:
    """Change a team; a new parent moves it with its sub-teams (not under itself: 409)."""
    team = _team(request, team_id, Action.EDIT)
    changes = {_TEAM_FORM_NAMES.get(name, name): value for name, value in payload.changes().items()}
    form = TeamForm({**TeamForm(team=team).initial, "parent": team.parent_id, **changes}, team=team)
    data = _cleaned(form, _TEAM_API_NAMES)
    services.team_update(actor=_actor(request), team=team, name=data["name"].strip(), kind=data["kind"],
                         parent=data["parent"], is_active=data["is_active"])  # fmt: skip
    _keep_own_session(request)
    return team


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
    """One role with what it grants; administrators only."""
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
    form = ApiTokenCreateForm(payload.model_dump(), action_choices=token_action_choices(actor))
    data = _cleaned(form)
    token, plain = services.api_token_create(
        actor=actor, name=data["name"], expires_at=timezone.now() + dt.timedelta(days=data["expires_in_days"]),
        allowed_actions=data["allowed_actions"],
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
    """One audit event you may see; out of your reach is 404."""
    actor = _actor(request)
    access.require(actor, "audit", Action.VIEW)
    event = selectors.audit_event_list(actor=actor).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event
