"""The calendar's pages: a month, week or day of the actor's activities (and, within their reach,
colleagues'), Iran's holidays on it, moving an activity, and the administrators' holidays upload.
Thin: the grid (``grid``), the selector ``activities_between``, the service ``activity_update``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.activities import access, holidays, selectors, services
from peyvand.activities.calendar import grid, people
from peyvand.activities.calendar.entries import EntryWriter
from peyvand.activities.calendar.forms import MoveForm
from peyvand.activities.models import Activity, Holiday
from peyvand.common.calendar import uses_jalali

# Where the day view's hours start and end, and the hour a new activity on a day starts.
FIRST_HOUR, LAST_HOUR, DEFAULT_HOUR = 7, 21, 9


# A month's day shows this many activities and "n more", a link to the day.
MONTH_DAY_ENTRIES = 6


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the activities' own pages are not installed
        return None


def _create_link(base: str | None, kind: str, when: dt.datetime) -> str | None:
    if base is None:
        return None
    moment = "due_at" if kind == Activity.Kind.TASK else "starts_at"
    return f"{base}?{urlencode({'kind': kind, moment: when.isoformat()})}"


def _day(text: str | None, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else today
    except ValueError:
        return today


def _chosen_users(actor: User, query: QueryDict, reachable: list[User]) -> list[User]:
    """The users asked for (``user`` ids, a ``team``'s members), within reach; the actor by default."""
    by_id = {user.pk: user for user in reachable}
    chosen: dict[int, User] = {}
    for value in query.getlist("user"):
        if value.isdigit() and int(value) in by_id:
            chosen[int(value)] = by_id[int(value)]
    team = query.get("team", "")
    if team.isdigit():
        for user in reachable:
            if any(member_team.pk == int(team) for member_team in user.teams.all()):
                chosen[user.pk] = user
    return list(chosen.values()) or [actor]


def _local(day: dt.date, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _place_entries(days: list[grid.Day], rows: list[Any]) -> None:
    """Each activity once a day, with the staff of the shown calendars on it."""
    by_date = {day.date: day for day in days}
    seen: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = seen.get(row.activity_id)
        if entry is None:
            local = timezone.localtime(row.at)
            day = by_date.get(local.date())
            if day is None:
                continue
            entry = {"activity": row.activity, "at": local, "people": []}
            seen[row.activity_id] = entry
            day.entries.append(entry)
        entry["people"].append(row.user)


def _hours(day: grid.Day, create_base: str | None) -> list[dict[str, Any]]:
    """The day view's hours, each with its activities (the earlier and later ones at the ends)."""
    slots: dict[int, dict[str, Any]] = {
        hour: {"hour": hour, "time": f"{hour:02d}:00", "entries": [],
               "create_url": _create_link(create_base, Activity.Kind.MEETING, _local(day.date, hour))}
        for hour in range(FIRST_HOUR, LAST_HOUR + 1)
    }  # fmt: skip
    for entry in day.entries:
        slots[min(max(entry["at"].hour, FIRST_HOUR), LAST_HOUR)]["entries"].append(entry)
    return list(slots.values())


@login_required
@require_safe
def calendar_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not access.can_see_activities(actor):
        raise PermissionDenied
    view = request.GET.get("view", "month")
    view = view if view in grid.VIEWS else "month"
    today = timezone.localdate()
    the_grid = grid.build(view, _day(request.GET.get("date"), today), is_jalali=uses_jalali(), today=today)  # type: ignore[arg-type]
    reachable = list(people.reachable_users(actor).prefetch_related("teams"))
    chosen = _chosen_users(actor, request.GET, reachable)
    entries = selectors.activities_between(actor=actor, user_ids=[user.pk for user in chosen],
                                           start=_local(the_grid.start), end=_local(the_grid.end))  # fmt: skip
    _place_entries(the_grid.days, entries.rows)
    writer = EntryWriter(request=request, next_path=request.get_full_path(), shows_others=chosen != [actor])
    for day in the_grid.days:
        if view == "month" and len(day.entries) > MONTH_DAY_ENTRIES:  # the rest on the day's own page
            day.more = len(day.entries) - MONTH_DAY_ENTRIES  # type: ignore[attr-defined]
            day.entries = day.entries[:MONTH_DAY_ENTRIES]
        for entry in day.entries:
            entry["html"] = writer.html(entry)
    found = holidays.holidays_between(the_grid.start, the_grid.end)
    for day in the_grid.days:
        day.holiday = found.get(day.date)
    keep = {"user": [user.pk for user in chosen]} if chosen != [actor] else {}

    def link(day: dt.date, to_view: str = view) -> str:
        return f"?{urlencode({'view': to_view, 'date': day.isoformat(), **keep}, doseq=True)}"

    may_create = accounts_access.can(actor, access.MODULE, Action.CREATE)
    create_base = _url("activities:activity_create") if may_create else None
    for day in the_grid.days:
        day.create_url = _create_link(create_base, Activity.Kind.MEETING, _local(day.date, DEFAULT_HOUR))  # type: ignore[attr-defined]
        day.task_url = _create_link(create_base, Activity.Kind.TASK, _local(day.date, DEFAULT_HOUR))  # type: ignore[attr-defined]
        day.link = link(day.date, "day")  # type: ignore[attr-defined]
    hours = _hours(the_grid.days[0], create_base) if view == "day" else []
    return render(request, "activities/calendar/calendar.html", {
        "grid": the_grid, "hours": hours, "is_truncated": entries.is_truncated,
        "previous_url": link(the_grid.previous), "next_url": link(the_grid.next), "today_url": link(today),
        "view_urls": [(name, label, link(the_grid.day, name)) for name, label in
                      (("month", _("Month")), ("week", _("Week")), ("day", _("Day")))],
        "reachable": reachable, "teams": list(people.reachable_teams(actor)) if len(reachable) > 1 else [],
        "chosen_ids": [user.pk for user in chosen],
        "holidays_url": reverse("calendar:holidays") if accounts_access.is_administrator(actor) else None,
    })  # fmt: skip


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("calendar:calendar")


def _new_times(activity: Activity, day: dt.date, time: dt.time | None) -> dict[str, Any]:
    """The activity at ``day`` (and ``time``, else its own time of day): the due time of a task, the
    start of a call or meeting (the service keeps its length)."""
    current = activity.scheduled_at
    own_time = timezone.localtime(current).time() if current is not None else dt.time(DEFAULT_HOUR)
    moment = timezone.make_aware(dt.datetime.combine(day, time or own_time))
    if activity.starts_at is not None or activity.kind != Activity.Kind.TASK:
        return {"starts_at": moment}
    return {"due_at": moment}


@login_required
@require_POST
def activity_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an activity to another day (or hour): from the drag and drop or the "move to" form."""
    actor = _actor(request)
    activity = access.access_activity(actor, pk, Action.EDIT)
    form = MoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(_back(request))
    try:
        services.activity_update(actor=actor, activity=activity,
                                 **_new_times(activity, form.cleaned_data["date"], form.cleaned_data["time"]))  # fmt: skip
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, _("“%(subject)s” was not moved: %(reason)s")
                           % {"subject": activity.subject, "reason": text})  # fmt: skip
        return redirect(_back(request))
    messages.success(request, _("“%(subject)s” was moved.") % {"subject": activity.subject})
    return redirect(_back(request))


@login_required
@require_http_methods(["GET", "POST"])
def holiday_upload_view(request: HttpRequest) -> HttpResponse:
    """The administrators' page: the holidays loaded, and a newer file to load (checked whole first)."""
    actor = _actor(request)
    accounts_access.require_administrator(actor)
    errors: list[tuple[int, str]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [(0, _("Choose a holidays file."))]
        elif upload.size is not None and upload.size > 1_000_000:
            errors = [(0, _("The file is larger than 1 MB."))]
        else:
            try:
                rows = holidays.parse(upload.read())
            except holidays.HolidayFileError as error:
                errors = error.errors
            else:
                count = holidays.holidays_load(actor=actor, rows=rows)
                messages.success(request, _("%(count)s holidays were loaded.") % {"count": count})
                return redirect("calendar:holidays")
    today = timezone.localdate()
    upcoming = list(Holiday.objects.filter(date__gte=today).order_by("date")[:30])
    return render(request, "activities/calendar/holidays.html",
                  {"upcoming": upcoming, "errors": errors}, status=400 if errors else 200)  # fmt: skip
