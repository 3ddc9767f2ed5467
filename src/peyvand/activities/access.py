"""Who sees and changes activities.

With the OWN scope of the "activities" module a user reaches the activities they own, are assigned
to or take part in; TEAM adds those of their teams and the teams below them; ALL reaches every
activity. Each action (view, create, edit, delete) is checked with its own scope. Linking a
customer needs sight of that customer (``contacts.access``). Giving an activity an owner or a team
follows the customer file's rule: OWN gives it to oneself, TEAM to oneself or a member of one's
teams, ALL to anyone; and nobody makes an activity they could not reach afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from peyvand.accounts import access
from peyvand.accounts.models import Team, User
from peyvand.accounts.permissions import Action, Scope
from peyvand.activities.models import Activity, ActivityAssignee, Reminder
from peyvand.contacts.access import can_party

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.contacts.models import Party

    Actor = User | AnonymousUser

MODULE = "activities"
_STAFF_ATTRIBUTE = "_peyvand_staff_ids"


def activity_filter(actor: Actor, action: str = Action.VIEW, *, prefix: str = "") -> Q | None:
    """The condition an activity must meet for ``actor`` to ``action`` it; ``None`` when none may be.

    ``prefix`` ("activity__") names the activity from a row that points at it.
    """
    profile = access.profile_for(actor)
    scope = profile.scope(MODULE, action)
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.NONE:
        return None
    assert profile.user_id is not None  # a scope above none is a user's
    outer = f"{prefix.removesuffix('__')}_id" if prefix else "pk"
    on_it = Exists(ActivityAssignee.objects.filter(activity_id=OuterRef(outer), user_id=profile.user_id))
    condition = Q(**{f"{prefix}owner_id": profile.user_id}) | Q(on_it)
    if scope == Scope.TEAM and profile.team_ids:
        condition |= Q(**{f"{prefix}team_id__in": sorted(profile.team_ids)})
    return condition


def can_see_activities(actor: Actor) -> bool:
    return access.can(actor, MODULE, Action.VIEW)


def visible_activities(actor: Actor, queryset: models.QuerySet[Activity] | None = None,
                       action: str = Action.VIEW) -> models.QuerySet[Activity]:  # fmt: skip
    queryset = Activity.objects.all() if queryset is None else queryset
    condition = activity_filter(actor, action)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def staff_ids(activity: Activity) -> frozenset[int]:
    """The staff on the activity (assignees and staff participants): from its prefetched rows, else one query."""
    known: frozenset[int] | None = getattr(activity, _STAFF_ATTRIBUTE, None)
    if known is not None:
        return known
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "assignees" in cache:
        return frozenset(row.user_id for row in cache["assignees"])
    ids = frozenset(ActivityAssignee.objects.filter(activity=activity).values_list("user_id", flat=True))
    setattr(activity, _STAFF_ATTRIBUTE, ids)
    return ids


def forget_staff(activity: Activity) -> None:
    if hasattr(activity, _STAFF_ATTRIBUTE):
        delattr(activity, _STAFF_ATTRIBUTE)


def reaches(actor: Actor, action: str, *, owner_id: int | None, team_id: int | None, staff: Iterable[int]) -> bool:
    """Whether ``actor`` may ``action`` an activity with this owner, team and staff: no query."""
    profile = access.profile_for(actor)
    scope = profile.scope(MODULE, action)
    if scope == Scope.ALL:
        return True
    if scope == Scope.NONE:
        return False
    if owner_id is not None and owner_id == profile.user_id:
        return True
    if profile.user_id in set(staff):
        return True
    return scope == Scope.TEAM and team_id in profile.team_ids


def can_activity(actor: Actor, activity: Activity, action: str) -> bool:
    """Whether ``actor`` may ``action`` this activity: no query when its staff are known (prefetched)."""
    profile = access.profile_for(actor)
    scope = profile.scope(MODULE, action)
    if scope in (Scope.ALL, Scope.NONE):
        return scope == Scope.ALL
    if activity.owner_id is not None and activity.owner_id == profile.user_id:
        return True
    if scope == Scope.TEAM and activity.team_id in profile.team_ids:
        return True
    return profile.user_id in staff_ids(activity)


def access_activity(actor: Actor, pk: Any, action: str = Action.VIEW, *,
                    queryset: models.QuerySet[Activity] | None = None) -> Activity:  # fmt: skip
    """The activity ``pk`` if ``actor`` may ``action`` it, in one query (and its prefetches).

    Out of the view scope it is missing (404); visible but the action not allowed, refused (403).
    """
    view_condition = activity_filter(actor, Action.VIEW)
    if view_condition is None:
        raise PermissionDenied
    queryset = Activity.objects.all() if queryset is None else queryset
    allowed: models.Expression = models.Value(True)
    if action != Action.VIEW:
        action_condition = activity_filter(actor, action)
        if action_condition is None:
            allowed = models.Value(False)
        elif action_condition:
            allowed = models.Case(models.When(action_condition, then=models.Value(True)), default=models.Value(False))
    try:
        activity = queryset.filter(view_condition).annotate(_peyvand_allowed=allowed).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not getattr(activity, "_peyvand_allowed"):  # noqa: B009  (an annotation mypy cannot see)
        raise PermissionDenied
    return activity


def access_my_reminder(actor: Actor, activity_id: Any) -> Reminder:
    """The actor's own reminder of an activity they may see; 404 when there is none."""
    if not can_see_activities(actor):
        raise PermissionDenied
    activity = access_activity(actor, activity_id)
    user_id = access.profile_for(actor).user_id
    assert user_id is not None  # seeing activities at all is a user's
    try:
        return Reminder.objects.select_related("activity").get(activity=activity, user_id=user_id)
    except Reminder.DoesNotExist:
        raise Http404 from None


# What an activity may be given to -----------------------------------------------------------------
def can_link_party(actor: Actor, party: Party) -> bool:
    """An activity concerns, or invites, only a customer the actor may see: no query."""
    return can_party(actor, party, Action.VIEW)


def check_owner_and_team(actor: User, action: str, *, owner: User | None, team: Team | None,
                         owner_changed: bool, team_changed: bool) -> None:  # fmt: skip
    """Refuse (``ValidationError`` on "owner" or "team") an owner or team beyond the actor's scope."""
    profile = access.profile_for(actor)
    scope = profile.scope(MODULE, action)
    errors: dict[str, list[str]] = {}
    if owner_changed and owner is not None and scope < Scope.ALL and owner.pk != actor.pk:
        in_teams = (
            scope == Scope.TEAM and bool(profile.team_ids) and owner.teams.filter(pk__in=profile.team_ids).exists()
        )
        if not in_teams:
            errors["owner"] = [_("You may give an activity only to yourself or, with your team's scope, to a member of your teams.")]  # fmt: skip
    if owner_changed and owner is None and scope < Scope.TEAM:
        errors["owner"] = [_("Choose who is responsible for this activity.")]
    if owner_changed and owner is not None and not owner.is_active:
        errors["owner"] = [_("This user is no longer active.")]
    if (
        team_changed
        and team is not None
        and (not team.is_active or (scope < Scope.ALL and team.pk not in profile.team_ids))
    ):
        errors["team"] = [_("Choose one of your teams.")]
    if errors:
        raise ValidationError(errors)
