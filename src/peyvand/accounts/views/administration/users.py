"""Administration of users: list, page, create, edit, password, sessions, two-factor, lockout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts import access, authentication, selectors, services
from peyvand.accounts.admin_forms import SetPasswordForm, UserFilterForm, UserForm
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.accounts.views.administration.shared import (
    actor_of,
    admin_sections,
    keep_own_session,
    page_of,
    pagination_context,
)


@login_required
@require_safe
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
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
    page = page_of(request, users, "username")
    return render(request, "accounts/administration/user_list.html", {
        "form": form, **pagination_context(request, page),
        "filtered": any(form.data.get(name) for name in form.fields) if form.is_bound else False,
        "show_email": access.can_see_field(actor, "users", "email"),
        "may_create": access.can(actor, "users", Action.CREATE),
        **admin_sections(request, "users"),
    })  # fmt: skip


@login_required
@require_safe
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
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
        "history": history, **admin_sections(request, "users"),
    })  # fmt: skip


@login_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    access.require(actor, "users", Action.CREATE)
    form = UserForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(actor=actor, **form.service_arguments())
        messages.success(request, _("The user “%(user)s” was created.") % {"user": user})
        if selectors.user_list(actor=actor).filter(pk=user.pk).exists():
            return redirect("accounts:user_detail", pk=user.pk)
        return redirect("accounts:user_list")
    return render(request, "accounts/administration/user_form.html",
                  {"form": form, "target": None, **admin_sections(request, "users")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    form = UserForm(request.POST or None, actor=actor, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_update(actor=actor, user=user, **form.service_arguments())
        if user.pk == actor.pk:
            keep_own_session(request)
        messages.success(request, _("The changes to “%(user)s” were saved.") % {"user": user})
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/administration/user_form.html",
                  {"form": form, "target": user, **admin_sections(request, "users")})  # fmt: skip


@login_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def user_set_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(actor=actor, user=user, password=form.cleaned_data["password1"], reset=True)
        if user.pk == actor.pk:
            keep_own_session(request)
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
                  {"form": form, "target": user, **admin_sections(request, "users")})  # fmt: skip


@login_required
@require_POST
def user_end_sessions_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    services.user_end_sessions(actor=actor, user=user)
    if user.pk == actor.pk:
        keep_own_session(request)
        messages.success(request, _("Your sessions on other devices were ended."))
    else:
        messages.success(request, _("“%(user)s” was logged out everywhere.") % {"user": user})
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def user_two_factor_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
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
    actor = actor_of(request)
    user = selectors.access_user(actor=actor, pk=pk, action=Action.EDIT)
    authentication.lockout_lift(actor=actor, user=user)
    messages.success(request, _("“%(user)s” may try to log in again.") % {"user": user})
    return redirect("accounts:user_detail", pk=user.pk)
