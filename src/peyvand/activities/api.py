"""The activities API: tasks, calls and meetings, their completion, and one's own reminders.

Thin: ids are turned into the records the actor may name, and the same access rules, services and
selectors as the pages to come do the rest. Errors name the client's fields (``owner_id``,
``recurrence.until``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router
from ninja.responses import Status

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import Team, User
from peyvand.accounts.permissions import Action
from peyvand.activities import access, selectors, services
from peyvand.activities.models import Activity, Reminder
from peyvand.activities.rules import Recurrence, default_calendar
from peyvand.activities.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    ActivityQuery,
    CompleteIn,
    RecurrenceIn,
    ReminderOut,
    SnoozeIn,
)
from peyvand.common.api import ERROR_RESPONSES, PageOut, PageQuery, paginate
from peyvand.contacts.access import can_party, visible_parties
from peyvand.contacts.models import Party
from peyvand.timeline.models import Channel

router = Router(tags=["Activities"])

# Domain refusals the API answers with 409.
CONFLICTS: dict[type[Exception], str | Promise] = {
    services.ActivityClosedError: gettext_lazy("This activity is already done or cancelled."),
    services.ActivityOpenError: gettext_lazy("This activity is open already."),
}
# The services' names of the fields, as the API calls them.
_API_NAMES = {"owner": "owner_id", "team": "team_id", "party": "party_id", "assignees": "assignee_ids",
              "participant_users": "participant_user_ids", "participant_parties": "participant_party_ids"}  # fmt: skip
ResultT = TypeVar("ResultT")


def _actor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _call(service: Callable[..., ResultT], **arguments: Any) -> ResultT:
    """Call a service; its field errors are renamed to the API's names."""
    try:
        return service(**arguments)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {_API_NAMES.get(name, name): texts for name, texts in error.message_dict.items()}
        ) from None


# Ids into records ---------------------------------------------------------------------------------
class _Lookup:
    """Turns the ids of a request into records, gathering every wrong one before answering."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.errors: dict[str, list[str]] = {}

    def users(self, field: str, ids: Iterable[int]) -> list[User]:
        wanted = list(dict.fromkeys(ids))
        found = {user.pk: user for user in User.objects.filter(pk__in=wanted, is_active=True)}
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            self.errors[field] = [_("There is no active user with the id %(id)s.") % {"id": missing[0]}]
        return [found[pk] for pk in wanted if pk in found]

    def user(self, field: str, pk: int | None) -> User | None:
        return None if pk is None else next(iter(self.users(field, [pk])), None)

    def parties(self, field: str, ids: Iterable[int]) -> list[Party]:
        wanted = list(dict.fromkeys(ids))
        found = {party.pk: party for party in visible_parties(self.actor, Party.objects.filter(pk__in=wanted))}
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            self.errors[field] = [_("There is no customer you may see with the id %(id)s.") % {"id": missing[0]}]
        return [found[pk] for pk in wanted if pk in found]

    def party(self, field: str, pk: int | None) -> Party | None:
        return None if pk is None else next(iter(self.parties(field, [pk])), None)

    def team(self, field: str, pk: int | None) -> Team | None:
        team = None if pk is None else Team.objects.filter(pk=pk, is_active=True).first()
        if pk is not None and team is None:
            self.errors[field] = [_("There is no active team with the id %(id)s.") % {"id": pk}]
        return team

    def channel(self, field: str, key: str | None) -> Channel | None:
        channel = None if not key else Channel.objects.filter(key=key).first()
        if key and channel is None:
            self.errors[field] = [_("There is no channel with this key.")]
        return channel

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _recurrence(payload: RecurrenceIn | None, calendar: str) -> Recurrence:
    if payload is None:
        return Recurrence(calendar=calendar)
    return Recurrence(frequency=payload.frequency, interval=payload.interval, until=payload.until,
                      calendar=payload.calendar or calendar)  # fmt: skip


# Answers ----------------------------------------------------------------------------------------
def _staff(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def _party(actor: User, party: Party | None) -> dict[str, Any] | None:
    if party is None or not can_party(actor, party, Action.VIEW):
        return None
    return {"id": party.pk, "kind": party.kind, "name": str(party)}


def activity_out(actor: User, activity: Activity) -> dict[str, Any]:
    """The answer for one activity, read with ``selectors.with_details``: no query."""
    plain = ("id", "kind", "subject", "description", "priority", "status", "outcome", "call_outcome", "due_at",
             "starts_at", "ends_at", "all_day", "location", "direction", "series_id", "reminder_minutes",
             "completed_at", "interaction_id", "created_at", "updated_at")  # fmt: skip
    out: dict[str, Any] = {name: getattr(activity, name) for name in plain}
    reminders: list[Reminder] = getattr(activity, "my_reminders", [])
    participants = []
    for participant in activity.participants.all():
        if participant.user is not None:
            participants.append({"user": _staff(participant.user), "party": None, "status": participant.status})
        elif _party(actor, participant.party) is not None:
            participants.append({"user": None, "party": _party(actor, participant.party), "status": participant.status})
    out.update(
        party=_party(actor, activity.party), owner=_staff(activity.owner),
        team={"id": activity.team.pk, "name": activity.team.name} if activity.team else None,
        assignees=[_staff(row.user) for row in activity.assignees.all() if row.is_assignee],
        participants=participants,
        recurrence={"frequency": activity.recurrence, "interval": activity.recurrence_interval,
                    "until": activity.recurrence_until, "calendar": activity.recurrence_calendar},
        my_reminder=reminders[0] if reminders else None, completed_by=_staff(activity.completed_by),
        created_by=_staff(activity.created_by),
    )  # fmt: skip
    return out


def _detail(actor: User, activity_id: Any, action: str = Action.VIEW) -> Activity:
    queryset = selectors.with_details(Activity.objects.all(), actor)
    return access.access_activity(actor, activity_id, action, queryset=queryset)


# Operations -------------------------------------------------------------------------------------
@router.get("/activities", response={200: PageOut[ActivityOut], **ERROR_RESPONSES})
def activity_list(request: HttpRequest, filters: Query[ActivityQuery], page: Query[PageQuery]) -> Any:
    """The activities you may see: those you own, are assigned to or take part in, and with a wider
    scope your teams' or everyone's; by due or start time. Filters combine."""
    actor = _actor(request)
    if not access.can_see_activities(actor):
        raise PermissionDenied
    assignee_id: int | None = None
    if filters.assignee == "me":
        assignee_id = actor.pk
    elif filters.assignee:
        if not filters.assignee.isascii() or not filters.assignee.isdigit() or len(filters.assignee) > 18:
            raise ValidationError({"assignee": [_("Enter me or a user's id.")]})
        assignee_id = int(filters.assignee)
    found = selectors.activity_list(actor=actor, filters=selectors.ActivityFilters(
        kind=filters.kind or "", status=filters.status or "", assignee_id=assignee_id, party_id=filters.party_id,
        since=filters.since, until=filters.until, overdue=filters.overdue,
    ))  # fmt: skip
    result = paginate(found, ordering=filters.sort, page=page)
    return {"items": [activity_out(actor, activity) for activity in result.items], "next_cursor": result.next_cursor}


@router.post("/activities", response={201: ActivityOut, **ERROR_RESPONSES})
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status[dict[str, Any]]:
    """Create a task, call or meeting. You own it unless you give it to someone your scope reaches;
    you must still reach it afterwards. Its assignees (other than you) are notified."""
    actor = _actor(request)
    accounts_access.require(actor, access.MODULE, Action.CREATE)
    sent = payload.model_fields_set
    lookup = _Lookup(actor)
    # Left out, the service's defaults apply: the actor as owner, the owner's first team.
    chosen: dict[str, Any] = {}
    if "owner_id" in sent:
        chosen["owner"] = lookup.user("owner_id", payload.owner_id)
    if "team_id" in sent:
        chosen["team"] = lookup.team("team_id", payload.team_id)
    assignees = lookup.users("assignee_ids", payload.assignee_ids) if payload.assignee_ids is not None else None
    party = lookup.party("party_id", payload.party_id)
    participant_users = lookup.users("participant_user_ids", payload.participant_user_ids)
    participant_parties = lookup.parties("participant_party_ids", payload.participant_party_ids)
    lookup.check()
    activity = _call(
        services.activity_create, actor=actor, kind=payload.kind, subject=payload.subject,
        description=payload.description, priority=payload.priority, due_at=payload.due_at,
        starts_at=payload.starts_at, ends_at=payload.ends_at, all_day=payload.all_day, location=payload.location,
        direction=payload.direction or "", party=party, assignees=assignees, participant_users=participant_users,
        participant_parties=participant_parties, recurrence=_recurrence(payload.recurrence, default_calendar(actor)),
        reminder_minutes=payload.reminder_minutes, **chosen,
    )  # fmt: skip
    return Status(201, activity_out(actor, _detail(actor, activity.pk)))


@router.get("/activities/{activity_id}", response={200: ActivityOut, **ERROR_RESPONSES})
def activity_detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    """One activity you may see; out of your reach is 404."""
    actor = _actor(request)
    return activity_out(actor, _detail(actor, activity_id))


@router.patch("/activities/{activity_id}", response={200: ActivityOut, **ERROR_RESPONSES})
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> dict[str, Any]:
    """Change an activity; only what is sent changes. Moving its start alone keeps its duration, and
    its reminders follow its time. Needs `activities:edit` on it."""
    actor = _actor(request)
    activity = access.access_activity(actor, activity_id, Action.EDIT)
    changes = payload.changes()
    lookup = _Lookup(actor)
    references = {"owner_id": ("owner", lookup.user), "team_id": ("team", lookup.team),
                  "party_id": ("party", lookup.party), "assignee_ids": ("assignees", lookup.users),
                  "participant_user_ids": ("participant_users", lookup.users),
                  "participant_party_ids": ("participant_parties", lookup.parties)}  # fmt: skip
    for api_name, (name, find) in references.items():
        if api_name in changes:
            changes[name] = find(api_name, changes.pop(api_name))  # type: ignore[operator]
    lookup.check()
    if "recurrence" in changes:
        changes["recurrence"] = _recurrence(payload.recurrence, activity.recurrence_calendar)
    for name in ("direction", "call_outcome"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    _call(services.activity_update, actor=actor, activity=activity, **changes)
    return activity_out(actor, _detail(actor, activity.pk))


@router.post("/activities/{activity_id}/complete", response={200: ActivityOut, **ERROR_RESPONSES})
def activity_complete(request: HttpRequest, activity_id: int, payload: CompleteIn) -> dict[str, Any]:
    """Mark an open activity done with its outcome. A call or meeting with a customer is also written on
    the customer's timeline; a repeating one gets its next occurrence. Done or cancelled already: 409."""
    actor = _actor(request)
    activity = access.access_activity(
        actor, activity_id, Action.EDIT, queryset=Activity.objects.select_related("party")
    )
    lookup = _Lookup(actor)
    channel = lookup.channel("channel", payload.channel)
    lookup.check()
    _call(services.activity_complete, actor=actor, activity=activity, outcome=payload.outcome,
          call_outcome=payload.call_outcome or "", channel=channel)  # fmt: skip
    return activity_out(actor, _detail(actor, activity.pk))


@router.post("/activities/{activity_id}/reopen", response={200: ActivityOut, **ERROR_RESPONSES})
def activity_reopen(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    """Open a done or cancelled activity again; the interaction its completion wrote is removed. Open already: 409."""
    actor = _actor(request)
    activity = access.access_activity(actor, activity_id, Action.EDIT)
    services.activity_reopen(actor=actor, activity=activity)
    return activity_out(actor, _detail(actor, activity.pk))


@router.post("/activities/{activity_id}/cancel", response={200: ActivityOut, **ERROR_RESPONSES})
def activity_cancel(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    """Cancel an open activity; a repeating one goes on with its next occurrence. Done or cancelled already: 409."""
    actor = _actor(request)
    activity = access.access_activity(actor, activity_id, Action.EDIT)
    services.activity_cancel(actor=actor, activity=activity)
    return activity_out(actor, _detail(actor, activity.pk))


@router.delete("/activities/{activity_id}", response={204: None, **ERROR_RESPONSES})
def activity_delete(request: HttpRequest, activity_id: int) -> Status[None]:
    """Delete an activity with its reminders; what its completion wrote on the timeline stays."""
    actor = _actor(request)
    activity = access.access_activity(actor, activity_id, Action.DELETE)
    services.activity_delete(actor=actor, activity=activity)
    return Status(204, None)


@router.post("/activities/{activity_id}/reminder/snooze", response={200: ReminderOut, **ERROR_RESPONSES})
def reminder_snooze(request: HttpRequest, activity_id: int, payload: SnoozeIn) -> Reminder:
    """Remind you of this activity again in `minutes`. Only your own reminder; none is 404."""
    actor = _actor(request)
    reminder = access.access_my_reminder(actor, activity_id)
    return services.reminder_snooze(actor=actor, reminder=reminder, minutes=payload.minutes)
