"""What the customer file's API accepts and returns for one record, its links and its definitions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, WithJsonSchema

from peyvand.common.api import BodyIn
from peyvand.contacts.models import Address, ContactPoint, CustomField, Party
from peyvand.contacts.models.contact_points import Consent

RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _without_null_characters(value: str) -> str:
    if "\x00" in value:
        from django.utils.translation import gettext

        raise ValueError(gettext("Null characters are not allowed."))
    return value


# Text stored or looked up as sent, past no form: PostgreSQL refuses a NUL character in text.
PlainText = Annotated[str, AfterValidator(_without_null_characters)]
PartyKindName = Annotated[str, WithJsonSchema({"type": "string", "enum": Party.Kind.values})]
_SENSITIVE = "Present only when your role may see this sensitive field (and it has a value)."


def _hidden_when_none(value: Any) -> bool:
    return value is None


# In -----------------------------------------------------------------------------------------------
class ContactPointSchemaIn(Schema):
    kind: Literal["phone", "email", "social", "website"]
    value: str = Field(max_length=300, description="As typed; phones in any format (+98, 0098, 09…, Persian digits).")
    label: Literal["", "mobile", "work", "home", "fax", "other"] = ""
    network: str = Field("", max_length=20, description="For social handles: telegram, whatsapp, instagram, …")
    extension: str = Field("", max_length=10)
    is_primary: bool = False
    consent: Literal["unknown", "granted", "withdrawn"] = "unknown"


class AddressSchemaIn(Schema):
    label: Literal["home", "work", "billing", "shipping", "other"] = "work"
    country: str = Field("IR", min_length=2, max_length=2)
    province: str = Field("", max_length=60, description="A key from `contacts.geography` (tehran, isfahan, …).")
    city: str = Field("", max_length=100)
    street: str = Field("", max_length=300)
    postal_code: str = Field("", max_length=20, description="Ten digits in Iran.")
    is_primary: bool = False
    consent: Literal["unknown", "granted", "withdrawn"] = "unknown"


class PartyFieldsIn(BodyIn):
    """The fields of a record; each applies to the kinds that have it (a company has no first name)."""

    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    name: str | None = Field(None, max_length=300, description="Companies: the company's name.")
    job_title: str | None = Field(None, max_length=150)
    company_name: str | None = Field(None, max_length=200, description="Leads: the organisation they named.")
    lead_status: str | None = None
    company_national_id: str | None = Field(None, max_length=20)
    economic_code: str | None = Field(None, max_length=20)
    size: str | None = None
    gender: str | None = None
    education: str | None = None
    occupation: str | None = Field(None, max_length=150)
    interests: str | None = None
    lifestyle: str | None = None
    lifecycle_stage: str | None = None
    source_id: int | None = None
    category_id: int | None = None
    preferred_channel: str | None = None
    description: str | None = None
    owner_id: int | None = Field(None, description="Among the users your scope allows; null for no one.")
    team_id: int | None = Field(None, description="Among the teams your scope allows; null for no team.")
    tags: list[Annotated[str, Field(max_length=60)]] | None = Field(None, max_length=50,
                                                                   description="Names; new tags are created.")  # fmt: skip
    custom: dict[str, Any] | None = Field(None, description="Custom fields by key (see GET /custom-fields).")
    national_id: str | None = Field(None, max_length=20, description="Sensitive: only for roles granted it.")
    birth_date: dt.date | None = Field(None, description="Sensitive: only for roles granted it.")
    income_band: str | None = Field(None, description="Sensitive: only for roles granted it.")
    contact_points: list[ContactPointSchemaIn] | None = Field(None, max_length=50,
                                                              description="Replaces all contact points when given.")  # fmt: skip
    addresses: list[AddressSchemaIn] | None = Field(
        None, max_length=20, description="Replaces all addresses when given."
    )


class PartyCreateIn(PartyFieldsIn):
    kind: Literal["person", "company", "lead"]


class PartyUpdateIn(PartyFieldsIn):
    """A partial change: fields left out stay as they are."""


class RelationshipCreateIn(BodyIn):
    type: PlainText = Field(max_length=40, description="The relationship type's key (see GET /relationship-types).")
    to_party_id: RecordId = Field(description="The record at the other end.")
    direction: Literal["forward", "inverse"] = Field(
        "forward", description="forward: this record <type> the other (“works at”); inverse: the other <type> this "
        "record (“employs”).",
    )  # fmt: skip
    note: PlainText = Field("", max_length=300)


# Out ----------------------------------------------------------------------------------------------
class Reference(Schema):
    id: int
    name: str


class PartyRef(Schema):
    id: int
    kind: PartyKindName
    name: str


class ContactPointOut(Schema):
    id: int
    kind: ContactPoint.Kind
    value: str
    key: str = Field(description="The comparable form: E.164 for a phone, lower-case for an email.")
    label: str
    network: str
    extension: str
    is_primary: bool
    consent: Consent
    consent_at: dt.datetime | None


class AddressOut(Schema):
    id: int
    label: Address.Label
    country: str
    province: str
    city: str
    street: str
    postal_code: str
    is_primary: bool
    consent: Consent


class RelationshipOut(Schema):
    id: int
    type: str = Field(description="The relationship type's key.")
    label: str = Field(description="As read from this record's side (“works at”, or “employs” from the other).")
    direction: Literal["forward", "inverse"]
    other: PartyRef
    note: str


class PartyOut(Schema):
    id: int
    kind: PartyKindName
    name: str
    first_name: str
    last_name: str
    job_title: str
    company_name: str
    lead_status: str
    company_national_id: str
    economic_code: str
    size: str
    gender: str
    education: str
    occupation: str
    interests: str
    lifestyle: str
    lifecycle_stage: str
    source: Reference | None
    category: Reference | None
    preferred_channel: str
    description: str
    owner: Reference | None
    team: Reference | None
    tags: list[str]
    custom: dict[str, Any]
    national_id: str | None = Field(None, exclude_if=_hidden_when_none, description=_SENSITIVE)
    birth_date: dt.date | None = Field(None, exclude_if=_hidden_when_none, description=_SENSITIVE)
    income_band: str | None = Field(None, exclude_if=_hidden_when_none, description=_SENSITIVE)
    contact_points: list[ContactPointOut]
    addresses: list[AddressOut]
    relationships: list[RelationshipOut] = Field(description="Links whose other end you may see.")
    first_contact_at: dt.datetime | None
    last_contact_at: dt.datetime | None
    interaction_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ChoiceOut(Schema):
    value: str
    label: str
    label_en: str = ""


class CustomFieldOut(Schema):
    key: str
    kind: PartyKindName
    field_type: CustomField.Type
    label: str = Field(description="Persian.")
    label_en: str
    choices: list[ChoiceOut]
    is_required: bool
    help_text: str
    order: int


class RelationshipTypeOut(Schema):
    key: str
    name: str
    name_en: str
    inverse_name: str
    inverse_name_en: str
    is_symmetric: bool
    from_kind: str = Field(description="The kind the link starts from; empty for any.")
    to_kind: str = Field(description="The kind the link ends at; empty for any.")


class DefinitionFilters(Schema):
    kind: Literal["person", "company", "lead"] | None = None
