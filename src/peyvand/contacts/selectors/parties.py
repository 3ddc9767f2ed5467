"""The lists of persons, companies and leads: what the actor may see, filtered, sorted, paged.

A page costs a fixed number of queries however many rows it shows: the rows with their owner and
team (one query, keyset-paged), their phones and emails (one), their tags (one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.permissions import Action
from peyvand.common.pagination import Page, keyset_page
from peyvand.contacts.access import visible_parties
from peyvand.contacts.filters import PartyFilters
from peyvand.contacts.models import ContactPoint, Party

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

# The sorts a list offers: the parameter's value → the keyset ordering (each has an index
# (kind, column, id) in contacts/models/parties.py).
SORTS: dict[str, str] = {
    "name": "search_key",
    "-name": "-search_key",
    "created_at": "created_at",
    "-created_at": "-created_at",
    "active_at": "active_at",
    "-active_at": "-active_at",
}
SORT_LABELS = {
    "name": _("Name, A to Z"),
    "-name": _("Name, Z to A"),
    "-created_at": _("Newest first"),
    "created_at": _("Oldest first"),
    "-active_at": _("Recently active"),
    "active_at": _("Least recently active"),
}
DEFAULT_SORT = "name"
# What a list row shows of a party's contact points.
LIST_POINT_KINDS = (ContactPoint.Kind.PHONE, ContactPoint.Kind.EMAIL)


def party_list(*, actor: User | AnonymousUser, kind: str, filters: PartyFilters | None = None,
               sort: str = DEFAULT_SORT, action: str = Action.VIEW) -> models.QuerySet[Party]:  # fmt: skip
    """The parties of ``kind`` that ``actor`` may ``action`` and that match ``filters``, in ``sort`` order.

    For an export, ``action`` is EXPORT: the rows are those both visible and exportable.
    """
    assert kind in Party.Kind.values, kind
    assert sort in SORTS, sort
    queryset = visible_parties(actor, Party.objects.filter(kind=kind), Action.VIEW, kind=kind)
    if action != Action.VIEW:
        queryset = visible_parties(actor, queryset, action, kind=kind)
    if filters is not None:
        assert filters.kind == kind, (filters.kind, kind)
        queryset = filters.apply(queryset, actor=actor)
    ordering = SORTS[sort]
    return queryset.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")


def with_list_details(queryset: models.QuerySet[Party]) -> models.QuerySet[Party]:
    """Rows with what a list shows: owner and team joined, phones and emails and tags prefetched."""
    points = ContactPoint.objects.filter(kind__in=LIST_POINT_KINDS).order_by("party", "kind", "-is_primary", "pk")
    return queryset.select_related("owner", "team").prefetch_related(
        Prefetch("contact_points", queryset=points, to_attr="list_points"), "tags"
    )


def party_page(*, actor: User | AnonymousUser, kind: str, filters: PartyFilters | None = None,
               sort: str = DEFAULT_SORT, cursor: str | None = None, limit: int = 50) -> Page[Party]:  # fmt: skip
    """One keyset page of :func:`party_list`, rows with their details; ``InvalidCursor`` for a bad cursor."""
    queryset = with_list_details(party_list(actor=actor, kind=kind, filters=filters, sort=sort))
    return keyset_page(queryset, ordering=SORTS[sort], cursor=cursor, limit=limit)


def primary_point(party: Party, kind: str) -> ContactPoint | None:
    """The primary phone or email of a row of :func:`with_list_details` (no query)."""
    for point in getattr(party, "list_points", ()):
        if point.kind == kind:
            return point
    return None
