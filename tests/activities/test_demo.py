"""`peyvand demo` gives each demo user a lived-in week of tasks, calls and meetings."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.activities.models import Activity
from peyvand.activities.selectors import my_activities

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
