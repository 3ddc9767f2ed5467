"""The timeline's pages: a party's timeline (the panel's "load more" and filters), logging, changing
and deleting interactions, and the administrators' channel pages. Thin: access, a form, a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.timeline import access, panels, selectors, services
from peyvand.timeline.forms import ChannelForm, InteractionForm
from peyvand.timeline.models import Channel


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _form_errors_to(form: Any, error: ValidationError) -> None:
    for name, messages_of_field in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_of_field)


# A party's timeline -----------------------------------------------------------------------------
@login_required
@require_safe
def party_timeline_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """The next page of entries for htmx ("load more", filters); the whole timeline as a page otherwise."""
    party = access.access_party_for_timeline(request.user, party_id)
    cursor = request.GET.get("cursor") or None
    try:
        context = panels.timeline_context(request, party, filter_data=request.GET, cursor=cursor)
    except selectors.InvalidTimelineCursor:
        context = panels.timeline_context(request, party, filter_data=request.GET)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "timeline/_entries.html", {"timeline": context})
    return render(request, "timeline/party_timeline.html",
                  {"timeline": context, "party": party, "party_url": panels.party_url(party.pk)})  # fmt: skip


@login_required
@require_POST
def interaction_create_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """Log from the customer page. htmx gets the form back (fresh, or with its errors) and the new entry
    to put on top of the timeline; without htmx, the customer page or the form with its errors."""
    actor = _actor(request)
    party = access.access_party_for_logging(actor, party_id)
    channels = list(selectors.channel_list())
    form = panels.quick_log_form(request, channels, request.POST)
    interaction = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            interaction = services.interaction_log(
                actor=actor, party=party, channel=data["channel"], kind=data["kind"], direction=data["direction"],
                occurred_at=data["occurred_at"], subject=data["subject"], content=data["content"],
            )  # fmt: skip
        except ValidationError as error:
            _form_errors_to(form, error)
    if interaction is not None:
        panels.remember_choice(request, interaction)
        interaction.may_edit = access.can_interaction(actor, interaction, Action.EDIT)  # type: ignore[attr-defined]
        interaction.may_delete = access.can_interaction(actor, interaction, Action.DELETE)  # type: ignore[attr-defined]
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, _("The interaction was logged."))
            return redirect(panels.party_url(party.pk))
        form = panels.quick_log_form(request, channels)
        form.fields["subject"].widget.attrs["autofocus"] = True  # htmx focuses it: ready for the next one
    context = {"party": party, "timeline": {"party": party, "log_form": form, "log_url": request.path},
               "new_interaction": interaction}  # fmt: skip
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "timeline/_log_result.html", context)
    return render(request, "timeline/interaction_log.html", {**context, "party_url": panels.party_url(party.pk)})


# One interaction --------------------------------------------------------------------------------
@login_required
@require_safe
def interaction_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = access.access_interaction(request.user, pk)
    interaction.may_edit = access.can_interaction(request.user, interaction, Action.EDIT)  # type: ignore[attr-defined]
    interaction.may_delete = access.can_interaction(request.user, interaction, Action.DELETE)  # type: ignore[attr-defined]
    return render(request, "timeline/interaction_detail.html",
                  {"interaction": interaction, "party_url": panels.party_url(interaction.party_id)})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def interaction_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    interaction = access.access_interaction(actor, pk, Action.EDIT)
    form = InteractionForm(request.POST or None, channels=list(selectors.channel_list()), interaction=interaction)
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_update(actor=actor, interaction=interaction, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("The changes to the interaction were saved."))
            return redirect(panels.party_url(interaction.party_id))
    return render(request, "timeline/interaction_form.html",
                  {"form": form, "interaction": interaction, "party_url": panels.party_url(interaction.party_id)})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def interaction_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes (from the timeline with htmx, the entry simply goes away)."""
    actor = _actor(request)
    interaction = access.access_interaction(actor, pk, Action.DELETE)
    party_url = panels.party_url(interaction.party_id)
    if request.method != "POST":
        return render(request, "timeline/interaction_confirm_delete.html",
                      {"interaction": interaction, "party_url": party_url})  # fmt: skip
    services.interaction_delete(actor=actor, interaction=interaction)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    messages.success(request, _("The interaction was deleted."))
    return redirect(party_url)


# Channels (administrators) ----------------------------------------------------------------------
@login_required
@require_safe
def channel_list_view(request: HttpRequest) -> HttpResponse:
    accounts_access.require_administrator(request.user)
    return render(
        request, "timeline/channel_list.html", {"channels": list(selectors.channel_list(include_inactive=True))}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def channel_create_view(request: HttpRequest) -> HttpResponse:
    accounts_access.require_administrator(request.user)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(actor=_actor(request), **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("The channel “%(channel)s” was created.") % {"channel": channel})
            return redirect("timeline:channel_list")
    return render(request, "timeline/channel_form.html", {"form": form, "channel": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def channel_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    accounts_access.require_administrator(request.user)
    channel = get_object_or_404(Channel, pk=pk)
    form = ChannelForm(request.POST or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(actor=_actor(request), channel=channel, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("The changes to the channel “%(channel)s” were saved.") % {"channel": channel})
            return redirect("timeline:channel_list")
    return render(request, "timeline/channel_form.html", {"form": form, "channel": channel})
