"""The lists of persons, companies and leads: what the actor may see, filtered, sorted, paged.

A page costs a fixed number of queries however many rows it shows: the rows with their owner and
team (one query, keyset-paged, only the columns a row shows), their phones and emails (one), their
tags (one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
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


# The columns a list row reads (the page, the API's row and the keyset cursor): a party row is
# wide (encrypted fields, notes, demographics), and reading only these halves the page's time.
LIST_COLUMNS = (
    "kind", "name", "search_key", "job_title", "company_name", "lifecycle_stage", "lead_status", "custom",
    "created_at", "active_at", "last_contact_at", "erased_at",
    "owner__id", "owner__username", "owner__first_name", "owner__last_name", "team__id", "team__name",
)  # fmt: skip


@dataclass(frozen=True)
class ListPoint:
    """A phone or email as a list row shows it."""

    kind: str
    value: str
    key: str


@dataclass(frozen=True)
class ListTag:
    name: str
    color: str


def with_list_details(queryset: models.QuerySet[Party]) -> models.QuerySet[Party]:
    """Rows with the columns a list shows and their owner and team joined.

    Their phones, emails and tags are read for one page at a time by :func:`attach_list_details`.
    """
    return queryset.select_related("owner", "team").only(*LIST_COLUMNS)


def attach_list_details(parties: list[Party]) -> list[Party]:
    """Give each row ``list_points`` (phones then emails, the primary first) and ``list_tags``: two queries.

    Plain values rather than model instances: on a page of 50 rows, Django's prefetching spends
    more time building related managers and objects than the database spends finding them.
    """
    by_id = {party.pk: party for party in parties}
    for party in parties:
        party.list_points = []  # type: ignore[attr-defined]
        party.list_tags = []  # type: ignore[attr-defined]
    if not by_id:
        return parties
    points = (
        ContactPoint.objects.filter(party_id__in=by_id, kind__in=LIST_POINT_KINDS)
        .order_by("party", "kind", "-is_primary", "pk")
        .values_list("party_id", "kind", "value", "key")
    )
    for party_id, kind, value, key in points:
        by_id[party_id].list_points.append(ListPoint(kind, value, key))  # type: ignore[attr-defined]
    tags = (
        Party.tags.through.objects.filter(party_id__in=by_id)
        .order_by("tag__name", "tag_id")
        .values_list("party_id", "tag__name", "tag__color")
    )
    for party_id, name, color in tags:
        by_id[party_id].list_tags.append(ListTag(name, color))  # type: ignore[attr-defined]
    return parties


def party_page(*, actor: User | AnonymousUser, kind: str, filters: PartyFilters | None = None,
               sort: str = DEFAULT_SORT, cursor: str | None = None, limit: int = 50) -> Page[Party]:  # fmt: skip
    """One keyset page of :func:`party_list`, rows with their details; ``InvalidCursor`` for a bad cursor."""
    queryset = with_list_details(party_list(actor=actor, kind=kind, filters=filters, sort=sort))
    page = keyset_page(queryset, ordering=SORTS[sort], cursor=cursor, limit=limit)
    attach_list_details(page.items)
    return page


def primary_point(party: Party, kind: str) -> ListPoint | None:
    """The primary phone or email of a row given :func:`attach_list_details` (no query)."""
    for point in getattr(party, "list_points", ()):
        if point.kind == kind:
            return point
    return None
