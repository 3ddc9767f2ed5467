"""The data a scenario names in its path (``{busy_party}``), found in the loaded database.

Each is chosen by a fixed rule (the first person from the middle of the persons, in id order,
who…), so the same seed and scale always give the same targets; the runner records them with
the results. The middle, not the first rows: the first rows written are the first in many an
index, and a plan that reads an index from its start until it finds them looks faster with
them than it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.db.models import Count, Max, Min, Q, QuerySet

from peyvand.accounts.models import User
from peyvand.contacts.models import ContactPoint, Party

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_PERSIAN_ONLY = re.compile("^[\u0600-\u06ff\u200c ]+$")
_ARABIC_LETTERS = re.compile("[يك]")
_ENGLISH_ONLY = re.compile("^[A-Za-z' ]+$")
FEW_INTERACTIONS = (3, 10)
LOOKED_AT = 500  # persons read to find a name of each language
REPRESENTATIVE, MANAGER = "Sales representative", "Sales manager"
PERCENTILE = 0.9  # of the representatives by open activities, for the daily-work scenarios


class MissingTargetError(RuntimeError):
    pass


def _middle() -> int:
    """The id from which targets are looked for: the middle of the persons' ids."""
    bounds = Party.objects.filter(kind=Party.Kind.PERSON).aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        raise MissingTargetError("no person")
    return (bounds["low"] + bounds["high"]) // 2


def _persons() -> QuerySet[Party]:
    return Party.objects.filter(kind=Party.Kind.PERSON, pk__gte=_middle()).order_by("pk")


def _first_person_name(matches: Callable[[str], bool]) -> str:
    for name in _persons().values_list("name", flat=True)[:LOOKED_AT]:
        if matches(name):
            return name
    raise MissingTargetError("no person with such a name from the middle on")


def persian_name() -> str:
    """A Persian person's full name as typed, first and last name."""
    return _first_person_name(lambda name: bool(_PERSIAN_ONLY.match(name)) and not _ARABIC_LETTERS.search(name))


def english_name() -> str:
    return _first_person_name(lambda name: bool(_ENGLISH_ONLY.match(name)))


def _person_phone(position: int) -> str:
    """The national number of the first mobile number of the ``position``-th person who has one."""
    numbers = (
        ContactPoint.objects.filter(
            kind=ContactPoint.Kind.PHONE, party__kind=Party.Kind.PERSON, party_id__gte=_middle(), is_primary=True
        )
        .order_by("party_id")
        .values_list("national_number", flat=True)[position : position + 1]
    )
    found = list(numbers)
    if not found:
        raise MissingTargetError("no person with a phone number")
    return found[0]


def phone() -> str:
    """A stored mobile number as someone else writes it: +98, spaces, Persian digits."""
    number = _person_phone(0)
    return f"+98 {number[:3]} {number[3:6]} {number[6:]}".translate(PERSIAN_DIGITS)


def caller_number() -> str:
    """A person's mobile number as a telephone exchange sends it: 0 and eleven digits."""
    return f"0{_person_phone(1)}"


def email() -> str:
    found = (
        ContactPoint.objects.filter(
            kind=ContactPoint.Kind.EMAIL, party__kind=Party.Kind.PERSON, party_id__gte=_middle()
        )
        .order_by("party_id", "pk")
        .values_list("key", flat=True)
        .first()
    )
    if found is None:
        raise MissingTargetError("no person with an e-mail address")
    return found


def quiet_party() -> str:
    """A person with a few interactions."""
    low, high = FEW_INTERACTIONS
    found = (
        _persons().filter(interaction_count__gte=low, interaction_count__lte=high).values_list("pk", flat=True).first()
    )
    if found is None:
        raise MissingTargetError(f"no person with {low} to {high} interactions")
    return str(found)


def busy_party() -> str:
    """The party with the most interactions."""
    found = Party.objects.order_by("-interaction_count", "pk").values_list("pk", flat=True).first()
    if found is None:
        raise MissingTargetError("no party")
    return str(found)


# Daily work -------------------------------------------------------------------------------------
def _representatives_by_open_activities() -> list[str]:
    """The active sales representatives' usernames, the fewest open activities (assigned or taking
    part) first, by username among equals."""
    open_rows = Count("activity_assignments", filter=Q(activity_assignments__is_open=True))
    found = list(
        User.objects.filter(roles__name=REPRESENTATIVE, is_active=True)
        .annotate(open=open_rows)
        .order_by("open", "username")
        .values_list("username", flat=True)
    )
    if not found:
        raise MissingTargetError("no sales representative")
    return found


def busy_representative() -> str:
    """The sales representative at the 90th percentile of open activities: a heavy day, as one in
    ten representatives has it (the role's view scope is OWN)."""
    found = _representatives_by_open_activities()
    return found[int(PERCENTILE * (len(found) - 1))]


def busiest_representative() -> str:
    """The sales representative on the most open activities."""
    return _representatives_by_open_activities()[-1]


def _lead_and_team() -> tuple[str, int]:
    """A sales manager (TEAM scope) and their first team, the one with the most active members of
    all the managers' first teams (the lowest id of a tie)."""
    managers = User.objects.filter(roles__name=MANAGER, is_active=True).order_by("pk")
    memberships = User.teams.through.objects.filter(team__is_active=True)
    first_team: dict[int, int] = {}
    for user_id, team_id in (
        memberships.filter(user__in=managers).order_by("user_id", "team__path").values_list("user_id", "team_id")
    ):
        first_team.setdefault(user_id, team_id)
    if not first_team:
        raise MissingTargetError("no sales manager in a team")
    sizes = dict(
        memberships.filter(team_id__in=set(first_team.values()), user__is_active=True)
        .values("team_id")
        .annotate(members=Count("pk"))
        .values_list("team_id", "members")
    )
    manager_id = min(first_team, key=lambda pk: (-sizes.get(first_team[pk], 0), first_team[pk], pk))
    return User.objects.get(pk=manager_id).get_username(), first_team[manager_id]


def team_lead() -> str:
    return _lead_and_team()[0]


def lead_team() -> str:
    return str(_lead_and_team()[1])


RESOLVERS: dict[str, Callable[[], str]] = {
    "persian_name": persian_name, "english_name": english_name, "phone": phone, "caller_number": caller_number,
    "email": email, "quiet_party": quiet_party, "busy_party": busy_party,
    "busy_representative": busy_representative, "busiest_representative": busiest_representative,
    "team_lead": team_lead, "lead_team": lead_team,
}  # fmt: skip


def resolve(names: Iterable[str]) -> dict[str, str]:
    """The targets named, each found once; a name no resolver knows is an error."""
    return {name: RESOLVERS[name]() for name in sorted(set(names))}
