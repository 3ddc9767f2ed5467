"""The audit trail: browse with filters and export. Nothing here changes it; its pages only read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from peyvand.accounts import access, audit, selectors
from peyvand.accounts.admin_forms import AuditFilterForm
from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Action
from peyvand.accounts.views.administration.shared import (
    actor_of,
    admin_sections,
    page_of,
    pagination_context,
    query_with,
)
from peyvand.common.csv import stream_rows

# Details the services record that are not fields of the record's model.
_DETAIL_LABELS = {
    "grants": gettext_lazy("Permissions"), "sensitive_fields": gettext_lazy("Sensitive fields"),
    "sessions": gettext_lazy("Sessions"), "reason": gettext_lazy("Reason"),
    "lockout": gettext_lazy("Login lockout"), "filters": gettext_lazy("Filters"),
}  # fmt: skip
# Words services record as values (audit entries keep them stable), shown in the reader's language.
_DETAIL_VALUES = {
    "active": gettext_lazy("active"), "ended": gettext_lazy("ended"),
    "locked": gettext_lazy("locked"), "lifted": gettext_lazy("lifted"),
    "password": gettext_lazy("wrong password"), "one_time_code": gettext_lazy("wrong one-time code"),
}  # fmt: skip


def _model_field(object_type: str, name: str) -> Any:
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _field_label(field: Any, name: str) -> str:
    if name in _DETAIL_LABELS:
        return str(_DETAIL_LABELS[name])
    return str(getattr(field, "verbose_name", None) or name.replace("_", " "))


def _display(value: Any, field: Any = None) -> str:
    """A recorded value for people: choices by their label, yes/no, lists joined, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_display(item, field) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_field_label(None, key)}: {_display(item)}" for key, item in sorted(value.items())) or "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is None and isinstance(value, str) and value in _DETAIL_VALUES:
        return str(_DETAIL_VALUES[value])
    return str(value)


def _change_rows(actor: User, event: AuditEvent) -> list[dict[str, Any]]:
    """The event's changes as ``old → new``; a creation shows only the new values, a deletion the old."""
    rows = []
    for change in selectors.audit_changes(actor=actor, event=event):
        field = _model_field(event.object_type, change.field)
        old, new = _display(change.old, field), _display(change.new, field)
        if change.hidden:
            old = new = _("(hidden)")
        is_change = change.is_change and event.kind not in (AuditEvent.Kind.CREATE, AuditEvent.Kind.DELETE)
        if change.is_change and event.kind == AuditEvent.Kind.DELETE:
            new = old
        rows.append({"field": _field_label(field, change.field), "is_change": is_change, "old": old, "new": new})
    return rows


def _audit_filters(form: AuditFilterForm) -> dict[str, Any] | None:
    """The selector's filters, ``{}`` when none were given, ``None`` when they are wrong."""
    if not form.is_bound:
        return {}
    return form.selector_filters() if form.is_valid() else None


@login_required
@require_safe
def audit_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    access.require(actor, "audit")
    form = AuditFilterForm(request.GET or None)
    filters = _audit_filters(form)
    events = AuditEvent.objects.none() if filters is None else selectors.audit_event_list(actor=actor, **filters)
    page = page_of(request, events, "-at")
    record_types = dict(selectors.audit_record_types())
    rows = [{"event": event, "record_type": record_types.get(event.object_type, event.object_type),
             "changes": _change_rows(actor, event)} for event in page.items]  # fmt: skip
    return render(request, "accounts/administration/audit_list.html", {
        "form": form, "rows": rows, **pagination_context(request, page),
        "filtered": filters is None or any(value for value in (filters or {}).values()),
        "may_export": access.can(actor, "audit", Action.EXPORT) and filters is not None,
        "export_query": query_with(request, cursor=None), **admin_sections(request, "audit"),
    })  # fmt: skip


@login_required
@require_safe
def audit_export_view(request: HttpRequest) -> HttpResponseBase:
    actor = actor_of(request)
    access.require(actor, "audit", Action.EXPORT)
    form = AuditFilterForm(request.GET or None)
    filters = _audit_filters(form)
    if filters is None:
        return redirect(f"{reverse('accounts:audit_list')}?{query_with(request, cursor=None)}")
    events = selectors.audit_event_list(actor=actor, action=Action.EXPORT, **filters).order_by("-at", "-id")
    audit.record_export(actor=actor, object_type="accounts.auditevent", label=str(_("Audit trail")), filters=filters)
    language = translation.get_language()
    now = timezone.localtime()
    response = StreamingHttpResponse(_audit_csv(actor, events, language), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{now:%Y%m%d-%H%M}.csv"'
    return response


def _audit_csv(actor: User, events: QuerySet[AuditEvent], language: str) -> Iterator[str]:
    # Runs while the response streams, after the view has returned: the language is set again.
    with translation.override(language):
        record_types = dict(selectors.audit_record_types())
        header = [
            _("When"),
            _("Who"),
            _("Address"),
            _("What"),
            _("Record type"),
            _("Record number"),
            _("Record"),
            _("Changes"),
        ]
        yield from stream_rows(_audit_rows(actor, events, header, record_types))


def _audit_rows(actor: User, events: QuerySet[AuditEvent], header: list[str],
                record_types: dict[str, str]) -> Iterator[list[Any]]:  # fmt: skip
    yield header
    for event in events.iterator(chunk_size=1000):
        changes = "; ".join(
            f"{change['field']}: {change['old']} → {change['new']}"
            if change["is_change"]
            else f"{change['field']}: {change['new']}"
            for change in _change_rows(actor, event)
        )
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"), event.actor_label, event.address or "",
            event.get_kind_display(), record_types.get(event.object_type, event.object_type), event.object_id,
            event.object_label, changes,
        ]  # fmt: skip
