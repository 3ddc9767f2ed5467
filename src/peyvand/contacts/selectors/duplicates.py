"""Reading duplicate pairs: the review list, one pair, a record's possible duplicates, the comparison.

A pair is shown only to someone who may see both of its records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from peyvand.accounts import access as account_access
from peyvand.accounts.permissions import Action
from peyvand.common.calendar import format_date
from peyvand.contacts import access
from peyvand.contacts.models import Address, ContactPoint, DuplicateCandidate, Party
from peyvand.contacts.models.parties import MODULE_OF_KIND, IncomeBand
from peyvand.contacts.services.merge import (
    PRIMARY_FIELDS,
    SENSITIVE_FIELDS,
    choosable_fields,
    default_side,
    field_value,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

    Actor = User | AnonymousUser

# How many possible duplicates the customer page lists.
NOTICE_LIMIT = 5


def reviewable_kinds(actor: Actor) -> list[str]:
    """The kinds whose pairs ``actor`` may review: those of which they may edit some records."""
    return [kind for kind, module in MODULE_OF_KIND.items() if account_access.can(actor, module, Action.EDIT)]


def _both_visible(actor: Actor) -> Q | None:
    first = access.party_filter(actor, Action.VIEW, prefix="first__")
    second = access.party_filter(actor, Action.VIEW, prefix="second__")
    if first is None or second is None:
        return None
    return first & second


def duplicate_list(*, actor: Actor, kind: str) -> models.QuerySet[DuplicateCandidate]:
    """Open pairs of ``kind`` whose two records ``actor`` may see (order them by score for the list)."""
    assert kind in Party.Kind.values, kind
    condition = _both_visible(actor)
    if condition is None:
        return DuplicateCandidate.objects.none()
    return DuplicateCandidate.objects.filter(
        condition, kind=kind, status=DuplicateCandidate.Status.OPEN
    ).select_related("first", "second")


def with_summaries(candidates: list[DuplicateCandidate]) -> list[DuplicateCandidate]:
    """Each record of the pairs with its primary phone, email and city, as ``summary``: two queries."""
    parties = {party.pk: party for candidate in candidates for party in (candidate.first, candidate.second)}
    summaries: dict[int, dict[str, str]] = {pk: {} for pk in parties}
    points = (
        ContactPoint.objects.filter(party_id__in=list(parties), kind__in=list(PRIMARY_FIELDS.values()), is_primary=True)
        .order_by()
        .values_list("party_id", "kind", "value")
    )
    for party_id, kind, value in points:
        summaries[party_id][kind] = value
    cities = Address.objects.filter(party_id__in=list(parties), is_primary=True).exclude(city="")
    for party_id, city in cities.order_by().values_list("party_id", "city"):
        summaries[party_id]["city"] = city
    for pk, party in parties.items():
        party.summary = summaries[pk]  # type: ignore[attr-defined]
    return candidates


def access_candidate(actor: Actor, candidate_id: Any) -> DuplicateCandidate:
    """The pair ``candidate_id`` if ``actor`` may see both records (404 otherwise; 403 with no access at all)."""
    condition = _both_visible(actor)
    if condition is None:
        raise PermissionDenied
    try:
        return DuplicateCandidate.objects.select_related("first", "second").filter(condition).get(pk=candidate_id)
    except (DuplicateCandidate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def possible_duplicates(actor: Actor, party: Party) -> list[tuple[DuplicateCandidate, Party]]:
    """Open pairs of ``party`` whose other record ``actor`` may see: the customer page's notice."""
    condition = _both_visible(actor)
    if condition is None:
        return []
    candidates = (
        DuplicateCandidate.objects.filter(condition, status=DuplicateCandidate.Status.OPEN)
        .filter(Q(first=party) | Q(second=party))
        .select_related("first", "second")
        .order_by("-score", "-pk")[:NOTICE_LIMIT]
    )
    return [(candidate, candidate.second if candidate.first_id == party.pk else candidate.first)
            for candidate in candidates]  # fmt: skip


# The comparison ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    first: Any
    second: Any
    differs: bool
    # The id of the record whose value is kept unless the user chooses otherwise.
    default: int
    hidden: bool = False


SENSITIVE_LABELS = {
    "national_id": gettext_lazy("National ID"),
    "birth_date": gettext_lazy("Birth date"),
    "income_band": gettext_lazy("Income band"),
}


def _label(name: str) -> str:
    if name in SENSITIVE_LABELS:
        return str(SENSITIVE_LABELS[name])
    return capfirst(str(getattr(Party._meta.get_field(name), "verbose_name", name)))


def _display(party: Party, name: str) -> Any:
    if name in ("owner", "team", "source", "category"):
        return getattr(party, name) or ""
    field = Party._meta.get_field(name) if name not in SENSITIVE_FIELDS else None
    value = field_value(party, name)
    if name == "income_band" and value:
        return dict(IncomeBand.choices).get(value, value)
    if isinstance(value, dt.date):
        return format_date(value)
    if field is not None and getattr(field, "choices", None) and value:
        return dict(getattr(field, "flatchoices", [])).get(value, value)
    return "" if value is None else value


def comparison(actor: Actor, first: Party, second: Party, survivor_id: int) -> list[FieldRow]:
    """Each choosable field of the two records side by side; sensitive ones only for who may see them.

    The default of each row is what the merge keeps when ``survivor_id`` survives and nothing is chosen.
    """
    survivor, merged = (first, second) if survivor_id == first.pk else (second, first)
    rows = []
    for name in choosable_fields(first.kind):
        if name in SENSITIVE_FIELDS and not access.can_see_sensitive(actor, first.kind, name):
            column = f"{name}_encrypted"
            differs = bool(getattr(first, column)) or bool(getattr(second, column))
            rows.append(FieldRow(name, _label(name), "", "", differs, survivor.pk, hidden=True))
            continue
        one, other = _display(first, name), _display(second, name)
        default = survivor.pk if default_side(survivor, merged, name) == "survivor" else merged.pk
        rows.append(FieldRow(name, _label(name), one, other, str(one) != str(other), default))
    return rows


@dataclass(frozen=True)
class Combined:
    """What the merge puts together from both records, for the comparison's "will be combined" part."""

    phones: list[ContactPoint]
    emails: list[ContactPoint]
    others: list[ContactPoint]
    addresses: list[Address]
    tags: list[str]
    relationships: int
    interactions: int


def combined(party: Party) -> Combined:
    """Read from ``party_pair``'s prefetched rows: no query."""
    points: list[ContactPoint] = list(party.contact_points.all())
    return Combined(
        phones=[point for point in points if point.kind == ContactPoint.Kind.PHONE],
        emails=[point for point in points if point.kind == ContactPoint.Kind.EMAIL],
        others=[point for point in points if point.kind not in (ContactPoint.Kind.PHONE, ContactPoint.Kind.EMAIL)],
        addresses=list(party.addresses.all()),
        tags=[tag.name for tag in party.tags.all()],
        relationships=getattr(party, "relationship_count", 0),
        interactions=party.interaction_count,
    )


def party_pair(first_id: int, second_id: int) -> dict[int, Party]:
    """The two records with what the comparison shows of them, in four queries."""
    parties = (
        Party.objects.filter(pk__in=[first_id, second_id])
        .select_related("owner", "team", "source", "category")
        .prefetch_related("contact_points", "addresses", "tags")
        .annotate(
            relationship_count=models.Count("relationships_from", distinct=True)
            + models.Count("relationships_to", distinct=True)
        )
    )
    return {party.pk: party for party in parties}
