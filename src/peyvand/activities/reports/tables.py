"""The report's tables: the figures of the selectors with their labels and the addresses of the
records they count (the activity list, filtered the same way).

The activity list filters by kind, status, assignee, customer, from/to days and overdue; a count
it cannot reproduce (a team's, a call outcome's, done late, created, the interactions') is left
unlinked rather than linked to a list that would show other records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.accounts.models import Team, User
from peyvand.activities.models import Activity
from peyvand.activities.reports.periods import Bucket, Period
from peyvand.activities.reports.selectors import ChannelRow, Counts, ReportFilters
from peyvand.timeline.models import Channel

LINKED_ROWS = 50  # the rows of a grouped table that get their links (the page shows no more)


def drill(filters: ReportFilters, *, period: Period | None = None, status: str = "", overdue: bool = False,
          user_id: int | None = None, kind: str = "", party_id: int | None = None, base: str = "") -> str:  # fmt: skip
    """The activity list showing exactly the activities of a count; "" when it cannot."""
    if filters.team_path or filters.outcome:
        return ""
    period = period or filters.period
    query: dict[str, Any] = {"since": period.start.isoformat(), "until": period.last_day.isoformat()}
    assignee = user_id if user_id is not None else filters.user_id
    if assignee is not None:
        query["assignee"] = assignee
    if kind or filters.kind:
        query["kind"] = kind or filters.kind
    if status:
        query["status"] = status
    if overdue:
        query["overdue"] = "on"
    if party_id is not None:
        query["party"] = party_id
    return f"{base or reverse('activities:activity_list')}?{urlencode(query)}"


@dataclass
class Row:
    """A row of the grouped table: its label, its counts and the addresses of their records."""

    key: Any
    label: str
    counts: Counts = field(default_factory=Counts)
    channel: ChannelRow | None = None
    links: dict[str, str] = field(default_factory=dict)

    @property
    def value(self) -> int:
        return self.channel.total if self.channel is not None else self.counts.total


def _links(filters: ReportFilters, **narrowing: Any) -> dict[str, str]:
    narrowing.setdefault("base", reverse("activities:activity_list"))
    return {
        "total": drill(filters, **narrowing),
        "open": drill(filters, status=Activity.Status.OPEN, **narrowing),
        "done": drill(filters, status=Activity.Status.DONE, **narrowing),
        "cancelled": drill(filters, status=Activity.Status.CANCELLED, **narrowing),
        "overdue": drill(filters, overdue=True, **narrowing),
    }


def figure_links(filters: ReportFilters) -> dict[str, str]:
    return _links(filters)


def grouped_rows(group: str, counts: dict[Any, Counts], filters: ReportFilters) -> list[Row]:
    """Rows by assignee, team, kind or call outcome, largest first (kinds in their own order)."""
    if group == "kind":
        return [Row(key=kind, label=str(label), counts=counts.get(kind, Counts()),
                    links=_links(filters, kind=kind)) for kind, label in Activity.Kind.choices]  # fmt: skip
    names: dict[Any, str] = {}
    if group == "user":
        users = User.objects.filter(pk__in=[key for key in counts if key is not None])
        names = {user.pk: user.get_full_name() or user.get_username() for user in users}
    elif group == "team":
        names = dict(Team.objects.filter(pk__in=[key for key in counts if key is not None]).values_list("pk", "name"))
    elif group == "outcome":
        names = {value: str(label) for value, label in Activity.CallOutcome.choices}
    rows = []
    for key, found in counts.items():
        label = str(names.get(key) or (_("No outcome recorded") if group == "outcome" else _("No team")))
        rows.append(Row(key=key, label=label, counts=found))
    rows.sort(key=lambda row: (-row.counts.total, row.label))
    if group == "user":
        base = reverse("activities:activity_list")
        for row in rows[:LINKED_ROWS]:
            if row.key is not None:
                row.links = _links(filters, user_id=row.key, base=base)
    return rows


def bucket_rows(parts: list[Bucket], folded: list[dict[str, int]], filters: ReportFilters) -> list[Row]:
    """One row a week or month, in time order, each linked to the list of its days."""
    return [
        Row(key=part.start, label=part.label, counts=Counts.of(totals), links=_links(filters, period=Period(part.start, part.end)))
        for part, totals in zip(parts, folded, strict=True)
    ]  # fmt: skip


def channel_rows(found: dict[int, ChannelRow]) -> list[Row]:
    """Interactions by channel, most first. No staff-wide interaction list exists: unlinked."""
    names = {channel.pk: channel.label for channel in Channel.objects.filter(pk__in=list(found))}
    rows = [Row(key=key, label=names.get(key, ""), channel=row) for key, row in found.items()]
    return sorted(rows, key=lambda row: (-row.value, row.label))


def bucket_unit(period: Period) -> str:
    """Weeks for a period of up to two months, months for a longer one."""
    return "week" if period.days <= 62 else "month"


def day_counts(days: dict[dt.date, Counts]) -> dict[dt.date, dict[str, int]]:
    return {day: {name: getattr(counts, name) for name in ("total", "open", "done", "cancelled", "overdue", "late")}
            for day, counts in days.items()}  # fmt: skip


def duration_text(delay: dt.timedelta | None) -> str:
    """``2 d 3 h``, ``3 h 20 min`` or ``12 min``; digits are shaped by the template."""
    if delay is None:
        return ""
    minutes = int(delay.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}
