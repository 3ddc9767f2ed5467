"""Finding customers through the API: the global search and caller ID for a call-centre screen pop."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from peyvand.common.api import ERROR_RESPONSES
from peyvand.contacts.access import can_any
from peyvand.contacts.selectors import caller_id as caller_id_selectors
from peyvand.contacts.selectors import search as search_selectors

if TYPE_CHECKING:
    from peyvand.accounts.models import User

router = Router(tags=["Customers"])


class SearchHitOut(Schema):
    id: int
    kind: Literal["person", "company", "lead"]
    name: str
    matched: Literal["name", "phone", "email", "national_id", "company_national_id"] = Field(
        description="What the query matched. A national ID is never returned, only that it matched."
    )
    matched_value: str = Field(description="The phone or email address (or company national ID) that matched.")
    url: str = Field(description="The customer's page.")


class SearchOut(Schema):
    query: str
    results: list[SearchHitOut]


class CallerCardOut(Schema):
    id: int
    kind: Literal["person", "company", "lead"]
    name: str
    company: str = Field(description="The company a person works at, or the company a lead named.")
    company_id: int | None
    owner: str
    lifecycle_stage: str
    tags: list[str]
    phone: str = Field(description="The number that matched, as stored.")
    primary_phone: str
    primary_email: str
    last_contact_at: dt.datetime | None
    interaction_count: int
    url: str = Field(description="The customer's page, for the screen pop.")


class CallerIdOut(Schema):
    match: Literal["one", "several", "none"]
    candidates: list[str] = Field(description="The national numbers the caller ID was read as.")
    cards: list[CallerCardOut]


def _actor(request: HttpRequest) -> User:
    actor: User = request.user  # type: ignore[assignment]
    if not can_any(actor):
        raise PermissionDenied
    return actor


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=search_selectors.QUERY_MAX_LENGTH,
                   description="A name (Persian or English), phone number, email or national ID.")  # fmt: skip
    kinds: str = Field("", description="Record types to search, comma-separated: person, company, lead.")
    limit: int = Field(8, ge=1, le=search_selectors.LIMIT_MAX)


class CallerIdQuery(Schema):
    number: str = Field(..., min_length=1, max_length=40, description="The number as the telephone exchange sends it.")
    area_code: str | None = Field(None, description="The exchange's own area code (default: CALLER_ID_AREA_CODE).")


@router.get("/search", response={200: SearchOut, **ERROR_RESPONSES})
def party_search(request: HttpRequest, params: Query[SearchQuery]) -> SearchOut:
    """Persons, companies and leads you may see, best first: names in any spelling, phones in any
    format (the last 4 digits or more), the beginning of an email, a national ID exactly (only if your
    role may see national IDs)."""
    actor = _actor(request)
    kinds = search_selectors.clean_kinds(params.kinds)
    hits = search_selectors.party_search(actor=actor, query=params.q, limit=params.limit, kinds=kinds)
    results = [
        {
            "id": hit.party.pk,
            "kind": hit.party.kind,
            "name": hit.party.name,
            "matched": str(hit.matched),
            "matched_value": hit.matched_value,
            "url": reverse("contacts:party_detail", args=[hit.party.pk]),
        }
        for hit in hits
    ]
    return SearchOut.model_validate({"query": params.q, "results": results})


@router.get("/caller-id", response={200: CallerIdOut, **ERROR_RESPONSES})
def caller_id_lookup(request: HttpRequest, params: Query[CallerIdQuery]) -> caller_id_selectors.CallerId:
    """Who is calling: the customers you may see with this phone number, as cards for a screen pop.

    `match` is `one`, `several` or `none`; a number that cannot be read (`anonymous`) is `none`."""
    actor = _actor(request)
    area_code = caller_id_selectors.clean_area_code(params.area_code)
    return caller_id_selectors.caller_id_lookup(actor=actor, number=params.number, area_code=area_code)
