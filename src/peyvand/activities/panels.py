"""The activities' parts of other pages: the customer page's "Activities" panel with its quick form,
and the home page's ("my page", کارتابل) overdue, today's, upcoming and undated activities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from peyvand.accounts import access as accounts_access
from peyvand.accounts.permissions import Action
from peyvand.activities import access, selectors
from peyvand.activities.forms import QuickActivityForm
from peyvand.activities.models import ActivityAssignee

if TYPE_CHECKING:
    from peyvand.contacts.models import Party

# How many rows each part of a panel shows before "see all".
PARTY_LIMIT = 10
MY_PAGE_LIMIT = 8


# The customer page --------------------------------------------------------------------------------
def visible(request: HttpRequest, party: Party) -> bool:
    return access.can_see_activities(request.user)


def party_context(request: HttpRequest, party: Party, *, form: QuickActivityForm | None = None,
                  created: Any = None) -> dict[str, Any]:  # fmt: skip
    """The panel's activities (two queries) and, for who may create, the quick form."""
    found = selectors.party_activities(actor=request.user, party=party, limit=PARTY_LIMIT)
    may_create = accounts_access.can(request.user, access.MODULE, Action.CREATE)
    if may_create and form is None:
        form = QuickActivityForm(prefix="activity")
    shown = [*found.open, *found.closed]
    user_id = accounts_access.profile_for(request.user).user_id
    mine = (
        set(  # one query: which of them the reader is on, for the reach check below
            ActivityAssignee.objects.filter(
                activity_id__in=[row.pk for row in shown], user_id=user_id or 0
            ).values_list("activity_id", flat=True)
        )
        if shown
        else set()
    )
    for activity in shown:
        activity.may_edit = access.reaches(  # type: ignore[attr-defined]
            request.user,
            Action.EDIT,
            owner_id=activity.owner_id,
            team_id=activity.team_id,
            staff=[user_id] if activity.pk in mine and user_id is not None else [],
        )
    return {
        "party": party,
        "found": found,
        "form": form if may_create else None,
        "created": created,
        "now": timezone.now(),
        "create_url": reverse("activities:party_create", args=[party.pk]),
        "panel_url": reverse("activities:party_panel", args=[party.pk]),
        "list_url": f"{reverse('activities:activity_list')}?{urlencode({'party': party.pk})}",
        "new_url": f"{reverse('activities:activity_create')}?{urlencode({'party': party.pk})}",
    }


def panel_context(request: HttpRequest, party: Party) -> dict[str, Any]:
    return {"activities": party_context(request, party)}


# My page ----------------------------------------------------------------------------------------
def may_see(request: HttpRequest) -> bool:
    return access.can_see_activities(request.user)


def my_page_context(request: HttpRequest) -> dict[str, Any]:
    """The four parts of the user's open activities: four queries, each bounded."""
    mine = selectors.my_activities(actor=request.user, limit=MY_PAGE_LIMIT)
    list_url = reverse("activities:activity_list")
    parts = [
        ("overdue", mine.overdue, f"{list_url}?{urlencode({'assignee': 'me', 'overdue': 'on', 'status': 'open'})}"),
        ("today", mine.today, f"{list_url}?{urlencode({'assignee': 'me', 'status': 'open', 'period': 'today'})}"),
        ("upcoming", mine.upcoming, f"{list_url}?{urlencode({'assignee': 'me', 'status': 'open', 'period': 'week'})}"),
        ("undated", mine.undated, f"{list_url}?{urlencode({'assignee': 'me', 'status': 'open', 'kind': 'task'})}"),
    ]
    return {
        "parts": [{"key": key, "rows": part.rows, "has_more": part.has_more, "url": url} for key, part, url in parts],
        "may_edit": accounts_access.can(request.user, access.MODULE, Action.EDIT),
        "may_create": accounts_access.can(request.user, access.MODULE, Action.CREATE),
        "new_url": reverse("activities:activity_create"),
        "now": timezone.now(),
        "is_empty": not any(part.rows for _key, part, _url in parts),
    }
