"""Who may see and change persons, companies and leads.

The three kinds share one table but are three access modules ("persons", "companies",
"leads"), so each condition is the OR over the kinds of (kind = k AND the actor's scope on k's
module). Sensitive personal fields are shown only to roles granted them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from peyvand.accounts import access
from peyvand.accounts.permissions import Action, Scope
from peyvand.contacts.models import Party
from peyvand.contacts.models.parties import MODULE_OF_KIND

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

    Actor = User | AnonymousUser

SENSITIVE_FIELDS = ("national_id", "birth_date", "income_band")


def party_filter(actor: Actor, action: str = Action.VIEW, *, kind: str | None = None,
                 prefix: str = "") -> models.Q | None:  # fmt: skip
    """The condition a party must meet for ``actor`` to ``action`` it; ``None`` when none may be.

    ``prefix`` names the party from another model ("party__").
    """
    kinds = [kind] if kind else list(MODULE_OF_KIND)
    combined: models.Q | None = None
    for each in kinds:
        condition = access.scope_filter(
            actor, MODULE_OF_KIND[each], action, owner_field=f"{prefix}owner", team_field=f"{prefix}team"
        )
        if condition is None:
            continue
        condition = models.Q(**{f"{prefix}kind": each}) & condition
        combined = condition if combined is None else combined | condition
    return combined


def visible_parties(actor: Actor, queryset: models.QuerySet[Any], action: str = Action.VIEW, *,
                    kind: str | None = None, prefix: str = "") -> models.QuerySet[Any]:  # fmt: skip
    """``queryset`` narrowed to the parties (or the rows of parties, with ``prefix``) ``actor`` may ``action``."""
    condition = party_filter(actor, action, kind=kind, prefix=prefix)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def can_any(actor: Actor, action: str = Action.VIEW) -> bool:
    """Whether ``actor`` may ``action`` some persons, companies or leads."""
    return any(access.can(actor, module, action) for module in MODULE_OF_KIND.values())


def access_party(actor: Actor, pk: Any, action: str = Action.VIEW, *,
                 queryset: models.QuerySet[Party] | None = None) -> Party:  # fmt: skip
    """The party ``pk`` if ``actor`` may ``action`` it, in one query.

    Outside the view scope it is missing (404); visible but not allowed to ``action``, refused (403).
    """
    queryset = Party.objects.all() if queryset is None else queryset
    view_condition = party_filter(actor, Action.VIEW)
    if view_condition is None:
        raise PermissionDenied
    if action == Action.VIEW:
        try:
            return queryset.filter(view_condition).get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise Http404 from None
    action_condition = party_filter(actor, action)
    allowed: models.Expression
    if action_condition is None:
        allowed = models.Value(False)
    else:
        allowed = models.Case(models.When(action_condition, then=models.Value(True)), default=models.Value(False))
    try:
        party = queryset.filter(view_condition).annotate(_peyvand_allowed=allowed).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not getattr(party, "_peyvand_allowed"):  # noqa: B009  (an annotation mypy cannot see)
        raise PermissionDenied
    return party


def can_party(actor: Actor, party: Party, action: str) -> bool:
    """Whether ``actor`` may ``action`` this party (already fetched): no query."""
    return would_reach(actor, party, action, owner_id=party.owner_id, team_id=party.team_id)


def would_reach(actor: Actor, party: Party, action: str, *, owner_id: int | None, team_id: int | None) -> bool:
    """Whether ``actor`` could ``action`` this party were its owner and team these: no query."""
    scope = access.scope_of(actor, party.module, action)
    profile = access.profile_for(actor)
    if scope == Scope.ALL:
        return True
    if scope == Scope.NONE:
        return False
    if owner_id is not None and owner_id == profile.user_id:
        return True
    return scope == Scope.TEAM and team_id in profile.team_ids


def can_see_sensitive(actor: Actor, kind: str, field_name: str) -> bool:
    """Whether the sensitive ``field_name`` of a party of ``kind`` is shown to ``actor``."""
    assert field_name in SENSITIVE_FIELDS, field_name
    return access.can_see_field(actor, MODULE_OF_KIND[kind], field_name)


def sensitive_fields_for(actor: Actor, kind: str) -> frozenset[str]:
    return frozenset(name for name in SENSITIVE_FIELDS if can_see_sensitive(actor, kind, name))
