"""The workflow's parts of other pages: the customer page's "Hand-offs and approvals" panel and my
page's "Waiting for you" (approvals to decide, records handed to you lately)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone

from peyvand.accounts.permissions import Action
from peyvand.activities.workflow import selectors
from peyvand.contacts import access as party_access

if TYPE_CHECKING:
    from peyvand.contacts.models import Party

MY_PAGE_LIMIT = 8
# Hand-offs stay on my page this long.
RECENT_HANDOFFS = dt.timedelta(days=14)


def party_context(request: HttpRequest, party: Party) -> dict[str, Any]:
    """Two queries: the customer's hand-offs and approval requests."""
    actor = request.user
    workflow = selectors.record_workflow(actor=actor, record_type="contacts.party", record_id=party.pk, limit=5)  # type: ignore[arg-type]
    return {
        "party": party, "workflow": workflow, "may_hand_off": party_access.can_party(actor, party, Action.EDIT),
        "record_type": "contacts.party",
    }  # fmt: skip


def party_visible(request: HttpRequest, party: Party) -> bool:
    return party.erased_at is None


def my_page_context(request: HttpRequest) -> dict[str, Any]:
    """Two queries: the approvals waiting for the actor (their roles a subquery), hand-offs to them."""
    actor = request.user
    # Only what the rows show: the subject, the record's label and who asked.
    waiting = selectors.approval_list(actor=actor, box="waiting").select_related(None).select_related("requested_by")  # type: ignore[arg-type]
    approvals = list(waiting.only("subject", "record_label", "requested_by")[: MY_PAGE_LIMIT + 1])
    since = timezone.now() - RECENT_HANDOFFS
    handoffs = selectors.with_links(
        selectors.handoff_list(actor=actor, box="received").filter(created_at__gte=since)[:MY_PAGE_LIMIT]  # type: ignore[arg-type]
    )
    return {
        "approvals": approvals[:MY_PAGE_LIMIT], "more_approvals": len(approvals) > MY_PAGE_LIMIT,
        "handoffs": handoffs, "is_empty": not approvals and not handoffs,
    }  # fmt: skip


def my_page_visible(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)
