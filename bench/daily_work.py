"""Loading the generated activities (``bench.generator.activities``) with their staff, participants
and reminders, into a database that holds the organisation and the customer file already.

The services write an activity in a dozen queries with an audit entry and notifications; two
million that way would take hours. The rows written here are what the services leave behind:
the team is the owner's first team by path (``services._first_team``); the staff table holds one
row per assignee and staff participant with the activity's due or start time, openness and kind
(what ``activities.sync.write_people`` and ``sync.refresh`` write); every staff member of an
open, dated activity with ``reminder_minutes`` has a reminder at that many minutes before,
already sent when that moment is before the generator's "now". Activities get their keys as ids.
Rows go in with ``bench.bulk`` (COPY on PostgreSQL), indexes and foreign keys built at the end,
then the four tables are analysed. No audit entry and no notification is written.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

from bench import bulk, customer_file
from bench.generator import DEFAULT_SEED, activity_plan
from bench.generator import activities as generated
from peyvand.accounts.models import User
from peyvand.activities.models import Activity, ActivityAssignee, ActivityParticipant, Reminder

BATCH = 50_000
TABLES = (Activity, ActivityAssignee, ActivityParticipant, Reminder)


class AlreadyLoadedError(RuntimeError):
    pass


@dataclass(frozen=True)
class ActivitySummary:
    activities: int
    staff_rows: int
    participants: int
    reminders: int
    today: dt.date
    seconds: float


def _quiet(message: str) -> None:
    pass


def is_loaded() -> bool:
    return Activity.objects.exists()


def tehran_today() -> dt.date:
    return dt.datetime.now(generated.TEHRAN).date()


def load_activities(
    *, scale: float, seed: int = DEFAULT_SEED, today: dt.date | None = None, replace: bool = False,
    progress: Callable[[str], None] = _quiet,
) -> ActivitySummary:  # fmt: skip
    """The activities at ``scale`` around ``today`` (Tehran; default: the day of the load).

    ``replace`` deletes the activities there are first (and only them), so that a database loaded
    on an earlier day gets activities around today again.
    """
    if not customer_file.is_loaded():
        raise RuntimeError("Load the organisation and the customer file first (python -m bench load).")
    if is_loaded():
        if not replace:
            raise AlreadyLoadedError("The activities are already loaded; load them again with --replace.")
        progress("deleting the activities there are")
        _delete_all()
    started = time.monotonic()
    today = today or tehran_today()
    organisation = customer_file._organisation(scale, seed)
    user_pks = organisation.user_pks
    first_teams = _first_teams()
    bulk.fast_session()
    progress("planning the activities (the customers' weights)")
    plan = activity_plan(scale=scale, seed=seed, users=organisation.users)
    rows = generated.activities(scale=scale, seed=seed, users=organisation.users, plan=plan, today=today)
    now = generated.default_now(today)
    writers = {model: bulk.TableWriter(model, with_id=model is Activity) for model in TABLES}
    written = dict.fromkeys(TABLES, 0)
    total = generated.count("activities", scale)
    next_report = total // 10
    with bulk.indexes_built_after(list(TABLES), progress):
        for chunk in _chunks(rows, BATCH):
            batch = _Batch(user_pks, first_teams, now)
            for row in chunk:
                batch.add(row)
            with transaction.atomic():
                for model in TABLES:
                    written[model] += writers[model].write(batch.rows[model])
            if written[Activity] >= next_report > 0:
                progress(f"activities: {written[Activity]:,}/{total:,} ({time.monotonic() - started:.0f} s)")
                next_report += total // 10
    bulk.reset_sequence(Activity)
    progress("analysing the activities' tables")
    analyze()
    return ActivitySummary(
        activities=written[Activity], staff_rows=written[ActivityAssignee], participants=written[ActivityParticipant],
        reminders=written[Reminder], today=today, seconds=round(time.monotonic() - started, 1),
    )  # fmt: skip


def _first_teams() -> dict[int, int | None]:
    """Each user's first active team by path, as ``services._first_team`` gives it (one query)."""
    teams: dict[int, int | None] = {}
    memberships = User.teams.through.objects.filter(team__is_active=True).order_by("user_id", "team__path")
    for user_id, team_id in memberships.values_list("user_id", "team_id"):
        teams.setdefault(user_id, team_id)
    return teams


class _Batch:
    """The rows of some activities, for each of the four tables."""

    def __init__(self, user_pks: list[int], first_teams: Mapping[int, int | None], now: dt.datetime) -> None:
        self.user_pks, self.first_teams, self.now = user_pks, first_teams, now
        self.rows: dict[type, list[dict[str, Any]]] = {model: [] for model in TABLES}

    def add(self, row: Mapping[str, Any]) -> None:
        pk, pks = row["key"], self.user_pks
        owner = pks[row["owner_key"]]
        scheduled = row["due_at"] or row["starts_at"]
        is_open = row["status"] == Activity.Status.OPEN
        self.rows[Activity].append({
            "id": pk, "created_at": row["created_at"], "updated_at": row["updated_at"], "owner_id": owner,
            "team_id": self.first_teams.get(owner), "kind": row["kind"], "subject": row["subject"],
            "description": row["description"], "priority": row["priority"], "status": row["status"],
            "outcome": row["outcome"], "call_outcome": row["call_outcome"], "due_at": row["due_at"],
            "starts_at": row["starts_at"], "ends_at": row["ends_at"], "all_day": row["all_day"], "at": row["at"],
            "location": row["location"], "direction": row["direction"], "created_by_id": pks[row["created_by_key"]],
            "party_id": row["party"], "related_type_id": None, "related_id": None,
            "completed_at": row["completed_at"],
            "completed_by_id": pks[row["completed_by_key"]] if row["completed_by_key"] is not None else None,
            "interaction_id": None, "recurrence": row["recurrence"], "recurrence_interval": row["recurrence_interval"],
            "recurrence_until": row["recurrence_until"], "recurrence_calendar": row["recurrence_calendar"],
            "series_id": row["series_key"], "reminder_minutes": row["reminder_minutes"],
        })  # fmt: skip
        assignees = {pks[key] for key in row["assignee_keys"]}
        guests = [pks[key] for key in row["participant_user_keys"]]
        staff = sorted(assignees | set(guests))
        self.rows[ActivityAssignee].extend(
            {"activity_id": pk, "user_id": user_id, "is_assignee": user_id in assignees, "at": scheduled,
             "is_open": is_open, "kind": row["kind"]}
            for user_id in staff
        )  # fmt: skip
        answer = row["participant_status"]
        self.rows[ActivityParticipant].extend(
            {"activity_id": pk, "user_id": user_id, "party_id": None, "status": answer} for user_id in guests
        )
        self.rows[ActivityParticipant].extend(
            {"activity_id": pk, "user_id": None, "party_id": party, "status": answer}
            for party in row["participant_parties"]
        )
        if is_open and scheduled is not None and row["reminder_minutes"] is not None:
            remind_at = scheduled - dt.timedelta(minutes=row["reminder_minutes"])
            sent_at = remind_at if remind_at <= self.now else None
            self.rows[Reminder].extend(
                {"activity_id": pk, "user_id": user_id, "remind_at": remind_at, "sent_at": sent_at,
                 "snoozed_until": None}
                for user_id in staff
            )  # fmt: skip


def _delete_all() -> None:
    tables = [connection.ops.quote_name(model._meta.db_table) for model in TABLES]
    with transaction.atomic():
        if bulk.is_postgresql():
            # CASCADE: records other parts of the activities app keep about these activities go too.
            bulk.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in reversed(tables):
                bulk.execute(f"DELETE FROM {table}")  # noqa: S608  (names from the models)


def analyze() -> None:
    """Statistics of the four tables as a running install has them (and, on PostgreSQL, their
    visibility map, for index-only scans)."""
    if bulk.is_postgresql():
        for model in TABLES:
            table = connection.ops.quote_name(model._meta.db_table)
            bulk.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
    else:
        call_command("analyze_database", stdout=io.StringIO())


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
