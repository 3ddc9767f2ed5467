"""Writing activities: the rules of each kind, the staff rows and reminders kept in step, the audit
trail, notifications, completion on the customer's timeline, and the next occurrence of a series."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import jdatetime
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from peyvand.accounts.models import AuditEvent, Notification, User
from peyvand.activities import services
from peyvand.activities.models import Activity, ActivityAssignee, ActivityParticipant, Reminder
from peyvand.activities.rules import Recurrence
from peyvand.timeline.models import Interaction
from tests.accounts.factories import TeamFactory
from tests.activities.factories import CallFactory, MeetingFactory, TaskFactory, staff_member
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import channel

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
T0 = dt.datetime(2025, 3, 21, 9, 30, tzinfo=dt.UTC)


def _staff_rows(activity: Activity) -> list[tuple[str, bool, dt.datetime | None, bool, str]]:
    rows = ActivityAssignee.objects.filter(activity=activity).select_related("user").order_by("user__username")
    return [(row.user.username, row.is_assignee, row.at, row.is_open, row.kind) for row in rows]


def _reminders(activity: Activity) -> dict[str, tuple[dt.datetime, dt.datetime | None, dt.datetime | None]]:
    rows = Reminder.objects.filter(activity=activity).select_related("user")
    return {row.user.username: (row.remind_at, row.sent_at, row.snoozed_until) for row in rows}


def _jalali(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(jdatetime.date(year, month, day).togregorian(), dt.time(hour), tzinfo=TEHRAN)


def _as_jalali(value: dt.datetime | None) -> tuple[int, int, int, int]:
    assert value is not None
    local = value.astimezone(TEHRAN)
    day = jdatetime.date.fromgregorian(date=local.date())
    return day.year, day.month, day.day, local.hour


# Creating ---------------------------------------------------------------------------------------
def test_a_task_belongs_to_its_creator_and_their_team_and_is_on_their_page() -> None:
    # Given Sara works in the Tehran branch
    tehran = TeamFactory(name="Tehran")
    sara = staff_member("sara", teams=[tehran])

    # When she writes herself a task due tomorrow, reminded an hour before
    task = services.activity_create(actor=sara, kind="task", subject="  Send the price list ", due_at=T0,
                                    reminder_minutes=60)  # fmt: skip

    # Then it is hers, in her team, open, standing at its due time, assigned to her with a reminder
    task.refresh_from_db()
    assert (task.owner, task.team, task.created_by, task.status, task.subject) == (
        sara, tehran, sara, "open", "Send the price list"
    )  # fmt: skip
    assert (task.at, task.priority, task.recurrence, task.recurrence_calendar) == (T0, "normal", "none", "gregorian")
    assert _staff_rows(task) == [("sara", True, T0, True, "task")]
    assert _reminders(task) == {"sara": (T0 - dt.timedelta(hours=1), None, None)}
    # And the audit trail has its values but never its words; she is not notified of her own task
    event = AuditEvent.objects.get(object_type="activities.activity", object_id=str(task.pk))
    assert event.kind == "create"
    assert event.object_label == f"Task #{task.pk}"
    assert event.changes["subject"] == [None, "••••"]
    assert event.changes["assignees"] == [None, ["sara"]]
    assert event.changes["due_at"] == [None, T0.isoformat()]
    assert Notification.objects.count() == 0


def test_an_undated_task_stands_at_its_creation_but_has_no_time_on_the_page() -> None:
    sara = staff_member(username="sara")

    task = services.activity_create(actor=sara, kind="task", subject="Think about the catalogue")

    assert task.at == task.created_at
    assert _staff_rows(task) == [("sara", True, None, True, "task")]


def test_new_assignees_are_notified_in_their_language_but_not_the_actor() -> None:
    # Given Sara gives a call to Ali (English) and Reza (Persian) and herself
    sara = staff_member(username="sara", first_name="Sara", last_name="Ahmadi")
    ali = staff_member(username="ali")
    reza = staff_member(username="reza", language=User.Language.PERSIAN)
    starts = _jalali(1404, 1, 15, 11)

    # When the call is created
    services.activity_create(actor=sara, kind="call", subject="Call Pars Trading", starts_at=starts,
                             assignees=[ali, reza, sara])  # fmt: skip

    # Then Ali and Reza are told, each with the time in their own calendar, Sara is not
    notes = {note.recipient.username: note for note in Notification.objects.select_related("recipient")}
    assert sorted(notes) == ["ali", "reza"]
    assert notes["ali"].title == "New call for you: Call Pars Trading"
    assert notes["ali"].body == "Starts 2025-04-04 11:00. From Sara Ahmadi."
    assert "1404/01/15 11:00" in notes["reza"].body


def test_each_kinds_rules_are_checked_together_and_nothing_is_written() -> None:
    sara = staff_member()

    with pytest.raises(ValidationError) as task_error:
        services.activity_create(actor=sara, kind="task", subject=" ", ends_at=T0, direction="inbound",
                                 reminder_minutes=10, recurrence=Recurrence(frequency="weekly"))  # fmt: skip
    with pytest.raises(ValidationError) as call_error:
        services.activity_create(actor=sara, kind="call", subject="Call", due_at=T0, location="x" * 301)
    with pytest.raises(ValidationError) as meeting_error:
        services.activity_create(actor=sara, kind="meeting", subject="Visit", starts_at=T0,
                                 ends_at=T0 - dt.timedelta(minutes=1), priority="whenever",
                                 recurrence=Recurrence(frequency="monthly", interval=0,
                                                       until=dt.date(2025, 3, 20)))  # fmt: skip

    assert task_error.value.message_dict == {
        "subject": ["Write a subject."],
        "ends_at": ["A task has a due time, not a start or an end."],
        "direction": ["Only a call has a direction."],
        "reminder_minutes": ["Give a due or start time to be reminded of."],
        "recurrence.frequency": ["Give a due or start time to repeat from."],
    }
    assert call_error.value.message_dict == {
        "location": ["Enter at most 300 characters."],
        "due_at": ["A call or a meeting has a start time, not a due time."],
        "starts_at": ["Give a call or a meeting a start time."],
    }
    assert meeting_error.value.message_dict == {
        "priority": ["Choose one of: low, normal, high, urgent."],
        "ends_at": ["The end cannot be before the start."],
        "recurrence.interval": ["Enter a number from 1 to 999."],
        "recurrence.until": ["The repetition cannot end before the first occurrence."],
    }
    assert Activity.objects.count() == ActivityAssignee.objects.count() == AuditEvent.objects.filter(
        object_type="activities.activity").count() == 0  # fmt: skip


def test_a_call_is_outbound_unless_said_and_an_all_day_meeting_starts_at_midnight_in_tehran() -> None:
    sara = staff_member()

    call = services.activity_create(actor=sara, kind="call", subject="Call", starts_at=T0)
    meeting = services.activity_create(actor=sara, kind="meeting", subject="Trade fair", all_day=True,
                                       starts_at=T0, ends_at=T0 + dt.timedelta(days=2, hours=3))  # fmt: skip

    assert call.direction == "outbound"
    assert meeting.starts_at == dt.datetime(2025, 3, 21, tzinfo=TEHRAN)
    assert meeting.ends_at == dt.datetime(2025, 3, 23, tzinfo=TEHRAN)


def test_participants_are_staff_and_customers_and_staff_participants_have_it_on_their_page() -> None:
    sara, ali, reza = staff_member(username="sara"), staff_member(username="ali"), staff_member(username="reza")
    person = PersonFactory()

    meeting = MeetingFactory(actor=sara, owner=sara, starts_at=T0, assignees=[sara, ali],
                             participant_users=[ali, reza], participant_parties=[person], reminder_minutes=15)  # fmt: skip

    assert _staff_rows(meeting) == [("ali", True, T0, True, "meeting"), ("reza", False, T0, True, "meeting"),
                                    ("sara", True, T0, True, "meeting")]  # fmt: skip
    assert sorted(_reminders(meeting)) == ["ali", "reza", "sara"]
    participants = ActivityParticipant.objects.filter(activity=meeting).order_by("pk")
    assert [(p.user_id, p.party_id, p.status) for p in participants] == [
        (ali.pk, None, "needs_action"), (reza.pk, None, "needs_action"), (None, person.pk, "needs_action"),
    ]  # fmt: skip
    # Only the new assignee other than the actor is notified; a participant is invited later (iCalendar)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["ali"]


# Changing ---------------------------------------------------------------------------------------
def test_moving_a_meeting_keeps_its_duration_and_sets_the_reminders_again() -> None:
    # Given a one-hour meeting whose reminder was already sent
    sara = staff_member(username="sara")
    meeting = MeetingFactory(owner=sara, assignees=[sara], starts_at=T0, ends_at=T0 + dt.timedelta(hours=1),
                             reminder_minutes=30)  # fmt: skip
    Reminder.objects.filter(activity=meeting).update(sent_at=T0)

    # When it moves two days on
    services.activity_update(actor=sara, activity=meeting, starts_at=T0 + dt.timedelta(days=2))

    # Then it still lasts an hour, its page rows moved, and the reminder is due again before the new time
    meeting.refresh_from_db()
    later = T0 + dt.timedelta(days=2)
    assert (meeting.starts_at, meeting.ends_at, meeting.at) == (later, later + dt.timedelta(hours=1), later)
    assert _staff_rows(meeting) == [("sara", True, later, True, "meeting")]
    assert _reminders(meeting) == {"sara": (later - dt.timedelta(minutes=30), None, None)}
    event = AuditEvent.objects.filter(object_id=str(meeting.pk), kind="update").get()
    assert sorted(event.changes) == ["ends_at", "starts_at"]


def test_a_change_that_does_not_move_it_keeps_a_snoozed_reminder_and_rewritten_words_stay_hidden() -> None:
    sara = staff_member(username="sara")
    task = TaskFactory(owner=sara, assignees=[sara], due_at=T0, reminder_minutes=10, description="Old words")
    reminder = Reminder.objects.get(activity=task)
    services.reminder_snooze(actor=sara, reminder=reminder, minutes=5)
    snoozed = _reminders(task)

    services.activity_update(actor=sara, activity=task, subject="New subject", description="New words", priority="high")

    assert _reminders(task) == snoozed
    event = AuditEvent.objects.filter(object_id=str(task.pk), kind="update").get()
    assert event.changes == {"description": ["••••", "•••• "], "priority": ["normal", "high"],
                             "subject": ["••••", "•••• "]}  # fmt: skip


def test_changing_the_assignees_moves_reminders_and_notifies_only_the_new_ones() -> None:
    sara, ali, reza = staff_member(username="sara"), staff_member(username="ali"), staff_member(username="reza")
    task = TaskFactory(actor=sara, owner=sara, assignees=[sara, ali], due_at=T0, reminder_minutes=0)
    Notification.objects.all().delete()

    services.activity_update(actor=sara, activity=task, assignees=[sara, reza])

    assert [row[0] for row in _staff_rows(task)] == ["reza", "sara"]
    assert sorted(_reminders(task)) == ["reza", "sara"]
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["reza"]
    event = AuditEvent.objects.filter(object_id=str(task.pk), kind="update").get()
    assert event.changes == {"assignees": [["ali", "sara"], ["reza", "sara"]]}


def test_turning_off_the_reminder_or_the_time_removes_the_reminders() -> None:
    sara = staff_member()
    task = TaskFactory(owner=sara, assignees=[sara], due_at=T0, reminder_minutes=10)

    services.activity_update(actor=sara, activity=task, reminder_minutes=None)

    assert Reminder.objects.count() == 0
    with pytest.raises(ValidationError) as error:
        services.activity_update(actor=sara, activity=task, due_at=None, reminder_minutes=5)
    assert error.value.message_dict == {"reminder_minutes": ["Give a due or start time to be reminded of."]}


# Completing -------------------------------------------------------------------------------------
def test_completing_a_call_writes_it_on_the_customers_timeline() -> None:
    # Given a 20-minute inbound call with a customer, on Sara's page with a reminder
    sara = staff_member(username="sara")
    person = PersonFactory()
    call = CallFactory(owner=sara, assignees=[sara], party=person, starts_at=T0, ends_at=T0 + dt.timedelta(minutes=20),
                       direction="inbound", reminder_minutes=5)  # fmt: skip

    # When she completes it: reached, with what was said
    services.activity_complete(actor=sara, activity=call, call_outcome="reached", outcome="Wants 40 boxes.")

    # Then the call is done, off her open list, without a reminder
    call.refresh_from_db()
    assert (call.status, call.completed_by, call.call_outcome, call.outcome) == (
        "done", sara, "reached", "Wants 40 boxes."
    )  # fmt: skip
    assert call.completed_at is not None
    assert _staff_rows(call) == [("sara", True, T0, False, "call")]
    assert Reminder.objects.count() == 0
    # And the customer's timeline has the call on the phone channel, linked both ways
    interaction = Interaction.objects.get()
    assert call.interaction == interaction
    assert (interaction.party, interaction.channel.key, interaction.kind, interaction.direction) == (
        person, "phone", "call", "inbound"
    )  # fmt: skip
    assert (interaction.occurred_at, interaction.duration_seconds, interaction.owner) == (T0, 1200, sara)
    assert (interaction.subject, interaction.content) == (call.subject, "Wants 40 boxes.")
    assert (interaction.related_type.model, interaction.related_id) == ("activity", call.pk)
    person.refresh_from_db()
    assert person.interaction_count == 1


def test_a_meeting_is_a_field_sales_visit_or_a_store_visit_and_a_task_writes_nothing() -> None:
    sara = staff_member()
    person = PersonFactory()
    away = MeetingFactory(party=person, starts_at=T0)
    at_the_store = MeetingFactory(party=person, starts_at=T0)
    task = TaskFactory(party=person)

    services.activity_complete(actor=sara, activity=away)
    services.activity_complete(actor=sara, activity=at_the_store, channel=channel("store"))
    services.activity_complete(actor=sara, activity=task, outcome="Sent")

    rows = Interaction.objects.order_by("pk").values_list("channel__key", "kind", "direction", "duration_seconds")
    assert list(rows) == [("field_sales", "meeting", "outbound", 3600), ("store", "meeting", "inbound", 3600)]
    task.refresh_from_db()
    assert (task.status, task.interaction) == ("done", None)


def test_completing_twice_is_refused_and_writes_one_interaction() -> None:
    call = CallFactory(party=PersonFactory(), starts_at=T0)
    services.activity_complete(actor=None, activity=call)
    stale = Activity.objects.get(pk=call.pk)
    stale.status = "open"  # a copy read before the first completion

    with pytest.raises(services.ActivityClosedError):
        services.activity_complete(actor=None, activity=stale)
    with pytest.raises(services.ActivityClosedError):
        services.activity_cancel(actor=None, activity=stale)
    assert Interaction.objects.count() == 1


def test_a_call_outcome_is_for_calls_and_an_inactive_default_channel_asks_for_one() -> None:
    person = PersonFactory()
    task = TaskFactory()
    call = CallFactory(party=person, starts_at=T0)
    channel("phone", is_active=False)

    with pytest.raises(ValidationError) as outcome_error:
        services.activity_complete(actor=None, activity=task, call_outcome="busy")
    with pytest.raises(ValidationError) as channel_error:
        services.activity_complete(actor=None, activity=call)

    assert outcome_error.value.message_dict == {"call_outcome": ["Only a call has a call outcome."]}
    assert channel_error.value.message_dict == {
        "channel": ["Choose the channel to record this on the customer's timeline."]
    }
    assert list(Activity.objects.values_list("status", flat=True)) == ["open", "open"]


def test_reopening_removes_the_interaction_and_brings_the_reminders_back() -> None:
    sara = staff_member(username="sara")
    person = PersonFactory()
    future = timezone.now() + dt.timedelta(days=3)
    call = CallFactory(owner=sara, assignees=[sara], party=person, starts_at=future, reminder_minutes=10)
    services.activity_complete(actor=sara, activity=call)

    services.activity_reopen(actor=sara, activity=call)

    call.refresh_from_db()
    assert (call.status, call.completed_at, call.completed_by, call.interaction) == ("open", None, None, None)
    assert Interaction.objects.count() == 0
    person.refresh_from_db()
    assert person.interaction_count == 0
    assert _staff_rows(call) == [("sara", True, future, True, "call")]
    assert _reminders(call) == {"sara": (future - dt.timedelta(minutes=10), None, None)}
    with pytest.raises(services.ActivityOpenError):
        services.activity_reopen(actor=sara, activity=call)


# Repeating --------------------------------------------------------------------------------------
def test_a_monthly_jalali_task_steps_across_a_common_esfand_and_keeps_its_people() -> None:
    # Given a monthly Jalali task on 30 Bahman 1402, for Sara and Ali, about a customer, reminded a day before
    sara, ali = staff_member(username="sara"), staff_member(username="ali")
    person = PersonFactory()
    task = TaskFactory(actor=sara, owner=sara, assignees=[sara, ali], party=person, due_at=_jalali(1402, 11, 30),
                       reminder_minutes=1440, priority="high",
                       recurrence=Recurrence(frequency="monthly", calendar="jalali"))  # fmt: skip
    Notification.objects.all().delete()

    # When Sara completes it, and then the next one
    services.activity_complete(actor=sara, activity=task)
    second = Activity.objects.exclude(pk=task.pk).get()
    services.activity_complete(actor=sara, activity=second)
    third = Activity.objects.exclude(pk__in=[task.pk, second.pk]).get()

    # Then they fall on 29 Esfand 1402 (a common year) and 30 Farvardin 1403, in the same series
    assert _as_jalali(second.due_at) == (1402, 12, 29, 10)
    assert _as_jalali(third.due_at) == (1403, 1, 30, 10)
    assert (second.series_id, third.series_id) == (task.pk, task.pk)
    assert (third.status, third.priority, third.party, third.owner, third.reminder_minutes) == (
        "open", "high", person, sara, 1440
    )  # fmt: skip
    assert [row[0] for row in _staff_rows(third)] == ["ali", "sara"]
    assert sorted(_reminders(third)) == ["ali", "sara"]
    # And the staff are not notified of each occurrence of a series they know
    assert Notification.objects.count() == 0


def test_a_monthly_jalali_meeting_lands_on_the_30th_of_a_leap_esfand_and_keeps_its_length() -> None:
    person = PersonFactory()
    meeting = MeetingFactory(party=person, starts_at=_jalali(1403, 11, 30, 16),
                             ends_at=_jalali(1403, 11, 30, 16) + dt.timedelta(minutes=90),
                             participant_parties=[person],
                             recurrence=Recurrence(frequency="monthly", calendar="jalali"))  # fmt: skip

    services.activity_complete(actor=None, activity=meeting)

    following = Activity.objects.exclude(pk=meeting.pk).get()
    assert _as_jalali(following.starts_at) == (1403, 12, 30, 16)
    assert following.ends_at - following.starts_at == dt.timedelta(minutes=90)
    assert list(following.participants.values_list("party_id", flat=True)) == [person.pk]


def test_cancelling_goes_on_with_the_series_and_until_ends_it() -> None:
    task = TaskFactory(due_at=T0, recurrence=Recurrence(frequency="weekly", until=dt.date(2025, 3, 28),
                                                        calendar="gregorian"))  # fmt: skip

    services.activity_cancel(actor=None, activity=task)
    second = Activity.objects.exclude(pk=task.pk).get()
    services.activity_complete(actor=None, activity=second)

    assert second.due_at == T0 + dt.timedelta(weeks=1)
    assert Activity.objects.count() == 2  # the third would fall after the 28th


def test_completing_again_after_reopening_does_not_repeat_the_next_occurrence() -> None:
    task = TaskFactory(due_at=T0, recurrence=Recurrence(frequency="daily", calendar="gregorian"))

    services.activity_complete(actor=None, activity=task)
    services.activity_reopen(actor=None, activity=task)
    services.activity_complete(actor=None, activity=task)

    assert Activity.objects.filter(series=task).count() == 1


# Deleting, snoozing -----------------------------------------------------------------------------
def test_deleting_keeps_the_interaction_it_wrote_and_the_rest_of_its_series() -> None:
    person = PersonFactory()
    call = CallFactory(party=person, starts_at=T0, recurrence=Recurrence(frequency="daily", calendar="gregorian"))
    services.activity_complete(actor=None, activity=call)
    pk = call.pk

    services.activity_delete(actor=None, activity=call)

    assert not Activity.objects.filter(pk=pk).exists()
    assert Interaction.objects.count() == 1
    assert Activity.objects.get().series is None
    event = AuditEvent.objects.get(object_id=str(pk), kind="delete")
    assert event.changes["subject"] == ["••••", None]


def test_snoozing_reminds_again_later_even_after_it_was_sent() -> None:
    sara = staff_member()
    task = TaskFactory(owner=sara, assignees=[sara], due_at=T0, reminder_minutes=10)
    reminder = Reminder.objects.get()
    Reminder.objects.update(sent_at=T0)
    reminder.refresh_from_db()
    before = timezone.now()

    services.reminder_snooze(actor=sara, reminder=reminder, minutes=15)

    reminder.refresh_from_db()
    assert reminder.sent_at is None
    assert reminder.remind_at == reminder.snoozed_until
    assert before + dt.timedelta(minutes=15) <= reminder.remind_at <= timezone.now() + dt.timedelta(minutes=15)
    with pytest.raises(ValidationError) as error:
        services.reminder_snooze(actor=sara, reminder=reminder, minutes=0)
    assert error.value.message_dict == {"minutes": ["Enter a number from 1 to 10080."]}
    assert task.reminders.count() == 1
