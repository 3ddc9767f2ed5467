"""Caller ID: who is calling, from the number a telephone exchange sends, for a call-centre screen pop.

The number is read the ways a PBX may send it (``common.phones.caller_id_candidates``: outside-line
prefixes, 0098, a local number completed with the exchange's area code) and compared for equality
with ``ContactPoint.national_number``. One query finds the matching numbers of the parties the actor
may see, through that index alone; a second one reads the first cards by name with their figures;
a third their tags. The last two run only when someone was found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.common.phones import caller_id_candidates
from peyvand.common.text import to_ascii_digits
from peyvand.contacts.access import party_filter
from peyvand.contacts.models import ContactPoint, Party, Relationship
from peyvand.contacts.models.parties import LifecycleStage

if TYPE_CHECKING:
    from peyvand.contacts.access import Actor

# The relationship type a person's employer is read from (RelationshipType.key).
WORKS_AT = "works_at"
CARDS_MAX = 10
# How many matching numbers are read at most: a number many records share (a switchboard) is cut here.
MATCHES_READ = 200
AREA_CODE_MAX_LENGTH = 4

Match = Literal["one", "several", "none"]


@dataclass(frozen=True)
class CallerCard:
    """What a call-centre screen shows of a caller: nothing sensitive."""

    id: int
    kind: str
    name: str
    company: str
    company_id: int | None
    owner: str
    lifecycle_stage: str
    tags: list[str]
    phone: str  # the number that matched, as stored for display
    primary_phone: str
    primary_email: str
    last_contact_at: dt.datetime | None
    interaction_count: int
    url: str

    @property
    def kind_label(self) -> str:
        return str(Party.Kind(self.kind).label)

    @property
    def lifecycle_stage_label(self) -> str:
        return str(LifecycleStage(self.lifecycle_stage).label) if self.lifecycle_stage in LifecycleStage.values else ""


@dataclass(frozen=True)
class CallerId:
    match: Match
    candidates: list[str]  # the national numbers the number was read as
    cards: list[CallerCard] = field(default_factory=list)


def clean_area_code(text: str | None) -> str | None:
    """An area code as typed ("021", "۲۱") without its 0, or None; anything but digits: ``ValidationError``."""
    if not (text or "").strip():
        return None
    code = to_ascii_digits((text or "").strip()).lstrip("0")
    if not (code.isascii() and code.isdigit() and len(code) <= AREA_CODE_MAX_LENGTH):
        raise ValidationError({"area_code": [_("An area code is digits only, such as 21 for Tehran.")]})
    return code


def default_area_code() -> str | None:
    """``CALLER_ID_AREA_CODE``: the exchange's own area code, for local numbers; None when not set."""
    return settings.CALLER_ID_AREA_CODE or None


def caller_id_lookup(*, actor: Actor, number: str, area_code: str | None = None, limit: int = CARDS_MAX) -> CallerId:
    """The parties ``actor`` may see with a phone that ``number`` stands for.

    ``area_code`` defaults to ``CALLER_ID_AREA_CODE``; it must be digits (assertion: check input first).
    """
    area_code = area_code or default_area_code()
    candidates = caller_id_candidates(number, area_code=area_code)
    visible = party_filter(actor, prefix="party__")
    if not candidates or visible is None:
        return CallerId(match="none", candidates=candidates)
    # 1. The numbers, through contact_point_national, with no ordering that could tempt the
    # planner into walking another index: a number shared by many is cut at a bound.
    matched: dict[int, str] = {}
    rows = (
        ContactPoint.objects.filter(visible, kind=ContactPoint.Kind.PHONE, national_number__in=candidates)
        .order_by()
        .values_list("party_id", "value")[:MATCHES_READ]
    )
    for party_id, value in rows:
        matched.setdefault(party_id, value)
    if not matched:
        return CallerId(match="none", candidates=candidates)
    # 2. Their cards, the first ``limit`` by name, with the figures a card shows.
    parties = (
        Party.objects.filter(pk__in=matched)
        .select_related("owner")
        .only(
            "kind", "name", "search_key", "company_name", "lifecycle_stage", "last_contact_at", "interaction_count",
            "erased_at",  # read by str(party)
            "owner__username", "owner__first_name", "owner__last_name",
        )
        .annotate(
            primary_phone=_first_point(ContactPoint.Kind.PHONE),
            primary_email=_first_point(ContactPoint.Kind.EMAIL),
            company_id=_employer(actor, "to_party_id"),
            company=_employer(actor, "to_party__name"),
        )
        .order_by("search_key", "pk")
    )  # fmt: skip
    found = {party.pk: party for party in parties[:limit]}
    tags = _tags_of(list(found))
    cards = [_card(party, matched[party_id], tags.get(party_id, [])) for party_id, party in found.items()]
    return CallerId(match="one" if len(cards) == 1 else "several", candidates=candidates, cards=cards)


def _first_point(kind: str) -> Subquery:
    return Subquery(
        ContactPoint.objects.filter(party=OuterRef("pk"), kind=kind).order_by("-is_primary", "pk").values("value")[:1]
    )


def _employer(actor: Actor, column: str) -> Subquery:
    """A company the person works at, among those the actor may see."""
    relationships = Relationship.objects.filter(
        from_party=OuterRef("pk"), type__key=WORKS_AT, to_party__kind=Party.Kind.COMPANY
    )
    visible = party_filter(actor, kind=Party.Kind.COMPANY, prefix="to_party__")
    relationships = relationships.none() if visible is None else relationships.filter(visible)
    return Subquery(relationships.order_by("pk").values(column)[:1])


def _tags_of(party_ids: list[int]) -> dict[int, list[str]]:
    through = Party.tags.through
    tags: dict[int, list[str]] = {}
    rows = through.objects.filter(party_id__in=party_ids).order_by("tag__name").values_list("party_id", "tag__name")
    for party_id, name in rows:
        tags.setdefault(party_id, []).append(name)
    return tags


def _card(party: Party, phone: str, tags: list[str]) -> CallerCard:
    annotations = party.__dict__
    return CallerCard(
        id=party.pk,
        kind=party.kind,
        name=str(party),
        company=annotations["company"] or (party.company_name if party.is_lead else ""),
        company_id=annotations["company_id"],
        owner=str(party.owner) if party.owner_id else "",
        lifecycle_stage=party.lifecycle_stage,
        tags=tags,
        phone=phone,
        primary_phone=annotations["primary_phone"] or "",
        primary_email=annotations["primary_email"] or "",
        last_contact_at=party.last_contact_at,
        interaction_count=party.interaction_count,
        url=reverse("contacts:party_detail", args=[party.pk]),
    )
