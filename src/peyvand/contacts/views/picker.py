"""The customer picker's suggestions: what a form's customer box shows as one types (htmx).

The same search as the header's (``party_search``): names, phones, emails and identifiers, only the
customers the user may see, at most eight. The box itself is ``contacts/_picker.html``; a form keeps
accepting customer numbers, so the page works without JavaScript.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from peyvand.contacts.access import can_any
from peyvand.contacts.models import Party
from peyvand.contacts.selectors.search import Matched, PartyHit, party_search

if TYPE_CHECKING:
    from peyvand.accounts.models import User

PICKER_LIMIT = 8
QUERY_MIN_LENGTH = 2
QUERY_MAX_LENGTH = 100
# The picker's element id, which names the listbox and its options: letters, digits, "_" and "-".
_FIELD_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}")


@login_required
@require_safe
def party_picker_view(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    if not can_any(actor):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    field = request.GET.get("field", "")
    searched = len(query) >= QUERY_MIN_LENGTH
    hits = party_search(actor=actor, query=query, limit=PICKER_LIMIT) if searched else []
    context = {
        "query": query,
        "searched": searched,
        "field": field if _FIELD_ID.fullmatch(field) else "party-picker",
        "options": [(hit.party, Party.Kind(hit.party.kind).label, _detail(hit)) for hit in hits],
    }
    return render(request, "contacts/_picker_options.html", context)


def _detail(hit: PartyHit) -> str:
    """What tells two namesakes apart: the phone or email that matched, else the company or job title."""
    if hit.matched == Matched.PHONE:
        return f"\u2066{hit.matched_value}\u2069"  # a left-to-right isolate inside a Persian line
    if hit.matched in (Matched.EMAIL, Matched.COMPANY_NATIONAL_ID):
        return hit.matched_value
    party = hit.party
    return party.company_name if party.is_lead else party.job_title


urlpatterns: list[URLPattern] = [
    path("picker/", party_picker_view, name="party_picker"),
]
