"""The lists of persons, companies and leads in the API: filtered pages, bulk changes, saved views, exports.

The operations call the same filters, selectors and services as the pages (``contacts.filters``,
``contacts.selectors.parties``, ``contacts.services.bulk`` and ``saved_views``, ``contacts.exports``),
so both allow exactly the same.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from ninja import Query, Router
from ninja.responses import Status

from peyvand.accounts import access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common.api import ERROR_RESPONSES, PageOut, PageQuery, paginate
from peyvand.contacts import exports
from peyvand.contacts.filters import parse_filters
from peyvand.contacts.models import Party, SavedView
from peyvand.contacts.models.parties import MODULE_OF_KIND
from peyvand.contacts.schemas_lists import (
    BulkIn,
    BulkOut,
    ExportQuery,
    PartyListItemOut,
    PartyListQuery,
    SavedViewIn,
    SavedViewOut,
    SavedViewRenameIn,
)
from peyvand.contacts.selectors.parties import SORTS, attach_list_details, party_list, with_list_details
from peyvand.contacts.services import bulk, saved_views

router = Router(tags=["Customers"])


def _actor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _page(request: HttpRequest, kind: str, query: PartyListQuery, page: PageQuery) -> Any:
    actor = _actor(request)
    access.require(actor, MODULE_OF_KIND[kind])
    filters = parse_filters(kind, request.GET)
    queryset = with_list_details(party_list(actor=actor, kind=kind, filters=filters, sort=query.sort))
    result = paginate(queryset, ordering=SORTS[query.sort], page=page)
    attach_list_details(result.items)
    return result


def _export(request: HttpRequest, kind: str, query: PartyListQuery, export: ExportQuery) -> HttpResponseBase:
    actor = _actor(request)
    access.require(actor, MODULE_OF_KIND[kind], Action.EXPORT)
    filters = parse_filters(kind, request.GET)
    result = exports.party_export(actor=actor, kind=kind, filters=filters, sort=query.sort, format=export.format)
    return exports.export_response(result)


@router.get("/persons", response={200: PageOut[PartyListItemOut], **ERROR_RESPONSES})
def person_list(request: HttpRequest, query: Query[PartyListQuery], page: Query[PageQuery]) -> Any:
    """Persons you may see, filtered and sorted; filters combine, and one given several times matches any of its values."""
    return _page(request, Party.Kind.PERSON, query, page)


@router.get("/companies", response={200: PageOut[PartyListItemOut], **ERROR_RESPONSES})
def company_list(request: HttpRequest, query: Query[PartyListQuery], page: Query[PageQuery]) -> Any:
    """Companies you may see, filtered and sorted; filters combine, and one given several times matches any of its values."""
    return _page(request, Party.Kind.COMPANY, query, page)


@router.get("/leads", response={200: PageOut[PartyListItemOut], **ERROR_RESPONSES})
def lead_list(request: HttpRequest, query: Query[PartyListQuery], page: Query[PageQuery]) -> Any:
    """Leads you may see, filtered and sorted; filters combine, and one given several times matches any of its values."""
    return _page(request, Party.Kind.LEAD, query, page)


_EXPORT_RESPONSES: dict[Any, Any] = {200: None, **ERROR_RESPONSES}


@router.get("/persons/export", response=_EXPORT_RESPONSES)
def person_export(request: HttpRequest, query: Query[PartyListQuery], export: Query[ExportQuery]) -> HttpResponseBase:
    """The filtered persons you may export, as CSV, XLSX or vCard; sensitive fields only if your role shows them."""
    return _export(request, Party.Kind.PERSON, query, export)


@router.get("/companies/export", response=_EXPORT_RESPONSES)
def company_export(request: HttpRequest, query: Query[PartyListQuery], export: Query[ExportQuery]) -> HttpResponseBase:
    """The filtered companies you may export, as CSV, XLSX or vCard."""
    return _export(request, Party.Kind.COMPANY, query, export)


@router.get("/leads/export", response=_EXPORT_RESPONSES)
def lead_export(request: HttpRequest, query: Query[PartyListQuery], export: Query[ExportQuery]) -> HttpResponseBase:
    """The filtered leads you may export, as CSV, XLSX or vCard; sensitive fields only if your role shows them."""
    return _export(request, Party.Kind.LEAD, query, export)


@router.post("/parties/bulk", response={200: BulkOut, **ERROR_RESPONSES})
def party_bulk(request: HttpRequest, payload: BulkIn) -> bulk.BulkResult:
    """Assign, tag, untag or delete several records at once, in one transaction. Records outside your
    scope for the action (edit; delete for `delete`) are listed in `refused` and left as they were."""
    return bulk.party_bulk(actor=_actor(request), action=payload.action, ids=list(payload.ids),
                           owner=payload.owner, team=payload.team, tags=payload.tags)  # fmt: skip


@router.get("/saved-views", response={200: list[SavedViewOut], **ERROR_RESPONSES})
def saved_view_list(request: HttpRequest, kind: Query[str] = "") -> list[SavedView]:
    """Your own saved views, of one record type (`kind`) or of all of them."""
    actor = _actor(request)
    kinds = [kind] if kind in Party.Kind.values else list(Party.Kind.values)
    return [view for each in kinds for view in saved_views.saved_view_list(actor=actor, kind=each)]


@router.post("/saved-views", response={201: SavedViewOut, **ERROR_RESPONSES})
def saved_view_create(request: HttpRequest, payload: SavedViewIn) -> Status[SavedView]:
    """Save filters and a sort under a name; the query is checked as the list would check it."""
    view = saved_views.saved_view_create(actor=_actor(request), kind=payload.kind, name=payload.name,
                                         query=payload.query)  # fmt: skip
    return Status(201, view)


@router.patch("/saved-views/{view_id}", response={200: SavedViewOut, **ERROR_RESPONSES})
def saved_view_rename(request: HttpRequest, view_id: int, payload: SavedViewRenameIn) -> SavedView:
    """Rename one of your views."""
    actor = _actor(request)
    view = saved_views.access_saved_view(actor, view_id)
    return saved_views.saved_view_rename(actor=actor, view=view, name=payload.name)


@router.delete("/saved-views/{view_id}", response={204: None, **ERROR_RESPONSES})
def saved_view_delete(request: HttpRequest, view_id: int) -> Status[None]:
    """Delete one of your views."""
    actor = _actor(request)
    saved_views.saved_view_delete(actor=actor, view=saved_views.access_saved_view(actor, view_id))
    return Status(204, None)
