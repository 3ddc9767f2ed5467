"""Administration of roles and their grant matrix (administrators only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from peyvand.accounts import access, selectors, services
from peyvand.accounts.admin_forms import RoleForm
from peyvand.accounts.models import Role
from peyvand.accounts.views.administration.shared import (
    actor_of,
    admin_sections,
    keep_own_session,
)


@login_required
@require_safe
def role_list_view(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    return render(request, "accounts/administration/role_list.html",
                  {"roles": list(selectors.role_overview(actor=request.user)), **admin_sections(request, "roles")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    access.require_administrator(actor)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = services.role_create(actor=actor, **form.service_arguments())
        messages.success(request, _("The role “%(role)s” was created.") % {"role": role})
        return redirect("accounts:role_list")
    return render(request, "accounts/administration/role_form.html",
                  {"form": form, "role": None, **admin_sections(request, "roles")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    access.require_administrator(actor)
    role = get_object_or_404(Role.objects.prefetch_related("grants", "field_grants"), pk=pk)
    form = RoleForm(request.POST or None, role=role)
    if request.method == "POST" and form.is_valid():
        services.role_update(actor=actor, role=role, **form.service_arguments())
        keep_own_session(request)
        messages.success(request, _("The role “%(role)s” was saved; its holders log in again to use it.") % {"role": role})  # fmt: skip
        return redirect("accounts:role_list")
    return render(request, "accounts/administration/role_form.html",
                  {"form": form, "role": role, **admin_sections(request, "roles")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes, unless it would leave no administrator."""
    actor = actor_of(request)
    access.require_administrator(actor)
    role = get_object_or_404(Role, pk=pk)
    if request.method != "POST":
        return render(request, "accounts/administration/confirm_delete.html", {
            "record": role, "cancel_url": reverse("accounts:role_list"),
            "heading": _("Delete the role “%(role)s”?") % {"role": role},
            "explanation": _("Its holders lose what it grants and are logged out."),
            **admin_sections(request, "roles"),
        })  # fmt: skip
    if role.is_administrator and not selectors.other_administrators_exist(excluding_role=role):
        messages.error(request, _("No other active user is an administrator. Make someone else an administrator first, so that someone can still manage access."))  # fmt: skip
        return redirect("accounts:role_list")
    services.role_delete(actor=actor, role=role)
    keep_own_session(request)
    messages.success(request, _("The role “%(role)s” was deleted.") % {"role": role})
    return redirect("accounts:role_list")
