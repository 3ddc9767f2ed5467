"""Duplicates: the review list, the comparison of two records, merging and dismissing; lead conversion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts import access as account_access
from peyvand.accounts.permissions import Action
from peyvand.common.pagination import InvalidCursor, keyset_page
from peyvand.common.text import search_key
from peyvand.contacts.access import access_party, can_party, visible_parties
from peyvand.contacts.models import Address, DuplicateCandidate, LeadConversion, Party, SearchTerm
from peyvand.contacts.models.parties import LifecycleStage
from peyvand.contacts.selectors.duplicates import (
    Combined,
    access_candidate,
    combined,
    comparison,
    duplicate_list,
    party_pair,
    possible_duplicates,
    reviewable_kinds,
    with_summaries,
)
from peyvand.contacts.services.conversion import ConversionError, lead_conversion_undo, lead_convert
from peyvand.contacts.services.duplicates import duplicate_dismiss
from peyvand.contacts.services.merge import PRIMARY_FIELDS, MergeError, party_merge

if TYPE_CHECKING:
    from peyvand.accounts.models import User

TEMPLATES = "contacts/duplicates"
PAGE_SIZE = 25
COMPANY_RESULTS = 10
KIND_LABELS: dict[str, Any] = {Party.Kind.PERSON: gettext_lazy("Persons"), Party.Kind.COMPANY: gettext_lazy("Companies"),
               Party.Kind.LEAD: gettext_lazy("Leads")}  # fmt: skip
MIN_QUERY_LENGTH = 2


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# The review list ----------------------------------------------------------------------------------
@login_required
@require_safe
def duplicate_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kinds = reviewable_kinds(actor)
    if not kinds:
        raise PermissionDenied
    kind = request.GET.get("kind") or kinds[0]
    if kind not in kinds:
        kind = kinds[0]
    try:
        page = keyset_page(duplicate_list(actor=actor, kind=kind), ordering="-score", cursor=request.GET.get("cursor"),
                           limit=PAGE_SIZE)  # fmt: skip
    except InvalidCursor:
        return redirect(f"{reverse('contacts:duplicate_list')}?{urlencode({'kind': kind})}")
    next_url = f"?{urlencode({'kind': kind, 'cursor': page.next_cursor})}" if page.next_cursor else None
    return render(request, f"{TEMPLATES}/duplicate_list.html", {
        "kind": kind, "tabs": [(each, KIND_LABELS[each]) for each in kinds],
        "candidates": with_summaries(page.items), "next_page_url": next_url, "first_page_query": urlencode({"kind": kind}),
    })  # fmt: skip


# Comparing and merging -----------------------------------------------------------------------------
def _compare_context(request: HttpRequest, candidate: DuplicateCandidate, *, survivor_id: int | None = None,
                     picked: dict[str, str] | None = None, errors: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    actor = _actor(request)
    pair = party_pair(candidate.first_id, candidate.second_id)
    first, second = pair[candidate.first_id], pair[candidate.second_id]
    may_merge = {
        party.pk: can_party(actor, party, Action.EDIT) and can_party(actor, other, Action.EDIT)
        and can_party(actor, other, Action.DELETE)
        for party, other in ((first, second), (second, first))
    }  # fmt: skip
    survivor_id = survivor_id if survivor_id in pair else (first.pk if may_merge[first.pk] or not may_merge[second.pk]
                                                            else second.pk)  # fmt: skip
    rows = comparison(actor, first, second, survivor_id)
    picked = picked or {}

    def checked(name: str, default: int) -> int:
        value = picked.get(name, "")
        return int(value) if value in (str(first.pk), str(second.pk)) else default

    primaries = []
    for name, point_kind in PRIMARY_FIELDS.items():
        ones = [point for point in first.contact_points.all() if point.kind == point_kind and point.is_primary]
        others = [point for point in second.contact_points.all() if point.kind == point_kind and point.is_primary]
        if ones and others and ones[0].key != others[0].key:
            label = _("Primary phone") if point_kind == "phone" else _("Primary email")
            primaries.append({"name": name, "label": label, "first": ones[0].value, "second": others[0].value,
                              "checked": checked(name, survivor_id)})  # fmt: skip
    return {
        "candidate": candidate, "first": first, "second": second, "survivor_id": survivor_id,
        "differing": [(row, checked(row.name, row.default)) for row in rows if row.differs],
        "same": [row for row in rows if not row.differs and not row.hidden], "primaries": primaries,
        "combined": _combined_rows(combined(first), combined(second)),
        "may_merge": may_merge[survivor_id], "may_merge_other": may_merge[first.pk if survivor_id == second.pk else second.pk],
        "may_dismiss": can_party(actor, first, Action.EDIT) and can_party(actor, second, Action.EDIT),
        "errors": errors or [],
    }  # fmt: skip


def _combined_rows(first: Combined, second: Combined) -> list[dict[str, Any]]:
    """What the merge puts together, one row per part: lists of values, or counts."""

    separator = "، " if get_language_bidi() else ", "

    def values(items: list[Any]) -> list[str]:
        return [getattr(item, "value", None) or str(item) for item in items]

    def addresses(items: list[Address]) -> list[str]:
        return [separator.join(part for part in (item.street, item.city) if part) or "—" for item in items]

    return [
        {"label": _("Phones"), "first": values(first.phones), "second": values(second.phones), "latin": True},
        {"label": _("Emails"), "first": values(first.emails), "second": values(second.emails), "latin": True},
        {"label": _("Other contact points"), "first": values(first.others), "second": values(second.others),
         "latin": True},
        {"label": _("Addresses"), "first": addresses(first.addresses), "second": addresses(second.addresses)},
        {"label": _("Tags"), "first": first.tags, "second": second.tags},
        {"label": _("Relationships"), "first": first.relationships, "second": second.relationships, "count": True},
        {"label": _("Interactions"), "first": first.interactions, "second": second.interactions, "count": True},
    ]  # fmt: skip


@login_required
@require_safe
def duplicate_compare_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access_candidate(_actor(request), candidate_id)
    survivor = request.GET.get("survivor", "")
    context = _compare_context(request, candidate, survivor_id=int(survivor) if survivor.isdigit() else None)
    return render(request, f"{TEMPLATES}/duplicate_compare.html", context)


def _choices_from(request: HttpRequest, survivor: Party, merged: Party) -> dict[str, str]:
    """The form's radios name a record's id for each field; the service wants "survivor" or "merged"."""
    choices = {}
    for key, value in request.POST.items():
        if not key.startswith("field_"):
            continue
        name = key.removeprefix("field_")
        if value == str(merged.pk):
            choices[name] = "merged"
        elif value == str(survivor.pk):
            choices[name] = "survivor"
    return choices


@require_POST
@login_required
def duplicate_merge_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    actor = _actor(request)
    candidate = access_candidate(actor, candidate_id)
    survivor_id = request.POST.get("survivor", "")
    if survivor_id not in (str(candidate.first_id), str(candidate.second_id)):
        context = _compare_context(request, candidate, errors=[_("Choose the record to keep.")])
        return render(request, f"{TEMPLATES}/duplicate_compare.html", context, status=422)
    survivor_pk = int(survivor_id)
    merged_pk = candidate.second_id if survivor_pk == candidate.first_id else candidate.first_id
    survivor = access_party(actor, survivor_pk, Action.EDIT)
    merged = access_party(actor, merged_pk, Action.DELETE)
    choices = _choices_from(request, survivor, merged)
    try:
        party_merge(actor=actor, survivor=survivor, merged=merged, choices=choices)
    except (ValidationError, MergeError) as error:
        texts = [str(text) for text in getattr(error, "messages", [str(error)])]
        picked = {
            key.removeprefix("field_"): str(value) for key, value in request.POST.items() if key.startswith("field_")
        }
        context = _compare_context(request, candidate, survivor_id=survivor_pk, picked=picked, errors=texts)
        return render(request, f"{TEMPLATES}/duplicate_compare.html", context, status=422)
    messages.success(request, _("“%(merged)s” was merged into “%(survivor)s”.") % {
        "merged": merged.name, "survivor": survivor.name})  # fmt: skip
    return redirect("contacts:party_detail", survivor.pk)


@require_POST
@login_required
def duplicate_dismiss_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    actor = _actor(request)
    candidate = access_candidate(actor, candidate_id)
    duplicate_dismiss(actor=actor, candidate=candidate)
    messages.success(request, _("“%(first)s” and “%(second)s” are marked as not duplicates.") % {
        "first": candidate.first.name, "second": candidate.second.name})  # fmt: skip
    back = request.POST.get("next", "")
    if back.isdigit():
        return redirect("contacts:party_detail", int(back))
    return redirect(f"{reverse('contacts:duplicate_list')}?{urlencode({'kind': candidate.kind})}")


# Lead conversion ------------------------------------------------------------------------------------
def _company_results(actor: User, query: str) -> list[Party]:
    """Companies the actor may see whose name, or a word of it, begins with what was typed."""
    key = search_key(query)
    if len(key) < MIN_QUERY_LENGTH:
        return []
    words = SearchTerm.objects.filter(term__startswith=key.split()[0]).values("party_id")
    companies = visible_parties(actor, Party.objects.filter(kind=Party.Kind.COMPANY), kind=Party.Kind.COMPANY)
    found = companies.filter(Q(search_key__startswith=key) | Q(pk__in=words))
    return list(found.order_by("search_key", "pk")[:COMPANY_RESULTS])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lead_convert_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """GET: what the lead becomes (and a company search); POST: convert it."""
    actor = _actor(request)
    lead = access_party(actor, party_id, Action.EDIT)
    if not lead.is_lead:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    company_mode = data.get("company_mode", "new" if lead.company_name else "none")
    context: dict[str, Any] = {
        "lead": lead, "company_mode": company_mode, "query": data.get("q", ""),
        "create_person": data.get("create_person", "on" if request.method != "POST" else "") == "on",
        "company_name": data.get("company_name", lead.company_name), "company_id": data.get("company_id", ""),
        "stages": LifecycleStage.choices, "stage": data.get("lifecycle_stage", LifecycleStage.PROSPECT),
        "errors": {},
    }  # fmt: skip
    context["companies"] = _company_results(actor, context["query"])
    if request.method == "POST" and "search" not in request.POST:
        company = None
        if company_mode == "existing":
            company_id = request.POST.get("company_id", "")
            if company_id.isdigit():
                company = Party.objects.filter(pk=int(company_id), kind=Party.Kind.COMPANY).first()
                if company is not None and not can_party(actor, company, Action.VIEW):
                    company = None
            if company is None:
                context["errors"] = {"company": [_("Search for the company and choose it.")]}
        if not context["errors"]:
            try:
                conversion = lead_convert(
                    actor=actor, lead=lead, create_person=context["create_person"], company=company,
                    create_company_name=context["company_name"] if company_mode == "new" else "",
                    lifecycle_stage=context["stage"],
                )  # fmt: skip
            except ValidationError as error:
                context["errors"] = {"general" if name == "__all__" else name: texts
                                     for name, texts in error.message_dict.items()}  # fmt: skip
            except ConversionError as error:
                context["errors"] = {"general": [str(error)]}
            else:
                messages.success(request, _("The lead “%(name)s” was converted.") % {"name": conversion.lead.name})
                return redirect("contacts:party_detail", conversion.lead_id)
        return render(request, f"{TEMPLATES}/lead_convert.html", context, status=422)
    return render(request, f"{TEMPLATES}/lead_convert.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lead_conversion_undo_view(request: HttpRequest, conversion_id: int) -> HttpResponse:
    """GET asks to confirm; POST undoes. Administrators only."""
    actor = _actor(request)
    account_access.require_administrator(actor)
    conversion = LeadConversion.objects.select_related("lead", "company").filter(pk=conversion_id).first()
    if conversion is None:
        raise Http404
    if request.method != "POST":
        return render(request, f"{TEMPLATES}/lead_conversion_undo.html", {"conversion": conversion})
    try:
        result = lead_conversion_undo(actor=actor, conversion=conversion)
    except ConversionError as error:
        messages.error(request, str(error))
        return redirect("contacts:party_detail", conversion.lead_id)
    messages.success(request, _("The conversion was undone: “%(name)s” is a lead again.") % {
        "name": result.conversion.lead.name})  # fmt: skip
    if result.company_kept is not None:
        messages.warning(request, _("The company “%(name)s” was kept: other records refer to it now.") % {
            "name": result.company_kept.name})  # fmt: skip
    return redirect("contacts:party_detail", conversion.lead_id)


# The customer page's panel ---------------------------------------------------------------------------
def _notice(request: HttpRequest, party: Party) -> list[tuple[DuplicateCandidate, Party]]:
    cached: list[tuple[DuplicateCandidate, Party]] | None = getattr(party, "_peyvand_possible_duplicates", None)
    if cached is None:
        cached = possible_duplicates(request.user, party)
        party._peyvand_possible_duplicates = cached  # type: ignore[attr-defined]
    return cached


def duplicates_panel_visible(request: HttpRequest, party: Party) -> bool:
    return bool(_notice(request, party))


def duplicates_panel_context(request: HttpRequest, party: Party) -> dict[str, Any]:
    return {"party": party, "duplicates": _notice(request, party)}


def conversion_panel_visible(request: HttpRequest, party: Party) -> bool:
    return not party.is_lead and party.lead_status == "converted" and account_access.is_administrator(request.user)


def conversion_panel_context(request: HttpRequest, party: Party) -> dict[str, Any]:
    conversion = LeadConversion.objects.filter(lead=party, undone_at__isnull=True).select_related("company").first()
    return {"party": party, "conversion": conversion}


urlpatterns: list[URLPattern] = [
    path("duplicates/", duplicate_list_view, name="duplicate_list"),
    path("duplicates/<int:candidate_id>/", duplicate_compare_view, name="duplicate_compare"),
    path("duplicates/<int:candidate_id>/merge/", duplicate_merge_view, name="duplicate_merge"),
    path("duplicates/<int:candidate_id>/dismiss/", duplicate_dismiss_view, name="duplicate_dismiss"),
    path("<int:party_id>/convert/", lead_convert_view, name="lead_convert"),
    path("conversions/<int:conversion_id>/undo/", lead_conversion_undo_view, name="lead_conversion_undo"),
]
