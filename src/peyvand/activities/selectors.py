"""Reading activities: the list with its filters, a user's page, the calendar, a customer's activities.

Each read costs a fixed number of queries whatever the number of activities, and each is bounded:
the list pages by ``at`` (keyset), "my page" reads at most ``limit + 1`` rows of each part and the
calendar at most ``limit + 1`` rows, all from the index of ``ActivityAssignee`` on (user, …, at).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from peyvand.accounts import access as accounts_access
from peyvand.accounts.permissions import Action
from peyvand.activities.access import activity_filter, can_see_activities, visible_activities
from peyvand.activities.models import Activity, ActivityAssignee, ActivityParticipant, Reminder
from peyvand.activities.rules import start_of_day
from peyvand.contacts.access import can_party
from peyvand.contacts.models import Party

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

    Actor = User | AnonymousUser

# What "upcoming" on my page covers: the days after today.
UPCOMING_DAYS = 7
_DATED = Q(due_at__isnull=False) | Q(starts_at__isnull=False)


def with_details(queryset: models.QuerySet[Activity], actor: Actor) -> models.QuerySet[Activity]:
    """The activities with what an answer shows: their people, the actor's own reminder (three
    queries for any number of activities, after the activities' own)."""
    user_id = accounts_access.profile_for(actor).user_id
    reminders = Reminder.objects.filter(user_id=user_id) if user_id is not None else Reminder.objects.none()
    return queryset.select_related("party", "owner", "team", "created_by", "completed_by").prefetch_related(
        Prefetch(
            "assignees", queryset=ActivityAssignee.objects.select_related("user").order_by("user__username", "pk")
        ),
        Prefetch("participants", queryset=ActivityParticipant.objects.select_related("user", "party").order_by("pk")),
        Prefetch("reminders", queryset=reminders, to_attr="my_reminders"),
    )


@dataclass(frozen=True)
class ActivityFilters:
    kind: str = ""
    status: str = ""
    assignee_id: int | None = None
    party_id: int | None = None
    since: dt.datetime | None = None  # due or starting from this moment (inclusive)
    until: dt.datetime | None = None  # before this moment (exclusive)
    overdue: bool = False  # open, and due or started before now


def activity_list(
    *, actor: Actor, filters: ActivityFilters, now: dt.datetime | None = None
) -> models.QuerySet[Activity]:
    """The activities ``actor`` may see, narrowed by ``filters``; keyset-page it by ``at``.

    The time filters and ``overdue`` keep dated activities only: an undated task has no place in time.
    """
    own_id = accounts_access.profile_for(actor).user_id
    if filters.assignee_id is not None and filters.assignee_id == own_id and can_see_activities(actor):
        # One's own assignments are in sight whatever the scope (the staff row is what OWN checks):
        # without the scope's OR, the database walks the list by time and probes the staff row of
        # each activity, instead of hashing every row the user has ever been on first.
        activities = Activity.objects.all()
    else:
        activities = visible_activities(actor)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.assignee_id is not None:
        activities = activities.filter(assignees__user_id=filters.assignee_id, assignees__is_assignee=True)
    if filters.party_id is not None:
        activities = activities.filter(party_id=filters.party_id)
    if filters.since is not None or filters.until is not None:
        activities = activities.filter(_DATED)
        if filters.since is not None:
            activities = activities.filter(at__gte=filters.since)
        if filters.until is not None:
            activities = activities.filter(at__lt=filters.until)
    if filters.overdue:
        activities = activities.filter(_DATED, status=Activity.Status.OPEN, at__lt=now or timezone.now())
    return with_details(activities, actor)


# My page ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """Some of a user's activities: at most ``limit`` rows, and whether more were left out."""

    rows: list[ActivityAssignee] = field(default_factory=list)
    has_more: bool = False


@dataclass(frozen=True)
class MyActivities:
    overdue: Part = field(default_factory=Part)  # before now, the latest first
    today: Part = field(default_factory=Part)  # the rest of today
    upcoming: Part = field(default_factory=Part)  # the next seven days after today
    undated: Part = field(default_factory=Part)  # tasks with no due time, the newest first


def _part(rows: models.QuerySet[ActivityAssignee], limit: int) -> Part:
    found = list(rows[: limit + 1])
    return Part(rows=found[:limit], has_more=len(found) > limit)


# What "my page" shows of an activity's customer (``str(party)``).
_PARTY_SHOWN = frozenset({"id", "kind", "name", "erased_at"})


def my_activities(*, actor: Actor, limit: int = 20, now: dt.datetime | None = None) -> MyActivities:
    """The open activities ``actor`` is on (assigned or taking part), in four parts: four queries,
    each reading its part of the index (user, is_open, at, id). The day is the day in ``TIME_ZONE``."""
    assert limit > 0, limit
    if not can_see_activities(actor):
        return MyActivities()
    now = now or timezone.now()
    tomorrow = start_of_day(now + dt.timedelta(days=1))
    week_end = start_of_day(tomorrow + dt.timedelta(days=UPCOMING_DAYS))
    user_id = accounts_access.profile_for(actor).user_id
    assert user_id is not None  # seeing activities at all is a user's
    mine = ActivityAssignee.objects.filter(user_id=user_id, is_open=True)
    # The page names the customer only: its fifty-odd other columns are not read.
    unshown = [field.name for field in Party._meta.concrete_fields if field.name not in _PARTY_SHOWN]
    mine = mine.select_related("activity", "activity__party").defer(*[f"activity__party__{name}" for name in unshown])
    return MyActivities(
        overdue=_part(mine.filter(at__lt=now).order_by("-at", "-id"), limit),
        today=_part(mine.filter(at__gte=now, at__lt=tomorrow).order_by("at", "id"), limit),
        upcoming=_part(mine.filter(at__gte=tomorrow, at__lt=week_end).order_by("at", "id"), limit),
        undated=_part(mine.filter(at__isnull=True).order_by("-id"), limit),
    )


# The calendar -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarEntries:
    """Staff rows (a user and an activity) in a period, by time; ``is_truncated`` when the limit cut it."""

    rows: list[ActivityAssignee]
    is_truncated: bool


MAX_CALENDAR_USERS = 100


def activities_between(*, actor: Actor, user_ids: list[int], start: dt.datetime, end: dt.datetime,
                       limit: int = 500) -> CalendarEntries:  # fmt: skip
    """What ``user_ids`` have on their calendars from ``start`` (inclusive) to ``end`` (exclusive),
    done and cancelled ones too, as far as ``actor`` may see those activities: one query, at most
    ``limit`` rows, from the index (user, at, id)."""
    assert limit > 0, limit
    assert len(user_ids) <= MAX_CALENDAR_USERS, len(user_ids)
    condition = activity_filter(actor, Action.VIEW, prefix="activity__")
    if condition is None or not user_ids or start >= end:
        return CalendarEntries(rows=[], is_truncated=False)
    rows = ActivityAssignee.objects.filter(condition, user_id__in=sorted(set(user_ids)), at__gte=start, at__lt=end)
    # The calendar shows no customer: its row is not read (fifty-odd columns for each entry).
    found = list(rows.select_related("activity", "user").order_by("at", "id")[: limit + 1])
    return CalendarEntries(rows=found[:limit], is_truncated=len(found) > limit)


# A customer's activities ------------------------------------------------------------------------
@dataclass(frozen=True)
class PartyActivities:
    open: list[Activity]  # the soonest first
    closed: list[Activity]  # done or cancelled, the latest first
    has_more_open: bool
    has_more_closed: bool


def party_activities(*, actor: Actor, party: Party, limit: int = 10) -> PartyActivities:
    """The activities about ``party`` that ``actor`` may see, for the customer page: two queries
    on the index (party, at, id). Refused when the actor may not see the party."""
    assert limit > 0, limit
    if not can_party(actor, party, Action.VIEW):
        raise PermissionDenied
    activities = visible_activities(actor).filter(party=party).select_related("owner")
    open_rows = list(activities.filter(status=Activity.Status.OPEN).order_by("at", "id")[: limit + 1])
    closed_rows = list(activities.exclude(status=Activity.Status.OPEN).order_by("-at", "-id")[: limit + 1])
    return PartyActivities(open=open_rows[:limit], closed=closed_rows[:limit], has_more_open=len(open_rows) > limit,
                           has_more_closed=len(closed_rows) > limit)  # fmt: skip
