"""Who sees and changes interactions.

An interaction belongs to a party's file, so seeing it follows the party: whoever may view the
party (``contacts.access``) and holds any view scope on the "interactions" module sees every
interaction of that party. Logging one needs ``interactions:create`` and a view of the party.
Editing and deleting follow the ``interactions:edit``/``delete`` scope on the interaction's own
owner and team: OWN is the interactions one had oneself, TEAM those of one's teams (and below).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from peyvand.accounts import access
from peyvand.accounts.permissions import Action, Scope
from peyvand.contacts.access import access_party, party_filter
from peyvand.contacts.models import Party
from peyvand.timeline.models import Interaction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

    Actor = User | AnonymousUser

MODULE = "interactions"


def can_see_interactions(actor: Actor) -> bool:
    """Whether ``actor`` sees the interactions of the parties they may view: no query."""
    return access.can(actor, MODULE, Action.VIEW)


def can_log(actor: Actor) -> bool:
    return access.can(actor, MODULE, Action.CREATE)


def interaction_filter(actor: Actor) -> models.Q | None:
    """The condition an interaction must meet to be seen by ``actor``; ``None`` when none may be."""
    if not can_see_interactions(actor):
        return None
    return party_filter(actor, Action.VIEW, prefix="party__")


def visible_interactions(
    actor: Actor, queryset: models.QuerySet[Interaction] | None = None
) -> models.QuerySet[Interaction]:
    queryset = Interaction.objects.all() if queryset is None else queryset
    condition = interaction_filter(actor)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def can_interaction(actor: Actor, interaction: Interaction, action: str) -> bool:
    """Whether ``actor`` may ``action`` (edit, delete) this interaction, already known to be visible: no query."""
    scope = access.scope_of(actor, MODULE, action)
    if scope == Scope.ALL:
        return True
    if scope == Scope.NONE:
        return False
    profile = access.profile_for(actor)
    if interaction.owner_id is not None and interaction.owner_id == profile.user_id:
        return True
    return scope == Scope.TEAM and interaction.team_id in profile.team_ids


def access_interaction(actor: Actor, pk: Any, action: str = Action.VIEW, *,
                       queryset: models.QuerySet[Interaction] | None = None) -> Interaction:  # fmt: skip
    """The interaction ``pk`` if ``actor`` may ``action`` it, in one query.

    Out of sight (the party unseen, or no view scope on interactions) it is missing (404); seen but
    the action not allowed on it, refused (403).
    """
    if not can_see_interactions(actor):
        raise PermissionDenied
    queryset = Interaction.objects.select_related("party", "channel", "owner") if queryset is None else queryset
    try:
        interaction = visible_interactions(actor, queryset).get(pk=pk)
    except (Interaction.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != Action.VIEW and not can_interaction(actor, interaction, action):
        raise PermissionDenied
    return interaction


def access_party_for_timeline(actor: Actor, pk: Any) -> Party:
    """The party whose timeline ``actor`` reads: visible to them, and interactions visible at all."""
    if not can_see_interactions(actor):
        raise PermissionDenied
    return access_party(actor, pk, Action.VIEW)


def access_party_for_logging(actor: Actor, pk: Any) -> Party:
    """The party ``actor`` logs an interaction with: visible to them, with ``interactions:create``."""
    if not can_log(actor):
        raise PermissionDenied
    return access_party(actor, pk, Action.VIEW)
