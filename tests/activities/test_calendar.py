"""The calendar: its grids in both calendars, its pages and their queries, moving activities."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import jdatetime
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Scope
from peyvand.activities.calendar import grid
from peyvand.activities.models import Activity, Holiday
from peyvand.activities.rules import Recurrence
from tests.accounts.factories import TeamFactory
from tests.activities.factories import MeetingFactory, TaskFactory, staff_member

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def _jalali(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


# Grids ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("month", "days"),
    [(1, 31), (6, 31), (7, 30), (11, 30), (12, 29)],
)
def test_a_jalali_month_grid_holds_the_months_days_in_weeks_from_saturday(month: int, days: int) -> None:
    # Given a day in a Jalali month of 1403... no: 1404, whose Esfand has 29 days
    day = _jalali(1404, month, 10)

    # When its month grid is built
    the_grid = grid.build("month", day, is_jalali=True, today=day)

    # Then it shows whole weeks from Saturday and the month's days in it
    in_month = [cell for cell in the_grid.days if cell.in_period]
    assert len(in_month) == days
    assert [cell.number for cell in in_month] == list(range(1, days + 1))
    assert in_month[0].date == _jalali(1404, month, 1)
    assert all(week[0].date.weekday() == grid.SATURDAY for week in the_grid.weeks)
    assert len(the_grid.days) % 7 == 0
    assert [cell.is_weekend for cell in the_grid.weeks[0]] == [False] * 6 + [True]  # Friday only


def test_esfand_has_30_days_in_a_leap_year() -> None:
    # Given Esfand 1403, a leap year
    the_grid = grid.build("month", _jalali(1403, 12, 1), is_jalali=True, today=dt.date(2025, 1, 1))

    # Then it has 30 days, and the next month is Farvardin 1404
    assert [cell.number for cell in the_grid.days if cell.in_period][-1] == 30
    assert the_grid.next == _jalali(1404, 1, 1) == dt.date(2025, 3, 21)
    assert the_grid.previous == _jalali(1403, 11, 1)


def test_jalali_titles_name_the_month_and_year() -> None:
    with translation.override("fa"):
        the_grid = grid.build("month", dt.date(2025, 3, 21), is_jalali=True, today=dt.date(2025, 3, 21))
    assert the_grid.title == "فروردین 1404"
    assert the_grid.weekday_names[0] == "شنبه"


def test_a_gregorian_month_starts_its_weeks_on_monday_with_a_two_day_weekend() -> None:
    with translation.override("en"):
        the_grid = grid.build("month", dt.date(2026, 2, 14), is_jalali=False, today=dt.date(2026, 2, 14))
    assert the_grid.title == "February 2026"
    assert [cell.number for cell in the_grid.days if cell.in_period] == list(range(1, 29))
    assert all(week[0].date.weekday() == grid.MONDAY for week in the_grid.weeks)
    assert [cell.is_weekend for cell in the_grid.weeks[0]] == [False] * 5 + [True, True]
    assert the_grid.weekday_names[0] == "Monday"
    assert [cell.is_today for cell in the_grid.days].count(True) == 1


def test_week_and_day_grids_and_their_steps() -> None:
    wednesday = dt.date(2026, 12, 2)
    week = grid.build("week", wednesday, is_jalali=True, today=wednesday)
    assert week.start == dt.date(2026, 11, 28)  # a Saturday
    assert (week.end - week.start).days == 7
    assert (week.previous, week.next) == (dt.date(2026, 11, 21), dt.date(2026, 12, 5))
    english_week = grid.build("week", wednesday, is_jalali=False, today=wednesday)
    assert english_week.start == dt.date(2026, 11, 30)  # a Monday
    day = grid.build("day", wednesday, is_jalali=False, today=wednesday)
    assert [cell.date for cell in day.days] == [wednesday]
    assert (day.previous, day.next) == (dt.date(2026, 12, 1), dt.date(2026, 12, 3))


# Pages ------------------------------------------------------------------------------------------
def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TEHRAN)


@pytest.mark.django_db
def test_a_persian_user_sees_the_jalali_month_with_holidays_and_their_activities() -> None:
    # Given a Persian user with a meeting on 1404/01/15 and the holidays loaded by the migration
    user = staff_member("sara", language=User.Language.PERSIAN)
    MeetingFactory(owner=user, assignees=[user], subject="جلسه با «آریا»", starts_at=_at(_jalali(1404, 1, 15), 10))
    assert Holiday.objects.get(date=dt.date(2025, 3, 21)).name_en == "Nowruz"

    # When they open Farvardin 1404
    response = _client(user).get(reverse("calendar:calendar"), {"date": "2025-04-04"})

    # Then the month is Jalali, Nowruz is marked, the meeting is on its day, escaped
    page = response.content.decode()
    assert "فروردین ۱۴۰۴" in page
    assert "جشن نوروز" in page
    assert "جلسه با «آریا»" in page
    assert response.context["grid"].weeks[0][0].date.weekday() == grid.SATURDAY
    day = next(cell for cell in response.context["grid"].days if cell.date == _jalali(1404, 1, 15))
    assert [entry["activity"].subject for entry in day.entries] == ["جلسه با «آریا»"]


@pytest.mark.django_db
def test_an_english_user_sees_the_gregorian_week_and_create_links() -> None:
    user = staff_member("sam", language=User.Language.ENGLISH)
    TaskFactory(owner=user, assignees=[user], subject="Send <the> quote", due_at=_at(dt.date(2026, 12, 2), 14))

    response = _client(user).get(reverse("calendar:calendar"), {"view": "week", "date": "2026-12-02"})

    page = response.content.decode()
    assert "Send &lt;the&gt; quote" in page
    assert response.context["grid"].start == dt.date(2026, 11, 30)
    first_day = response.context["grid"].days[0]
    assert first_day.create_url == (
        reverse("activities:activity_create") + "?kind=meeting&starts_at=2026-11-30T09%3A00%3A00%2B03%3A30"
    )


@pytest.mark.django_db
def test_the_day_view_puts_activities_in_their_hours() -> None:
    user = staff_member("sam")
    MeetingFactory(owner=user, assignees=[user], subject="Early", starts_at=_at(dt.date(2026, 12, 2), 6))
    MeetingFactory(owner=user, assignees=[user], subject="Lunch", starts_at=_at(dt.date(2026, 12, 2), 13))

    response = _client(user).get(reverse("calendar:calendar"), {"view": "day", "date": "2026-12-02"})

    hours = {
        slot["hour"]: [entry["activity"].subject for entry in slot["entries"]] for slot in response.context["hours"]
    }
    assert hours[7] == ["Early"]
    assert hours[13] == ["Lunch"]
    assert sum(len(subjects) for subjects in hours.values()) == 2


@pytest.mark.django_db
def test_a_bad_date_or_view_shows_this_month() -> None:
    user = staff_member("sam")
    response = _client(user).get(reverse("calendar:calendar"), {"view": "year", "date": "1404-13-40"})
    assert response.status_code == 200
    assert response.context["grid"].view == "month"


@pytest.mark.django_db
def test_a_team_scope_user_opens_a_colleagues_calendar_but_not_a_strangers() -> None:
    # Given a TEAM-scope user, a colleague in their team and a stranger outside it
    team, other = TeamFactory(name="Sales"), TeamFactory(name="Isfahan")
    user = staff_member("lead", scope=Scope.TEAM, teams=[team])
    colleague = staff_member("colleague", scope=Scope.OWN, teams=[team])
    stranger = staff_member("stranger", scope=Scope.OWN, teams=[other])
    day = dt.date(2026, 12, 2)
    MeetingFactory(owner=colleague, team=team, assignees=[colleague], subject="Colleague's", starts_at=_at(day, 10))
    MeetingFactory(owner=stranger, team=other, assignees=[stranger], subject="Stranger's", starts_at=_at(day, 10))
    client = _client(user)

    # When they ask for both calendars
    response = client.get(reverse("calendar:calendar"), {"date": "2026-12-02", "user": [colleague.pk, stranger.pk]})

    # Then the colleague's is shown and the stranger's left out
    assert [person.username for person in response.context["reachable"]] == ["colleague", "lead"]
    assert response.context["chosen_ids"] == [colleague.pk]
    assert "Colleague&#x27;s" in response.content.decode()
    assert "Stranger" not in response.content.decode()
    # And by team too
    response = client.get(reverse("calendar:calendar"), {"date": "2026-12-02", "team": team.pk})
    assert sorted(response.context["chosen_ids"]) == sorted([colleague.pk, user.pk])


@pytest.mark.django_db
def test_the_month_costs_the_same_queries_for_2_or_60_activities() -> None:
    user = staff_member("sam")
    client = _client(user)
    day = dt.date(2026, 12, 2)
    for number in range(2):
        TaskFactory(owner=user, assignees=[user], due_at=_at(day, 9 + number))
    url = f"{reverse('calendar:calendar')}?date=2026-12-02"
    few = _queries(client, url)
    for number in range(58):
        TaskFactory(owner=user, assignees=[user], due_at=_at(day + dt.timedelta(days=number % 20), 10))
    assert _queries(client, url) == few
    # session, user, profile (roles, teams), reachable users and their teams, entries, holidays
    assert few <= 10


@pytest.mark.django_db
def test_a_busy_day_of_the_month_shows_six_and_links_the_rest_to_the_day() -> None:
    user = staff_member("sam", language=User.Language.ENGLISH)
    day = dt.date(2026, 12, 2)
    for number in range(8):
        TaskFactory(owner=user, assignees=[user], subject=f"Busy {number}", due_at=_at(day, 8 + number))

    page = _client(user).get(f"{reverse('calendar:calendar')}?date=2026-12-02").content.decode()

    assert [f"Busy {number}" in page for number in range(8)] == [True] * 6 + [False] * 2
    assert "2 more" in page
    assert "?view=day&amp;date=2026-12-02" in page
    week = _client(user).get(f"{reverse('calendar:calendar')}?view=week&date=2026-12-02").content.decode()
    assert all(f"Busy {number}" in week for number in range(8))  # the week and the day show them all


# Moving -----------------------------------------------------------------------------------------
def _move(client: Client, activity: Activity, **data: str) -> Any:
    return client.post(reverse("calendar:activity_move", args=[activity.pk]), {"next": "/calendar/?view=week", **data})


@pytest.mark.django_db
def test_moving_a_meeting_in_jalali_keeps_its_time_and_length_and_is_audited() -> None:
    # Given a Persian user's meeting from 10:00 to 11:30
    user = staff_member("sara", language=User.Language.PERSIAN)
    start = _at(dt.date(2026, 12, 2), 10)
    meeting = MeetingFactory(owner=user, assignees=[user], starts_at=start, ends_at=start + dt.timedelta(minutes=90))
    client = _client(user)

    # When they move it to ۱۴۰۵/۰۹/۱۵ (Jalali, Persian digits)
    with translation.override("fa"):
        response = _move(client, meeting, date="۱۴۰۵/۰۹/۱۵")

    # Then it starts that day at 10:00, still 90 minutes long, and the change is audited
    assert response.status_code == 302
    assert response["Location"] == "/calendar/?view=week"
    meeting.refresh_from_db()
    assert meeting.starts_at == _at(_jalali(1405, 9, 15), 10)
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(minutes=90)
    assert AuditEvent.objects.filter(object_id=str(meeting.pk), kind=AuditEvent.Kind.UPDATE).count() == 1


@pytest.mark.django_db
def test_moving_a_task_to_an_hour_changes_its_due_time() -> None:
    user = staff_member("sam")
    task = TaskFactory(owner=user, assignees=[user], due_at=_at(dt.date(2026, 12, 2), 10))
    _move(_client(user), task, date="2026-12-05", time="16:45")
    task.refresh_from_db()
    assert task.due_at == _at(dt.date(2026, 12, 5), 16).replace(minute=45)
    assert task.starts_at is None


@pytest.mark.django_db
def test_a_refused_move_shows_why_and_changes_nothing() -> None:
    # Given a weekly meeting repeating until 2026-12-20
    user = staff_member("sam")
    start = _at(dt.date(2026, 12, 2), 10)
    meeting = MeetingFactory(owner=user, assignees=[user], starts_at=start,
                             recurrence=Recurrence(frequency="weekly", until=dt.date(2026, 12, 20)))  # fmt: skip
    client = _client(user)

    # When it is moved after its repetition ends (the service refuses), and to a time that is not one
    refused = _move(client, meeting, date="2027-01-10")
    bad_time = _move(client, meeting, date="2026-12-05", time="25:00")

    # Then nothing changed and each says why
    meeting.refresh_from_db()
    assert meeting.starts_at == start
    assert refused.status_code == bad_time.status_code == 302
    page = client.get("/calendar/?view=week").content.decode()
    assert "Enter a time as hours:minutes" in page
    assert "was not moved: The repetition cannot end before the first occurrence." in page
    assert AuditEvent.objects.filter(object_id=str(meeting.pk), kind=AuditEvent.Kind.UPDATE).count() == 0


@pytest.mark.django_db
def test_only_who_may_edit_an_activity_moves_it() -> None:
    owner = staff_member("owner", scope=Scope.OWN)
    other = staff_member("other", scope=Scope.OWN)
    start = _at(dt.date(2026, 12, 2), 10)
    meeting = MeetingFactory(owner=owner, assignees=[owner], starts_at=start)

    response = _move(_client(other), meeting, date="2026-12-09")

    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.starts_at == start


# The feed address: made by POST, shown once by the GET that follows -----------------------------
@pytest.mark.django_db
def test_making_a_feed_address_redirects_and_shows_it_once_so_a_reload_makes_no_other() -> None:
    from peyvand.activities.models import CalendarFeedToken

    user = staff_member("sara", language=User.Language.ENGLISH)
    client = Client()
    client.force_login(user)

    # When the user makes an address
    made = client.post(reverse("calendar:feed_create"))
    # Then they are sent to a page that shows it, once, never cached
    assert made.status_code == 302
    assert made["Location"] == reverse("calendar:feed_create")
    shown = client.get(made["Location"])
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    url = shown.context["feed_url"]
    assert url.startswith("http://testserver/calendar/feed/")
    assert url.endswith(".ics")
    assert url in shown.content.decode()
    assert Client().get(url).status_code == 200
    hashes = list(CalendarFeedToken.objects.values_list("token_hash", flat=True))

    # When they reload that page
    again = client.get(reverse("calendar:feed_create"), follow=True)

    # Then no new address is made, the old one still works and is not shown again
    assert again.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert url not in again.content.decode()
    assert "Your calendar address is shown only once, when made." in again.content.decode()
    assert list(CalendarFeedToken.objects.values_list("token_hash", flat=True)) == hashes
    assert Client().get(url).status_code == 200


@pytest.mark.django_db
def test_a_user_without_activities_may_not_make_or_open_a_feed_address() -> None:
    from tests.accounts.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())

    assert client.post(reverse("calendar:feed_create")).status_code == 403
    assert client.get(reverse("calendar:feed_create")).status_code == 403
