"""The activities' panels: on the customer page (its activities, the quick form with htmx, done from
there) and on the home page, "my page" (overdue, today, the next days, undated tasks, done with htmx)."""

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
from tests.accounts.factories import RoleFactory, UserFactory
from tests.activities.factories import CallFactory, TaskFactory, staff_member
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The customer page ------------------------------------------------------------------------------
def test_the_customer_page_shows_the_open_and_recent_activities() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()
    TaskFactory(owner=user, party=customer, subject="Send the price list")
    done = TaskFactory(owner=user, party=customer, subject="Sent the catalogue")
    done.status = Activity.Status.DONE
    done.save()
    TaskFactory(owner=user, subject="Another customer's")

    response = _client(user).get(reverse("contacts:party_detail", args=[customer.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="activities"' in page
    assert "Send the price list" in page
    assert "Sent the catalogue" in page
    assert "Another customer's" not in page


def test_the_customer_page_costs_the_same_queries_with_more_activities() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()
    TaskFactory(owner=user, party=customer)
    client = _client(user)
    url = reverse("contacts:party_detail", args=[customer.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _number in range(4):
        CallFactory(owner=user, party=customer, assignees=[user, staff_member()])

    with CaptureQueriesContext(connection) as after:
        client.get(url)

    assert len(after) == len(before)


def test_a_user_without_activities_does_not_see_the_panel() -> None:
    grants = {("persons", "view"): 3}
    user = UserFactory(language=User.Language.ENGLISH, roles=[RoleFactory(grants=grants)])
    customer = PersonFactory()

    page = _client(user).get(reverse("contacts:party_detail", args=[customer.pk])).content.decode()

    assert 'id="activities"' not in page


def test_the_quick_form_creates_a_task_for_the_customer_and_the_panel_refreshes() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()

    response = _client(user).post(reverse("activities:party_create", args=[customer.pk]),
                                  {"activity-kind": "task", "activity-subject": "Send the offer",
                                   "activity-when": "2025-03-21 10:00"}, headers=HTMX)  # fmt: skip

    activity = Activity.objects.get()
    assert (activity.kind, activity.party, activity.owner, activity.subject) == (
        "task",
        customer,
        user,
        "Send the offer",
    )
    assert timezone.localtime(activity.due_at).hour == 10
    page = response.content.decode()
    assert "“Send the offer” was added." in page
    assert '<section class="card activity-panel"' in page


def test_the_quick_form_gives_a_call_its_start_and_says_what_is_missing() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()
    client = _client(user)
    url = reverse("activities:party_create", args=[customer.pk])

    missing = client.post(url, {"activity-kind": "call", "activity-subject": "Call back", "activity-when": ""},
                          headers=HTMX)  # fmt: skip
    assert "Give a call or a meeting a start time." in missing.content.decode()
    assert Activity.objects.count() == 0

    client.post(url, {"activity-kind": "call", "activity-subject": "Call back", "activity-when": "2025-03-21 10:00"},
                headers=HTMX)  # fmt: skip
    call = Activity.objects.get()
    assert call.kind == "call"
    assert call.starts_at is not None
    assert call.due_at is None


def test_the_quick_form_refuses_a_customer_out_of_sight() -> None:
    user = staff_member("sara", scope=1)
    stranger = PersonFactory(owner=staff_member("other"))

    response = _client(user).post(reverse("activities:party_create", args=[stranger.pk]),
                                  {"activity-kind": "task", "activity-subject": "X"}, headers=HTMX)  # fmt: skip

    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_done_from_the_customer_panel_refreshes_it() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()
    task = TaskFactory(owner=user, party=customer, subject="Send the offer")

    response = _client(user).post(reverse("activities:activity_complete", args=[task.pk]), {"panel": "party"},
                                  headers=HTMX)  # fmt: skip

    task.refresh_from_db()
    assert task.status == "done"
    assert "Nothing open for this customer." in response.content.decode()


def test_the_panel_refresh_is_htmx_only() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    customer = PersonFactory()
    client = _client(user)
    url = reverse("activities:party_panel", args=[customer.pk])

    assert client.get(url, headers=HTMX).status_code == 200
    assert client.get(url)["Location"] == f"{reverse('activities:activity_list')}?party={customer.pk}"


# My page ----------------------------------------------------------------------------------------
def test_my_page_shows_overdue_today_upcoming_and_undated() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    now = timezone.now()
    TaskFactory(owner=user, subject="Late one", due_at=now - dt.timedelta(days=1))
    TaskFactory(owner=user, subject="In three days", due_at=now + dt.timedelta(days=3))
    TaskFactory(owner=user, subject="Someday", due_at=None)
    TaskFactory(owner=user, subject="Far away", due_at=now + dt.timedelta(days=30))
    TaskFactory(owner=staff_member("other"), subject="Not mine", due_at=now + dt.timedelta(days=1))

    whole = _client(user).get("/").content.decode()
    # The activities panel alone (the notifications panel beside it announces every new task)
    start = whole.index('aria-labelledby="panel-my-activities"')
    page = whole[start : whole.index("</section>", start)]

    assert "My activities" in page
    assert page.index("Late one") < page.index("In three days") < page.index("Someday")
    assert "Far away" not in page
    assert "Not mine" not in page


def test_my_page_costs_a_fixed_number_of_queries() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    client = _client(user)
    client.get("/")
    with CaptureQueriesContext(connection) as empty:
        client.get("/")
    now = timezone.now()
    for number in range(12):
        TaskFactory(owner=user, party=PersonFactory(), due_at=now + dt.timedelta(hours=number - 6))
        TaskFactory(owner=user, due_at=None)

    with CaptureQueriesContext(connection) as full:
        response = client.get("/")

    # session, user, permissions (3), my account's teams and roles (2), my page's four parts, the bell,
    # "waiting for you" (2: approvals to decide, hand-offs received), "assigned to me" (2: new leads, newest customers)
    assert len(full) == len(empty) == 16
    assert response.content.decode().count("See all") >= 2  # the panel's and a part's with more


def test_done_from_my_page_replaces_the_row() -> None:
    user = staff_member("sara", language=User.Language.ENGLISH)
    task = TaskFactory(owner=user, subject="Send the offer")

    response = _client(user).post(reverse("activities:activity_complete", args=[task.pk]), {"panel": "home"},
                                  headers=HTMX)  # fmt: skip

    task.refresh_from_db()
    assert task.status == "done"
    assert response.content.decode().startswith('<li class="activity-item done">')


def test_my_page_is_in_persian_for_a_persian_user() -> None:
    user = staff_member("sara", language=User.Language.PERSIAN)
    TaskFactory(owner=user, subject="ارسال پیش‌فاکتور", due_at=timezone.now() - dt.timedelta(hours=1))

    page = _client(user).get("/").content.decode()

    assert "ارسال پیش‌فاکتور" in page
    assert "activity-my-panel" in page
