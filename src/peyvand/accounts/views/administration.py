"""Administration pages: users, teams, roles and the audit trail.

Thin views: they check access, read through selectors, write through services and render.
Nothing here changes the audit trail; its pages only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts import access, audit, authentication, selectors, services
from peyvand.accounts.admin_forms import AuditFilterForm, RoleForm, SetPasswordForm, TeamForm, UserFilterForm, UserForm
from peyvand.accounts.models import AuditEvent, Role, Team, User
from peyvand.accounts.permissions import Action
from peyvand.common.csv import stream_rows
from peyvand.common.pagination import InvalidCursor, Page, keyset_page

PAGE_SIZE = 50


# Shared helpers -------------------------------------------------------------------------------
def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page(request: HttpRequest, queryset: QuerySet[Any], ordering: str) -> Page[Any]:
    """One keyset page after the request's ``cursor``; a damaged cursor starts from the top."""
    try:
        return keyset_page(queryset, ordering=ordering, cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    except InvalidCursor:
        return keyset_page(queryset, ordering=ordering, cursor=None, limit=PAGE_SIZE)


def _query_with(request: HttpRequest, **values: str | None) -> str:
    """The current query string with ``values`` replaced (``None`` drops one)."""
    query = request.GET.copy()
    for name, value in values.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def _pagination(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    """Links to the next page (same filters, the page's cursor) and back to the first."""
    return {
        "page": page,
        "next_page_url": f"?{_query_with(request, cursor=page.next_cursor)}" if page.next_cursor else None,
        "first_page_query": _query_with(request, cursor=None),
    }


def _sections(request: HttpRequest, current: str) -> dict[str, Any]:
    """The administration tabs the user may open."""
    actor = request.user
    sections = [
        ("users", _("Users"), "accounts:user_list", access.can(actor, "users")),
        ("teams", _("Teams"), "accounts:team_list", access.can(actor, "teams")),
        ("roles", _("Roles"), "accounts:role_list", access.is_administrator(actor)),
        ("audit", _("Audit trail"), "accounts:audit_list", access.can(actor, "audit")),
    ]
    visible = [{"key": key, "label": label, "url": reverse(name)} for key, label, name, allowed in sections if allowed]
    return {"sections": visible, "current_section": current}


def _keep_own_session(request: HttpRequest) -> None:
    """A change to one's own roles, teams or password ends one's other sessions, not this one."""
    actor = _actor(request)
    actor.refresh_from_db(fields=["password", "session_generation"])
    update_session_auth_hash(request, actor)


# Users ----------------------------------------------------------------------------------------
@login_required
@require_safe
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not access.can(actor, "users") and access.can(actor, "teams"):
        return redirect("accounts:team_list")
    access.require(actor, "users")
    form = UserFilterForm(request.GET or None, actor=actor)
    if form.is_bound and not form.is_valid():
        users: QuerySet[User] = User.objects.none()
    else:
        users = selectors.user_list(
            actor=actor, with_memberships=True, **(form.selector_filters() if form.is_bound else {})
        )
    page = _page(request, users, "username")
    return render(request, "accounts/administration/user_list.html", {
        "form": form, **_pagination(request, page),
        "filtered": any(form.data.get(name) for name in form.fields) if form.is_bound else False,
        "show_email": access.can_see_field(actor, "users", "email"),
        "may_create": access.can(actor, "users", Action.CREATE),
        **_sections(request, "users"),
    })  # fmt: skip


@login_required
@require_safe
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    may_edit = access.can(actor, "users", Action.EDIT)
    try:
        user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT if may_edit else Action.VIEW)
    except PermissionDenied:
        if not may_edit:
            raise
        may_edit = False
        user = selectors.access_user(actor=actor, pk=pk)
    history = None
    if access.can(actor, "audit"):
        history = list(
            selectors.audit_event_list(actor=actor, object_type="accounts.user", object_id=str(user.pk))[:10]
        )
    return render(request, "accounts/administration/user_detail.html", {
        "target": user, "teams": list(user.teams.all()), "roles": list(user.roles.all()),
        "show_email": access.can_see_field(actor, "users", "email"), "may_edit": may_edit,
        "may_reset_two_factor": access.is_administrator(actor) and user.has_two_factor,
        "is_locked_out": authentication.is_account_locked_out(user.get_username()),
        "history": history, **_sections(request, "users"),
    })  # fmt: skip


@login_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    access.require(actor, "users", Action.CREATE)
    form = UserForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(actor=actor, **form.service_arguments())
        messages.success(request, _("The user “%(user)s” was created.") % {"user": user})
        if selectors.user_list(actor=actor).filter(pk=user.pk).exists():
            return redirect("accounts:user_detail", pk=user.pk)
        return redirect("accounts:user_list")
    return render(request, "accounts/administration/user_form.html",
                  {"form": form, "target": None, **_sections(request, "users")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    form = UserForm(request.POST or None, actor=actor, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_update(actor=actor, user=user, **form.service_arguments())
        if user.pk == actor.pk:
            _keep_own_session(request)
        messages.success(request, _("The changes to “%(user)s” were saved.") % {"user": user})
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/administration/user_form.html",
                  {"form": form, "target": user, **_sections(request, "users")})  # fmt: skip


@login_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def user_set_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(actor=actor, user=user, password=form.cleaned_data["password1"], reset=True)
        if user.pk == actor.pk:
            _keep_own_session(request)
        messages.success(
            request,
            (
                _("Your new password was saved; your sessions on other devices ended.")
                if user.pk == actor.pk
                else _("The new password of “%(user)s” was saved, and they were logged out everywhere.")
                % {"user": user}
            ),
        )
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/administration/user_password.html",
                  {"form": form, "target": user, **_sections(request, "users")})  # fmt: skip


@login_required
@require_POST
def user_end_sessions_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    services.user_end_sessions(actor=actor, user=user)
    if user.pk == actor.pk:
        _keep_own_session(request)
        messages.success(request, _("Your sessions on other devices were ended."))
    else:
        messages.success(request, _("“%(user)s” was logged out everywhere.") % {"user": user})
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def user_two_factor_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    access.require_administrator(actor)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    if user.has_two_factor:
        authentication.two_factor_disable(actor=actor, user=user)
        messages.success(request, _("Two-factor login of “%(user)s” was turned off; they can set it up again.") % {"user": user})  # fmt: skip
    else:
        messages.info(request, _("“%(user)s” has no two-factor login to turn off.") % {"user": user})
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    authentication.lockout_lift(actor=actor, user=user)
    messages.success(request, _("“%(user)s” may try to log in again.") % {"user": user})
    return redirect("accounts:user_detail", pk=user.pk)


# Teams ----------------------------------------------------------------------------------------
@login_required
@require_safe
def team_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    access.require(actor, "teams")
    return render(request, "accounts/administration/team_list.html", {
        "teams": list(selectors.team_tree(actor=actor)),
        "may_create": access.can(actor, "teams", Action.CREATE), "may_edit": access.can(actor, "teams", Action.EDIT),
        "may_delete": access.can(actor, "teams", Action.DELETE), "user_may_view_users": access.can(actor, "users"),
        **_sections(request, "teams"),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    access.require(actor, "teams", Action.CREATE)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = services.team_create(actor=actor, name=data["name"].strip(), kind=data["kind"], parent=data["parent"])
        messages.success(request, _("The team “%(team)s” was created.") % {"team": team})
        return redirect("accounts:team_list")
    return render(request, "accounts/administration/team_form.html",
                  {"form": form, "team": None, **_sections(request, "teams")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    access.require(actor, "teams", Action.EDIT)
    team = get_object_or_404(Team.objects.select_related("parent"), pk=pk)
    form = TeamForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_update(actor=actor, team=team, name=data["name"].strip(), kind=data["kind"],
                                 parent=data["parent"], is_active=data["is_active"])  # fmt: skip
        except services.TeamCycleError:
            form.add_error("parent", _("A team cannot be placed under itself or one of its own teams."))
        else:
            _keep_own_session(request)
            messages.success(request, _("The changes to the team “%(team)s” were saved.") % {"team": team})
            return redirect("accounts:team_list")
    return render(request, "accounts/administration/team_form.html",
                  {"form": form, "team": team, **_sections(request, "teams")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    actor = _actor(request)
    access.require(actor, "teams", Action.DELETE)
    team = get_object_or_404(Team, pk=pk)
    if request.method != "POST":
        return render(request, "accounts/administration/confirm_delete.html", {
            "record": team, "cancel_url": reverse("accounts:team_list"),
            "heading": _("Delete the team “%(team)s”?") % {"team": team},
            "explanation": _("A team can be deleted only when it has no members and no sub-teams."),
            **_sections(request, "teams"),
        })  # fmt: skip
    try:
        services.team_delete(actor=actor, team=team)
    except services.TeamInUseError:
        messages.error(request, _("The team “%(team)s” still has members or sub-teams. Move them to another team first, then delete it.") % {"team": team})  # fmt: skip
    else:
        messages.success(request, _("The team “%(team)s” was deleted.") % {"team": team})
    return redirect("accounts:team_list")


# Roles ----------------------------------------------------------------------------------------
@login_required
@require_safe
def role_list_view(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    return render(request, "accounts/administration/role_list.html",
                  {"roles": list(selectors.role_overview(actor=request.user)), **_sections(request, "roles")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    access.require_administrator(actor)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = services.role_create(actor=actor, **form.service_arguments())
        messages.success(request, _("The role “%(role)s” was created.") % {"role": role})
        return redirect("accounts:role_list")
    return render(request, "accounts/administration/role_form.html",
                  {"form": form, "role": None, **_sections(request, "roles")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    access.require_administrator(actor)
    role = get_object_or_404(Role.objects.prefetch_related("grants", "field_grants"), pk=pk)
    form = RoleForm(request.POST or None, role=role)
    if request.method == "POST" and form.is_valid():
        services.role_update(actor=actor, role=role, **form.service_arguments())
        _keep_own_session(request)
        messages.success(request, _("The role “%(role)s” was saved; its holders log in again to use it.") % {"role": role})  # fmt: skip
        return redirect("accounts:role_list")
    return render(request, "accounts/administration/role_form.html",
                  {"form": form, "role": role, **_sections(request, "roles")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes, unless it would leave no administrator."""
    actor = _actor(request)
    access.require_administrator(actor)
    role = get_object_or_404(Role, pk=pk)
    if request.method != "POST":
        return render(request, "accounts/administration/confirm_delete.html", {
            "record": role, "cancel_url": reverse("accounts:role_list"),
            "heading": _("Delete the role “%(role)s”?") % {"role": role},
            "explanation": _("Its holders lose what it grants and are logged out."),
            **_sections(request, "roles"),
        })  # fmt: skip
    if role.is_administrator and not selectors.other_administrators_exist(excluding_role=role):
        messages.error(request, _("No other active user is an administrator. Make someone else an administrator first, so that someone can still manage access."))  # fmt: skip
        return redirect("accounts:role_list")
    services.role_delete(actor=actor, role=role)
    _keep_own_session(request)
    messages.success(request, _("The role “%(role)s” was deleted.") % {"role": role})
    return redirect("accounts:role_list")


# Audit trail ----------------------------------------------------------------------------------
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
    actor = _actor(request)
    access.require(actor, "audit")
    form = AuditFilterForm(request.GET or None)
    filters = _audit_filters(form)
    events = AuditEvent.objects.none() if filters is None else selectors.audit_event_list(actor=actor, **filters)
    page = _page(request, events, "-at")
    record_types = dict(selectors.audit_record_types())
    rows = [{"event": event, "record_type": record_types.get(event.object_type, event.object_type),
             "changes": _change_rows(actor, event)} for event in page.items]  # fmt: skip
    return render(request, "accounts/administration/audit_list.html", {
        "form": form, "rows": rows, **_pagination(request, page),
        "filtered": filters is None or any(value for value in (filters or {}).values()),
        "may_export": access.can(actor, "audit", Action.EXPORT) and filters is not None,
        "export_query": _query_with(request, cursor=None), **_sections(request, "audit"),
    })  # fmt: skip


@login_required
@require_safe
def audit_export_view(request: HttpRequest) -> HttpResponseBase:
    actor = _actor(request)
    access.require(actor, "audit", Action.EXPORT)
    form = AuditFilterForm(request.GET or None)
    filters = _audit_filters(form)
    if filters is None:
        return redirect(f"{reverse('accounts:audit_list')}?{_query_with(request, cursor=None)}")
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
