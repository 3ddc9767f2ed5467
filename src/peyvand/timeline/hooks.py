"""What the timeline does when the customer file merges, erases or exports a party.

Registered in ``contacts.registry.customer_file`` from ``shell.py``; the contacts app calls them
without knowing the timeline.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peyvand.contacts.models import Party
from peyvand.contacts.privacy_text import cut_mentions
from peyvand.timeline.models import ChannelTally, Interaction
from peyvand.timeline.services import recompute_figures

# What stands where an erased text was, so that the sentence around it still reads.
ERASED = "•••"


@transaction.atomic
def merge_channel_tallies(merged: Party, survivor: Party) -> int:
    """Add the merged party's tallies into the survivor's; returns how many tallies of the merged party were taken.

    The figures of the survivor (first and last contact, number of interactions) are recounted
    from the tallies, which by then hold both parties' interactions whether or not the merge has
    moved the interactions themselves yet.
    """
    list(Party.objects.select_for_update().filter(pk__in=[merged.pk, survivor.pk]).values_list("pk", flat=True))
    tallies = list(ChannelTally.objects.filter(party=merged))
    existing = {tally.channel_id: tally for tally in ChannelTally.objects.filter(party=survivor)}
    for tally in tallies:
        into = existing.get(tally.channel_id)
        if into is None:
            ChannelTally.objects.create(party=survivor, channel_id=tally.channel_id, count=tally.count,
                                        first_at=tally.first_at, last_at=tally.last_at)  # fmt: skip
        else:
            ChannelTally.objects.filter(pk=into.pk).update(
                count=into.count + tally.count, first_at=min(into.first_at, tally.first_at),
                last_at=max(into.last_at, tally.last_at),
            )  # fmt: skip
    ChannelTally.objects.filter(party=merged).delete()
    recompute_figures(party_id=survivor.pk)
    survivor.refresh_from_db(fields=["first_contact_at", "last_contact_at", "interaction_count", "active_at"])
    return len(tallies)


@transaction.atomic
def erase_interactions(party: Party, texts: list[str]) -> int:
    """Blank the subject and content of the party's interactions, and cut ``texts`` (its names,
    phones, emails) out of everyone else's; returns how many interactions were scrubbed."""
    scrubbed = Interaction.objects.filter(party=party).exclude(subject="", content="").update(subject="", content="")
    others = Interaction.objects.exclude(party=party)
    return scrubbed + cut_mentions(others, ("subject", "content"), texts, marker=ERASED)


def personal_data(party: Party) -> tuple[str, list[dict[str, Any]]]:
    """The party's interactions as plain JSON objects, oldest first, for a personal-data export."""
    rows = Interaction.objects.filter(party=party).select_related("channel", "owner").order_by("occurred_at", "pk")
    return "interactions", [
        {
            "occurred_at": interaction.occurred_at.isoformat(),
            "channel": interaction.channel.key,
            "channel_name": interaction.channel.label,
            "kind": interaction.kind,
            "direction": interaction.direction,
            "subject": interaction.subject,
            "content": interaction.content,
            "duration_seconds": interaction.duration_seconds,
            "cost": interaction.cost,
            "staff": interaction.owner.get_full_name() or interaction.owner.get_username() if interaction.owner else "",
            "source_system": interaction.source_system,
            "external_id": interaction.external_id,
        }
        for interaction in rows.iterator(chunk_size=2000)
    ]
