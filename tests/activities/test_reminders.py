"""Reminders reach their users on time, once, in their language; snoozed ones come back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from peyvand.accounts.models import Notification
from peyvand.activities import services
from peyvand.activities.models import Reminder
from peyvand.activities.reminders import deliver_due_reminders
from peyvand.common import schedule
from tests.activities.factories import CallFactory, TaskFactory, staff_member

pytestmark = pytest.mark.django_db


def test_a_reminder_is_delivered_once_when_its_time_comes_in_the_users_language() -> None:
    # Given a task due at 10:00 for a Persian-speaking user, to be reminded 30 minutes before
    due = timezone.now().replace(microsecond=0) + dt.timedelta(hours=2)
    user = staff_member("mina", language="fa", email="mina@example.com")
    TaskFactory(subject="تماس با آقای رضایی", due_at=due, assignees=[user], reminder_minutes=30)
    Notification.objects.all().delete()

    # When the clock ticks before its time, at its time, and again after
    before = deliver_due_reminders(now=due - dt.timedelta(minutes=31))
    on_time = deliver_due_reminders(now=due - dt.timedelta(minutes=30))
    again = deliver_due_reminders(now=due - dt.timedelta(minutes=29))

    # Then it was sent once, under the bell and by email, in Persian
    assert (before, on_time, again) == (0, 1, 0)
    notification = Notification.objects.get(recipient=user)
    assert notification.title == "یادآوری: تماس با آقای رضایی"
    assert notification.body.startswith("سررسید:")
    assert [message.to for message in mail.outbox] == [["mina@example.com"]]


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
