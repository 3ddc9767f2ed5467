"""Reading interactions: a party's timeline (interactions and changes to the record, merged) and
the list the API offers.

A timeline page costs two queries however long the timeline is: the next ``limit + 1``
interactions and the next ``limit + 1`` changes, each from an index, merged here. Entries are
ordered newest first by (time, source, id); the cursor holds the last entry's three values, so
entries at the same moment are neither repeated nor skipped by "load more".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Action
from peyvand.contacts.access import SENSITIVE_FIELDS, can_party, party_filter
from peyvand.contacts.models import Party
from peyvand.contacts.services.relationships import RELATIONSHIP_PARTY
from peyvand.timeline.access import can_see_interactions, visible_interactions
from peyvand.timeline.models import Channel, ChannelTally, Interaction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

    Actor = User | AnonymousUser

PARTY_OBJECT_TYPE = "contacts.party"
INTERACTION = "interaction"
CHANGE = "change"
# At the same moment an interaction comes before a change to the record (a larger rank is newer).
_RANK = {INTERACTION: 1, CHANGE: 0}
_SALT = "peyvand.timeline"
# A kind filter that keeps only the changes to the record.
CHANGES_ONLY = "changes"
_HIDDEN_MARK = "••••"
_VALUE_LENGTH = 120


class InvalidTimelineCursor(ValueError):  # noqa: N818 - read like the pagination's InvalidCursor
    pass


@dataclass(frozen=True)
class FieldChange:
    """One field of a change to a record, as a person reads it; ``hidden`` values are never shown."""

    field: str
    label: str
    old: str
    new: str
    hidden: bool = False
    # A value of its own (a note, a request), not a change from one value to another.
    single: bool = False


@dataclass(frozen=True)
class TimelineEntry:
    source: str  # INTERACTION or CHANGE
    at: dt.datetime
    id: int
    interaction: Interaction | None = None
    event: AuditEvent | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.source}-{self.id}"


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str | None


# Cursors ----------------------------------------------------------------------------------------
def _encode(party_id: int, entry: TimelineEntry) -> str:
    return signing.dumps({"p": party_id, "t": entry.at.isoformat(), "s": entry.source, "i": entry.id}, salt=_SALT)


def _decode(cursor: str, party_id: int) -> tuple[dt.datetime, str, int]:
    try:
        data = signing.loads(cursor, salt=_SALT)
        if isinstance(data, dict) and data.get("p") == party_id and data.get("s") in _RANK:
            return dt.datetime.fromisoformat(data["t"]), data["s"], int(data["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        pass
    raise InvalidTimelineCursor("cursor")


def _after(cursor: tuple[dt.datetime, str, int] | None, source: str, time_field: str) -> Q:
    """The rows of ``source`` that come after the cursor in (time, rank, id) descending order."""
    if cursor is None:
        return Q()
    at, cursor_source, pk = cursor
    before = Q(**{f"{time_field}__lt": at})
    if _RANK[source] < _RANK[cursor_source]:  # at the cursor's moment, this source comes later
        return before | Q(**{time_field: at})
    if _RANK[source] > _RANK[cursor_source]:  # at the cursor's moment, this source came earlier
        return before
    return before | Q(**{time_field: at, "pk__lt": pk})


# The timeline -----------------------------------------------------------------------------------
def party_timeline(*, actor: Actor, party: Party, channel: Channel | None = None, kind: str | None = None,
                   include_changes: bool = True, cursor: str | None = None, limit: int = 30) -> TimelinePage:  # fmt: skip
    """One page of the party's timeline, newest first: its interactions (for those who may see
    interactions) and the creation of and changes to its record. A channel or an interaction kind
    keeps only interactions; ``kind="changes"`` only changes. Two queries.

    Raises ``InvalidTimelineCursor`` for a cursor that was altered or made for another party.
    """
    assert limit > 0, limit
    if not can_party(actor, party, Action.VIEW):
        raise PermissionDenied
    position = _decode(cursor, party.pk) if cursor else None
    candidates: list[TimelineEntry] = []
    if can_see_interactions(actor) and kind != CHANGES_ONLY:
        interactions = Interaction.objects.filter(party=party).select_related("channel", "owner")
        if channel is not None:
            interactions = interactions.filter(channel=channel)
        if kind:
            interactions = interactions.filter(kind=kind)
        rows = interactions.filter(_after(position, INTERACTION, "occurred_at")).order_by("-occurred_at", "-pk")
        for row in rows[: limit + 1]:
            row.party = party  # known already: no join, and no query per entry
            candidates.append(TimelineEntry(INTERACTION, row.occurred_at, row.pk, interaction=row))
    if include_changes and channel is None and kind in (None, "", CHANGES_ONLY):
        events = AuditEvent.objects.filter(object_type=PARTY_OBJECT_TYPE, object_id=str(party.pk))
        events = events.filter(_after(position, CHANGE, "at")).order_by("-at", "-pk")
        events = events.annotate(other_party_seen=_relationship_party_seen(actor))
        candidates += [TimelineEntry(CHANGE, event.at, event.pk, event=event,
                                     changes=describe_changes(event, other_seen=getattr(event, "other_party_seen")))  # noqa: B009
                       for event in events[: limit + 1]]  # fmt: skip
    candidates.sort(key=lambda entry: (entry.at, _RANK[entry.source], entry.id), reverse=True)
    entries = candidates[:limit]
    next_cursor = _encode(party.pk, entries[-1]) if len(candidates) > limit else None
    return TimelinePage(entries=entries, next_cursor=next_cursor)


# Changes to the record, readable ----------------------------------------------------------------
def _labels() -> dict[str, str]:
    return {
        "phones": _("Phone numbers"), "emails": _("Email addresses"), "websites": _("Websites"),
        "socials": _("Social media"), "addresses": _("Addresses"), "tags": _("Tags"),
        "custom": _("Custom fields"), "merged": _("Merged"), "relationship": _("Relationship"),
        "merged_with": _("Merged with"), "merge_choices": _("Taken from the duplicate"), "moved": _("Moved"),
        "works_at": _("Works at"), "conversion": _("Lead conversion"), "reason": _("Reason"), "removed": _("Removed"),
        # Internal workflow's entries (activities.workflow): hand-offs and approval requests.
        "handed_to": _("Handed over"), "note": _("Note"), "approval": _("Request"), "approver": _("Approver"),
        "details": _("Details"), "comment": _("Comment"),
    }  # fmt: skip


def _field_label(name: str) -> str:
    if name in _labels():
        return _labels()[name]
    try:
        label = str(getattr(Party._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _display(name: str, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return Truncator("، ".join(_display(name, item) for item in value)).chars(_VALUE_LENGTH)
    if isinstance(value, dict):
        return Truncator("; ".join(f"{key}: {_display(key, item)}" for key, item in value.items())).chars(_VALUE_LENGTH)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    try:
        choices = dict(Party._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
    except (FieldDoesNotExist, AttributeError):
        choices = {}
    return Truncator(str(choices.get(value, value))).chars(_VALUE_LENGTH)


def _is_hidden(name: str, value: Any) -> bool:
    if name in SENSITIVE_FIELDS or name.endswith(("_encrypted", "_hash")):
        return True
    values = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and _HIDDEN_MARK in item for item in values)


def _relationship_party_seen(actor: Actor) -> Exists | Value:
    """Whether the other end of an event's relationship change is a party ``actor`` may see, in the
    events' own query (so a timeline page's query count does not depend on what it shows)."""
    other = Cast(KeyTextTransform(RELATIONSHIP_PARTY, OuterRef("changes")), models.BigIntegerField())
    condition = party_filter(actor)
    if condition is None:
        return Value(False)
    return Exists(Party.objects.filter(condition, pk=other))


def describe_changes(event: AuditEvent, *, other_seen: bool = True) -> list[FieldChange]:
    """The event's changes as labelled old → new texts. Sensitive fields say only that they changed;
    a relationship change does not name the other party unless ``other_seen``.

    A creation lists nothing (its "changes" are the record's first values, shown on the page itself).
    """
    if event.kind == AuditEvent.Kind.CREATE or not isinstance(event.changes, Mapping):
        return []
    rows = []
    for name, value in sorted(event.changes.items()):
        if name == RELATIONSHIP_PARTY:
            continue
        single = not (isinstance(value, list) and len(value) == 2)
        pair = [None, value] if single else value
        if name == "relationship" and RELATIONSHIP_PARTY in event.changes and not other_seen:
            pair = [_unnamed(item) for item in pair]
        if _is_hidden(name, pair):
            rows.append(FieldChange(field=name, label=_field_label(name), old="", new="", hidden=True))
        else:
            rows.append(FieldChange(field=name, label=_field_label(name), old=_display(name, pair[0]),
                                    new=_display(name, pair[1]), single=single))  # fmt: skip
    return rows


def _unnamed(text: Any) -> Any:
    """ "works at: Pars Trading" → "works at: a record you may not see"."""
    if not isinstance(text, str) or not text:
        return text
    reading, _colon, _name = text.partition(": ")
    return _("%(relationship)s: a record you may not see") % {"relationship": reading}


# Lists ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InteractionFilters:
    party_id: int | None = None
    channel: Channel | None = None
    kind: str = ""
    owner_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def interaction_list(*, actor: Actor, filters: InteractionFilters) -> models.QuerySet[Interaction]:
    """The interactions ``actor`` may see, narrowed by ``filters``; keyset-page it by ``-occurred_at``.

    ``since`` is inclusive, ``until`` exclusive.
    """
    interactions = visible_interactions(actor).select_related("party", "channel", "owner")
    if filters.party_id is not None:
        interactions = interactions.filter(party_id=filters.party_id)
    if filters.channel is not None:
        interactions = interactions.filter(channel=filters.channel)
    if filters.kind:
        interactions = interactions.filter(kind=filters.kind)
    if filters.owner_id is not None:
        interactions = interactions.filter(owner_id=filters.owner_id)
    if filters.since is not None:
        interactions = interactions.filter(occurred_at__gte=filters.since)
    if filters.until is not None:
        interactions = interactions.filter(occurred_at__lt=filters.until)
    return interactions


def channel_list(*, include_inactive: bool = False) -> models.QuerySet[Channel]:
    channels = Channel.objects.all()
    return channels if include_inactive else channels.filter(is_active=True)


@dataclass(frozen=True)
class ChannelCount:
    channel: Channel
    count: int
    first_at: dt.datetime
    last_at: dt.datetime


def channel_counts(*, party: Party) -> list[ChannelCount]:
    """How often the party was met on each channel, most used first: one query on its tallies."""
    tallies = ChannelTally.objects.filter(party=party).select_related("channel").order_by("-count", "channel__order")
    return [ChannelCount(tally.channel, tally.count, tally.first_at, tally.last_at) for tally in tallies]
