"""The workflow's pages: approval requests (list, one, ask, decide, withdraw), hand-offs (list,
hand over) and notes on an activity. Thin: access, a form, a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.activities import access as activity_access
from peyvand.activities.views import render_detail
from peyvand.activities.workflow import access, records, selectors, services
from peyvand.activities.workflow.forms import ApprovalRequestForm, DecisionForm, HandoffForm, NoteForm
from peyvand.activities.workflow.models import ApprovalRequest
from peyvand.common.pagination import InvalidCursor, keyset_page

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _form_errors_to(form: Any, error: ValidationError) -> None:
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def _say_not_told(request: HttpRequest, told: services.Told) -> None:
    if told.not_told:
        names = "، ".join(user.get_full_name() or user.get_username() for user in told.not_told)
        messages.warning(request, _("Not told, as they may not see this record: %(names)s") % {"names": names})


def _record_of(request: HttpRequest, action: str) -> tuple[records.RecordType, Any]:
    """The record named by ``type`` and ``id``, in the address (or, posted without it, the form)."""
    source = request.GET if "type" in request.GET else request.POST
    kind = records.get(source.get("type", ""))
    return kind, kind.fetch(_actor(request), source.get("id"), action)


def _page(request: HttpRequest, found: Any) -> tuple[Any, str]:
    try:
        page = keyset_page(found, ordering="-created_at", cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidCursor:
        page = keyset_page(found, ordering="-created_at", cursor=None, limit=PAGE_SIZE)
    next_url = ""
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_url = f"{request.path}?{query.urlencode()}"
    return page, next_url


# Approvals ---------------------------------------------------------------------------------------
@login_required
@require_safe
def approval_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    box = request.GET.get("box", "waiting")
    box = box if box in selectors.BOXES else "waiting"
    page, next_url = _page(request, selectors.approval_list(actor=actor, box=box))
    return render(request, "activities/workflow/approval_list.html",
                  {"page": page, "next_url": next_url, "box": box, "boxes": _boxes()})  # fmt: skip


def _boxes() -> list[tuple[str, str]]:
    return [("waiting", _("Waiting for me")), ("requested", _("Asked by me")), ("decided", _("Decided by me")),
            ("all", _("All I may see"))]  # fmt: skip


def _approval_context(request: HttpRequest, approval: ApprovalRequest, **extra: Any) -> dict[str, Any]:
    actor = _actor(request)
    kind = records.get(records.key_of(approval.related_type))
    try:
        record = kind.fetch(actor, approval.related_id, Action.VIEW)
    except (Http404, PermissionDenied):
        record = None
    may_decide = access.may_decide(actor, approval)
    return {
        "approval": approval, "kind": kind, "record_url": kind.url(record) if record is not None else "",
        "may_decide": may_decide, "may_withdraw": access.may_withdraw(actor, approval),
        "decision_form": extra.pop("decision_form", None) or (DecisionForm() if may_decide else None), **extra,
    }  # fmt: skip


@login_required
@require_safe
def approval_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    approval = access.access_approval(_actor(request), pk)
    return render(request, "activities/workflow/approval_detail.html", _approval_context(request, approval))


@login_required
@require_http_methods(["GET", "POST"])
def approval_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kind, record = _record_of(request, Action.VIEW)
    form = ApprovalRequestForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            approval, told = services.approval_request_create(
                actor=actor, record_type=kind.key, record_id=record.pk, subject=form.cleaned_data["subject"],
                details=form.cleaned_data["details"], approver=form.cleaned_data["approver"],
                approver_role=form.cleaned_data["approver_role"],
            )  # fmt: skip
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Your request was sent."))
            _say_not_told(request, told)
            return redirect("workflow:approval_detail", approval.pk)
    return render(request, "activities/workflow/approval_form.html",
                  {"form": form, "kind": kind, "record": record, "record_title": kind.title(record),
                   "record_url": kind.url(record)})  # fmt: skip


def _refused(request: HttpRequest, approval: ApprovalRequest, allowed: bool) -> HttpResponse | None:
    """A request decided already is a message on its page; one the actor may not act on, 403."""
    if allowed:
        return None
    if not approval.is_pending:
        messages.info(request, _("This request was decided already."))
        return redirect("workflow:approval_detail", approval.pk)
    raise PermissionDenied


@login_required
@require_POST
def approval_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    approval = access.access_approval(actor, pk)
    if refused := _refused(request, approval, access.may_decide(actor, approval)):
        return refused
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.approval_decide(actor=actor, approval=approval, approve=form.cleaned_data["decision"] == "approve",
                                     comment=form.cleaned_data["comment"])  # fmt: skip
        except services.ApprovalDecidedError:
            messages.info(request, _("This request was decided already."))
        except ValidationError as error:
            _form_errors_to(form, error)
            return render(request, "activities/workflow/approval_detail.html",
                          _approval_context(request, approval, decision_form=form), status=422)  # fmt: skip
        else:
            approved = approval.status == ApprovalRequest.Status.APPROVED
            messages.success(request, _("You approved the request.") if approved else _("You rejected the request."))
        return redirect("workflow:approval_detail", approval.pk)
    return render(request, "activities/workflow/approval_detail.html",
                  _approval_context(request, approval, decision_form=form), status=422)  # fmt: skip


@login_required
@require_POST
def approval_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    approval = access.access_approval(actor, pk)
    if refused := _refused(request, approval, access.may_withdraw(actor, approval)):
        return refused
    try:
        services.approval_withdraw(actor=actor, approval=approval)
    except services.ApprovalDecidedError:
        messages.info(request, _("This request was decided already."))
    else:
        messages.success(request, _("You withdrew the request."))
    return redirect("workflow:approval_detail", approval.pk)


# Hand-offs ---------------------------------------------------------------------------------------
@login_required
@require_safe
def handoff_list_view(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box", "received")
    box = box if box in selectors.HANDOFF_BOXES else "received"
    page, next_url = _page(request, selectors.handoff_list(actor=_actor(request), box=box))
    selectors.with_links(page.items)
    return render(request, "activities/workflow/handoff_list.html", {"page": page, "next_url": next_url, "box": box})


@login_required
@require_http_methods(["GET", "POST"])
def handoff_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kind, record = _record_of(request, Action.EDIT)
    form = HandoffForm(request.POST or None, colleagues=records.colleagues(actor, kind, record))
    if request.method == "POST" and form.is_valid():
        to_user = form.cleaned_data["to_user"]
        try:
            _handoff, told = services.handoff_create(actor=actor, record_type=kind.key, record_id=record.pk,
                                                     to_user=to_user, note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(
                request, _("Handed to %(name)s.") % {"name": to_user.get_full_name() or to_user.get_username()}
            )
            _say_not_told(request, told)
            if kind.would_see(actor, record) or kind.can(actor, record, Action.VIEW):
                return redirect(kind.url(record))
            return redirect("workflow:handoff_list")
    return render(request, "activities/workflow/handoff_form.html",
                  {"form": form, "kind": kind, "record": record, "record_title": kind.title(record),
                   "record_url": kind.url(record)})  # fmt: skip


# Notes on an activity ----------------------------------------------------------------------------
@login_required
@require_POST
def activity_note_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = activity_access.access_activity(actor, pk, Action.VIEW)
    form = NoteForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            _note, told = services.activity_note_add(actor=actor, activity=activity, text=form.cleaned_data["text"])
        except ValidationError as error:
            _form_errors_to(form, error)
            status = 422
        else:
            _say_not_told(request, told)
            if not getattr(request, "htmx", False):
                return redirect("activities:activity_detail", activity.pk)
            form = NoteForm()
    else:
        status = 422
    if not getattr(request, "htmx", False):  # the page again, the text kept, the error on its field
        return render_detail(request, pk, note_form=form, status=status)
    return render(request, "activities/workflow/_notes.html",
                  {"activity": activity, "notes": selectors.activity_notes(activity.pk), "note_form": form},
                  status=status)  # fmt: skip
