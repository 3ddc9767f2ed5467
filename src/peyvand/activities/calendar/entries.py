"""An activity on the calendar as HTML, written here rather than by a template per entry.

A month of a busy calendar shows hundreds of entries; a template included per entry (two URL
lookups, a CSRF token and a "move to" form each) cost about a third of a millisecond apiece, most
of the page. Here the page's texts, its CSRF token and the two addresses' patterns are worked out
once (:class:`EntryWriter`) and every entry is one f-string of escaped parts. What it writes is
what the template per entry used to write: the entry (draggable, with its move address), its time, subject (a link
to the activity), kind and status for screen readers, the people when several calendars are shown,
and the "move to" form that works by keyboard and without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peyvand.common.numbers import shape_digits

_PLACEHOLDER = 999_999_999


def _pattern(name: str) -> str | None:
    """The address of ``name`` with ``{pk}`` where the activity's id goes; ``None`` if not installed."""
    try:
        return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{pk}")
    except Exception:
        return None


@dataclass
class EntryWriter:
    """Writes the entries of one calendar page."""

    request: HttpRequest
    next_path: str
    shows_others: bool

    def __post_init__(self) -> None:
        user = getattr(self.request, "user", None)
        self.digits = getattr(user, "digits", None) if user is not None and user.is_authenticated else None
        self.token = escape(get_token(self.request))
        self.detail = _pattern("activities:activity_detail")
        self.move = _pattern("calendar:activity_move") or ""
        self.next = escape(self.next_path)
        self.texts = {
            "move": escape(_("Move")), "move_to": escape(_("Move to")), "time": escape(_("Time")),
            "date_hint": "1405/09/09" if (get_language() or "fa").startswith("fa") else "2026-11-30",
        }  # fmt: skip
        self.counter = 0

    def html(self, entry: dict[str, Any]) -> SafeString:
        activity = entry["activity"]
        self.counter += 1
        pk, number, texts = activity.pk, self.counter, self.texts
        move_url = escape(self.move.format(pk=pk))
        subject = escape(activity.subject)
        when = escape(shape_digits(entry["at"].strftime("%H:%M"), self.digits))
        title = (
            f'<a href="{escape(self.detail.format(pk=pk))}">{subject}</a>' if self.detail else f"<span>{subject}</span>"
        )
        state = escape(activity.get_kind_display())
        if not activity.is_open:
            state += f", {escape(activity.get_status_display())}"
        people = ""
        if self.shows_others:
            names = "، ".join(escape(person.get_full_name() or person.get_username()) for person in entry["people"])
            people = f'<span class="calendar-entry-people">{names}</span>'
        return mark_safe(  # noqa: S308  (every part above is escaped)
            f'<div class="calendar-entry kind-{escape(activity.kind)} status-{escape(activity.status)}" draggable="true"'
            f' data-move-url="{move_url}">'
            f'<span class="calendar-entry-time">{when}</span> {title} '
            f'<span class="visually-hidden">{state}</span>{people}'
            f'<details class="calendar-move"><summary>{texts["move"]}<span class="visually-hidden"> {subject}</span>'
            f'</summary><form method="post" action="{move_url}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.token}">'
            f'<input type="hidden" name="next" value="{self.next}">'
            f'<label for="move-date-{pk}-{number}">{texts["move_to"]}</label>'
            f'<input id="move-date-{pk}-{number}" name="date" required dir="ltr" inputmode="numeric" size="10"'
            f' placeholder="{texts["date_hint"]}">'
            f'<label for="move-time-{pk}-{number}">{texts["time"]}</label>'
            f'<input id="move-time-{pk}-{number}" name="time" dir="ltr" inputmode="numeric" size="5" placeholder="09:30">'
            f'<button type="submit" class="button small">{texts["move"]}</button></form></details></div>'
        )
