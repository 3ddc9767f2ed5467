"""iCalendar: a user's private feed (what calendar programs subscribe to) and a meeting's invitation.

Built with the ``icalendar`` library (ADR 16). Calls and meetings are VEVENTs with their start and
end in Asia/Tehran (a VTIMEZONE is included); tasks with a due time are VTODOs. An activity keeps
its UID (``activity-<id>@<host>``) for life; ``SEQUENCE`` is the seconds from its creation to its
last change, so it grows with every change as RFC 5545 asks, without a counter column. A series
that repeats in Gregorian steps (daily, weekly, or monthly and yearly in the Gregorian calendar)
carries an RRULE on its open occurrence; Jalali months and years have no RRULE form, so those
occurrences appear one at a time as the series creates them.

The feed's secret is a random token: only its SHA-256 is stored, the address is shown once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo
from typing import TYPE_CHECKING

import icalendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.activities.access import activity_filter
from peyvand.activities.models import Activity, ActivityAssignee, ActivityParticipant, CalendarFeedToken
from peyvand.contacts.models import ContactPoint

if TYPE_CHECKING:
    from peyvand.accounts.models import User

PRODUCT = "-//Peyvand//Peyvand CRM//EN"
# What a feed holds: from this far back to this far ahead, at most so many activities.
FEED_PAST, FEED_AHEAD, FEED_LIMIT = dt.timedelta(days=90), dt.timedelta(days=400), 2000
_RRULE_FREQUENCIES = {
    Activity.Frequency.DAILY: "DAILY", Activity.Frequency.WEEKLY: "WEEKLY",
    Activity.Frequency.MONTHLY: "MONTHLY", Activity.Frequency.YEARLY: "YEARLY",
}  # fmt: skip
_PARTSTAT = {
    ActivityParticipant.Status.NEEDS_ACTION: "NEEDS-ACTION",
    ActivityParticipant.Status.ACCEPTED: "ACCEPTED",
    ActivityParticipant.Status.DECLINED: "DECLINED",
}  # fmt: skip


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _host() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host and host not in ("*",) and not host.startswith(".")]
    return hosts[0] if hosts else "peyvand.local"


def uid(activity: Activity) -> str:
    return f"activity-{activity.pk}@{_host()}"


def sequence(activity: Activity) -> int:
    return max(0, int((activity.updated_at - activity.created_at).total_seconds()))


def _calendar(method: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _rrule(activity: Activity) -> dict[str, object] | None:
    if not activity.is_recurring or not activity.is_open:
        return None
    gregorian_steps = activity.recurrence in (Activity.Frequency.DAILY, Activity.Frequency.WEEKLY) or (
        activity.recurrence_calendar == Activity.Calendar.GREGORIAN
    )
    if not gregorian_steps:
        return None
    rule: dict[str, object] = {"freq": _RRULE_FREQUENCIES[Activity.Frequency(activity.recurrence)]}
    if activity.recurrence_interval > 1:
        rule["interval"] = activity.recurrence_interval
    if activity.recurrence_until is not None:
        end_of_day = dt.datetime.combine(activity.recurrence_until, dt.time(23, 59, 59), tzinfo=_zone())
        rule["until"] = end_of_day.astimezone(dt.UTC)
    return rule


def _common(component: icalendar.Component, activity: Activity, now: dt.datetime) -> None:
    component.add("uid", uid(activity))
    component.add("dtstamp", now.astimezone(dt.UTC))
    component.add("sequence", sequence(activity))
    component.add("created", activity.created_at.astimezone(dt.UTC))
    component.add("last-modified", activity.updated_at.astimezone(dt.UTC))
    component.add("summary", activity.subject)
    if activity.description:
        component.add("description", activity.description)
    if activity.location:
        component.add("location", activity.location)
    component.add("categories", [activity.get_kind_display()])


def _event(activity: Activity, now: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    _common(event, activity, now)
    assert activity.starts_at is not None
    if activity.all_day:
        day = timezone.localtime(activity.starts_at, _zone()).date()
        last = timezone.localtime(activity.ends_at or activity.starts_at, _zone()).date()
        event.add("dtstart", day)
        event.add("dtend", last + dt.timedelta(days=1))
    else:
        event.add("dtstart", activity.starts_at.astimezone(_zone()))
        event.add("dtend", (activity.ends_at or activity.starts_at + dt.timedelta(minutes=30)).astimezone(_zone()))
    event.add("status", "CANCELLED" if activity.status == Activity.Status.CANCELLED else "CONFIRMED")
    rule = _rrule(activity)
    if rule:
        event.add("rrule", rule)
    return event


def _todo(activity: Activity, now: dt.datetime) -> icalendar.Todo:
    todo = icalendar.Todo()
    _common(todo, activity, now)
    assert activity.due_at is not None
    if activity.all_day:
        todo.add("due", timezone.localtime(activity.due_at, _zone()).date())
    else:
        todo.add("due", activity.due_at.astimezone(_zone()))
    status = {Activity.Status.OPEN: "NEEDS-ACTION", Activity.Status.DONE: "COMPLETED",
              Activity.Status.CANCELLED: "CANCELLED"}[Activity.Status(activity.status)]  # fmt: skip
    todo.add("status", status)
    if activity.completed_at is not None:
        todo.add("completed", activity.completed_at.astimezone(dt.UTC))
    rule = _rrule(activity)
    if rule:
        todo.add("rrule", rule)
    return todo


def _add_timezone(calendar: icalendar.Calendar, now: dt.datetime) -> None:
    """The VTIMEZONE of Asia/Tehran for the years around ``now``: short, as Iran keeps no summer
    time since 2022 (the zone database's transitions, so a change of the law follows tzdata)."""
    calendar.add_missing_timezones(first_date=(now - FEED_PAST - dt.timedelta(days=400)).date(),
                                   last_date=(now + FEED_AHEAD + dt.timedelta(days=400)).date())  # fmt: skip


def component(activity: Activity, now: dt.datetime) -> icalendar.Component | None:
    """The activity as a VEVENT (a call or meeting) or a VTODO (a task with a due time); ``None``
    for an undated one."""
    if activity.kind == Activity.Kind.TASK:
        return _todo(activity, now) if activity.due_at is not None else None
    return _event(activity, now) if activity.starts_at is not None else None


# The feed -------------------------------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_create(*, actor: User) -> str:
    """A new secret for ``actor``'s feed (the old one stops working); the token, to show once."""
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.filter(user=actor).delete()
    CalendarFeedToken.objects.create(user=actor, token_hash=_hash(token))
    audit.record(actor=actor, kind=AuditEvent.Kind.CREATE, object_type="activities.calendarfeedtoken",
                 object_id=str(actor.pk), object_label="calendar feed")  # fmt: skip
    return token


@transaction.atomic
def feed_token_revoke(*, actor: User) -> bool:
    deleted, _rows = CalendarFeedToken.objects.filter(user=actor).delete()
    if deleted:
        audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, object_type="activities.calendarfeedtoken",
                     object_id=str(actor.pk), object_label="calendar feed")  # fmt: skip
    return bool(deleted)


def feed_owner(token: str) -> User | None:
    """The active user whose feed ``token`` opens, or ``None``."""
    if not token or len(token) > 100:
        return None
    found = CalendarFeedToken.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def feed(user: User, *, now: dt.datetime | None = None) -> bytes:
    """The activities ``user`` is on, as they may still see them, from 90 days back to 400 ahead:
    one query for the rows (the index (user, at, id)) and none per activity."""
    now = now or timezone.now()
    calendar = _calendar()
    calendar.add("x-wr-calname", f"Peyvand: {user.get_full_name() or user.get_username()}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    condition = activity_filter(user, prefix="activity__")
    if condition is not None:
        rows = ActivityAssignee.objects.filter(condition, user=user, at__gte=now - FEED_PAST, at__lt=now + FEED_AHEAD)
        for row in rows.select_related("activity").order_by("at", "id")[:FEED_LIMIT]:
            part = component(row.activity, now)
            if part is not None:
                calendar.add_component(part)
    _add_timezone(calendar, now)
    return calendar.to_ical()


# A meeting's invitation -----------------------------------------------------------------------
def invitation(activity: Activity, *, now: dt.datetime | None = None) -> bytes:
    """A meeting's REQUEST: its organiser (the owner) and every participant with an email, with
    their answer; to download or attach to an email."""
    assert activity.kind == Activity.Kind.MEETING, activity.kind
    assert activity.starts_at is not None
    now = now or timezone.now()
    calendar = _calendar("REQUEST")
    event = _event(activity, now)
    owner = activity.owner
    if owner is not None and owner.email:
        organizer = icalendar.vCalAddress(f"mailto:{owner.email}")
        organizer.params["cn"] = icalendar.vText(owner.get_full_name() or owner.get_username())
        event.add("organizer", organizer)
    participants = activity.participants.select_related("user", "party").order_by("pk")
    emails = _party_emails([row.party_id for row in participants if row.party_id])
    for row in participants:
        if row.user is not None:
            address, name, kind = row.user.email, row.user.get_full_name() or row.user.get_username(), "INDIVIDUAL"
        else:
            address, name, kind = emails.get(row.party_id or 0, ""), str(row.party), "INDIVIDUAL"
        if not address:
            continue
        attendee = icalendar.vCalAddress(f"mailto:{address}")
        attendee.params.update({"cn": icalendar.vText(name), "cutype": kind, "role": "REQ-PARTICIPANT",
                                "partstat": _PARTSTAT[ActivityParticipant.Status(row.status)], "rsvp": "TRUE"})  # fmt: skip
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    _add_timezone(calendar, now)
    return calendar.to_ical()


def _party_emails(party_ids: list[int]) -> dict[int, str]:
    """Each party's primary (else first) email: one query."""
    found: dict[int, str] = {}
    points = ContactPoint.objects.filter(party_id__in=party_ids, kind=ContactPoint.Kind.EMAIL)
    for party_id, value in points.order_by("party_id", "-is_primary", "pk").values_list("party_id", "value"):
        found.setdefault(party_id, value)
    return found
