"""The report's figures, each one aggregate query in the database (a fixed number however many rows).

Activities are counted by where they stand in time (``at``: a task's due time, a call's or meeting's
start) within the period, as the activity list's from/to filter counts them, so that every count
links to the same records. Undated tasks have no place in time: only "created" counts them.
Interactions are counted by when they happened. Everything goes through the reader's access
(``activity_filter``, ``interaction_filter``): an OWN reader sees their own figures.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from peyvand.activities.access import visible_activities
from peyvand.activities.models import Activity, Holiday
from peyvand.activities.reports.periods import Period
from peyvand.activities.selectors import _DATED
from peyvand.contacts.access import visible_parties
from peyvand.contacts.models import Party
from peyvand.timeline.access import visible_interactions
from peyvand.timeline.models import Interaction

if TYPE_CHECKING:
    from peyvand.activities.selectors import Actor

STATUSES = ("total", "open", "done", "cancelled", "overdue", "late")
RESPONSE_SAMPLE = 1000  # the latest inbound interactions of the period whose answers are looked for
RESPONSE_WINDOW = dt.timedelta(days=7)  # an answer later than this is no answer
TOP_CUSTOMERS = 10
CUSTOMER_BANDS = ((1, 1), (2, 5), (6, 20), (21, None))  # activities a customer had: 1, 2–5, 6–20, more


@dataclass(frozen=True)
class ReportFilters:
    period: Period
    user_id: int | None = None
    team_path: str = ""  # the team's materialised path: it and the teams below
    kind: str = ""  # activities only
    outcome: str = ""  # calls only
    channel_id: int | None = None  # interactions only


@dataclass
class Counts:
    """How many activities, open, done, cancelled, open past their time (overdue) and done late."""

    total: int = 0
    open: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    late: int = 0

    @classmethod
    def of(cls, row: dict[str, Any]) -> Counts:
        return cls(**{name: row.get(name) or 0 for name in STATUSES})

    def add(self, other: Counts) -> None:
        for name in STATUSES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def on_time(self) -> int:
        return self.done - self.late

    @property
    def overdue_rate(self) -> float | None:
        """Open past their time ÷ open (every counted activity is dated)."""
        return self.overdue / self.open if self.open else None

    @property
    def late_rate(self) -> float | None:
        return self.late / self.done if self.done else None

    @property
    def overdue_percent(self) -> float | None:
        return None if self.overdue_rate is None else 100 * self.overdue_rate

    @property
    def late_percent(self) -> float | None:
        return None if self.late_rate is None else 100 * self.late_rate


def _late() -> Q:
    """Done after its time: a task after its due time, a call or meeting more than a day after its start."""
    task_late = Q(kind=Activity.Kind.TASK, completed_at__gt=F("at"))
    other_late = ~Q(kind=Activity.Kind.TASK) & Q(completed_at__gt=F("at") + dt.timedelta(days=1))
    return Q(status=Activity.Status.DONE) & (task_late | other_late)


def _aggregates(now: dt.datetime, counted: Q | None = None) -> dict[str, Any]:
    """The counts; with ``counted``, only of the rows meeting it (the query reads others too)."""

    def count(condition: Q | None = None) -> Count:
        both = [part for part in (counted, condition) if part is not None]
        return Count("pk", filter=both[0] & both[1] if len(both) == 2 else (both[0] if both else None))

    return {
        "total": count(),
        "open": count(Q(status=Activity.Status.OPEN)),
        "done": count(Q(status=Activity.Status.DONE)),
        "cancelled": count(Q(status=Activity.Status.CANCELLED)),
        "overdue": count(Q(status=Activity.Status.OPEN, at__lt=now)),
        "late": count(_late()),
    }


def _narrowed(activities: models.QuerySet[Activity], filters: ReportFilters) -> models.QuerySet[Activity]:
    if filters.user_id is not None:
        activities = activities.filter(assignees__user_id=filters.user_id, assignees__is_assignee=True)
    if filters.team_path:
        activities = activities.filter(team__path__startswith=filters.team_path)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.outcome:
        activities = activities.filter(call_outcome=filters.outcome)
    return activities


def activities_in_period(*, actor: Actor, filters: ReportFilters) -> models.QuerySet[Activity]:
    """The dated activities ``actor`` may see whose time falls in the period, narrowed by the filters."""
    start, end = filters.period.bounds()
    return _narrowed(visible_activities(actor).filter(_DATED, at__gte=start, at__lt=end), filters)


@dataclass
class Breakdown:
    """The period's counts by local day, kind and call outcome: the totals, the weeks and months,
    the kinds and the call outcomes are all added up from these few hundred cells of one query."""

    cells: dict[tuple[dt.date, str, str], Counts] = field(default_factory=dict)
    created: int = 0  # activities created in the period, dated or not

    def _sum(self, key: Any, keep: Any = lambda kind: True) -> dict[Any, Counts]:
        found: dict[Any, Counts] = {}
        for (day, kind, outcome), counts in self.cells.items():
            if keep(kind):
                found.setdefault(key(day, kind, outcome), Counts()).add(counts)
        return found

    def by_day(self) -> dict[dt.date, Counts]:
        return self._sum(lambda day, kind, outcome: day)

    def by_kind(self) -> dict[str, Counts]:
        return self._sum(lambda day, kind, outcome: kind)

    def by_outcome(self) -> dict[str | None, Counts]:
        """Done calls by their outcome (``None``: none recorded)."""
        calls = self._sum(lambda day, kind, outcome: outcome or None, keep=lambda kind: kind == Activity.Kind.CALL)
        return {outcome: Counts(total=counts.done, done=counts.done, late=counts.late)
                for outcome, counts in calls.items() if counts.done}  # fmt: skip


def breakdown(*, actor: Actor, filters: ReportFilters, now: dt.datetime) -> Breakdown:
    """The counts of each local day, kind and call outcome of the period that has activities, and
    how many activities were created in the period, dated or not: one query over both."""
    start, end = filters.period.bounds()
    in_period = _DATED & Q(at__gte=start, at__lt=end)
    created = Q(created_at__gte=start, created_at__lt=end)
    day = TruncDate("at", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    rows = (_narrowed(visible_activities(actor), filters).filter(in_period | created).annotate(day=day)
            .values("day", "kind", "call_outcome")
            .annotate(**_aggregates(now, counted=in_period), created=Count("pk", filter=created)).order_by())  # fmt: skip
    cells, made = {}, 0
    for row in rows:
        made += row["created"]
        if row["total"]:
            cells[(row["day"], row["kind"], row["call_outcome"])] = Counts.of(row)
    return Breakdown(cells=cells, created=made)


GROUP_FIELDS = {"user": "assignees__user_id", "team": "team_id"}


def counts_by(*, actor: Actor, filters: ReportFilters, group: str, now: dt.datetime) -> dict[Any, Counts]:
    """The counts by assignee or team: one query. An activity with two assignees counts for each (as
    the list filtered by either shows it); ``None`` holds those without a team."""
    activities = activities_in_period(actor=actor, filters=filters)
    if group == "user":
        # The staff rows repeat the activity's time: narrowing them by it too lets the join read the
        # period's rows of their index (assignee_time) rather than the whole table. In the same
        # filter() as the user filter's, so that both use one join.
        start, end = filters.period.bounds()
        activities = activities.filter(assignees__is_assignee=True, assignees__at__gte=start, assignees__at__lt=end)
    key = GROUP_FIELDS[group]
    rows = activities.values(key).annotate(**_aggregates(now)).order_by()
    return {row[key] or None: Counts.of(row) for row in rows}


# Interactions -----------------------------------------------------------------------------------
def interactions_in_period(*, actor: Actor, filters: ReportFilters) -> models.QuerySet[Interaction]:
    start, end = filters.period.bounds()
    interactions = visible_interactions(actor).filter(occurred_at__gte=start, occurred_at__lt=end)
    if filters.user_id is not None:
        interactions = interactions.filter(owner_id=filters.user_id)
    if filters.team_path:
        interactions = interactions.filter(team__path__startswith=filters.team_path)
    if filters.channel_id is not None:
        interactions = interactions.filter(channel_id=filters.channel_id)
    return interactions


@dataclass
class ChannelRow:
    channel_id: int
    inbound: int = 0
    outbound: int = 0
    internal: int = 0

    @property
    def total(self) -> int:
        return self.inbound + self.outbound + self.internal


def interactions_by_channel(*, actor: Actor, filters: ReportFilters) -> dict[int, ChannelRow]:
    """Interactions of the period by channel and direction: one query."""
    rows = interactions_in_period(actor=actor, filters=filters).values("channel_id", "direction")
    found: dict[int, ChannelRow] = {}
    for row in rows.annotate(count=Count("pk")).order_by():
        channel = found.setdefault(row["channel_id"], ChannelRow(channel_id=row["channel_id"]))
        if row["direction"] in ("inbound", "outbound", "internal"):
            setattr(channel, row["direction"], getattr(channel, row["direction"]) + row["count"])
    return found


@dataclass
class ResponseTimes:
    """Of ``asked`` inbound interactions, ``answered`` had an answer within the window: their median
    delay and how many within one working day."""

    asked: int = 0
    answered: int = 0
    within_a_working_day: int = 0
    median: dt.timedelta | None = None
    sampled: bool = False  # only the latest RESPONSE_SAMPLE were measured

    @property
    def within_share(self) -> float | None:
        return self.within_a_working_day / self.asked if self.asked else None

    @property
    def within_percent(self) -> float | None:
        return None if self.within_share is None else 100 * self.within_share


def response_times(*, actor: Actor, filters: ReportFilters) -> ResponseTimes:
    """For the latest inbound interactions of the period, the time to the same customer's next
    outbound interaction or next activity about them completed by staff, within seven days.

    Four queries: the inbound interactions, the outbound ones and completions after them, the
    holidays. One working day later is the same time on the next day that is neither a Friday nor
    an official holiday.
    """
    inbound = list(
        interactions_in_period(actor=actor, filters=filters).filter(direction=Interaction.Direction.INBOUND)
        .order_by("-occurred_at", "-id").values_list("id", "party_id", "occurred_at")[: RESPONSE_SAMPLE + 1]
    )  # fmt: skip
    sampled = len(inbound) > RESPONSE_SAMPLE
    inbound = inbound[:RESPONSE_SAMPLE]
    if not inbound:
        return ResponseTimes()
    parties = sorted({party_id for _, party_id, _ in inbound})
    first = min(at for _, _, at in inbound)
    last = max(at for _, _, at in inbound) + RESPONSE_WINDOW
    answers: dict[int, list[dt.datetime]] = defaultdict(list)
    outbound = Interaction.objects.filter(party_id__in=parties, direction=Interaction.Direction.OUTBOUND,
                                          occurred_at__gt=first, occurred_at__lte=last)  # fmt: skip
    for party_id, at in outbound.values_list("party_id", "occurred_at"):
        answers[party_id].append(at)
    # A completion that wrote the inbound interaction itself (an inbound call logged) is no answer to it.
    completions: dict[int, list[tuple[dt.datetime, int | None]]] = defaultdict(list)
    completed = visible_activities(actor).filter(party_id__in=parties, status=Activity.Status.DONE,
                                                  completed_at__gt=first, completed_at__lte=last)  # fmt: skip
    for party_id, done_at, interaction_id in completed.values_list("party_id", "completed_at", "interaction_id"):
        assert done_at is not None  # filtered on it
        completions[party_id].append((done_at, interaction_id))
    holidays = set(Holiday.objects.filter(date__gte=timezone.localdate(first),
                                          date__lte=timezone.localdate(last) + RESPONSE_WINDOW)
                   .values_list("date", flat=True))  # fmt: skip
    delays = []
    within = 0
    for interaction_id, party_id, asked_at in inbound:
        times = sorted(answers[party_id])
        times += [at for at, written in completions[party_id] if written != interaction_id]
        times.sort()
        index = bisect.bisect_right(times, asked_at)
        if index == len(times) or times[index] - asked_at > RESPONSE_WINDOW:
            continue
        delays.append(times[index] - asked_at)
        within += times[index] <= one_working_day_after(asked_at, holidays)
    median = dt.timedelta(seconds=statistics.median(delay.total_seconds() for delay in delays)) if delays else None
    return ResponseTimes(asked=len(inbound), answered=len(delays), within_a_working_day=within,
                         median=median, sampled=sampled)  # fmt: skip


FRIDAY = 4


def one_working_day_after(moment: dt.datetime, holidays: set[dt.date]) -> dt.datetime:
    """The same local time on the next day that is not a Friday or a holiday."""
    local = timezone.localtime(moment) + dt.timedelta(days=1)
    while local.weekday() == FRIDAY or local.date() in holidays:
        local += dt.timedelta(days=1)
    return local


# Activities per customer ------------------------------------------------------------------------
@dataclass
class CustomerFigures:
    bands: list[tuple[tuple[int, int | None], int]] = field(default_factory=list)
    top: list[dict[str, Any]] = field(default_factory=list)  # party_id, count, name ("" if not seen)


def activities_per_customer(*, actor: Actor, filters: ReportFilters) -> CustomerFigures:
    """How many customers had 1, 2–5, 6–20 or more activities in the period, and the customers with
    the most; a customer's name only when the reader may see it. Two queries: the counts per
    customer are made once, the bands added over them by window sums on the top rows."""
    # Activities without a customer make one group, left out of the sums and put last, not filtered
    # out: a "party is not null" condition (which PostgreSQL would push inside) tempts the planner
    # into reading the whole party index.
    per_party = (activities_in_period(actor=actor, filters=filters)
                 .values("party_id").annotate(count=Count("pk")).order_by())  # fmt: skip
    inner, params = per_party.query.sql_with_params()
    bands = ", ".join(
        f"SUM(CASE WHEN per_party.party_id IS NOT NULL AND per_party.count >= {low}"
        f"{f' AND per_party.count <= {high}' if high else ''} THEN 1 ELSE 0 END) OVER () AS band{index}"
        for index, (low, high) in enumerate(CUSTOMER_BANDS)
    )
    # Constants and Django's own SQL; the values stay parameters.
    query = (f"SELECT per_party.party_id, per_party.count, {bands} FROM ({inner}) per_party "  # noqa: S608
             "ORDER BY CASE WHEN per_party.party_id IS NULL THEN 1 ELSE 0 END, per_party.count DESC, "
             f"per_party.party_id LIMIT {TOP_CUSTOMERS + 1}")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    top = [{"party_id": row[0], "count": row[1]} for row in rows if row[0] is not None][:TOP_CUSTOMERS]
    seen = dict(visible_parties(actor, Party.objects.filter(pk__in=[row["party_id"] for row in top]))
                .values_list("pk", "name")) if top else {}  # fmt: skip
    for row in top:
        row["name"] = seen.get(row["party_id"], "")
    sizes = rows[0][2:] if rows else (0,) * len(CUSTOMER_BANDS)
    return CustomerFigures(bands=[(band, int(size or 0)) for band, size in zip(CUSTOMER_BANDS, sizes, strict=True)],
                           top=top)  # fmt: skip
