"""Tasks, calls and meetings, the staff on them, their customer participants and their reminders.

``Activity.at`` is where an activity stands in time: the due time of a task, the start of a call
or meeting; a task with neither stands at its creation, so that every list can page by it.
``ActivityAssignee`` repeats, for each staff member on an activity, what "my page" and the
calendar need (its time, whether it is open, its kind), so that they read one index of one table
for one user however many activities there are (ADR 15). The services keep both in step.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import OwnedRecord
from peyvand.contacts.models import Party
from peyvand.timeline.models import Interaction


class Activity(OwnedRecord):
    """Something a staff member does or attends: a task, a call, a meeting. ``owner`` is responsible."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class CallOutcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        LEFT_MESSAGE = "left_message", _("Left a message")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")

    class Frequency(models.TextChoices):
        NONE = "none", _("Does not repeat")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")

    class Calendar(models.TextChoices):
        JALALI = "jalali", _("Jalali")
        GREGORIAN = "gregorian", _("Gregorian")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    call_outcome = models.CharField(_("call outcome"), max_length=20, choices=CallOutcome.choices, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    # due_at or starts_at, or else the creation time: never null, so lists page by it.
    at = models.DateTimeField(_("when"), editable=False)
    location = models.CharField(_("location"), max_length=300, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)  # fmt: skip
    # The customer it concerns. Deleting the customer keeps the staff's activity, unlinked.
    party = models.ForeignKey(Party, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="activities")  # fmt: skip
    # A link to any other record (a deal, a case, a project once those exist).
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    # The interaction written on the customer's timeline when a call or meeting was completed.
    interaction = models.ForeignKey(Interaction, verbose_name=_("interaction"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    recurrence = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.NONE)
    recurrence_interval = models.PositiveSmallIntegerField(_("every"), default=1)
    recurrence_until = models.DateField(_("repeats until"), null=True, blank=True)
    # The calendar whose months and years a monthly or yearly repetition steps through.
    recurrence_calendar = models.CharField(_("calendar"), max_length=10, choices=Calendar.choices,
                                           default=Calendar.JALALI)  # fmt: skip
    # The first activity of a recurring series (null on the first itself).
    series = models.ForeignKey("self", verbose_name=_("series"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="occurrences")  # fmt: skip
    reminder_minutes = models.PositiveIntegerField(_("remind minutes before"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["at", "id"], name="activity_time"),
            models.Index(fields=["status", "at", "id"], name="activity_status_time"),
            models.Index(fields=["party", "at", "id"], name="activity_party_time"),
            models.Index(fields=["team", "at", "id"], name="activity_team_time"),
            models.Index(fields=["owner", "status", "at", "id"], name="activity_owner_status_time"),
            models.Index(fields=["related_type", "related_id"], name="activity_related"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=False, ends_at__gte=F("starts_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(recurrence_interval__gte=1), name="activity_interval_positive"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def scheduled_at(self) -> dt.datetime | None:
        """The due time of a task or the start of a call or meeting; ``None`` for an undated task."""
        return self.due_at or self.starts_at

    @property
    def is_recurring(self) -> bool:
        return self.recurrence != self.Frequency.NONE


class ActivityAssignee(models.Model):
    """A staff member with this activity on their page and calendar: an assignee (who does it) or a
    staff participant of a meeting. ``at``, ``is_open`` and ``kind`` repeat the activity's, kept
    in step by the services, so that a user's page reads this table's index alone."""

    # No index of their own: the unique (activity, user) and the indexes below start with them.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignees", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="activity_assignments", db_index=False)  # fmt: skip
    # False for a staff member who takes part without being responsible for it.
    is_assignee = models.BooleanField(default=True)
    at = models.DateTimeField(null=True, blank=True)  # the activity's due or start time; null when undated
    is_open = models.BooleanField(default=True)
    kind = models.CharField(max_length=10, choices=Activity.Kind.choices)

    class Meta:
        verbose_name = _("assignee")
        verbose_name_plural = _("assignees")
        indexes = [
            # My page: a user's open activities, overdue, today and upcoming.
            models.Index(fields=["user", "is_open", "at", "id"], name="assignee_user_open_time"),
            # The calendar: a user's activities in a period, done ones too.
            models.Index(fields=["user", "at", "id"], name="assignee_user_time"),
        ]
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="activity_assignee_unique")]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.user_id}"


class ActivityParticipant(models.Model):
    """Someone taking part: a staff member or a customer contact, with their answer to the invitation."""

    class Status(models.TextChoices):
        NEEDS_ACTION = "needs_action", _("Needs action")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")  # fmt: skip
    party = models.ForeignKey(Party, verbose_name=_("contact"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="activity_participations")  # fmt: skip
    status = models.CharField(_("answer"), max_length=20, choices=Status.choices, default=Status.NEEDS_ACTION)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, party__isnull=True) | Q(user__isnull=True, party__isnull=False),
                name="participant_user_or_party",
            ),
            models.UniqueConstraint(fields=["activity", "user"], condition=Q(user__isnull=False),
                                    name="participant_user_unique"),
            models.UniqueConstraint(fields=["activity", "party"], condition=Q(party__isnull=False),
                                    name="participant_party_unique"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.user_id or ''}/{self.party_id or ''}"


class Reminder(models.Model):
    """When to remind one staff member of an activity; ``sent_at`` once delivered."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="activity_reminders")  # fmt: skip
    remind_at = models.DateTimeField(_("remind at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [
            # What the delivery task reads: the reminders not sent yet, by time.
            models.Index(fields=["remind_at"], condition=Q(sent_at__isnull=True), name="reminder_due"),
        ]
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="reminder_unique")]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.user_id} at {self.remind_at:%Y-%m-%d %H:%M}"


class Holiday(models.Model):
    """An official holiday in Iran, shown on the calendar; loaded from ``activities/data/iran_holidays.json``
    or a newer file an administrator uploads (``holidays.py``). One row a day: two occasions on the
    same day share it, their names joined."""

    date = models.DateField(_("date"), unique=True)
    name_fa = models.CharField(_("name in Persian"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)
    is_official = models.BooleanField(_("official holiday"), default=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name_en}"

    @property
    def name(self) -> str:
        """The name in the current language."""
        from django.utils import translation

        return self.name_fa if (translation.get_language() or "fa").startswith("fa") else self.name_en


class CalendarFeedToken(models.Model):
    """The secret of a user's private iCalendar feed: only its SHA-256 is kept, so the address is
    shown once when made; making a new one or revoking it makes the old address answer 404."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="calendar_feed_token")  # fmt: skip
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


# Internal workflow's records live in their own module and belong to this app.
from peyvand.activities.workflow.models import ActivityNote, ApprovalRequest, Handoff  # noqa: E402

__all__ = [
    "Activity", "ActivityAssignee", "ActivityNote", "ActivityParticipant", "ApprovalRequest", "CalendarFeedToken",
    "Handoff", "Holiday", "Reminder",
]  # fmt: skip
