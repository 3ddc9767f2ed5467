"""The generated activities: deterministic, shaped as daily work is, and loaded as the services keep them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, Q

from bench import customer_file, daily_work, generator, load, targets
from bench.generator import activities as generated
from bench.generator import customers
from peyvand.accounts.models import User
from peyvand.activities import rules, services, sync
from peyvand.activities.models import Activity, ActivityAssignee, ActivityParticipant, Reminder

SCALE = 0.001  # 2,000 activities, over 1,500 parties and the six first users
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def users() -> list[dict]:
    return list(generator.users(scale=SCALE))


@pytest.fixture(scope="module")
def rows(users: list[dict]) -> list[dict]:
    plan = generator.activity_plan(scale=SCALE, users=users)
    return list(generated.activities(scale=SCALE, users=users, plan=plan, today=TODAY))


def test_scale_one_holds_two_million_activities_in_its_parts() -> None:
    counts = generated.activity_counts(1)
    assert generator.SCALE_ONE_COUNTS["activities"] == 2_000_000
    assert sum(counts.values()) == 2_000_000
    assert counts["history"] > 1_500_000
    assert counts["undated"] == 30_000
    assert counts["week"] > 0
    assert counts["today"] > 0


def test_the_count_is_that_of_the_scale_and_keys_number_them(rows: list[dict]) -> None:
    assert len(rows) == generator.count("activities", SCALE) == 2_000
    assert [row["key"] for row in rows] == list(range(1, len(rows) + 1))


def test_the_same_seed_and_day_give_the_same_rows_and_another_seed_other_rows(
    users: list[dict], rows: list[dict]
) -> None:
    plan = generator.activity_plan(scale=SCALE, users=users)
    again = list(generated.activities(scale=SCALE, users=users, plan=plan, today=TODAY))
    other_plan = generator.activity_plan(scale=SCALE, seed=2, users=users)
    other = list(generated.activities(scale=SCALE, seed=2, users=users, plan=other_plan, today=TODAY))
    assert again == rows
    assert [row["subject"] for row in other] != [row["subject"] for row in rows]


def test_history_is_mostly_done_and_the_recent_part_surrounds_the_day(rows: list[dict]) -> None:
    now = generated.default_now(TODAY)
    by_part = Counter(row["part"] for row in rows)
    assert by_part["history"] > 0.8 * len(rows)
    history = [row for row in rows if row["part"] == "history"]
    assert all(row["at"] >= customers.PERIOD_START for row in history)
    assert sum(row["status"] == "done" for row in history) > 0.8 * len(history)
    for row in rows:
        if row["part"] in ("week", "later"):
            assert row["at"] > now
            assert row["status"] in ("open", "cancelled")
        if row["part"] == "undated":
            assert row["kind"] == "task"
            assert row["due_at"] is None
            assert row["status"] == "open"
    assert any(row["status"] == "open" and row["at"] < now and row["due_at"] for row in rows)  # overdue


def test_kinds_owners_and_assignees_are_those_of_real_teams(users: list[dict], rows: list[dict]) -> None:
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["task"] > kinds["call"] > kinds["meeting"] > 0
    owners = {user["key"] for user in customers.owner_candidates(users)}
    assert {row["owner_key"] for row in rows} <= owners
    assert all(1 <= len(row["assignee_keys"]) <= 2 for row in rows)
    assert all(not row["participant_user_keys"] and not row["participant_parties"] for row in rows
               if row["kind"] != "meeting")  # fmt: skip
    assert sum(row["party"] is not None for row in rows) > 0.6 * len(rows)


def test_owners_are_skewed_some_very_busy() -> None:
    weights = sorted(generated.owner_weights(users=list(generator.users(scale=1))).values())
    assert weights[-1] > 4 * weights[len(weights) // 2]


def test_done_activities_have_an_outcome_and_done_calls_a_call_outcome(rows: list[dict]) -> None:
    done = [row for row in rows if row["status"] == "done"]
    assert all(row["completed_at"] is not None and row["completed_by_key"] is not None for row in done)
    assert all(row["call_outcome"] for row in done if row["kind"] == "call")
    assert sum(bool(row["outcome"]) for row in done) > 0.5 * len(done)
    assert not any(row["completed_at"] for row in rows if row["status"] != "done")


def test_a_series_points_at_its_first_and_only_its_last_may_be_open(rows: list[dict]) -> None:
    by_key = {row["key"]: row for row in rows}
    series: dict[int, list[dict]] = {}
    for row in rows:
        if row["series_key"] is not None:
            first = by_key[row["series_key"]]
            assert first["series_key"] is None
            assert first["recurrence"] == "weekly"
            series.setdefault(first["key"], [first]).append(row)
    assert series
    for occurrences in series.values():
        assert [row["at"] for row in occurrences] == sorted(row["at"] for row in occurrences)
        assert all(row["status"] != "open" for row in occurrences[:-1])


# Loaded --------------------------------------------------------------------------------------------
@pytest.fixture
def loaded(db: None) -> daily_work.ActivitySummary:
    load.load_platform(scale=SCALE)
    customer_file.load_customer_file(scale=SCALE)
    return daily_work.load_activities(scale=SCALE, today=TODAY)


def _staff(activity: Activity) -> list[tuple]:
    return sorted(ActivityAssignee.objects.filter(activity=activity).values_list("user_id", "is_assignee", "at",
                                                                                "is_open", "kind"))  # fmt: skip


def _reminders(activity: Activity) -> list[tuple]:
    return sorted(Reminder.objects.filter(activity=activity).values_list("user_id", "remind_at"))


def test_the_counts_are_those_of_the_generator(loaded: daily_work.ActivitySummary) -> None:
    assert loaded.activities == Activity.objects.count() == 2_000
    assert loaded.staff_rows == ActivityAssignee.objects.count() >= 2_000
    assert loaded.participants == ActivityParticipant.objects.count() > 0
    assert loaded.reminders == Reminder.objects.count() > 0
    assert loaded.today == TODAY


def test_staff_rows_and_reminders_are_what_sync_writes(loaded: daily_work.ActivitySummary) -> None:
    sample = list(Activity.objects.order_by("pk")[::23])
    sample += list(Activity.objects.filter(status=Activity.Status.OPEN, reminder_minutes__isnull=False)[:30])
    sample += list(Activity.objects.filter(participants__isnull=False).distinct()[:30])
    for activity in sample:
        staff, reminders = _staff(activity), _reminders(activity)
        sync.write_people(activity, assignees=None, participant_users=None, participant_parties=None)
        sync.refresh(activity, reset_reminders=True)
        assert (_staff(activity), _reminders(activity)) == (staff, reminders), activity.pk


def test_activities_satisfy_the_rules_and_the_models(loaded: daily_work.ActivitySummary) -> None:
    for activity in Activity.objects.select_related("owner").order_by("pk")[::17]:
        rules.check(rules.normalized(services._values(activity)))
        activity.full_clean(exclude=["at"])
        assert activity.at == (activity.scheduled_at or activity.created_at)
        assert activity.team_id == services._first_team(activity.owner).pk
        if activity.series_id is not None:
            assert activity.series.series_id is None


def test_the_scenarios_users_are_found(loaded: daily_work.ActivitySummary) -> None:
    open_rows = Count("activity_assignments", filter=Q(activity_assignments__is_open=True))
    representatives = list(
        User.objects.filter(roles__name="Sales representative").annotate(open=open_rows).order_by("open", "username")
    )
    assert targets.busiest_representative() == representatives[-1].username
    assert targets.busy_representative() == representatives[int(0.9 * (len(representatives) - 1))].username
    lead = User.objects.get(username=targets.team_lead())
    assert lead.roles.filter(name="Sales manager").exists()
    assert lead.teams.filter(pk=int(targets.lead_team())).exists()


def test_loading_twice_is_refused_and_replace_loads_them_again(loaded: daily_work.ActivitySummary) -> None:
    with pytest.raises(daily_work.AlreadyLoadedError):
        daily_work.load_activities(scale=SCALE, today=TODAY)
    again = daily_work.load_activities(scale=SCALE, today=TODAY + dt.timedelta(days=1), replace=True)
    assert again.activities == Activity.objects.count() == 2_000
    created = services.activity_create(actor=None, kind="task", subject="After the load", owner=None, team=None)
    assert created.pk > 2_000
