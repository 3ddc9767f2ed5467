"""What the customer page and the API's party detail read: one record with everything around it.

The cost is fixed however much a record holds: the party with its owner, team, source and
category (one query), its contact points, addresses and tags (one each), its relationships with
the parties at their other end (one), and the custom fields of its kind (one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from peyvand.accounts.permissions import Action
from peyvand.contacts import sensitive
from peyvand.contacts.access import access_party, party_filter, sensitive_fields_for
from peyvand.contacts.custom_fields import display_value
from peyvand.contacts.models import Address, ContactPoint, CustomField, Party, Relationship, RelationshipType, Tag

if TYPE_CHECKING:
    from peyvand.contacts.access import Actor

# A record with more links than this shows the first ones; the graph draws fewer still.
RELATIONSHIPS_SHOWN = 200
GRAPH_NODES = 12
WORKS_AT = "works_at"


def party_with_details(actor: Actor, party_id: Any, action: str = Action.VIEW) -> Party:
    """The party ``party_id`` the actor may ``action`` (404/403 otherwise), owner, team, source, category joined."""
    queryset = Party.objects.select_related("owner", "team", "source", "category")
    return access_party(actor, party_id, action, queryset=queryset)


@dataclass(frozen=True)
class Link:
    """A relationship seen from one of its parties."""

    relationship: Relationship
    other: Party
    label: str  # "works at" from the person's side, "employs" from the company's
    outgoing: bool


@dataclass(frozen=True)
class CustomValue:
    field: CustomField
    value: Any
    text: str


@dataclass
class PartyFile:
    """Everything the customer page shows of one record."""

    party: Party
    contact_points: list[ContactPoint]
    addresses: list[Address]
    tags: list[Tag]
    links: list[Link]
    custom_fields: list[CustomField]
    custom_values: list[CustomValue]
    sensitive: dict[str, Any] = field(default_factory=dict)  # the fields the actor may see, decrypted
    hidden_sensitive: list[str] = field(default_factory=list)  # set, but not for this actor's eyes

    @property
    def employers(self) -> list[Party]:
        return [link.other for link in self.links if link.outgoing and link.relationship.type.key == WORKS_AT]

    def points_of(self, kind: str) -> list[ContactPoint]:
        return [point for point in self.contact_points if point.kind == kind]


def relationships_of(actor: Actor, party: Party) -> list[Link]:
    """The party's links whose other end the actor may see, in one query."""
    to_visible = party_filter(actor, Action.VIEW, prefix="to_party__")
    from_visible = party_filter(actor, Action.VIEW, prefix="from_party__")
    condition = Q(pk__in=[])
    if to_visible is not None:
        condition |= Q(from_party=party) & to_visible
    if from_visible is not None:
        condition |= Q(to_party=party) & from_visible
    # The party's links are found through the two party indexes (a UNION): an OR of conditions on
    # both ends and their visibility would have SQLite walk the whole table without statistics.
    own = (
        Relationship.objects.filter(from_party=party)
        .order_by()
        .values("pk")
        .union(Relationship.objects.filter(to_party=party).order_by().values("pk"), all=True)
    )
    rows = (Relationship.objects.filter(condition, pk__in=own).select_related("type", "from_party", "to_party")
            .order_by("type__order", "pk")[:RELATIONSHIPS_SHOWN])  # fmt: skip
    links = []
    for relationship in rows:
        outgoing = relationship.from_party_id == party.pk
        other = relationship.to_party if outgoing else relationship.from_party
        label = relationship.type.label if outgoing else relationship.type.inverse_label
        links.append(Link(relationship=relationship, other=other, label=label, outgoing=outgoing))
    return links


def party_file(actor: Actor, party: Party) -> PartyFile:
    contact_points = list(ContactPoint.objects.filter(party=party).order_by("kind", "-is_primary", "pk"))
    addresses = list(Address.objects.filter(party=party).order_by("-is_primary", "pk"))
    tags = list(Tag.objects.filter(parties=party).order_by("name"))
    custom_fields = list(CustomField.objects.filter(kind=party.kind, is_active=True).order_by("order", "pk"))
    custom_values = [
        CustomValue(field=definition, value=party.custom.get(definition.key),
                    text=display_value(definition, party.custom.get(definition.key)))
        for definition in custom_fields if party.custom.get(definition.key) not in (None, "", [])
    ]  # fmt: skip
    allowed = sensitive_fields_for(actor, party.kind) if party.kind != Party.Kind.COMPANY else frozenset()
    shown = {name: sensitive.read(party, name) for name in sorted(allowed)}
    hidden = [name for name, column in sensitive.COLUMNS.items() if name not in allowed and getattr(party, column)]
    return PartyFile(party=party, contact_points=contact_points, addresses=addresses, tags=tags,
                     links=relationships_of(actor, party), custom_fields=custom_fields,
                     custom_values=custom_values, sensitive=shown, hidden_sensitive=hidden)  # fmt: skip


def access_relationship(actor: Actor, relationship_id: Any) -> Relationship:
    """The link ``relationship_id`` if the actor may see both its ends (one query); 404 otherwise."""
    from_visible = party_filter(actor, Action.VIEW, prefix="from_party__")
    to_visible = party_filter(actor, Action.VIEW, prefix="to_party__")
    if from_visible is None or to_visible is None:
        raise PermissionDenied
    found = (Relationship.objects.select_related("type", "from_party", "to_party")
             .filter(from_visible, to_visible, pk=relationship_id).first())  # fmt: skip
    if found is None:
        raise Http404
    return found


def relationship_types_for(party: Party) -> QuerySet[RelationshipType]:
    """Active types that may start or end at a party of this kind."""
    kind = party.kind
    return RelationshipType.objects.filter(
        Q(from_kind__in=["", kind]) | Q(to_kind__in=["", kind]), is_active=True
    ).order_by("order", "name")


# The relationship graph ----------------------------------------------------------------------------
@dataclass(frozen=True)
class GraphNode:
    x: float
    y: float
    label: str
    kind: str
    edge_label: str
    label_x: float
    label_y: float
    edge_x: float
    edge_y: float
    anchor: str


@dataclass(frozen=True)
class Graph:
    width: int
    height: int
    top: int
    center_x: float
    center_y: float
    center_label: str
    nodes: list[GraphNode]
    more: int


def _short(text: str, length: int = 18) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def relationship_graph(party: Party, links: list[Link], *, rtl: bool) -> Graph | None:
    """Positions for a small star graph: the party in the centre, related parties on an ellipse."""
    if not links:
        return None
    shown = links[:GRAPH_NODES]
    width, height = 560, 360 if len(shown) > 2 else 240
    center_x, center_y = width / 2, height / 2
    radius_x, radius_y = width / 2 - 100, height / 2 - 45
    nodes = []
    for index, link in enumerate(shown):
        # Start at the top and go clockwise (counter-clockwise in right-to-left reading).
        angle = -math.pi / 2 + 2 * math.pi * index / len(shown) + (math.pi / len(shown) if len(shown) == 2 else 0)
        if rtl:
            angle = math.pi - angle
        x = center_x + radius_x * math.cos(angle)
        y = center_y + radius_y * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        label_x = x + (0 if anchor == "middle" else (14 if cos > 0 else -14))
        if rtl and anchor != "middle":  # with direction="rtl", "start" is the right-hand end of the text
            anchor = "end" if anchor == "start" else "start"
        label_y = y + (26 if abs(cos) < 0.3 and math.sin(angle) > 0 else (-16 if abs(cos) < 0.3 else 5))
        nodes.append(GraphNode(
            x=round(x, 1), y=round(y, 1), label=_short(link.other.name), kind=link.other.kind,
            edge_label=_short(link.label, 20), label_x=round(label_x, 1), label_y=round(label_y, 1),
            edge_x=round((x + center_x) / 2, 1), edge_y=round((y + center_y) / 2 - 4, 1), anchor=anchor,
        ))  # fmt: skip
    # Fit the drawing to what is drawn: with few links the ellipse's lower half stays empty.
    top = min([center_y - 24, *(node.label_y - 18 for node in nodes), *(node.y - 14 for node in nodes)])
    bottom = max([center_y + 44, *(node.label_y + 8 for node in nodes), *(node.y + 14 for node in nodes)])
    return Graph(width=width, height=round(bottom - top), top=round(top), center_x=center_x, center_y=center_y,
                 center_label=_short(party.name), nodes=nodes, more=len(links) - len(shown))  # fmt: skip
