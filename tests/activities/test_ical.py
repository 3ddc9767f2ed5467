"""iCalendar: the private feed and a meeting's invitation, read back with ``icalendar`` itself."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.activities import ical, services
from peyvand.activities.models import Activity, ActivityParticipant, CalendarFeedToken
from peyvand.activities.rules import Recurrence
from tests.activities.factories import MeetingFactory, TaskFactory, staff_member
from tests.contacts.factories import PersonFactory

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
SOON = dt.datetime.now(TEHRAN).replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _feed_url(user: User) -> str:
    response = _client(user).post(reverse("calendar:feed_create"), follow=True)
    assert response.status_code == 200
    return str(response.context["feed_url"])


def _components(content: bytes, name: str) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(content).walk(name))


@pytest.mark.django_db
def test_the_feed_has_meetings_as_events_and_tasks_as_todos_with_persian_text_escaped() -> None:
    # Given a user with a meeting whose text has Persian, commas and semicolons, and a task
    user = staff_member("sara", email="sara@example.com", language=User.Language.PERSIAN)
    meeting = MeetingFactory(owner=user, assignees=[user], subject="جلسه، با «آریا»; فوری",
                             description="خط اول\nخط دوم", location="تهران، خیابان ولیعصر",
                             starts_at=SOON, ends_at=SOON + dt.timedelta(minutes=90))  # fmt: skip
    task = TaskFactory(owner=user, assignees=[user], subject="ارسال پیش‌فاکتور", due_at=SOON + dt.timedelta(hours=5))
    TaskFactory(owner=user, assignees=[user], subject="Undated", due_at=None)
    url = _feed_url(user)

    # When a calendar program fetches the feed, without a session
    response = Client().get(url)

    # Then it is iCalendar with the meeting as a VEVENT and the task as a VTODO
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    (event,) = _components(response.content, "VEVENT")
    (todo,) = _components(response.content, "VTODO")
    assert str(event["summary"]) == "جلسه، با «آریا»; فوری"
    assert str(event["description"]) == "خط اول\nخط دوم"
    assert str(event["location"]) == "تهران، خیابان ولیعصر"
    assert b"SUMMARY:\xd8\xac\xd9\x84\xd8\xb3\xd9\x87\xd8\x8c \xd8\xa8\xd8\xa7 " in response.content.replace(
        b"\r\n ", b""
    )
    assert b"\\; " in response.content  # the semicolon escaped
    assert event.decoded("dtstart") == SOON
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=90)
    assert event["dtstart"].params["TZID"] == "Asia/Tehran"
    assert str(event["uid"]) == ical.uid(meeting) == f"activity-{meeting.pk}@{ical._host()}"
    assert int(event["sequence"]) == 0
    assert "dtstamp" in event
    assert str(todo["summary"]) == "ارسال پیش‌فاکتور"
    assert todo.decoded("due") == task.due_at
    assert str(todo["status"]) == "NEEDS-ACTION"
    assert len(_components(response.content, "VTIMEZONE")) == 1


@pytest.mark.django_db
def test_a_change_keeps_the_uid_and_raises_the_sequence() -> None:
    user = staff_member("sara")
    meeting = MeetingFactory(owner=user, assignees=[user], starts_at=SOON)
    Activity.objects.filter(pk=meeting.pk).update(created_at=meeting.created_at - dt.timedelta(minutes=5))
    meeting.refresh_from_db()
    services.activity_update(actor=user, activity=meeting, starts_at=SOON + dt.timedelta(days=1))

    (event,) = _components(ical.feed(user), "VEVENT")

    assert str(event["uid"]) == f"activity-{meeting.pk}@{ical._host()}"
    assert int(event["sequence"]) >= 300
    assert event.decoded("dtstart") == SOON + dt.timedelta(days=1)


@pytest.mark.django_db
def test_a_gregorian_series_carries_its_rrule_and_a_jalali_monthly_one_does_not() -> None:
    user = staff_member("sara")
    MeetingFactory(owner=user, assignees=[user], subject="Weekly", starts_at=SOON,
                   recurrence=Recurrence(frequency="weekly", interval=2, until=SOON.date() + dt.timedelta(days=60)))  # fmt: skip
    MeetingFactory(owner=user, assignees=[user], subject="Jalali monthly", starts_at=SOON + dt.timedelta(hours=1),
                   recurrence=Recurrence(frequency="monthly", calendar="jalali"))  # fmt: skip

    events = {str(event["summary"]): event for event in _components(ical.feed(user), "VEVENT")}

    rule = events["Weekly"]["rrule"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["INTERVAL"] == [2]
    assert rule["UNTIL"][0].date() in (SOON.date() + dt.timedelta(days=60), SOON.date() + dt.timedelta(days=61))
    assert "rrule" not in events["Jalali monthly"]


@pytest.mark.django_db
def test_the_feed_costs_the_same_queries_for_2_or_40_activities() -> None:
    user = staff_member("sara")
    for number in range(2):
        MeetingFactory(owner=user, assignees=[user], starts_at=SOON + dt.timedelta(hours=number))
    url = _feed_url(user)
    client = Client()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for number in range(38):
        TaskFactory(owner=user, assignees=[user], due_at=SOON + dt.timedelta(days=number % 30))
    assert count() == few
    assert few <= 5


@pytest.mark.django_db
def test_a_new_address_or_revoking_makes_the_old_one_404_and_only_the_hash_is_kept() -> None:
    user = staff_member("sara")
    first = _feed_url(user)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in CalendarFeedToken.objects.get(user=user).token_hash
    second = _feed_url(user)

    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    response = _client(user).post(reverse("calendar:feed_revoke"))
    assert response.status_code == 302
    assert Client().get(second).status_code == 404
    assert Client().get("/calendar/feed/not-a-token.ics").status_code == 404
    assert not CalendarFeedToken.objects.exists()


@pytest.mark.django_db
def test_the_feed_leaves_out_what_the_user_may_no_longer_see() -> None:
    # Given a user who lost the activities module
    user = staff_member("sara", scope=Scope.OWN)
    MeetingFactory(owner=user, assignees=[user], starts_at=SOON)
    url = _feed_url(user)
    user.roles.clear()

    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_the_invitation_of_a_meeting_with_customers() -> None:
    # Given a meeting organised by Sara with a customer who has an email and a colleague who accepted
    sara = staff_member("sara", email="sara@example.com", first_name="سارا", last_name="کریمی")
    reza = staff_member("reza", email="reza@example.com")
    customer = PersonFactory(first_name="علی", last_name="رضایی", emails=["ali@example.com"])
    meeting = MeetingFactory(actor=sara, owner=sara, assignees=[sara], participant_users=[reza],
                             participant_parties=[customer], subject="بازدید از کارخانه", starts_at=SOON,
                             ends_at=SOON + dt.timedelta(hours=2))  # fmt: skip
    ActivityParticipant.objects.filter(activity=meeting, user=reza).update(status="accepted")

    # When she downloads its invitation
    response = _client(sara).get(reverse("calendar:meeting_invitation", args=[meeting.pk]))

    # Then it is a REQUEST with her as organiser and both attendees with their answers
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["organizer"]) == "mailto:sara@example.com"
    assert event["organizer"].params["CN"] == "سارا کریمی"
    attendees = {str(attendee): attendee.params for attendee in event["attendee"]}
    assert attendees["mailto:ali@example.com"]["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees["mailto:ali@example.com"]["CN"] == "علی رضایی"
    assert attendees["mailto:reza@example.com"]["PARTSTAT"] == "ACCEPTED"
    assert str(event["summary"]) == "بازدید از کارخانه"


@pytest.mark.django_db
def test_a_task_has_no_invitation_and_a_stranger_none_either() -> None:
    sara = staff_member("sara", scope=Scope.OWN)
    task = TaskFactory(owner=sara, assignees=[sara])
    meeting = MeetingFactory(owner=sara, assignees=[sara], starts_at=SOON)
    assert _client(sara).get(reverse("calendar:meeting_invitation", args=[task.pk])).status_code == 404
    stranger = staff_member("stranger", scope=Scope.OWN)
    assert _client(stranger).get(reverse("calendar:meeting_invitation", args=[meeting.pk])).status_code == 404
