"""Duplicates, merges and lead conversions through the API: the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from peyvand.accounts import access as account_access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common.api import ERROR_RESPONSES, ApiError, PageOut, PageQuery, paginate
from peyvand.contacts.access import access_party
from peyvand.contacts.models import DuplicateCandidate, LeadConversion, Party
from peyvand.contacts.schemas_duplicates import (
    ConversionOut,
    ConversionUndoOut,
    ConvertIn,
    DuplicateFilters,
    DuplicateOut,
    MergeIn,
    MergeOut,
)
from peyvand.contacts.selectors import duplicates as selectors
from peyvand.contacts.services import conversion as conversion_services
from peyvand.contacts.services import duplicates as duplicate_services
from peyvand.contacts.services import merge as merge_services

router = Router(tags=["Customers"])


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's field names as the client sent them ("choices.job_title", "company_id")."""
    return ValidationError({names.get(name, name): messages for name, messages in error.message_dict.items()})


@router.get("/duplicates", response={200: PageOut[DuplicateOut], **ERROR_RESPONSES})
def duplicate_list(request: HttpRequest, filters: Query[DuplicateFilters], page: Query[PageQuery]) -> Any:
    """Pairs of records that look like the same customer, the most alike first; both records visible to you."""
    actor = _actor(request)
    if filters.kind not in selectors.reviewable_kinds(actor):
        raise PermissionDenied
    return paginate(selectors.duplicate_list(actor=actor, kind=filters.kind), ordering="-score", page=page)


@router.post("/duplicates/{candidate_id}/dismiss", response={200: DuplicateOut, **ERROR_RESPONSES})
def duplicate_dismiss(request: HttpRequest, candidate_id: int) -> DuplicateCandidate:
    """Mark a pair as not duplicates: it is never proposed again."""
    actor = _actor(request)
    return duplicate_services.duplicate_dismiss(actor=actor, candidate=selectors.access_candidate(actor, candidate_id))


@router.post("/parties/{party_id}/merge", response={200: MergeOut, **ERROR_RESPONSES})
def party_merge(request: HttpRequest, party_id: int, payload: MergeIn) -> dict[str, Any]:
    """Merge another record of the same type into this one, which survives; the other is deleted."""
    actor = _actor(request)
    survivor = access_party(actor, party_id, Action.EDIT)
    merged = access_party(actor, payload.merged_id, Action.DELETE)
    try:
        result = merge_services.party_merge(actor=actor, survivor=survivor, merged=merged, choices=payload.choices)
    except merge_services.MergeError as error:
        raise ApiError(409, "conflict", str(error)) from None
    except ValidationError as error:
        raise _renamed(error, {name: f"choices.{name}" for name in error.message_dict}) from None
    return {"survivor": result.survivor, "merged_id": merged.pk, "moved": result.moved}


def _conversion_out(conversion: LeadConversion) -> dict[str, Any]:
    return {
        "id": conversion.pk, "party": conversion.lead, "company": conversion.company,
        "created_company": conversion.created_company, "relationship_id": conversion.relationship_id,
        "converted_at": conversion.converted_at, "undone_at": conversion.undone_at,
    }  # fmt: skip


@router.post("/leads/{party_id}/convert", response={201: ConversionOut, **ERROR_RESPONSES})
def lead_convert(request: HttpRequest, party_id: int, payload: ConvertIn) -> Status:
    """Convert a lead into a person (linked to an existing or a new company) or into a company; it keeps its id."""
    actor = _actor(request)
    lead = access_party(actor, party_id, Action.EDIT)
    if not lead.is_lead:
        raise ApiError(409, "conflict", _("Only a lead can be converted."))
    company = None
    if payload.company_id is not None:
        try:
            company = access_party(actor, payload.company_id, Action.VIEW)
        except Http404:
            raise ValidationError({"company_id": [_("There is no such company you may see.")]}) from None
        if company.kind != Party.Kind.COMPANY:
            raise ValidationError({"company_id": [_("Choose a company.")]})
    try:
        conversion = conversion_services.lead_convert(
            actor=actor, lead=lead, create_person=payload.create_person, company=company,
            create_company_name=payload.create_company_name, lifecycle_stage=payload.lifecycle_stage,
        )  # fmt: skip
    except conversion_services.ConversionError as error:
        raise ApiError(409, "conflict", str(error)) from None
    except ValidationError as error:
        raise _renamed(error, {"company": "company_id"}) from None
    return Status(201, _conversion_out(conversion))


@router.post("/lead-conversions/{conversion_id}/undo", response={200: ConversionUndoOut, **ERROR_RESPONSES})
def lead_conversion_undo(request: HttpRequest, conversion_id: int) -> dict[str, Any]:
    """Turn a converted record back into the lead it was (administrators only)."""
    actor = _actor(request)
    account_access.require_administrator(actor)
    conversion = LeadConversion.objects.select_related("lead", "company").filter(pk=conversion_id).first()
    if conversion is None:
        raise Http404
    try:
        result = conversion_services.lead_conversion_undo(actor=actor, conversion=conversion)
    except conversion_services.ConversionError as error:
        raise ApiError(409, "conflict", str(error)) from None
    conversion = result.conversion
    return {**_conversion_out(conversion), "company": conversion.company if result.company_kept else None,
            "company_kept": result.company_kept is not None}  # fmt: skip
