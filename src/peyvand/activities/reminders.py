"""Delivering the reminders whose time has come: under the bell and, as the user prefers, by email
(notifications of the kind "reminder"), in each user's language.

The background worker's clock (``common.schedule``) queues :func:`tasks.deliver_reminders` every
``REMINDER_CHECK_SECONDS``. Each reminder is claimed by setting its ``sent_at`` where it is still
empty, so two workers never deliver one twice; a snoozed reminder (``remind_at`` moved on, ``sent_at``
emptied by ``sync.snooze``) comes back when its new time comes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.accounts.models import User
from peyvand.accounts.notifications import notification_send
from peyvand.activities.models import Activity, Reminder
from peyvand.activities.services import when_text

REMINDER_CHECK_SECONDS = 30
BATCH = 500
# A reminder whose activity began this long ago is dropped rather than sent (a worker that was
# down for days does not flood its users with stale reminders).
STALE_AFTER = dt.timedelta(days=1)


def deliver_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Send the reminders due at ``now`` (at most ``BATCH``); returns how many were sent."""
    now = now or timezone.now()
    due = (
        Reminder.objects.filter(sent_at__isnull=True, remind_at__lte=now)
        .select_related("activity", "user")
        .order_by("remind_at", "pk")[:BATCH]
    )
    sent = 0
    for reminder in due:
        # Claimed here: another worker's update of the same row finds sent_at set and does nothing.
        if not Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=now):
            continue
        activity, user = reminder.activity, reminder.user
        scheduled = activity.scheduled_at
        if not user.is_active or not activity.is_open or (scheduled is not None and scheduled < now - STALE_AFTER):
            continue
        _deliver(activity, user)
        sent += 1
    return sent


def _deliver(activity: Activity, user: User) -> None:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        title = _("Reminder: %(subject)s") % {"subject": activity.subject}
        body = when_text(activity, language)
        url = _activity_url(activity)
        # By email too, after commit, unless the user turned reminder emails off (accounts.notifications).
        notification_send(recipient=user, title=title, body=body, url=url, kind="reminder")


def _activity_url(activity: Activity) -> str:
    try:
        return reverse("activities:activity_detail", args=[activity.pk])
    except NoReverseMatch:  # the pages are not installed
        return ""
