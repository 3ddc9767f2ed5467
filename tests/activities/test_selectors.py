"""Reading activities: the list's filters and pages, a user's page, the calendar, a customer's activities,
each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from peyvand.accounts import access as accounts_access
from peyvand.accounts.permissions import Scope
from peyvand.activities import selectors, services
from peyvand.activities.models import Activity
from peyvand.activities.selectors import ActivityFilters
from peyvand.common.pagination import keyset_page
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import CallFactory, MeetingFactory, TaskFactory, staff_member
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
# Friday 21 March 2025, 13:00 in Tehran
NOW = dt.datetime(2025, 3, 21, 13, 0, tzinfo=TEHRAN)


def _at(days: float = 0, hours: float = 0) -> dt.datetime:
    return NOW + dt.timedelta(days=days, hours=hours)


def _subjects(rows: list[Any]) -> list[str]:
    return [getattr(row, "activity", row).subject for row in rows]


def _ready(user: Any) -> Any:
    accounts_access.profile_for(user)  # read once per request, before the queries counted
    return user


# The list ---------------------------------------------------------------------------------------
def test_the_list_filters_by_kind_status_assignee_customer_time_and_overdue() -> None:
    sara = staff_member("sara")
    ali = UserFactory(username="ali")
    person = PersonFactory()
    TaskFactory(subject="late task", owner=sara, assignees=[ali], due_at=_at(-2), party=person)
    CallFactory(subject="call today", owner=sara, assignees=[sara], starts_at=_at(hours=2), party=person)
    done = TaskFactory(subject="done task", owner=sara, assignees=[ali], due_at=_at(-1))
    services.activity_complete(actor=sara, activity=done)
    TaskFactory(subject="undated", owner=sara, due_at=None)
    MeetingFactory(subject="next week", owner=sara, starts_at=_at(7))

    def listed(**filters: Any) -> list[str]:
        found = selectors.activity_list(actor=sara, filters=ActivityFilters(**filters), now=NOW)
        return sorted(found.values_list("subject", flat=True))

    assert listed(kind="task") == ["done task", "late task", "undated"]
    assert listed(status="done") == ["done task"]
    assert listed(assignee_id=ali.pk) == ["done task", "late task"]
    assert listed(party_id=person.pk) == ["call today", "late task"]
    assert listed(since=_at(-1, -1), until=_at(1)) == ["call today", "done task"]
    assert listed(overdue=True) == ["late task"]
    assert listed(overdue=True, kind="call") == []


def test_the_list_pages_by_time_with_the_undated_at_their_creation() -> None:
    sara = staff_member("sara")
    now = timezone.now()
    for days in (3, 1, 2):
        TaskFactory(subject=f"in {days} days", owner=sara, due_at=now + dt.timedelta(days=days))
    TaskFactory(subject="someday", owner=sara, due_at=None)  # created now, before the others fall due
    found = selectors.activity_list(actor=sara, filters=ActivityFilters())

    first = keyset_page(found, ordering="at", cursor=None, limit=2)
    second = keyset_page(found, ordering="at", cursor=first.next_cursor, limit=2)

    assert _subjects(first.items) + _subjects(second.items) == ["someday", "in 1 days", "in 2 days", "in 3 days"]
    assert second.next_cursor is None


@pytest.mark.parametrize("count", [3, 30])
def test_a_list_page_costs_four_queries_however_many_activities(count: int, django_assert_num_queries: Any) -> None:
    sara = _ready(staff_member("sara", scope=Scope.OWN))
    person = PersonFactory()
    for n in range(count):
        MeetingFactory(owner=sara, assignees=[sara, UserFactory()], starts_at=_at(n), participant_users=[sara],
                       participant_parties=[person], reminder_minutes=5)  # fmt: skip

    # the page, then its staff, its participants and sara's reminders
    with django_assert_num_queries(4):
        page = keyset_page(selectors.activity_list(actor=sara, filters=ActivityFilters()), ordering="at",
                           cursor=None, limit=20)  # fmt: skip
        people = [(len(item.assignees.all()), len(item.participants.all()), len(item.my_reminders))  # type: ignore[attr-defined]
                  for item in page.items]  # fmt: skip

    assert people == [(2, 2, 1)] * min(count, 20)


# My page ----------------------------------------------------------------------------------------
def test_my_page_has_my_overdue_today_upcoming_and_undated_open_activities(django_assert_num_queries: Any) -> None:
    # Given Sara's activities around now (Friday 13:00 in Tehran), and some that are not hers or not open
    sara = _ready(staff_member("sara"))
    other = UserFactory()
    TaskFactory(subject="yesterday", owner=sara, due_at=_at(-1))
    TaskFactory(subject="this morning", owner=other, assignees=[sara], due_at=_at(hours=-3))
    MeetingFactory(subject="this evening", owner=other, assignees=[other], participant_users=[sara],
                   starts_at=_at(hours=6))  # fmt: skip
    CallFactory(subject="tomorrow", owner=sara, starts_at=_at(1))
    TaskFactory(subject="in a week", owner=sara, due_at=_at(7, hours=5))
    TaskFactory(subject="in eight days", owner=sara, due_at=_at(8, hours=5))
    TaskFactory(subject="someday", owner=sara, due_at=None)
    TaskFactory(subject="not hers", owner=other, due_at=_at(hours=1))
    done = TaskFactory(subject="done", owner=sara, due_at=_at(hours=1))
    services.activity_complete(actor=sara, activity=done)

    # When her page is read: one query per part
    with django_assert_num_queries(4):
        page = selectors.my_activities(actor=sara, now=NOW)
        parts = {name: _subjects(getattr(page, name).rows) for name in ("overdue", "today", "upcoming", "undated")}

    # Then each part has hers, in order; the week ends with the seventh day after today
    assert parts == {
        "overdue": ["this morning", "yesterday"],
        "today": ["this evening"],
        "upcoming": ["tomorrow", "in a week"],
        "undated": ["someday"],
    }


def test_each_part_of_my_page_is_bounded() -> None:
    sara = staff_member("sara")
    for hours in (1, 2, 3):
        TaskFactory(owner=sara, due_at=_at(hours=-hours))

    page = selectors.my_activities(actor=sara, now=NOW, limit=2)

    assert (len(page.overdue.rows), page.overdue.has_more, page.today.has_more) == (2, True, False)
    assert selectors.my_activities(actor=UserFactory(), now=NOW) == selectors.MyActivities()


# The calendar -----------------------------------------------------------------------------------
def test_the_calendar_shows_the_users_activities_in_the_period_as_far_as_the_actor_sees_them(
    django_assert_num_queries: Any,
) -> None:
    # Given Sara sees her team's activities; Ali is in her team, Reza in another branch
    sales, isfahan = TeamFactory(name="Sales"), TeamFactory(name="Isfahan")
    sara = _ready(staff_member("sara", scope=Scope.TEAM, teams=[sales]))
    ali, reza = UserFactory(username="ali", teams=[sales]), UserFactory(username="reza", teams=[isfahan])
    MeetingFactory(subject="ali's meeting", owner=ali, assignees=[ali], team=sales, starts_at=_at(1))
    done = CallFactory(subject="ali's call", owner=ali, assignees=[ali], team=sales, starts_at=_at(2))
    services.activity_complete(actor=None, activity=done)
    TaskFactory(subject="reza's task", owner=reza, assignees=[reza], team=isfahan, due_at=_at(1, hours=1))
    TaskFactory(subject="reza's task with sara", owner=reza, assignees=[reza, sara], team=isfahan, due_at=_at(3))
    TaskFactory(subject="later", owner=ali, assignees=[ali], team=sales, due_at=_at(40))

    # When she opens the month of Ali and Reza: one query
    with django_assert_num_queries(1):
        entries = selectors.activities_between(actor=sara, user_ids=[ali.pk, reza.pk, sara.pk], start=_at(-1),
                                               end=_at(30))  # fmt: skip

    # Then she sees Ali's, done ones too, and Reza's only where she is on it herself, by time, per user
    assert [(row.user.username, row.activity.subject) for row in entries.rows] == [
        ("ali", "ali's meeting"), ("ali", "ali's call"), ("sara", "reza's task with sara"),
        ("reza", "reza's task with sara"),
    ]  # fmt: skip
    assert entries.is_truncated is False
    cut = selectors.activities_between(actor=sara, user_ids=[ali.pk], start=_at(-1), end=_at(30), limit=1)
    assert (len(cut.rows), cut.is_truncated) == (1, True)


# A customer's activities ------------------------------------------------------------------------
def test_a_customers_activities_open_soonest_first_and_closed_latest_first(django_assert_num_queries: Any) -> None:
    sara = _ready(staff_member("sara"))
    person = PersonFactory()
    TaskFactory(subject="later", party=person, due_at=_at(5))
    TaskFactory(subject="sooner", party=person, due_at=_at(1))
    for days in (-3, -1):
        closed = TaskFactory(subject=f"closed {days}", party=person, due_at=_at(days))
        services.activity_cancel(actor=None, activity=closed)
    TaskFactory(subject="another customer's", party=PersonFactory(), due_at=_at(1))

    with django_assert_num_queries(2):
        found = selectors.party_activities(actor=sara, party=person)

    assert (_subjects(found.open), _subjects(found.closed)) == (["sooner", "later"], ["closed -1", "closed -3"])
    assert (found.has_more_open, found.has_more_closed) == (False, False)
    with pytest.raises(PermissionDenied):
        selectors.party_activities(actor=UserFactory(), party=person)
    assert Activity.objects.count() == 5
