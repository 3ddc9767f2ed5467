"""What the activities API accepts and returns."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationInfo, WithJsonSchema, field_validator

from peyvand.activities.models import Activity
from peyvand.activities.rules import (
    MAX_INTERVAL,
    MAX_PARTY_PARTICIPANTS,
    MAX_REMINDER_MINUTES,
    MAX_SNOOZE_MINUTES,
    MAX_STAFF,
)
from peyvand.common.api import BodyIn, Moment
from peyvand.contacts.schemas import PlainText

# Several models have a "Kind": each is written out where it is used, so none hides another.
ActivityKind = Annotated[Activity.Kind, WithJsonSchema({"type": "string", "enum": Activity.Kind.values})]
ActivityPriority = Annotated[Activity.Priority, WithJsonSchema({"type": "string", "enum": Activity.Priority.values})]
ActivityStatus = Annotated[Activity.Status, WithJsonSchema({"type": "string", "enum": Activity.Status.values})]
CallDirection = Annotated[Activity.Direction, WithJsonSchema({"type": "string", "enum": Activity.Direction.values})]
CallOutcome = Annotated[Activity.CallOutcome, WithJsonSchema({"type": "string", "enum": Activity.CallOutcome.values})]
Frequency = Annotated[Activity.Frequency, WithJsonSchema({"type": "string", "enum": Activity.Frequency.values})]
CalendarName = Annotated[Activity.Calendar, WithJsonSchema({"type": "string", "enum": Activity.Calendar.values})]
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
ReminderMinutes = Annotated[int, Field(ge=0, le=MAX_REMINDER_MINUTES)]
LongText = Annotated[PlainText, Field(max_length=100_000)]


# Answers ----------------------------------------------------------------------------------------
class StaffOut(Schema):
    id: int
    username: str
    name: str


class PartyRefOut(Schema):
    id: int
    kind: str
    name: str


class TeamRefOut(Schema):
    id: int
    name: str


class ParticipantOut(Schema):
    user: StaffOut | None = Field(description="A staff member taking part, or null for a customer contact.")
    party: PartyRefOut | None = Field(description="A customer contact taking part, or null for a staff member.")
    status: str = Field(description="needs_action, accepted or declined: the answer to the invitation.")


class RecurrenceOut(Schema):
    frequency: str = Field(description="none, daily, weekly, monthly or yearly")
    interval: int = Field(description="Every how many days, weeks, months or years.")
    until: dt.date | None = Field(description="The last day an occurrence may fall on.")
    calendar: str = Field(description="jalali or gregorian: the months a monthly or yearly repetition steps through.")


class ReminderOut(Schema):
    id: int
    remind_at: dt.datetime
    sent_at: dt.datetime | None
    snoozed_until: dt.datetime | None


class ActivityOut(Schema):
    id: int
    kind: str = Field(description="task, call or meeting")
    subject: str
    description: str
    priority: str = Field(description="low, normal, high or urgent")
    status: str = Field(description="open, done or cancelled")
    outcome: str
    call_outcome: str = Field(
        description="A call's outcome (reached, no_answer, busy, left_message, wrong_number) or empty."
    )
    due_at: dt.datetime | None = Field(description="A task's due time.")
    starts_at: dt.datetime | None = Field(description="A call's or meeting's start.")
    ends_at: dt.datetime | None
    all_day: bool
    location: str
    direction: str = Field(description="A call's direction (inbound, outbound) or empty.")
    party: PartyRefOut | None = Field(description="The customer it concerns; null when none, or one you may not see.")
    owner: StaffOut | None = Field(description="Who is responsible.")
    team: TeamRefOut | None
    assignees: list[StaffOut] = Field(description="Who does it.")
    participants: list[ParticipantOut] = Field(description="Staff and the customer contacts you may see who take part.")
    recurrence: RecurrenceOut
    series_id: int | None = Field(description="The first activity of its repeating series; null on the first itself.")
    reminder_minutes: int | None = Field(description="Minutes before its time when its staff are reminded.")
    my_reminder: ReminderOut | None = Field(description="Your own reminder of it, if you have one.")
    completed_at: dt.datetime | None
    completed_by: StaffOut | None
    interaction_id: int | None = Field(description="The interaction its completion wrote on the customer's timeline.")
    created_by: StaffOut | None
    created_at: dt.datetime
    updated_at: dt.datetime


# Requests ---------------------------------------------------------------------------------------
class RecurrenceIn(BodyIn):
    frequency: Frequency
    interval: int = Field(1, ge=1, le=MAX_INTERVAL, description="Every how many days, weeks, months or years.")
    until: dt.date | None = Field(None, description="The last day an occurrence may fall on (inclusive).")
    calendar: CalendarName | None = Field(None, description="Whose months a monthly or yearly repetition steps "
                                          "through. Left out: jalali for a Persian user, gregorian otherwise "
                                          "(on a change: as it was).")  # fmt: skip


class ActivityIn(BodyIn):
    kind: ActivityKind
    subject: PlainText = Field(max_length=300)
    description: LongText = ""
    priority: ActivityPriority = Activity.Priority.NORMAL
    due_at: Moment | None = Field(None, description="A task's due time; a task may have none.")
    starts_at: Moment | None = Field(None, description="Required for a call or a meeting.")
    ends_at: Moment | None = None
    all_day: bool = Field(False, description="Times are moved to the midnight of their day (Tehran time).")
    location: PlainText = Field("", max_length=300)
    direction: CallDirection | None = Field(None, description="A call's direction; left out: outbound.")
    party_id: RecordId | None = Field(None, description="The customer it concerns: one you may see.")
    owner_id: RecordId | None = Field(None, description="Who is responsible. Left out: you.")
    team_id: RecordId | None = Field(None, description="Left out: the owner's first team.")
    assignee_ids: list[RecordId] | None = Field(None, max_length=MAX_STAFF, description="Who does it. Left out: "
                                                "the owner.")  # fmt: skip
    participant_user_ids: list[RecordId] = Field([], max_length=MAX_STAFF, description="Staff who take part.")
    participant_party_ids: list[RecordId] = Field([], max_length=MAX_PARTY_PARTICIPANTS,
                                                  description="Customer contacts who take part: ones you may see.")  # fmt: skip
    recurrence: RecurrenceIn | None = Field(None, description="How it repeats; left out: it does not.")
    reminder_minutes: ReminderMinutes | None = Field(None, description="Remind its staff this many minutes before "
                                                     "its time; left out: no reminder.")  # fmt: skip


class ActivityPatch(BodyIn):
    """A partial change: a field left out stays as it is; a list sent replaces the list."""

    kind: ActivityKind | None = None
    subject: PlainText | None = Field(None, max_length=300)
    description: LongText | None = None
    priority: ActivityPriority | None = None
    outcome: LongText | None = None
    call_outcome: CallOutcome | None = Field(None, description="null clears it.")
    due_at: Moment | None = Field(None, description="null clears it.")
    starts_at: Moment | None = Field(None, description="Moving the start alone keeps the duration.")
    ends_at: Moment | None = Field(None, description="null clears it.")
    all_day: bool | None = None
    location: PlainText | None = Field(None, max_length=300)
    direction: CallDirection | None = Field(None, description="null clears it.")
    party_id: RecordId | None = Field(None, description="null unlinks the customer.")
    owner_id: RecordId | None = Field(None, description="null: nobody (needs your team's scope).")
    team_id: RecordId | None = Field(None, description="null: no team.")
    assignee_ids: list[RecordId] | None = Field(None, max_length=MAX_STAFF)
    participant_user_ids: list[RecordId] | None = Field(None, max_length=MAX_STAFF)
    participant_party_ids: list[RecordId] | None = Field(None, max_length=MAX_PARTY_PARTICIPANTS,
                                                         description="Customers you may not see stay invited.")  # fmt: skip
    recurrence: RecurrenceIn | None = Field(None, description="null: it no longer repeats.")
    reminder_minutes: ReminderMinutes | None = Field(None, description="null: no reminder.")

    @field_validator("kind", "subject", "description", "priority", "outcome", "all_day", "location", "assignee_ids",
                     "participant_user_ids", "participant_party_ids", mode="after")  # fmt: skip
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            raise ValueError(_("This field cannot be null; leave it out to keep its value."))
        return value

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class CompleteIn(BodyIn):
    outcome: LongText = Field("", description="What came of it; left out: the outcome written before, if any.")
    call_outcome: CallOutcome | None = Field(None, description="For a call.")
    channel: PlainText | None = Field(None, max_length=40, description="For a call or meeting with a customer: the "
                                      "channel's key it is recorded on in the timeline. Left out: phone for a call, "
                                      "field_sales for a meeting.")  # fmt: skip


class SnoozeIn(BodyIn):
    minutes: int = Field(10, ge=1, le=MAX_SNOOZE_MINUTES, description="Remind again this many minutes from now.")


class ActivityQuery(Schema):
    kind: ActivityKind | None = None
    status: ActivityStatus | None = None
    assignee: PlainText | None = Field(None, max_length=20, description="`me`, or a user's id: the activities "
                                       "assigned to them.")  # fmt: skip
    party_id: RecordId | None = Field(None, description="Only this customer's activities.")
    since: Moment | None = Field(None, description="Due or starting from this moment on (inclusive).")
    until: Moment | None = Field(None, description="Due or starting before this moment (exclusive).")
    overdue: bool = Field(False, description="Only open activities whose due or start time has passed.")
    sort: Literal["at", "-at"] = Field("at", description="By due or start time, the soonest (`at`) or the latest "
                                       "(`-at`) first; an undated task stands at its creation.")  # fmt: skip
