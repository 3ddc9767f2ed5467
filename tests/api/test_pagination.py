"""Keyset pages: every visible row exactly once, bounded page sizes, refused cursors."""

from __future__ import annotations

from typing import Any

import pytest

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Scope
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.api.helpers import ApiClient, create_token, error

pytestmark = pytest.mark.django_db


def walk(api: ApiClient, path: str, limit: int, **params: Any) -> tuple[list[int], int]:
    """The ids of every page's items in order, and the number of pages."""
    ids: list[int] = []
    cursor, pages = None, 0
    while True:
        response = api.get(path, {**params, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages


def test_walking_the_users_returns_each_once_in_order(admin_user: User) -> None:
    for number in range(8):
        UserFactory(username=f"user-{number:02}")
    api = ApiClient(token=create_token(admin_user))

    ids, pages = walk(api, "/users", 3)

    assert ids == list(User.objects.order_by("username").values_list("pk", flat=True))
    assert (len(ids), pages) == (9, 3)


def test_walking_shows_only_what_the_caller_may_see() -> None:
    sales, support = TeamFactory(name="Sales"), TeamFactory(name="Support")
    manager = UserFactory(username="manager", teams=[sales],
                          roles=[RoleFactory(grants={("users", "view"): Scope.TEAM})])  # fmt: skip
    colleagues = [UserFactory(username=f"colleague-{number}", teams=[sales, support]) for number in range(5)]
    for number in range(4):
        UserFactory(username=f"outsider-{number}", teams=[support])

    ids, _pages = walk(ApiClient(token=create_token(manager)), "/users", 2)

    assert sorted(ids) == sorted([manager.pk] + [colleague.pk for colleague in colleagues])
    assert len(ids) == len(set(ids))


def test_walking_the_audit_trail_newest_first(admin_user: User) -> None:
    api = ApiClient(token=create_token(admin_user))
    for number in range(7):
        audit.record(actor=admin_user, kind=AuditEvent.Kind.UPDATE, object_type="tests.thing", object_id=str(number))

    ids, pages = walk(api, "/audit", 2, object_type="tests.thing")

    assert ids == list(AuditEvent.objects.filter(object_type="tests.thing").order_by("-at", "-pk").values_list("pk", flat=True))  # fmt: skip
    assert (len(ids), pages) == (7, 4)


def test_the_default_page_holds_fifty(admin_user: User) -> None:
    for number in range(50):
        UserFactory(username=f"user-{number:02}")

    body = ApiClient(token=create_token(admin_user)).get("/users").json()

    assert (len(body["items"]), body["next_cursor"] is not None) == (50, True)


@pytest.mark.parametrize(("limit", "message"), [(0, "Enter a number no smaller than 1."),
                                                (201, "Enter a number no greater than 200.")])  # fmt: skip
def test_a_limit_out_of_bounds_is_refused(admin_user: User, limit: int, message: str) -> None:
    response = ApiClient(token=create_token(admin_user)).get("/users", {"limit": limit})

    assert (response.status_code, response.json()) == (422, error(
        "validation_error", "Some of the values sent are not valid.", [{"field": "limit", "message": message}]
    ))  # fmt: skip


def test_a_forged_or_foreign_cursor_is_a_bad_request(admin_user: User) -> None:
    TeamFactory()
    TeamFactory()
    api = ApiClient(token=create_token(admin_user))
    team_cursor = api.get("/teams", {"limit": 1}).json()["next_cursor"]
    message = "This cursor is not valid here. Start again from the first page."

    for cursor in ("not-a-cursor", team_cursor, team_cursor[:-2] + "xx"):
        response = api.get("/users", {"cursor": cursor})
        assert (response.status_code, response.json()) == (400, error("bad_request", message, [{"field": "cursor", "message": message}]))  # fmt: skip
