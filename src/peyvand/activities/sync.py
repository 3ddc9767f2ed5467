"""Keeping an activity's staff rows and reminders in step with the activity.

Only the services call these, inside their transaction. ``ActivityAssignee`` holds one row per
staff member on the activity (assignees, and staff participants with ``is_assignee`` false) with
the activity's time, openness and kind repeated; every staff member on an open, dated activity
with ``reminder_minutes`` has one ``Reminder``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.activities.access import forget_staff
from peyvand.activities.models import Activity, ActivityAssignee, ActivityParticipant, Reminder
from peyvand.contacts.models import Party


def write_people(
    activity: Activity,
    *,
    assignees: Sequence[User] | None,
    participant_users: Sequence[User] | None,
    participant_parties: Sequence[Party] | None,
) -> list[int]:
    """Replace the parts given (``None`` keeps a part as it is); returns the ids of the new assignees.

    A participant who stays keeps their answer to the invitation.
    """
    if participant_users is not None:
        wanted = {user.pk for user in participant_users}
        current = set(activity.participants.filter(user__isnull=False).values_list("user_id", flat=True))
        activity.participants.filter(user_id__in=current - wanted).delete()
        ActivityParticipant.objects.bulk_create(
            [ActivityParticipant(activity=activity, user_id=pk) for pk in sorted(wanted - current)]
        )
    if participant_parties is not None:
        wanted = {party.pk for party in participant_parties}
        current = set(activity.participants.filter(party__isnull=False).values_list("party_id", flat=True))
        activity.participants.filter(party_id__in=current - wanted).delete()
        ActivityParticipant.objects.bulk_create(
            [ActivityParticipant(activity=activity, party_id=pk) for pk in sorted(wanted - current)]
        )
    rows = {row.user_id: row for row in ActivityAssignee.objects.filter(activity=activity)}
    assignee_ids = (
        {user.pk for user in assignees}
        if assignees is not None
        else {pk for pk, row in rows.items() if row.is_assignee}
    )
    if participant_users is not None:
        participant_ids = {user.pk for user in participant_users}
    else:
        participant_ids = set(activity.participants.filter(user__isnull=False).values_list("user_id", flat=True))
    wanted_rows = {pk: pk in assignee_ids for pk in assignee_ids | participant_ids}
    ActivityAssignee.objects.filter(activity=activity).exclude(user_id__in=list(wanted_rows)).delete()
    at, is_open = activity.scheduled_at, activity.is_open
    ActivityAssignee.objects.bulk_create([
        ActivityAssignee(activity=activity, user_id=pk, is_assignee=is_assignee, at=at, is_open=is_open,
                         kind=activity.kind)
        for pk, is_assignee in sorted(wanted_rows.items()) if pk not in rows
    ])  # fmt: skip
    for flag in (True, False):
        changed = [pk for pk, is_assignee in wanted_rows.items() if pk in rows and rows[pk].is_assignee != is_assignee
                   and is_assignee == flag]  # fmt: skip
        if changed:
            ActivityAssignee.objects.filter(activity=activity, user_id__in=changed).update(is_assignee=flag)
    forget_staff(activity)
    was_assignee = {pk for pk, row in rows.items() if row.is_assignee}
    return sorted(assignee_ids - was_assignee)


def refresh(activity: Activity, *, reset_reminders: bool) -> None:
    """Repeat the activity's time, openness and kind on its staff rows, and fit its reminders.

    ``reset_reminders`` (the time, the reminder or the status changed) sets every reminder again
    from the activity's time, unsent and unsnoozed; otherwise only staff added or removed get or
    lose theirs, and a snoozed reminder stays snoozed.
    """
    at = activity.scheduled_at
    ActivityAssignee.objects.filter(activity=activity).exclude(at=at, is_open=activity.is_open, kind=activity.kind).update(
        at=at, is_open=activity.is_open, kind=activity.kind
    )  # fmt: skip
    if at is None or not activity.is_open or activity.reminder_minutes is None:
        Reminder.objects.filter(activity=activity).delete()
        return
    remind_at = at - dt.timedelta(minutes=activity.reminder_minutes)
    staff = set(ActivityAssignee.objects.filter(activity=activity).values_list("user_id", flat=True))
    existing = set(Reminder.objects.filter(activity=activity).values_list("user_id", flat=True))
    Reminder.objects.filter(activity=activity).exclude(user_id__in=staff).delete()
    if reset_reminders:
        Reminder.objects.filter(activity=activity).update(remind_at=remind_at, sent_at=None, snoozed_until=None)
    Reminder.objects.bulk_create(
        [Reminder(activity=activity, user_id=pk, remind_at=remind_at) for pk in sorted(staff - existing)]
    )


def snooze(reminder: Reminder, minutes: int) -> Reminder:
    """Remind again ``minutes`` from now, whether or not it was already sent."""
    reminder.remind_at = reminder.snoozed_until = timezone.now() + dt.timedelta(minutes=minutes)
    reminder.sent_at = None
    reminder.save(update_fields=["remind_at", "snoozed_until", "sent_at"])
    return reminder
