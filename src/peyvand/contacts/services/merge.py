"""Merging two records of the same customer into one.

The user picks, field by field, which record's value the survivor keeps; everything else is
combined: contact points and addresses (without repeating one), tags, relationships, and every row
of any app that points at the merged record, which moves to the survivor. This module does not
know those apps: it walks the relations Django knows of (``Party._meta``), and a model whose rows
need more than a new foreign key (a uniqueness rule, figures to add up) registers a handler in
``contacts.registry.customer_file.merge_handlers`` under its ``label_lower``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Action
from peyvand.common.text import search_key
from peyvand.contacts import access, sensitive
from peyvand.contacts.models import (
    Address,
    ContactPoint,
    DuplicateCandidate,
    Party,
    PartyMerge,
    Relationship,
    SearchTerm,
)
from peyvand.contacts.registry import customer_file
from peyvand.contacts.services.parties import EDITABLE_FIELDS, party_update

if TYPE_CHECKING:
    from peyvand.accounts.models import User

Side = Literal["survivor", "merged"]
SIDES = ("survivor", "merged")

# The fields a merge lets the user choose, in the order the comparison shows them. "name" is a
# company's own; a person's or a lead's name follows from the first and last names.
PLAIN_FIELDS = tuple(name for name in EDITABLE_FIELDS)
SENSITIVE_FIELDS = tuple(sensitive.COLUMNS)
OWNER_FIELDS = ("owner", "team")
# Which phone and which email become the survivor's primary one (both records' are kept).
PRIMARY_FIELDS = {"primary_phone": ContactPoint.Kind.PHONE, "primary_email": ContactPoint.Kind.EMAIL}
CUSTOM_PREFIX = "custom."

# Rows this module moves itself, with the rules of their own tables.
_OWN_MODELS = {ContactPoint, Address, SearchTerm, Relationship, DuplicateCandidate, Party.tags.through}


class MergeError(Exception):
    """Two records that cannot be merged (different kinds, the same record)."""


@dataclass
class MergeResult:
    survivor: Party
    merge: PartyMerge
    moved: dict[str, int] = field(default_factory=dict)


def choosable_fields(kind: str) -> list[str]:
    """The field names a merge of two parties of ``kind`` offers, custom fields as "custom.<key>"."""
    names = [name for name in PLAIN_FIELDS if _applies(kind, name)]
    if kind != Party.Kind.COMPANY:
        names += list(SENSITIVE_FIELDS)
    return [*names, *OWNER_FIELDS]


_PERSON_ONLY = {"first_name", "last_name", "job_title", "gender", "education", "occupation"}
_COMPANY_ONLY = {"name", "company_national_id", "economic_code", "size"}


def _applies(kind: str, name: str) -> bool:
    if kind == Party.Kind.COMPANY:
        return name not in _PERSON_ONLY | {"company_name", "lead_status"}
    if name in {"company_national_id", "economic_code", "size", "name"}:
        return False
    return name not in {"company_name", "lead_status"} or kind == Party.Kind.LEAD


def field_value(party: Party, name: str) -> Any:
    """The value of a choosable field on ``party`` (sensitive ones decrypted)."""
    if name in SENSITIVE_FIELDS:
        return sensitive.read(party, name)
    if name.startswith(CUSTOM_PREFIX):
        return (party.custom or {}).get(name.removeprefix(CUSTOM_PREFIX))
    return getattr(party, name)


def _is_empty(value: Any) -> bool:
    return value in (None, "", [], {})


def default_side(survivor: Party, merged: Party, name: str) -> Side:
    """What a merge keeps when the user did not choose: the survivor's value, unless it is empty."""
    if _is_empty(field_value(survivor, name)) and not _is_empty(field_value(merged, name)):
        return "merged"
    return "survivor"


@transaction.atomic
def party_merge(*, actor: User | None, survivor: Party, merged: Party, choices: Mapping[str, str]) -> MergeResult:
    """Merge ``merged`` into ``survivor`` and delete it; ``choices`` maps fields to "survivor" or "merged".

    Both must be editable by ``actor`` and ``merged`` deletable (``PermissionDenied`` otherwise);
    they must be two records of the same kind (``MergeError``). A field not in ``choices`` keeps
    the survivor's value, or the merged record's when the survivor's is empty. A sensitive field the
    actor may not see cannot be chosen (``PermissionDenied``); the survivor keeps its own value, or
    the merged record's if it has none, without the actor seeing either.
    """
    if survivor.pk == merged.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    if survivor.kind != merged.kind:
        raise MergeError(_("Only records of the same type can be merged. Convert the lead first."))
    locked = {party.pk: party for party in Party.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])}
    if len(locked) != 2:
        raise MergeError(_("One of the records no longer exists."))
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if survivor.erased_at is not None or merged.erased_at is not None:
        raise MergeError(_("A record whose personal data was erased cannot be merged."))
    if actor is not None and not (access.can_party(actor, survivor, Action.EDIT) and access.can_party(actor, merged, Action.EDIT)
            and access.can_party(actor, merged, Action.DELETE)):  # fmt: skip
        raise PermissionDenied
    sides = _checked_choices(actor, survivor, merged, choices)

    # First the figures of both records added up; a handler registered for the timeline's tallies
    # may then recount them from the rows themselves.
    _add_up_figures(survivor, merged)
    moved: dict[str, int] = {}
    moved["contact_points"] = _move_contact_points(survivor, merged, sides)
    moved["addresses"] = _move_addresses(survivor, merged)
    moved["tags"] = _unite_tags(survivor, merged)
    moved["relationships"] = _move_relationships(survivor, merged)
    moved.update(_move_related_rows(survivor, merged))
    moved["duplicate_candidates"] = _repoint_candidates(survivor, merged)

    fields, owner, team = _chosen_values(survivor, merged, sides)
    merged_label, merged_pk = str(merged), merged.pk
    merge = PartyMerge.objects.create(
        survivor=survivor, merged_id=merged_pk, merged_name=merged_label[:300],
        choices=dict(sorted(sides.items())), moved={name: count for name, count in moved.items() if count},
        merged_by=actor if actor is not None and actor.is_authenticated else None,
    )  # fmt: skip
    audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, instance=merged, object_label=merged_label,
                 changes={"merged_into": [str(merged_pk), str(survivor.pk)]})  # fmt: skip
    merged.delete()
    party_update(actor=actor, party=survivor, fields=fields, owner=owner, team=team)
    audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=survivor, changes={
        "merged_with": [f"{merged_label} (#{merged_pk})", str(survivor)],
        "merge_choices": [None, {name: side for name, side in sorted(sides.items()) if side == "merged"}],
        "moved": [None, merge.moved],
    })  # fmt: skip
    return MergeResult(survivor=survivor, merge=merge, moved=merge.moved)


# Choices -----------------------------------------------------------------------------------------
def _checked_choices(actor: User | None, survivor: Party, merged: Party, choices: Mapping[str, str]) -> dict[str, Side]:
    allowed = set(choosable_fields(survivor.kind)) | set(PRIMARY_FIELDS)
    custom_keys = set(survivor.custom or {}) | set(merged.custom or {})
    allowed |= {f"{CUSTOM_PREFIX}{key}" for key in custom_keys}
    errors = {name: [_("There is no such field to choose.")] for name in choices if name not in allowed}
    errors.update({name: [_("Choose “survivor” or “merged”.")] for name, side in choices.items()
                   if name in allowed and side not in SIDES})  # fmt: skip
    if errors:
        raise ValidationError(errors)
    hidden = [name for name in SENSITIVE_FIELDS if choices.get(name) == "merged"
              and actor is not None and not access.can_see_sensitive(actor, survivor.kind, name)]  # fmt: skip
    if hidden:
        raise PermissionDenied(_("You may not set: %(fields)s.") % {"fields": ", ".join(hidden)})
    sides: dict[str, Side] = {}
    for name in sorted(allowed - set(PRIMARY_FIELDS)):
        given = choices.get(name)
        sides[name] = given if given in SIDES else default_side(survivor, merged, name)  # type: ignore[assignment]
    for name in PRIMARY_FIELDS:
        sides[name] = "merged" if choices.get(name) == "merged" else "survivor"
    return sides


def _chosen_values(survivor: Party, merged: Party, sides: Mapping[str, Side]) -> tuple[dict[str, Any], Any, Any]:
    fields: dict[str, Any] = {}
    custom = dict(survivor.custom or {})
    for name, side in sides.items():
        if side != "merged" or name in PRIMARY_FIELDS or name in OWNER_FIELDS:
            continue
        if name.startswith(CUSTOM_PREFIX):
            key = name.removeprefix(CUSTOM_PREFIX)
            value = (merged.custom or {}).get(key)
            if _is_empty(value):
                custom.pop(key, None)
            else:
                custom[key] = value
            continue
        value = field_value(merged, name)
        fields[name] = value if value is not None or name in ("source", "category") else ""
    if custom != (survivor.custom or {}):
        fields["custom"] = custom
    owner = merged.owner if sides.get("owner") == "merged" else "unchanged"
    team = merged.team if sides.get("team") == "merged" else "unchanged"
    return fields, owner, team


# What is combined ----------------------------------------------------------------------------------
def _move_contact_points(survivor: Party, merged: Party, sides: Mapping[str, Side]) -> int:
    kept = set(survivor.contact_points.values_list("kind", "key"))
    merged_points = list(merged.contact_points.all())
    for name, kind in PRIMARY_FIELDS.items():
        chosen = next((point for point in merged_points if point.kind == kind and point.is_primary), None)
        if sides.get(name) == "merged" and chosen is not None:
            # The merged record's primary becomes the survivor's, whether it moves or is already there.
            survivor.contact_points.filter(kind=kind, is_primary=True).update(is_primary=False)
            survivor.contact_points.filter(kind=kind, key=chosen.key).update(is_primary=True)
    primaries = set(survivor.contact_points.filter(is_primary=True).values_list("kind", flat=True))
    moving = [point for point in merged_points if (point.kind, point.key) not in kept]
    for point in moving:
        is_primary = point.is_primary and point.kind not in primaries
        if is_primary:
            primaries.add(point.kind)
        ContactPoint.objects.filter(pk=point.pk).update(party=survivor, is_primary=is_primary)
    return len(moving)


def _address_key(address: Address) -> tuple[str, str, str, str]:
    return (address.country, address.city_key, search_key(address.street), address.postal_code)


def _move_addresses(survivor: Party, merged: Party) -> int:
    kept = {_address_key(address) for address in survivor.addresses.all()}
    has_primary = any(address.is_primary for address in survivor.addresses.all())
    moving = [address.pk for address in merged.addresses.all() if _address_key(address) not in kept]
    Address.objects.filter(pk__in=moving).update(party=survivor, is_primary=False)
    if moving and not has_primary:
        Address.objects.filter(pk=moving[0]).update(is_primary=True)
    return len(moving)


def _unite_tags(survivor: Party, merged: Party) -> int:
    new = set(merged.tags.values_list("pk", flat=True)) - set(survivor.tags.values_list("pk", flat=True))
    survivor.tags.add(*new)
    return len(new)


def _move_relationships(survivor: Party, merged: Party) -> int:
    """Relationships of the merged record, now the survivor's; one that would repeat or loop is dropped."""
    existing = set(
        Relationship.objects.filter(Q(from_party=survivor) | Q(to_party=survivor)).values_list(
            "from_party_id", "to_party_id", "type_id"
        )
    )
    moved = 0
    for relationship in Relationship.objects.filter(Q(from_party=merged) | Q(to_party=merged)):
        from_id = survivor.pk if relationship.from_party_id == merged.pk else relationship.from_party_id
        to_id = survivor.pk if relationship.to_party_id == merged.pk else relationship.to_party_id
        if from_id == to_id or (from_id, to_id, relationship.type_id) in existing:
            continue
        Relationship.objects.filter(pk=relationship.pk).update(from_party_id=from_id, to_party_id=to_id)
        existing.add((from_id, to_id, relationship.type_id))
        moved += 1
    return moved


def reverse_relations() -> list[models.ForeignObjectRel]:
    """Every foreign key of any model that points at Party, hidden ones (related_name="+") too."""
    return [
        relation
        for relation in Party._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel)
        and not isinstance(relation, models.ManyToManyRel)
        and relation.related_model not in _OWN_MODELS
    ]


def _move_related_rows(survivor: Party, merged: Party) -> dict[str, int]:
    """Rows of every other model that point at the merged record, moved to the survivor."""
    moved: dict[str, int] = {}
    handled: set[str] = set()
    for relation in reverse_relations():
        model = relation.related_model
        assert isinstance(model, type)
        label = model._meta.label_lower
        handler = customer_file.merge_handlers.get(label)
        if handler is not None:
            if label not in handled:
                moved[label] = moved.get(label, 0) + handler(merged, survivor)
                handled.add(label)
            continue
        count = _move_rows(model._default_manager.filter(**{relation.field.name: merged}), relation.field.name,
                           survivor)  # fmt: skip
        if count:
            moved[label] = moved.get(label, 0) + count
    for model, generic in _generic_keys():
        label = model._meta.label_lower
        if label in customer_file.merge_handlers:
            continue
        party_type = ContentType.objects.get_for_model(Party)
        rows = model._default_manager.filter(**{generic.ct_field: party_type, generic.fk_field: merged.pk})
        count = _move_rows(rows, generic.fk_field, survivor, value=survivor.pk)
        if count:
            moved[label] = moved.get(label, 0) + count
    return moved


def _generic_keys() -> list[tuple[type[models.Model], GenericForeignKey]]:
    return [
        (model, private)
        for model in apps.get_models()
        for private in model._meta.private_fields
        if isinstance(private, GenericForeignKey)
    ]


def _move_rows(rows: models.QuerySet[Any], field_name: str, survivor: Party, value: Any = None) -> int:
    """Point ``rows`` at the survivor; rows a uniqueness rule refuses stay and go with the merged record."""
    target = survivor if value is None else value
    try:
        with transaction.atomic():
            return rows.update(**{field_name: target})
    except IntegrityError:
        pass
    count = 0
    for pk in list(rows.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                count += rows.model._default_manager.filter(pk=pk).update(**{field_name: target})
        except IntegrityError:
            continue
    return count


def _repoint_candidates(survivor: Party, merged: Party) -> int:
    """The merged record's pairs: a dismissed one stays dismissed for the survivor, open ones are found again."""
    candidates = DuplicateCandidate.objects.filter(Q(first=merged) | Q(second=merged))
    existing = set(
        DuplicateCandidate.objects.filter(Q(first=survivor) | Q(second=survivor)).values_list("first_id", "second_id")
    )
    repointed = 0
    for candidate in candidates.filter(status=DuplicateCandidate.Status.DISMISSED):
        other = candidate.second_id if candidate.first_id == merged.pk else candidate.first_id
        if other == survivor.pk:
            continue
        first, second = sorted((survivor.pk, other))
        if (first, second) in existing:
            continue
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(first_id=first, second_id=second)
        existing.add((first, second))
        repointed += 1
    candidates.delete()
    return repointed


def _add_up_figures(survivor: Party, merged: Party) -> None:
    """The header's figures: both records' interactions, the earlier first and the later last contact."""
    firsts = [value for value in (survivor.first_contact_at, merged.first_contact_at) if value]
    lasts = [value for value in (survivor.last_contact_at, merged.last_contact_at) if value]
    Party.objects.filter(pk=survivor.pk).update(
        interaction_count=survivor.interaction_count + merged.interaction_count,
        first_contact_at=min(firsts) if firsts else None,
        last_contact_at=max(lasts) if lasts else None,
        active_at=max(survivor.active_at, merged.active_at),
    )
    survivor.refresh_from_db(fields=["interaction_count", "first_contact_at", "last_contact_at", "active_at"])
