from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from peyvand.accounts.models import AuditEvent
from peyvand.contacts.models import Party
from peyvand.timeline import services
from peyvand.timeline.models import ChannelTally, Interaction
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory, channel

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 21, 9, 30, tzinfo=dt.UTC)


def _at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def _tallies(party: Party) -> dict[str, tuple[int, dt.datetime, dt.datetime]]:
    return {t.channel.key: (t.count, t.first_at, t.last_at) for t in ChannelTally.objects.filter(party=party)}


def _figures(party: Party) -> tuple[int, dt.datetime | None, dt.datetime | None, dt.datetime]:
    party.refresh_from_db()
    return party.interaction_count, party.first_contact_at, party.last_contact_at, party.active_at


def _log(party: Party, at: dt.datetime, key: str = "phone", **values: object) -> Interaction:
    arguments = {"actor": None, "party": party, "channel": channel(key), "kind": "call", "direction": "inbound",
                 "occurred_at": at, "subject": "Asked about prices", "content": "", **values}  # fmt: skip
    return services.interaction_log(**arguments)  # type: ignore[arg-type]


def test_logging_costs_what_the_channel_costs_and_belongs_to_the_actor_and_their_team() -> None:
    # Given a store visit costs 250,000 Rial and Sara works in the Tehran branch
    tehran = TeamFactory(name="Tehran")
    sara = UserFactory(username="sara", teams=[tehran])
    store = channel("store", cost_per_contact=250_000)
    party = PersonFactory()

    # When she logs a visit
    interaction = services.interaction_log(
        actor=sara, party=party, channel=store, kind="visit", direction="inbound", occurred_at=T0,
        subject="  Came to see the new tiles ", content="Wants samples.\nCalls back Monday.",
    )  # fmt: skip

    # Then it costs the channel's cost per contact and is hers, in her team
    interaction.refresh_from_db()
    assert (interaction.cost, interaction.owner, interaction.team) == (250_000, sara, tehran)
    assert interaction.subject == "Came to see the new tiles"
    assert interaction.content == "Wants samples.\nCalls back Monday."
    # And a later price change leaves it as it was
    services.channel_update(actor=None, channel=store, cost_per_contact=300_000)
    interaction.refresh_from_db()
    assert interaction.cost == 250_000


def test_an_explicit_cost_and_owner_win() -> None:
    owner = UserFactory()
    interaction = _log(PersonFactory(), T0, cost=12_000, owner=owner)
    assert (interaction.cost, interaction.owner) == (12_000, owner)


def test_logging_keeps_the_partys_figures_and_tallies() -> None:
    # Given a person created at T0
    party = PersonFactory()
    Party.objects.filter(pk=party.pk).update(created_at=T0, active_at=T0)

    # When three interactions are logged, out of order, on two channels
    _log(party, _at(5))
    _log(party, _at(2), "email")
    _log(party, _at(-3))

    # Then the figures and the tallies are exact
    assert _figures(party) == (3, _at(-3), _at(5), _at(5))
    assert _tallies(party) == {"phone": (2, _at(-3), _at(5)), "email": (1, _at(2), _at(2))}


def test_logging_refreshes_the_given_party_instance() -> None:
    party = PersonFactory()
    _log(party, T0)
    assert (party.interaction_count, party.first_contact_at, party.last_contact_at) == (1, T0, T0)


def test_a_repeated_push_returns_the_interaction_already_there_and_changes_nothing() -> None:
    # Given an interaction pushed by the call centre's PBX
    party = PersonFactory()
    first, created = services.interaction_push(
        actor=None, party=party, channel=channel("phone"), kind="call", direction="inbound", occurred_at=T0,
        subject="Incoming call", content="", duration_seconds=95, source_system="pbx", external_id="call-77",
    )  # fmt: skip
    events = AuditEvent.objects.count()

    # When the PBX sends it again, even with other values
    again, created_again = services.interaction_push(
        actor=None, party=party, channel=channel("email"), kind="email", direction="outbound", occurred_at=_at(1),
        subject="Something else", content="", source_system="pbx", external_id="call-77",
    )  # fmt: skip

    # Then the first one is returned and nothing changed
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Interaction.objects.count() == 1
    assert AuditEvent.objects.count() == events
    assert _figures(party)[:3] == (1, T0, T0)
    assert _tallies(party) == {"phone": (1, T0, T0)}


def test_the_same_external_id_from_another_system_is_another_interaction() -> None:
    party = PersonFactory()
    _log(party, T0, source_system="pbx", external_id="1")
    _log(party, T0, source_system="webshop", external_id="1")
    _log(party, T0)
    _log(party, T0)
    assert Interaction.objects.filter(party=party).count() == 4


def test_bad_values_are_refused_by_field_and_write_nothing() -> None:
    party = PersonFactory()
    kiosk = channel("kiosk")
    services.channel_deactivate(actor=None, channel=kiosk)

    with pytest.raises(ValidationError) as error:
        _log(party, T0, "kiosk", kind="dance", direction="sideways", subject=" ", content="")

    assert sorted(error.value.message_dict) == ["channel", "direction", "kind", "subject"]
    assert error.value.message_dict["subject"] == ["Write a subject or some content."]
    assert Interaction.objects.count() == 0
    assert _figures(party)[:3] == (0, None, None)
    assert ChannelTally.objects.count() == 0


def test_logging_is_audited_without_the_words() -> None:
    # Given Sara
    sara = UserFactory(username="sara")

    # When she logs a call whose subject names someone
    interaction = _log(PersonFactory(), T0, actor=sara, subject="Reza Moradi called", content="About Reza's order")

    # Then the audit entry says who, what and when, but keeps no word of the text
    event = AuditEvent.objects.get(object_type="timeline.interaction", object_id=str(interaction.pk))
    assert (event.kind, event.actor_label) == ("create", "sara")
    assert event.object_label == f"Call #{interaction.pk}"
    assert event.changes["subject"] == [None, "••••"]
    assert event.changes["content"] == [None, "••••"]
    assert event.changes["channel"] == [None, "phone"]
    assert "Reza" not in str(event.changes)


def test_editing_the_time_and_channel_recounts_the_figures_and_both_tallies() -> None:
    # Given two calls and an email
    party = PersonFactory()
    Party.objects.filter(pk=party.pk).update(created_at=_at(-100), active_at=_at(-100))
    early = _log(party, _at(-3))
    _log(party, _at(5))
    _log(party, _at(2), "email")

    # When the earliest call turns out to have been an email, a day later than logged
    services.interaction_update(actor=None, interaction=early, channel=channel("email"), occurred_at=_at(21))

    # Then the tallies of both channels and the party's figures follow exactly
    assert _tallies(party) == {"phone": (1, _at(5), _at(5)), "email": (2, _at(2), _at(21))}
    assert _figures(party) == (3, _at(2), _at(21), _at(21))


def test_editing_is_audited_with_what_changed_and_no_text() -> None:
    interaction = _log(PersonFactory(), T0, subject="Price list", content="")
    sara = UserFactory(username="sara")

    services.interaction_update(actor=sara, interaction=interaction, subject="Price list for Ali", kind="meeting")

    event = AuditEvent.objects.get(object_type="timeline.interaction", kind="update")
    assert event.changes == {"kind": ["call", "meeting"], "subject": ["••••", "•••• "]}


def test_an_edit_that_changes_nothing_writes_no_audit_entry() -> None:
    interaction = _log(PersonFactory(), T0)
    services.interaction_update(actor=None, interaction=interaction, subject=interaction.subject)
    assert AuditEvent.objects.filter(object_type="timeline.interaction", kind="update").count() == 0


def test_an_interaction_on_a_channel_deactivated_since_can_still_be_edited() -> None:
    interaction = _log(PersonFactory(), T0, "kiosk")
    services.channel_deactivate(actor=None, channel=channel("kiosk"))

    services.interaction_update(actor=None, interaction=interaction, content="Card was swallowed")

    interaction.refresh_from_db()
    assert (interaction.channel.key, interaction.content) == ("kiosk", "Card was swallowed")


def test_deleting_recounts_and_drops_an_empty_tally() -> None:
    # Given a person with a call and an email
    party = PersonFactory()
    created = Party.objects.get(pk=party.pk).created_at
    call = _log(party, _at(-3))
    email = _log(party, _at(2), "email")

    # When the email is deleted
    services.interaction_delete(actor=None, interaction=email)

    # Then only the call counts, and the email channel has no tally any more
    assert _tallies(party) == {"phone": (1, _at(-3), _at(-3))}
    assert _figures(party) == (1, _at(-3), _at(-3), max(created, _at(-3)))

    # And deleting the last one empties the figures; last activity falls back to the creation
    services.interaction_delete(actor=None, interaction=call)
    assert _tallies(party) == {}
    assert _figures(party) == (0, None, None, created)
    assert AuditEvent.objects.filter(object_type="timeline.interaction", kind="delete").count() == 2


def test_channel_services_are_audited() -> None:
    admin = UserFactory(username="admin")

    kiosk = services.channel_create(actor=admin, key="bank-kiosk", name="کیوسک بانک", name_en="Bank kiosk",
                                    icon="kiosk", cost_per_contact=5_000)  # fmt: skip
    services.channel_update(actor=admin, channel=kiosk, cost_per_contact=7_500)
    services.channel_deactivate(actor=admin, channel=kiosk)

    events = list(AuditEvent.objects.filter(object_type="timeline.channel").order_by("pk"))
    assert [event.kind for event in events] == ["create", "update", "update"]
    assert events[1].changes == {"cost_per_contact": [5_000, 7_500]}
    assert events[2].changes == {"is_active": [True, False]}


def test_a_channel_key_is_unique() -> None:
    channel("phone")
    with pytest.raises(ValidationError) as error:
        services.channel_create(actor=None, key="phone", name="تلفن دوم")
    assert error.value.message_dict == {"key": ["Another channel already has this key."]}


def test_factory_logs_through_the_service() -> None:
    interaction = InteractionFactory(occurred_at=timezone.now())
    assert interaction.party.interaction_count == 1
