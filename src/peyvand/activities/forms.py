"""The forms of the activities pages. They only read what a person typed: every rule of an activity
is the services' (``rules.check`` and the reach checks), so the pages and the API allow the same."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Team, User
from peyvand.activities.models import Activity
from peyvand.activities.rules import MAX_INTERVAL, MAX_REMINDER_MINUTES, SUBJECT_LENGTH, Recurrence
from peyvand.common.forms import LocalDateField, LocalDateTimeField
from peyvand.common.text import to_ascii_digits
from peyvand.contacts.access import visible_parties
from peyvand.contacts.models import Party
from peyvand.timeline.models import Channel

BLANK: list[tuple[str, Any]] = [("", "—")]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class PartyIdsField(forms.CharField):
    """Customers by their numbers, separated by commas or spaces (Persian or Latin digits)."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = to_ascii_digits(str(value or "")).replace("،", ",").replace(",", " ")
        numbers = []
        for part in text.split():
            if not part.isascii() or not part.isdigit() or len(part) > 18:
                raise forms.ValidationError(_("Enter customer numbers separated by commas."), code="invalid")
            numbers.append(int(part))
        return list(dict.fromkeys(numbers))


def _staff() -> Any:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class ActivityForm(forms.Form):
    """Create or change a task, call or meeting. Fields a kind does not use are left empty."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_LENGTH)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Activity.Priority.choices, initial="normal")
    due_at = LocalDateTimeField(label=_("Due"), required=False, help_text=_("For a task."))
    starts_at = LocalDateTimeField(label=_("Starts"), required=False, help_text=_("For a call or a meeting."))
    ends_at = LocalDateTimeField(label=_("Ends"), required=False)
    all_day = forms.BooleanField(label=_("All day"), required=False)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    direction = forms.ChoiceField(label=_("Call direction"), choices=BLANK + Activity.Direction.choices, required=False)
    # Both customer fields take numbers; the page's picker (contacts/_picker.html) fills them by name.
    party = forms.IntegerField(label=_("Customer"), required=False, min_value=1, max_value=2**63 - 1,
                               help_text=_("The customer's number."),
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr",
                                                             "data-picker-value": ""}))  # fmt: skip
    owner = StaffChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    assignees = StaffMultipleChoiceField(label=_("Assignees"), queryset=User.objects.none(), required=False,
                                         help_text=_("Leave empty for the owner."))  # fmt: skip
    participant_users = StaffMultipleChoiceField(label=_("Staff participants"), queryset=User.objects.none(),
                                                 required=False)  # fmt: skip
    participant_parties = PartyIdsField(label=_("Customer participants"), required=False,
                                        help_text=_("Customer numbers, separated by commas."),
                                        widget=forms.TextInput(attrs={"dir": "ltr", "data-picker-value": ""}))  # fmt: skip
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Activity.Frequency.choices, initial="none")
    recurrence_interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=MAX_INTERVAL, initial=1)
    recurrence_until = LocalDateField(label=_("Repeats until"), required=False)
    recurrence_calendar = forms.ChoiceField(label=_("Calendar"), choices=Activity.Calendar.choices)
    reminder_minutes = forms.IntegerField(label=_("Remind minutes before"), required=False, min_value=0,
                                          max_value=MAX_REMINDER_MINUTES)  # fmt: skip

    def __init__(self, *args: Any, actor: User, activity: Activity | None = None, **kwargs: Any) -> None:
        self.actor = actor
        self.activity = activity
        super().__init__(*args, **kwargs)
        for name in ("owner", "assignees", "participant_users"):
            self.fields[name].queryset = _staff()  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(is_active=True).order_by("path")  # type: ignore[attr-defined]
        if activity is None:
            self.fields["owner"].help_text = _("Leave empty for yourself.")
            self.fields["team"].help_text = _("Leave empty for the owner's first team.")

    def clean_party(self) -> Party | None:
        pk = self.cleaned_data.get("party")
        if pk is None:
            return None
        party = visible_parties(self.actor, Party.objects.filter(pk=pk)).first()
        if party is None:
            raise forms.ValidationError(_("There is no customer you may see with this number."))
        return party

    def clean_participant_parties(self) -> list[Party]:
        wanted = self.cleaned_data.get("participant_parties") or []
        found = {party.pk: party for party in visible_parties(self.actor, Party.objects.filter(pk__in=wanted))}
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            raise forms.ValidationError(
                _("There is no customer you may see with the number %(number)s.") % {"number": missing[0]}
            )
        return [found[pk] for pk in wanted]

    @cached_property
    def picker_choices(self) -> dict[str, list[tuple[int, str]]]:
        """The customers the two customer fields hold now, as the picker shows them: (number, name) of
        those the actor may see (one query, none when both are empty). The others are left for the
        field's error to name."""
        numbers = {name: self._numbers_in(name) for name in ("party", "participant_parties")}
        wanted = {number for found in numbers.values() for number in found}
        parties = visible_parties(self.actor, Party.objects.filter(pk__in=wanted)).only("id", "name", "erased_at")
        names = {party.pk: str(party) for party in parties} if wanted else {}
        return {
            name: [(number, names[number]) for number in found if number in names] for name, found in numbers.items()
        }

    def _numbers_in(self, name: str) -> list[int]:
        value = self[name].value()
        try:
            return PartyIdsField().to_python(value)
        except forms.ValidationError:
            return []

    def service_values(self) -> dict[str, Any]:
        """The cleaned values as the services name them."""
        data = dict(self.cleaned_data)
        data["recurrence"] = Recurrence(frequency=data.pop("recurrence"), interval=data.pop("recurrence_interval") or 1,
                                        until=data.pop("recurrence_until"), calendar=data.pop("recurrence_calendar"))  # fmt: skip
        if self.activity is None:
            if data["owner"] is None:
                data["owner"] = "actor"
            if data["team"] is None:
                data["team"] = "default"
            if not data["assignees"]:
                data["assignees"] = None
        else:
            data["assignees"] = list(data["assignees"])
        data["participant_users"] = list(data["participant_users"])
        return data


def initial_of(activity: Activity) -> dict[str, Any]:
    """The form's values for an activity read with ``selectors.with_details``: no query."""
    staff = list(activity.assignees.all())
    participants = list(activity.participants.all())
    return {
        **{
            name: getattr(activity, name)
            for name in (
                "kind",
                "subject",
                "description",
                "priority",
                "due_at",
                "starts_at",
                "ends_at",
                "all_day",
                "location",
                "direction",
                "recurrence",
                "recurrence_interval",
                "recurrence_until",
                "recurrence_calendar",
                "reminder_minutes",
            )
        },
        "party": activity.party_id,
        "owner": activity.owner_id,
        "team": activity.team_id,
        "assignees": [row.user_id for row in staff if row.is_assignee],
        "participant_users": [row.user_id for row in participants if row.user_id],
        "participant_parties": ", ".join(str(row.party_id) for row in participants if row.party_id),
    }


class CompleteForm(forms.Form):
    """Mark an activity done: what came of it, and for a call with a customer how it went."""

    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    call_outcome = forms.ChoiceField(label=_("Call outcome"), choices=BLANK + Activity.CallOutcome.choices,
                                     required=False)  # fmt: skip
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none(), required=False,
                                     to_field_name="key",
                                     help_text=_("Where the call or meeting is written on the customer's timeline."))  # fmt: skip

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(is_active=True).order_by("order", "pk")  # type: ignore[attr-defined]
        if activity.kind != Activity.Kind.CALL:
            del self.fields["call_outcome"]
        if activity.kind == Activity.Kind.TASK or activity.party_id is None:
            del self.fields["channel"]


class QuickActivityForm(forms.Form):
    """The customer panel's few keystrokes: a kind, a subject and when."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, initial="task")
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_LENGTH)
    when = LocalDateTimeField(label=_("When"), required=False,
                              help_text=_("A task's due time, a call's or meeting's start."))  # fmt: skip

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        is_task = data["kind"] == Activity.Kind.TASK
        return {"kind": data["kind"], "subject": data["subject"],
                "due_at": data["when"] if is_task else None, "starts_at": None if is_task else data["when"]}  # fmt: skip


class ActivityFilterForm(forms.Form):
    """The list's filters; a wrong value is ignored (the list shows unfiltered by it)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Activity.Kind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *Activity.Status.choices],
                               required=False)  # fmt: skip
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    party = forms.IntegerField(label=_("Customer number"), required=False, min_value=1, max_value=2**63 - 1,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "size": 8}))  # fmt: skip
    since = LocalDateField(label=_("From"), required=False)
    until = LocalDateField(label=_("To"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = [(str(user.pk), user.get_full_name() or user.get_username()) for user in _staff()]
        self.fields["assignee"].choices = [("", _("Anyone")), ("me", _("Me")), *staff]  # type: ignore[attr-defined]
