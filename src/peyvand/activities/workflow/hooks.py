"""What internal workflow does when the customer file erases a person: their texts are cut out of
every hand-off note, approval request and activity note (the customer's own hand-offs and requests
also go through the erasure's generic scrub)."""

from __future__ import annotations

from django.db import transaction

from peyvand.activities.workflow.models import ActivityNote, ApprovalRequest, Handoff
from peyvand.contacts.models import Party
from peyvand.contacts.privacy_text import cut_mentions

ERASED = "•••"


@transaction.atomic
def erase_workflow_texts(party: Party, texts: list[str]) -> int:
    return (
        cut_mentions(Handoff.objects.all(), ("note", "record_label"), texts, marker=ERASED)
        + cut_mentions(
            ApprovalRequest.objects.all(), ("subject", "details", "comment", "record_label"), texts, marker=ERASED
        )
        + cut_mentions(ActivityNote.objects.all(), ("text",), texts, marker=ERASED)
    )
