"""What the activities app does when the customer file erases a party.

Registered in ``contacts.registry.customer_file`` from ``shell.py``. A merge needs no handler: the
merge moves the rows pointing at the merged party, and a participant row the survivor already has
stays behind and goes with the merged record.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from peyvand.accounts.models import Notification
from peyvand.activities.models import Activity
from peyvand.contacts.models import Party
from peyvand.contacts.privacy_text import cut_mentions

# What stands where an erased text was, as on the timeline.
ERASED = "•••"
_TEXT_FIELDS = ("subject", "description", "outcome", "location")


@transaction.atomic
def erase_activity_texts(party: Party, texts: list[str]) -> int:
    """Cut ``texts`` (the person's names, phones, emails) out of every activity that mentions them,
    and out of the notifications that announced activities to staff; returns how many rows changed.

    The customer's own activities are scrubbed by the erasure's generic pass as well.
    """
    return cut_mentions(Activity.objects.all(), _TEXT_FIELDS, texts, marker=ERASED) + cut_mentions(
        Notification.objects.all(), ("title", "body"), texts, marker=ERASED
    )


def personal_data(party: Party) -> tuple[str, list[dict[str, Any]]]:
    """The activities that concern the party or that it takes part in, oldest first, for a
    personal-data export: one query."""
    rows = (
        Activity.objects.filter(Q(party=party) | Q(participants__party=party))
        .distinct()
        .select_related("owner")
        .order_by("at", "pk")
    )
    return "activities", [
        {
            "kind": activity.kind,
            "subject": activity.subject,
            "description": activity.description,
            "due_at": activity.due_at.isoformat() if activity.due_at else None,
            "starts_at": activity.starts_at.isoformat() if activity.starts_at else None,
            "ends_at": activity.ends_at.isoformat() if activity.ends_at else None,
            "location": activity.location,
            "status": activity.status,
            "outcome": activity.outcome,
            "call_outcome": activity.call_outcome,
            "staff": str(activity.owner) if activity.owner else "",
            "role": "concerns" if activity.party_id == party.pk else "participant",
        }
        for activity in rows.iterator(chunk_size=2000)
    ]
