"""The timeline's part in merges, erasures and personal-data exports, through the customer file's registry."""

from __future__ import annotations

import datetime as dt

import pytest

from peyvand.contacts.models import Party
from peyvand.contacts.registry import customer_file
from peyvand.timeline.models import ChannelTally, Interaction
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory, channel

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 21, 9, 30, tzinfo=dt.UTC)


def _at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def test_a_merge_adds_the_merged_tallies_into_the_survivors_and_recounts_its_figures() -> None:
    # Given a survivor with two calls and a duplicate with a call and an email
    survivor, merged = PersonFactory(), PersonFactory()
    InteractionFactory(party=survivor, occurred_at=_at(1))
    InteractionFactory(party=survivor, occurred_at=_at(3))
    InteractionFactory(party=merged, occurred_at=_at(-2))
    InteractionFactory(party=merged, channel=channel("email"), occurred_at=_at(9))

    # When the merge moves the interactions and hands the tallies to the timeline
    Interaction.objects.filter(party=merged).update(party=survivor)
    moved = customer_file.merge_handlers["timeline.channeltally"](merged, survivor)

    # Then the survivor holds every tally and figure, and the merged party none
    assert moved == 2
    tallies = {t.channel.key: (t.count, t.first_at, t.last_at) for t in ChannelTally.objects.filter(party=survivor)}
    assert tallies == {"phone": (3, _at(-2), _at(3)), "email": (1, _at(9), _at(9))}
    assert ChannelTally.objects.filter(party=merged).count() == 0
    survivor = Party.objects.get(pk=survivor.pk)
    assert (survivor.interaction_count, survivor.first_contact_at, survivor.last_contact_at) == (4, _at(-2), _at(9))


def test_an_erasure_blanks_the_partys_interactions_and_cuts_its_names_out_of_others() -> None:
    # Given Reza's own interactions, and Sara's that mention him
    reza, sara = PersonFactory(first_name="Reza", last_name="Moradi"), PersonFactory()
    InteractionFactory(party=reza, subject="Reza Moradi called", content="Phone 0912 123 4567")
    kept = InteractionFactory(
        party=sara, subject="Referred by reza moradi", content="His number: ۰۹۱۲۱۲۳۴۵۶۷. Sara paid."
    )
    untouched = InteractionFactory(party=sara, subject="Paid the invoice")

    # When Reza is erased
    scrubbed = customer_file.erasure_handlers["timeline"](reza, ["Reza Moradi", "09121234567"])

    # Then his interactions are blank and others keep their text without his name or number
    assert scrubbed == 2
    assert list(Interaction.objects.filter(party=reza).values_list("subject", "content")) == [("", "")]
    kept.refresh_from_db()
    assert (kept.subject, kept.content) == ("Referred by •••", "His number: •••. Sara paid.")
    untouched.refresh_from_db()
    assert untouched.subject == "Paid the invoice"


def test_the_personal_data_export_lists_the_interactions_oldest_first() -> None:
    party = PersonFactory()
    InteractionFactory(party=party, occurred_at=_at(2), subject="Second", duration_seconds=60)
    InteractionFactory(party=party, channel=channel("store"), kind="visit", occurred_at=_at(1), subject="First")

    name, rows = customer_file.personal_data_providers["interactions"](party)

    assert name == "interactions"
    assert [(row["occurred_at"], row["channel"], row["kind"], row["subject"]) for row in rows] == [
        ("2025-03-22T09:30:00+00:00", "store", "visit", "First"),
        ("2025-03-23T09:30:00+00:00", "phone", "call", "Second"),
    ]
    assert rows[1]["duration_seconds"] == 60
