"""Creating, changing and deleting persons, companies and leads with their contact points.

Every write goes through here (forms, the API, imports, merges), so the invariants hold whatever
the way in: names normalised with their search terms, contact points with their keys, Iranian
identifiers checked, sensitive fields encrypted, custom fields validated, one audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent, Team
from peyvand.common.identifiers import (
    InvalidIdentifier,
    validate_company_national_id,
    validate_economic_code,
    validate_national_id,
)
from peyvand.common.text import normalize_text, search_key
from peyvand.contacts import duplicates, geography, sensitive
from peyvand.contacts.custom_fields import clean_custom_values
from peyvand.contacts.models import Address, ContactPoint, CustomField, Party, SearchTerm, Tag
from peyvand.contacts.normalize import ContactPointIn, contact_point_keys, person_name, search_terms

if TYPE_CHECKING:
    from peyvand.accounts.models import User

# The plain fields a caller may set; "owner" and "team" are set through their own arguments.
EDITABLE_FIELDS = (
    "name", "first_name", "last_name", "job_title", "company_name", "lead_status", "company_national_id",
    "economic_code", "size", "gender", "education", "occupation", "interests", "lifestyle", "lifecycle_stage",
    "source", "category", "preferred_channel", "description",
)  # fmt: skip
TEXT_FIELDS = ("name", "first_name", "last_name", "job_title", "company_name", "occupation")
SENSITIVE_FIELDS = tuple(sensitive.COLUMNS)
AUDIT_FIELDS = [*EDITABLE_FIELDS, "owner", "team", "custom"]
# The columns party_update writes: everything but the timeline's figures and what only imports,
# merges and erasure set.
UPDATABLE_COLUMNS = [
    *EDITABLE_FIELDS, "kind", "search_key", "owner", "team", "custom", "updated_at",
    *(column for column in sensitive.COLUMNS.values()), "national_id_hash",
]  # fmt: skip


class PartyErasedError(ValueError):
    """A change to a record whose personal data was erased."""


# What the audit trail keeps of a sensitive field: that it changed, never the value.
HIDDEN = "••••"


def _clean_fields(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS) - set(SENSITIVE_FIELDS) - {"custom"}
    assert not unknown, f"not editable: {sorted(unknown)}"
    cleaned = dict(fields)
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = normalize_text(cleaned[name] or "")
    errors: dict[str, list[str]] = {}
    checks: dict[str, Callable[[str], str]] = {
        "national_id": validate_national_id,
        "company_national_id": validate_company_national_id,
        "economic_code": validate_economic_code,
    }
    for name, validate in checks.items():
        if cleaned.get(name):
            try:
                cleaned[name] = validate(str(cleaned[name]))
            except InvalidIdentifier as error:
                errors[name] = [str(error)]
    if "custom" in cleaned:
        try:
            cleaned["custom"] = clean_custom_values(kind, cleaned["custom"] or {})
        except ValidationError as error:
            errors.update({f"custom.{key}": value for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply(party: Party, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if name in SENSITIVE_FIELDS:
            sensitive.write(party, name, value)
        elif name == "custom":
            # Values of fields an administrator has deactivated are kept for when they come back.
            active = set(CustomField.objects.filter(kind=party.kind, is_active=True).values_list("key", flat=True))
            party.custom = {**{key: kept for key, kept in (party.custom or {}).items() if key not in active}, **value}
        else:
            setattr(party, name, value if value is not None or name in ("source", "category") else "")
    if party.kind in (Party.Kind.PERSON, Party.Kind.LEAD) and (party.first_name or party.last_name):
        party.name = person_name(party.first_name, party.last_name)
    elif party.kind == Party.Kind.LEAD and not party.name:
        party.name = party.company_name
    if not party.name:
        field = "name" if party.kind == Party.Kind.COMPANY else "last_name"
        raise ValidationError({field: [_("Enter a name.")]})
    party.search_key = search_key(party.name)


def _snapshot(party: Party) -> dict[str, Any]:
    values = audit.snapshot(party, AUDIT_FIELDS)
    for name in SENSITIVE_FIELDS:
        values[name] = HIDDEN if getattr(party, sensitive.COLUMNS[name]) else ""
    return values


def _sensitive_marks(before: dict[str, Any], party: Party, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Sensitive fields that changed show as changed, with no value: tokens differ at every write."""
    after = _snapshot(party)
    for name in SENSITIVE_FIELDS:
        if name in fields and fields[name] not in (None, "") and before.get(name) == HIDDEN:
            after[name] = HIDDEN + " "  # rewritten: recorded as a change without revealing either value
    return after


def refresh_search_terms(party: Party) -> None:
    terms = search_terms(party.name, party.company_name if party.is_lead else "")
    existing = set(SearchTerm.objects.filter(party=party).values_list("term", flat=True))
    if existing != terms:
        SearchTerm.objects.filter(party=party).exclude(term__in=terms).delete()
        SearchTerm.objects.bulk_create([SearchTerm(party=party, term=term) for term in terms - existing])


def _default_team(actor: User | None) -> Team | None:
    if actor is None or not actor.is_authenticated:
        return None
    return actor.teams.filter(is_active=True).order_by("path").first()


def _checked_parts(kind: str, fields: Mapping[str, Any], contact_points: Sequence[ContactPointIn] | None,
                   addresses: Sequence[Mapping[str, Any]] | None) -> tuple[dict[str, Any], Any, Any]:  # fmt: skip
    """Fields, contact points and addresses checked together, so one answer names every wrong input."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    points = address_rows = None
    try:
        cleaned = _clean_fields(kind, fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        points = _checked_points(contact_points) if contact_points is not None else None
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        address_rows = checked_addresses(addresses) if addresses is not None else None
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned, points, address_rows


@transaction.atomic
def party_create(
    *,
    actor: User | None,
    kind: str,
    fields: Mapping[str, Any],
    contact_points: Sequence[ContactPointIn] = (),
    addresses: Sequence[Mapping[str, Any]] = (),
    tags: Iterable[str] = (),
    owner: User | str | None = "actor",
    team: Team | str | None = "default",
) -> Party:
    """A new person, company or lead. ``owner`` defaults to the actor, ``team`` to the actor's first team.

    Raises ``ValidationError`` keyed by field ("phone.0" for the first contact point) and writes
    nothing when any part is wrong.
    """
    assert kind in Party.Kind.values, kind
    cleaned, points, address_rows = _checked_parts(kind, fields, contact_points, addresses)
    now = timezone.now()
    party = Party(kind=kind, created_by=actor if actor is not None and actor.is_authenticated else None, active_at=now)
    if kind == Party.Kind.LEAD and not cleaned.get("lead_status"):
        cleaned["lead_status"] = "new"
    if kind == Party.Kind.LEAD and "lifecycle_stage" not in cleaned:
        cleaned["lifecycle_stage"] = "lead"
    _apply(party, cleaned)
    party.owner = (actor if actor is not None and actor.is_authenticated else None) if owner == "actor" else owner  # type: ignore[assignment]
    party.team = _default_team(actor) if team == "default" else team  # type: ignore[assignment]
    party.save()
    _write_points(party, points, replace=False)
    _write_addresses(party, address_rows, replace=False)
    if tags:
        party.tags.set(tags_by_name(tags))
    refresh_search_terms(party)
    duplicates.find_duplicates_of_party(party)
    after = _snapshot(party)
    after.update(_contact_summary(party))
    audit.record(actor=actor, kind=AuditEvent.Kind.CREATE, instance=party, changes=audit.diff({}, after))
    return party


@transaction.atomic
def party_update(
    *,
    actor: User | None,
    party: Party,
    fields: Mapping[str, Any] | None = None,
    contact_points: Sequence[ContactPointIn] | None = None,
    addresses: Sequence[Mapping[str, Any]] | None = None,
    tags: Iterable[str] | None = None,
    owner: User | str | None = "unchanged",
    team: Team | str | None = "unchanged",
) -> Party:
    """Change a party. ``None`` (or "unchanged") leaves that part as it is; a list replaces it."""
    if party.erased_at is not None:
        raise PartyErasedError(_("This person's data was erased; the record cannot be changed."))
    fields = fields or {}
    cleaned, points, address_rows = _checked_parts(party.kind, fields, contact_points, addresses)
    before = _snapshot(party)
    before.update(_contact_summary(party))
    _apply(party, cleaned)
    if owner != "unchanged":
        party.owner = owner  # type: ignore[assignment]
    if team != "unchanged":
        party.team = team  # type: ignore[assignment]
    # The timeline keeps the figures with conditional UPDATEs; saving them from this copy of the
    # row could undo an interaction logged meanwhile.
    party.save(update_fields=UPDATABLE_COLUMNS)
    if points is not None:
        _write_points(party, points, replace=True)
    if address_rows is not None:
        _write_addresses(party, address_rows, replace=True)
    if tags is not None:
        party.tags.set(tags_by_name(tags))
    refresh_search_terms(party)
    duplicates.find_duplicates_of_party(party)
    after = _sensitive_marks(before, party, cleaned)
    after.update(_contact_summary(party))
    changes = audit.diff(before, after)
    for name in SENSITIVE_FIELDS:
        if name in changes:
            changes[name] = [HIDDEN if changes[name][0] else "", HIDDEN if changes[name][1].strip() else ""]
    if changes:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=party, changes=changes)
    return party


@transaction.atomic
def party_delete(*, actor: User | None, party: Party) -> None:
    """Delete a party with its contact points, relationships and timeline."""
    label, pk = str(party), party.pk
    audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, instance=party, object_label=label)
    party.delete()
    assert not Party.objects.filter(pk=pk).exists()


def tags_by_name(names: Iterable[str]) -> list[Tag]:
    """The tags with these names, creating those that do not exist yet ("VIP" and "vip" are one tag)."""
    wanted: dict[str, str] = {}
    for name in names:
        clean = normalize_text(name)[:60]
        if clean:
            wanted.setdefault(search_key(clean)[:60] or clean.casefold(), clean)
    existing = {tag.key: tag for tag in Tag.objects.filter(key__in=list(wanted))}
    missing = [Tag(name=name, key=key) for key, name in wanted.items() if key not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.key: tag for tag in Tag.objects.filter(key__in=list(wanted))}
    return list(existing.values())


def _checked_points(points: Sequence[ContactPointIn]) -> list[tuple[ContactPointIn, Any]]:
    checked, errors = [], {}
    seen: set[tuple[str, str]] = set()
    counters: dict[str, int] = {}
    for point in points:
        index = counters.get(point.kind, 0)
        counters[point.kind] = index + 1
        try:
            keys = contact_point_keys(point)
        except ValidationError as error:
            errors[f"{point.kind}.{index}"] = error.messages
            continue
        if (point.kind, keys.key) in seen:
            continue  # the same number twice in one form is one number
        seen.add((point.kind, keys.key))
        checked.append((point, keys))
    if errors:
        raise ValidationError(errors)
    return checked


def _write_points(party: Party, points: list[tuple[ContactPointIn, Any]], *, replace: bool) -> None:
    existing = {(point.kind, point.key): point for point in party.contact_points.all()} if replace else {}
    keep: list[int] = []
    # One primary per kind: the first marked so, or else the first given.
    primary: dict[str, str] = {}
    for point, keys in points:
        if point.is_primary:
            primary.setdefault(point.kind, keys.key)
    for point, keys in points:
        primary.setdefault(point.kind, keys.key)
    new_points = []
    now = timezone.now()
    for point, keys in points:
        is_primary = primary[point.kind] == keys.key
        values = {
            "value": keys.value, "label": point.label, "network": point.network, "digits": keys.digits,
            "national_number": keys.national_number, "digits_reversed": keys.digits[::-1],
            "extension": keys.extension, "is_primary": is_primary, "consent": point.consent,
        }  # fmt: skip
        current = existing.get((point.kind, keys.key))
        if current is None:
            new_points.append(ContactPoint(party=party, kind=point.kind, key=keys.key, **values,
                                           consent_at=now if point.consent != "unknown" else None))  # fmt: skip
            continue
        keep.append(current.pk)
        if current.consent != point.consent:
            values["consent_at"] = now
        changed = {name: value for name, value in values.items() if getattr(current, name) != value}
        if changed:
            ContactPoint.objects.filter(pk=current.pk).update(**changed, updated_at=now)
    if replace:
        party.contact_points.exclude(pk__in=keep).delete()
    ContactPoint.objects.bulk_create(new_points)


POSTAL_CODE_LENGTH = 10
ADDRESS_FIELDS = ("label", "country", "province", "city", "street", "postal_code", "is_primary", "consent")


def _write_addresses(party: Party, addresses: list[dict[str, Any]], *, replace: bool) -> None:
    if replace:
        party.addresses.all().delete()
    Address.objects.bulk_create([Address(party=party, **values) for values in addresses])


def checked_addresses(addresses: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Addresses cleaned and checked; ``ValidationError`` keyed "addresses.0.postal_code"."""
    rows: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    for index, given in enumerate(addresses):
        values = {name: given[name] for name in ADDRESS_FIELDS if name in given and given[name] is not None}
        for name in ("city", "street", "postal_code", "province"):
            if name in values:
                values[name] = normalize_text(str(values[name]))
        if not any(values.get(name) for name in ("province", "city", "street", "postal_code")):
            continue
        country = values.get("country") or "IR"
        values["country"] = country
        if country == "IR":
            if values.get("province") and not geography.is_province(values["province"]):
                errors[f"addresses.{index}.province"] = [_("Choose one of Iran's provinces.")]
            postal_code = values.get("postal_code", "").replace("-", "").replace(" ", "")
            if postal_code and not (postal_code.isdigit() and len(postal_code) == POSTAL_CODE_LENGTH):
                errors[f"addresses.{index}.postal_code"] = [_("An Iranian postal code has 10 digits.")]
            values["postal_code"] = postal_code
        values.setdefault("is_primary", not rows)
        values["city_key"] = search_key(values.get("city", ""))
        rows.append(values)
    if errors:
        raise ValidationError(errors)
    return rows


def _contact_summary(party: Party) -> dict[str, Any]:
    """Contact points and addresses as the audit trail keeps them: lists of display values."""
    summary: dict[str, Any] = {}
    for point in party.contact_points.all().order_by("kind", "-is_primary", "pk"):
        summary.setdefault(f"{point.kind}s", []).append(point.value)
    addresses = [str(address) for address in party.addresses.all().order_by("-is_primary", "pk")]
    if addresses:
        summary["addresses"] = addresses
    tags = sorted(party.tags.values_list("name", flat=True)) if party.pk else []
    if tags:
        summary["tags"] = tags
    return summary
