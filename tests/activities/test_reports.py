"""The activity report: its figures on a small data set, the Jalali and Gregorian folding of days
into weeks and months, the reader's scope, refused filters, CSV, the drill-down and its queries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import jdatetime
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.activities import services
from peyvand.activities.models import Activity
from peyvand.activities.reports import charts, periods, selectors
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.activities.factories import CallFactory, MeetingFactory, TaskFactory, staff_member
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory, channel

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
REPORT = "/activities/report/"
# Azar 1404 in the Gregorian calendar: a past month, so every open activity in it is overdue.
DECEMBER = "?period=custom&since=2025-12-01&until=2025-12-31"


def _at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TEHRAN)


def _jalali(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _manager(username: str = "mina", scope: int = Scope.ALL, **fields: Any) -> User:
    """A user who sees activities, customers and interactions with ``scope``."""
    grants = {("activities", action): scope for action in ("view", "create", "edit", "delete")}
    grants.update({(module, "view"): scope for module in ("persons", "companies", "leads", "interactions")})
    return UserFactory(username=username, roles=[RoleFactory(grants=grants)], **fields)


def _done(activity: Activity, at: dt.datetime, outcome: str = "") -> Activity:
    """Completed at ``at`` (the service completes it now; the report needs another moment)."""
    services.activity_complete(actor=None, activity=activity, call_outcome=outcome)
    Activity.objects.filter(pk=activity.pk).update(completed_at=at)
    return activity


def _report(client: Client, query: str = "") -> dict[str, Any]:
    response = client.get(REPORT + query)
    assert response.status_code == 200
    return response.context["report"]


# Figures ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_figures_count_the_periods_activities_by_status_overdue_and_late() -> None:
    # Given in December 2025: two open tasks, a task done before its due time, one done two days
    # late, a call done the next morning (within a day of its start: on time), a cancelled meeting;
    # and a task in January and an undated task created in December
    user = _manager()
    TaskFactory(owner=user, due_at=_at(2025, 12, 2))
    TaskFactory(owner=user, due_at=_at(2025, 12, 30))
    _done(TaskFactory(owner=user, due_at=_at(2025, 12, 10)), _at(2025, 12, 9))
    _done(TaskFactory(owner=user, due_at=_at(2025, 12, 10)), _at(2025, 12, 12))
    _done(CallFactory(owner=user, starts_at=_at(2025, 12, 15)), _at(2025, 12, 16, 9), outcome="reached")
    services.activity_cancel(actor=None, activity=MeetingFactory(owner=user, starts_at=_at(2025, 12, 20)))
    TaskFactory(owner=user, due_at=_at(2026, 1, 5))
    undated = TaskFactory(owner=user, due_at=None)
    Activity.objects.filter(pk=undated.pk).update(created_at=_at(2025, 12, 3))
    Activity.objects.exclude(pk=undated.pk).update(created_at=_at(2025, 11, 20))

    # When they open the report for December
    report = _report(_client(user), DECEMBER)

    # Then six activities, two open and both overdue (the month is past), three done, one of
    # them late, one cancelled, and one created in the month (the undated task)
    totals = report["totals"]
    assert (totals.total, totals.open, totals.overdue, totals.done, totals.late, totals.cancelled) == (6, 2, 2, 3, 1, 1)
    assert totals.on_time == 2
    assert totals.overdue_rate == 1.0
    assert totals.late_rate == pytest.approx(1 / 3)
    assert report["created"] == 1
    # And the done call is counted under its outcome
    assert [(row.key, row.counts.total) for row in report["outcomes"]] == [("reached", 1)]


@pytest.mark.django_db
def test_the_overdue_rate_is_open_past_their_time_over_all_open() -> None:
    user = _manager()
    start = dt.datetime(2025, 12, 1, tzinfo=TEHRAN)
    for day in (1, 2, 3):
        TaskFactory(owner=user, due_at=start + dt.timedelta(days=day))
    TaskFactory(owner=user, due_at=start + dt.timedelta(days=20))
    filters = selectors.ReportFilters(period=periods.Period(dt.date(2025, 12, 1), dt.date(2026, 1, 1)))

    days = selectors.breakdown(actor=user, filters=filters, now=start + dt.timedelta(days=10)).by_day()

    totals = selectors.Counts()
    for counts in days.values():
        totals.add(counts)
    assert (totals.open, totals.overdue, totals.overdue_percent) == (4, 3, 75.0)
    assert sorted(days) == [dt.date(2025, 12, 2), dt.date(2025, 12, 3), dt.date(2025, 12, 4), dt.date(2025, 12, 21)]


@pytest.mark.django_db
def test_grouped_by_assignee_an_activity_counts_for_each_and_links_to_their_list() -> None:
    user = _manager()
    colleague = UserFactory(username="reza", first_name="Reza", last_name="Hosseini")
    TaskFactory(owner=user, assignees=[user, colleague], due_at=_at(2025, 12, 3))
    TaskFactory(owner=user, assignees=[user], due_at=_at(2025, 12, 4))
    client = _client(user)

    report = _report(client, DECEMBER + "&group=user")

    rows = {row.label: row for row in report["rows"]}
    assert {label: row.counts.total for label, row in rows.items()} == {user.get_full_name(): 2, "Reza Hosseini": 1}
    # The number opens the activity list filtered the same way, which shows those activities
    link = rows["Reza Hosseini"].links["total"]
    assert link == f"{reverse('activities:activity_list')}?since=2025-12-01&until=2025-12-31&assignee={colleague.pk}"
    listed = client.get(link)
    assert len(listed.context["page"].items) == 1
    overdue = client.get(rows[user.get_full_name()].links["overdue"])
    assert len(overdue.context["page"].items) == 2


@pytest.mark.django_db
def test_grouped_by_team_and_kind() -> None:
    sales, support = TeamFactory(name="Sales"), TeamFactory(name="Support")
    user = _manager()
    TaskFactory(owner=user, team=sales, due_at=_at(2025, 12, 3))
    CallFactory(owner=user, team=sales, starts_at=_at(2025, 12, 4))
    CallFactory(owner=user, team=support, starts_at=_at(2025, 12, 5))
    client = _client(user)

    by_team = _report(client, DECEMBER + "&group=team")["rows"]
    by_kind = _report(client, DECEMBER + "&group=kind")["rows"]

    assert [(row.label, row.counts.total, row.links) for row in by_team] == [("Sales", 2, {}), ("Support", 1, {})]
    assert [(row.key, row.counts.total) for row in by_kind] == [("task", 1), ("call", 2), ("meeting", 0)]
    assert "kind=call" in by_kind[1].links["total"]
    # A team filter narrows to that team (and the teams below it); the list cannot, so no links
    narrowed = _report(client, DECEMBER + f"&group=kind&team={support.pk}")
    assert narrowed["totals"].total == 1
    assert narrowed["links"]["total"] == ""


# Interactions and response time -----------------------------------------------------------------
@pytest.mark.django_db
def test_interactions_by_channel_and_direction() -> None:
    user = _manager()
    person = PersonFactory(owner=user)
    for direction in ("inbound", "inbound", "outbound"):
        InteractionFactory(party=person, channel=channel("phone"), direction=direction, occurred_at=_at(2025, 12, 3))
    InteractionFactory(party=person, channel=channel("email"), direction="outbound", occurred_at=_at(2025, 12, 3))
    InteractionFactory(party=person, channel=channel("email"), direction="outbound", occurred_at=_at(2026, 1, 3))

    report = _report(_client(user), DECEMBER)

    rows = [(row.label, row.channel.inbound, row.channel.outbound, row.value) for row in report["channels"]]
    assert rows == [("Phone", 2, 1, 3), ("Email", 0, 1, 1)]


@pytest.mark.django_db
def test_response_time_is_the_wait_for_the_next_outbound_contact_or_completed_activity() -> None:
    user = _manager()
    quick, weekend, completed, silent = (PersonFactory(owner=user) for _ in range(4))
    # Wednesday 1404/09/12 10:00, answered by phone two hours later
    InteractionFactory(party=quick, direction="inbound", occurred_at=_at(2025, 12, 3, 10))
    InteractionFactory(party=quick, direction="outbound", occurred_at=_at(2025, 12, 3, 12))
    # Thursday 16:00, answered on Saturday 09:00: Friday is no working day, so within one
    InteractionFactory(party=weekend, direction="inbound", occurred_at=_at(2025, 12, 4, 16))
    InteractionFactory(party=weekend, direction="outbound", occurred_at=_at(2025, 12, 6, 9))
    # Saturday 10:00, a task about the customer done on Monday 10:00: later than one working day
    InteractionFactory(party=completed, direction="inbound", occurred_at=_at(2025, 12, 6, 10))
    _done(TaskFactory(owner=user, party=completed, due_at=_at(2025, 12, 8)), _at(2025, 12, 8, 10))
    # never answered
    InteractionFactory(party=silent, direction="inbound", occurred_at=_at(2025, 12, 7, 10))
    filters = selectors.ReportFilters(period=periods.Period(dt.date(2025, 12, 1), dt.date(2026, 1, 1)))

    found = selectors.response_times(actor=user, filters=filters)

    assert (found.asked, found.answered, found.within_a_working_day) == (4, 3, 2)
    # delays of 2 h, 41 h and 48 h
    assert found.median == dt.timedelta(hours=41)
    assert found.within_percent == 50.0


def test_one_working_day_skips_fridays_and_holidays() -> None:
    thursday = _at(2025, 12, 4, 16)
    assert selectors.one_working_day_after(thursday, set()) == _at(2025, 12, 6, 16)
    assert selectors.one_working_day_after(thursday, {dt.date(2025, 12, 6)}) == _at(2025, 12, 7, 16)


# Activities per customer ------------------------------------------------------------------------
@pytest.mark.django_db
def test_customers_by_how_many_activities_and_the_busiest_named_only_if_seen() -> None:
    user = _manager(scope=Scope.OWN)
    mine, busy = PersonFactory(owner=user, first_name="Sara", last_name="Mine"), PersonFactory(owner=None)
    TaskFactory(owner=user, party=mine, due_at=_at(2025, 12, 3))
    for day in range(1, 8):
        TaskFactory(owner=user, party=busy, due_at=_at(2025, 12, day))

    report = _report(_client(user), DECEMBER)

    customers = report["customers"]
    assert customers.bands == [((1, 1), 1), ((2, 5), 0), ((6, 20), 1), ((21, None), 0)]
    assert [(row["party_id"], row["count"], row["name"]) for row in customers.top] == [
        (busy.pk, 7, ""), (mine.pk, 1, "Sara Mine"),
    ]  # fmt: skip
    assert f"party={busy.pk}" in customers.top[0]["url"]


# Scope and filters ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_own_user_counts_only_their_activities_and_cannot_choose_a_colleague() -> None:
    team = TeamFactory(name="Sales")
    own = staff_member("own", scope=Scope.OWN, teams=[team])
    colleague = staff_member("colleague", teams=[team])
    TaskFactory(owner=own, assignees=[own], due_at=_at(2025, 12, 3))
    TaskFactory(owner=colleague, assignees=[colleague], due_at=_at(2025, 12, 3))
    TaskFactory(owner=colleague, assignees=[colleague], due_at=_at(2025, 12, 4))
    client = _client(own)

    assert _report(client, DECEMBER)["totals"].total == 1
    response = client.get(REPORT + DECEMBER + f"&user={colleague.pk}")
    assert response.context["report"] is None
    assert "user" in response.context["form"].errors
    assert list(response.context["form"].fields["user"].queryset) == [own]


@pytest.mark.django_db
def test_a_team_user_sees_their_teams_activities() -> None:
    sales = TeamFactory(name="Sales")
    lead = staff_member("lead", scope=Scope.TEAM, teams=[sales])
    member = staff_member("member", teams=[sales])
    stranger = staff_member("stranger", teams=[TeamFactory(name="Isfahan")])
    TaskFactory(owner=member, team=sales, assignees=[member], due_at=_at(2025, 12, 3))
    TaskFactory(owner=stranger, assignees=[stranger], due_at=_at(2025, 12, 3))

    assert _report(_client(lead), DECEMBER)["totals"].total == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?period=custom", "since"),
        ("?period=custom&since=2025-12-10&until=2025-12-01", "until"),
        ("?period=custom&since=2024-01-01&until=2025-12-31", "until"),
        ("?since=1404/13/01&until=1404/09/30", "since"),
        ("?kind=lunch", "kind"),
        ("?group=colour", "group"),
        ("?period=yesterday", "period"),
        ("?channel=999999", "channel"),
    ],
)
def test_a_wrong_filter_is_shown_on_its_field_without_figures(query: str, field: str) -> None:
    response = _client(_manager()).get(REPORT + query)

    assert response.status_code == 200
    assert response.context["report"] is None
    assert field in response.context["form"].errors


@pytest.mark.django_db
def test_someone_without_activities_is_refused() -> None:
    response = _client(UserFactory(username="nobody")).get(REPORT)
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_grouped_table_as_csv_needs_the_export_and_leaves_a_trace() -> None:
    from peyvand.accounts.models import AuditEvent

    user = _manager(first_name="Mina", last_name="Rad")
    TaskFactory(owner=user, due_at=_at(2025, 12, 3))
    _done(TaskFactory(owner=user, due_at=_at(2025, 12, 4)), _at(2025, 12, 5))
    assert _client(user).get(REPORT + DECEMBER + "&group=user&format=csv").status_code == 403
    user.roles.first().grants.create(module="activities", action="export", scope=Scope.ALL)

    response = _client(user).get(REPORT + DECEMBER + "&group=user&format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["Assignee,Total,Open,Done,Overdue,Done late,Cancelled", "Mina Rad,2,1,1,1,1,0"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT, object_type="activities.report")
    assert event.actor == user
    assert event.changes["filters"]["group"] == "user"


@pytest.mark.django_db
def test_a_name_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_the_csv() -> None:
    user = _manager(first_name="=HYPERLINK(1)", last_name="")
    user.roles.first().grants.create(module="activities", action="export", scope=Scope.ALL)
    TaskFactory(owner=user, due_at=_at(2025, 12, 3))

    lines = _client(user).get(REPORT + DECEMBER + "&group=user&format=csv").content.decode("utf-8-sig").splitlines()

    assert lines[1].startswith("'=HYPERLINK(1)")


# Periods in the reader's calendar ---------------------------------------------------------------
def test_jalali_months_fold_around_nowruz() -> None:
    # Esfand 1403 has 30 days (a leap year); 1404/01/01 is 21 March 2025
    period = periods.Period(_jalali(1403, 12, 20), _jalali(1404, 1, 11))
    parts = periods.buckets(period, "month", is_jalali=True)
    assert [(part.label, part.start, part.end) for part in parts] == [
        ("اسفند 1403", _jalali(1403, 12, 20), dt.date(2025, 3, 21)),
        ("فروردین 1404", dt.date(2025, 3, 21), _jalali(1404, 1, 11)),
    ]
    days = {_jalali(1403, 12, 30): {"total": 2}, _jalali(1404, 1, 1): {"total": 3}, _jalali(1404, 1, 10): {"total": 1}}
    assert periods.fold(days, parts) == [{"total": 2}, {"total": 4}]


def test_jalali_weeks_start_on_saturday_and_gregorian_ones_on_monday() -> None:
    # 29 Dec 2025 (Monday) to 11 Jan 2026, across the Gregorian year end
    period = periods.Period(dt.date(2025, 12, 29), dt.date(2026, 1, 12))
    jalali = periods.buckets(period, "week", is_jalali=True)
    gregorian = periods.buckets(period, "week", is_jalali=False)
    assert [part.start for part in jalali] == [dt.date(2025, 12, 29), dt.date(2026, 1, 3), dt.date(2026, 1, 10)]
    assert [part.start.weekday() for part in jalali[1:]] == [5, 5]
    assert [part.label for part in jalali] == ["8 دی 1404", "13 دی 1404", "20 دی 1404"]
    assert [part.start for part in gregorian] == [dt.date(2025, 12, 29), dt.date(2026, 1, 5)]
    assert [part.label for part in gregorian] == ["29 Dec 2025", "5 Jan 2026"]


def test_named_periods_in_both_calendars() -> None:
    nowruz = dt.date(2025, 3, 21)
    assert periods.named_period("this_month", today=nowruz, is_jalali=True) == periods.Period(
        dt.date(2025, 3, 21), dt.date(2025, 4, 21)
    )
    assert periods.named_period("last_month", today=nowruz, is_jalali=True) == periods.Period(
        _jalali(1403, 12, 1), dt.date(2025, 3, 21)
    )
    assert periods.named_period("last_month", today=dt.date(2026, 1, 2), is_jalali=False) == periods.Period(
        dt.date(2025, 12, 1), dt.date(2026, 1, 1)
    )
    assert periods.named_period("this_week", today=dt.date(2025, 12, 31), is_jalali=True) == periods.Period(
        dt.date(2025, 12, 27), dt.date(2026, 1, 3)
    )
    assert periods.named_period("last_90_days", today=dt.date(2025, 12, 31), is_jalali=False).days == 90


@pytest.mark.django_db
def test_a_persian_reader_types_jalali_days_and_sees_jalali_months() -> None:
    user = _manager(language=User.Language.PERSIAN)
    TaskFactory(owner=user, due_at=_at(2025, 3, 19))
    TaskFactory(owner=user, due_at=_at(2025, 3, 22))

    response = _client(user).get(REPORT + "?period=custom&since=۱۴۰۳/۱۲/۱۵&until=1404/01/31&group=month")

    rows = response.context["report"]["rows"]
    assert [(row.label, row.counts.total) for row in rows] == [("اسفند 1403", 1), ("فروردین 1404", 1)]
    assert "فروردین ۱۴۰۴" in response.content.decode()
    # grouped by month, the months' chart is the one over time: it is not drawn twice
    assert response.content.decode().count('class="chart chart-columns"') == 1


# Charts -----------------------------------------------------------------------------------------
def test_bars_mirror_right_to_left() -> None:
    data = [charts.Datum("A", 10), charts.Datum("B", 5)]
    left_to_right = charts.bar_chart(data, rtl=False)
    right_to_left = charts.bar_chart(data, rtl=True)
    assert [shape.width for shape in left_to_right.shapes] == [shape.width for shape in right_to_left.shapes]
    first, mirrored = left_to_right.shapes[0], right_to_left.shapes[0]
    assert first.x == charts.BAR_LABEL
    assert mirrored.x + mirrored.width == charts.BAR_WIDTH - charts.BAR_LABEL
    assert mirrored.label_x > mirrored.x + mirrored.width  # labels on the right
    columns = charts.column_chart([charts.Datum("week 1", 1), charts.Datum("week 2", 2)], rtl=True)
    assert columns.shapes[0].x > columns.shapes[1].x  # time runs from right to left


def test_nice_ticks() -> None:
    assert charts.nice_ticks(0) == [0]
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(950) == [0, 500, 1000]


# Queries ----------------------------------------------------------------------------------------
def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["user", "team", "kind", "outcome", "channel", "week", "month"])
def test_the_report_costs_the_same_queries_for_3_or_40_activities(group: str) -> None:
    user = _manager()
    people = [PersonFactory(owner=user) for _ in range(3)]
    for number in range(3):
        TaskFactory(owner=user, party=people[number], due_at=_at(2025, 12, 2 + number))
        InteractionFactory(party=people[number], occurred_at=_at(2025, 12, 2 + number))
    client = _client(user)
    url = REPORT + DECEMBER + f"&group={group}"
    few = _queries(client, url)
    for number in range(37):
        CallFactory(owner=user, party=people[number % 3], starts_at=_at(2025, 12, 1 + number % 28))
        InteractionFactory(party=people[number % 3], direction="outbound", occurred_at=_at(2025, 12, 1 + number % 28))
    assert _queries(client, url) == few
    # session, user, profile (3), unread notifications; the filters' users, teams and channels; the
    # breakdown, the users' or teams' counts and names, channels and their names, response time (4),
    # customers (2); on PostgreSQL the savepoint, its release and "jit off" around them
    assert few <= 20 + (3 if connection.vendor == "postgresql" else 0)


@pytest.mark.django_db
def test_the_chart_draws_the_20_largest_and_the_table_lists_them_all_up_to_50() -> None:
    manager = _manager()
    for number in range(21):
        staff = UserFactory(username=f"rep{number}")
        for _ in range(1 + (number == 0)):
            TaskFactory(owner=staff, assignees=[staff], due_at=_at(2025, 12, 3))

    report = _report(_client(manager), DECEMBER + "&group=user")

    assert len(report["chart"].shapes) == 20
    assert report["chart_left_out"] == 1
    assert len(report["shown"]) == 21
    assert report["left_out"] == 0
    assert report["chart"].shapes[0].value == 2  # the busiest first
