"""The screen-pop page a softphone opens when a call comes in: /contacts/caller-id/?number=…"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_safe

from peyvand.accounts import access
from peyvand.accounts.permissions import Action
from peyvand.contacts.access import can_any
from peyvand.contacts.selectors.caller_id import caller_id_lookup, clean_area_code

if TYPE_CHECKING:
    from peyvand.accounts.models import User

NUMBER_MAX_LENGTH = 40


@login_required
@require_safe
def caller_id_view(request: HttpRequest) -> HttpResponse:
    """One customer with this number: their page. Several: a choice. None: an offer to add a person."""
    actor: User = request.user  # type: ignore[assignment]
    if not can_any(actor):
        raise PermissionDenied
    number = request.GET.get("number", "").strip()[:NUMBER_MAX_LENGTH]
    context: dict[str, object] = {"number": number, "area_code": request.GET.get("area_code", "")}
    if not number:
        return render(request, "contacts/search/caller_id.html", context)
    try:
        area_code = clean_area_code(request.GET.get("area_code"))
    except ValidationError as error:
        context["area_code_error"] = error.message_dict["area_code"][0]
        return render(request, "contacts/search/caller_id.html", context, status=422)
    found = caller_id_lookup(actor=actor, number=number, area_code=area_code)
    if found.match == "one":
        return redirect(found.cards[0].url)
    context["found"] = found
    if found.match == "none" and access.can(actor, "persons", Action.CREATE):
        context["create_url"] = reverse("contacts:party_create", args=["person"]) + "?" + urlencode({"phone": number})
    return render(request, "contacts/search/caller_id.html", context)


urlpatterns: list[URLPattern] = [
    path("caller-id/", caller_id_view, name="caller_id"),
]
