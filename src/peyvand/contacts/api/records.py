"""One record through the API: create, read, change, delete a party; its links; the definitions.

Input is checked by the forms of the web pages (``contacts.forms.PartyEditor``), so the API
accepts exactly what the pages accept; errors name the client's fields ("owner_id",
"custom.colour", "contact_points.1.value").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from peyvand.accounts import access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common.api import ERROR_RESPONSES
from peyvand.contacts.access import SENSITIVE_FIELDS, access_party, can_any
from peyvand.contacts.custom_fields import clean_value
from peyvand.contacts.forms import (
    ADDRESSES_PREFIX,
    CUSTOM_PREFIX,
    POINTS_PREFIX,
    PartyEditor,
    PartyForm,
    address_initial,
    contact_point_initial,
)
from peyvand.contacts.models import CustomField, Party, RelationshipType
from peyvand.contacts.models.parties import MODULE_OF_KIND
from peyvand.contacts.schemas import (
    CustomFieldOut,
    DefinitionFilters,
    PartyCreateIn,
    PartyFieldsIn,
    PartyOut,
    PartyUpdateIn,
    RelationshipCreateIn,
    RelationshipOut,
    RelationshipTypeOut,
)
from peyvand.contacts.selectors.records import Link, access_relationship, party_file, party_with_details
from peyvand.contacts.services import parties as party_services
from peyvand.contacts.services import relationships as relationship_services

router = Router(tags=["Customers"])

# The API's names of the form's fields, and back.
_FORM_NAMES = {"owner_id": "owner", "team_id": "team", "source_id": "source", "category_id": "category"}
_API_NAMES = {form: api for api, form in _FORM_NAMES.items()}
_POINT_FIELDS = ("kind", "value", "label", "network", "extension", "is_primary", "consent")
_ADDRESS_FIELDS = ("label", "country", "province", "city", "street", "postal_code", "is_primary", "consent")


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# Input through the page's forms ---------------------------------------------------------------------
def _as_form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if hasattr(value, "pk"):
        return value.pk
    return value


def _rows(prefix: str, rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for name in names:
            value = row.get(name)
            if value not in (None, "", False):
                data[f"{prefix}-{index}-{name}"] = _as_form_value(value)
    return data


def _form_data(actor: User, kind: str, party: Party | None, payload: PartyFieldsIn,
               errors: dict[str, list[str]]) -> dict[str, Any]:  # fmt: skip
    """What the page's form would post: the record as it is, with the sent fields over it.

    Sent fields the form does not have are added to ``errors``.
    """
    base = PartyForm(actor=actor, kind=kind, party=party)
    data: dict[str, Any] = {}
    for name, field in base.fields.items():
        value = base.initial.get(name, field.initial)
        if value not in (None, "", []):
            data[name] = _as_form_value(value)
    everything = payload.model_dump()  # nested rows with their defaults filled in
    sent = {name: everything[name] for name in payload.model_fields_set if name != "kind"}
    refused = sorted(name for name in sent if name in SENSITIVE_FIELDS and name not in base.fields)
    if refused:
        raise PermissionDenied(_may_not_set(refused))
    for name, value in sent.items():
        if name == "custom":
            for key, custom_value in (value or {}).items():
                field_name = CUSTOM_PREFIX + str(key)
                if field_name not in base.fields:
                    errors[f"custom.{key}"] = [str(_no_such_custom_field())]
                elif isinstance(custom_value, bool):
                    data[field_name] = "yes" if custom_value else "no"
                else:
                    data[field_name] = _as_form_value(_choice_value(base, str(key), custom_value))
        elif name == "tags":
            data["tags"] = ", ".join(value or [])
        elif name in ("contact_points", "addresses"):
            continue
        else:
            form_name = _FORM_NAMES.get(name, name)
            if form_name not in base.fields:
                errors[name] = [str(_not_for_kind())]
            else:
                data[form_name] = _as_form_value(value)
    # null for a list means "none", as an empty list does.
    points = (
        (sent["contact_points"] or []) if "contact_points" in sent else contact_point_initial(party) if party else []
    )
    addresses = (sent["addresses"] or []) if "addresses" in sent else address_initial(party) if party else []
    data.update(_rows(POINTS_PREFIX, points, _POINT_FIELDS))
    data.update(_rows(ADDRESSES_PREFIX, addresses, _ADDRESS_FIELDS))
    return data


def _choice_value(form: PartyForm, key: str, value: Any) -> Any:
    """A choice may be sent by its label too ("Gold", "طلایی"), as imports accept it."""
    definition = next(field for field in form.custom_fields if field.key == key)
    if definition.field_type not in (CustomField.Type.CHOICE, CustomField.Type.MULTIPLE_CHOICE):
        return value
    try:
        return clean_value(definition, value)
    except ValidationError:
        return value  # the form names the wrong choice


def _may_not_set(names: list[str]) -> str:
    from django.utils.translation import gettext as _

    return _("You may not set: %(fields)s.") % {"fields": ", ".join(names)}


def _no_such_custom_field() -> str:
    from django.utils.translation import gettext as _

    return _("There is no such custom field.")


def _not_for_kind() -> str:
    from django.utils.translation import gettext as _

    return _("This field does not belong to this kind of record.")


def _save(actor: User, kind: str, party: Party | None, payload: PartyFieldsIn) -> Party:
    errors: dict[str, list[str]] = {}
    editor = PartyEditor(actor=actor, kind=kind, party=party, data=_form_data(actor, kind, party, payload, errors))
    saved = editor.save() if editor.is_valid() and not errors else None
    if saved is None:
        raise ValidationError({**editor.errors_by_name(_API_NAMES), **errors})
    return saved


# Output ---------------------------------------------------------------------------------------------
def _reference(record: Any, name: str) -> dict[str, Any] | None:
    return None if record is None else {"id": record.pk, "name": name}


def _link_out(link: Link) -> dict[str, Any]:
    return {
        "id": link.relationship.pk, "type": link.relationship.type.key, "label": link.label,
        "direction": "forward" if link.outgoing else "inverse", "note": link.relationship.note,
        "other": {"id": link.other.pk, "kind": link.other.kind, "name": link.other.name},
    }  # fmt: skip


def party_out(actor: User, party: Party) -> dict[str, Any]:
    record = party_file(actor, party)
    plain = ("id", "kind", "name", "first_name", "last_name", "job_title", "company_name", "lead_status",
             "company_national_id", "economic_code", "size", "gender", "education", "occupation", "interests",
             "lifestyle", "lifecycle_stage", "preferred_channel", "description", "custom", "first_contact_at",
             "last_contact_at", "interaction_count", "created_at", "updated_at")  # fmt: skip
    out: dict[str, Any] = {name: getattr(party, name) for name in plain}
    out.update(
        source=_reference(party.source, party.source.label if party.source else ""),
        category=_reference(party.category, party.category.label if party.category else ""),
        owner=_reference(party.owner, party.owner.username if party.owner else ""),
        team=_reference(party.team, party.team.name if party.team else ""),
        tags=[tag.name for tag in record.tags],
        contact_points=record.contact_points, addresses=record.addresses,
        relationships=[_link_out(link) for link in record.links],
    )  # fmt: skip
    for name, value in record.sensitive.items():
        out[name] = value if value not in (None, "") else None
    return out


# Parties --------------------------------------------------------------------------------------------
@router.post("/parties", response={201: PartyOut, **ERROR_RESPONSES})
def party_create(request: HttpRequest, payload: PartyCreateIn) -> Status[dict[str, Any]]:
    """Create a person, company or lead (`kind`), with its contact points and addresses.

    Fields are checked as on the page; sensitive fields your role may not see are refused (403)."""
    actor = _actor(request)
    access.require(actor, MODULE_OF_KIND[payload.kind], Action.CREATE)
    party = _save(actor, payload.kind, None, payload)
    return Status(201, party_out(actor, party_with_details(actor, party.pk)))


@router.get("/parties/{party_id}", response={200: PartyOut, **ERROR_RESPONSES})
def party_detail(request: HttpRequest, party_id: int) -> dict[str, Any]:
    """One record you may see, with its contact points, addresses, tags, custom fields and links."""
    actor = _actor(request)
    return party_out(actor, party_with_details(actor, party_id))


@router.patch("/parties/{party_id}", response={200: PartyOut, **ERROR_RESPONSES})
def party_update(request: HttpRequest, party_id: int, payload: PartyUpdateIn) -> dict[str, Any]:
    """Change a record: fields left out stay; `contact_points`, `addresses` and `tags` replace the lists when given."""
    actor = _actor(request)
    party = party_with_details(actor, party_id, Action.EDIT)
    party = _save(actor, party.kind, party, payload)
    return party_out(actor, party_with_details(actor, party.pk))


@router.delete("/parties/{party_id}", response={204: None, **ERROR_RESPONSES})
def party_delete(request: HttpRequest, party_id: int) -> Status[None]:
    """Delete a record with its contact points, addresses, links and timeline."""
    actor = _actor(request)
    party = access_party(actor, party_id, Action.DELETE)
    party_services.party_delete(actor=actor, party=party)
    return Status(204, None)


# Relationships ----------------------------------------------------------------------------------------
@router.post("/parties/{party_id}/relationships", response={201: RelationshipOut, **ERROR_RESPONSES})
def relationship_create(request: HttpRequest, party_id: int, payload: RelationshipCreateIn) -> Status[dict[str, Any]]:
    """Link this record to another you may see; you must be allowed to change one of the two."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    actor = _actor(request)
    party = access_party(actor, party_id)
    relationship_type = RelationshipType.objects.filter(key=payload.type, is_active=True).first()
    errors: dict[str, list[str]] = {}
    if relationship_type is None:
        errors["type"] = [pgettext("customer record", "There is no such relationship type.")]
    try:
        other = access_party(actor, payload.to_party_id)
    except (Http404, PermissionDenied):
        errors["to_party_id"] = [_("There is no such record you may see.")]
    if errors:
        raise ValidationError(errors)
    assert relationship_type is not None
    forward = payload.direction == "forward"
    try:
        relationship = relationship_services.relationship_create(
            actor=actor, from_party=party if forward else other, to_party=other if forward else party,
            type=relationship_type, note=payload.note,
        )  # fmt: skip
    except ValidationError as error:
        raise ValidationError({{"to_party": "to_party_id"}.get(key, key): texts
                               for key, texts in error.message_dict.items()}) from None  # fmt: skip
    link = Link(relationship=relationship, other=other,
                label=relationship_type.label if forward else relationship_type.inverse_label, outgoing=forward)  # fmt: skip
    return Status(201, _link_out(link))


@router.delete("/relationships/{relationship_id}", response={204: None, **ERROR_RESPONSES})
def relationship_delete(request: HttpRequest, relationship_id: int) -> Status[None]:
    """Remove a link between two records you may see; you must be allowed to change one of them."""
    actor = _actor(request)
    relationship = access_relationship(actor, relationship_id)
    relationship_services.relationship_delete(actor=actor, relationship=relationship)
    return Status(204, None)


# Definitions ----------------------------------------------------------------------------------------
@router.get("/custom-fields", response={200: list[CustomFieldOut], **ERROR_RESPONSES})
def custom_field_list(request: HttpRequest, filters: Query[DefinitionFilters]) -> list[CustomField]:
    """The active custom fields of each record type: the keys `custom` takes, their types and choices."""
    if not can_any(_actor(request)):
        raise PermissionDenied
    fields = CustomField.objects.filter(is_active=True).order_by("kind", "order", "pk")
    return list(fields.filter(kind=filters.kind) if filters.kind else fields)


@router.get("/relationship-types", response={200: list[RelationshipTypeOut], **ERROR_RESPONSES})
def relationship_type_list(request: HttpRequest) -> list[RelationshipType]:
    """The active relationship types: the `type` keys a link takes, and which kinds each joins."""
    if not can_any(_actor(request)):
        raise PermissionDenied
    return list(RelationshipType.objects.filter(is_active=True).order_by("order", "name"))
