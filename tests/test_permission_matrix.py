"""Every page and API operation, for every kind of user: the answer each one gets.

The table below must name every URL pattern and every API operation; a new one that is not
declared fails ``test_every_route_is_declared``. Each declared case is requested as an anonymous
visitor, a user with no role, users whose role grants the OWN, TEAM and ALL scopes, and an
administrator. A refused request that would change something is checked to have changed nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from peyvand.accounts import audit, notifications, services
from peyvand.accounts.models import AuditEvent, Role, Team, User
from peyvand.accounts.permissions import Scope, modules
from peyvand.api import api
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


def _grants(scope: Scope) -> dict[tuple[str, str], int]:
    return {(module.key, action): scope for module in modules() for action in module.actions}


def build_world() -> World:
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
    return World(
        users=users, colleague=colleague, stranger=stranger, sales=sales, other_branch=other_branch,
        empty_team=empty_team, role=RoleFactory(name="Spare role"), stranger_token_id=token.pk,
        stranger_notification_id=note.pk, stranger_event_id=event.pk,
    )  # fmt: skip


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

CASES: list[Case] = [
    # The shell
    Case("home", PAGE),
    Case("search", PAGE, data=lambda w: {"q": "stranger"}),
    Case("favicon", (301,) * 6),
    # Logging in and out
    Case("accounts:login", (200, 302, 302, 302, 302, 302)),
    Case(
        "accounts:login",
        (200, 302, 302, 302, 302, 302),
        method="POST",
        data=lambda w: {"username": "stranger", "password": "wrong"},
        note="wrong password",
    ),
    Case("accounts:login_code", (302,) * 6),
    Case("accounts:logout", (405,) * 6),
    Case("accounts:logout", (302,) * 6, method="POST"),
    Case("accounts:set_language", (302,) * 6, method="POST", data=lambda w: {"language": "en"}),
    Case("accounts:password_reset", (200,) * 6),
    Case("accounts:password_reset_done", (200,) * 6),
    Case("accounts:password_reset_confirm", (200,) * 6, args=lambda w: ["MQ", "bad-token"]),
    Case("accounts:password_reset_complete", (200,) * 6),
    # The user's own account
    Case("accounts:profile", PAGE),
    Case("accounts:password_change", PAGE),
    Case("accounts:two_factor_setup", PAGE),
    Case(
        "accounts:two_factor_disable",
        (LOGIN, 302, 302, 302, 302, 302),
        method="POST",
        note="without two-factor login on",
    ),
    Case("accounts:token_list", PAGE),
    Case(
        "accounts:token_revoke",
        (LOGIN, 404, 404, 404, 404, 404),
        method="POST",
        args=lambda w: [w.stranger_token_id],
        note="someone else's token",
    ),
    # Notifications
    Case("accounts:notification_list", PAGE),
    Case("accounts:notification_bell", (204, 200, 200, 200, 200, 200)),
    Case(
        "accounts:notification_mark_read",
        (LOGIN, 302, 302, 302, 302, 302),
        method="POST",
        data=lambda w: {"id": [w.stranger_notification_id]},
        note="someone else's notification",
    ),
    # Users
    Case("accounts:user_list", (LOGIN, 403, 200, 200, 200, 200)),
    Case("accounts:user_detail", (LOGIN, 403, 404, 200, 200, 200), args=lambda w: [w.colleague.pk], note="colleague"),
    Case("accounts:user_detail", (LOGIN, 403, 404, 404, 200, 200), args=lambda w: [w.stranger.pk], note="stranger"),
    Case("accounts:user_create", (LOGIN, 403, 200, 200, 200, 200)),
    Case(
        "accounts:user_create",
        (LOGIN, 403, 200, 200, 200, 200),
        method="POST",
        data=lambda w: {"username": ""},
        note="invalid form",
    ),
    Case("accounts:user_edit", (LOGIN, 403, 404, 200, 200, 200), args=lambda w: [w.colleague.pk]),
    Case(
        "accounts:user_edit",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=lambda w: [w.stranger.pk],
        data=lambda w: {
            "username": "stranger",
            "first_name": "Changed",
            "last_name": "x",
            "email": "s@example.com",
            "language": "en",
            "is_active": "on",
            "teams": [w.other_branch.pk],
        },
        note="stranger",
    ),
    Case("accounts:user_set_password", (LOGIN, 403, 404, 404, 200, 200), args=lambda w: [w.stranger.pk]),
    Case("accounts:user_end_sessions", (LOGIN, 403, 404, 404, 302, 302), method="POST", args=lambda w: [w.stranger.pk]),
    Case(
        "accounts:user_unlock",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=lambda w: [w.stranger.pk],
    ),
    Case(
        "accounts:user_two_factor_reset",
        (LOGIN, 403, 403, 403, 403, 302),
        method="POST",
        args=lambda w: [w.stranger.pk],
    ),
    # Teams
    Case("accounts:team_list", (LOGIN, 403, 200, 200, 200, 200)),
    Case("accounts:team_create", (LOGIN, 403, 200, 200, 200, 200)),
    Case(
        "accounts:team_create",
        (LOGIN, 403, 302, 302, 302, 302),
        method="POST",
        data=lambda w: {"name": "New team", "kind": "department", "parent": w.sales.pk},
    ),
    Case("accounts:team_edit", (LOGIN, 403, 200, 200, 200, 200), args=lambda w: [w.other_branch.pk]),
    Case("accounts:team_delete", (LOGIN, 403, 302, 302, 302, 302), method="POST", args=lambda w: [w.empty_team.pk]),
    # Roles: administrators only
    Case("accounts:role_list", (LOGIN, 403, 403, 403, 403, 200)),
    Case("accounts:role_create", (LOGIN, 403, 403, 403, 403, 200)),
    Case("accounts:role_edit", (LOGIN, 403, 403, 403, 403, 200), args=lambda w: [w.role.pk]),
    Case("accounts:role_delete", (LOGIN, 403, 403, 403, 403, 302), method="POST", args=lambda w: [w.role.pk]),
    # The audit trail
    Case("accounts:audit_list", (LOGIN, 403, 200, 200, 200, 200)),
    Case("accounts:audit_export", (LOGIN, 403, 200, 200, 200, 200)),
    Case("accounts:audit_list", (LOGIN, 405, 405, 405, 405, 405), method="POST", note="cannot be changed"),
    # The API
    Case("api:openapi-json", (200,) * 6),
    Case("api:openapi-view", (200,) * 6),
    Case("api:api-root", (404,) * 6),
    Case("api:unknown", (404,) * 6, path="/api/v1/nowhere"),
    Case("GET /me", API_OWN),
    Case("PATCH /me", API_OWN, method="PATCH", data=lambda w: {"theme": "dark"}),
    Case("GET /users", (401, 403, 200, 200, 200, 200)),
    Case(
        "POST /users",
        (401, 403, 201, 201, 201, 201),
        method="POST",
        data=lambda w: {"username": "newbie", "password": "a-long-enough-passw0rd", "teams": [w.sales.pk]},
    ),
    Case("GET /users/{user_id}", (401, 403, 404, 404, 200, 200), args=lambda w: [w.stranger.pk]),
    Case(
        "PATCH /users/{user_id}",
        (401, 403, 404, 404, 200, 200),
        method="PATCH",
        args=lambda w: [w.stranger.pk],
        data=lambda w: {"first_name": "Changed"},
    ),
    Case("GET /teams", (401, 403, 200, 200, 200, 200)),
    Case(
        "POST /teams",
        (401, 403, 201, 201, 201, 201),
        method="POST",
        data=lambda w: {"name": "New team", "kind": "department", "parent_id": w.sales.pk},
    ),
    Case("GET /teams/{team_id}", (401, 403, 200, 200, 200, 200), args=lambda w: [w.other_branch.pk]),
    Case(
        "PATCH /teams/{team_id}",
        (401, 403, 200, 200, 200, 200),
        method="PATCH",
        args=lambda w: [w.empty_team.pk],
        data=lambda w: {"name": "Renamed"},
    ),
    Case("DELETE /teams/{team_id}", (401, 403, 204, 204, 204, 204), method="DELETE", args=lambda w: [w.empty_team.pk]),
    Case("GET /roles", (401, 403, 403, 403, 403, 200)),
    Case("GET /roles/{role_id}", (401, 403, 403, 403, 403, 200), args=lambda w: [w.role.pk]),
    Case("GET /tokens", API_OWN),
    Case("POST /tokens", (401, 201, 201, 201, 201, 201), method="POST", data=lambda w: {"name": "Script"}),
    Case(
        "DELETE /tokens/{token_id}",
        (401, 404, 404, 404, 404, 404),
        method="DELETE",
        args=lambda w: [w.stranger_token_id],
    ),
    Case("GET /audit", (401, 403, 200, 200, 200, 200)),
    Case("GET /audit/{event_id}", (401, 403, 404, 404, 200, 200), args=lambda w: [w.stranger_event_id]),
]


def _url_patterns() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
                walk(pattern.url_patterns, inner or namespace)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))

    walk(get_resolver().url_patterns, "")
    return names


def _api_operations() -> set[str]:
    operations = set()
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                operations.update(f"{method} {path}" for method in operation.methods)
    return operations


def test_every_route_is_declared() -> None:
    declared = {case.route for case in CASES}
    api_paths = {name for name in _url_patterns() if name.startswith("api:")} - {
        "api:openapi-json", "api:openapi-view", "api:api-root", "api:unknown",
    }  # fmt: skip
    expected = (_url_patterns() - api_paths) | _api_operations()

    assert sorted(expected - declared) == [], "routes with no declared answer"
    assert sorted(declared - expected) == [], "declared routes that no longer exist"


def _fingerprint() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model is not Session and model._meta.managed
    }


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def _request(client: Client, case: Case, world: World) -> Any:
    url, data = case.url(world), case.data(world)
    if case.is_api and case.method != "GET":
        return client.generic(case.method, url, data=json.dumps(data), content_type="application/json")
    if case.method == "GET":
        return client.get(url, data)
    return client.generic(case.method, url, data=_encode(data), content_type="application/x-www-form-urlencoded")


def _encode(data: dict[str, Any]) -> str:
    return urlencode(data, doseq=True)


REFUSED = {401, 403, 404, 405}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_answer(case: Case, persona: str) -> None:
    world = build_world()
    client = _client(world, persona)
    before = _fingerprint() if case.method != "GET" else None

    response = _request(client, case, world)

    expected = case.expect[PERSONAS.index(persona)]
    assert response.status_code == expected, f"{case.id} as {persona}"
    if expected == LOGIN and persona == "anonymous" and case.route not in ("accounts:logout", "accounts:set_language"):
        assert response["Location"].startswith("/accounts/login/")
    refused = expected in REFUSED or (persona == "anonymous" and expected == LOGIN)
    if before is not None and refused:
        assert _fingerprint() == before, f"a refused {case.id} as {persona} changed something"
