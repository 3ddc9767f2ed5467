"""The "Personal data" side panel of the customer page: download the person's data, or erase it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from peyvand.contacts.models import Party
from peyvand.contacts.registry import PartyPanel, customer_file
from peyvand.contacts.services import privacy


def _visible(request: HttpRequest, party: Party) -> bool:
    actor = request.user
    return privacy.holds_personal_data(party) and (privacy.can_export(actor, party) or privacy.can_erase(actor, party))


def _context(request: HttpRequest, party: Party) -> dict[str, Any]:
    actor = request.user
    may_erase = privacy.can_erase(actor, party) and party.erased_at is None
    return {
        "erased_at": party.erased_at,
        "export_url": reverse("contacts:personal_data_export", args=[party.pk])
        if privacy.can_export(actor, party)
        else "",
        "erase_url": reverse("contacts:party_erase", args=[party.pk]) if may_erase else "",
    }


def register() -> None:
    customer_file.add_panel(PartyPanel(key="privacy", template="contacts/privacy/panel.html", context=_context,
                                       order=900, column="side", visible=_visible))  # fmt: skip
