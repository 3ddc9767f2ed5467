"""Activities in the customer file's erasures and merges."""

from __future__ import annotations

import pytest

from peyvand.accounts.models import Notification
from peyvand.activities.models import Activity, ActivityParticipant
from peyvand.contacts.services.merge import party_merge
from peyvand.contacts.services.privacy import party_erase, personal_data
from tests.accounts.factories import RoleFactory, UserFactory
from tests.activities.factories import CallFactory, MeetingFactory, TaskFactory
from tests.contacts.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_an_erasure_cuts_the_persons_texts_out_of_every_activity_and_its_notifications() -> None:
    # Given Mina Karimi, a task about her, a task about her company naming her, and its notification
    admin = UserFactory(roles=[RoleFactory(is_administrator=True)])
    mina = PersonFactory(first_name="Mina", last_name="Karimi", phones=["0912 345 6789"])
    company = CompanyFactory(name="Pars Trading")
    own = TaskFactory(party=mina, subject="Call Mina Karimi", description="On 09123456789 after five")
    about = TaskFactory(party=company, subject="Quote for Pars Trading", assignees=[UserFactory()],
                        description="Ask Mina Karimi (0912 345 6789) which tiles")  # fmt: skip
    unrelated = TaskFactory(subject="Order paper")
    assert Notification.objects.get().title == "New task for you: Quote for Pars Trading"
    Notification.objects.update(title="New task for you: Mina Karimi", body="Call 09123456789")

    # When her data is erased
    party_erase(actor=admin, party=mina, reason="Asked on the phone")

    # Then no activity and no notification holds her name or number; the rest reads as before
    own.refresh_from_db()
    about.refresh_from_db()
    assert (own.subject, own.description) == ("Call •••", "On ••• after five")
    assert about.description == "Ask ••• (•••) which tiles"
    assert about.subject == "Quote for Pars Trading"
    assert Activity.objects.get(pk=unrelated.pk).subject == "Order paper"
    assert Notification.objects.values_list("title", "body").get() == ("New task for you: •••", "Call •••")


def test_a_merge_moves_the_activities_and_invites_the_survivor_once() -> None:
    admin = UserFactory(roles=[RoleFactory(is_administrator=True)])
    survivor, merged = PersonFactory(), PersonFactory()
    task = TaskFactory(party=merged)
    both = MeetingFactory(participant_parties=[survivor, merged])
    only_merged = MeetingFactory(participant_parties=[merged])

    party_merge(actor=admin, survivor=survivor, merged=merged, choices={})

    task.refresh_from_db()
    assert task.party == survivor
    assert list(ActivityParticipant.objects.filter(activity=both).values_list("party_id", flat=True)) == [survivor.pk]
    assert list(ActivityParticipant.objects.filter(activity=only_merged).values_list("party_id", flat=True)) == [
        survivor.pk
    ]


def test_a_personal_data_export_lists_the_activities_about_the_person_and_those_they_attend() -> None:
    # Given a call about Mina, a meeting she attends, and a task about someone else
    mina = PersonFactory(first_name="Mina", last_name="Karimi")
    CallFactory(party=mina, subject="Ask about the tiles")
    MeetingFactory(subject="Showroom visit", participant_parties=[mina], location="Tehran branch")
    TaskFactory(party=PersonFactory(), subject="Someone else's task")

    # When her data is exported
    sections = personal_data(mina)

    # Then both of hers are there, saying how she is in each, and nothing else
    rows = sections["activities"]
    assert sorted((row["subject"], row["role"]) for row in rows) == [
        ("Ask about the tiles", "concerns"),
        ("Showroom visit", "participant"),
    ]
    assert next(row for row in rows if row["subject"] == "Showroom visit")["location"] == "Tehran branch"
