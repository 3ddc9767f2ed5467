"""The activities pages: the list, one activity, creating and changing, completing, reopening,
cancelling and deleting, and the customer panel's quick form. Thin: access, a form, a service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.activities import access, panels, selectors, services
from peyvand.activities.forms import ActivityFilterForm, ActivityForm, CompleteForm, QuickActivityForm, initial_of
from peyvand.activities.models import Activity
from peyvand.activities.rules import default_calendar, start_of_day
from peyvand.activities.workflow import selectors as workflow_selectors
from peyvand.activities.workflow.forms import NoteForm
from peyvand.common.calendar import format_datetime
from peyvand.common.forms import LocalDateTimeField
from peyvand.common.pagination import InvalidCursor, keyset_page
from peyvand.contacts import access as contacts_access
from peyvand.contacts.models import Party

PAGE_SIZE = 50
PERIODS = {"today": 1, "week": 7, "month": 31}
CONFLICTS = (services.ActivityClosedError, services.ActivityOpenError)


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _form_errors_to(form: Any, error: ValidationError) -> None:
    for name, texts in error.message_dict.items():
        field = name.replace(".", "_") if name.startswith("recurrence.") else name
        if field == "recurrence_frequency":
            field = "recurrence"
        form.add_error(field if field in form.fields else None, texts)


def _detail(actor: User, pk: Any, action: str = Action.VIEW) -> Activity:
    queryset = selectors.with_details(Activity.objects.select_related("interaction", "series"), actor)
    return access.access_activity(actor, pk, action, queryset=queryset)


def _mark(actor: User, activity: Activity) -> Activity:
    """What the reader may do with it: no query (its staff are prefetched)."""
    activity.may_edit = access.can_activity(actor, activity, Action.EDIT)  # type: ignore[attr-defined]
    activity.may_delete = access.can_activity(actor, activity, Action.DELETE)  # type: ignore[attr-defined]
    may_see_party = activity.party is not None and contacts_access.can_party(actor, activity.party, Action.VIEW)
    activity.may_see_party = may_see_party  # type: ignore[attr-defined]
    return activity


# The list ---------------------------------------------------------------------------------------
def _filters(actor: User, form: ActivityFilterForm) -> selectors.ActivityFilters:
    data = form.cleaned_data if form.is_valid() else {}
    assignee = data.get("assignee") or ""
    since = until = None
    if data.get("since"):
        since = timezone.make_aware(dt.datetime.combine(data["since"], dt.time()))
    if data.get("until"):
        until = timezone.make_aware(dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time()))
    days = PERIODS.get(form.data.get("period", ""))
    if days is not None:
        today = start_of_day(timezone.now())
        since, until = today, start_of_day(today + dt.timedelta(days=days, hours=12))
    return selectors.ActivityFilters(
        kind=data.get("kind") or "", status=data.get("status") or "",
        assignee_id=actor.pk if assignee == "me" else (int(assignee) if assignee else None),
        party_id=data.get("party"), since=since, until=until, overdue=bool(data.get("overdue")),
    )  # fmt: skip


@login_required
@require_safe
def activity_list_view(request: HttpRequest) -> HttpResponse:
    """The activities the reader may see, filtered, by time; htmx gets the rows alone."""
    actor = _actor(request)
    if not access.can_see_activities(actor):
        raise PermissionDenied
    form = ActivityFilterForm(request.GET)
    found = selectors.activity_list(actor=actor, filters=_filters(actor, form))
    try:
        page = keyset_page(found, ordering="at", cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidCursor:
        page = keyset_page(found, ordering="at", cursor=None, limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("cursor", None)
    next_url = ""
    if page.next_cursor:
        query["cursor"] = page.next_cursor
        next_url = f"{request.path}?{query.urlencode()}"
    context = {
        "form": form, "page": page, "next_url": next_url, "period": request.GET.get("period", ""),
        "is_first_page": not request.GET.get("cursor"), "now": timezone.now(),
        "may_create": accounts_access.can(actor, access.MODULE, Action.CREATE),
        "filtered": any(value for name, value in request.GET.items() if name != "cursor"),
    }  # fmt: skip
    if _is_htmx(request):
        return render(request, "activities/_list_rows.html", context)
    return render(request, "activities/activity_list.html", context)


# One activity -----------------------------------------------------------------------------------
@login_required
@require_safe
def activity_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


def render_detail(request: HttpRequest, pk: Any, *, note_form: Any = None, status: int = 200) -> HttpResponse:
    """One activity's page (as the reader may see it): its fields, its notes and its hand-offs and
    approval requests; ``note_form`` a note refused, shown again with its error."""
    actor = _actor(request)
    activity = _mark(actor, _detail(actor, pk))
    form = CompleteForm(activity=activity, prefix="complete") if activity.is_open else None
    context = {
        "activity": activity, "complete_form": form, "now": timezone.now(),
        "notes": workflow_selectors.activity_notes(activity.pk), "note_form": note_form or NoteForm(),
        "workflow": workflow_selectors.record_workflow(actor=_actor(request), record_type="activities.activity",
                                                       record_id=activity.pk),
    }  # fmt: skip
    return render(request, "activities/activity_detail.html", context, status=status)


def _initial_from_query(actor: User, query: QueryDict) -> dict[str, Any]:
    """What the calendar and the customer page prefill: ``kind``, ``due_at``, ``starts_at``,
    ``ends_at`` (ISO or the reader's calendar) and ``party``; a wrong value is left out."""
    initial: dict[str, Any] = {"recurrence_calendar": default_calendar(actor), "kind": Activity.Kind.TASK}
    if query.get("kind") in Activity.Kind.values:
        initial["kind"] = query["kind"]
    reader = LocalDateTimeField(required=False)
    for name in ("due_at", "starts_at", "ends_at"):
        text = query.get(name, "")
        if not text:
            continue
        try:
            initial[name] = dt.datetime.fromisoformat(text)
            if timezone.is_naive(initial[name]):
                initial[name] = timezone.make_aware(initial[name])
        except ValueError:
            try:
                initial[name] = reader.clean(text)
            except ValidationError:
                continue
    party = query.get("party", "")
    if party.isascii() and party.isdigit() and len(party) < 19:
        initial["party"] = int(party)
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activity_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    accounts_access.require(actor, access.MODULE, Action.CREATE)
    form = ActivityForm(
        request.POST if request.method == "POST" else None, actor=actor, initial=_initial_from_query(actor, request.GET)
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=actor, **form.service_values())
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("The activity “%(subject)s” was created.") % {"subject": activity.subject})
            return redirect("activities:activity_detail", activity.pk)
    party = None
    party_id = form.initial.get("party")
    if party_id:
        party = contacts_access.visible_parties(actor, Party.objects.filter(pk=party_id)).first()
    return render(request, "activities/activity_form.html", {"form": form, "activity": None, "party": party})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activity_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = _detail(actor, pk, Action.EDIT)
    form = ActivityForm(
        request.POST if request.method == "POST" else None, actor=actor, activity=activity, initial=initial_of(activity)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=actor, activity=activity, **form.service_values())
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("The changes to the activity were saved."))
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity,
                                                              "party": activity.party})  # fmt: skip


# Completing, reopening, cancelling, deleting ----------------------------------------------------
def _after_change(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Where a panel's button leads: the customer panel again, the row on my page, or the page."""
    where = request.POST.get("panel", "")
    if _is_htmx(request) and where == "party" and activity.party is not None:
        return party_panel_response(request, activity.party)
    if _is_htmx(request) and where == "home":
        return render(request, "activities/_my_row_done.html", {"activity": activity})
    return redirect("activities:activity_detail", activity.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activity_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the completion form; POST marks it done (from a panel with htmx, the panel again)."""
    actor = _actor(request)
    activity = _detail(actor, pk, Action.EDIT)
    form = CompleteForm(request.POST if request.method == "POST" else None, activity=activity, prefix="complete")
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_complete(actor=actor, activity=activity, outcome=form.cleaned_data.get("outcome", ""),
                                       call_outcome=form.cleaned_data.get("call_outcome") or "",
                                       channel=form.cleaned_data.get("channel"))  # fmt: skip
        except CONFLICTS as error:
            messages.error(request, str(error))
            return redirect("activities:activity_detail", activity.pk)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            if not _is_htmx(request):
                messages.success(request, _("The activity was marked done."))
            return _after_change(request, activity)
    if request.method == "POST" and _is_htmx(request):  # from a panel: the full form shows what is wrong
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("activities:activity_complete", args=[activity.pk])
        return response
    return render(request, "activities/activity_complete.html", {"activity": _mark(actor, activity), "form": form},
                  status=422 if request.method == "POST" else 200)  # fmt: skip


def _state_change(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    actor = _actor(request)
    activity = access.access_activity(actor, pk, Action.EDIT, queryset=Activity.objects.select_related("party"))
    try:
        service(actor=actor, activity=activity)
    except CONFLICTS as error:
        messages.error(request, str(error))
    else:
        if not _is_htmx(request):
            messages.success(request, done)
    return _after_change(request, activity)


@login_required
@require_POST
def activity_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(request, pk, services.activity_reopen, _("The activity is open again."))


@login_required
@require_POST
def activity_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(request, pk, services.activity_cancel, _("The activity was cancelled."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activity_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    actor = _actor(request)
    activity = access.access_activity(actor, pk, Action.DELETE, queryset=Activity.objects.select_related("party"))
    if request.method != "POST":
        return render(request, "activities/activity_confirm_delete.html", {"activity": activity})
    services.activity_delete(actor=actor, activity=activity)
    messages.success(request, _("The activity was deleted."))
    return redirect("activities:activity_list")


# The customer panel -----------------------------------------------------------------------------
def _party_for(actor: User, party_id: int) -> Party:
    if not access.can_see_activities(actor):
        raise PermissionDenied
    return contacts_access.access_party(actor, party_id, Action.VIEW)


def party_panel_response(request: HttpRequest, party: Party, **extra: Any) -> HttpResponse:
    context = panels.party_context(request, party, **extra)
    return render(request, "activities/_party_panel_body.html", {"activities": context})


@login_required
@require_safe
def party_panel_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """The customer panel alone (htmx refreshes it); without htmx the full list for that customer."""
    party = _party_for(_actor(request), party_id)
    if not _is_htmx(request):
        return redirect(f"{reverse('activities:activity_list')}?party={party.pk}")
    return party_panel_response(request, party)


@login_required
@require_POST
def party_create_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """The quick form: a task, call or meeting for this customer, assigned to the actor."""
    actor = _actor(request)
    party = _party_for(actor, party_id)
    accounts_access.require(actor, access.MODULE, Action.CREATE)
    form = QuickActivityForm(request.POST, prefix="activity")
    created = None
    if form.is_valid():
        try:
            created = services.activity_create(actor=actor, party=party, **form.service_values())
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                form.add_error("when" if name in ("due_at", "starts_at") else (name if name in form.fields else None),
                               texts)  # fmt: skip
    if created is not None and not _is_htmx(request):
        messages.success(request, _("The activity “%(subject)s” was created.") % {"subject": created.subject})
        return redirect("contacts:party_detail", party.pk)
    if created is not None:
        return party_panel_response(request, party, created=created)  # with a fresh form
    if not _is_htmx(request):
        errors = " ".join(str(text) for texts in form.errors.values() for text in texts)
        messages.error(request, _("The activity was not created: %(errors)s") % {"errors": errors})
        return redirect("contacts:party_detail", party.pk)
    return party_panel_response(request, party, form=form)


# Snoozing one's own reminder -----------------------------------------------------------------------
SNOOZE_CHOICES = (10, 60, 24 * 60)


@login_required
@require_POST
def reminder_snooze_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind me again in 10 minutes, an hour or a day (the activity's page; a reminder's link leads there)."""
    actor = _actor(request)
    reminder = access.access_my_reminder(actor, pk)
    text = request.POST.get("minutes", "")
    minutes = int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 0
    try:
        reminder = services.reminder_snooze(actor=actor, reminder=reminder, minutes=minutes)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You will be reminded again %(when)s.") % {
            "when": format_datetime(reminder.remind_at, language=translation.get_language() or "fa")})  # fmt: skip
    return redirect("activities:activity_detail", pk)
