"""What the API accepts and returns for duplicates, merges and lead conversions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from peyvand.common.api import BodyIn
from peyvand.contacts.models import DuplicateCandidate
from peyvand.contacts.models.parties import LifecycleStage
from peyvand.contacts.schemas import PartyKindName, PartyRef, RecordId


class DuplicateOut(Schema):
    id: int
    kind: PartyKindName
    first: PartyRef = Field(description="The older record of the pair.")
    second: PartyRef
    reason: DuplicateCandidate.Reason = Field(
        description="What matched: phone, email, national_id, company_national_id or name."
    )
    score: int = Field(description="How alike the two are, 0–100 (100 for a shared phone, email or ID).")
    status: DuplicateCandidate.Status
    found_at: dt.datetime


class DuplicateFilters(Schema):
    kind: Literal["person", "company", "lead"] = Field("person", description="The record type of the pairs.")


class MergeIn(BodyIn):
    merged_id: RecordId = Field(description="The record merged into this one and then deleted.")
    choices: dict[str, Literal["survivor", "merged"]] = Field(
        default_factory=dict,
        description='For each field whose value should come from the merged record: "merged". Fields left '
        "out keep the survivor's value, or the merged record's when the survivor's is empty. Besides the "
        "record's fields: primary_phone, primary_email, owner, team and custom.<key>.",
    )


class MergeOut(Schema):
    survivor: PartyRef
    merged_id: int
    moved: dict[str, int] = Field(description="How many rows of each kind moved to the survivor.")


class ConvertIn(BodyIn):
    create_person: bool = Field(True, description="The lead becomes a person; false makes it the company itself.")
    company_id: RecordId | None = Field(None, description="An existing company the person works at.")
    create_company_name: str = Field("", max_length=200, description="A new company the person works at.")
    lifecycle_stage: LifecycleStage = LifecycleStage.PROSPECT


class ConversionOut(Schema):
    id: int
    party: PartyRef = Field(description="The converted record: the lead's own row, with its id.")
    company: PartyRef | None
    created_company: bool
    relationship_id: int | None
    converted_at: dt.datetime
    undone_at: dt.datetime | None


class ConversionUndoOut(ConversionOut):
    company_kept: bool = Field(description="The company the conversion made was kept: other records refer to it.")
