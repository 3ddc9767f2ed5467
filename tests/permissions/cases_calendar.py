"""The answers for the calendar's pages: the calendar, moving an activity, the holidays page.

Everyone with the activities module opens their calendar (whose calendars they may add is the
selector's and the view's business, tested in ``tests/activities/test_calendar.py``). Moving
needs the edit of the activity: out of sight it is missing (404); so does a meeting's invitation.
The feed answers its secret address to anyone (calendar programs have no session) and 404 to any
other; each user makes or revokes only their own address. The holidays page is the administrators'.
"""

from __future__ import annotations

from typing import Any

from tests.permissions.world import BUILDERS, LOGIN, Case, World

USES = ("cases_activities",)

ADMIN_PAGE = (LOGIN, 403, 403, 403, 403, 200)


def _calendar(world: World) -> None:
    from peyvand.activities import ical
    from tests.activities.factories import MeetingFactory

    field_sales = world.colleague.teams.get()
    world.extra["meeting_of_colleague"] = MeetingFactory(owner=world.colleague, team=field_sales,
                                                         assignees=[world.colleague])  # fmt: skip
    world.extra["feed_token_of_own"] = ical.feed_token_create(actor=world.users["own"])


BUILDERS.append(_calendar)


def _activity(name: str) -> Any:
    return lambda w: [w.extra[name].pk]


def _to(w: World) -> dict[str, Any]:
    return {"date": "2026-12-09", "time": "10:30", "next": "/calendar/"}


CASES: list[Case] = [
    Case("calendar:calendar", (LOGIN, 403, 200, 200, 200, 200)),
    Case("calendar:calendar", (LOGIN, 403, 200, 200, 200, 200), data=lambda w: {"view": "week"}, note="week"),
    Case("calendar:calendar", (LOGIN, 403, 200, 200, 200, 200), data=lambda w: {"view": "day"}, note="day"),
    Case(
        "calendar:calendar",
        (LOGIN, 403, 200, 200, 200, 200),
        data=lambda w: {"user": [w.colleague.pk, w.stranger.pk]},
        note="colleagues",
    ),
    Case(
        "calendar:activity_move",
        (LOGIN, 403, 404, 302, 302, 302),
        method="POST",
        args=_activity("activity_of_colleague"),
        data=_to,
        note="colleague's",
    ),
    Case(
        "calendar:activity_move",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_activity("activity_of_stranger"),
        data=_to,
        note="stranger's",
    ),
    Case(
        "calendar:activity_move",
        (LOGIN, 403, 302, 404, 302, 302),
        method="POST",
        args=_activity("activity_assigned_to_own"),
        data=_to,
        note="assigned to own",
    ),
    Case(
        "calendar:activity_move",
        (LOGIN, 403, 404, 302, 302, 302),
        method="POST",
        args=_activity("activity_of_colleague"),
        data=lambda w: {"date": "not a date"},
        note="bad date",
    ),
    Case("calendar:meeting_invitation", (LOGIN, 403, 404, 200, 200, 200), args=_activity("meeting_of_colleague")),
    Case(
        "calendar:meeting_invitation",
        (LOGIN, 403, 404, 404, 404, 404),
        args=_activity("activity_of_colleague"),
        note="a task",
    ),
    # The feed answers its secret address only, whoever asks (a calendar program has no session).
    Case("calendar:feed", (200, 200, 200, 200, 200, 200), args=lambda w: [w.extra["feed_token_of_own"]]),
    Case("calendar:feed", (404, 404, 404, 404, 404, 404), args=lambda w: ["wrong-token"], note="wrong token"),
    Case("calendar:feed_create", (LOGIN, 403, 302, 302, 302, 302), method="POST"),
    Case("calendar:feed_revoke", (LOGIN, 302, 302, 302, 302, 302), method="POST"),
    Case("calendar:holidays", ADMIN_PAGE),
    Case("calendar:holidays", (LOGIN, 403, 403, 403, 403, 400), method="POST", note="no file"),
]
