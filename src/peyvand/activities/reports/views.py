"""The activity report page (``activities:report``): filters, figures, charts and their tables, and
the grouped table as CSV (``?format=csv``). A wrong filter is shown on its field; no figures then."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from peyvand.accounts import access as accounts_access
from peyvand.accounts import audit
from peyvand.accounts.permissions import Action
from peyvand.activities import access
from peyvand.activities.reports import charts, selectors, tables
from peyvand.activities.reports.forms import GROUP_CHOICES, ReportForm
from peyvand.activities.reports.periods import buckets, fold
from peyvand.common.calendar import uses_jalali
from peyvand.common.csv import stream_rows
from peyvand.timeline.access import can_see_interactions

CHART_ROWS = 20  # the largest users, teams or channels drawn
TABLE_ROWS = tables.LINKED_ROWS  # and listed; the CSV holds them all


def _report(request: HttpRequest, form: ReportForm) -> dict[str, Any]:
    actor = request.user
    filters = form.filters()
    group = form.chosen_group
    now = timezone.now()
    is_jalali = uses_jalali()
    rtl = translation.get_language_bidi()
    cells = selectors.breakdown(actor=actor, filters=filters, now=now)
    days = tables.day_counts(cells.by_day())
    unit = group if group in ("week", "month") else tables.bucket_unit(filters.period)
    parts = buckets(filters.period, unit, is_jalali=is_jalali)
    trend = tables.bucket_rows(parts, fold(days, parts), filters)
    totals = selectors.Counts()
    for row in trend:
        totals.add(row.counts)
    sees_interactions = can_see_interactions(actor)
    if group in ("week", "month"):
        rows = trend
    elif group == "channel":
        found = selectors.interactions_by_channel(actor=actor, filters=filters) if sees_interactions else {}
        rows = tables.channel_rows(found)
    elif group == "kind":
        rows = tables.grouped_rows(group, cells.by_kind(), filters)
    elif group == "outcome":
        rows = tables.grouped_rows(group, cells.by_outcome(), filters)
    else:
        rows = tables.grouped_rows(group, selectors.counts_by(actor=actor, filters=filters, group=group, now=now),
                                   filters)  # fmt: skip
    outcomes = rows if group == "outcome" else tables.grouped_rows("outcome", cells.by_outcome(), filters)
    channels = rows if group == "channel" else (
        tables.channel_rows(selectors.interactions_by_channel(actor=actor, filters=filters)) if sees_interactions else [])  # fmt: skip
    responses = selectors.response_times(actor=actor, filters=filters) if sees_interactions else None
    # Users, teams and channels are shown largest first and cut; weeks and months all. The CSV has every row.
    shown = rows if group in ("week", "month") else rows[:TABLE_ROWS]
    chart_rows = shown if group in ("week", "month") else rows[:CHART_ROWS]
    chart_data = [charts.Datum(label=row.label, value=row.value, url=row.links.get("total", "")) for row in chart_rows]
    trend_data = [charts.Datum(label=row.label, value=row.counts.total, url=row.links["total"]) for row in trend]
    return {
        "filters": filters, "group": group, "group_label": dict(GROUP_CHOICES)[group], "totals": totals,
        "links": tables.figure_links(filters), "rows": rows, "shown": shown, "left_out": len(rows) - len(shown),
        "chart_left_out": len(rows) - len(chart_rows), "trend": trend, "unit": unit,
        "chart": (charts.column_chart if group in ("week", "month") else charts.bar_chart)(chart_data, rtl=rtl),
        "trend_chart": charts.column_chart(trend_data, rtl=rtl),
        "created": cells.created,
        "outcomes": outcomes, "channels": channels, "sees_interactions": sees_interactions,
        "channel_chart": charts.bar_chart([charts.Datum(row.label, row.value) for row in channels], rtl=rtl),
        "responses": responses, "response_median": tables.duration_text(responses.median if responses else None),
        "customers": _customers(actor, filters), "response_sample": selectors.RESPONSE_SAMPLE,
    }  # fmt: skip


def _customers(actor: Any, filters: selectors.ReportFilters) -> selectors.CustomerFigures:
    figures = selectors.activities_per_customer(actor=actor, filters=filters)
    for row in figures.top:
        row["url"] = tables.drill(filters, party_id=row["party_id"])
    return figures


def _csv(request: HttpRequest, report: dict[str, Any]) -> HttpResponse:
    """The grouped table, every row (the export was checked first), with its trace in the audit trail."""
    audit.record_export(actor=request.user, object_type="activities.report", label=str(_("Activity report")),
                        filters={name: value for name, value in request.GET.items() if name != "format"})  # fmt: skip
    if report["group"] == "channel":
        lines = [[_("Channel"), _("Inbound"), _("Outbound"), _("Internal"), _("Total")]] + [
            [row.label, row.channel.inbound, row.channel.outbound, row.channel.internal, row.value]
            for row in report["rows"]
        ]
    else:
        lines = [[report["group_label"], _("Total"), _("Open"), _("Done"), _("Overdue"), _("Done late"),
                  _("Cancelled")]] + [
            [row.label, row.counts.total, row.counts.open, row.counts.done, row.counts.overdue, row.counts.late,
             row.counts.cancelled]
            for row in report["rows"]
        ]  # fmt: skip
    response = HttpResponse("".join(stream_rows(lines)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activities-{report["filters"].period.start}.csv"'
    return response


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL compiles a query whose estimated cost is high (these scan big tables) before
    running it; for the report's aggregates of some tens of thousands of rows the compiling took
    longer than the work (25–55 ms a query at the benchmark's scale). Off for the report's own
    transaction only; elsewhere (SQLite) nothing is needed, nor a transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


@login_required
@require_safe
def report_view(request: HttpRequest) -> HttpResponse:
    if not access.can_see_activities(request.user):
        raise PermissionDenied
    form = ReportForm(request.GET or None, actor=request.user, today=timezone.localdate())
    valid = form.is_valid() if form.is_bound else True
    if not form.is_bound:
        form.cleaned_data = {}
    report = None
    wants_csv = request.GET.get("format") == "csv"
    if valid and wants_csv:  # refused before any figure is counted
        accounts_access.require(request.user, access.MODULE, Action.EXPORT)
    if valid:
        with _without_jit():
            report = _report(request, form)
    if report is not None and wants_csv:
        return _csv(request, report)
    may_export = accounts_access.can(request.user, access.MODULE, Action.EXPORT)
    return render(request, "activities/reports/report.html", {"form": form, "report": report, "may_export": may_export})
