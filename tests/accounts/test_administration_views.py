"""The administration pages: users, teams, roles and the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from peyvand.accounts import audit, services
from peyvand.accounts.models import AuditEvent, Role, RoleFieldGrant, RoleGrant, Team, User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, TeamFactory, UserFactory, with_two_factor

pytestmark = pytest.mark.django_db

USERS_URL = "/accounts/users/"
TEAMS_URL = "/accounts/teams/"
ROLES_URL = "/accounts/roles/"
AUDIT_URL = "/accounts/audit/"
EXPORT_URL = "/accounts/audit/export/"
NEW_PASSWORD = "a-brand-new-pass-phrase"
# A logged-in page: the session, the user, their grants (roles, grants, field grants, teams).
PAGE_QUERIES = 6
ALL_USERS = {("users", action): Scope.ALL for action in Action.values}


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


def _user_with(grants: dict[tuple[str, str], int], *, teams: tuple[Team, ...] = (),
               sensitive_fields: tuple[tuple[str, str], ...] = (), **fields: object) -> User:  # fmt: skip
    return UserFactory(roles=[RoleFactory(grants=grants, sensitive_fields=sensitive_fields)], teams=teams, **fields)


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _usernames(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'<td class="username"><bdi dir="ltr">([^<]+)</bdi></td>', response.content.decode())


def _snapshot(user: User) -> tuple[object, ...]:
    user.refresh_from_db()
    return (user.first_name, user.last_name, user.email, user.is_active, user.password, user.session_generation,
            sorted(user.roles.values_list("name", flat=True)), sorted(user.teams.values_list("name", flat=True)))  # fmt: skip


# Access to the pages --------------------------------------------------------------------------
@pytest.mark.parametrize("url", [USERS_URL, f"{USERS_URL}new/", TEAMS_URL, ROLES_URL, AUDIT_URL, EXPORT_URL])
def test_administration_needs_a_login(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", [USERS_URL, f"{USERS_URL}new/", f"{TEAMS_URL}new/", ROLES_URL, f"{ROLES_URL}new/",
                                 AUDIT_URL, EXPORT_URL])  # fmt: skip
def test_a_user_without_grants_is_refused(client: Client, url: str) -> None:
    _login(client, UserFactory())

    response = client.get(url)

    assert response.status_code == 403


def test_someone_who_manages_only_teams_is_taken_from_users_to_teams(client: Client) -> None:
    _login(client, _user_with({("teams", Action.VIEW): Scope.ALL}))

    response = client.get(USERS_URL)

    assert response.status_code == 302
    assert response["Location"] == TEAMS_URL


# Users: the list ------------------------------------------------------------------------------
def test_the_user_list_shows_each_user(admin_client: Client, admin_user: User) -> None:
    branch = TeamFactory(name="Tehran branch")
    sales = RoleFactory(name="Sales")
    sara = UserFactory(username="sara", first_name="Sara", last_name="Ahmadi", email="sara@example.com",
                       teams=[branch], roles=[sales])  # fmt: skip
    User.objects.filter(pk=sara.pk).update(last_login=dt.datetime(2024, 8, 2, 6, 0, tzinfo=dt.UTC))
    with_two_factor(sara)
    UserFactory(username="reza", first_name="Reza", last_name="Karimi", email="", is_active=False)

    response = admin_client.get(USERS_URL)

    text = _text(response)
    assert response.status_code == 200
    assert _usernames(response) == ["admin", "reza", "sara"]
    assert (
        f'<td><a href="/accounts/users/{sara.pk}/">Sara Ahmadi</a></td> <td class="username"><bdi dir="ltr">sara</bdi></td>'
        ' <td><bdi dir="ltr">sara@example.com</bdi></td> <td><span class="tag">Tehran branch</span> </td>'
        ' <td><span class="tag">Sales</span> </td> <td><span class="tag ok">Active</span></td>'
        ' <td><span class="tag ok">On</span></td> <td class="nowrap">2024-08-02 09:30</td>'
    ) in text
    assert (
        '<td><span class="muted">—</span></td> <td><span class="muted">—</span></td> <td><span class="muted">—</span></td>'
        ' <td><span class="tag off">Inactive</span></td> <td><span class="tag">Off</span></td>'
        ' <td class="nowrap"><span class="muted">Never</span></td>'
    ) in text
    assert '<a class="button" href="/accounts/users/new/">New user</a>' in text


def test_the_email_column_is_shown_only_to_roles_that_may_see_it(client: Client) -> None:
    UserFactory(username="sara", email="sara@example.com")
    _login(client, _user_with({("users", Action.VIEW): Scope.ALL}))

    hidden = _text(client.get(USERS_URL))
    _login(client, _user_with({("users", Action.VIEW): Scope.ALL}, sensitive_fields=(("users", "email"),)))
    shown = _text(client.get(USERS_URL))

    assert "Email address" not in hidden
    assert "sara@example.com" not in hidden
    assert '<th scope="col">Email address</th>' in shown
    assert '<bdi dir="ltr">sara@example.com</bdi>' in shown


def test_the_user_list_filters(admin_client: Client) -> None:
    branch, office = TeamFactory(name="Tehran branch"), TeamFactory(name="Head office")
    sales = RoleFactory(name="Sales")
    UserFactory(username="sara", first_name="Sara", teams=[branch], roles=[sales])
    UserFactory(username="sima", first_name="Sima", teams=[office], roles=[sales], is_active=False)
    UserFactory(username="reza", first_name="Reza", teams=[branch])

    assert _usernames(admin_client.get(USERS_URL, {"search": "si"})) == ["sima"]
    assert _usernames(admin_client.get(USERS_URL, {"team": branch.pk})) == ["reza", "sara"]
    assert _usernames(admin_client.get(USERS_URL, {"role": sales.pk})) == ["sara", "sima"]
    assert _usernames(admin_client.get(USERS_URL, {"active": "no"})) == ["sima"]
    assert _usernames(admin_client.get(USERS_URL, {"team": branch.pk, "role": sales.pk, "active": "yes"})) == ["sara"]


def test_a_filter_that_matches_no_one_says_so(admin_client: Client) -> None:
    text = _text(admin_client.get(USERS_URL, {"search": "nobody-like-this"}))

    assert "<h2>No user matches these filters</h2>" in text
    assert '<a href="/accounts/users/">Show all users</a>' in text


def test_team_scope_lists_the_members_of_the_teams_and_those_below(client: Client) -> None:
    branch = TeamFactory(name="Tehran branch")
    desk = TeamFactory(name="Sales desk", parent=branch)
    other = TeamFactory(name="Shiraz branch")
    UserFactory(username="sara", teams=[branch])
    UserFactory(username="sima", teams=[desk])
    UserFactory(username="reza", teams=[other])
    UserFactory(username="no-team")
    manager = _user_with({("users", Action.VIEW): Scope.TEAM}, teams=(branch,), username="manager")
    _login(client, manager)

    assert _usernames(client.get(USERS_URL)) == ["manager", "sara", "sima"]


def test_the_user_list_pages_by_username_with_the_filters_kept(admin_client: Client) -> None:
    team = TeamFactory(name="Call centre")
    for number in range(55):
        UserFactory(username=f"agent{number:02d}", teams=[team])
    UserFactory(username="outsider")

    first = admin_client.get(USERS_URL, {"team": team.pk})
    next_url = re.search(r'href="(\?[^"]+)" rel="next"', first.content.decode())
    assert next_url is not None
    second = admin_client.get(USERS_URL + next_url.group(1).replace("&amp;", "&"))

    assert _usernames(first) == [f"agent{number:02d}" for number in range(50)]
    assert f"team={team.pk}" in next_url.group(1)
    assert _usernames(second) == [f"agent{number:02d}" for number in range(50, 55)]
    assert 'rel="next"' not in second.content.decode()
    assert f'href="?team={team.pk}">First page</a>' in second.content.decode()


def test_a_damaged_cursor_starts_from_the_first_page(admin_client: Client) -> None:
    response = admin_client.get(USERS_URL, {"cursor": "not-a-cursor"})

    assert _usernames(response) == ["admin"]


def test_the_user_list_costs_the_same_queries_for_few_or_many_users(
    admin_client: Client, django_assert_num_queries: Callable, django_assert_max_num_queries: Callable
) -> None:
    teams = [TeamFactory(), TeamFactory()]
    roles = [RoleFactory(), RoleFactory()]
    for _number in range(3):
        UserFactory(teams=teams, roles=roles)
    few = _queries_of(admin_client, USERS_URL)
    for _number in range(30):
        UserFactory(teams=teams, roles=roles)

    # The page, its memberships (teams and roles: one query each) and the filters' choices.
    with django_assert_max_num_queries(PAGE_QUERIES + 6), django_assert_num_queries(few):
        admin_client.get(USERS_URL)


# Users: one user ------------------------------------------------------------------------------
def test_the_user_page_shows_the_user(admin_client: Client, django_assert_max_num_queries: Callable) -> None:
    sara = UserFactory(username="sara", first_name="Sara", last_name="Ahmadi", email="sara@example.com",
                       teams=[TeamFactory(name="Tehran branch")], roles=[RoleFactory(name="Sales")])  # fmt: skip

    # The user, their teams, their roles and their recent history.
    with django_assert_max_num_queries(PAGE_QUERIES + 5):
        response = admin_client.get(f"{USERS_URL}{sara.pk}/")

    text = _text(response)
    assert response.status_code == 200
    assert "<h1>Sara Ahmadi</h1>" in text
    assert '<dt>Username</dt><dd><bdi dir="ltr">sara</bdi></dd>' in text
    assert '<dt>Email address</dt><dd><bdi dir="ltr">sara@example.com</bdi></dd>' in text
    assert '<dt>Teams</dt><dd><span class="tag">Tehran branch</span> </dd>' in text
    assert '<dt>Roles</dt><dd><span class="tag">Sales</span> </dd>' in text
    assert '<dt>Two-factor login</dt><dd><span class="tag">Off</span></dd>' in text
    assert f'<a class="button" href="/accounts/users/{sara.pk}/edit/">Edit</a>' in text
    assert "<td>Created</td>" in text
    assert "Turn off two-factor login" not in text


def test_the_user_page_costs_the_same_however_long_the_history(admin_client: Client, admin_user: User,
                                                                django_assert_num_queries: Callable) -> None:  # fmt: skip
    sara = UserFactory(teams=[TeamFactory()], roles=[RoleFactory()])
    few = _queries_of(admin_client, f"{USERS_URL}{sara.pk}/")
    for number in range(20):
        services.user_update(actor=admin_user, user=sara, first_name=f"Sara {number}")

    with django_assert_num_queries(few):
        admin_client.get(f"{USERS_URL}{sara.pk}/")


def test_a_user_out_of_reach_is_not_found_and_a_view_only_page_offers_no_changes(client: Client) -> None:
    branch, other = TeamFactory(), TeamFactory()
    colleague, stranger = UserFactory(teams=[branch]), UserFactory(teams=[other])
    _login(client, _user_with({("users", Action.VIEW): Scope.TEAM}, teams=(branch,)))

    assert client.get(f"{USERS_URL}{stranger.pk}/").status_code == 404
    assert client.get(f"{USERS_URL}{stranger.pk}/edit/").status_code == 404
    colleague_page = client.get(f"{USERS_URL}{colleague.pk}/")
    assert colleague_page.status_code == 200
    assert "/edit/" not in colleague_page.content.decode()
    assert client.get(f"{USERS_URL}{colleague.pk}/edit/").status_code == 403


# Users: creating ------------------------------------------------------------------------------
def test_an_administrator_creates_a_user_with_roles_teams_and_password(admin_client: Client, admin_user: User) -> None:
    team, role = TeamFactory(name="Tehran branch"), RoleFactory(name="Sales")

    response = admin_client.post(f"{USERS_URL}new/", {
        "username": "sara", "first_name": "Sara", "last_name": "Ahmadi", "email": "sara@example.com",
        "language": "fa", "is_active": "on", "roles": [role.pk], "teams": [team.pk],
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })  # fmt: skip

    sara = User.objects.get(username="sara")
    assert response.status_code == 302
    assert response["Location"] == f"{USERS_URL}{sara.pk}/"
    assert (sara.get_full_name(), sara.email, sara.language, sara.is_active) == (
        "Sara Ahmadi",
        "sara@example.com",
        "fa",
        True,
    )
    assert list(sara.roles.values_list("name", flat=True)) == ["Sales"]
    assert list(sara.teams.values_list("name", flat=True)) == ["Tehran branch"]
    assert sara.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CREATE, object_type="accounts.user", object_id=str(sara.pk))
    assert event.actor_id == admin_user.pk
    assert event.changes["roles"] == [None, ["Sales"]]


def test_a_user_created_without_a_password_cannot_log_in_until_they_choose_one(admin_client: Client) -> None:
    admin_client.post(f"{USERS_URL}new/", {"username": "reza", "language": "en", "is_active": "on"})

    assert User.objects.get(username="reza").has_usable_password() is False


def test_creating_a_user_refuses_bad_input_and_creates_nothing(admin_client: Client) -> None:
    UserFactory(username="sara")
    before = User.objects.count()

    taken = _text(admin_client.post(f"{USERS_URL}new/", {"username": "SARA", "language": "en"}))
    mismatch = _text(admin_client.post(f"{USERS_URL}new/", {"username": "reza", "language": "en",
                                                            "password1": NEW_PASSWORD, "password2": "something-else-1"}))  # fmt: skip
    weak = _text(admin_client.post(f"{USERS_URL}new/", {"username": "reza", "language": "en",
                                                        "password1": "12345678", "password2": "12345678"}))  # fmt: skip

    assert "Another user already has this username." in taken
    assert "The two passwords do not match." in mismatch
    assert "This password is too short: it needs at least 10 characters." in weak
    assert User.objects.count() == before


def test_only_administrators_give_roles(client: Client) -> None:
    team, role = TeamFactory(), RoleFactory(name="Administrators too", is_administrator=True)
    _login(client, _user_with(ALL_USERS, teams=(team,)))

    form = client.get(f"{USERS_URL}new/").content.decode()
    client.post(f"{USERS_URL}new/", {"username": "sneaky", "language": "en", "is_active": "on",
                                     "roles": [role.pk], "teams": [team.pk]})  # fmt: skip

    assert 'name="roles"' not in form
    assert list(User.objects.get(username="sneaky").roles.all()) == []


def test_a_team_manager_must_put_a_new_user_in_one_of_their_teams(client: Client) -> None:
    branch, other = TeamFactory(name="Tehran branch"), TeamFactory(name="Shiraz branch")
    _login(
        client, _user_with({("users", Action.VIEW): Scope.TEAM, ("users", Action.CREATE): Scope.TEAM}, teams=(branch,))
    )

    form = client.get(f"{USERS_URL}new/").content.decode()
    refused = _text(client.post(f"{USERS_URL}new/", {"username": "sara", "language": "en", "teams": [other.pk]}))

    assert "Tehran branch" in form
    assert "Shiraz branch" not in form
    assert "Select a valid choice." in refused
    assert "Choose at least one of your teams, or you will not see this user afterwards." in _text(
        client.post(f"{USERS_URL}new/", {"username": "sara", "language": "en"})
    )
    assert not User.objects.filter(username="sara").exists()


# Users: editing -------------------------------------------------------------------------------
def test_editing_a_user_saves_and_a_team_change_ends_their_sessions(admin_client: Client) -> None:
    old, new = TeamFactory(name="Tehran branch"), TeamFactory(name="Shiraz branch")
    sara = UserFactory(username="sara", first_name="Sara", teams=[old])
    generation = sara.session_generation

    response = admin_client.post(f"{USERS_URL}{sara.pk}/edit/", {
        "first_name": "Sara", "last_name": "Karimi", "email": "sara@example.org", "language": "fa",
        "is_active": "on", "teams": [new.pk],
    })  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == f"{USERS_URL}{sara.pk}/"
    sara.refresh_from_db()
    assert (sara.last_name, sara.email, sara.language) == ("Karimi", "sara@example.org", "fa")
    assert list(sara.teams.values_list("name", flat=True)) == ["Shiraz branch"]
    assert sara.session_generation == generation + 1


def test_a_view_only_user_cannot_edit_and_nothing_changes(client: Client) -> None:
    sara = UserFactory(username="sara", first_name="Sara")
    before = _snapshot(sara)
    _login(client, _user_with({("users", Action.VIEW): Scope.ALL}))

    response = client.post(
        f"{USERS_URL}{sara.pk}/edit/", {"first_name": "Changed", "language": "en", "is_active": "on"}
    )

    assert response.status_code == 403
    assert _snapshot(sara) == before


def test_only_an_administrator_changes_an_administrator(client: Client, admin_user: User) -> None:
    before = _snapshot(admin_user)
    _login(client, _user_with(ALL_USERS))

    edit = client.post(f"{USERS_URL}{admin_user.pk}/edit/", {"first_name": "Changed", "language": "en"})
    password = client.post(
        f"{USERS_URL}{admin_user.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    sessions = client.post(f"{USERS_URL}{admin_user.pk}/sessions/end/")

    assert (edit.status_code, password.status_code, sessions.status_code) == (403, 403, 403)
    assert _snapshot(admin_user) == before


def test_the_last_administrator_cannot_drop_their_own_administration(admin_client: Client, admin_user: User) -> None:
    before = _snapshot(admin_user)

    response = admin_client.post(
        f"{USERS_URL}{admin_user.pk}/edit/", {"first_name": "Sara", "language": "en", "is_active": "on"}
    )

    assert response.status_code == 200
    assert "This is the last active administrator." in _text(response)
    assert _snapshot(admin_user) == before


def test_no_one_deactivates_their_own_account(admin_client: Client, admin_user: User) -> None:
    response = admin_client.post(f"{USERS_URL}{admin_user.pk}/edit/", {"language": "en"})

    assert "You cannot deactivate your own account." in _text(response)
    admin_user.refresh_from_db()
    assert admin_user.is_active is True


def test_changing_ones_own_roles_keeps_this_session(admin_client: Client, admin_user: User) -> None:
    administrators = admin_user.roles.get()
    extra = RoleFactory(name="Sales")

    admin_client.post(f"{USERS_URL}{admin_user.pk}/edit/", {
        "first_name": "Admin", "language": "en", "is_active": "on", "roles": [administrators.pk, extra.pk],
    })  # fmt: skip

    assert admin_client.get(USERS_URL).status_code == 200
    assert sorted(admin_user.roles.values_list("name", flat=True)) == ["Administrators", "Sales"]


def test_a_team_manager_keeps_memberships_outside_their_reach(client: Client) -> None:
    branch, other = TeamFactory(name="Tehran branch"), TeamFactory(name="Shiraz branch")
    sara = UserFactory(username="sara", teams=[branch, other])
    grants = {("users", Action.VIEW): Scope.TEAM, ("users", Action.EDIT): Scope.TEAM}
    _login(client, _user_with(grants, teams=(branch,)))

    client.post(
        f"{USERS_URL}{sara.pk}/edit/", {"first_name": "Sara", "language": "en", "is_active": "on", "teams": [branch.pk]}
    )

    assert sorted(sara.teams.values_list("name", flat=True)) == ["Shiraz branch", "Tehran branch"]


def test_nobody_but_an_administrator_changes_their_own_teams(client: Client) -> None:
    # Given someone who may edit every user but is not an administrator
    sales, head_office = TeamFactory(name="Sales"), TeamFactory(name="Head office")
    grants = {("users", Action.VIEW): Scope.ALL, ("users", Action.EDIT): Scope.ALL}
    manager = _user_with(grants, teams=(sales,), username="manager")
    _login(client, manager)

    # When they try to put themselves in the head office team
    response = client.post(
        f"{USERS_URL}{manager.pk}/edit/",
        {"first_name": "Ali", "language": "en", "is_active": "on", "teams": [sales.pk, head_office.pk]},
    )

    # Then their teams stay as they were
    assert response.status_code == 302
    assert list(manager.teams.values_list("name", flat=True)) == ["Sales"]


# Users: password, sessions, two-factor --------------------------------------------------------
def test_an_administrator_lifts_a_lockout(admin_client: Client, admin_user: User, settings) -> None:  # type: ignore[no-untyped-def]
    # Given a user locked out after too many failed logins
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 2
    sara = UserFactory(username="sara")
    for _ in range(2):
        Client().post("/accounts/login/", {"username": "sara", "password": "wrong"})
    assert "Locked out after failed logins" in admin_client.get(f"{USERS_URL}{sara.pk}/").content.decode()

    # When an administrator lifts the lockout
    response = admin_client.post(f"{USERS_URL}{sara.pk}/unlock/")

    # Then the user logs in at once, and the audit trail says who let them
    assert response.status_code == 302
    assert "Locked out after failed logins" not in admin_client.get(f"{USERS_URL}{sara.pk}/").content.decode()
    assert Client().post("/accounts/login/", {"username": "sara", "password": DEFAULT_PASSWORD}).status_code == 302
    event = AuditEvent.objects.filter(object_id=str(sara.pk), kind=AuditEvent.Kind.UPDATE).latest("at")
    assert (event.actor, event.changes) == (admin_user, {"lockout": ["locked", "lifted"]})


def test_lifting_a_lockout_that_is_not_there_records_nothing(admin_client: Client) -> None:
    sara = UserFactory(username="sara")
    before = AuditEvent.objects.count()

    admin_client.post(f"{USERS_URL}{sara.pk}/unlock/")

    assert AuditEvent.objects.count() == before


def test_the_audit_trail_shows_recorded_words_in_the_readers_language(admin_client: Client, admin_user: User) -> None:
    sara = UserFactory(username="sara")
    _event(actor=admin_user, instance=sara, changes={"lockout": ["locked", "lifted"]})

    admin_user.language = "fa"
    admin_user.save(update_fields=["language"])

    text = re.sub(r"<[^>]+>", "", _text(admin_client.get(AUDIT_URL, {"object_id": sara.pk})))

    with translation.override("fa"):
        expected = f"{gettext('Login lockout')}: {gettext('locked')} → {gettext('lifted')}"
    assert expected != "Login lockout: locked → lifted"  # the words are translated
    assert expected in text


def test_an_administrator_sets_a_new_password(admin_client: Client, admin_user: User) -> None:
    sara = UserFactory(username="sara")
    generation = sara.session_generation

    response = admin_client.post(
        f"{USERS_URL}{sara.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    sara.refresh_from_db()
    assert sara.check_password(NEW_PASSWORD)
    assert sara.session_generation == generation + 1
    event = AuditEvent.objects.filter(object_id=str(sara.pk)).first()
    assert event is not None
    assert (event.kind, event.actor_id) == (AuditEvent.Kind.PASSWORD_RESET, admin_user.pk)


def test_a_weak_or_mismatched_new_password_is_refused(admin_client: Client) -> None:
    sara = UserFactory(username="sara")

    weak = _text(admin_client.post(f"{USERS_URL}{sara.pk}/password/", {"password1": "sara", "password2": "sara"}))
    mismatch = _text(admin_client.post(f"{USERS_URL}{sara.pk}/password/",
                                       {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}))  # fmt: skip

    assert "This password is too short:" in weak
    assert "The two passwords do not match." in mismatch
    sara.refresh_from_db()
    assert sara.check_password(DEFAULT_PASSWORD)


def test_ending_a_users_sessions_logs_them_out(admin_client: Client) -> None:
    sara = UserFactory(username="sara")
    theirs = Client()
    theirs.force_login(sara)

    response = admin_client.post(f"{USERS_URL}{sara.pk}/sessions/end/")

    assert response.status_code == 302
    assert theirs.get(USERS_URL)["Location"] == f"/accounts/login/?next={USERS_URL}"


def test_ending_sessions_needs_a_post(admin_client: Client) -> None:
    sara = UserFactory()
    generation = sara.session_generation

    response = admin_client.get(f"{USERS_URL}{sara.pk}/sessions/end/")

    assert response.status_code == 405
    sara.refresh_from_db()
    assert sara.session_generation == generation


def test_an_administrator_turns_off_a_users_two_factor_login(admin_client: Client) -> None:
    sara = UserFactory(username="sara")
    with_two_factor(sara)
    page = _text(admin_client.get(f"{USERS_URL}{sara.pk}/"))

    response = admin_client.post(f"{USERS_URL}{sara.pk}/two-factor/reset/")

    assert "Turn off two-factor login" in page
    assert response.status_code == 302
    sara.refresh_from_db()
    assert (sara.has_two_factor, sara.totp_secret_encrypted) == (False, "")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_DISABLED, object_id=str(sara.pk)).count() == 1


def test_only_administrators_turn_off_someones_two_factor_login(client: Client) -> None:
    sara = UserFactory(username="sara")
    with_two_factor(sara)
    _login(client, _user_with(ALL_USERS))

    response = client.post(f"{USERS_URL}{sara.pk}/two-factor/reset/")

    assert response.status_code == 403
    sara.refresh_from_db()
    assert sara.has_two_factor is True


# Teams ----------------------------------------------------------------------------------------
def test_the_team_list_is_an_indented_tree_with_member_counts(admin_client: Client) -> None:
    tehran = TeamFactory(name="Tehran branch", kind=Team.Kind.BRANCH)
    sales = TeamFactory(name="Sales", parent=tehran)
    TeamFactory(name="Shiraz branch", kind=Team.Kind.BRANCH)
    UserFactory(teams=[tehran])
    UserFactory(teams=[tehran, sales])

    text = _text(admin_client.get(TEAMS_URL))

    names = re.findall(r'<span class="tree-name" style="--depth: (\d)">(?:<span[^>]*>└</span> )?([^<]+)</span>', text)
    assert names == [("0", "Tehran branch"), ("1", "Sales"), ("0", "Shiraz branch")]
    counts = re.findall(r'\?team=\d+">([^<]+)</a>', text)
    assert counts == ["2", "1", "0"]
    assert "<td>Branch</td>" in text


def test_the_team_list_costs_the_same_queries_for_few_or_many_teams(
    admin_client: Client, django_assert_num_queries: Callable, django_assert_max_num_queries: Callable
) -> None:
    parent = TeamFactory()
    UserFactory(teams=[parent])
    few = _queries_of(admin_client, TEAMS_URL)
    for _number in range(20):
        UserFactory(teams=[TeamFactory(parent=parent)])

    with django_assert_max_num_queries(PAGE_QUERIES + 1), django_assert_num_queries(few):
        admin_client.get(TEAMS_URL)


def test_an_empty_team_list_invites_to_create_one(admin_client: Client) -> None:
    text = _text(admin_client.get(TEAMS_URL))

    assert "<h2>No teams yet</h2>" in text
    assert '<a class="button" href="/accounts/teams/new/">Create the first team</a>' in text


def test_creating_a_team_under_another(admin_client: Client) -> None:
    tehran = TeamFactory(name="Tehran branch")

    response = admin_client.post(f"{TEAMS_URL}new/", {"name": "Sales", "kind": "department", "parent": tehran.pk})

    assert response.status_code == 302
    sales = Team.objects.get(name="Sales")
    assert (sales.parent_id, sales.path, sales.kind) == (tehran.pk, f"/{tehran.pk}/{sales.pk}/", "department")


def test_two_teams_under_one_parent_need_different_names(admin_client: Client) -> None:
    tehran = TeamFactory(name="Tehran branch")
    TeamFactory(name="Sales", parent=tehran)

    response = admin_client.post(f"{TEAMS_URL}new/", {"name": "sales", "kind": "department", "parent": tehran.pk})

    assert "Another team with this name is already there." in _text(response)
    assert Team.objects.count() == 2


def test_a_team_cannot_move_under_its_own_sub_team(admin_client: Client) -> None:
    tehran = TeamFactory(name="Tehran branch")
    sales = TeamFactory(name="Sales", parent=tehran)

    response = admin_client.post(f"{TEAMS_URL}{tehran.pk}/edit/", {"name": "Tehran branch", "kind": "department",
                                                                   "parent": sales.pk, "is_active": "on"})  # fmt: skip

    assert response.status_code == 200
    assert re.search(r'<ul class="errorlist" id="id_parent_error" role="alert"><li>A team cannot be placed under itself'
                     r" or one of its own teams.</li></ul>", _text(response))  # fmt: skip
    tehran.refresh_from_db()
    assert (tehran.parent_id, tehran.path) == (None, f"/{tehran.pk}/")


def test_moving_a_team_logs_out_its_members(admin_client: Client) -> None:
    tehran, shiraz = TeamFactory(name="Tehran branch"), TeamFactory(name="Shiraz branch")
    member = UserFactory(teams=[tehran])

    admin_client.post(f"{TEAMS_URL}{tehran.pk}/edit/", {"name": "Tehran branch", "kind": "branch",
                                                        "parent": shiraz.pk, "is_active": "on"})  # fmt: skip

    tehran.refresh_from_db()
    assert tehran.path == f"/{shiraz.pk}/{tehran.pk}/"
    assert User.objects.get(pk=member.pk).session_generation == member.session_generation + 1


def test_a_team_with_members_or_sub_teams_is_not_deleted(admin_client: Client) -> None:
    tehran = TeamFactory(name="Tehran branch")
    TeamFactory(name="Sales", parent=tehran)
    shiraz = TeamFactory(name="Shiraz branch")
    UserFactory(teams=[shiraz])

    first = admin_client.post(f"{TEAMS_URL}{tehran.pk}/delete/", follow=True)
    second = admin_client.post(f"{TEAMS_URL}{shiraz.pk}/delete/", follow=True)

    assert ("The team “Tehran branch” still has members or sub-teams. Move them to another team first, then delete it."
            in _text(first))  # fmt: skip
    assert "The team “Shiraz branch” still has members or sub-teams." in _text(second)
    assert Team.objects.count() == 3


def test_deleting_an_empty_team_after_confirming(admin_client: Client) -> None:
    team = TeamFactory(name="Old desk")

    confirm = admin_client.get(f"{TEAMS_URL}{team.pk}/delete/")
    response = admin_client.post(f"{TEAMS_URL}{team.pk}/delete/", follow=True)

    assert "<h1>Delete the team “Old desk”?</h1>" in _text(confirm)
    assert "The team “Old desk” was deleted." in _text(response)
    assert not Team.objects.filter(pk=team.pk).exists()


def test_who_may_only_see_teams_changes_none(client: Client) -> None:
    team = TeamFactory(name="Tehran branch")
    _login(client, _user_with({("teams", Action.VIEW): Scope.ALL}))

    create = client.post(f"{TEAMS_URL}new/", {"name": "New", "kind": "department"})
    edit = client.post(f"{TEAMS_URL}{team.pk}/edit/", {"name": "Changed", "kind": "department"})
    delete = client.post(f"{TEAMS_URL}{team.pk}/delete/")

    assert (create.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    assert list(Team.objects.values_list("name", flat=True)) == ["Tehran branch"]
    assert "/edit/" not in client.get(TEAMS_URL).content.decode()


# Roles ----------------------------------------------------------------------------------------
def _role_form(name: str, **values: object) -> dict[str, object]:
    return {"name": name, "description": "", **values}


def test_the_role_list_shows_each_role(admin_client: Client, django_assert_max_num_queries: Callable) -> None:
    sales = RoleFactory(name="Sales", grants={("users", Action.VIEW): Scope.TEAM, ("teams", Action.VIEW): Scope.ALL},
                        requires_two_factor=True)  # fmt: skip
    UserFactory(roles=[sales])
    UserFactory(roles=[sales])

    # The roles with their holder counts, then their grants and field grants.
    with django_assert_max_num_queries(PAGE_QUERIES + 3):
        response = admin_client.get(ROLES_URL)

    text = _text(response)
    assert f'<td><a href="/accounts/roles/{sales.pk}/edit/">Sales</a></td>' in text
    assert '2 permissions <span class="tag">Two-factor login required</span>' in text
    assert f'<a href="/accounts/users/?role={sales.pk}">2</a>' in text
    assert '<span class="tag ok">Administrator</span>' in text


def test_the_role_list_costs_the_same_queries_for_few_or_many_roles(admin_client: Client,
                                                                    django_assert_num_queries: Callable) -> None:  # fmt: skip
    RoleFactory(grants={("users", Action.VIEW): Scope.ALL}, sensitive_fields=[("users", "email")])
    few = _queries_of(admin_client, ROLES_URL)
    for _number in range(10):
        UserFactory(
            roles=[RoleFactory(grants={("users", Action.VIEW): Scope.ALL}, sensitive_fields=[("users", "email")])]
        )

    with django_assert_num_queries(few):
        admin_client.get(ROLES_URL)


def test_the_role_form_has_a_grant_matrix(admin_client: Client) -> None:
    text = _text(admin_client.get(f"{ROLES_URL}new/"))

    assert ('<th scope="col">Module</th> <th scope="col">View</th><th scope="col">Create</th><th scope="col">Edit</th>'
            '<th scope="col">Delete</th><th scope="col">Export</th>') in text  # fmt: skip
    assert '<select name="grant__users__view" id="id_grant__users__view">' in text
    assert ('<option value="0" selected>None</option> <option value="1">Own records</option> <option value="2">Own team'
            ' and the teams below it</option> <option value="3">All</option>') in text  # fmt: skip
    assert (
        '<select name="grant__teams__view" id="id_grant__teams__view"> <option value="0" selected>No</option>' in text
    )
    assert '<input type="checkbox" name="field__users__email" id="id_field__users__email"> Email address' in text
    assert 'name="grant__audit__create"' not in text


def test_creating_a_role_saves_its_grants(admin_client: Client, admin_user: User) -> None:
    response = admin_client.post(f"{ROLES_URL}new/", _role_form(
        "Sales", description="Sells", requires_two_factor="on", grant__users__view=Scope.TEAM,
        grant__users__edit=Scope.OWN, grant__audit__view=Scope.ALL, field__users__email="on",
    ))  # fmt: skip

    assert response.status_code == 302
    role = Role.objects.get(name="Sales")
    assert (role.description, role.is_administrator, role.requires_two_factor) == ("Sells", False, True)
    assert sorted(RoleGrant.objects.filter(role=role).values_list("module", "action", "scope")) == [
        ("audit", "view", Scope.ALL), ("users", "edit", Scope.OWN), ("users", "view", Scope.TEAM),
    ]  # fmt: skip
    assert list(RoleFieldGrant.objects.filter(role=role).values_list("module", "field")) == [("users", "email")]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CREATE, object_id=str(role.pk))
    assert event.changes["grants"] == [None, {"audit.view": "all", "users.edit": "own", "users.view": "team"}]


def test_editing_a_role_shows_and_changes_its_grants_and_ends_its_holders_sessions(admin_client: Client) -> None:
    role = RoleFactory(name="Sales", grants={("users", Action.VIEW): Scope.ALL}, sensitive_fields=[("users", "email")])
    holder = UserFactory(roles=[role])
    form = _text(admin_client.get(f"{ROLES_URL}{role.pk}/edit/"))

    response = admin_client.post(f"{ROLES_URL}{role.pk}/edit/", _role_form("Sales", grant__users__view=Scope.TEAM))

    assert '<option value="3" selected>All</option>' in form
    assert 'name="field__users__email" id="id_field__users__email" checked' in form
    assert response.status_code == 302
    assert list(role.grants.values_list("module", "action", "scope")) == [("users", "view", Scope.TEAM)]
    assert list(role.field_grants.all()) == []
    assert User.objects.get(pk=holder.pk).session_generation == holder.session_generation + 1
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_CHANGED, object_id=str(role.pk)).get()
    assert event.changes == {"grants": [{"users.view": "all"}, {"users.view": "team"}],
                             "sensitive_fields": [["users.email"], []]}  # fmt: skip


def test_changing_ones_own_role_keeps_this_session(admin_client: Client, admin_user: User) -> None:
    role = admin_user.roles.get()
    generation = admin_user.session_generation

    admin_client.post(f"{ROLES_URL}{role.pk}/edit/", _role_form("Administrators", is_administrator="on",
                                                                 grant__audit__export=Scope.ALL))  # fmt: skip

    assert User.objects.get(pk=admin_user.pk).session_generation == generation + 1
    assert admin_client.get(ROLES_URL).status_code == 200


def test_a_role_name_is_unique(admin_client: Client) -> None:
    RoleFactory(name="Sales")

    response = admin_client.post(f"{ROLES_URL}new/", _role_form("sales"))

    assert "Another role already has this name." in _text(response)
    assert Role.objects.filter(name__iexact="sales").count() == 1


def test_the_only_administrator_role_stays_an_administrator_role(admin_client: Client, admin_user: User) -> None:
    role = admin_user.roles.get()

    edit = admin_client.post(f"{ROLES_URL}{role.pk}/edit/", _role_form("Administrators"))
    delete = admin_client.post(f"{ROLES_URL}{role.pk}/delete/", follow=True)

    assert "No other active user is an administrator." in _text(edit)
    assert "No other active user is an administrator." in _text(delete)
    role.refresh_from_db()
    assert role.is_administrator is True


def test_deleting_a_role_logs_out_its_holders(admin_client: Client) -> None:
    role = RoleFactory(name="Sales")
    holder = UserFactory(roles=[role])

    confirm = admin_client.get(f"{ROLES_URL}{role.pk}/delete/")
    response = admin_client.post(f"{ROLES_URL}{role.pk}/delete/", follow=True)

    assert "<h1>Delete the role “Sales”?</h1>" in _text(confirm)
    assert "The role “Sales” was deleted." in _text(response)
    assert not Role.objects.filter(pk=role.pk).exists()
    assert User.objects.get(pk=holder.pk).session_generation == holder.session_generation + 1


def test_only_administrators_manage_roles_and_nothing_changes(client: Client) -> None:
    role = RoleFactory(name="Sales")
    _login(client, _user_with(ALL_USERS))

    responses = [
        client.get(ROLES_URL), client.post(f"{ROLES_URL}new/", _role_form("Mine", is_administrator="on")),
        client.post(f"{ROLES_URL}{role.pk}/edit/", _role_form("Sales", is_administrator="on")),
        client.post(f"{ROLES_URL}{role.pk}/delete/"),
    ]  # fmt: skip

    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert list(Role.objects.filter(is_administrator=True)) == []
    assert list(Role.objects.values_list("name", flat=True).order_by("pk")).count("Sales") == 1
    assert not Role.objects.filter(name="Mine").exists()


# Audit trail ----------------------------------------------------------------------------------
def _event(**fields: object) -> AuditEvent:
    defaults: dict[str, object] = {"actor": None, "kind": AuditEvent.Kind.UPDATE}
    return audit.record(**{**defaults, **fields})  # type: ignore[arg-type]


def test_the_audit_trail_shows_who_when_where_what_and_the_changes(admin_client: Client, admin_user: User) -> None:
    sara = UserFactory(username="sara", first_name="Sara")
    event = _event(actor=admin_user, instance=sara, address="10.0.0.7",
                   changes={"first_name": ["Sara", "Sarah"], "is_active": [True, False], "roles": [["Sales"], []]})  # fmt: skip

    text = _text(admin_client.get(AUDIT_URL, {"object_type": "accounts.user", "object_id": sara.pk, "kind": "update"}))

    assert f'<td class="nowrap">{timezone.localtime(event.at):%Y-%m-%d %H:%M}</td>' in text
    assert '<a href="?actor=admin"><bdi>admin</bdi></a>' in text
    assert '<bdi dir="ltr">10.0.0.7</bdi>' in text
    assert "<td>Changed</td>" in text
    assert (f'<span class="muted">user</span> <a href="?object_type=accounts.user&amp;object_id={sara.pk}">'
            "<bdi>Sara Ahmadi</bdi></a>") in text  # fmt: skip
    change = ('<li><span class="change-field">{}:</span> <del><bdi>{}</bdi></del> <span class="change-arrow" role="img"'
              ' aria-label="changed to">→</span> <ins><bdi>{}</bdi></ins></li>')  # fmt: skip
    assert change.format("first name", "Sara", "Sarah") in text
    assert change.format("active", "Yes", "No") in text
    assert change.format("roles", "Sales", "—") in text


def test_a_creation_shows_the_new_values_by_their_labels(admin_client: Client) -> None:
    sara = UserFactory(username="sara", language="en", roles=[RoleFactory(name="Sales")])

    text = _text(admin_client.get(AUDIT_URL, {"object_type": "accounts.user", "object_id": sara.pk, "kind": "create"}))

    assert '<li><span class="change-field">language:</span> <bdi>English</bdi></li>' in text
    assert '<li><span class="change-field">roles:</span> <bdi>Sales</bdi></li>' in text
    assert "<del>" not in text


def test_the_audit_trail_filters(admin_client: Client, admin_user: User) -> None:
    sara = UserFactory(username="sara")
    _event(actor=sara, kind=AuditEvent.Kind.LOGIN, instance=sara)
    _event(actor=admin_user, object_type="accounts.team", object_id="9", object_label="Shiraz branch")

    by_kind = _text(admin_client.get(AUDIT_URL, {"kind": "login"}))
    by_actor = _text(admin_client.get(AUDIT_URL, {"actor": "SARA"}))
    by_record = _text(admin_client.get(AUDIT_URL, {"object_type": "accounts.team", "object_id": "9"}))
    by_text = _text(admin_client.get(AUDIT_URL, {"search": "shiraz"}))
    unknown_actor = _text(admin_client.get(AUDIT_URL, {"actor": "nobody"}))

    assert by_kind.count("<td>Logged in</td>") == 1
    assert "<td>Changed</td>" not in by_kind
    assert by_actor.count("<tr>") - 1 == 1
    assert "<td>Logged in</td>" in by_actor
    assert by_record.count("<bdi>Shiraz branch</bdi>") == 1
    assert by_record.count("<tr>") - 1 == 1
    assert by_text.count("<tr>") - 1 == 1
    assert "No user has this username." in unknown_actor
    assert "<h2>No event matches these filters</h2>" in unknown_actor


def test_the_audit_trail_filters_by_dates_in_the_readers_calendar(admin_client: Client) -> None:
    _event(object_label="Today's change")
    today = timezone.localdate()

    same_day = _text(admin_client.get(AUDIT_URL, {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    tomorrow = _text(admin_client.get(AUDIT_URL, {"date_from": (today + dt.timedelta(days=1)).isoformat()}))
    yesterday = _text(admin_client.get(AUDIT_URL, {"date_to": (today - dt.timedelta(days=1)).isoformat()}))
    backwards = _text(admin_client.get(AUDIT_URL, {"date_from": today.isoformat(),
                                                   "date_to": (today - dt.timedelta(days=1)).isoformat()}))  # fmt: skip

    assert "<bdi>Today&#x27;s change</bdi>" in same_day
    assert "Today&#x27;s change" not in tomorrow
    assert "Today&#x27;s change" not in yesterday
    assert "The end date is before the start date." in backwards


def test_a_persian_reader_filters_the_audit_trail_by_jalali_dates(admin_client: Client, admin_user: User) -> None:
    User.objects.filter(pk=admin_user.pk).update(language="fa")
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2024, 8, 2, 7, 0, tzinfo=dt.UTC)):
        _event(object_label="on 12 Mordad 1403")

    that_day = _text(admin_client.get(AUDIT_URL, {"date_from": "۱۴۰۳/۰۵/۱۲", "date_to": "1403/5/12"}))
    next_day = _text(admin_client.get(AUDIT_URL, {"date_from": "1403/05/13"}))

    assert "<bdi>on 12 Mordad 1403</bdi>" in that_day
    assert '<td class="nowrap">۱۴۰۳/۰۵/۱۲ ۱۰:۳۰</td>' in that_day
    assert "on 12 Mordad 1403" not in next_day


def test_the_audit_trail_shows_only_what_the_scope_allows(client: Client) -> None:
    branch = TeamFactory()
    colleague, stranger = UserFactory(username="colleague", teams=[branch]), UserFactory(username="stranger")
    _event(actor=colleague, object_label="by colleague")
    _event(actor=stranger, object_label="by stranger")
    _login(client, _user_with({("audit", Action.VIEW): Scope.TEAM}, teams=(branch,)))

    text = _text(client.get(AUDIT_URL))

    assert "by colleague" in text
    assert "by stranger" not in text


def test_an_email_change_is_hidden_from_who_may_not_see_addresses(client: Client) -> None:
    sara = UserFactory(username="sara", email="old@example.com")
    services.user_update(actor=None, user=sara, email="new@example.com")
    _login(client, _user_with({("audit", Action.VIEW): Scope.ALL}))

    text = _text(client.get(AUDIT_URL, {"object_type": "accounts.user", "object_id": sara.pk, "kind": "update"}))

    assert "old@example.com" not in text
    assert "new@example.com" not in text
    assert "<del><bdi>(hidden)</bdi></del>" in text


def test_the_audit_trail_pages_newest_first_without_counting(admin_client: Client) -> None:
    for number in range(60):
        _event(object_label=f"event {number:02d}")

    with CaptureQueriesContext(connection) as queries:
        first = admin_client.get(AUDIT_URL, {"search": "event"})
    next_url = re.search(r'href="(\?[^"]+)" rel="next"', first.content.decode())
    assert next_url is not None
    second = admin_client.get(AUDIT_URL + next_url.group(1).replace("&amp;", "&"))

    assert re.findall(r"<bdi>event (\d\d)</bdi>", first.content.decode()) == [f"{n:02d}" for n in range(59, 9, -1)]
    assert re.findall(r"<bdi>event (\d\d)</bdi>", second.content.decode()) == [f"{n:02d}" for n in range(9, -1, -1)]
    assert not any(
        "COUNT(" in query["sql"].upper() and "auditevent" in query["sql"] for query in queries.captured_queries
    )


def test_the_audit_trail_costs_the_same_queries_for_few_or_many_events(
    admin_client: Client, django_assert_num_queries: Callable, django_assert_max_num_queries: Callable
) -> None:
    for _number in range(3):
        _event(object_label="event", changes={"name": ["a", "b"]})
    few = _queries_of(admin_client, AUDIT_URL)
    for _number in range(60):
        _event(object_label="event", changes={"name": ["a", "b"]})

    with django_assert_max_num_queries(PAGE_QUERIES + 1), django_assert_num_queries(few):
        admin_client.get(AUDIT_URL)


def test_nothing_in_the_audit_pages_changes_the_trail(admin_client: Client) -> None:
    _event(object_label="kept")
    before = list(AuditEvent.objects.values_list("pk", "changes"))

    responses = [admin_client.post(AUDIT_URL, {"kind": "login"}), admin_client.post(EXPORT_URL),
                 admin_client.delete(AUDIT_URL), admin_client.put(AUDIT_URL)]  # fmt: skip

    assert [response.status_code for response in responses] == [405, 405, 405, 405]
    assert list(AuditEvent.objects.values_list("pk", "changes")) == before


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def test_the_export_streams_the_filtered_rows_with_formulas_neutralised(admin_client: Client, admin_user: User) -> None:
    sara = UserFactory(username="sara")
    event = _event(actor=admin_user, instance=sara, address="10.0.0.7", object_label="=HYPERLINK(\"http://x\")",
                   changes={"last_name": ["Ahmadi", "+98 912"]})  # fmt: skip
    _event(actor=admin_user, object_label="not this one")

    response = admin_client.get(EXPORT_URL, {"object_type": "accounts.user", "object_id": sara.pk, "kind": "update"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    assert _csv(response) == [
        ["When", "Who", "Address", "What", "Record type", "Record number", "Record", "Changes"],
        [timezone.localtime(event.at).isoformat(timespec="seconds"), "admin", "10.0.0.7", "Changed", "user",
         str(sara.pk), "'=HYPERLINK(\"http://x\")", "last name: Ahmadi → +98 912"],
    ]  # fmt: skip


def test_the_export_needs_the_export_grant_and_respects_the_narrower_scope(client: Client) -> None:
    viewer = _user_with({("audit", Action.VIEW): Scope.ALL}, username="viewer")
    _login(client, viewer)
    refused = client.get(EXPORT_URL)
    other = UserFactory(username="other")
    _event(actor=other, object_label="someone else's")
    exporter = _user_with({("audit", Action.VIEW): Scope.ALL, ("audit", Action.EXPORT): Scope.OWN}, username="exporter")
    _event(actor=exporter, object_label="mine")
    _login(client, exporter)

    rows = _csv(client.get(EXPORT_URL))

    assert refused.status_code == 403
    # The export itself is the exporter's newest event, so it is in the file too.
    assert [row[6] for row in rows[1:]] == ["Audit trail", "mine"]


def test_every_export_is_recorded_with_its_filters(admin_client: Client, admin_user: User) -> None:
    admin_client.get(EXPORT_URL, {"kind": "login_failed", "search": "sara"})

    export = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert (export.actor, export.object_type, export.object_label) == (admin_user, "accounts.auditevent", "Audit trail")
    assert export.changes == {"filters": {"kind": "login_failed", "search": "sara"}}
