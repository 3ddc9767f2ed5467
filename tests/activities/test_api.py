"""The activities API: each operation, its field errors (422), conflicts (409) and what is out of reach (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.activities.models import Activity, Reminder
from peyvand.timeline.models import Interaction
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import CallFactory, MeetingFactory, TaskFactory, staff_member
from tests.api.helpers import ApiClient, create_token, error
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 21, 9, 30, tzinfo=dt.UTC)
INVALID = "Some of the values sent are not valid."
NOT_FOUND = error("not_found", "This was not found, or it is out of your reach.")
DENIED = error("permission_denied", "You do not have permission to do this.")


def _api(user: User) -> ApiClient:
    api = ApiClient(token=create_token(user))
    assert api.get("/me").status_code == 200
    return api


def _fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {field["field"]: field["message"] for field in response.json()["error"]["fields"]}


def test_creating_a_call_answers_201_with_the_whole_activity() -> None:
    # Given Sara in the sales team and a customer she sees
    sales = TeamFactory(name="Sales")
    sara = staff_member("sara", teams=[sales], first_name="Sara", last_name="Ahmadi")
    ali = UserFactory(username="ali", first_name="Ali", last_name="Rezaei")
    person = PersonFactory(first_name="Mina", last_name="Karimi")
    api = _api(sara)

    # When she schedules a call with the customer, for herself and Ali, reminded 15 minutes before
    response = api.post("/activities", {
        "kind": "call", "subject": "Ask about the order", "starts_at": "2025-03-21T13:00:00+03:30",
        "ends_at": "2025-03-21T13:15:00+03:30", "party_id": person.pk, "assignee_ids": [sara.pk, ali.pk],
        "reminder_minutes": 15, "priority": "high",
    })  # fmt: skip

    # Then it is hers, in her team, with the customer, times in UTC, her reminder and both assignees
    assert response.status_code == 201, response.content
    data = response.json()
    activity = Activity.objects.get()
    reminder = Reminder.objects.get(user=sara)
    assert data == {
        "id": activity.pk, "kind": "call", "subject": "Ask about the order", "description": "", "priority": "high",
        "status": "open", "outcome": "", "call_outcome": "", "due_at": None, "starts_at": "2025-03-21T09:30:00Z",
        "ends_at": "2025-03-21T09:45:00Z", "all_day": False, "location": "", "direction": "outbound",
        "party": {"id": person.pk, "kind": "person", "name": "Mina Karimi"},
        "owner": {"id": sara.pk, "username": "sara", "name": "Sara Ahmadi"},
        "team": {"id": sales.pk, "name": "Sales"},
        "assignees": [{"id": ali.pk, "username": "ali", "name": "Ali Rezaei"},
                      {"id": sara.pk, "username": "sara", "name": "Sara Ahmadi"}],
        "participants": [],
        "recurrence": {"frequency": "none", "interval": 1, "until": None, "calendar": "gregorian"},
        "series_id": None, "reminder_minutes": 15,
        "my_reminder": {"id": reminder.pk, "remind_at": "2025-03-21T09:15:00Z", "sent_at": None,
                        "snoozed_until": None},
        "completed_at": None, "completed_by": None, "interaction_id": None,
        "created_by": {"id": sara.pk, "username": "sara", "name": "Sara Ahmadi"},
        "created_at": data["created_at"], "updated_at": data["updated_at"],
    }  # fmt: skip


def test_wrong_values_are_named_by_the_clients_field_names_and_nothing_is_written() -> None:
    sara = staff_member("sara", scope=Scope.OWN)
    hidden = PersonFactory(owner=UserFactory())
    api = _api(sara)

    unknown = api.post("/activities", {"kind": "meeting", "subject": "Visit", "starts_at": "2025-03-21T10:00:00Z",
                                       "party_id": hidden.pk, "assignee_ids": [sara.pk, 999999],
                                       "team_id": 999999, "participant_party_ids": [hidden.pk]})  # fmt: skip
    rules = api.post("/activities", {"kind": "task", "subject": "Pay", "due_at": "2025-03-21T10:00:00Z",
                                     "recurrence": {"frequency": "monthly", "until": "2025-01-01"},
                                     "direction": "inbound"})  # fmt: skip
    schema = api.post("/activities", {"kind": "errand", "subject": "x" * 301, "reminder_minutes": -1})
    given_away = api.post("/activities", {"kind": "task", "subject": "For Ali", "owner_id": UserFactory().pk})

    assert _fields(unknown) == {
        "assignee_ids": "There is no active user with the id 999999.",
        "team_id": "There is no active team with the id 999999.",
        "party_id": f"There is no customer you may see with the id {hidden.pk}.",
        "participant_party_ids": f"There is no customer you may see with the id {hidden.pk}.",
    }
    assert _fields(rules) == {
        "direction": "Only a call has a direction.",
        "recurrence.until": "The repetition cannot end before the first occurrence.",
    }
    assert _fields(schema) == {
        "kind": "Choose one of: 'task', 'call' or 'meeting'.",
        "subject": "Enter at most 300 characters.",
        "reminder_minutes": "Enter a number no smaller than 0.",
    }
    assert _fields(given_away) == {
        "owner_id": "You may give an activity only to yourself or, with your team's scope, to a member of your teams."
    }
    assert given_away.json()["error"]["message"] == INVALID
    assert Activity.objects.count() == 0


def test_reading_one_is_404_out_of_reach_and_403_without_the_module() -> None:
    sara = staff_member("sara", scope=Scope.OWN)
    hers, someone_elses = TaskFactory(owner=sara), TaskFactory(owner=UserFactory())

    assert _api(sara).get(f"/activities/{hers.pk}").json()["id"] == hers.pk
    assert _api(sara).get(f"/activities/{someone_elses.pk}").json() == NOT_FOUND
    response = _api(UserFactory()).get(f"/activities/{hers.pk}")
    assert (response.status_code, response.json()) == (403, DENIED)


def test_a_patch_changes_only_what_is_sent_and_moving_keeps_the_length() -> None:
    sara = staff_member("sara")
    person = PersonFactory()
    meeting = MeetingFactory(owner=sara, assignees=[sara], starts_at=T0, ends_at=T0 + dt.timedelta(hours=2))
    api = _api(sara)

    moved = api.patch(f"/activities/{meeting.pk}", {"starts_at": "2025-03-22T08:00:00Z", "location": "Their office",
                                                    "party_id": person.pk, "participant_party_ids": [person.pk]})  # fmt: skip
    refused = api.patch(f"/activities/{meeting.pk}", {"subject": None})
    unstarted = api.patch(f"/activities/{meeting.pk}", {"starts_at": None})

    assert moved.status_code == 200, moved.content
    data = moved.json()
    assert (data["starts_at"], data["ends_at"], data["location"], data["subject"]) == (
        "2025-03-22T08:00:00Z", "2025-03-22T10:00:00Z", "Their office", meeting.subject
    )  # fmt: skip
    assert data["participants"] == [{"user": None, "party": {"id": person.pk, "kind": "person", "name": person.name},
                                     "status": "needs_action"}]  # fmt: skip
    assert _fields(refused) == {"subject": "This field cannot be null; leave it out to keep its value."}
    assert _fields(unstarted) == {"starts_at": "Give a call or a meeting a start time."}


def test_a_patch_turns_repetition_on_and_off() -> None:
    sara = staff_member("sara")
    task = TaskFactory(owner=sara, due_at=T0)
    api = _api(sara)

    on = api.patch(f"/activities/{task.pk}", {"recurrence": {"frequency": "weekly", "interval": 2}})
    off = api.patch(f"/activities/{task.pk}", {"recurrence": None})

    assert on.json()["recurrence"] == {"frequency": "weekly", "interval": 2, "until": None, "calendar": "gregorian"}
    assert off.json()["recurrence"] == {"frequency": "none", "interval": 1, "until": None, "calendar": "gregorian"}


def test_complete_reopen_and_cancel_and_their_conflicts() -> None:
    sara = staff_member("sara")
    person = PersonFactory()
    call = CallFactory(owner=sara, party=person, starts_at=T0)
    task = TaskFactory(owner=sara)
    api = _api(sara)

    done = api.post(f"/activities/{call.pk}/complete", {"call_outcome": "no_answer", "outcome": "Try again Sunday."})
    interaction = Interaction.objects.get(related_id=call.pk)
    again = api.post(f"/activities/{call.pk}/complete", {})
    reopened = api.post(f"/activities/{call.pk}/reopen")
    open_already = api.post(f"/activities/{call.pk}/reopen")
    cancelled = api.post(f"/activities/{task.pk}/cancel")
    wrong_channel = api.post(f"/activities/{call.pk}/complete", {"channel": "pigeon"})

    assert done.status_code == 200, done.content
    assert {key: done.json()[key] for key in ("status", "call_outcome", "outcome", "interaction_id")} == {
        "status": "done", "call_outcome": "no_answer", "outcome": "Try again Sunday.", "interaction_id": interaction.pk,
    }  # fmt: skip
    assert again.status_code == 409
    assert again.json() == error("conflict", "This activity is already done or cancelled.")
    assert (reopened.status_code, reopened.json()["status"], reopened.json()["interaction_id"]) == (200, "open", None)
    assert open_already.json() == error("conflict", "This activity is open already.")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert _fields(wrong_channel) == {"channel": "There is no channel with this key."}
    assert not Interaction.objects.exists()


def test_deleting_answers_204_and_then_404() -> None:
    sara = staff_member("sara")
    task = TaskFactory(owner=sara)
    api = _api(sara)

    assert api.delete(f"/activities/{task.pk}").status_code == 204
    assert api.delete(f"/activities/{task.pk}").json() == NOT_FOUND
    assert not Activity.objects.exists()


def test_snoozing_ones_own_reminder() -> None:
    sara, ali = staff_member("sara"), staff_member("ali")
    task = TaskFactory(owner=sara, assignees=[sara], due_at=T0, reminder_minutes=10)
    api = _api(sara)

    snoozed = api.post(f"/activities/{task.pk}/reminder/snooze", {"minutes": 30})
    none_for_ali = _api(ali).post(f"/activities/{task.pk}/reminder/snooze", {"minutes": 30})
    too_short = api.post(f"/activities/{task.pk}/reminder/snooze", {"minutes": 0})

    reminder = Reminder.objects.get()
    assert snoozed.status_code == 200, snoozed.content
    assert snoozed.json()["id"] == reminder.pk
    assert snoozed.json()["remind_at"] == snoozed.json()["snoozed_until"]
    assert reminder.snoozed_until is not None
    assert none_for_ali.json() == NOT_FOUND
    assert _fields(too_short) == {"minutes": "Enter a number no smaller than 1."}


def test_the_list_filters_and_pages_by_time() -> None:
    sara = staff_member("sara")
    ali = UserFactory()
    mine = [TaskFactory(owner=sara, assignees=[sara], due_at=T0 + dt.timedelta(days=n)) for n in range(3)]
    TaskFactory(owner=sara, assignees=[ali], due_at=T0)
    api = _api(sara)

    first = api.get("/activities", {"assignee": "me", "limit": 2})
    second = api.get("/activities", {"assignee": "me", "limit": 2, "cursor": first.json()["next_cursor"]})
    latest = api.get("/activities", {"assignee": str(sara.pk), "sort": "-at", "limit": 1})
    wrong = api.get("/activities", {"assignee": "everyone"})

    ids = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert ids == [task.pk for task in mine]
    assert second.json()["next_cursor"] is None
    assert [item["id"] for item in latest.json()["items"]] == [mine[-1].pk]
    assert _fields(wrong) == {"assignee": "Enter me or a user's id."}
    assert api.get("/activities", {"cursor": "nonsense"}).status_code == 400


@pytest.mark.parametrize("count", [3, 40])
def test_the_list_costs_the_same_queries_however_many_activities(count: int, django_assert_num_queries: Any) -> None:
    sara = staff_member("sara", scope=Scope.OWN)
    person = PersonFactory(owner=sara)
    for n in range(count):
        MeetingFactory(owner=sara, assignees=[sara], participant_parties=[person], starts_at=T0 + dt.timedelta(hours=n),
                       reminder_minutes=5)  # fmt: skip
    api = _api(sara)

    # the token (1), the profile (3), the page (1), its staff, participants and sara's reminders (3)
    with django_assert_num_queries(8):
        response = api.get("/activities", {"limit": 25})

    assert len(response.json()["items"]) == min(count, 25)
