"""The calendar's forms: whose calendar to show, and where to move an activity."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peyvand.common.forms import LocalDateField
from peyvand.common.text import normalize_text

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$", re.ASCII)


class MoveForm(forms.Form):
    """The day to move an activity to and, optionally, the time; without a time it keeps its own."""

    date = LocalDateField(label=_("Move to"))
    time = forms.CharField(label=_("Time"), required=False, max_length=5,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr",
                                                         "placeholder": "09:30", "size": 5}))  # fmt: skip

    def clean_time(self) -> dt.time | None:
        text = normalize_text(self.cleaned_data.get("time") or "")
        if not text:
            return None
        match = _TIME.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise forms.ValidationError(_("Enter a time as hours:minutes, for example 09:30."))
        return dt.time(int(match[1]), int(match[2]))


def people_choices(users: list[Any]) -> list[tuple[int, str]]:
    return [(user.pk, user.get_full_name() or user.get_username()) for user in users]
