"""The customer file's part of "my page" (کارتابل): the customers and leads lately given to the user.

Leads not yet contacted come first (someone should call them), then the newest of the user's
customers; each part is one query on an index that leads with the owner (migration
``0004_party_owner_indexes``), so the panel costs the same at a thousand customers or a million.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from peyvand.accounts import access as accounts_access
from peyvand.contacts.access import can_any, visible_parties
from peyvand.contacts.models import Party
from peyvand.contacts.models.parties import LeadStatus

if TYPE_CHECKING:
    from peyvand.contacts.access import Actor

MY_PAGE_LIMIT = 8
COLUMNS = ("id", "kind", "name", "erased_at", "company_name", "job_title", "lead_status", "created_at",
           "last_contact_at")  # fmt: skip


@dataclass(frozen=True)
class AssignedToMe:
    """``parties``: new leads not yet contacted first, then the newest others; ``has_more`` when the
    user owns more than are shown."""

    parties: list[Party]
    has_more: bool


def assigned_to_me(*, actor: Actor, limit: int = MY_PAGE_LIMIT) -> AssignedToMe:
    """The persons, companies and leads ``actor`` owns and may see, for my page: two queries."""
    user_id = getattr(actor, "pk", None)
    if user_id is None:
        return AssignedToMe([], False)
    mine = visible_parties(actor, Party.objects.filter(owner_id=user_id)).only(*COLUMNS)
    new_leads = list(mine.filter(kind=Party.Kind.LEAD, lead_status=LeadStatus.NEW).order_by("-created_at")[: limit + 1])
    newest = list(mine.order_by("-created_at", "-id")[: limit + 1])
    shown = {party.pk: party for party in new_leads[:limit]}
    for party in newest:
        if len(shown) < limit:
            shown.setdefault(party.pk, party)
    has_more = len(new_leads) > limit or any(party.pk not in shown for party in newest)
    return AssignedToMe(list(shown.values()), has_more)


def may_see(request: HttpRequest) -> bool:
    return can_any(request.user)


def my_page_context(request: HttpRequest) -> dict[str, Any]:
    found = assigned_to_me(actor=request.user)
    for party in found.parties:
        party.is_new_lead = party.is_lead and party.lead_status == LeadStatus.NEW  # type: ignore[attr-defined]
    links = []
    for kind, module, url_name in (("person", "persons", "contacts:person_list"),
                                   ("lead", "leads", "contacts:lead_list"),
                                   ("company", "companies", "contacts:company_list")):  # fmt: skip
        if accounts_access.can(request.user, module):
            url = f"{reverse(url_name)}?{urlencode({'owner': 'me', 'sort': '-created_at'})}"
            links.append((Party.Kind(kind).label, url))
    return {"parties": found.parties, "has_more": found.has_more, "links": links}
