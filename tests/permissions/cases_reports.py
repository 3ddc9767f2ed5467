"""The answers for the activity report: everyone who may see activities opens it (what it counts is
the reader's scope, tested in ``tests/activities/test_reports.py``); a user out of the reader's
reach is refused on the filter's field, on a page that still answers 200. Nobody else opens it."""

from __future__ import annotations

from tests.permissions.world import LOGIN, Case

USES = ("cases_activities",)

REPORT = (LOGIN, 403, 200, 200, 200, 200)

CASES: list[Case] = [
    Case("activities:report", REPORT),
    Case("activities:report", REPORT, data=lambda w: {"group": "team", "period": "last_90_days"}, note="by team"),
    Case("activities:report", REPORT, data=lambda w: {"group": "channel"}, note="by channel"),
    Case("activities:report", REPORT, data=lambda w: {"user": w.stranger.pk}, note="a stranger's figures"),
    Case("activities:report", REPORT, data=lambda w: {"group": "week", "format": "csv"}, note="CSV"),
]
