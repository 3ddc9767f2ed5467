"""Reminders reach their users on time, once, in their language; snoozed ones come back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from peyvand.accounts.models import Notification
from peyvand.accounts.notifications import notification_preferences_set
from peyvand.activities import services
from peyvand.activities.models import Reminder
from peyvand.activities.reminders import deliver_due_reminders
from peyvand.common import schedule
from tests.activities.factories import CallFactory, TaskFactory, staff_member

pytestmark = pytest.mark.django_db


def test_a_reminder_is_delivered_once_when_its_time_comes_in_the_users_language(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Given a task due at 10:00 for a Persian-speaking user, to be reminded 30 minutes before
    due = timezone.now().replace(microsecond=0) + dt.timedelta(hours=2)
    user = staff_member("mina", language="fa", email="mina@example.com")
    TaskFactory(subject="تماس با آقای رضایی", due_at=due, assignees=[user], reminder_minutes=30)
    Notification.objects.all().delete()

    # When the clock ticks before its time, at its time, and again after
    # (the email is queued when the delivery commits)
    with django_capture_on_commit_callbacks(execute=True):
        before = deliver_due_reminders(now=due - dt.timedelta(minutes=31))
        on_time = deliver_due_reminders(now=due - dt.timedelta(minutes=30))
        again = deliver_due_reminders(now=due - dt.timedelta(minutes=29))

    # Then it was sent once, under the bell and by email, in Persian
    assert (before, on_time, again) == (0, 1, 0)
    notification = Notification.objects.get(recipient=user)
    assert notification.title == "یادآوری: تماس با آقای رضایی"
    assert notification.body.startswith("سررسید:")
    assert [message.to for message in mail.outbox] == [["mina@example.com"]]
    assert mail.outbox[0].subject == "یادآوری: تماس با آقای رضایی"
    assert mail.outbox[0].body.startswith("یادآوری: تماس با آقای رضایی\n\nسررسید:")
    assert notification.kind == "reminder"


def test_a_user_who_turned_reminder_emails_off_gets_the_reminder_under_the_bell_only(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Given a user with an email address who turned reminder emails off
    due = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    user = staff_member("omid", language="en", email="omid@example.com")
    notification_preferences_set(user=user, email={"reminder": False})
    TaskFactory(subject="Renew the contract", due_at=due, assignees=[user], reminder_minutes=10)
    Notification.objects.all().delete()

    # When the reminder's time comes
    with django_capture_on_commit_callbacks(execute=True):
        sent = deliver_due_reminders(now=due - dt.timedelta(minutes=10))

    # Then it is under the bell, and no email was sent
    assert sent == 1
    assert list(Notification.objects.filter(recipient=user).values_list("kind", "title")) == [
        ("reminder", "Reminder: Renew the contract")
    ]
    assert mail.outbox == []


def test_a_snoozed_reminder_comes_back_and_a_finished_activity_is_not_reminded() -> None:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=10)
    user = staff_member("reza", language="en")
    call = CallFactory(subject="Call back Pars", starts_at=start, assignees=[user], reminder_minutes=15)
    done = TaskFactory(subject="Send the quote", due_at=start, assignees=[user], reminder_minutes=15)
    services.activity_complete(actor=None, activity=done, outcome="Sent")
    Notification.objects.all().delete()
    now = timezone.now()

    assert deliver_due_reminders(now=now) == 1  # the call only: the completed task has no reminder left
    reminder = Reminder.objects.get(activity=call, user=user)
    services.reminder_snooze(actor=user, reminder=reminder, minutes=5)

    assert deliver_due_reminders(now=now + dt.timedelta(minutes=4)) == 0
    assert deliver_due_reminders(now=now + dt.timedelta(minutes=6)) == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["Reminder: Call back Pars"] * 2


def test_the_worker_clock_queues_the_reminders_when_due() -> None:
    # Given the registered periodic work, as the worker sees it
    keys = {item.key for item in schedule.registered()}
    assert "activities.reminders" in keys

    # When no run happened yet, everything is due; right after a run, nothing is
    assert {item.key for item in schedule.due({}, now=0.0)} >= {"activities.reminders"}
    last = {item.key: 100.0 for item in schedule.registered()}
    assert schedule.due(last, now=101.0) == []
