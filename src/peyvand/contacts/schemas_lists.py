"""What the lists part of the customer-file API accepts and returns."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from peyvand.common.api import BodyIn
from peyvand.contacts.models import ContactPoint, Party
from peyvand.contacts.selectors.parties import primary_point


class PersonRef(Schema):
    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str


class PartyListItemOut(Schema):
    """A row of a list. Sensitive personal fields are never part of it."""

    id: int
    kind: str = Field(description="person, company or lead")
    name: str
    lifecycle_stage: str
    lead_status: str = Field(description="Leads only; empty for persons and companies.")
    owner: PersonRef | None
    team: TeamRef | None
    primary_phone: str | None = Field(description="E.164, such as +989121234567.")
    primary_email: str | None
    tags: list[str]
    custom: dict[str, Any] = Field(description="Custom field values by key, in their stored form.")
    created_at: dt.datetime
    last_contact_at: dt.datetime | None

    @staticmethod
    def resolve_owner(party: Party) -> dict[str, Any] | None:
        owner = party.owner
        return None if owner is None else {"id": owner.pk, "name": owner.get_full_name() or owner.get_username()}

    @staticmethod
    def resolve_team(party: Party) -> dict[str, Any] | None:
        return None if party.team is None else {"id": party.team.pk, "name": party.team.name}

    @staticmethod
    def resolve_primary_phone(party: Party) -> str | None:
        point = primary_point(party, ContactPoint.Kind.PHONE)
        return point.key if point else None

    @staticmethod
    def resolve_primary_email(party: Party) -> str | None:
        point = primary_point(party, ContactPoint.Kind.EMAIL)
        return point.key if point else None

    @staticmethod
    def resolve_tags(party: Party) -> list[str]:
        return [tag.name for tag in party.list_tags]  # type: ignore[attr-defined]  # attach_list_details


Sort = Literal["name", "-name", "created_at", "-created_at", "active_at", "-active_at"]


class PartyListQuery(Schema):
    """The list's sort and the built-in filters (documented here; custom fields are `cf_<key>`,
    `cf_<key>_min` and `cf_<key>_max`). Parameters given more than once match any of their values."""

    sort: Sort = Field("name", description='`-` for descending; `active_at` is "recently active".')
    name: str | None = Field(None, description="Contains this text (any spelling of Persian letters and digits).")
    name_op: Literal["contains", "equals"] | None = None
    job_title: str | None = None
    occupation: str | None = None
    company_name: str | None = Field(None, description="Leads only.")
    stage: list[str] = Field([], description="Lifecycle stages.")
    lead_status: list[str] = []
    gender: list[str] = []
    education: list[str] = []
    size: list[str] = Field([], description="Companies only.")
    preferred_channel: list[str] = []
    source: list[str] = Field([], description="Source ids.")
    category: list[str] = Field([], description="Category ids.")
    tag: list[str] = Field([], description="Tag ids: records with any of them.")
    owner: list[str] = Field([], description="User ids, `me` or `none`.")
    team: list[str] = Field([], description="Team ids.")
    province: list[str] = Field([], description="Province keys, such as `tehran`.")
    city: str | None = None
    has_phone: Literal["yes", "no"] | None = None
    has_email: Literal["yes", "no"] | None = None
    created_from: str | None = Field(None, description="A date, Jalali (1403/05/12) or Gregorian (2024-08-02).")
    created_to: str | None = None
    last_contact_from: str | None = None
    last_contact_to: str | None = None


class ExportQuery(Schema):
    format: Literal["csv", "xlsx", "vcard"] = "csv"


class BulkIn(BodyIn):
    action: Literal["assign", "tag", "untag", "delete"]
    ids: list[int] = Field(description="At most 500 record ids.", min_length=1, max_length=500)
    owner: str = Field("", description="assign: a user id, `none` for no one, empty to keep.")
    team: str = Field("", description="assign: a team id, `none` for no team, empty to keep.")
    tags: list[str] = Field([], description="tag / untag: tag names.")


class BulkOut(Schema):
    changed: list[int]
    unchanged: list[int] = Field(description="Already as asked.")
    refused: list[int] = Field(description="Missing, or not yours to change: left as they were.")
    out_of_sight: list[int] = Field(
        [], description="assign: records the assignment would take out of your sight, left as they were."
    )


class SavedViewIn(BodyIn):
    kind: Literal["person", "company", "lead"]
    name: str = Field(max_length=100)
    query: str = Field("", max_length=2000, description="The list's query string: `stage=customer&sort=-name`.")


class SavedViewRenameIn(BodyIn):
    name: str = Field(max_length=100)


class SavedViewOut(Schema):
    id: int
    kind: str
    name: str
    query: str
    created_at: dt.datetime
