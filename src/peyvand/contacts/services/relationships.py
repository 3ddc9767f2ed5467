"""Links between two parties: the relationship map.

A relationship is one row read from both sides ("Sara works at Pars Trading" is "Pars Trading
employs Sara"), so adding or removing it changes both records: it is written in the audit trail
of each, and both timelines show it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Action
from peyvand.contacts.access import can_party, party_filter
from peyvand.contacts.models import Party, Relationship, RelationshipType

if TYPE_CHECKING:
    from peyvand.accounts.models import User


def _check_reach(actor: User | None, from_party: Party, to_party: Party) -> None:
    """Both parties must be visible, and the actor allowed to change at least one of them.

    The row is one link read from either side, so recording it from either record is the same
    change: "Sara works at Pars Trading" added on Pars Trading's page is "Pars Trading employs Sara".
    """
    if actor is None:
        return
    condition = party_filter(actor, Action.VIEW)
    if condition is None or Party.objects.filter(condition, pk__in=[from_party.pk, to_party.pk]).count() != 2:
        raise PermissionDenied
    if not (can_party(actor, from_party, Action.EDIT) or can_party(actor, to_party, Action.EDIT)):
        raise PermissionDenied


# The audit change's key holding the other party's id (not a field: readers never see it as one).
RELATIONSHIP_PARTY = "relationship_party"


def reading(relationship: Relationship, party: Party) -> str:
    """The relationship as read from ``party``'s side: "works at" or "employs"."""
    if relationship.from_party_id == party.pk:
        return relationship.type.label
    return relationship.type.inverse_label


def _audit(actor: User | None, relationship: Relationship, *, added: bool) -> None:
    for party, other in ((relationship.from_party, relationship.to_party),
                         (relationship.to_party, relationship.from_party)):  # fmt: skip
        text = f"{reading(relationship, party)}: {other.name}"
        change = ["", text] if added else [text, ""]
        # The other party's id lets a reader's timeline hide its name from whoever may not see it.
        changes = {"relationship": change, RELATIONSHIP_PARTY: other.pk}
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=party, changes=changes)


@transaction.atomic
def relationship_create(*, actor: User | None, from_party: Party, to_party: Party, type: RelationshipType,
                        note: str = "") -> Relationship:  # fmt: skip
    """Link ``from_party`` to ``to_party`` (``from_party`` <type> ``to_party``).

    Raises ``PermissionDenied`` when either party is out of the actor's sight or neither may be
    changed by them; ``ValidationError`` keyed "to_party" or "type" for a link that cannot be.
    """
    _check_reach(actor, from_party, to_party)
    errors: dict[str, list[str]] = {}
    if from_party.pk == to_party.pk:
        errors["to_party"] = [_("A record cannot be linked to itself.")]
    if not type.is_active:
        errors["type"] = [pgettext("customer record", "This relationship type is no longer in use.")]
    if (type.from_kind and from_party.kind != type.from_kind) or (type.to_kind and to_party.kind != type.to_kind):
        errors["type"] = [_("“%(type)s” links a %(from_kind)s to a %(to_kind)s.") % {
            "type": type.label,
            "from_kind": Party.Kind(type.from_kind).label.lower() if type.from_kind else _("record"),
            "to_kind": Party.Kind(type.to_kind).label.lower() if type.to_kind else _("record"),
        }]  # fmt: skip
    if not errors:
        same = Q(from_party=from_party, to_party=to_party)
        if type.is_symmetric:
            same |= Q(from_party=to_party, to_party=from_party)
        if Relationship.objects.filter(same, type=type).exists():
            errors["to_party"] = [_("These two are already linked this way.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            relationship = Relationship.objects.create(
                from_party=from_party, to_party=to_party, type=type, note=note.strip()[:300],
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )  # fmt: skip
    except IntegrityError:  # the same link added at the same moment by someone else
        raise ValidationError({"to_party": [_("These two are already linked this way.")]}) from None
    _audit(actor, relationship, added=True)
    return relationship


@transaction.atomic
def relationship_delete(*, actor: User | None, relationship: Relationship) -> None:
    """Remove a link; the same reach as adding it."""
    _check_reach(actor, relationship.from_party, relationship.to_party)
    _audit(actor, relationship, added=False)
    relationship.delete()
