"""Logging, changing and deleting interactions, and the channels administrators keep.

Every interaction keeps its party's figures (first and last contact, number of interactions,
last activity) and the party's tally per channel true. Logging changes them with conditional
``UPDATE``s and ``F()`` expressions, so two interactions logged at once both count; changing or
deleting one recomputes the figures of that party exactly, with the party's row locked first, so
that a log running at the same moment either waits or is counted after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Max, Min, Q, Sum, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.accounts import audit, mentions
from peyvand.accounts.models import AuditEvent, Team, User
from peyvand.accounts.permissions import Action
from peyvand.contacts.access import can_party
from peyvand.contacts.models import Party
from peyvand.timeline.access import can_see_interactions
from peyvand.timeline.models import Channel, ChannelTally, Interaction

# What the audit trail keeps of free text (subject, content): that it was set or changed, never
# the words, which may name people and must disappear when a customer is erased.
HIDDEN = "••••"
AUDIT_FIELDS = ["channel", "kind", "direction", "occurred_at", "duration_seconds", "cost", "owner", "party",
                "related", "source_system", "external_id", "subject", "content"]  # fmt: skip
EDITABLE_FIELDS = ("channel", "kind", "direction", "occurred_at", "subject", "content", "duration_seconds", "cost")
CHANNEL_FIELDS = ("key", "name", "name_en", "icon", "cost_per_contact", "order", "is_active")


# Interactions ---------------------------------------------------------------------------------
def _audit_values(interaction: Interaction) -> dict[str, Any]:
    related = f"{interaction.related_type_id}:{interaction.related_id}" if interaction.related_id else ""
    return {
        "channel": interaction.channel.key, "kind": interaction.kind, "direction": interaction.direction,
        "occurred_at": interaction.occurred_at.isoformat(), "duration_seconds": interaction.duration_seconds,
        "cost": interaction.cost, "owner": interaction.owner.get_username() if interaction.owner else "",
        "party": interaction.party_id, "related": related, "source_system": interaction.source_system,
        "external_id": interaction.external_id,
        "subject": HIDDEN if interaction.subject else "", "content": HIDDEN if interaction.content else "",
    }  # fmt: skip


def _audit_label(interaction: Interaction) -> str:
    return f"{interaction.get_kind_display()} #{interaction.pk}"


def _validate(values: dict[str, Any], *, new_channel: bool = True) -> None:
    errors: dict[str, list[str]] = {}
    channel = values["channel"]
    if new_channel and not channel.is_active:
        errors["channel"] = [_("This channel is no longer in use. Choose another one.")]
    if values["kind"] not in Interaction.Kind.values:
        errors["kind"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Interaction.Kind.values)}]
    if values["direction"] not in Interaction.Direction.values:
        errors["direction"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Interaction.Direction.values)}]
    if len(values["subject"]) > 300:
        errors["subject"] = [_("Enter at most %(count)s characters.") % {"count": 300}]
    if not values["subject"].strip() and not values["content"].strip():
        errors["subject"] = [_("Write a subject or some content.")]
    for name in ("duration_seconds", "cost"):
        if values.get(name) is not None and values[name] < 0:
            errors[name] = [_("Enter a number no smaller than %(limit)s.") % {"limit": 0}]
    if errors:
        raise ValidationError(errors)


def _default_team(user: User | None) -> Team | None:
    if user is None or not user.is_authenticated:
        return None
    return user.teams.filter(is_active=True).order_by("path").first()


@transaction.atomic
def interaction_push(
    *,
    actor: User | None,
    party: Party,
    channel: Channel,
    kind: str,
    direction: str,
    occurred_at: dt.datetime,
    subject: str,
    content: str,
    duration_seconds: int | None = None,
    owner: User | None = None,
    related: models.Model | None = None,
    cost: int | None = None,
    source_system: str = "",
    external_id: str = "",
) -> tuple[Interaction, bool]:
    """:func:`interaction_log`, also telling whether the interaction is new (``False``: it was there)."""
    if external_id:
        existing = Interaction.objects.filter(source_system=source_system, external_id=external_id).first()
        if existing is not None:
            return existing, False
    owner = owner if owner is not None else (actor if actor is not None and actor.is_authenticated else None)
    values = {"channel": channel, "kind": kind, "direction": direction, "subject": subject.strip(),
              "content": content.strip(), "duration_seconds": duration_seconds, "cost": cost}  # fmt: skip
    _validate(values)
    interaction = Interaction(
        party=party, owner=owner, team=_default_team(owner), occurred_at=occurred_at,
        cost=channel.cost_per_contact if cost is None else cost, source_system=source_system,
        external_id=external_id, **{name: value for name, value in values.items() if name != "cost"},
    )  # fmt: skip
    if related is not None:
        interaction.related_type = ContentType.objects.get_for_model(related)
        interaction.related_id = related.pk
    try:
        with transaction.atomic():
            interaction.save()
    except IntegrityError:
        # Pushed twice at the same moment: the other push won; answer with its interaction.
        existing = Interaction.objects.filter(source_system=source_system, external_id=external_id).first()
        if external_id and existing is not None:
            return existing, False
        raise
    _count_in(party_id=party.pk, channel_id=channel.pk, at=occurred_at)
    audit.record(actor=actor, kind=AuditEvent.Kind.CREATE, instance=interaction, object_label=_audit_label(interaction),
                 changes=audit.diff({}, _audit_values(interaction)))  # fmt: skip
    party.refresh_from_db(fields=["first_contact_at", "last_contact_at", "interaction_count", "active_at"])
    tell_mentioned(actor, interaction, f"{interaction.subject}\n{interaction.content}")
    return interaction, True


def tell_mentioned(actor: User | None, interaction: Interaction, text: str, *, since: str = "") -> list[User]:
    """Tell the colleagues ``text`` newly mentions with @username, if they may see the interaction
    (its customer, and interactions); returns those who may not, who were not told."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        return []
    told = mentions.tell_mentioned(
        actor=actor, text=text, since=since, body=interaction.content or interaction.subject,
        url=reverse("timeline:interaction_detail", args=[interaction.pk]),
        may_see=lambda user: can_see_interactions(user) and can_party(user, interaction.party, Action.VIEW),
        title=lambda user: _("%(name)s mentioned you on %(customer)s's timeline") % {
            "name": actor.get_full_name() or actor.get_username(), "customer": interaction.party.name},
    )  # fmt: skip
    return told.not_told


def interaction_log(
    *,
    actor: User | None,
    party: Party,
    channel: Channel,
    kind: str,
    direction: str,
    occurred_at: dt.datetime,
    subject: str,
    content: str,
    duration_seconds: int | None = None,
    owner: User | None = None,
    related: models.Model | None = None,
    cost: int | None = None,
    source_system: str = "",
    external_id: str = "",
) -> Interaction:
    """Record one touchpoint with ``party``.

    ``cost`` defaults to the channel's cost per contact, ``owner`` to the actor. With an
    ``external_id``, logging the same (``source_system``, ``external_id``) again returns the
    interaction already there and changes nothing. Raises ``ValidationError`` keyed by field.
    """
    interaction, _created = interaction_push(
        actor=actor, party=party, channel=channel, kind=kind, direction=direction, occurred_at=occurred_at,
        subject=subject, content=content, duration_seconds=duration_seconds, owner=owner, related=related,
        cost=cost, source_system=source_system, external_id=external_id,
    )  # fmt: skip
    return interaction


def _earlier(field: str, at: dt.datetime) -> Case:
    return Case(When(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": at}), then=Value(at)), default=F(field))


def _later(field: str, at: dt.datetime) -> Case:
    return Case(When(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": at}), then=Value(at)), default=F(field))


def _count_in(*, party_id: int, channel_id: int, at: dt.datetime) -> None:
    """One more interaction at ``at``: conditional updates, no read-modify-write."""
    Party.objects.filter(pk=party_id).update(
        interaction_count=F("interaction_count") + 1, first_contact_at=_earlier("first_contact_at", at),
        last_contact_at=_later("last_contact_at", at), active_at=_later("active_at", at),
    )  # fmt: skip
    tally = ChannelTally.objects.filter(party_id=party_id, channel_id=channel_id)
    increment = {"count": F("count") + 1, "first_at": _earlier("first_at", at), "last_at": _later("last_at", at)}
    if tally.update(**increment):
        return
    try:
        with transaction.atomic():
            ChannelTally.objects.create(party_id=party_id, channel_id=channel_id, count=1, first_at=at, last_at=at)
    except IntegrityError:  # created by another log in the meantime
        tally.update(**increment)


def _lock_party(party_id: int) -> None:
    """Hold the party's row until the transaction ends, so figures recomputed now stay right."""
    list(Party.objects.select_for_update().filter(pk=party_id).values_list("pk", flat=True))


def recompute_figures(*, party_id: int, channel_ids: Iterable[int] = ()) -> None:
    """Recount the party's tallies of ``channel_ids`` from its interactions, then its figures from its tallies."""
    for channel_id in set(channel_ids):
        totals = Interaction.objects.filter(party_id=party_id, channel_id=channel_id).aggregate(
            count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at")
        )
        if totals["count"]:
            ChannelTally.objects.update_or_create(
                party_id=party_id, channel_id=channel_id,
                defaults={"count": totals["count"], "first_at": totals["first"], "last_at": totals["last"]},
            )  # fmt: skip
        else:
            ChannelTally.objects.filter(party_id=party_id, channel_id=channel_id).delete()
    totals = ChannelTally.objects.filter(party_id=party_id).aggregate(
        count=Sum("count"), first=Min("first_at"), last=Max("last_at")
    )
    last = totals["last"]
    active_at: Any = F("created_at")
    if last is not None:
        active_at = Case(When(created_at__lt=last, then=Value(last)), default=F("created_at"))
    Party.objects.filter(pk=party_id).update(
        interaction_count=totals["count"] or 0, first_contact_at=totals["first"], last_contact_at=last,
        active_at=active_at,
    )  # fmt: skip


@transaction.atomic
def interaction_update(*, actor: User | None, interaction: Interaction, **changes: Any) -> Interaction:
    """Change an interaction: any of channel, kind, direction, occurred_at, subject, content,
    duration_seconds, cost (``None``: the channel's cost per contact). The party's figures and
    tallies follow exactly."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    assert not unknown, f"not editable: {sorted(unknown)}"
    _lock_party(interaction.party_id)
    before = _audit_values(interaction)
    old_texts = {"subject": interaction.subject, "content": interaction.content}
    old_channel_id = interaction.channel_id
    values = {name: changes.get(name, getattr(interaction, name)) for name in EDITABLE_FIELDS}
    values["subject"], values["content"] = (values["subject"] or "").strip(), (values["content"] or "").strip()
    # A channel deactivated since stays acceptable on the interactions already logged on it.
    _validate(values, new_channel=values["channel"].pk != old_channel_id)
    for name, value in values.items():
        setattr(interaction, name, value)
    if values["cost"] is None:
        interaction.cost = interaction.channel.cost_per_contact
    interaction.save()
    recompute_figures(party_id=interaction.party_id, channel_ids={old_channel_id, interaction.channel_id})
    after = _audit_values(interaction)
    for name, old_text in old_texts.items():
        if old_text and getattr(interaction, name) and old_text != getattr(interaction, name):
            after[name] = HIDDEN + " "  # rewritten: recorded as a change, without either text
    differences = audit.diff(before, after)
    if differences:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=interaction,
                     object_label=_audit_label(interaction), changes=differences)  # fmt: skip
    tell_mentioned(actor, interaction, f"{interaction.subject}\n{interaction.content}",
                   since=f"{old_texts['subject']}\n{old_texts['content']}")  # fmt: skip
    return interaction


@transaction.atomic
def interaction_delete(*, actor: User | None, interaction: Interaction) -> None:
    """Delete an interaction; the party's figures and the tally of its channel are recounted."""
    _lock_party(interaction.party_id)
    party_id, channel_id = interaction.party_id, interaction.channel_id
    audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, instance=interaction, object_label=_audit_label(interaction),
                 changes=audit.diff(_audit_values(interaction), {}))  # fmt: skip
    interaction.delete()
    recompute_figures(party_id=party_id, channel_ids={channel_id})


# Channels ---------------------------------------------------------------------------------------
def _channel_snapshot(channel: Channel) -> dict[str, Any]:
    return audit.snapshot(channel, list(CHANNEL_FIELDS))


def _check_channel_key(key: str, channel: Channel | None = None) -> None:
    taken = Channel.objects.filter(key=key)
    if channel is not None:
        taken = taken.exclude(pk=channel.pk)
    if taken.exists():
        raise ValidationError({"key": [_("Another channel already has this key.")]})


@transaction.atomic
def channel_create(*, actor: User | None, key: str, name: str, name_en: str = "", icon: str = "channel",
                   cost_per_contact: int = 0, order: int = 100, is_active: bool = True) -> Channel:  # fmt: skip
    """A new channel; ``cost_per_contact`` in Rial is copied onto each interaction logged on it."""
    _check_channel_key(key)
    channel = Channel.objects.create(key=key, name=name.strip(), name_en=name_en.strip(), icon=icon or "channel",
                                     cost_per_contact=cost_per_contact, order=order, is_active=is_active)  # fmt: skip
    audit.record(actor=actor, kind=AuditEvent.Kind.CREATE, instance=channel,
                 changes=audit.diff({}, _channel_snapshot(channel)))  # fmt: skip
    return channel


@transaction.atomic
def channel_update(*, actor: User | None, channel: Channel, **changes: Any) -> Channel:
    """Change a channel. A new cost applies to interactions logged from now on; the past keeps its cost."""
    unknown = set(changes) - set(CHANNEL_FIELDS)
    assert not unknown, f"not editable: {sorted(unknown)}"
    if "key" in changes:
        _check_channel_key(changes["key"], channel)
    before = _channel_snapshot(channel)
    for name, value in changes.items():
        setattr(channel, name, value.strip() if isinstance(value, str) and name != "icon" else value)
    channel.icon = channel.icon or "channel"
    channel.save()
    differences = audit.diff(before, _channel_snapshot(channel))
    if differences:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=channel, changes=differences)
    return channel


def channel_deactivate(*, actor: User | None, channel: Channel) -> Channel:
    """Offer the channel no more for new interactions; those logged on it stay as they were."""
    return channel_update(actor=actor, channel=channel, is_active=False)
