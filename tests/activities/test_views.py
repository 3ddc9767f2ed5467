"""The activities pages: the list with its filters and pages, one activity, the forms (with Jalali
input), completing, reopening, cancelling and deleting, and what a wrong value answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.activities.models import Activity
from peyvand.timeline.models import Interaction
from tests.activities.factories import CallFactory, MeetingFactory, TaskFactory, staff_member
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import channel

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**values: object) -> dict[str, object]:
    return {"kind": "task", "subject": "Send the catalogue", "priority": "normal", "recurrence": "none",
            "recurrence_interval": "1", "recurrence_calendar": "gregorian", **values}  # fmt: skip


# The list ---------------------------------------------------------------------------------------
def test_the_list_shows_the_activities_by_time_in_a_fixed_number_of_queries() -> None:
    # Given a user with three activities of their own and one of someone else they cannot see
    user = staff_member("sara", scope=1, language=User.Language.ENGLISH)
    soon = timezone.now() + dt.timedelta(days=1)
    TaskFactory(owner=user, subject="Send the catalogue", due_at=soon + dt.timedelta(hours=2))
    CallFactory(owner=user, subject="Call Reza back", starts_at=soon)
    MeetingFactory(owner=user, subject="Showroom visit", starts_at=soon + dt.timedelta(hours=4))
    TaskFactory(owner=staff_member("other"), subject="Not hers")
    client = _client(user)

    # When the list opens
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("activities:activity_list"))

    # Then the three show, the soonest first, and the count stays fixed
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Call Reza back") < page.index("Send the catalogue") < page.index("Showroom visit")
    assert "Not hers" not in page
    first = len(queries)
    for number in range(5):
        TaskFactory(owner=user, subject=f"More {number}", due_at=soon)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("activities:activity_list"))
    assert len(queries) == first


def test_the_list_filters_by_kind_assignee_overdue_and_customer() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()
    past = timezone.now() - dt.timedelta(days=2)
    TaskFactory(owner=user, subject="Late task", due_at=past)
    CallFactory(owner=user, subject="Customer call", party=customer)
    TaskFactory(owner=staff_member("other"), subject="Someone else's")
    client = _client(user)
    url = reverse("activities:activity_list")

    overdue = client.get(url, {"overdue": "on", "assignee": "me"}).content.decode()
    calls = client.get(url, {"kind": "call"}).content.decode()
    of_customer = client.get(url, {"party": customer.pk}).content.decode()
    wrong = client.get(url, {"kind": "visit", "party": "abc", "since": "not a date"})

    assert "Late task" in overdue
    assert "Customer call" not in overdue
    assert "Someone else's" not in overdue
    assert "Customer call" in calls
    assert "Late task" not in calls
    assert "Customer call" in of_customer
    assert "Late task" not in of_customer
    assert wrong.status_code == 200  # a wrong filter is ignored, never an error


def test_the_list_pages_by_keyset_and_htmx_gets_the_rows_alone() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    start = timezone.now() + dt.timedelta(days=1)
    for number in range(52):
        TaskFactory(owner=user, subject=f"Task {number:02d}", due_at=start + dt.timedelta(minutes=number))
    client = _client(user)

    first = client.get(reverse("activities:activity_list"))
    next_url = first.context["next_url"]
    second = client.get(next_url, headers={"HX-Request": "true"})

    assert "Task 49" in first.content.decode()
    assert "Task 50" not in first.content.decode()
    assert "Task 50" in second.content.decode()
    assert "Task 51" in second.content.decode()
    assert "<html" not in second.content.decode()
    assert client.get(reverse("activities:activity_list"), {"cursor": "broken"}).status_code == 200


def test_a_user_without_the_module_is_refused_the_list() -> None:
    from tests.accounts.factories import UserFactory

    assert _client(UserFactory()).get(reverse("activities:activity_list")).status_code == 403


# One activity -----------------------------------------------------------------------------------
def test_the_detail_page_shows_every_field_in_a_fixed_number_of_queries() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory(first_name="Reza", last_name="Karimi")
    colleague = staff_member("ali", first_name="Ali", last_name="Rahimi")
    meeting = MeetingFactory(owner=user, subject="Showroom visit", party=customer, location="Tehran showroom",
                             assignees=[user, colleague], participant_parties=[customer], reminder_minutes=30)  # fmt: skip

    small = TaskFactory(owner=user)
    client = _client(user)
    client.get(reverse("activities:activity_detail", args=[small.pk]))  # the session is written once

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("activities:activity_detail", args=[meeting.pk]))
    with CaptureQueriesContext(connection) as small_queries:
        client.get(reverse("activities:activity_detail", args=[small.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Showroom visit", "Tehran showroom", "Reza Karimi", "Ali Rahimi", "30 minutes before", "Mark done"):
        assert text in page
    # the session, the user and their permissions (4), the activity and its three prefetches, the bell,
    # its notes, hand-offs and approval requests (3)
    assert len(queries) == len(small_queries) == 13


def test_a_meetings_page_offers_its_invitation_which_a_calendar_reads() -> None:
    import icalendar

    user = staff_member("nima", language=User.Language.ENGLISH)
    customer = PersonFactory(first_name="Reza", last_name="Karimi", emails=["reza@example.com"])
    meeting = MeetingFactory(owner=user, subject="Showroom visit", participant_parties=[customer])
    client = _client(user)

    page = client.get(reverse("activities:activity_detail", args=[meeting.pk])).content.decode()
    invitation_url = reverse("calendar:meeting_invitation", args=[meeting.pk])
    assert f'href="{invitation_url}"' in page

    calendar = icalendar.Calendar.from_ical(client.get(invitation_url).content)
    (event,) = calendar.walk("VEVENT")
    assert (str(calendar["METHOD"]), str(event["SUMMARY"])) == ("REQUEST", "Showroom visit")
    task_page = client.get(reverse("activities:activity_detail", args=[TaskFactory(owner=user).pk])).content.decode()
    assert "Invitation (.ics)" not in task_page


def test_the_detail_page_of_an_activity_out_of_reach_is_missing() -> None:
    user = staff_member("sara", scope=1)
    other = TaskFactory(owner=staff_member("other"))

    assert _client(user).get(reverse("activities:activity_detail", args=[other.pk])).status_code == 404


# Creating and editing ---------------------------------------------------------------------------
def test_the_create_form_takes_its_initial_values_from_the_address() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory(first_name="Reza", last_name="Karimi")

    response = _client(user).get(reverse("activities:activity_create"), {
        "kind": "meeting", "starts_at": "2025-03-21T10:00:00", "ends_at": "2025-03-21T11:00:00", "party": customer.pk,
    })  # fmt: skip

    form = response.context["form"]
    assert form.initial["kind"] == "meeting"
    assert form.initial["starts_at"].hour == 10
    assert form.initial["ends_at"].hour == 11
    assert form.initial["party"] == customer.pk
    assert "Reza Karimi" in response.content.decode()


def test_creating_a_task_goes_through_the_service() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()

    response = _client(user).post(reverse("activities:activity_create"),
                                  _form(due_at="2025-03-21 10:00", party=customer.pk, reminder_minutes="15"))  # fmt: skip

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:activity_detail", args=[activity.pk])
    assert (activity.subject, activity.party, activity.owner, activity.reminder_minutes) == (
        "Send the catalogue", customer, user, 15)  # fmt: skip
    assert list(activity.assignees.values_list("user_id", flat=True)) == [user.pk]


def test_a_persian_user_types_a_jalali_due_time_in_persian_digits() -> None:
    user = staff_member("sara", language=User.Language.PERSIAN)

    _client(user).post(reverse("activities:activity_create"),
                       _form(due_at="۱۴۰۴/۰۱/۰۱ ۱۰:۳۰", recurrence_calendar="jalali"))  # fmt: skip

    due = timezone.localtime(Activity.objects.get().due_at)
    assert (due.year, due.month, due.day, due.hour, due.minute) == (2025, 3, 21, 10, 30)


def test_wrong_values_are_field_errors_in_the_users_language_and_nothing_is_written() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)

    response = _client(user).post(reverse("activities:activity_create"),
                                  _form(kind="call", subject="", due_at="2025-03-21 10:00", reminder_minutes="-3",
                                        party="999999"))  # fmt: skip

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"subject", "reminder_minutes", "party"}
    assert Activity.objects.count() == 0


def test_the_services_rules_come_back_as_field_errors() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)

    response = _client(user).post(reverse("activities:activity_create"),
                                  _form(kind="call", due_at="2025-03-21 10:00", recurrence="weekly",
                                        recurrence_until="2025-01-01"))  # fmt: skip

    errors = response.context["form"].errors
    assert errors["due_at"] == ["A call or a meeting has a start time, not a due time."]
    assert errors["starts_at"] == ["Give a call or a meeting a start time."]
    assert Activity.objects.count() == 0


def test_editing_changes_the_activity_and_keeps_its_people() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    colleague = staff_member("ali")
    task = TaskFactory(owner=user, assignees=[user, colleague], subject="Old")
    client = _client(user)

    form = client.get(reverse("activities:activity_edit", args=[task.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data.update(subject="New", due_at="2025-03-21 10:00", assignees=[user.pk, colleague.pk], owner=user.pk,
                team=task.team_id or "", all_day="")  # fmt: skip
    data = {name: value for name, value in data.items() if value not in (None, "", False)}
    response = client.post(reverse("activities:activity_edit", args=[task.pk]), data)

    task.refresh_from_db()
    assert response.status_code == 302
    assert task.subject == "New"
    assert sorted(task.assignees.values_list("user_id", flat=True)) == sorted([user.pk, colleague.pk])


# Completing, reopening, cancelling, deleting ----------------------------------------------------
def test_completing_a_call_writes_the_interaction_on_the_timeline() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    phone = channel("phone")
    customer = PersonFactory()
    call = CallFactory(owner=user, party=customer, starts_at=timezone.now() - dt.timedelta(hours=1))

    response = _client(user).post(reverse("activities:activity_complete", args=[call.pk]), {
        "complete-outcome": "Will order next week", "complete-call_outcome": "reached", "complete-channel": phone.key,
    })  # fmt: skip

    call.refresh_from_db()
    assert response.status_code == 302
    assert (call.status, call.call_outcome, call.outcome) == ("done", "reached", "Will order next week")
    interaction = Interaction.objects.get()
    assert (interaction.party, interaction.channel, call.interaction) == (customer, phone, interaction)
    detail = _client(user).get(reverse("activities:activity_detail", args=[call.pk])).content.decode()
    assert reverse("timeline:interaction_detail", args=[interaction.pk]) in detail


def test_completing_twice_says_so_and_changes_nothing() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    task = TaskFactory(owner=user)
    client = _client(user)
    client.post(reverse("activities:activity_complete", args=[task.pk]), {"complete-outcome": "Sent"})

    response = client.post(reverse("activities:activity_complete", args=[task.pk]), {"complete-outcome": "Again"},
                           follow=True)  # fmt: skip

    task.refresh_from_db()
    assert task.outcome == "Sent"
    assert "This activity is already done or cancelled." in response.content.decode()


def test_reopening_cancelling_and_deleting() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    task = TaskFactory(owner=user)
    client = _client(user)

    client.post(reverse("activities:activity_cancel", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == "cancelled"
    client.post(reverse("activities:activity_reopen", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == "open"
    confirm = client.get(reverse("activities:activity_delete", args=[task.pk]))
    assert "Delete the activity?" in confirm.content.decode()
    response = client.post(reverse("activities:activity_delete", args=[task.pk]))
    assert response.status_code == 302
    assert Activity.objects.count() == 0


def test_a_user_who_may_only_view_cannot_change_and_nothing_changes() -> None:
    from tests.accounts.factories import RoleFactory, UserFactory

    owner = staff_member("sara")
    viewer = UserFactory(roles=[RoleFactory(grants={("activities", "view"): 3})])
    task = TaskFactory(owner=owner, subject="Keep me")
    client = _client(viewer)

    assert client.get(reverse("activities:activity_detail", args=[task.pk])).status_code == 200
    assert client.post(reverse("activities:activity_cancel", args=[task.pk])).status_code == 403
    assert client.post(reverse("activities:activity_delete", args=[task.pk])).status_code == 403
    assert client.post(reverse("activities:activity_edit", args=[task.pk]), _form(subject="Changed")).status_code == 403
    task.refresh_from_db()
    assert (task.status, task.subject) == ("open", "Keep me")
