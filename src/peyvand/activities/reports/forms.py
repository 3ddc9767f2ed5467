"""The report's filters. Users and teams are offered only within the reader's reach (the calendar's
``reachable_users`` and ``reachable_teams``); anything else is refused on its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Team, User
from peyvand.activities.calendar.people import reachable_teams, reachable_users
from peyvand.activities.forms import StaffChoiceField
from peyvand.activities.models import Activity
from peyvand.activities.reports.periods import LONGEST_DAYS, Period, named_period
from peyvand.activities.reports.selectors import ReportFilters
from peyvand.common.calendar import uses_jalali
from peyvand.common.forms import LocalDateField
from peyvand.timeline.models import Channel

PERIOD_CHOICES = [
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("this_week", _("This week")),
    ("last_week", _("Last week")),
    ("last_90_days", _("The last 90 days")),
    ("custom", _("From–to")),
]
GROUP_CHOICES = [
    ("user", _("Assignee")),
    ("team", _("Team")),
    ("kind", _("Kind")),
    ("outcome", _("Call outcome")),
    ("channel", _("Channel (interactions)")),
    ("week", _("Week")),
    ("month", _("Month")),
]
DEFAULT_GROUP = "kind"  # read from the same query as the totals: the page opens with the fewest scans


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    since = LocalDateField(label=_("From"), required=False)
    until = LocalDateField(label=_("To"), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    user = StaffChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Activity.Kind.choices], required=False)
    outcome = forms.ChoiceField(label=_("Call outcome"), required=False,
                                choices=[("", _("Any outcome")), *Activity.CallOutcome.choices])  # fmt: skip
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none(), required=False, empty_label=_("All channels"),
                                 help_text=_("Interactions only."))  # fmt: skip
    group = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, required=False)

    def __init__(self, *args: Any, actor: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # Evaluated here, once each: the choices and the validation read the same rows.
        self.fields["user"].queryset = reachable_users(actor)  # type: ignore[attr-defined]
        self.fields["team"].queryset = reachable_teams(actor)  # type: ignore[attr-defined]
        self.fields["channel"].queryset = Channel.objects.order_by("order", "pk")  # type: ignore[attr-defined]

    def _is_custom(self, data: dict[str, Any]) -> bool:
        return data.get("period") == "custom" or (
            not data.get("period") and bool(data.get("since") or data.get("until"))
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self._is_custom(data):
            since, until = data.get("since"), data.get("until")
            if since is None and "since" not in self.errors:
                self.add_error("since", _("Enter the first day of the period."))
            if until is None and "until" not in self.errors:
                self.add_error("until", _("Enter the last day of the period."))
            if since and until and until < since:
                self.add_error("until", _("The last day is before the first."))
            elif since and until and (until - since).days >= LONGEST_DAYS:
                self.add_error("until", _("A report covers at most a year."))
        return data

    @property
    def chosen_group(self) -> str:
        return (self.cleaned_data.get("group") if self.is_bound and self.is_valid() else "") or DEFAULT_GROUP

    def chosen_period(self) -> Period:
        data = self.cleaned_data
        if self._is_custom(data):
            return Period(data["since"], data["until"] + dt.timedelta(days=1))
        return named_period(data.get("period") or "this_month", today=self.today, is_jalali=uses_jalali())

    def filters(self) -> ReportFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return ReportFilters(
            period=self.chosen_period(), user_id=data["user"].pk if data.get("user") else None,
            team_path=data["team"].path if data.get("team") else "", kind=data.get("kind") or "",
            outcome=data.get("outcome") or "", channel_id=data["channel"].pk if data.get("channel") else None,
        )  # fmt: skip
