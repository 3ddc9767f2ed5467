"""What the activities app does when the customer file erases a party.

Registered in ``contacts.registry.customer_file`` from ``shell.py``. A merge needs no handler: the
merge moves the rows pointing at the merged party, and a participant row the survivor already has
stays behind and goes with the merged record.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models, transaction
from django.db.models import Q

from peyvand.accounts.models import Notification
from peyvand.activities.models import Activity
from peyvand.common.text import to_persian_digits
from peyvand.contacts.models import Party

# What stands where an erased text was, as on the timeline.
ERASED = "•••"
_TEXT_FIELDS = ("subject", "description", "outcome", "location")


def _variants(texts: list[str]) -> set[str]:
    """Each text as given and with Persian digits (a phone number typed either way)."""
    return {variant for text in texts if text.strip() for variant in (text.strip(), to_persian_digits(text.strip()))}


@transaction.atomic
def erase_activity_texts(party: Party, texts: list[str]) -> int:
    """Cut ``texts`` (the person's names, phones, emails) out of every activity that mentions them,
    and out of the notifications that announced activities to staff; returns how many rows changed.

    The customer's own activities are scrubbed by the erasure's generic pass as well.
    """
    variants = _variants(texts)
    if not variants:
        return 0
    # Longest first, so that "Sara Karimi" goes before "Sara" leaves "Karimi" behind.
    pattern = re.compile("|".join(re.escape(text) for text in sorted(variants, key=len, reverse=True)), re.IGNORECASE)
    return _cut(Activity, _TEXT_FIELDS, variants, pattern) + _cut(Notification, ("title", "body"), variants, pattern)


def _cut(model: type[models.Model], fields: tuple[str, ...], variants: set[str], pattern: re.Pattern[str]) -> int:
    """Replace every match of ``pattern`` in ``fields`` of the rows of ``model`` that contain a variant."""
    mentions = Q()
    for variant in variants:
        for name in fields:
            mentions |= Q(**{f"{name}__icontains": variant})
    limits = {name: getattr(model._meta.get_field(name), "max_length", None) for name in fields}
    rows: list[Any] = []
    for row in model._default_manager.filter(mentions).only("pk", *fields):
        new = {name: pattern.sub(ERASED, getattr(row, name))[: limits[name]] for name in fields}
        if any(new[name] != getattr(row, name) for name in fields):
            for name, value in new.items():
                setattr(row, name, value)
            rows.append(row)
    model._default_manager.bulk_update(rows, list(fields), batch_size=500)
    return len(rows)


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
