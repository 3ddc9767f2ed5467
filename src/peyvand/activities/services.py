"""Creating, changing, completing, reopening, cancelling and deleting activities; snoozing reminders.

Every write goes through here, so the API and the pages to come allow the same: the values checked
by ``rules``, the customer, owner, team and staff checked against the actor's reach
(``access``), the staff rows and reminders kept in step (``sync``), one audit entry per change,
and a notification to each new assignee other than the actor, all in one transaction. Completing a
call or a meeting with a customer writes an interaction on the customer's timeline; completing or
cancelling a repeating activity creates its next occurrence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent, Team, User
from peyvand.accounts.notifications import notification_send
from peyvand.accounts.permissions import Action
from peyvand.activities import access, recurrence, rules, sync
from peyvand.activities.models import Activity, ActivityAssignee, Reminder
from peyvand.activities.rules import Recurrence
from peyvand.common.calendar import format_datetime
from peyvand.contacts.models import Party
from peyvand.timeline import services as timeline_services
from peyvand.timeline.models import Channel, Interaction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Actor = User | AnonymousUser | None

# What the audit trail keeps of free text, which may name people and must go when a customer is
# erased: that it was set or changed, never the words.
HIDDEN = "••••"
TEXT_FIELDS = ("subject", "description", "outcome", "location")
AUDIT_FIELDS = ["kind", "priority", "status", "call_outcome", "due_at", "starts_at", "ends_at", "all_day",
                "direction", "recurrence", "recurrence_interval", "recurrence_until", "recurrence_calendar",
                "reminder_minutes", "completed_at"]  # fmt: skip
VALUE_FIELDS = ("kind", "subject", "description", "priority", "outcome", "call_outcome", "due_at", "starts_at",
                "ends_at", "all_day", "location", "direction", "recurrence", "reminder_minutes")  # fmt: skip
EDITABLE_FIELDS = (*VALUE_FIELDS, "party", "owner", "team", "assignees", "participant_users", "participant_parties")
# The channel a completed call or meeting is recorded on when none is chosen (timeline's default channels).
CALL_CHANNEL, MEETING_CHANNEL = "phone", "field_sales"


class ActivityClosedError(ValueError):
    """The activity is done or cancelled already."""


class ActivityOpenError(ValueError):
    """The activity is open: there is nothing to reopen."""


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _first_team(user: User | None) -> Team | None:
    if user is None:
        return None
    return user.teams.filter(is_active=True).order_by("path").first()


def _label(activity: Activity) -> str:
    return f"{activity.get_kind_display()} #{activity.pk}"


def _values(activity: Activity) -> dict[str, Any]:
    values = {name: getattr(activity, name) for name in VALUE_FIELDS if name != "recurrence"}
    values["recurrence"] = rules.recurrence_of(activity)
    return values


def _apply(activity: Activity, values: dict[str, Any]) -> None:
    for name in VALUE_FIELDS:
        if name != "recurrence":
            setattr(activity, name, values[name])
    repetition: Recurrence = values["recurrence"]
    activity.recurrence, activity.recurrence_interval = repetition.frequency, repetition.interval
    activity.recurrence_until, activity.recurrence_calendar = repetition.until, repetition.calendar
    activity.at = activity.scheduled_at or activity.created_at or timezone.now()


def _audit_values(activity: Activity) -> dict[str, Any]:
    values = audit.snapshot(activity, AUDIT_FIELDS)
    related = f"{activity.related_type_id}:{activity.related_id}" if activity.related_id else ""
    values.update(
        owner=activity.owner.get_username() if activity.owner else "", team=activity.team.name if activity.team else "",
        party=activity.party_id, related=related, series=activity.series_id, interaction=activity.interaction_id,
    )  # fmt: skip
    values.update({name: HIDDEN if getattr(activity, name) else "" for name in TEXT_FIELDS})
    staff = ActivityAssignee.objects.filter(activity=activity).select_related("user").order_by("user__username")
    values["assignees"] = [row.user.get_username() for row in staff if row.is_assignee]
    values["participants"] = sorted(
        activity.participants.filter(user__isnull=False).values_list("user__username", flat=True)
    )
    values["participant_parties"] = sorted(
        activity.participants.filter(party__isnull=False).values_list("party_id", flat=True)
    )
    return values


def _record_change(actor: Actor, activity: Activity, before: dict[str, Any], old_texts: dict[str, str]) -> None:
    after = _audit_values(activity)
    for name, old_text in old_texts.items():
        if old_text and getattr(activity, name) and old_text != getattr(activity, name):
            after[name] = HIDDEN + " "  # rewritten: recorded as a change, without either text
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=activity, object_label=_label(activity),
                     changes=changes)  # fmt: skip


def _check_reach(user: User, action: str, *, owner: User | None, team: Team | None,
                 owner_changed: bool, team_changed: bool, party: Party | None, party_changed: bool,
                 added_parties: Iterable[Party], staff: Iterable[User]) -> None:  # fmt: skip
    """Refuse what the actor may not link or give, and an activity they could not reach afterwards."""
    errors: dict[str, list[str]] = {}
    if party_changed and party is not None and not access.can_link_party(user, party):
        errors["party"] = [_("Choose a customer you may see.")]
    if any(not access.can_link_party(user, added) for added in added_parties):
        errors["participant_parties"] = [_("Choose customers you may see.")]
    staff = list(staff)
    if any(not member.is_active for member in staff):
        errors["assignees"] = [_("Choose active users.")]
    try:
        access.check_owner_and_team(user, action, owner=owner, team=team, owner_changed=owner_changed,
                                    team_changed=team_changed)  # fmt: skip
    except ValidationError as error:
        errors.update(error.message_dict)
    staff_ids = [member.pk for member in staff]
    if not errors and not access.reaches(user, action, owner_id=owner.pk if owner else None,
                                         team_id=team.pk if team else None, staff=staff_ids):  # fmt: skip
        errors["owner"] = [_("You would lose sight of this activity: make yourself its owner or an assignee, or "
                             "give it to one of your teams.")]  # fmt: skip
    if errors:
        raise ValidationError(errors)


def _check_counts(assignees: Sequence[User] | None, users: Sequence[User] | None,
                  parties: Sequence[Party] | None) -> None:  # fmt: skip
    errors = {}
    for name, rows, limit in (("assignees", assignees, rules.MAX_STAFF), ("participant_users", users, rules.MAX_STAFF),
                              ("participant_parties", parties, rules.MAX_PARTY_PARTICIPANTS)):  # fmt: skip
        if rows is not None and len(rows) > limit:
            errors[name] = [_("Give at most %(count)s items.") % {"count": limit}]
    if errors:
        raise ValidationError(errors)


def when_text(activity: Activity, language: str) -> str:
    """ "Due …." for a task, "Starts …." for a call or meeting, in the active language; "" when undated."""
    if activity.due_at is not None:
        return _("Due %(when)s.") % {"when": format_datetime(activity.due_at, language=language)}
    if activity.starts_at is not None:
        return _("Starts %(when)s.") % {"when": format_datetime(activity.starts_at, language=language)}
    return ""


def _notify(user: User | None, activity: Activity, user_ids: Iterable[int]) -> None:
    """Tell each new assignee, in their own language, what they were given and when."""
    ids = [pk for pk in user_ids if user is None or pk != user.pk]
    if not ids:
        return
    for recipient in User.objects.filter(pk__in=ids, is_active=True).order_by("pk"):
        language = recipient.language or settings.LANGUAGE_CODE
        with translation.override(language):
            titles = {Activity.Kind.TASK: _("New task for you: %(subject)s"),
                      Activity.Kind.CALL: _("New call for you: %(subject)s"),
                      Activity.Kind.MEETING: _("New meeting for you: %(subject)s")}  # fmt: skip
            title = titles[Activity.Kind(activity.kind)] % {"subject": activity.subject}
            parts = [when_text(activity, language)] if activity.scheduled_at else []
            if user is not None:
                parts.append(_("From %(name)s.") % {"name": user.get_full_name() or user.get_username()})
        notification_send(recipient=recipient, title=title, body=" ".join(parts), kind="activity_assigned",
                          url=reverse("activities:activity_detail", args=[activity.pk]))  # fmt: skip


# Creating ---------------------------------------------------------------------------------------
@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    kind: str,
    subject: str,
    description: str = "",
    priority: str = Activity.Priority.NORMAL,
    due_at: dt.datetime | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    all_day: bool = False,
    location: str = "",
    direction: str = "",
    party: Party | None = None,
    related: models.Model | None = None,
    owner: User | Literal["actor"] | None = "actor",
    team: Team | Literal["default"] | None = "default",
    assignees: Sequence[User] | None = None,
    participant_users: Sequence[User] = (),
    participant_parties: Sequence[Party] = (),
    recurrence: Recurrence | None = None,
    reminder_minutes: int | None = None,
) -> Activity:
    """A new task, call or meeting.

    ``owner`` defaults to the actor, ``team`` to the owner's first team, ``assignees`` to the
    owner, ``recurrence`` to none in the actor's calendar, a call's ``direction`` to outbound.
    Raises ``ValidationError`` keyed by field ("recurrence.until") and writes nothing when any is wrong.
    """
    user = _user(actor)
    owner_value = user if owner == "actor" else owner
    team_value = _first_team(owner_value or user) if team == "default" else team
    if direction == "" and kind == Activity.Kind.CALL:
        direction = Activity.Direction.OUTBOUND
    values = rules.normalized({
        "kind": kind, "subject": subject, "description": description, "priority": priority, "outcome": "",
        "call_outcome": "", "due_at": due_at, "starts_at": starts_at, "ends_at": ends_at, "all_day": all_day,
        "location": location, "direction": direction, "reminder_minutes": reminder_minutes,
        "recurrence": recurrence or Recurrence(calendar=rules.default_calendar(user)),
    })  # fmt: skip
    rules.check(values)
    staff = list(assignees) if assignees is not None else ([owner_value] if owner_value is not None else [])
    _check_counts(staff, participant_users, participant_parties)
    if user is not None:
        _check_reach(user, Action.CREATE, owner=owner_value, team=team_value, owner_changed=True,
                     team_changed=team != "default", party=party, party_changed=True,
                     added_parties=participant_parties, staff=[*staff, *participant_users])  # fmt: skip
    activity = Activity(owner=owner_value, team=team_value, party=party, created_by=user)
    if related is not None:
        activity.related_type, activity.related_id = ContentType.objects.get_for_model(related), related.pk
    return _save_new(user, activity, values, staff, participant_users, participant_parties, notify=True)


def _save_new(user: User | None, activity: Activity, values: dict[str, Any], assignees: Sequence[User],
              participant_users: Sequence[User], participant_parties: Sequence[Party], *, notify: bool) -> Activity:  # fmt: skip
    _apply(activity, values)
    activity.save()
    if activity.scheduled_at is None:  # an undated task stands at its creation, known once saved
        activity.at = activity.created_at
        Activity.objects.filter(pk=activity.pk).update(at=activity.at)
    new_assignees = sync.write_people(activity, assignees=assignees, participant_users=participant_users,
                                      participant_parties=participant_parties)  # fmt: skip
    sync.refresh(activity, reset_reminders=True)
    audit.record(actor=user, kind=AuditEvent.Kind.CREATE, instance=activity, object_label=_label(activity),
                 changes=audit.diff({}, _audit_values(activity)))  # fmt: skip
    if notify:
        _notify(user, activity, new_assignees)
    return activity


# Changing ---------------------------------------------------------------------------------------
def current_people(activity: Activity) -> tuple[list[User], list[User], list[Party]]:
    """The activity's assignees, staff participants and customer participants."""
    rows = ActivityAssignee.objects.filter(activity=activity, is_assignee=True).select_related("user").order_by("pk")
    participants = activity.participants.all()
    users = User.objects.filter(pk__in=participants.filter(user__isnull=False).values("user_id")).order_by("pk")
    parties = Party.objects.filter(pk__in=participants.filter(party__isnull=False).values("party_id")).order_by("pk")
    return [row.user for row in rows], list(users), list(parties)


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, handing_over: bool = False, **changes: Any) -> Activity:
    """Change an activity: any of ``EDITABLE_FIELDS`` (a list of people replaces the list).

    Moving a call or meeting's start without its end keeps its duration. A change of time, of the
    reminder or of the staff fits the reminders again. ``handing_over``: a hand-off
    (``workflow.services.handoff_create``, which has checked the new owner is a colleague the actor
    may hand to), so the owner is not held to the actor's scope of giving.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    assert not unknown, f"not editable: {sorted(unknown)}"
    user = _user(actor)
    _lock(activity)
    if ("starts_at" in changes and "ends_at" not in changes and changes["starts_at"] is not None
            and rules.in_range(changes["starts_at"]) and activity.starts_at is not None
            and activity.ends_at is not None):  # fmt: skip
        changes = {**changes, "ends_at": changes["starts_at"] + (activity.ends_at - activity.starts_at)}
    before, old_texts = _audit_values(activity), {name: getattr(activity, name) for name in TEXT_FIELDS}
    old_time = (activity.scheduled_at, activity.reminder_minutes)
    values = rules.normalized(
        {**_values(activity), **{name: changes[name] for name in VALUE_FIELDS if name in changes}}
    )
    rules.check(values)
    current_assignees, current_users, current_parties = current_people(activity)
    assignees, users = changes.get("assignees"), changes.get("participant_users")
    parties: list[Party] | None = None
    if "participant_parties" in changes:
        parties = list(changes["participant_parties"])
        if user is not None:  # customers the actor may not see stay invited: they cannot take them off
            parties += [party for party in current_parties if not access.can_link_party(user, party)
                        and party not in parties]  # fmt: skip
    _check_counts(assignees, users, parties)
    owner = changes.get("owner", activity.owner)
    team = changes.get("team", activity.team)
    party = changes.get("party", activity.party)
    if user is not None:
        _check_reach(
            user, Action.EDIT, owner=owner, team=team,
            owner_changed="owner" in changes and owner != activity.owner and not handing_over,
            team_changed="team" in changes and team != activity.team,
            party=party, party_changed="party" in changes and party != activity.party,
            added_parties=[added for added in parties or [] if added not in current_parties],
            staff=[*(assignees if assignees is not None else current_assignees),
                   *(users if users is not None else current_users)],
        )  # fmt: skip
    _apply(activity, values)
    activity.owner, activity.team, activity.party = owner, team, party
    activity.save()
    new_assignees = sync.write_people(
        activity, assignees=assignees, participant_users=users, participant_parties=parties
    )
    moved = old_time != (activity.scheduled_at, activity.reminder_minutes)
    sync.refresh(activity, reset_reminders=moved)
    _record_change(user, activity, before, old_texts)
    if not handing_over:  # a hand-off tells the new owner itself, with its note
        _notify(user, activity, new_assignees)
    return activity


def _lock(activity: Activity) -> None:
    """Hold the activity's row to the end of the transaction and take its status as it is now, so
    that two completions at once make one interaction and one next occurrence."""
    status = Activity.objects.select_for_update().filter(pk=activity.pk).values_list("status", flat=True).first()
    if status is not None:
        activity.status = status


# Completing, reopening, cancelling --------------------------------------------------------------
@transaction.atomic
def activity_complete(*, actor: Actor, activity: Activity, outcome: str = "", call_outcome: str = "",
                      channel: Channel | None = None) -> Activity:  # fmt: skip
    """Mark an open activity done, with its outcome. A call or meeting with a customer is written on
    the customer's timeline (on ``channel``, by default the phone for a call and a field sales visit
    for a meeting) and linked; a repeating one gets its next occurrence."""
    user = _user(actor)
    _lock(activity)
    if not activity.is_open:
        raise ActivityClosedError(_("This activity is already done or cancelled."))
    before, old_texts = _audit_values(activity), {name: getattr(activity, name) for name in TEXT_FIELDS}
    values = rules.normalized({**_values(activity), "outcome": outcome or activity.outcome,
                               "call_outcome": call_outcome or activity.call_outcome})  # fmt: skip
    rules.check(values)
    _apply(activity, values)
    now = timezone.now()
    activity.status, activity.completed_at, activity.completed_by = Activity.Status.DONE, now, user
    if activity.kind in (Activity.Kind.CALL, Activity.Kind.MEETING) and activity.party is not None:
        activity.interaction = _log_interaction(user, activity, channel, now)
    activity.save()
    sync.refresh(activity, reset_reminders=True)
    _record_change(user, activity, before, old_texts)
    _create_next(user, activity)
    return activity


def _log_interaction(user: User | None, activity: Activity, channel: Channel | None, now: dt.datetime) -> Interaction:
    assert activity.party is not None
    if channel is None:
        key = CALL_CHANNEL if activity.kind == Activity.Kind.CALL else MEETING_CHANNEL
        channel = Channel.objects.filter(key=key, is_active=True).first()
        if channel is None:
            raise ValidationError({"channel": [_("Choose the channel to record this on the customer's timeline.")]})
    if activity.kind == Activity.Kind.CALL:
        kind, direction = Interaction.Kind.CALL, activity.direction or Interaction.Direction.OUTBOUND
    else:  # a customer who came to the store came to us; otherwise we went to them
        kind = Interaction.Kind.MEETING
        direction = Interaction.Direction.INBOUND if channel.key == "store" else Interaction.Direction.OUTBOUND
    starts_at, ends_at = activity.starts_at, activity.ends_at
    occurred_at = min(starts_at, now) if starts_at is not None else now
    duration = None
    if starts_at is not None and ends_at is not None:
        duration = min(int((ends_at - starts_at).total_seconds()), 2**31 - 1)
    return timeline_services.interaction_log(
        actor=user, party=activity.party, channel=channel, kind=kind, direction=direction, occurred_at=occurred_at,
        subject=activity.subject, content=activity.outcome, duration_seconds=duration,
        owner=user or activity.owner, related=activity,
    )  # fmt: skip


@transaction.atomic
def activity_reopen(*, actor: Actor, activity: Activity) -> Activity:
    """Open a done or cancelled activity again; the interaction its completion wrote is deleted."""
    user = _user(actor)
    _lock(activity)
    if activity.is_open:
        raise ActivityOpenError(_("This activity is open already."))
    before = _audit_values(activity)
    interaction = activity.interaction
    activity.status, activity.completed_at, activity.completed_by = Activity.Status.OPEN, None, None
    activity.interaction = None
    activity.save()
    if interaction is not None:
        timeline_services.interaction_delete(actor=user, interaction=interaction)
    sync.refresh(activity, reset_reminders=True)
    _record_change(user, activity, before, {})
    return activity


@transaction.atomic
def activity_cancel(*, actor: Actor, activity: Activity) -> Activity:
    """Cancel an open activity; a repeating one gets its next occurrence (the series goes on)."""
    user = _user(actor)
    _lock(activity)
    if not activity.is_open:
        raise ActivityClosedError(_("This activity is already done or cancelled."))
    before = _audit_values(activity)
    activity.status = Activity.Status.CANCELLED
    activity.save()
    sync.refresh(activity, reset_reminders=True)
    _record_change(user, activity, before, {})
    _create_next(user, activity)
    return activity


def _create_next(user: User | None, activity: Activity) -> Activity | None:
    """The next occurrence of a repeating activity, unless the series ends or it exists already."""
    current = activity.scheduled_at
    if not activity.is_recurring or current is None:
        return None
    root = activity.series if activity.series is not None else activity
    repetition = rules.recurrence_of(activity)
    try:
        following = recurrence.next_time(current, anchor=root.scheduled_at or current,
                                         frequency=repetition.frequency, interval=repetition.interval,
                                         calendar=repetition.calendar)  # fmt: skip
    except (ValueError, OverflowError):
        return None
    if following.year > rules.LAST_YEAR:
        return None
    if repetition.until is not None and timezone.localtime(following).date() > repetition.until:
        return None
    series_id = activity.series_id or activity.pk
    if Activity.objects.filter(series_id=series_id, at=following).exists():
        return None  # completed, reopened and completed again: the next one is there already
    shift = following - current
    values = _values(activity)
    values.update(outcome="", call_outcome="",
                  due_at=activity.due_at + shift if activity.due_at else None,
                  starts_at=activity.starts_at + shift if activity.starts_at else None,
                  ends_at=activity.ends_at + shift if activity.ends_at else None)  # fmt: skip
    assignees, users, parties = current_people(activity)
    following_activity = Activity(owner=activity.owner, team=activity.team, party=activity.party, created_by=user,
                                  related_type=activity.related_type, related_id=activity.related_id,
                                  series_id=series_id)  # fmt: skip
    # No notification: its staff know the series already.
    return _save_new(user, following_activity, values, assignees, users, parties, notify=False)


# Deleting, snoozing -----------------------------------------------------------------------------
@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    """Delete an activity with its staff, participants and reminders; an interaction it wrote stays
    on the customer's timeline, and later occurrences of its series stay too."""
    audit.record(actor=_user(actor), kind=AuditEvent.Kind.DELETE, instance=activity, object_label=_label(activity),
                 changes=audit.diff(_audit_values(activity), {}))  # fmt: skip
    activity.delete()


@transaction.atomic
def reminder_snooze(*, actor: Actor, reminder: Reminder, minutes: int) -> Reminder:
    """Remind again in ``minutes`` (1 to a week). A reminder is its user's own: not audited."""
    if not 1 <= minutes <= rules.MAX_SNOOZE_MINUTES:
        message = _("Enter a number from %(low)s to %(high)s.") % {"low": 1, "high": rules.MAX_SNOOZE_MINUTES}
        raise ValidationError({"minutes": [message]})
    return sync.snooze(reminder, minutes)
