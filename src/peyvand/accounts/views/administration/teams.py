"""Administration of teams: the tree, create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from peyvand.accounts import access, selectors, services
from peyvand.accounts.admin_forms import TeamForm
from peyvand.accounts.models import Team
from peyvand.accounts.permissions import Action
from peyvand.accounts.views.administration.shared import (
    actor_of,
    admin_sections,
    keep_own_session,
)


@login_required
@require_safe
def team_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    access.require(actor, "teams")
    return render(request, "accounts/administration/team_list.html", {
        "teams": list(selectors.team_tree(actor=actor)),
        "may_create": access.can(actor, "teams", Action.CREATE), "may_edit": access.can(actor, "teams", Action.EDIT),
        "may_delete": access.can(actor, "teams", Action.DELETE), "user_may_view_users": access.can(actor, "users"),
        **admin_sections(request, "teams"),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    access.require(actor, "teams", Action.CREATE)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = services.team_create(actor=actor, name=data["name"].strip(), kind=data["kind"], parent=data["parent"])
        messages.success(request, _("The team “%(team)s” was created.") % {"team": team})
        return redirect("accounts:team_list")
    return render(request, "accounts/administration/team_form.html",
                  {"form": form, "team": None, **admin_sections(request, "teams")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
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
            keep_own_session(request)
            messages.success(request, _("The changes to the team “%(team)s” were saved.") % {"team": team})
            return redirect("accounts:team_list")
    return render(request, "accounts/administration/team_form.html",
                  {"form": form, "team": team, **admin_sections(request, "teams")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    actor = actor_of(request)
    access.require(actor, "teams", Action.DELETE)
    team = get_object_or_404(Team, pk=pk)
    if request.method != "POST":
        return render(request, "accounts/administration/confirm_delete.html", {
            "record": team, "cancel_url": reverse("accounts:team_list"),
            "heading": _("Delete the team “%(team)s”?") % {"team": team},
            "explanation": _("A team can be deleted only when it has no members and no sub-teams."),
            **admin_sections(request, "teams"),
        })  # fmt: skip
    try:
        services.team_delete(actor=actor, team=team)
    except services.TeamInUseError:
        messages.error(request, _("The team “%(team)s” still has members or sub-teams. Move them to another team first, then delete it.") % {"team": team})  # fmt: skip
    else:
        messages.success(request, _("The team “%(team)s” was deleted.") % {"team": team})
    return redirect("accounts:team_list")
