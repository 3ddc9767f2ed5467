"""The world every permission case runs in, and how a case is declared.

The table below must name every URL pattern and every API operation; a new one that is not
declared fails ``test_every_route_is_declared``. Each declared case is requested as an anonymous
visitor, a user with no role, users whose role grants the OWN, TEAM and ALL scopes, and an
administrator. A refused request that would change something is checked to have changed nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from peyvand.accounts import audit, notifications, services
from peyvand.accounts.models import AuditEvent, Role, Team, User
from peyvand.accounts.permissions import Scope, modules
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory

PERSONAS = ("anonymous", "nobody", "own", "team", "all", "admin")


@dataclass
class World:
    """The records every case can point at; the personas work in the sales team."""

    users: dict[str, User]
    colleague: User  # in a team below sales: within the TEAM scope
    stranger: User  # in another branch
    sales: Team
    other_branch: Team
    empty_team: Team
    role: Role
    stranger_token_id: int
    stranger_notification_id: int
    stranger_event_id: int
    # Records the apps' case modules add (see BUILDERS): "person_of_colleague" and the like.
    extra: dict[str, Any] = field(default_factory=dict)


def _grants(scope: Scope) -> dict[tuple[str, str], int]:
    return {(module.key, action): scope for module in modules() for action in module.actions}


def build_world(modules: frozenset[str] | None = None) -> World:
    """The world; with ``modules``, only the builders defined in those modules (and in this one) run,
    so a case pays only for the records its own module's cases point at."""
    head_office = TeamFactory(name="Head office", kind=Team.Kind.BRANCH)
    sales = TeamFactory(name="Sales", parent=head_office)
    field_sales = TeamFactory(name="Field sales", parent=sales)
    other_branch = TeamFactory(name="Isfahan", kind=Team.Kind.BRANCH)
    empty_team = TeamFactory(name="Empty", parent=other_branch)
    roles = {
        "own": RoleFactory(name="Own", grants=_grants(Scope.OWN)),
        "team": RoleFactory(name="Team", grants=_grants(Scope.TEAM)),
        "all": RoleFactory(name="All", grants=_grants(Scope.ALL)),
        "admin": RoleFactory(name="Administrators", is_administrator=True),
    }
    users = {"nobody": UserFactory(username="nobody", teams=[sales])}
    for persona, role in roles.items():
        users[persona] = UserFactory(username=persona, roles=[role], teams=[sales])
    colleague = UserFactory(username="colleague", teams=[field_sales])
    stranger = UserFactory(username="stranger", teams=[other_branch])
    token, _ = services.api_token_create(actor=stranger, name="Till", expires_at=_in_a_month())
    note = notifications.notification_send(recipient=stranger, title="For the stranger only")
    event = audit.record(actor=stranger, kind=AuditEvent.Kind.UPDATE, instance=stranger)
    world = World(
        users=users, colleague=colleague, stranger=stranger, sales=sales, other_branch=other_branch,
        empty_team=empty_team, role=RoleFactory(name="Spare role"), stranger_token_id=token.pk,
        stranger_notification_id=note.pk, stranger_event_id=event.pk,
    )  # fmt: skip
    for build in BUILDERS:
        if modules is None or build.__module__ == __name__ or build.__module__ in modules:
            build(world)
    return world


# Functions that add an app's records to the world; case modules append theirs when imported.
BUILDERS: list[Callable[[World], None]] = []


def _in_a_month() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=30)


Expect = tuple[int, int, int, int, int, int]  # anonymous, nobody, own, team, all, admin


@dataclass(frozen=True)
class Case:
    route: str  # a URL name ("accounts:user_list") or an API operation ("GET /users/{user_id}")
    expect: Expect
    path: str = ""  # for a pattern that cannot be reversed
    method: str = "GET"
    args: Callable[[World], list[Any]] = field(default=lambda world: [])
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    note: str = ""

    @property
    def is_api(self) -> bool:
        return " " in self.route

    def url(self, world: World) -> str:
        if self.path:
            return self.path
        if self.is_api:
            path = self.route.split(" ", 1)[1]
            for value in self.args(world):
                path = path.replace(path[path.index("{") : path.index("}") + 1], str(value), 1)
            return f"/api/v1{path}"
        return reverse(self.route, args=self.args(world))

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}{' ' + self.note if self.note else ''}"


LOGIN = 302  # an anonymous visitor is sent to the login page
PAGE = (LOGIN, 200, 200, 200, 200, 200)
API_OWN = (401, 200, 200, 200, 200, 200)


def _customer_records(world: World) -> None:
    """A person, a company and a lead of the colleague (TEAM scope) and of the stranger (ALL only),
    and a person of the "own" persona itself."""
    from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

    field_sales = world.colleague.teams.get()
    makers = {"person": PersonFactory, "company": CompanyFactory, "lead": LeadFactory}
    for kind, factory in makers.items():
        world.extra[f"{kind}_of_colleague"] = factory(owner=world.colleague, team=field_sales,
                                                      phones=[f"0912 000 00{len(world.extra):02d}"])  # fmt: skip
        world.extra[f"{kind}_of_stranger"] = factory(owner=world.stranger, team=world.other_branch)
    world.extra["person_of_own"] = PersonFactory(owner=world.users["own"], team=world.sales)


BUILDERS.append(_customer_records)
