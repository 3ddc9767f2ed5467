"""The customer record: create, edit, delete, the customer page (the 360° view) and its relationships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts import access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common import calendar, numbers
from peyvand.contacts import geography
from peyvand.contacts.access import can_any, can_party
from peyvand.contacts.forms import ADDRESSES_PREFIX, POINTS_PREFIX, PartyEditor, with_extra_row
from peyvand.contacts.models import ContactPoint, CustomField, Party, Tag
from peyvand.contacts.models.parties import MODULE_OF_KIND, IncomeBand
from peyvand.contacts.registry import customer_file
from peyvand.contacts.relationship_forms import RelationshipForm, picker_results
from peyvand.contacts.selectors.records import (
    PartyFile,
    access_relationship,
    party_file,
    party_with_details,
    relationship_graph,
    relationship_types_for,
)
from peyvand.contacts.services import parties as party_services
from peyvand.contacts.services import relationships as relationship_services

TEMPLATES = "contacts/records"
LIST_URL: dict[str, str] = {Party.Kind.PERSON: "contacts:person_list", Party.Kind.COMPANY: "contacts:company_list",
            Party.Kind.LEAD: "contacts:lead_list"}  # fmt: skip
TAG_SUGGESTIONS = 300


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _reverse_or_none(name: str, args: list[Any] | None = None) -> str | None:
    """A colleague's page that may not be installed (lists, lead conversion)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def kind_labels() -> dict[str, str]:
    return {Party.Kind.PERSON: _("New person"), Party.Kind.COMPANY: _("New company"), Party.Kind.LEAD: _("New lead")}


def list_labels() -> dict[str, str]:
    return {Party.Kind.PERSON: _("Persons"), Party.Kind.COMPANY: _("Companies"), Party.Kind.LEAD: _("Leads")}


def _form_context(request: HttpRequest, editor: PartyEditor, party: Party | None) -> dict[str, Any]:
    return {
        "editor": editor, "form": editor.form, "points": editor.points, "addresses": editor.addresses,
        "party": party, "kind": editor.kind,
        "heading": (_("Edit %(name)s") % {"name": party.name}) if party else kind_labels()[editor.kind],
        "tag_names": list(Tag.objects.order_by("-updated_at").values_list("name", flat=True)[:TAG_SUGGESTIONS]),
        "cancel_url": reverse("contacts:party_detail", args=[party.pk]) if party else
        _reverse_or_none(LIST_URL[editor.kind]) or reverse("home"),
        "points_prefix": POINTS_PREFIX, "addresses_prefix": ADDRESSES_PREFIX,
    }  # fmt: skip


def _edit(request: HttpRequest, *, kind: str, party: Party | None) -> HttpResponse:
    actor = _actor(request)
    data = request.POST if request.method == "POST" else None
    added = request.POST.get("add_row") if data is not None else None
    if data is not None and added in (POINTS_PREFIX, ADDRESSES_PREFIX):
        # "Add a phone" without JavaScript: the same page again, one row longer, nothing lost.
        editor = PartyEditor(actor=actor, kind=kind, party=party, data=with_extra_row(request.POST, added))
        return render(request, f"{TEMPLATES}/party_form.html", {**_form_context(request, editor, party),
                                                                 "unchecked": True})  # fmt: skip
    editor = PartyEditor(actor=actor, kind=kind, party=party, data=data)
    if data is not None and editor.is_valid():
        saved = editor.save()
        if saved is not None:
            text = _("“%(name)s” was saved.") if party else _("“%(name)s” was created.")
            messages.success(request, text % {"name": saved.name})
            return redirect("contacts:party_detail", saved.pk)
    status = 422 if data is not None else 200
    return render(request, f"{TEMPLATES}/party_form.html", _form_context(request, editor, party), status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def party_create_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Party.Kind.values:
        raise Http404
    access.require(_actor(request), MODULE_OF_KIND[kind], Action.CREATE)
    return _edit(request, kind=kind, party=None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def party_edit_view(request: HttpRequest, party_id: int) -> HttpResponse:
    party = party_with_details(_actor(request), party_id, Action.EDIT)
    if party.erased_at is not None:
        messages.error(request, _("This person's data was erased; the record cannot be changed."))
        return redirect("contacts:party_detail", party.pk)
    return _edit(request, kind=party.kind, party=party)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def party_delete_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    actor = _actor(request)
    party = party_with_details(actor, party_id, Action.DELETE)
    if request.method != "POST":
        return render(request, f"{TEMPLATES}/party_delete.html", {"party": party})
    name, kind = party.name, party.kind
    party_services.party_delete(actor=actor, party=party)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
    return redirect(_reverse_or_none(LIST_URL[kind]) or reverse("home"))


@login_required
@require_safe
def party_detail_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """The customer page: who they are, how to reach them, their links, and every app's panels."""
    actor = _actor(request)
    party = party_with_details(actor, party_id)
    record = party_file(actor, party)
    may_edit = can_party(actor, party, Action.EDIT) and party.erased_at is None
    convert_url = None
    if party.is_lead and may_edit:
        convert_url = _reverse_or_none("contacts:lead_convert", [party.pk])
    main_panels = [{"panel": panel, "data": panel.context(request, party)}
                   for panel in customer_file.panels_for(request, party, "main")]  # fmt: skip
    side_panels = [{"panel": panel, "data": panel.context(request, party)}
                   for panel in customer_file.panels_for(request, party, "side")]  # fmt: skip
    separator = "، " if get_language_bidi() else ", "
    for address in record.addresses:
        parts = [address.city, geography.province_label(address.province) if address.province else ""]
        address.place = separator.join(part for part in parts if part)  # type: ignore[attr-defined]
    return render(request, f"{TEMPLATES}/party_detail.html", {
        "party": party, "record": record, "figures": customer_file.figures_for(request, party),
        "graph": relationship_graph(party, record.links, rtl=get_language_bidi()),
        "main_panels": main_panels, "side_panels": side_panels,
        "may_edit": may_edit, "may_delete": can_party(actor, party, Action.DELETE), "convert_url": convert_url,
        "relationship_form": RelationshipForm(party=party, types=list(relationship_types_for(party))) if may_edit else None,
        "list_url": _reverse_or_none(LIST_URL[party.kind]), "list_separator": separator, "list_label": list_labels()[party.kind],
        "details": detail_rows(request, party, record),
        "phone": ContactPoint.Kind.PHONE, "email": ContactPoint.Kind.EMAIL,
        "social": ContactPoint.Kind.SOCIAL, "website": ContactPoint.Kind.WEBSITE,
    })  # fmt: skip


def detail_rows(request: HttpRequest, party: Party, record: PartyFile) -> list[dict[str, Any]]:
    """The "Details" of the customer page: only what is known; sensitive fields shown or masked."""
    preference = getattr(request.user, "digits", None)
    rows: list[dict[str, Any]] = []

    def add(label: Any, text: Any, **extra: Any) -> None:
        if text not in (None, "", []) or extra.get("masked"):
            rows.append({"label": label, "text": text, **extra})

    if party.is_company:
        add(_("Company national ID"), numbers.shape_digits(party.company_national_id, preference), ltr=True)
        add(_("Economic code"), numbers.shape_digits(party.economic_code, preference), ltr=True)
        add(_("Size"), party.get_size_display() if party.size else "")
    sensitive_labels = {"national_id": _("National ID"), "birth_date": _("Birth date"), "income_band": _("Income band")}
    for name, label in sensitive_labels.items():
        if name in record.hidden_sensitive:
            add(label, "", masked=True)
        elif record.sensitive.get(name):
            value = record.sensitive[name]
            if name == "birth_date":
                text = numbers.shape_digits(calendar.format_date_long(value), preference)
            elif name == "income_band":
                text = str(IncomeBand(value).label) if value in IncomeBand.values else value
            else:
                text = numbers.shape_digits(value, preference)
            add(label, text, ltr=name == "national_id")
    add(_("Gender"), party.get_gender_display() if party.gender else "")
    add(_("Education"), party.get_education_display() if party.education else "")
    add(_("Occupation"), party.occupation)
    add(_("Source"), party.source.label if party.source else "")
    add(_("Category"), party.category.label if party.category else "")
    add(_("Interests"), party.interests)
    add(_("Values and lifestyle"), party.lifestyle)
    for value in record.custom_values:
        text = value.text
        if value.field.field_type == CustomField.Type.MONEY:
            text = numbers.format_money(value.value, preference)
        elif value.field.field_type == CustomField.Type.DATE:
            text = numbers.shape_digits(calendar.format_date(dt.date.fromisoformat(value.value)), preference)
        add(value.field.display_label, text, url=value.field.field_type == CustomField.Type.LINK)
    add(_("Notes"), party.description)
    add(_("Created"), numbers.shape_digits(calendar.format_date_long(party.created_at), preference))
    return rows


# Relationships -------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def relationship_create_view(request: HttpRequest, party_id: int) -> HttpResponse:
    """Link the party to another; GET is the form (with the picker's results), POST adds the link."""
    actor = _actor(request)
    party = party_with_details(actor, party_id)
    if not can_party(actor, party, Action.EDIT):
        raise PermissionDenied
    types = list(relationship_types_for(party))
    form = RelationshipForm(request.POST if request.method == "POST" else None, party=party, types=types,
                            actor=actor, query=request.GET.get("q", ""))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        from_party, to_party = form.ends()
        try:
            relationship_services.relationship_create(actor=actor, from_party=from_party, to_party=to_party,
                                                      type=form.cleaned_data["type"], note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
        except PermissionDenied:
            form.add_error("other", _("You may not link these two records."))
        else:
            messages.success(request, _("The link was added."))
            return redirect("contacts:party_detail", party.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, f"{TEMPLATES}/relationship_form.html", {"party": party, "form": form}, status=status)


@login_required
@require_POST
def relationship_delete_view(request: HttpRequest, relationship_id: int) -> HttpResponse:
    actor = _actor(request)
    relationship = access_relationship(actor, relationship_id)
    back = (
        relationship.to_party if str(relationship.to_party_id) == request.POST.get("party") else relationship.from_party
    )
    relationship_services.relationship_delete(actor=actor, relationship=relationship)
    messages.success(request, _("The link was removed."))
    return redirect("contacts:party_detail", back.pk)


@login_required
@require_safe
def party_picker_view(request: HttpRequest) -> HttpResponse:
    """The picker's results as you type: visible parties whose name begins with the words typed."""
    actor = _actor(request)
    if not can_any(actor):
        raise PermissionDenied
    exclude = request.GET.get("exclude", "")
    results = picker_results(actor, request.GET.get("q", ""), exclude=int(exclude) if exclude.isdigit() else None)
    return render(request, f"{TEMPLATES}/_picker_results.html", {"results": results, "query": request.GET.get("q", "")})


urlpatterns: list[URLPattern] = [
    path("new/<str:kind>/", party_create_view, name="party_create"),
    path("<int:party_id>/", party_detail_view, name="party_detail"),
    path("<int:party_id>/edit/", party_edit_view, name="party_edit"),
    path("<int:party_id>/delete/", party_delete_view, name="party_delete"),
    path("<int:party_id>/relationships/new/", relationship_create_view, name="relationship_create"),
    path("relationships/<int:relationship_id>/delete/", relationship_delete_view, name="relationship_delete"),
    path("pick/", party_picker_view, name="party_picker"),
]
