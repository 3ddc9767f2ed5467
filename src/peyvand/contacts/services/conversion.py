"""Converting a qualified lead into a person and/or a company, and undoing it.

The lead's own row becomes the person (or, when only a company is chosen, the company): it keeps
its id, and with it every interaction, audit entry and record of any app that points at it. A
``LeadConversion`` row keeps what the row was, so that an administrator can undo the conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts import access as account_access
from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Action
from peyvand.common.text import search_key
from peyvand.contacts import access
from peyvand.contacts.duplicates import WORKS_AT, find_duplicates_of_party
from peyvand.contacts.models import LeadConversion, Party, Relationship, RelationshipType
from peyvand.contacts.models.parties import LeadStatus, LifecycleStage
from peyvand.contacts.registry import customer_file
from peyvand.contacts.services.merge import reverse_relations
from peyvand.contacts.services.parties import party_create, party_delete, refresh_search_terms

if TYPE_CHECKING:
    from peyvand.accounts.models import User

# The lead's fields a conversion changes, kept in LeadConversion.previous for the undo.
CHANGED_FIELDS = ("kind", "name", "search_key", "first_name", "last_name", "job_title", "lead_status",
                  "lifecycle_stage")  # fmt: skip
# A company's own data: it goes with the company and does not keep it from being deleted.
_OWN_DATA = {"contacts.contactpoint", "contacts.address", "contacts.searchterm", "contacts.duplicatecandidate",
             "contacts.party_tags"}  # fmt: skip


class ConversionError(Exception):
    """A conversion that cannot be done or undone in the record's present state."""


@dataclass(frozen=True)
class UndoResult:
    conversion: LeadConversion
    # A company the conversion created that other records now point at: kept, not deleted.
    company_kept: Party | None


def works_at_type() -> RelationshipType:
    """The "works at" relationship type, made if an administrator removed it."""
    relationship_type, _created = RelationshipType.objects.get_or_create(
        key=WORKS_AT,
        defaults={"name": "کار می‌کند در", "name_en": "works at", "inverse_name": "کارمند", "inverse_name_en": "employs",
                  "from_kind": Party.Kind.PERSON, "to_kind": Party.Kind.COMPANY, "order": 10},
    )  # fmt: skip
    return relationship_type


def _check(actor: User | None, lead: Party, *, create_person: bool, company: Party | None,
           create_company_name: str, lifecycle_stage: str) -> None:  # fmt: skip
    errors: dict[str, list[str]] = {}
    if not create_person and company is None and not create_company_name and not lead.company_name:
        errors["create_person"] = [_("Choose what the lead becomes: a person, a company, or both.")]
    if company is not None and create_company_name:
        errors["company"] = [_("Either link an existing company or create a new one, not both.")]
    if company is not None and not create_person:
        errors["company"] = [_("To link an existing company, convert the lead into a person.")]
    if company is not None and company.kind != Party.Kind.COMPANY:
        errors["company"] = [_("Choose a company.")]
    if lifecycle_stage not in LifecycleStage.values:
        errors["lifecycle_stage"] = [_("Choose a lifecycle stage.")]
    if errors:
        raise ValidationError(errors)
    if actor is None:
        return
    allowed = access.can_party(actor, lead, Action.EDIT)
    if create_person:
        allowed = allowed and account_access.can(actor, "persons", Action.CREATE)
    if create_company_name or not create_person:
        allowed = allowed and account_access.can(actor, "companies", Action.CREATE)
    if company is not None:
        allowed = allowed and access.can_party(actor, company, Action.VIEW)
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def lead_convert(*, actor: User | None, lead: Party, create_person: bool = True, company: Party | None = None,
                 create_company_name: str = "", lifecycle_stage: str = LifecycleStage.PROSPECT) -> LeadConversion:  # fmt: skip
    """Convert ``lead``: its row becomes a person (and is linked to ``company`` or a new company
    named ``create_company_name``), or, with ``create_person=False``, becomes the company itself.

    Raises ``ConversionError`` for a record that is not a lead, ``ValidationError`` keyed by the
    argument for a choice that does not add up, ``PermissionDenied`` when the actor may not edit the
    lead or create what the conversion creates.
    """
    lead = Party.objects.select_for_update().get(pk=lead.pk)
    if not lead.is_lead:
        raise ConversionError(_("Only a lead can be converted."))
    create_company_name = (create_company_name or "").strip()
    _check(actor, lead, create_person=create_person, company=company, create_company_name=create_company_name,
           lifecycle_stage=lifecycle_stage)  # fmt: skip
    previous = {name: getattr(lead, name) for name in CHANGED_FIELDS}
    lead.lead_status = LeadStatus.CONVERTED
    lead.lifecycle_stage = lifecycle_stage
    created_company = False
    relationship = None
    if create_person:
        lead.kind = Party.Kind.PERSON
    else:
        lead.kind = Party.Kind.COMPANY
        lead.name = create_company_name or lead.company_name or lead.name
        lead.search_key = search_key(lead.name)
        lead.first_name = lead.last_name = lead.job_title = ""
    lead.save(update_fields=[*CHANGED_FIELDS, "updated_at"])
    refresh_search_terms(lead)
    if create_person and create_company_name:
        company = party_create(actor=actor, kind=Party.Kind.COMPANY, fields={"name": create_company_name},
                               owner=lead.owner, team=lead.team)  # fmt: skip
        created_company = True
    if create_person and company is not None:
        relationship = Relationship.objects.create(
            from_party=lead, to_party=company, type=works_at_type(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )  # fmt: skip
    conversion = LeadConversion.objects.create(
        lead=lead, company=company, created_company=created_company, relationship=relationship, previous=previous,
        converted_by=actor if actor is not None and actor.is_authenticated else None,
    )  # fmt: skip
    changes: dict[str, Any] = audit.diff(previous, {name: getattr(lead, name) for name in CHANGED_FIELDS})
    changes.pop("search_key", None)
    if company is not None:
        changes["works_at"] = [None, company.name]
    audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=lead, changes=changes)
    for hook in customer_file.lead_conversion_hooks:
        hook(actor, conversion)
    find_duplicates_of_party(lead)
    return conversion


def _is_referenced(company: Party, conversion: LeadConversion) -> bool:
    """Whether anything but its own data and this conversion points at the company."""
    for relation in [*reverse_relations(), *_own_relations()]:
        model = relation.related_model
        assert isinstance(model, type)
        assert issubclass(model, models.Model)
        if model._meta.label_lower in _OWN_DATA:
            continue
        rows = model._default_manager.filter(**{relation.field.name: company})
        if model is LeadConversion:
            rows = rows.exclude(pk=conversion.pk)
        if rows.exists():
            return True
    return False


def _own_relations() -> list[Any]:
    # reverse_relations() leaves out the tables a merge moves itself; relationships count here.
    return [
        Relationship._meta.get_field("from_party").remote_field,
        Relationship._meta.get_field("to_party").remote_field,
    ]


@transaction.atomic
def lead_conversion_undo(*, actor: User | None, conversion: LeadConversion) -> UndoResult:
    """Turn the converted row back into the lead it was; administrators only.

    The relationship the conversion made is removed, and the company it created is deleted unless
    other records point at it by now (then it is kept and returned in ``company_kept``).
    """
    if actor is not None and not account_access.is_administrator(actor):
        raise PermissionDenied
    conversion = (
        LeadConversion.objects.select_for_update(of=("self", "lead"))
        .select_related("lead", "company")
        .get(pk=conversion.pk)
    )
    if conversion.undone_at is not None:
        raise ConversionError(_("This conversion was already undone."))
    party = conversion.lead
    before = {name: getattr(party, name) for name in CHANGED_FIELDS}
    if conversion.relationship_id is not None:
        Relationship.objects.filter(pk=conversion.relationship_id).delete()
    company_kept = None
    company = conversion.company
    if conversion.created_company and company is not None:
        if _is_referenced(company, conversion):
            company_kept = company
        else:
            party_delete(actor=actor, party=company)
            conversion.company = None  # the column was emptied by the deletion (SET_NULL)
    for name, value in conversion.previous.items():
        if name in CHANGED_FIELDS:
            setattr(party, name, value)
    party.save(update_fields=[*CHANGED_FIELDS, "updated_at"])
    refresh_search_terms(party)
    conversion.undone_by = actor if actor is not None and actor.is_authenticated else None
    conversion.undone_at = timezone.now()
    conversion.save(update_fields=["undone_by", "undone_at"])
    changes: dict[str, Any] = audit.diff(before, {name: getattr(party, name) for name in CHANGED_FIELDS})
    changes.pop("search_key", None)
    changes["conversion"] = ["converted", "undone"]
    audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=party, changes=changes)
    return UndoResult(conversion=conversion, company_kept=company_kept)
