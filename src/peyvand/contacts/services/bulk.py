"""Changing many persons, companies or leads at once: assign, tag, delete.

Each id is checked against the actor's scope for the action (edit, or delete); ids outside it —
missing, not visible, or visible but not the actor's to change — are reported and left alone, and
so are assignments that would take a record out of the actor's sight (the record form's rule).
Every record goes through the party services, so each change has its own audit entry, and the
whole batch is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.models import Team, User
from peyvand.accounts.permissions import Action
from peyvand.common.text import normalize_text, search_key
from peyvand.contacts.access import can_any, visible_parties, would_reach
from peyvand.contacts.models import Party
from peyvand.contacts.services.parties import party_delete, party_update

MAX_IDS = 500
MAX_ID = 2**63 - 1
UNCHANGED = "unchanged"


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    # Missing, outside the actor's view scope, or not the actor's to change: reported, not touched.
    refused: list[int] = field(default_factory=list)
    # Assignments that would take a record out of the actor's sight, refused as the record form
    # refuses them ("you would lose sight of this record"): reported, not touched.
    out_of_sight: list[int] = field(default_factory=list)


def _checked_ids(ids: Iterable[Any]) -> list[int]:
    unique: list[int] = []
    for value in ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"ids": [_("Ids are whole numbers.")]}) from None
        if number not in unique:
            unique.append(number)
    if not unique:
        raise ValidationError({"ids": [_("Select at least one record.")]})
    if len(unique) > MAX_IDS:
        raise ValidationError({"ids": [_("Select at most %(count)s records at once.") % {"count": MAX_IDS}]})
    return unique


def _reachable(actor: User, ids: list[int], action: str) -> tuple[list[Party], list[int]]:
    """The parties among ``ids`` the actor may see and ``action`` (locked for the change), and the others."""
    # An id beyond the 64-bit range names no record (and SQLite cannot compare it): refused without a look.
    queryset = visible_parties(actor, Party.objects.filter(pk__in=[pk for pk in ids if abs(pk) <= MAX_ID]), Action.VIEW)
    queryset = visible_parties(actor, queryset, action).select_related("owner", "team").order_by("pk")
    if action != Action.DELETE:  # an erased record is not changed any more, only deleted
        queryset = queryset.filter(erased_at__isnull=True)
    parties = list(queryset.select_for_update(of=("self",)))
    found = {party.pk for party in parties}
    return parties, [pk for pk in ids if pk not in found]


@transaction.atomic
def party_bulk_assign(*, actor: User, ids: Iterable[Any], owner: User | str | None = UNCHANGED,
                      team: Team | str | None = UNCHANGED) -> BulkResult:  # fmt: skip
    """Give the selected records another owner and/or team (``None`` leaves them without one)."""
    if owner == UNCHANGED and team == UNCHANGED:
        raise ValidationError({"owner": [_("Choose an owner or a team to assign.")]})
    parties, refused = _reachable(actor, _checked_ids(ids), Action.EDIT)
    result = BulkResult(refused=refused)
    for party in parties:
        owner_id = party.owner_id if owner == UNCHANGED else getattr(owner, "pk", None)
        team_id = party.team_id if team == UNCHANGED else getattr(team, "pk", None)
        if (owner_id, team_id) == (party.owner_id, party.team_id):
            result.unchanged.append(party.pk)
            continue
        if not would_reach(actor, party, Action.VIEW, owner_id=owner_id, team_id=team_id):
            result.out_of_sight.append(party.pk)
            continue
        party_update(actor=actor, party=party, owner=owner, team=team)
        result.changed.append(party.pk)
    return result


@transaction.atomic
def party_bulk_tag(*, actor: User, ids: Iterable[Any], add: Sequence[str] = (),
                   remove: Sequence[str] = ()) -> BulkResult:  # fmt: skip
    """Add tags to and/or remove tags from the selected records ("VIP" and "vip" are one tag)."""
    add = [name for name in (normalize_text(name) for name in add) if name]
    removed_keys = {search_key(name) for name in remove if normalize_text(name)}
    if not add and not removed_keys:
        raise ValidationError({"tags": [_("Name at least one tag to add or remove.")]})
    parties, refused = _reachable(actor, _checked_ids(ids), Action.EDIT)
    result = BulkResult(refused=refused)
    for party in parties:
        current = {search_key(tag.name): tag.name for tag in party.tags.all()}
        wanted = {key: name for key, name in current.items() if key not in removed_keys}
        for name in add:
            wanted.setdefault(search_key(name), name)
        if wanted.keys() == current.keys():
            result.unchanged.append(party.pk)
            continue
        party_update(actor=actor, party=party, tags=list(wanted.values()))
        result.changed.append(party.pk)
    return result


@transaction.atomic
def party_bulk_delete(*, actor: User, ids: Iterable[Any]) -> BulkResult:
    """Delete the selected records the actor may delete, with their contact points and timelines."""
    parties, refused = _reachable(actor, _checked_ids(ids), Action.DELETE)
    result = BulkResult(refused=refused)
    for party in parties:
        pk = party.pk
        party_delete(actor=actor, party=party)
        result.changed.append(pk)
    return result


def _person_or_none(value: str) -> User | str | None:
    if value in ("", "keep"):
        return UNCHANGED
    if value == "none":
        return None
    try:
        return User.objects.get(pk=int(value), is_active=True)
    except (User.DoesNotExist, ValueError):
        raise ValidationError({"owner": [_("Choose an active user.")]}) from None


def _team_or_none(value: str) -> Team | str | None:
    if value in ("", "keep"):
        return UNCHANGED
    if value == "none":
        return None
    try:
        return Team.objects.get(pk=int(value), is_active=True)
    except (Team.DoesNotExist, ValueError):
        raise ValidationError({"team": [_("Choose an active team.")]}) from None


def tag_names(text: str) -> list[str]:
    return [name.strip() for name in text.replace("،", ",").split(",") if name.strip()]


def party_bulk(*, actor: User, action: str, ids: list[Any], owner: str = "", team: str = "",
             tags: list[str] | None = None) -> BulkResult:  # fmt: skip
    """One bulk action as the page and the API name it: ``assign`` (``owner``/``team``: an id, ``none``
    or empty to keep), ``tag`` and ``untag`` (``tags``), ``delete``; ``ValidationError`` for a wrong one."""
    needed = Action.DELETE if action == "delete" else Action.EDIT
    if not can_any(actor, needed):
        raise PermissionDenied
    if action == "assign":
        return party_bulk_assign(actor=actor, ids=ids, owner=_person_or_none(owner), team=_team_or_none(team))
    if action == "tag":
        return party_bulk_tag(actor=actor, ids=ids, add=tags or ())
    if action == "untag":
        return party_bulk_tag(actor=actor, ids=ids, remove=tags or ())
    if action == "delete":
        return party_bulk_delete(actor=actor, ids=ids)
    raise ValidationError({"action": [_("Choose one of: %(choices)s.") % {"choices": "assign, tag, untag, delete"}]})
