"""Reviewing duplicate pairs: a pair judged not to be the same customer is dismissed for good."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from peyvand.accounts.permissions import Action
from peyvand.contacts.access import can_party
from peyvand.contacts.models import DuplicateCandidate

if TYPE_CHECKING:
    from peyvand.accounts.models import User


@transaction.atomic
def duplicate_dismiss(*, actor: User | None, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Mark the pair "not duplicates": detection never opens it again.

    The actor must be allowed to change both records (``PermissionDenied`` otherwise).
    """
    if actor is not None and not (
        can_party(actor, candidate.first, Action.EDIT) and can_party(actor, candidate.second, Action.EDIT)
    ):
        raise PermissionDenied
    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    candidate.reviewed_at = timezone.now()
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return candidate
