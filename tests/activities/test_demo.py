"""`peyvand demo` gives each demo user a lived-in week of tasks, calls and meetings."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.activities.demo import DEMO_USERS, build_demo_activities
from peyvand.activities.models import Activity
from peyvand.activities.selectors import my_activities
from tests.accounts.factories import UserFactory
from tests.contacts.factories import PersonFactory

PERSIAN = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db
def test_each_demo_user_has_overdue_today_upcoming_undated_and_done_activities() -> None:
    counts = dict(Activity.objects.values_list("owner__username").annotate(count=Count("pk")))
    assert counts == {"admin": 14, "agent": 14, "manager": 14, "rep": 14, "rep2": 14}
    kinds = dict(Activity.objects.values_list("kind").annotate(count=Count("pk")))
    assert kinds == {"task": 30, "call": 20, "meeting": 20}
    for username in ("rep", "rep2"):
        mine = my_activities(actor=User.objects.get(username=username), now=timezone.now())
        assert len(mine.overdue.rows) == 2
        assert len(mine.undated.rows) == 2
        assert len(mine.upcoming.rows) >= 3


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db
def test_the_demo_speaks_each_users_language_and_done_calls_are_on_the_timeline() -> None:
    persian = Activity.objects.filter(owner__username="rep2").values_list("subject", flat=True)
    english = Activity.objects.filter(owner__username="rep").values_list("subject", flat=True)
    assert all(PERSIAN.search(subject) for subject in persian)
    assert not any(PERSIAN.search(subject) for subject in english)
    done_with_customer = Activity.objects.filter(status="done", kind__in=["call", "meeting"])
    assert done_with_customer.count() == 10
    assert not done_with_customer.filter(interaction__isnull=True).exists()


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db
def test_the_demo_users_page_shows_their_activities() -> None:
    client = Client()
    client.force_login(User.objects.get(username="rep2"))

    page = client.get("/").content.decode()

    assert "activity-my-panel" in page
    assert "ارسال پیش‌فاکتور" in page


# Working hours ----------------------------------------------------------------------------------
TEHRAN = ZoneInfo("Asia/Tehran")
CLOSING = {5: 18, 6: 18, 0: 18, 1: 18, 2: 18, 3: 12}  # Saturday to Wednesday, Thursday morning


def _outside_working_hours(activities: Iterable[Activity]) -> list[str]:
    wrong = []
    for activity in activities:
        start = activity.starts_at or activity.due_at
        if start is None:
            continue
        local = start.astimezone(TEHRAN)
        end = (activity.ends_at or start).astimezone(TEHRAN)
        closing = CLOSING.get(local.weekday())
        if closing is None or local.hour < 8 or end.date() != local.date() or (end.hour, end.minute) > (closing, 0):
            wrong.append(f"{activity.subject}: {local:%a %H:%M}–{end:%H:%M}")
    return wrong


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db
def test_every_timed_demo_activity_is_within_working_hours_in_tehran() -> None:
    assert _outside_working_hours(Activity.objects.all()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "built_at",
    [
        dt.datetime(2025, 3, 12, 22, 0, tzinfo=TEHRAN),  # a Wednesday night: Thursday morning and Friday follow
        dt.datetime(2025, 3, 14, 11, 0, tzinfo=TEHRAN),  # a Friday
        dt.datetime(2025, 3, 15, 3, 0, tzinfo=TEHRAN),  # a Saturday before dawn
        dt.datetime(2025, 3, 13, 13, 0, tzinfo=TEHRAN),  # a Thursday afternoon
        dt.datetime(2025, 3, 11, 17, 45, tzinfo=TEHRAN),  # a Tuesday near closing time
        dt.datetime(2025, 3, 9, 9, 10, tzinfo=TEHRAN),  # a Sunday morning
    ],
)
def test_demo_activities_keep_their_place_and_working_hours_whenever_built(built_at: dt.datetime) -> None:
    # Given one demo user with customers (alone, should the whole demo be loaded by another test)
    Activity.objects.all().delete()
    User.objects.filter(username__in=DEMO_USERS).exclude(username="rep").update(is_active=False)
    user = User.objects.filter(username="rep").first() or UserFactory(username="rep")
    PersonFactory(owner=user)

    made = build_demo_activities(now=built_at)

    # Then every timed one is within working hours, overdue and done ones before the moment, the rest after
    activities = list(Activity.objects.all())
    assert made == 14
    assert _outside_working_hours(activities) == []
    mine = my_activities(actor=user, now=built_at)
    assert len(mine.overdue.rows) == 2
    assert len(mine.undated.rows) == 2
    assert len(mine.upcoming.rows) >= 3
    assert all((row.starts_at or row.due_at) < built_at for row in activities if row.status == "done")
    starts = sorted(row.starts_at for row in activities if row.starts_at and row.status == "open")
    assert all(later >= earlier + dt.timedelta(minutes=30) for earlier, later in itertools.pairwise(starts))
