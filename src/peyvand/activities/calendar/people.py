"""Whose calendars an actor may open: their own always; with the TEAM scope the members of their
teams and the teams below; with ALL anyone active."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import Team, User
from peyvand.accounts.permissions import Action, Scope
from peyvand.activities.access import MODULE
from peyvand.activities.selectors import MAX_CALENDAR_USERS

if TYPE_CHECKING:
    from peyvand.activities.selectors import Actor


def reachable_users(actor: Actor) -> models.QuerySet[User]:
    """The users whose calendars ``actor`` may open, by name: one query (bounded)."""
    profile = accounts_access.profile_for(actor)
    scope = profile.scope(MODULE, Action.VIEW)
    users = User.objects.filter(is_active=True)
    if profile.user_id is None or scope == Scope.NONE:
        return users.none()
    if scope == Scope.TEAM and profile.team_ids:
        users = users.filter(models.Q(pk=profile.user_id) | models.Q(teams__in=sorted(profile.team_ids))).distinct()
    elif scope != Scope.ALL:
        users = users.filter(pk=profile.user_id)
    return users.order_by("first_name", "last_name", "username")[:MAX_CALENDAR_USERS]


def reachable_teams(actor: Actor) -> models.QuerySet[Team]:
    """The teams whose members' calendars ``actor`` may open together: one query."""
    profile = accounts_access.profile_for(actor)
    scope = profile.scope(MODULE, Action.VIEW)
    teams = Team.objects.filter(is_active=True)
    if scope == Scope.ALL:
        return teams.order_by("path")
    if scope == Scope.TEAM and profile.team_ids:
        return teams.filter(pk__in=sorted(profile.team_ids)).order_by("path")
    return teams.none()
