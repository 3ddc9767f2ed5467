"""A person's rights over their data: everything Peyvand holds about them, and erasure on request.

``personal_data_export`` gathers every section (the record, contact points with consent,
addresses, tags, custom fields, relationships, what later apps register in
``customer_file.personal_data_providers``, the audit events about them) as one JSON document or a
zip of one CSV per section. ``party_erase`` anonymises a person or a lead in one transaction:
the record keeps its id, owner and figures (so the business's counts stay true) but loses every
personal value, and the person's names, phone numbers and emails are cut out of the timeline,
the audit trail, import reports and saved views, whatever form they were written in
(``contacts.privacy_text``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Action
from peyvand.common.csv import UTF8_BYTE_ORDER_MARK, neutralize
from peyvand.common.phones import InvalidPhoneNumber, parse_phone
from peyvand.contacts import access, sensitive
from peyvand.contacts.custom_fields import display_value
from peyvand.contacts.models import (
    Address,
    ContactPoint,
    CustomField,
    DuplicateCandidate,
    ImportJob,
    ImportRowError,
    LeadConversion,
    Party,
    PartyMerge,
    Relationship,
    SavedView,
    SearchTerm,
)
from peyvand.contacts.privacy_text import ERASED, PersonTexts, Phone
from peyvand.contacts.registry import customer_file
from peyvand.contacts.services.parties import refresh_search_terms

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from peyvand.accounts.models import User

    Actor = User | AnonymousUser

# What an erased record's name becomes. Pages show "Erased person #<id>" in the reader's language
# instead (``Party.__str__``); the stored marker is the same in every language.
ERASED_NAME = ERASED
PARTY_TYPE = "contacts.party"
FORMATS = ("json", "csv")
REASON_MAX_LENGTH = 500

# The personal values of a party, blanked by an erasure. Owner, team, lifecycle stage, source,
# category and the contact figures stay: they are the business's, not the person's.
BLANKED_FIELDS = (
    "first_name", "last_name", "job_title", "company_name", "company_national_id", "economic_code",
    "national_id_encrypted", "national_id_hash", "birth_date_encrypted", "income_band_encrypted", "gender",
    "education", "occupation", "interests", "lifestyle", "preferred_channel", "description", "import_key",
)  # fmt: skip
# Rows this module erases itself; every other row pointing at the party goes through its
# erasure handler or, without one, has its texts scrubbed field by field.
_OWN_MODELS = {ContactPoint, Address, SearchTerm, Relationship, DuplicateCandidate, PartyMerge, LeadConversion,
               Party.tags.through}  # fmt: skip


class AlreadyErasedError(Exception):
    """The party was erased before; there is nothing left to erase."""


@dataclass(frozen=True)
class PersonalDataFile:
    file_name: str
    content_type: str
    content: bytes


def holds_personal_data(party: Party) -> bool:
    """Persons and leads are people; a company is a legal entity, not a data subject."""
    return party.kind in (Party.Kind.PERSON, Party.Kind.LEAD)


def can_export(actor: Actor, party: Party) -> bool:
    """Export needs the export right on the party and sight of every sensitive field of its kind:
    an "all your data" file with holes in it would mislead the person who asked for it."""
    fields = access.SENSITIVE_FIELDS if party.kind in (Party.Kind.PERSON, Party.Kind.LEAD) else ()
    return access.can_party(actor, party, Action.EXPORT) and all(
        access.can_see_sensitive(actor, party.kind, name) for name in fields
    )


def can_erase(actor: Actor, party: Party) -> bool:
    """Whoever may delete the record may erase it: an erasure removes less than a deletion."""
    return access.can_party(actor, party, Action.DELETE)


# Export -----------------------------------------------------------------------------------------
def personal_data(party: Party) -> dict[str, Any]:
    """Every section Peyvand holds about ``party``, as plain JSON values (sensitive fields decrypted)."""
    sections: dict[str, Any] = {
        "record": _record(party),
        "contact_points": [
            _contact_point(point) for point in party.contact_points.order_by("kind", "-is_primary", "pk")
        ],
        "addresses": [_address(address) for address in party.addresses.order_by("-is_primary", "pk")],
        "tags": [{"name": name} for name in party.tags.order_by("name").values_list("name", flat=True)],
        "custom_fields": _custom_fields(party),
        "relationships": _relationships(party),
    }
    for key in sorted(customer_file.personal_data_providers):
        name, rows = customer_file.personal_data_providers[key](party)
        sections[name] = rows
    sections["audit_events"] = _audit_events(party)
    return sections


def personal_data_export(*, actor: Actor, party: Party, format: str = "json") -> PersonalDataFile:
    """The person's data as one JSON document or a zip of one CSV per section; the export is audited.

    ``PermissionDenied`` unless ``actor`` may export the party and see its sensitive fields.
    """
    if format not in FORMATS:
        raise ValidationError({"format": [_("Choose JSON or CSV.")]})
    if not can_export(actor, party):
        raise PermissionDenied
    sections = personal_data(party)
    exported_at = timezone.now()
    if format == "json":
        document = {"party_id": party.pk, "exported_at": exported_at.isoformat(), **sections}
        content = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()
        result = PersonalDataFile(f"personal-data-{party.pk}.json", "application/json", content)
    else:
        result = PersonalDataFile(f"personal-data-{party.pk}.zip", "application/zip", _zip_of_csv(sections))
    audit.record_export(actor=actor, object_type=PARTY_TYPE, object_id=str(party.pk), label=str(party),
                        filters={"personal_data": format, "sections": list(sections)})  # fmt: skip
    return result


def _record(party: Party) -> dict[str, Any]:
    values: dict[str, Any] = {"id": party.pk, "kind": party.kind, "name": party.name}
    for name in ("first_name", "last_name", "job_title", "company_name", "lead_status", "company_national_id",
                 "economic_code", "size", "gender", "education", "occupation", "interests", "lifestyle",
                 "lifecycle_stage", "preferred_channel", "description"):  # fmt: skip
        values[name] = getattr(party, name)
    for name, value in sensitive.read_all(party).items():
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    values["source"] = party.source.label if party.source is not None else ""
    values["category"] = party.category.label if party.category is not None else ""
    values["owner"] = party.owner.get_username() if party.owner is not None else ""
    values["team"] = party.team.name if party.team is not None else ""
    for name in ("first_contact_at", "last_contact_at", "created_at", "updated_at", "erased_at"):
        moment = getattr(party, name)
        values[name] = moment.isoformat() if moment else None
    values["interaction_count"] = party.interaction_count
    return values


def _contact_point(point: ContactPoint) -> dict[str, Any]:
    return {
        "kind": point.kind, "value": point.value, "normalized": point.key, "label": point.label,
        "network": point.network, "extension": point.extension, "is_primary": point.is_primary,
        "consent": point.consent, "consent_at": point.consent_at.isoformat() if point.consent_at else None,
    }  # fmt: skip


def _address(address: Address) -> dict[str, Any]:
    return {name: getattr(address, name) for name in ("label", "country", "province", "city", "street",
                                                       "postal_code", "is_primary", "consent")}  # fmt: skip


def _custom_fields(party: Party) -> list[dict[str, Any]]:
    fields = {field.key: field for field in CustomField.objects.filter(kind=party.kind)}
    rows = []
    for key, value in sorted((party.custom or {}).items()):
        field = fields.get(key)
        rows.append({
            "key": key, "label": (field.label_en or field.label) if field else key,
            "label_fa": field.label if field else key, "value": value,
            "shown_as": display_value(field, value) if field else str(value),
        })  # fmt: skip
    return rows


def _relationships(party: Party) -> list[dict[str, Any]]:
    rows = []
    links = (Relationship.objects.filter(Q(from_party=party) | Q(to_party=party))
             .select_related("type", "from_party", "to_party").order_by("pk"))  # fmt: skip
    for link in links:
        outgoing = link.from_party_id == party.pk
        other = link.to_party if outgoing else link.from_party
        rows.append({
            "relationship": link.type.name_en or link.type.name if outgoing
            else (link.type.inverse_label if link.type.is_symmetric else link.type.inverse_name_en
                  or link.type.inverse_name or link.type.name_en or link.type.name),
            "relationship_key": link.type.key, "direction": "from" if outgoing else "to",
            "other_party_id": other.pk, "other_party": str(other), "other_party_kind": other.kind,
            "note": link.note, "since": link.created_at.isoformat(),
        })  # fmt: skip
    return rows


def _audit_events(party: Party) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(object_type=PARTY_TYPE, object_id=str(party.pk)).order_by("at", "pk")
    return [
        {"at": event.at.isoformat(), "kind": event.kind, "by": event.actor_label, "changes": event.changes}
        for event in events.iterator(chunk_size=1000)
    ]


def _zip_of_csv(sections: dict[str, Any]) -> bytes:
    """One CSV per section; a single record is a two-column "field, value" table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sections.items():
            table = [["field", "value"], *[[key, value] for key, value in rows.items()]] if isinstance(rows, dict) \
                else _table(rows)  # fmt: skip
            archive.writestr(f"{name}.csv", _csv_text(table))
    return buffer.getvalue()


def _table(rows: list[dict[str, Any]]) -> list[list[Any]]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return [list(columns), *[[row.get(column) for column in columns] for row in rows]]


def _csv_text(table: list[list[Any]]) -> str:
    import csv

    output = io.StringIO()
    writer = csv.writer(output)
    for row in table:
        writer.writerow([neutralize(_cell(value)) for value in row])
    return UTF8_BYTE_ORDER_MARK + output.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


# Erasure ----------------------------------------------------------------------------------------
@transaction.atomic
def party_erase(*, actor: Actor, party: Party, reason: str) -> dict[str, int]:
    """Erase a person or a lead on their request: nothing of their names, phones or emails stays.

    All or nothing, in one transaction. ``PermissionDenied`` unless ``actor`` may delete the
    party; ``ValidationError`` without a reason or for a company; ``AlreadyErasedError`` the second
    time. Returns how many rows each part changed (also recorded in the "erased" audit event,
    with the reason and without the name).
    """
    reason = (reason or "").strip()
    if not can_erase(actor, party):
        raise PermissionDenied
    if not holds_personal_data(party):
        raise ValidationError(_("Only persons and leads hold personal data to erase."))
    if not reason:
        raise ValidationError({"reason": [_("Say why this person's data is erased.")]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [_("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}]}
        )
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.erased_at is not None:
        raise AlreadyErasedError
    merged_ids = list(PartyMerge.objects.filter(survivor=party).values_list("merged_id", flat=True))
    own_events = AuditEvent.objects.filter(
        object_type=PARTY_TYPE, object_id__in=[str(pk) for pk in [party.pk, *merged_ids]]
    )
    texts = person_texts(party, own_events)
    rows_of_party = _rows_of_party(party)

    removed: dict[str, int] = {}
    for label, handler in sorted(customer_file.erasure_handlers.items()):
        removed[label] = handler(party, texts.as_list())
    removed.update(_scrub_related_rows(party, texts))
    removed["contact_points"] = party.contact_points.all().delete()[0]
    removed["addresses"] = party.addresses.all().delete()[0]
    removed["tags"] = party.tags.through.objects.filter(party=party).delete()[0]
    SearchTerm.objects.filter(party=party).delete()
    removed["relationships"] = Relationship.objects.filter(Q(from_party=party) | Q(to_party=party)).delete()[0]
    removed["duplicate_candidates"] = DuplicateCandidate.objects.filter(Q(first=party) | Q(second=party)).delete()[0]
    removed["merges"] = PartyMerge.objects.filter(survivor=party).update(merged_name=ERASED)
    removed["lead_conversions"] = _scrub_lead_conversions(party, texts)
    removed["other_records"] = _scrub_other_parties(party, texts)
    removed["import_rows"] = _scrub_import_rows(texts)
    removed["saved_views"] = _scrub_saved_views(texts)
    removed["audit_events"] = _scrub_audit(own_events, rows_of_party, texts)

    for name in BLANKED_FIELDS:
        setattr(party, name, "")
    party.name, party.search_key, party.custom = ERASED_NAME, "", {}
    party.erased_at = timezone.now()
    party.save()
    counts = {name: count for name, count in sorted(removed.items()) if count}
    audit.record(actor=actor, kind=AuditEvent.Kind.ERASE, object_type=PARTY_TYPE, object_id=str(party.pk),
                 object_label=f"#{party.pk}", changes={"reason": texts.replace(reason), "removed": counts})  # fmt: skip
    return counts


def person_texts(party: Party, own_events: models.QuerySet[AuditEvent] | None = None) -> PersonTexts:
    """The party's names, phones and emails, now and as the audit trail shows they were."""
    names = {party.name}
    words = {party.first_name, party.last_name}
    phones: dict[str, Phone] = {}
    emails: set[str] = set()
    for point in party.contact_points.filter(kind__in=[ContactPoint.Kind.PHONE, ContactPoint.Kind.EMAIL]):
        if point.kind == ContactPoint.Kind.PHONE:
            phones[point.key] = Phone(value=point.value, e164=point.key, national_number=point.national_number)
        else:
            emails.update((point.value, point.key))
    names.update(PartyMerge.objects.filter(survivor=party).values_list("merged_name", flat=True))
    for event in own_events if own_events is not None else ():
        changes = event.changes if isinstance(event.changes, dict) else {}
        names.update(_strings(changes.get("name")))
        words.update(_strings(changes.get("first_name")) + _strings(changes.get("last_name")))
        emails.update(_strings(changes.get("emails")))
        for typed in _strings(changes.get("phones")):
            phone = _phone(typed)
            if phone is not None:
                phones.setdefault(phone.e164, phone)
    names.discard(ERASED)
    return PersonTexts(
        names=tuple(sorted(name for name in names if name)), words=tuple(sorted(word for word in words if word)),
        phones=tuple(phones[key] for key in sorted(phones)), emails=tuple(sorted(email for email in emails if email)),
    )  # fmt: skip


def _strings(value: Any) -> list[str]:
    """The strings in an audit value: ``[old, new]`` pairs, lists of phones, nested."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _phone(typed: str) -> Phone | None:
    try:
        number = parse_phone(typed)
    except InvalidPhoneNumber:
        return None
    return Phone(value=typed, e164=number.e164, national_number=number.national_number)


def _reverse_relations() -> list[models.ForeignObjectRel]:
    return [
        relation
        for relation in Party._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel)
        and not isinstance(relation, models.ManyToManyRel)
        and relation.related_model not in _OWN_MODELS
    ]


def _generic_rows(party: Party) -> Iterable[tuple[type[models.Model], models.QuerySet[Any]]]:
    from django.apps import apps

    party_type = ContentType.objects.get_for_model(Party)
    for model in apps.get_models():
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                yield model, model._default_manager.filter(**{private.ct_field: party_type, private.fk_field: party.pk})


def _related_querysets(party: Party) -> Iterable[tuple[type[models.Model], models.QuerySet[Any]]]:
    for relation in _reverse_relations():
        model = relation.related_model
        assert isinstance(model, type)
        yield model, model._default_manager.filter(**{relation.field.name: party})
    yield from _generic_rows(party)


def _rows_of_party(party: Party) -> dict[str, list[str]]:
    """``{model label: [ids]}`` of every row that belongs to the party: their audit events are about the person."""
    rows: dict[str, list[str]] = {}
    for model, queryset in _related_querysets(party):
        rows.setdefault(model._meta.label_lower, []).extend(str(pk) for pk in queryset.values_list("pk", flat=True))
    for model in (ContactPoint, Address):
        rows[model._meta.label_lower] = [
            str(pk) for pk in model.objects.filter(party=party).values_list("pk", flat=True)
        ]
    return {label: ids for label, ids in rows.items() if ids}


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField) and not field.choices
        and not field.primary_key
    ]  # fmt: skip


def _scrub_related_rows(party: Party, texts: PersonTexts) -> dict[str, int]:
    """Rows of other apps that point at the party, with no erasure handler: texts scrubbed field by field."""
    counts: dict[str, int] = {}
    for model, queryset in _related_querysets(party):
        label = model._meta.label_lower
        fields = _text_fields(model)
        if label in customer_file.erasure_handlers or not fields:
            continue
        changed = []
        for row in queryset.only("pk", *fields).iterator(chunk_size=500):
            if _replace_fields(row, fields, texts.replace):
                changed.append(row)
        model._default_manager.bulk_update(changed, fields, batch_size=500)
        if changed:
            counts[label] = counts.get(label, 0) + len(changed)
    return counts


def _replace_fields(row: models.Model, fields: list[str], replace: Any) -> bool:
    changed = False
    for name in fields:
        before = getattr(row, name)
        after = _replace_in(before, replace)
        if after != before:
            setattr(row, name, after)
            changed = True
    return changed


def _replace_in(value: Any, replace: Any) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, dict):
        return {key: _replace_in(item, replace) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_in(item, replace) for item in value]
    return value


def _scrub_lead_conversions(party: Party, texts: PersonTexts) -> int:
    changed = [conversion for conversion in LeadConversion.objects.filter(lead=party)
               if _replace_fields(conversion, ["previous"], texts.replace)]  # fmt: skip
    LeadConversion.objects.bulk_update(changed, ["previous"])
    return len(changed)


def _json_contains(column: str, needles: list[str]) -> Q:
    """Rows whose JSON ``column``, as the database stores it, contains one of ``needles``.

    SQLite keeps JSON as Django wrote it (non-ASCII letters as \\u escapes); PostgreSQL's jsonb
    prints them as they are.
    """
    condition = Q()
    for needle in needles:
        stored = json.dumps(needle, ensure_ascii=connection.vendor != "postgresql")[1:-1]
        condition |= Q(**{f"{column}_text__icontains": stored})
    return condition


def _mentioning(queryset: models.QuerySet[Any], json_columns: list[str], text_columns: list[str],
                texts: PersonTexts) -> models.QuerySet[Any]:  # fmt: skip
    needles = texts.needles()
    if not needles:
        return queryset.none()
    queryset = queryset.annotate(**{f"{column}_text": Cast(column, models.TextField()) for column in json_columns})
    condition = Q()
    for column in json_columns:
        condition |= _json_contains(column, needles)
    for column in text_columns:
        for needle in needles:
            condition |= Q(**{f"{column}__icontains": needle})
    return queryset.filter(condition)


# Free text on other records that may name the person ("Buyer: Sara Karimi, 0912…").
OTHER_PARTY_TEXT_FIELDS = ["description", "interests", "lifestyle", "job_title", "occupation", "company_name"]


def _scrub_other_parties(party: Party, texts: PersonTexts) -> int:
    """Notes on other persons, companies and leads that name the person, by full name, phone or email."""
    changed = []
    rows = _mentioning(Party.objects.exclude(pk=party.pk), ["custom"], OTHER_PARTY_TEXT_FIELDS, texts)
    for other in rows.only("pk", "kind", "name", "custom", *OTHER_PARTY_TEXT_FIELDS).iterator(chunk_size=500):
        if _replace_fields(
            other, [*OTHER_PARTY_TEXT_FIELDS, "custom"], lambda text: texts.replace(text, with_words=False)
        ):
            changed.append(other)
    Party.objects.bulk_update(changed, [*OTHER_PARTY_TEXT_FIELDS, "custom"], batch_size=500)
    for other in changed:
        if other.is_lead:  # a lead's company name is part of its search terms
            refresh_search_terms(other)
    return len(changed)


def _scrub_import_rows(texts: PersonTexts) -> int:
    """A failed import row that names the person is theirs: every value of it is blanked."""
    count = 0
    for row in _mentioning(ImportRowError.objects.all(), ["values", "errors"], [], texts).iterator(chunk_size=500):
        row.values = {column: ERASED if value not in (None, "") else value for column, value in row.values.items()}
        row.errors = _replace_in(row.errors, lambda text: texts.replace(text, with_words=False))
        row.save(update_fields=["values", "errors"])
        count += 1
    for job in _mentioning(ImportJob.objects.all(), [], ["error"], texts).only("pk", "error"):
        job.error = texts.replace(job.error, with_words=False)
        job.save(update_fields=["error"])
        count += 1
    return count


def _scrub_saved_views(texts: PersonTexts) -> int:
    count = 0
    for view in _mentioning(SavedView.objects.all(), [], ["name", "query"], texts).only("pk", "name", "query"):
        view.name = texts.replace(view.name, with_words=False)[:100] or ERASED
        view.query = texts.replace(view.query, with_words=False)
        view.save(update_fields=["name", "query"])
        count += 1
    return count


def _scrub_audit(own_events: models.QuerySet[AuditEvent], rows_of_party: dict[str, list[str]],
                 texts: PersonTexts) -> int:  # fmt: skip
    """Events about the person or any row of theirs lose every text; others lose the person's texts."""
    about = Q(pk__in=own_events.values("pk"))
    for label, ids in rows_of_party.items():
        for start in range(0, len(ids), 500):
            about |= Q(object_type=label, object_id__in=ids[start : start + 500])
    their_ids = list(AuditEvent.objects.filter(about).values_list("pk", flat=True))
    count = audit.scrub(their_ids, lambda text: ERASED if text else text)
    others = _mentioning(AuditEvent.objects.exclude(about), ["changes"], ["object_label"], texts)
    other_ids = list(others.values_list("pk", flat=True))
    count += audit.scrub(other_ids, lambda text: texts.replace(text, with_words=False))
    return count
