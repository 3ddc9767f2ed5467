"""A person's data on the pages: download everything held about them, and erase it on request.

The customer page shows both actions in a side panel ("Personal data", ``contacts/privacy_panel.py``)
to those allowed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.contacts.access import access_party
from peyvand.contacts.models import Party
from peyvand.contacts.privacy_forms import PartyEraseForm
from peyvand.contacts.services import privacy

TEMPLATES = "contacts/privacy"


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _person(request: HttpRequest, party_id: int, action: str) -> Party:
    party = access_party(_actor(request), party_id, action)
    if not privacy.holds_personal_data(party):
        raise Http404  # a company is a legal entity: no personal data to export or erase
    return party


@login_required
@require_safe
def personal_data_export_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """Download everything held about the person: ``?format=json`` (default) or ``csv`` (a zip)."""
    party = _person(request, party_id, Action.EXPORT)
    try:
        result = privacy.personal_data_export(actor=_actor(request), party=party,
                                              format=request.GET.get("format", "json"))  # fmt: skip
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.file_name}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def party_erase_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """GET explains what erasing does and asks for the reason and the name; POST erases."""
    actor = _actor(request)
    party = _person(request, party_id, Action.DELETE)
    detail_url = reverse("contacts:party_detail", args=[party.pk])
    if party.erased_at is not None:
        messages.info(request, _("This person's data was already erased."))
        return redirect(detail_url)
    form = PartyEraseForm(request.POST if request.method == "POST" else None, party=party)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.party_erase(actor=actor, party=party, reason=form.cleaned_data["reason"])
        except privacy.AlreadyErasedError:  # someone else erased them meanwhile
            messages.info(request, _("This person's data was already erased."))
            return redirect(detail_url)
        messages.success(
            request, _("The person's data was erased. The record stays, without anything that identifies them.")
        )
        return redirect(detail_url)
    may_export = privacy.can_export(actor, party)
    return render(request, f"{TEMPLATES}/party_erase.html", {
        "party": party, "isolated_name": format_html("<bdi>{}</bdi>", party.name), "form": form,
        "detail_url": detail_url, "may_export": may_export,
        "export_url": reverse("contacts:personal_data_export", args=[party.pk]),
    }, status=422 if form.is_bound else 200)  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("<int:party_id>/personal-data/", personal_data_export_view, name="personal_data_export"),
    path("<int:party_id>/erase/", party_erase_view, name="party_erase"),
]
