"""The persons, companies and leads lists: filters, sort, saved views, bulk actions and exports.

The pages are thin: filters are read by ``contacts.filters``, rows come from
``contacts.selectors.parties``, changes go through ``contacts.services.bulk`` and
``contacts.services.saved_views``, files through ``contacts.exports`` — the same functions the API
calls.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, re_path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from peyvand.accounts import access
from peyvand.accounts.models import Team, User
from peyvand.accounts.permissions import Action
from peyvand.common.pagination import InvalidCursor, keyset_page
from peyvand.contacts import exports
from peyvand.contacts.filters import NOT_FILTERS, PartyFilterForm, PartyFilters
from peyvand.contacts.models import ContactPoint, Party
from peyvand.contacts.models.parties import MODULE_OF_KIND
from peyvand.contacts.selectors.parties import (
    DEFAULT_SORT,
    SORT_LABELS,
    SORTS,
    attach_list_details,
    party_list,
    primary_point,
    with_list_details,
)
from peyvand.contacts.services import bulk, saved_views

PAGE_SIZE = 50
KIND_OF_PLURAL = {"persons": Party.Kind.PERSON, "companies": Party.Kind.COMPANY, "leads": Party.Kind.LEAD}
PLURAL_OF_KIND: dict[str, str] = {kind: plural for plural, kind in KIND_OF_PLURAL.items()}
LIST_URL: dict[str, str] = {Party.Kind.PERSON: "contacts:person_list", Party.Kind.COMPANY: "contacts:company_list",
            Party.Kind.LEAD: "contacts:lead_list"}  # fmt: skip
TITLES: dict[str, Any] = {Party.Kind.PERSON: gettext_lazy("Persons"), Party.Kind.COMPANY: gettext_lazy("Companies"),
          Party.Kind.LEAD: gettext_lazy("Leads")}  # fmt: skip
NEW_LABELS: dict[str, Any] = {Party.Kind.PERSON: gettext_lazy("New person"), Party.Kind.COMPANY: gettext_lazy("New company"),
              Party.Kind.LEAD: gettext_lazy("New lead")}  # fmt: skip
EMPTY_TITLES: dict[str, Any] = {Party.Kind.PERSON: gettext_lazy("No persons yet"), Party.Kind.COMPANY: gettext_lazy("No companies yet"),
                Party.Kind.LEAD: gettext_lazy("No leads yet")}  # fmt: skip
EMPTY_TEXTS: dict[str, Any] = {
    Party.Kind.PERSON: gettext_lazy("Individual customers appear here once you add them or import a file."),
    Party.Kind.COMPANY: gettext_lazy("The companies you work with appear here once you add them or import a file."),
    Party.Kind.LEAD: gettext_lazy("People who showed interest but are not customers yet appear here."),
}
NO_MATCH_TITLES: dict[str, Any] = {Party.Kind.PERSON: gettext_lazy("No person matches these filters"),
                   Party.Kind.COMPANY: gettext_lazy("No company matches these filters"),
                   Party.Kind.LEAD: gettext_lazy("No lead matches these filters")}  # fmt: skip
# The filters shown above the list; the rest are under "More filters".
MAIN_FILTERS = ("name", "name_op", "stage", "owner", "tag")


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _kind_of(plural: str) -> str:
    try:
        return KIND_OF_PLURAL[plural]
    except KeyError:
        raise Http404 from None


def _query_without(query: QueryDict, *names: str) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _query_with_cursor(query: QueryDict, cursor: str) -> str:
    kept = query.copy()
    kept["cursor"] = cursor
    return kept.urlencode()


def _create_url(kind: str) -> str | None:
    try:
        return reverse("contacts:party_create", args=[kind])
    except NoReverseMatch:  # the record pages are not installed
        return None


def _has_filters(query: QueryDict) -> bool:
    return any(value.strip() for name in query if name not in NOT_FILTERS for value in query.getlist(name))


def _detail_url(pk: int) -> str | None:
    try:
        return reverse("contacts:party_detail", args=[pk])
    except NoReverseMatch:  # the record pages are not installed
        return None


def _rows(parties: list[Party]) -> list[dict[str, Any]]:
    return [
        {
            "party": party,
            "url": _detail_url(party.pk),
            "phone": primary_point(party, ContactPoint.Kind.PHONE),
            "email": primary_point(party, ContactPoint.Kind.EMAIL),
            "tags": party.list_tags,  # type: ignore[attr-defined]  # attach_list_details
        }
        for party in parties
    ]


def _list_page(request: HttpRequest, kind: str) -> HttpResponse:
    actor = _actor(request)
    module = MODULE_OF_KIND[kind]
    access.require(actor, module)
    query = request.GET
    sort = query.get("sort") or DEFAULT_SORT
    sort = sort if sort in SORTS else DEFAULT_SORT
    filtered = _has_filters(query)
    form = PartyFilterForm(query if filtered else None, kind=kind)
    filters: PartyFilters | None = form.filters() if filtered and form.is_valid() else None
    if filtered and filters is None:
        parties, next_cursor = [], None
    else:
        queryset = with_list_details(party_list(actor=actor, kind=kind, filters=filters, sort=sort))
        try:
            page = keyset_page(queryset, ordering=SORTS[sort], cursor=query.get("cursor"), limit=PAGE_SIZE)
        except InvalidCursor:
            page = keyset_page(queryset, ordering=SORTS[sort], cursor=None, limit=PAGE_SIZE)
        parties, next_cursor = attach_list_details(page.items), page.next_cursor
    views = list(saved_views.saved_view_list(actor=actor, kind=kind))
    current_view = next((view for view in views if str(view.pk) == query.get("view")), None)
    may_edit, may_delete = access.can(actor, module, Action.EDIT), access.can(actor, module, Action.DELETE)
    list_query = _query_without(query, "cursor")
    context = {
        "kind": kind, "plural": PLURAL_OF_KIND[kind], "title": TITLES[kind], "new_label": NEW_LABELS[kind],
        "empty_title": EMPTY_TITLES[kind], "empty_text": EMPTY_TEXTS[kind], "no_match_title": NO_MATCH_TITLES[kind],
        "create_url": _create_url(kind) if access.can(actor, module, Action.CREATE) else None,
        "form": form, "main_fields": [form[name] for name in MAIN_FILTERS if name in form.fields],
        "more_fields": [form[name] for name in form.fields if name not in MAIN_FILTERS],
        "more_open": bool(form.errors) or any(
            name in query for name in form.fields if name not in MAIN_FILTERS and query.get(name, "").strip()
        ),
        "filtered": filtered, "filter_errors": bool(form.errors),
        "sort": sort, "sorts": [(value, SORT_LABELS[value]) for value in SORTS],
        "rows": _rows(parties), "is_first_page": not query.get("cursor"),
        "next_page_url": f"?{_query_with_cursor(query, next_cursor)}" if next_cursor else None,
        "first_page_url": f"?{list_query}" if list_query else request.path,
        "list_query": list_query, "saved_query": _query_without(query, "cursor", "view"),
        "saved_views": views, "current_view": current_view,
        "may_edit": may_edit, "may_delete": may_delete, "may_bulk": may_edit or may_delete,
        "may_export": access.can(actor, module, Action.EXPORT) and not form.errors,
        "export_formats": [("csv", _("CSV")), ("xlsx", _("Excel (XLSX)")), ("vcard", _("vCard"))],
        "owners": form.owner_names() if may_edit else [],
        "teams": Team.objects.filter(is_active=True).order_by("path").values_list("pk", "name") if may_edit else [],
    }  # fmt: skip
    return render(request, "contacts/lists/party_list.html", context)


@login_required
@require_safe
def person_list_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, Party.Kind.PERSON)


@login_required
@require_safe
def company_list_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, Party.Kind.COMPANY)


@login_required
@require_safe
def lead_list_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, Party.Kind.LEAD)


# Exports ------------------------------------------------------------------------------------------
@login_required
@require_safe
def party_export_view(request: HttpRequest, plural: str) -> HttpResponseBase:
    kind = _kind_of(plural)
    actor = _actor(request)
    access.require(actor, MODULE_OF_KIND[kind], Action.EXPORT)
    query = request.GET
    export_format = query.get("format", "csv")
    if export_format not in exports.FORMATS:
        raise Http404
    sort = query.get("sort") if query.get("sort") in SORTS else DEFAULT_SORT
    form = PartyFilterForm(query, kind=kind)
    if not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse(LIST_URL[kind])}?{_query_without(query, 'format', 'cursor')}")
    result = exports.party_export(actor=actor, kind=kind, filters=form.filters(), sort=str(sort), format=export_format)
    return exports.export_response(result)


# Bulk actions -------------------------------------------------------------------------------------
def _back(request: HttpRequest, kind: str) -> HttpResponse:
    query = request.POST.get("next_query", "")
    url = reverse(LIST_URL[kind])
    target = f"{url}?{query}" if query else url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = url
    return redirect(target)


def _report(request: HttpRequest, action: str, result: bulk.BulkResult) -> None:
    count = len(result.changed)
    if action == "delete":
        text = ngettext("%(count)s record was deleted.", "%(count)s records were deleted.", count)
    else:
        text = ngettext("%(count)s record was changed.", "%(count)s records were changed.", count)
    messages.success(request, text % {"count": count})
    if result.unchanged:
        unchanged = len(result.unchanged)
        messages.info(request, ngettext("%(count)s record already was as asked.",
                                        "%(count)s records already were as asked.", unchanged) % {"count": unchanged})  # fmt: skip
    if result.refused:
        refused = len(result.refused)
        messages.warning(request, ngettext(
            "%(count)s selected record is not yours to change and was left as it was.",
            "%(count)s selected records are not yours to change and were left as they were.", refused,
        ) % {"count": refused})  # fmt: skip
    if result.out_of_sight:
        hidden = len(result.out_of_sight)
        messages.warning(request, ngettext(
            "%(count)s record was left as it was: you would lose sight of it. Keep yourself its owner or give it to one of your teams.",
            "%(count)s records were left as they were: you would lose sight of them. Keep yourself their owner or give them to one of your teams.",
            hidden,
        ) % {"count": hidden})  # fmt: skip


@login_required
@require_POST
def party_bulk_view(request: HttpRequest, plural: str) -> HttpResponse:
    kind = _kind_of(plural)
    actor = _actor(request)
    module = MODULE_OF_KIND[kind]
    if not (access.can(actor, module, Action.EDIT) or access.can(actor, module, Action.DELETE)):
        raise PermissionDenied
    action = request.POST.get("action", "")
    ids = request.POST.getlist("ids")
    if action == "delete" and not request.POST.get("confirmed"):
        if not ids:
            messages.error(request, _("Select at least one record."))
            return _back(request, kind)
        return render(request, "contacts/lists/bulk_delete_confirm.html", {
            "kind": kind, "plural": plural, "ids": ids, "count": len(ids), "title": TITLES[kind],
            "next_query": request.POST.get("next_query", ""), "list_url": reverse(LIST_URL[kind]),
        })  # fmt: skip
    try:
        result = bulk.party_bulk(actor=actor, action=action, ids=ids, owner=request.POST.get("owner", ""),
                          team=request.POST.get("team", ""), tags=bulk.tag_names(request.POST.get("tags", "")))  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(request, kind)
    _report(request, action, result)
    return _back(request, kind)


# Saved views ----------------------------------------------------------------------------------------
@login_required
@require_POST
def saved_view_create_view(request: HttpRequest, plural: str) -> HttpResponse:
    kind = _kind_of(plural)
    actor = _actor(request)
    access.require(actor, MODULE_OF_KIND[kind])
    query = request.POST.get("query", "")
    try:
        view = saved_views.saved_view_create(actor=actor, kind=kind, name=request.POST.get("name", ""), query=query)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse(LIST_URL[kind])}?{query}" if query else reverse(LIST_URL[kind]))
    messages.success(request, _("The view “%(name)s” was saved.") % {"name": view.name})
    return redirect(_view_url(view))


def _view_url(view: Any) -> str:
    separator = "&" if view.query else ""
    return f"{reverse(LIST_URL[view.kind])}?{view.query}{separator}view={view.pk}"


@login_required
@require_POST
def saved_view_rename_view(request: HttpRequest, view_id: int) -> HttpResponse:
    actor = _actor(request)
    view = saved_views.access_saved_view(actor, view_id)
    try:
        saved_views.saved_view_rename(actor=actor, view=view, name=request.POST.get("name", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The view was renamed to “%(name)s”.") % {"name": view.name})
    return redirect(_view_url(view))


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    actor = _actor(request)
    view = saved_views.access_saved_view(actor, view_id)
    name, kind = view.name, view.kind
    saved_views.saved_view_delete(actor=actor, view=view)
    messages.success(request, _("The view “%(name)s” was deleted.") % {"name": name})
    return redirect(reverse(LIST_URL[kind]))


_PLURALS = r"(?P<plural>persons|companies|leads)"
urlpatterns: list[URLPattern] = [
    path("persons/", person_list_view, name="person_list"),
    path("companies/", company_list_view, name="company_list"),
    path("leads/", lead_list_view, name="lead_list"),
    re_path(rf"^{_PLURALS}/export/$", party_export_view, name="party_export"),
    re_path(rf"^{_PLURALS}/bulk/$", party_bulk_view, name="party_bulk"),
    re_path(rf"^{_PLURALS}/saved-views/$", saved_view_create_view, name="saved_view_create"),
    path("saved-views/<int:view_id>/rename/", saved_view_rename_view, name="saved_view_rename"),
    path("saved-views/<int:view_id>/delete/", saved_view_delete_view, name="saved_view_delete"),
]
