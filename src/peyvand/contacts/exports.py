"""Exports of the persons, companies and leads lists: CSV, XLSX and vCard 3.0.

An export holds exactly the rows of the filtered list that the actor may both see and export
(the ``export`` action of the kind's module), in the list's order. Sensitive personal fields
appear only for roles granted them, decrypted; for the others their columns are left out. Custom
fields are columns. Cells that a spreadsheet would run as a formula are neutralised in CSV and
XLSX alike. Every export is recorded in the audit trail with the filters that chose its rows.

Rows are read in chunks and written as they come: CSV and vCard stream to the client, XLSX is
written row by row (openpyxl's write-only mode) to a temporary file, which is then sent.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import vobject
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from peyvand.accounts import access, audit
from peyvand.accounts.permissions import Action
from peyvand.common.calendar import format_date, format_datetime
from peyvand.common.csv import neutralize, stream_rows
from peyvand.contacts import geography, sensitive
from peyvand.contacts.access import sensitive_fields_for
from peyvand.contacts.custom_fields import active_fields, display_value
from peyvand.contacts.filters import PartyFilters
from peyvand.contacts.models import Address, ContactPoint, CustomField, Party
from peyvand.contacts.models.parties import MODULE_OF_KIND, IncomeBand
from peyvand.contacts.selectors.parties import party_list

if TYPE_CHECKING:
    from peyvand.accounts.models import User

FORMATS = ("csv", "xlsx", "vcard")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "vcard": "text/vcard; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "vcard": "vcf"}
CHUNK_SIZE = 500


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Party], Any]


def _points(party: Party, kind: str) -> list[ContactPoint]:
    return [point for point in getattr(party, "export_points", ()) if point.kind == kind]


def _joined(party: Party, kind: str) -> str:
    return " | ".join(point.value for point in _points(party, kind))


def _address(party: Party) -> Address | None:
    addresses = getattr(party, "export_addresses", ())
    return addresses[0] if addresses else None


def _display(party: Party, name: str) -> str:
    return str(getattr(party, f"get_{name}_display")()) if getattr(party, name) else ""


def _moment(value: dt.datetime | None) -> str:
    return format_datetime(value) if value else ""


def columns_for(actor: User, kind: str, custom_fields: list[CustomField]) -> list[Column]:
    """The export's columns for ``actor``: sensitive ones only when granted, custom fields last."""
    personal = kind in (Party.Kind.PERSON, Party.Kind.LEAD)
    columns = [Column(_("Record number"), lambda party: party.pk), Column(_("Name"), lambda party: party.name)]
    if personal:
        columns += [
            Column(_("First name"), lambda party: party.first_name),
            Column(_("Last name"), lambda party: party.last_name),
            Column(_("Job title"), lambda party: party.job_title),
        ]
    if kind == Party.Kind.LEAD:
        columns += [
            Column(_("Company name"), lambda party: party.company_name),
            Column(_("Lead status"), lambda party: _display(party, "lead_status")),
        ]
    if kind == Party.Kind.COMPANY:
        columns += [
            Column(_("Company national ID"), lambda party: party.company_national_id),
            Column(_("Economic code"), lambda party: party.economic_code),
            Column(_("Size"), lambda party: _display(party, "size")),
        ]
    if personal:
        columns += [
            Column(_("Gender"), lambda party: _display(party, "gender")),
            Column(_("Education"), lambda party: _display(party, "education")),
            Column(_("Occupation"), lambda party: party.occupation),
        ]
    columns += [
        Column(_("Lifecycle stage"), lambda party: _display(party, "lifecycle_stage")),
        Column(_("Source"), lambda party: party.source.label if party.source else ""),
        Column(_("Category"), lambda party: party.category.label if party.category else ""),
        Column(_("Preferred channel"), lambda party: _display(party, "preferred_channel")),
        Column(_("Phones"), lambda party: _joined(party, ContactPoint.Kind.PHONE)),
        Column(_("Emails"), lambda party: _joined(party, ContactPoint.Kind.EMAIL)),
        Column(_("Websites"), lambda party: _joined(party, ContactPoint.Kind.WEBSITE)),
        Column(_("Province"), lambda party: geography.province_label(a.province) if (a := _address(party)) else ""),
        Column(_("City"), lambda party: a.city if (a := _address(party)) else ""),
        Column(pgettext("postal address", "Address"), lambda party: a.street if (a := _address(party)) else ""),
        Column(_("Postal code"), lambda party: a.postal_code if (a := _address(party)) else ""),
        Column(_("Tags"), lambda party: ", ".join(tag.name for tag in party.tags.all())),
        Column(_("Owner"), lambda party: str(party.owner) if party.owner else ""),
        Column(_("Team"), lambda party: party.team.name if party.team else ""),
        Column(_("Created"), lambda party: _moment(party.created_at)),
        Column(_("Last contact"), lambda party: _moment(party.last_contact_at)),
        Column(_("Interactions"), lambda party: party.interaction_count),
    ]
    shown = sensitive_fields_for(actor, kind)
    if "national_id" in shown:
        columns.append(Column(_("National ID"), lambda party: sensitive.read(party, "national_id") or ""))
    if "birth_date" in shown:
        columns.append(Column(_("Birth date"), lambda party: format_date(sensitive.read(party, "birth_date"))))
    if "income_band" in shown:
        columns.append(Column(_("Income band"), _income_band))
    for custom in custom_fields:
        columns.append(Column(custom.display_label, _custom_value(custom)))
    return columns


def _income_band(party: Party) -> str:
    value = sensitive.read(party, "income_band")
    return str(dict(IncomeBand.choices).get(value, value)) if value else ""


def _custom_value(custom: CustomField) -> Callable[[Party], str]:
    return lambda party: display_value(custom, (party.custom or {}).get(custom.key))


def export_queryset(*, actor: User, kind: str, filters: PartyFilters | None, sort: str) -> models.QuerySet[Party]:
    """The rows of the export, with everything its columns read prefetched (a few queries per chunk)."""
    points = ContactPoint.objects.order_by("party", "kind", "-is_primary", "pk")
    addresses = Address.objects.order_by("party", "-is_primary", "pk")
    return (
        party_list(actor=actor, kind=kind, filters=filters, sort=sort, action=Action.EXPORT)
        .select_related("owner", "team", "source", "category")
        .prefetch_related(
            Prefetch("contact_points", queryset=points, to_attr="export_points"),
            Prefetch("addresses", queryset=addresses, to_attr="export_addresses"),
            "tags",
        )
    )


@dataclass
class Export:
    """What the page or the API sends: ``content`` (an iterator of text, or an open temporary file)."""

    format: str
    filename: str
    content_type: str
    content: Iterator[str] | IO[bytes]


def party_export(*, actor: User, kind: str, filters: PartyFilters | None, sort: str, format: str) -> Export:
    """The export of a list in ``format`` (one of FORMATS), recorded in the audit trail.

    Refused (``PermissionDenied``) unless the actor may export some records of the kind.
    """
    assert format in FORMATS, format
    module = MODULE_OF_KIND[kind]
    if not access.can(actor, module, Action.EXPORT):
        raise PermissionDenied
    used = {"kind": kind, "format": format, "sort": sort, **(filters.params if filters else {})}
    audit.record_export(actor=actor, object_type="contacts.party", label=str(_plural_label(kind)), filters=used)
    queryset = export_queryset(actor=actor, kind=kind, filters=filters, sort=sort)
    custom_fields = active_fields(kind)
    language = translation.get_language()
    filename = f"{module}-{timezone.localtime():%Y%m%d-%H%M}.{EXTENSIONS[format]}"
    content: Iterator[str] | IO[bytes]
    if format == "csv":
        content = _csv(actor, kind, queryset, custom_fields, language)
    elif format == "xlsx":
        content = _xlsx(actor, kind, queryset, custom_fields)
    else:
        content = _vcards(actor, kind, queryset, language)
    return Export(format=format, filename=filename, content_type=CONTENT_TYPES[format], content=content)


def _plural_label(kind: str) -> str:
    labels: dict[str, str] = {Party.Kind.PERSON: _("Persons"), Party.Kind.COMPANY: _("Companies"),
                              Party.Kind.LEAD: _("Leads")}  # fmt: skip
    return labels[kind]


def _rows(columns: list[Column], queryset: models.QuerySet[Party]) -> Iterator[list[Any]]:
    yield [column.header for column in columns]
    for party in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [column.value(party) for column in columns]


def _csv(actor: User, kind: str, queryset: models.QuerySet[Party], custom_fields: list[CustomField],
         language: str) -> Iterator[str]:  # fmt: skip
    # Runs while the response streams, after the view has returned: the language is set again.
    with translation.override(language):
        yield from stream_rows(_rows(columns_for(actor, kind, custom_fields), queryset))


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", neutralize(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, whatever it looks like: never a formula
    return cell


def _xlsx(actor: User, kind: str, queryset: models.QuerySet[Party], custom_fields: list[CustomField]) -> IO[bytes]:
    """The workbook written row by row to a temporary file (removed when closed), rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_plural_label(kind)[:31])
    if translation.get_language_bidi():
        sheet.sheet_view.rightToLeft = True
    for row in _rows(columns_for(actor, kind, custom_fields), queryset):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (handed to the response, which closes it)
    workbook.save(output)
    output.seek(0)
    return output


def _vcards(actor: User, kind: str, queryset: models.QuerySet[Party], language: str) -> Iterator[str]:
    with translation.override(language):
        birth_date_shown = "birth_date" in sensitive_fields_for(actor, kind)
        for party in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield vcard(party, birth_date=birth_date_shown)


def vcard(party: Party, *, birth_date: bool = False) -> str:
    """One vCard 3.0 of a row of :func:`export_queryset`; the birth date only when ``birth_date``."""
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("fn").value = party.name
    if party.is_company:
        card.add("n").value = vobject.vcard.Name(family="", given="")
        card.add("org").value = [party.name]
    else:
        card.add("n").value = vobject.vcard.Name(family=party.last_name, given=party.first_name)
        if party.company_name:
            card.add("org").value = [party.company_name]
        if party.job_title:
            card.add("title").value = party.job_title
    for point in _points(party, ContactPoint.Kind.PHONE):
        tel = card.add("tel")
        tel.value = point.key or point.value
        tel.type_param = _VCARD_PHONE_TYPES.get(point.label, "VOICE")
    for point in _points(party, ContactPoint.Kind.EMAIL):
        email = card.add("email")
        email.value = point.key or point.value
        email.type_param = "INTERNET"
    for point in _points(party, ContactPoint.Kind.WEBSITE):
        card.add("url").value = point.value
    for address in getattr(party, "export_addresses", ()):
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=address.street, city=address.city, region=geography.province_label(address.province),
            code=address.postal_code, country=address.country,
        )  # fmt: skip
    tags = [tag.name for tag in party.tags.all()]
    if tags:
        card.add("categories").value = tags
    if birth_date and (born := sensitive.read(party, "birth_date")):
        card.add("bday").value = born.isoformat()
    card.add("uid").value = f"peyvand-party-{party.pk}"
    return str(card.serialize())


_VCARD_PHONE_TYPES = {"mobile": "CELL", "work": "WORK", "home": "HOME", "fax": "FAX"}


def export_response(result: Export) -> HttpResponseBase:
    """The file of an export: streamed (CSV, vCard) or sent from its temporary file (XLSX)."""
    response: HttpResponseBase
    if hasattr(result.content, "read"):
        response = FileResponse(result.content, content_type=result.content_type)
    else:
        response = StreamingHttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
