"""What makes an activity's values right, whatever the way in (the API today, the pages and the
calendar later): the rules of each kind, the ranges, the repetition and the reminder.

``check(values)`` raises one ``ValidationError`` naming every wrong field at once; the services
call it with the activity's values as they will be after the change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.activities.models import Activity

if TYPE_CHECKING:
    from peyvand.accounts.models import User

SUBJECT_LENGTH = 300
LOCATION_LENGTH = 300
MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60  # four weeks
MAX_SNOOZE_MINUTES = 7 * 24 * 60  # a week
MAX_INTERVAL = 999
MAX_STAFF = 50
MAX_PARTY_PARTICIPANTS = 100
# Times outside these years are typing mistakes, and stepping or reminding from them could leave the calendar.
FIRST_YEAR, LAST_YEAR = 1000, 9000
TIME_FIELDS = ("due_at", "starts_at", "ends_at")


@dataclass(frozen=True)
class Recurrence:
    """How an activity repeats: every ``interval`` days, weeks, months or years until ``until`` (a
    day, inclusive), monthly and yearly in the months of ``calendar``."""

    frequency: str = Activity.Frequency.NONE
    interval: int = 1
    until: dt.date | None = None
    calendar: str = Activity.Calendar.JALALI

    @property
    def repeats(self) -> bool:
        return self.frequency != Activity.Frequency.NONE


def recurrence_of(activity: Activity) -> Recurrence:
    return Recurrence(frequency=activity.recurrence, interval=activity.recurrence_interval,
                      until=activity.recurrence_until, calendar=activity.recurrence_calendar)  # fmt: skip


def default_calendar(user: User | None) -> str:
    """Jalali for a Persian user (or, without one, when Peyvand speaks Persian), Gregorian otherwise."""
    language = user.language if user is not None else settings.LANGUAGE_CODE
    return Activity.Calendar.JALALI if (language or "fa").startswith("fa") else Activity.Calendar.GREGORIAN


def start_of_day(value: dt.datetime) -> dt.datetime:
    """Midnight of the day ``value`` falls on in ``TIME_ZONE``."""
    return timezone.make_aware(dt.datetime.combine(timezone.localtime(value).date(), dt.time()))


def normalized(values: dict[str, Any]) -> dict[str, Any]:
    """Texts stripped; an all-day activity's times moved to the midnight of their day."""
    values = dict(values)
    for name in ("subject", "description", "location", "outcome"):
        values[name] = (values.get(name) or "").strip()
    values["direction"] = values.get("direction") or ""
    values["call_outcome"] = values.get("call_outcome") or ""
    if values.get("all_day"):
        for name in TIME_FIELDS:
            value = values.get(name)
            if value is not None and in_range(value):
                values[name] = start_of_day(value)
    recurrence: Recurrence = values["recurrence"]
    if not recurrence.repeats:
        values["recurrence"] = Recurrence(calendar=recurrence.calendar)
    return values


def in_range(value: dt.datetime) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def _choose(choices: list[str]) -> str:
    return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}


def check(values: dict[str, Any]) -> None:
    """Raise a ``ValidationError`` naming each wrong value, for the values an activity will have."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    kind = values["kind"]
    choices = {"kind": Activity.Kind, "priority": Activity.Priority}
    for name, choice in choices.items():
        if values[name] not in choice.values:
            add(name, _choose(choice.values))
    if not values["subject"]:
        add("subject", _("Write a subject."))
    for name, limit in (("subject", SUBJECT_LENGTH), ("location", LOCATION_LENGTH)):
        if len(values[name]) > limit:
            add(name, _("Enter at most %(count)s characters.") % {"count": limit})
    times = {name: values[name] for name in TIME_FIELDS}
    for name, value in times.items():
        if value is not None and not in_range(value):
            add(name, _("This time is outside the calendar."))
    _check_times(kind, times, add)
    _check_call_fields(kind, values, add)
    scheduled = times["due_at"] or times["starts_at"]
    minutes = values["reminder_minutes"]
    if minutes is not None:
        if not 0 <= minutes <= MAX_REMINDER_MINUTES:
            add(
                "reminder_minutes",
                _("Enter a number from %(low)s to %(high)s.") % {"low": 0, "high": MAX_REMINDER_MINUTES},
            )
        elif scheduled is None:
            add("reminder_minutes", _("Give a due or start time to be reminded of."))
    _check_recurrence(values["recurrence"], scheduled, add)
    if errors:
        raise ValidationError(errors)


def _check_times(kind: str, times: dict[str, dt.datetime | None], add: Any) -> None:
    if kind == Activity.Kind.TASK:
        for name in ("starts_at", "ends_at"):
            if times[name] is not None:
                add(name, _("A task has a due time, not a start or an end."))
    elif kind in (Activity.Kind.CALL, Activity.Kind.MEETING):
        if times["due_at"] is not None:
            add("due_at", _("A call or a meeting has a start time, not a due time."))
        starts_at, ends_at = times["starts_at"], times["ends_at"]
        if starts_at is None:
            add("starts_at", _("Give a call or a meeting a start time."))
        elif ends_at is not None and ends_at < starts_at:
            add("ends_at", _("The end cannot be before the start."))


def _check_call_fields(kind: str, values: dict[str, Any], add: Any) -> None:
    for name, choice, message in (
        ("direction", Activity.Direction, _("Only a call has a direction.")),
        ("call_outcome", Activity.CallOutcome, _("Only a call has a call outcome.")),
    ):
        value = values[name]
        if not value:
            continue
        if kind != Activity.Kind.CALL:
            add(name, message)
        elif value not in choice.values:
            add(name, _choose(choice.values))


def _check_recurrence(recurrence: Recurrence, scheduled: dt.datetime | None, add: Any) -> None:
    if recurrence.frequency not in Activity.Frequency.values:
        add("recurrence.frequency", _choose(Activity.Frequency.values))
        return
    if recurrence.calendar not in Activity.Calendar.values:
        add("recurrence.calendar", _choose(Activity.Calendar.values))
    if not recurrence.repeats:
        return
    if not 1 <= recurrence.interval <= MAX_INTERVAL:
        add("recurrence.interval", _("Enter a number from %(low)s to %(high)s.") % {"low": 1, "high": MAX_INTERVAL})
    if scheduled is None:
        add("recurrence.frequency", _("Give a due or start time to repeat from."))
    elif (
        recurrence.until is not None and in_range(scheduled) and recurrence.until < timezone.localtime(scheduled).date()
    ):
        add("recurrence.until", _("The repetition cannot end before the first occurrence."))
