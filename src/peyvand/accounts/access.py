"""The one place that decides what a user may see and do.

Every app filters its querysets with :func:`visible` and fetches a single record with
:func:`access_record`. The user's grants are read once per request (:func:`profile_for`, a fixed
number of queries) and kept on the user object; after that a list costs no extra query and a
single record exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.http import Http404

from peyvand.accounts.permissions import Action, Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

ModelT = TypeVar("ModelT", bound=models.Model)
_PROFILE_ATTRIBUTE = "_peyvand_permission_profile"


@dataclass(frozen=True)
class PermissionProfile:
    user_id: int | None
    is_administrator: bool = False
    requires_two_factor: bool = False
    grants: dict[tuple[str, str], int] = field(default_factory=dict)
    visible_fields: dict[str, frozenset[str]] = field(default_factory=dict)
    team_ids: frozenset[int] = frozenset()
    # A token narrowed to some "module:action" pairs; None means no narrowing.
    narrowed_to: frozenset[str] | None = None

    def scope(self, module: str, action: str) -> Scope:
        if self.narrowed_to is not None and f"{module}:{action}" not in self.narrowed_to:
            return Scope.NONE
        if self.is_administrator:
            return Scope.ALL
        return Scope(self.grants.get((module, action), Scope.NONE))


ANONYMOUS = PermissionProfile(user_id=None)


def profile_for(user: User | AnonymousUser) -> PermissionProfile:
    """The user's combined grants: roles add up, the widest scope wins."""
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached: PermissionProfile | None = getattr(user, _PROFILE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from peyvand.accounts.models import Role, RoleFieldGrant, Team

    # 1. The roles with their grants, in one LEFT JOIN (an administrator role may have no grant).
    is_administrator, requires_two_factor = user.is_superuser, False
    grants: dict[tuple[str, str], int] = {}
    rows = Role.objects.filter(users=user).values_list(
        "is_administrator", "requires_two_factor", "grants__module", "grants__action", "grants__scope"
    )
    for administrator, two_factor, module, action, scope in rows:
        is_administrator = is_administrator or administrator
        requires_two_factor = requires_two_factor or two_factor
        if module is not None:
            grants[(module, action)] = max(scope, grants.get((module, action), Scope.NONE))
    # 2. The sensitive fields the roles show.
    fields: dict[str, set[str]] = {}
    for module, field_name in RoleFieldGrant.objects.filter(role__users=user).values_list("module", "field"):
        fields.setdefault(module, set()).add(field_name)
    # 3. The user's active teams and every team below them: a team is in when the path of one of
    # the user's teams is a prefix of its own.
    own_team_above = Team.objects.filter(members=user, is_active=True, path=Substr(OuterRef("path"), 1, Length("path")))
    team_ids = frozenset(Team.objects.filter(Exists(own_team_above)).values_list("pk", flat=True))
    profile = PermissionProfile(
        user_id=user.pk,
        is_administrator=is_administrator,
        requires_two_factor=requires_two_factor,
        grants=grants,
        visible_fields={module: frozenset(names) for module, names in fields.items()},
        team_ids=team_ids,
        narrowed_to=getattr(user, "_peyvand_token_narrowing", None),
    )
    setattr(user, _PROFILE_ATTRIBUTE, profile)
    return profile


def forget_profile(user: Any) -> None:
    if hasattr(user, _PROFILE_ATTRIBUTE):
        delattr(user, _PROFILE_ATTRIBUTE)


def scope_of(user: User | AnonymousUser, module: str, action: str = Action.VIEW) -> Scope:
    return profile_for(user).scope(module, action)


def can(user: User | AnonymousUser, module: str, action: str = Action.VIEW) -> bool:
    """Whether the user may do ``action`` on at least some records of ``module``."""
    return scope_of(user, module, action) > Scope.NONE


def is_administrator(user: User | AnonymousUser) -> bool:
    profile = profile_for(user)
    return profile.is_administrator and profile.narrowed_to is None


def can_see_field(user: User | AnonymousUser, module: str, field_name: str) -> bool:
    profile = profile_for(user)
    return profile.is_administrator or field_name in profile.visible_fields.get(module, frozenset())


def scope_filter(
    user: User | AnonymousUser,
    module: str,
    action: str = Action.VIEW,
    *,
    owner_field: str = "owner",
    team_field: str = "team",
) -> models.Q | None:
    """The condition a record must meet; ``None`` when the user may reach no record at all."""
    profile = profile_for(user)
    scope = profile.scope(module, action)
    if scope == Scope.ALL:
        return models.Q()
    if scope == Scope.NONE:
        return None
    own = models.Q(**{owner_field: profile.user_id})
    if scope == Scope.TEAM and profile.team_ids:
        return own | models.Q(**{f"{team_field}__in": sorted(profile.team_ids)})
    return own


def visible(
    user: User | AnonymousUser,
    queryset: models.QuerySet[ModelT],
    module: str,
    action: str = Action.VIEW,
    *,
    owner_field: str = "owner",
    team_field: str = "team",
) -> models.QuerySet[ModelT]:
    """``queryset`` narrowed to the records ``user`` may ``action``."""
    condition = scope_filter(user, module, action, owner_field=owner_field, team_field=team_field)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def access_record(
    user: User | AnonymousUser,
    queryset: models.QuerySet[ModelT],
    pk: Any,
    module: str,
    action: str = Action.VIEW,
    *,
    owner_field: str = "owner",
    team_field: str = "team",
) -> ModelT:
    """The record ``pk`` if ``user`` may ``action`` it, in one query.

    A record the user may not even see is reported as missing (404) so ids leak nothing; one
    they may see but not change is refused (403).
    """
    if not can(user, module, Action.VIEW):
        raise PermissionDenied
    view_condition = scope_filter(user, module, Action.VIEW, owner_field=owner_field, team_field=team_field)
    if action == Action.VIEW:
        try:
            return queryset.filter(view_condition or models.Q()).get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise Http404 from None
    action_condition = scope_filter(user, module, action, owner_field=owner_field, team_field=team_field)
    allowed: models.Expression
    if action_condition is None:
        allowed = models.Value(False)
    elif not action_condition:  # an empty condition: every visible record
        allowed = models.Value(True)
    else:
        allowed = models.Case(models.When(action_condition, then=models.Value(True)), default=models.Value(False))
    try:
        record = queryset.filter(view_condition or models.Q()).annotate(_peyvand_allowed=allowed).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not getattr(record, "_peyvand_allowed"):  # noqa: B009  (an annotation mypy cannot see)
        raise PermissionDenied
    return record


def require(user: User | AnonymousUser, module: str, action: str = Action.VIEW) -> None:
    """Refuse (403) unless the user may ``action`` some records of ``module``."""
    if not can(user, module, action):
        raise PermissionDenied


def require_administrator(user: User | AnonymousUser) -> None:
    if not is_administrator(user):
        raise PermissionDenied
