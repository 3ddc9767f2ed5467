"""The accounts API: each operation's answer, its refusals (which change nothing) and its queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from peyvand.accounts import audit, services
from peyvand.accounts.models import ApiToken, AuditEvent, Team, User
from peyvand.accounts.permissions import Scope
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.api.helpers import ApiClient, as_json, create_token, error

pytestmark = pytest.mark.django_db

DENIED = error("permission_denied", "You do not have permission to do this.")
NOT_FOUND = error("not_found", "This was not found, or it is out of your reach.")
INVALID = "Some of the values sent are not valid."


def api_for(user: User, **token: Any) -> ApiClient:
    """A client with a token of ``user``, already used once (the first use writes last_used_at)."""
    api = ApiClient(token=create_token(user, **token))
    assert api.get("/me").status_code == 200
    return api


def user_with(
    grants: dict[tuple[str, str], Scope],
    *,
    teams: Iterable[Team] = (),
    sensitive: Iterable[tuple[str, str]] = (),
    **fields: Any,
) -> User:
    """A user holding one role with ``grants`` (and the ``sensitive`` fields)."""
    return UserFactory(roles=[RoleFactory(grants=grants, sensitive_fields=sensitive)], teams=list(teams), **fields)


def user_body(user: User, *, email: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": user.pk, "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": user.is_active, "language": user.language,
        "teams": [{"id": team.pk, "name": team.name} for team in user.teams.order_by("path")],
        "roles": [{"id": role.pk, "name": role.name} for role in user.roles.order_by("name")],
    }  # fmt: skip
    if not email:
        del body["email"]
    return body


def user_state(user: User) -> tuple[Any, ...]:
    user.refresh_from_db()
    return (user.username, user.first_name, user.email, user.is_active, user.language,
            sorted(user.roles.values_list("pk", flat=True)), sorted(user.teams.values_list("pk", flat=True)))  # fmt: skip


# The current user --------------------------------------------------------------------------------
def test_me_is_the_token_user_with_teams_roles_and_what_they_may_do(django_assert_num_queries: Any) -> None:
    sales = TeamFactory(name="Sales")
    role = RoleFactory(name="Seller", grants={("users", "view"): Scope.TEAM, ("audit", "view"): Scope.OWN})
    user = UserFactory(username="sara", roles=[role], teams=[sales])
    api = api_for(user)

    with django_assert_num_queries(6):
        response = api.get("/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk, "username": "sara", "first_name": "Sara", "last_name": "Ahmadi", "email": "sara@example.com",
        "language": "en", "digits": "auto", "theme": "auto", "is_administrator": False,
        "teams": [{"id": sales.pk, "name": "Sales"}], "roles": [{"id": role.pk, "name": "Seller"}],
        "permissions": {"users": {"view": "team"}, "audit": {"view": "own"}},
    }  # fmt: skip


def test_me_with_a_narrowed_token_shows_only_what_the_token_may_do(admin_user: User) -> None:
    api = ApiClient(token=create_token(admin_user, allowed_actions=("users:view",)))

    body = api.get("/me").json()

    assert (body["is_administrator"], body["permissions"]) == (False, {"users": {"view": "all"}})


def test_me_update_changes_only_the_preferences_sent() -> None:
    user = UserFactory(username="sara")
    api = api_for(user)

    response = api.patch("/me", {"theme": "dark", "digits": "latin"})

    assert response.status_code == 200
    assert (response.json()["language"], response.json()["digits"], response.json()["theme"]) == ("en", "latin", "dark")
    user.refresh_from_db()
    assert (user.language, user.digits, user.theme) == ("en", "latin", "dark")


def test_me_update_refuses_an_unknown_language_and_changes_nothing() -> None:
    user = UserFactory()
    api = api_for(user)

    response = api.patch("/me", {"language": "de", "theme": "dark"})

    assert response.status_code == 422
    assert response.json() == error("validation_error", INVALID, [{"field": "language", "message": "Choose one of: 'fa' or 'en'."}])  # fmt: skip
    user.refresh_from_db()
    assert (user.language, user.theme) == ("en", "auto")


# Users -------------------------------------------------------------------------------------------
def test_user_list_by_username_with_email_for_an_administrator(admin_user: User) -> None:
    team = TeamFactory(name="Sales")
    bita = UserFactory(username="bita", teams=[team])
    api = api_for(admin_user)

    response = api.get("/users")

    assert response.status_code == 200
    assert response.json() == {"items": [user_body(admin_user), user_body(bita)], "next_cursor": None}


def test_user_list_leaves_email_out_without_the_field_grant() -> None:
    viewer = user_with({("users", "view"): Scope.ALL}, username="viewer")
    api = api_for(viewer)

    items = api.get("/users").json()["items"]

    assert items == [user_body(viewer, email=False)]
    assert "email" not in items[0]


def test_user_list_shows_email_with_the_field_grant() -> None:
    viewer = user_with({("users", "view"): Scope.ALL}, sensitive=[("users", "email")], username="viewer")

    items = api_for(viewer).get("/users").json()["items"]

    assert items == [user_body(viewer)]


def test_user_list_with_own_scope_is_only_oneself() -> None:
    UserFactory(username="other")
    me = user_with({("users", "view"): Scope.OWN}, username="me")

    items = api_for(me).get("/users").json()["items"]

    assert [item["username"] for item in items] == ["me"]


def test_user_list_filters(admin_user: User) -> None:
    sales, support = TeamFactory(name="Sales"), TeamFactory(name="Support")
    seller = RoleFactory(name="Seller")
    UserFactory(username="bita", first_name="Bita", teams=[sales], roles=[seller])
    UserFactory(username="cyrus", first_name="Cyrus", teams=[support], roles=[seller])
    UserFactory(username="dara", first_name="Dara", teams=[sales], is_active=False)
    api = api_for(admin_user)

    def usernames(**params: Any) -> list[str]:
        return [item["username"] for item in api.get("/users", params).json()["items"]]

    assert usernames(search="cyr") == ["cyrus"]
    assert usernames(team=sales.pk) == ["bita", "dara"]
    assert usernames(role=seller.pk) == ["bita", "cyrus"]
    assert usernames(is_active="false") == ["dara"]
    assert usernames(team=sales.pk, is_active="true") == ["bita"]


def test_user_list_refuses_an_unknown_team(admin_user: User) -> None:
    response = api_for(admin_user).get("/users", {"team": 999})

    assert response.status_code == 422
    assert response.json() == error("validation_error", INVALID, [
        {"field": "team", "message": "Select a valid choice. That choice is not one of the available choices."}
    ])  # fmt: skip


def test_user_list_without_the_users_grant_is_refused() -> None:
    response = api_for(user_with({("audit", "view"): Scope.ALL})).get("/users")

    assert (response.status_code, response.json()) == (403, DENIED)


@pytest.mark.parametrize("rows", [3, 30])
def test_user_list_queries_do_not_grow_with_the_rows(
    admin_user: User, rows: int, django_assert_num_queries: Any
) -> None:
    teams = [TeamFactory(), TeamFactory()]
    role = RoleFactory()
    for _ in range(rows):
        UserFactory(teams=teams, roles=[role])
    api = api_for(admin_user)

    # The token and its user, four for the caller's grants, the page, its teams and its roles.
    with django_assert_num_queries(7):
        response = api.get("/users", {"limit": 200})

    assert len(response.json()["items"]) == rows + 1


def test_user_detail(admin_user: User, django_assert_num_queries: Any) -> None:
    team = TeamFactory(name="Sales")
    bita = UserFactory(username="bita", teams=[team])
    api = api_for(admin_user)

    with django_assert_num_queries(7):
        response = api.get(f"/users/{bita.pk}")

    assert (response.status_code, response.json()) == (200, user_body(bita))


def test_user_detail_out_of_reach_is_not_found_and_without_grant_refused() -> None:
    sales, support = TeamFactory(name="Sales"), TeamFactory(name="Support")
    outsider = UserFactory(teams=[support])
    manager = user_with({("users", "view"): Scope.TEAM}, teams=[sales])
    nobody = user_with({("audit", "view"): Scope.ALL})

    assert api_for(manager).get(f"/users/{outsider.pk}").json() == NOT_FOUND
    assert api_for(manager).get("/users/99999").status_code == 404
    assert api_for(nobody).get(f"/users/{outsider.pk}").json() == DENIED


def test_user_create_by_an_administrator_with_roles_and_teams(admin_user: User) -> None:
    team, role = TeamFactory(name="Sales"), RoleFactory(name="Seller")
    api = api_for(admin_user)

    response = api.post("/users", {
        "username": "bita", "first_name": "Bita", "last_name": "Karimi", "email": "bita@example.com",
        "language": "en", "password": "a-long-and-unusual-passphrase", "roles": [role.pk], "teams": [team.pk],
    })  # fmt: skip

    assert response.status_code == 201
    bita = User.objects.get(username="bita")
    assert response.json() == {
        "id": bita.pk, "username": "bita", "first_name": "Bita", "last_name": "Karimi", "email": "bita@example.com",
        "is_active": True, "language": "en", "teams": [{"id": team.pk, "name": "Sales"}],
        "roles": [{"id": role.pk, "name": "Seller"}],
    }  # fmt: skip
    assert bita.check_password("a-long-and-unusual-passphrase")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CREATE, object_type="accounts.user", object_id=str(bita.pk))
    assert (event.actor_id, event.changes["roles"], event.changes["teams"]) == (admin_user.pk, [None, ["Seller"]], [None, ["Sales"]])  # fmt: skip


def test_user_create_refused_to_a_non_administrator_giving_roles() -> None:
    role = RoleFactory(name="Seller")
    creator = user_with({("users", "view"): Scope.ALL, ("users", "create"): Scope.ALL}, username="creator")
    api = api_for(creator)
    count = User.objects.count()

    response = api.post("/users", {"username": "bita", "roles": [role.pk]})

    assert (response.status_code, response.json()) == (403, error("permission_denied", "You may not set: roles."))
    assert User.objects.count() == count


def test_user_create_by_a_team_manager_only_into_their_own_teams() -> None:
    sales, support = TeamFactory(name="Sales"), TeamFactory(name="Support")
    manager = user_with({("users", "view"): Scope.TEAM, ("users", "create"): Scope.TEAM}, teams=[sales])
    api = api_for(manager)
    count = User.objects.count()

    outside = api.post("/users", {"username": "bita", "teams": [support.pk]})
    nowhere = api.post("/users", {"username": "bita"})

    choose = {
        "field": "teams",
        "message": "Choose at least one of your teams, or you will not see this user afterwards.",
    }
    assert outside.json() == error("validation_error", INVALID, [
        {"field": "teams", "message": f"Select a valid choice. {support.pk} is not one of the available choices."}, choose
    ])  # fmt: skip
    assert nowhere.json() == error("validation_error", INVALID, [choose])
    assert User.objects.count() == count

    inside = api.post("/users", {"username": "bita", "teams": [sales.pk]})

    assert inside.status_code == 201
    assert inside.json() == user_body(User.objects.get(username="bita"), email=False)


def test_user_create_without_the_create_grant_is_refused() -> None:
    api = api_for(user_with({("users", "view"): Scope.ALL}))
    count = User.objects.count()

    response = api.post("/users", {"username": "bita"})

    assert (response.status_code, response.json()) == (403, DENIED)
    assert User.objects.count() == count


def test_user_create_refuses_a_taken_username_and_a_weak_password(admin_user: User) -> None:
    UserFactory(username="bita")
    count = User.objects.count()

    response = api_for(admin_user).post("/users", {"username": "BITA", "password": "password"})

    assert response.status_code == 422
    assert response.json() == error("validation_error", INVALID, [
        {"field": "username", "message": "Another user already has this username."},
        {"field": "password", "message": "This password is too short: it needs at least 10 characters."},
        {"field": "password", "message": "This password is one of the most common ones; choose another."},
    ])  # fmt: skip
    assert User.objects.count() == count


def test_user_update_changes_what_is_sent(admin_user: User) -> None:
    team, role = TeamFactory(name="Sales"), RoleFactory(name="Seller")
    bita = UserFactory(username="bita", first_name="Bita", teams=[team])
    api = api_for(admin_user)

    response = api.patch(f"/users/{bita.pk}", {"last_name": "Karimi", "roles": [role.pk]})

    assert response.status_code == 200
    bita.refresh_from_db()
    assert response.json() == user_body(bita)
    assert (bita.first_name, bita.last_name, list(bita.roles.all()), list(bita.teams.all())) == ("Bita", "Karimi", [role], [team])  # fmt: skip
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION_CHANGED, object_id=str(bita.pk))
    assert event.changes == {"last_name": ["Ahmadi", "Karimi"], "roles": [[], ["Seller"]]}


def test_changing_ones_own_teams_within_a_session_keeps_that_session(admin_user: User) -> None:
    team = TeamFactory(name="Sales")
    client = Client()
    client.force_login(admin_user)
    api = ApiClient(client)

    response = api.patch(f"/users/{admin_user.pk}", {"teams": [team.pk]})

    assert response.status_code == 200
    assert api.get("/me").json()["teams"] == [{"id": team.pk, "name": "Sales"}]


def test_only_an_administrator_changes_their_own_teams(db: None) -> None:
    sales, head_office = TeamFactory(name="Sales"), TeamFactory(name="Head office")
    manager = user_with({("users", "view"): Scope.ALL, ("users", "edit"): Scope.ALL}, teams=[sales])

    response = api_for(manager).patch(f"/users/{manager.pk}", {"teams": [sales.pk, head_office.pk]})

    assert response.status_code == 403
    assert response.json() == error("permission_denied", "You may not set: teams.")
    assert list(manager.teams.values_list("name", flat=True)) == ["Sales"]


def test_a_token_is_no_way_around_a_required_second_factor(db: None) -> None:
    # Given a token made before the user's role came to require two-factor login
    user = UserFactory(username="sara")
    _token, plain = services.api_token_create(
        actor=user, name="Script", expires_at=timezone.now() + dt.timedelta(days=9)
    )
    services.user_update(actor=None, user=user, roles=[RoleFactory(requires_two_factor=True)])

    response = ApiClient(token=plain).get("/me")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_user_update_refusals_change_nothing(admin_user: User) -> None:
    sales, support = TeamFactory(name="Sales"), TeamFactory(name="Support")
    role = RoleFactory(name="Seller")
    colleague = UserFactory(username="colleague", teams=[sales])
    outsider = UserFactory(username="outsider", teams=[support])
    editor = user_with({("users", "view"): Scope.TEAM, ("users", "edit"): Scope.TEAM}, teams=[sales])
    viewer = user_with({("users", "view"): Scope.ALL})
    admin_before, colleague_before, outsider_before = (
        user_state(admin_user),
        user_state(colleague),
        user_state(outsider),
    )
    editor_api = api_for(editor)

    assert editor_api.patch(f"/users/{colleague.pk}", {"roles": [role.pk]}).json() == error("permission_denied", "You may not set: roles.")  # fmt: skip
    assert editor_api.patch(f"/users/{outsider.pk}", {"first_name": "X"}).json() == NOT_FOUND
    assert api_for(viewer).patch(f"/users/{colleague.pk}", {"first_name": "X"}).json() == DENIED
    # Only an administrator changes an administrator.
    assert (
        api_for(user_with({("users", "view"): Scope.ALL, ("users", "edit"): Scope.ALL}))
        .patch(f"/users/{admin_user.pk}", {"first_name": "X"})
        .json()
        == DENIED
    )
    assert (user_state(admin_user), user_state(colleague), user_state(outsider)) == (admin_before, colleague_before, outsider_before)  # fmt: skip


def test_user_update_refuses_null_and_deactivating_oneself(admin_user: User) -> None:
    api = api_for(admin_user)
    before = user_state(admin_user)

    null = api.patch(f"/users/{admin_user.pk}", {"first_name": None})
    myself = api.patch(f"/users/{admin_user.pk}", {"is_active": False})

    assert null.json() == error("validation_error", INVALID, [{"field": "first_name", "message": "This field cannot be null; leave it out to keep its value."}])  # fmt: skip
    assert myself.json() == error("validation_error", INVALID, [{"field": "is_active", "message": "You cannot deactivate your own account."}])  # fmt: skip
    assert user_state(admin_user) == before


# Teams -------------------------------------------------------------------------------------------
def team_body(team: Team) -> dict[str, Any]:
    team.refresh_from_db()
    return {"id": team.pk, "name": team.name, "kind": team.kind, "parent_id": team.parent_id, "depth": team.depth,
            "is_active": team.is_active}  # fmt: skip


def test_team_list_in_tree_order(admin_user: User, django_assert_num_queries: Any) -> None:
    tehran = TeamFactory(name="Tehran", kind=Team.Kind.BRANCH)
    sales = TeamFactory(name="Sales", parent=tehran)
    isfahan = TeamFactory(name="Isfahan", kind=Team.Kind.BRANCH)
    api = api_for(admin_user)

    with django_assert_num_queries(5):
        response = api.get("/teams")

    assert response.json() == {"items": [team_body(tehran), team_body(sales), team_body(isfahan)], "next_cursor": None}


def test_team_list_and_detail_without_the_teams_grant_are_refused() -> None:
    team = TeamFactory()
    api = api_for(user_with({("users", "view"): Scope.ALL}))

    assert api.get("/teams").json() == DENIED
    assert api.get(f"/teams/{team.pk}").json() == DENIED


def test_team_detail(admin_user: User, django_assert_num_queries: Any) -> None:
    team = TeamFactory(name="Sales")
    api = api_for(admin_user)

    with django_assert_num_queries(5):
        response = api.get(f"/teams/{team.pk}")

    assert (response.status_code, response.json()) == (200, team_body(team))
    assert api.get("/teams/99999").json() == NOT_FOUND


def test_team_create(admin_user: User) -> None:
    tehran = TeamFactory(name="Tehran")

    response = api_for(admin_user).post("/teams", {"name": "Sales", "kind": "group", "parent_id": tehran.pk})

    assert response.status_code == 201
    sales = Team.objects.get(name="Sales")
    assert response.json() == {"id": sales.pk, "name": "Sales", "kind": "group", "parent_id": tehran.pk, "depth": 1,
                               "is_active": True}  # fmt: skip
    assert sales.path == f"/{tehran.pk}/{sales.pk}/"


def test_team_create_refusals_create_nothing(admin_user: User) -> None:
    TeamFactory(name="Sales")
    count = Team.objects.count()

    refused = api_for(user_with({("teams", "view"): Scope.ALL})).post("/teams", {"name": "Support"})
    taken = api_for(admin_user).post("/teams", {"name": "sales"})
    unknown_parent = api_for(admin_user).post("/teams", {"name": "Support", "parent_id": 999})

    assert refused.json() == DENIED
    assert taken.json() == error("validation_error", INVALID, [{"field": "name", "message": "Another team with this name is already there."}])  # fmt: skip
    assert unknown_parent.json() == error("validation_error", INVALID, [
        {"field": "parent_id", "message": "Select a valid choice. That choice is not one of the available choices."}
    ])  # fmt: skip
    assert Team.objects.count() == count


def test_team_update_moves_and_renames(admin_user: User) -> None:
    tehran, sales = TeamFactory(name="Tehran"), TeamFactory(name="Sales")

    response = api_for(admin_user).patch(f"/teams/{sales.pk}", {"name": "Sales Tehran", "parent_id": tehran.pk})

    assert response.status_code == 200
    assert response.json() == team_body(sales)
    assert (sales.name, sales.parent_id, sales.path) == ("Sales Tehran", tehran.pk, f"/{tehran.pk}/{sales.pk}/")


def test_team_update_under_its_own_sub_team_is_a_conflict_and_changes_nothing(admin_user: User) -> None:
    tehran = TeamFactory(name="Tehran")
    sales = TeamFactory(name="Sales", parent=tehran)

    response = api_for(admin_user).patch(f"/teams/{tehran.pk}", {"parent_id": sales.pk})

    assert response.status_code == 409
    assert response.json() == error("conflict", "A team cannot be placed under itself or one of its own teams.")
    tehran.refresh_from_db()
    assert (tehran.parent_id, tehran.path) == (None, f"/{tehran.pk}/")


def test_team_update_without_the_edit_grant_is_refused() -> None:
    team = TeamFactory(name="Sales")

    response = api_for(user_with({("teams", "view"): Scope.ALL})).patch(f"/teams/{team.pk}", {"name": "X"})

    assert response.json() == DENIED
    assert Team.objects.get(pk=team.pk).name == "Sales"


def test_team_delete(admin_user: User) -> None:
    team = TeamFactory(name="Sales")

    response = api_for(admin_user).delete(f"/teams/{team.pk}")

    assert (response.status_code, response.content) == (204, b"")
    assert not Team.objects.filter(pk=team.pk).exists()


def test_team_delete_refusals_delete_nothing(admin_user: User) -> None:
    team = TeamFactory(name="Sales")
    UserFactory(teams=[team])
    empty = TeamFactory(name="Empty")

    in_use = api_for(admin_user).delete(f"/teams/{team.pk}")
    refused = api_for(user_with({("teams", "view"): Scope.ALL, ("teams", "edit"): Scope.ALL})).delete(
        f"/teams/{empty.pk}"
    )

    assert (in_use.status_code, in_use.json()) == (409, error("conflict", "This team still has members or sub-teams; move them elsewhere first."))  # fmt: skip
    assert (refused.status_code, refused.json()) == (403, DENIED)
    assert Team.objects.filter(pk__in=[team.pk, empty.pk]).count() == 2


# Roles -------------------------------------------------------------------------------------------
def test_role_list_with_grants_for_an_administrator(admin_user: User, django_assert_num_queries: Any) -> None:
    seller = RoleFactory(
        name="Seller", grants={("users", "view"): Scope.TEAM, ("audit", "view"): Scope.OWN},
        sensitive_fields=[("users", "email")],
    )  # fmt: skip
    api = api_for(admin_user)

    with django_assert_num_queries(7):
        response = api.get("/roles")

    assert response.json() == {"items": [
        {"id": admin_user.roles.get().pk, "name": "Administrators", "description": "", "is_administrator": True,
         "requires_two_factor": False, "grants": [], "sensitive_fields": []},
        {"id": seller.pk, "name": "Seller", "description": "", "is_administrator": False, "requires_two_factor": False,
         "grants": [{"module": "audit", "action": "view", "scope": "own"},
                    {"module": "users", "action": "view", "scope": "team"}],
         "sensitive_fields": [{"module": "users", "field": "email"}]},
    ], "next_cursor": None}  # fmt: skip


def test_role_detail(admin_user: User, django_assert_num_queries: Any) -> None:
    role = RoleFactory(name="Seller", grants={("users", "view"): Scope.ALL})
    api = api_for(admin_user)

    with django_assert_num_queries(7):
        response = api.get(f"/roles/{role.pk}")

    assert response.json() == {"id": role.pk, "name": "Seller", "description": "", "is_administrator": False,
                               "requires_two_factor": False, "grants": [{"module": "users", "action": "view", "scope": "all"}],
                               "sensitive_fields": []}  # fmt: skip
    assert api.get("/roles/99999").json() == NOT_FOUND


def test_roles_are_for_administrators_only(admin_user: User) -> None:
    role = RoleFactory()
    manager = api_for(user_with({("users", "view"): Scope.ALL, ("users", "edit"): Scope.ALL}))
    narrowed_admin = ApiClient(token=create_token(admin_user, allowed_actions=("users:view",)))

    for api in (manager, narrowed_admin):
        assert api.get("/roles").json() == DENIED
        assert api.get(f"/roles/{role.pk}").json() == DENIED


# API tokens --------------------------------------------------------------------------------------
def token_body(token: ApiToken) -> dict[str, Any]:
    token.refresh_from_db()
    return as_json({
        "id": token.pk, "name": token.name, "prefix": token.prefix, "allowed_actions": token.allowed_actions,
        "created_at": token.created_at, "expires_at": token.expires_at, "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    })  # fmt: skip


def test_token_list_is_only_ones_own_newest_first(django_assert_num_queries: Any) -> None:
    user = UserFactory()
    api = api_for(user)
    create_token(UserFactory(), name="someone else's")
    newer = create_token(user, name="newer", allowed_actions=("users:view",))

    with django_assert_num_queries(5):
        response = api.get("/tokens")

    first, second = ApiToken.objects.get(prefix=newer.split("_")[1]), ApiToken.objects.get(user=user, name="tests")
    assert response.json() == {"items": [token_body(first), token_body(second)], "next_cursor": None}


def test_token_create_with_a_session_shows_the_token_once_and_it_works() -> None:
    user = user_with({("users", "view"): Scope.ALL})
    client = Client()
    client.force_login(user)

    response = ApiClient(client).post("/tokens", {"name": "export", "expires_in_days": 10,
                                                  "allowed_actions": ["users:view"]})  # fmt: skip

    assert response.status_code == 201
    token = ApiToken.objects.get(user=user, name="export")
    body = response.json()
    assert body == {**token_body(token), "token": body["token"]}
    assert body["token"].startswith(f"pvd_{token.prefix}_")
    assert (token.allowed_actions, token.expires_at.date()) == (["users:view"], (timezone.now() + dt.timedelta(days=10)).date())  # fmt: skip
    assert ApiClient(token=body["token"]).get("/me").json()["permissions"] == {"users": {"view": "all"}}


def test_token_create_with_a_narrowed_token_is_refused_and_creates_nothing(admin_user: User) -> None:
    api = ApiClient(token=create_token(admin_user, allowed_actions=("users:view",)))
    count = ApiToken.objects.count()

    response = api.post("/tokens", {"name": "more"})

    assert response.json() == error("permission_denied", "A token narrowed to some actions cannot create tokens.")
    assert ApiToken.objects.count() == count


def test_token_create_with_a_full_token(admin_user: User) -> None:
    response = api_for(admin_user).post("/tokens", {"name": "more"})

    assert response.status_code == 201
    assert ApiToken.objects.get(name="more").allowed_actions == []


def test_token_create_refuses_actions_the_user_may_not_do() -> None:
    user = user_with({("users", "view"): Scope.ALL})
    api = api_for(user)
    count = ApiToken.objects.count()

    response = api.post("/tokens", {"name": "x", "allowed_actions": ["users:edit"]})

    assert response.json() == error("validation_error", INVALID, [
        {"field": "allowed_actions", "message": "Select a valid choice. users:edit is not one of the available choices."}
    ])  # fmt: skip
    assert ApiToken.objects.count() == count


def test_token_revoke_own_token_stops_it() -> None:
    user = UserFactory()
    api = api_for(user)
    other = create_token(user, name="other")
    other_id = ApiToken.objects.get(name="other").pk

    response = api.delete(f"/tokens/{other_id}")

    assert (response.status_code, response.content) == (204, b"")
    assert ApiToken.objects.get(pk=other_id).revoked_at is not None
    assert ApiClient(token=other).get("/me").status_code == 401


def test_token_revoke_of_another_users_token_is_not_found_and_changes_nothing() -> None:
    api = api_for(UserFactory())
    create_token(UserFactory(), name="theirs")
    theirs = ApiToken.objects.get(name="theirs")

    response = api.delete(f"/tokens/{theirs.pk}")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


# The audit trail ---------------------------------------------------------------------------------
def event_body(event: AuditEvent, changes: list[dict[str, Any]]) -> dict[str, Any]:
    return as_json({
        "id": event.pk, "at": event.at, "kind": event.kind, "actor_id": event.actor_id, "actor_label": event.actor_label,
        "address": event.address, "object_type": event.object_type, "object_id": event.object_id,
        "object_label": event.object_label, "changes": changes,
    })  # fmt: skip


def test_audit_list_newest_first(admin_user: User) -> None:
    api = api_for(admin_user)
    bita = UserFactory(username="bita", first_name="Bita")
    services.user_update(actor=admin_user, user=bita, last_name="Karimi")
    login = audit.record(actor=bita, kind=AuditEvent.Kind.LOGIN, instance=bita, address="10.0.0.7")
    update = AuditEvent.objects.get(kind=AuditEvent.Kind.UPDATE, object_id=str(bita.pk))

    response = api.get("/audit", {"limit": 2})

    assert response.json()["items"] == [
        event_body(login, []),
        event_body(
            update, [{"field": "last_name", "old": "Ahmadi", "new": "Karimi", "is_change": True, "hidden": False}]
        ),
    ]


def test_audit_list_filters(admin_user: User) -> None:
    api = api_for(admin_user)
    bita, cyrus = UserFactory(username="bita"), UserFactory(username="cyrus")
    first = audit.record(actor=bita, kind=AuditEvent.Kind.LOGIN, instance=bita)
    second = audit.record(actor=cyrus, kind=AuditEvent.Kind.LOGIN, instance=cyrus)
    logout = audit.record(actor=bita, kind=AuditEvent.Kind.LOGOUT, instance=bita)

    def ids(**params: Any) -> list[int]:
        return [item["id"] for item in api.get("/audit", params).json()["items"]]

    assert ids(kind="login", object_type="accounts.user") == [second.pk, first.pk]
    assert ids(object_type="accounts.user", object_id=str(bita.pk), actor=bita.pk) == [logout.pk, first.pk]
    assert ids(since=logout.at.isoformat()) == [logout.pk]
    assert ids(kind="login", until=second.at.isoformat()) == [first.pk]


def test_audit_list_with_own_scope_shows_only_ones_doings() -> None:
    me = user_with({("audit", "view"): Scope.OWN}, username="me")
    other = UserFactory()
    mine = audit.record(actor=me, kind=AuditEvent.Kind.LOGIN, instance=me)
    audit.record(actor=other, kind=AuditEvent.Kind.LOGIN, instance=other)
    api = api_for(me)

    items = api.get("/audit").json()["items"]

    assert [item["id"] for item in items if item["kind"] == "login"] == [mine.pk]
    assert {item["actor_id"] for item in items} == {me.pk}


def test_audit_hides_sensitive_changes_without_the_field_grant(admin_user: User) -> None:
    bita = UserFactory(username="bita")
    services.user_update(actor=admin_user, user=bita, email="new@example.com")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.UPDATE, object_id=str(bita.pk))
    api = api_for(user_with({("audit", "view"): Scope.ALL}))

    response = api.get(f"/audit/{event.pk}")

    assert response.json() == event_body(event, [{"field": "email", "old": None, "new": None, "is_change": True, "hidden": True}])  # fmt: skip


def test_audit_without_the_grant_is_refused_and_out_of_scope_not_found() -> None:
    other = UserFactory()
    event = audit.record(actor=other, kind=AuditEvent.Kind.LOGIN, instance=other)

    assert api_for(user_with({("users", "view"): Scope.ALL})).get("/audit").json() == DENIED
    assert api_for(user_with({("audit", "view"): Scope.OWN})).get(f"/audit/{event.pk}").json() == NOT_FOUND


def test_audit_detail(admin_user: User, django_assert_num_queries: Any) -> None:
    event = audit.record(actor=admin_user, kind=AuditEvent.Kind.LOGIN_FAILED, object_type="accounts.user",
                         object_label="bita", changes={"reason": "password"})  # fmt: skip
    api = api_for(admin_user)

    with django_assert_num_queries(5):
        response = api.get(f"/audit/{event.pk}")

    assert response.json() == event_body(event, [{"field": "reason", "old": None, "new": "password", "is_change": False, "hidden": False}])  # fmt: skip


@pytest.mark.parametrize("rows", [3, 30])
def test_audit_list_queries_do_not_grow_with_the_rows(
    admin_user: User, rows: int, django_assert_num_queries: Any
) -> None:
    for number in range(rows):
        audit.record(actor=admin_user, kind=AuditEvent.Kind.UPDATE, object_type="accounts.user", object_id=str(number),
                     changes={"email": ["a@example.com", "b@example.com"]})  # fmt: skip
    api = api_for(admin_user)

    # The token and its user, four for the caller's grants, the page.
    with django_assert_num_queries(5):
        response = api.get("/audit", {"limit": 200, "kind": "update"})

    assert len(response.json()["items"]) == rows


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_no_operation_writes_the_audit_trail(admin_user: User, method: str) -> None:
    event = audit.record(actor=admin_user, kind=AuditEvent.Kind.LOGIN, instance=admin_user)
    api = api_for(admin_user)
    count = AuditEvent.objects.count()

    for path in ("/audit", f"/audit/{event.pk}"):
        # A refused method is answered before logging in, so the client's language decides.
        response = api.send(method, path, {"kind": "logout", "object_label": "forged"}, **{"Accept-Language": "en"})
        assert response.status_code == 405
        assert response.json() == error("method_not_allowed", "This address does not accept this method.")
        assert response["Allow"] == "GET"

    assert AuditEvent.objects.count() == count
    assert AuditEvent.objects.get(pk=event.pk).kind == AuditEvent.Kind.LOGIN
