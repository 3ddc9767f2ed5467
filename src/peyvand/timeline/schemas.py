"""What the timeline API accepts and returns."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationInfo, WithJsonSchema, field_validator

from peyvand.accounts.models import User
from peyvand.common.api import BodyIn, Moment
from peyvand.contacts.models import Party
from peyvand.contacts.schemas import PlainText
from peyvand.timeline.models import Channel, Interaction
from peyvand.timeline.selectors import TimelineEntry

# Several models have a "Kind": each is written out where it is used, so none hides another.
InteractionKind = Annotated[Interaction.Kind, WithJsonSchema({"type": "string", "enum": Interaction.Kind.values})]
InteractionDirection = Annotated[
    Interaction.Direction, WithJsonSchema({"type": "string", "enum": Interaction.Direction.values})
]
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Amount = Annotated[int, Field(ge=0, le=2**63 - 1)]
Seconds = Annotated[int, Field(ge=0, le=2**31 - 1)]


# Answers ----------------------------------------------------------------------------------------
class ChannelOut(Schema):
    id: int
    key: str
    name: str = Field(description="In the user's language.")
    name_fa: str
    name_en: str
    icon: str
    cost_per_contact: int = Field(description="In Rial.")
    is_active: bool
    order: int

    @staticmethod
    def resolve_name(channel: Channel) -> str:
        return channel.label

    @staticmethod
    def resolve_name_fa(channel: Channel) -> str:
        return channel.name


class ChannelRef(Schema):
    key: str
    name: str

    @staticmethod
    def resolve_name(channel: Channel) -> str:
        return channel.label


class PartyRef(Schema):
    id: int
    kind: str
    name: str


class StaffRef(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(user: User) -> str:
        return user.get_full_name() or user.get_username()


class InteractionOut(Schema):
    id: int
    party: PartyRef
    channel: ChannelRef
    kind: InteractionKind
    direction: InteractionDirection
    occurred_at: dt.datetime
    subject: str
    content: str
    duration_seconds: int | None
    cost: int = Field(description="In Rial: the channel's cost per contact when it was logged, unless given.")
    owner: StaffRef | None = Field(description="The staff member who had it.")
    source_system: str
    external_id: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_party(interaction: Interaction) -> Party:
        return interaction.party


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str = Field(description="Empty when hidden.")
    new: str = Field(description="Empty when hidden.")
    hidden: bool = Field(description="A sensitive field: that it changed is shown, never its values.")


class RecordChangeOut(Schema):
    kind: str = Field(description="create, update, or another kind of the audit trail.")
    actor: str
    fields: list[FieldChangeOut]


class TimelineEntryOut(Schema):
    type: str = Field(description="interaction or change")
    id: int
    at: dt.datetime
    interaction: InteractionOut | None
    change: RecordChangeOut | None

    @staticmethod
    def resolve_type(entry: TimelineEntry) -> str:
        return entry.source

    @staticmethod
    def resolve_change(entry: TimelineEntry) -> dict[str, Any] | None:
        if entry.event is None:
            return None
        return {"kind": entry.event.kind, "actor": entry.event.actor_label, "fields": entry.changes}


class TimelineOut(Schema):
    items: list[TimelineEntryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


# Requests ---------------------------------------------------------------------------------------
class InteractionIn(BodyIn):
    party_id: RecordId | None = Field(None, description="The customer. Left out: found by `phone` or `email`.")
    phone: str | None = Field(None, max_length=50, description="Used when `party_id` is left out: the one customer "
                              "you may see with this phone number, in any format (0912…, +98…, Persian digits).")  # fmt: skip
    email: str | None = Field(None, max_length=254, description="Used when `party_id` and `phone` are left out.")
    channel: PlainText = Field(max_length=40, description="The channel's key (`GET /channels`): phone, email, store…")
    kind: InteractionKind = Interaction.Kind.NOTE
    direction: InteractionDirection = Interaction.Direction.INBOUND
    occurred_at: Moment | None = Field(None, description="Left out: now.")
    subject: str = Field("", max_length=300)
    content: str = Field("", max_length=100_000)
    duration_seconds: Seconds | None = None
    cost: Amount | None = Field(None, description="In Rial. Left out: the channel's cost per contact.")
    source_system: PlainText = Field("", max_length=50, description="Your system's name, such as `pbx` or `webshop`.")
    external_id: PlainText = Field("", max_length=100, description="Your id of this interaction: sending the same "
                             "`source_system` and `external_id` again returns the interaction already logged.")  # fmt: skip


class InteractionPatch(BodyIn):
    """A partial change: a field left out stays as it is."""

    channel: str | None = Field(None, max_length=40)
    kind: InteractionKind | None = None
    direction: InteractionDirection | None = None
    occurred_at: Moment | None = None
    subject: str | None = Field(None, max_length=300)
    content: str | None = Field(None, max_length=100_000)
    duration_seconds: Seconds | None = Field(None, description="null clears it.")
    cost: Amount | None = Field(None, description="In Rial; null sets the channel's cost per contact.")

    @field_validator("channel", "kind", "direction", "occurred_at", "subject", "content", mode="after")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            raise ValueError(_("This field cannot be null; leave it out to keep its value."))
        return value

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class InteractionQuery(Schema):
    party_id: RecordId | None = Field(None, description="Only this customer's interactions.")
    channel: PlainText | None = Field(None, max_length=40, description="A channel's key.")
    kind: InteractionKind | None = None
    owner_id: RecordId | None = Field(None, description="Only those this staff member had.")
    since: Moment | None = Field(None, description="From this moment on (inclusive).")
    until: Moment | None = Field(None, description="Before this moment (exclusive).")


class TimelineQuery(Schema):
    channel: PlainText | None = Field(None, max_length=40, description="Only interactions on this channel (a key).")
    kind: str | None = Field(None, max_length=20, description="Only interactions of this kind; `changes` for only "
                             "the changes to the record.")  # fmt: skip
    include_changes: bool = Field(True, description="Also the creation of and changes to the record.")
    limit: int = Field(30, ge=1, le=200)
    cursor: str | None = Field(None, max_length=2000, description="`next_cursor` of the previous page.")
