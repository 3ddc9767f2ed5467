"""A person's data through the API: the export of everything held about them, and erasure."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common.api import ERROR_RESPONSES, ApiError
from peyvand.contacts.access import access_party
from peyvand.contacts.models import Party
from peyvand.contacts.privacy_forms import PartyEraseForm
from peyvand.contacts.services import privacy

router = Router(tags=["Customers"])


class EraseIn(Schema):
    reason: str = Field(description="Why the person's data is erased (their request); kept in the audit trail.")


class ErasedOut(Schema):
    id: int
    erased_at: str
    removed: dict[str, int] = Field(description="How many rows each part of the erasure changed or removed.")


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _person(request: HttpRequest, party_id: int, action: str) -> Party:
    party = access_party(_actor(request), party_id, action)
    if not privacy.holds_personal_data(party):
        raise Http404  # a company is a legal entity: there is no personal data to export or erase
    return party


@router.get("/parties/{party_id}/personal-data", response={200: None, **ERROR_RESPONSES})
def personal_data_export(request: HttpRequest, party_id: int, format: Literal["json", "csv"] = "json") -> HttpResponse:
    """Everything Peyvand holds about a person or lead: one JSON document, or a zip of one CSV per section.

    Needs the export right on the record and sight of its sensitive fields (otherwise 403: an
    incomplete "all your data" file would mislead). Companies are 404. The export is audited.
    """
    party = _person(request, party_id, Action.EXPORT)
    result = privacy.personal_data_export(actor=_actor(request), party=party, format=format)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.file_name}"'
    return response


@router.post("/parties/{party_id}/erase", response={200: ErasedOut, **ERROR_RESPONSES})
def party_erase(request: HttpRequest, party_id: int, payload: EraseIn) -> dict[str, object]:
    """Erase a person or lead on their request: every personal value blanked, their names, phones and
    emails removed from the timeline, the audit trail and import reports. The record stays as
    "Erased person #id". Needs the delete right on the record; a second erasure is 409."""
    party = _person(request, party_id, Action.DELETE)
    form = PartyEraseForm({"reason": payload.reason}, party=party, with_confirmation=False)
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    try:
        removed = privacy.party_erase(actor=_actor(request), party=party, reason=form.cleaned_data["reason"])
    except privacy.AlreadyErasedError:
        raise ApiError(409, "conflict", _("This person's data was already erased.")) from None
    party.refresh_from_db(fields=["erased_at"])
    assert party.erased_at is not None
    return {"id": party.pk, "erased_at": party.erased_at.isoformat(), "removed": removed}
