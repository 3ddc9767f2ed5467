"""accounts/selectors.py: lists narrowed to what the actor may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from peyvand.accounts import access, audit, selectors, services
from peyvand.accounts.models import AuditEvent, Team, User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _actor(grants: dict[tuple[str, str], int], *, teams: tuple[Team, ...] = (), username: str = "me",
           **role_fields: object) -> User:  # fmt: skip
    user = UserFactory(username=username, roles=[RoleFactory(grants=grants, **role_fields)], teams=teams)
    return User.objects.get(pk=user.pk)


def _usernames(users: object) -> list[str]:
    return [user.username for user in users]  # type: ignore[attr-defined]


@pytest.fixture
def teams(db: None) -> dict[str, Team]:
    branch = TeamFactory(name="Tehran branch")
    desk = TeamFactory(name="Sales desk", parent=branch)
    other = TeamFactory(name="Shiraz branch")
    UserFactory(username="colleague", first_name="Sara", email="sara@example.com", teams=[branch])
    UserFactory(username="desk_member", teams=[desk, branch])
    UserFactory(username="stranger", teams=[other])
    return {"branch": branch, "desk": desk, "other": other}


# Users ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("scope", "expected"), [
    (Scope.NONE, []),
    (Scope.OWN, ["me"]),
    (Scope.TEAM, ["colleague", "desk_member", "me"]),
    (Scope.ALL, ["colleague", "desk_member", "me", "stranger"]),
])  # fmt: skip
def test_user_list_follows_the_scope(teams: dict[str, Team], scope: Scope, expected: list[str]) -> None:
    me = _actor({("users", Action.VIEW): scope}, teams=(teams["branch"],))

    assert _usernames(selectors.user_list(actor=me)) == expected


def test_user_list_for_an_action_uses_that_actions_scope(teams: dict[str, Team]) -> None:
    me = _actor({("users", Action.VIEW): Scope.ALL, ("users", Action.EDIT): Scope.OWN}, teams=(teams["branch"],))

    assert _usernames(selectors.user_list(actor=me, action=Action.EDIT)) == ["me"]


def test_searching_by_email_needs_the_right_to_see_emails(teams: dict[str, Team]) -> None:
    blind = _actor({("users", Action.VIEW): Scope.ALL}, username="blind")
    seeing = _actor({("users", Action.VIEW): Scope.ALL}, sensitive_fields=[("users", "email")], username="seeing")

    assert _usernames(selectors.user_list(actor=blind, search="sara@example.com")) == []
    assert _usernames(selectors.user_list(actor=seeing, search="SARA@example.com")) == ["colleague"]
    assert _usernames(selectors.user_list(actor=blind, search="colleag")) == ["colleague"]


def test_user_list_with_memberships_reads_them_in_two_queries(teams: dict[str, Team],
                                                             django_assert_num_queries: Callable) -> None:  # fmt: skip
    me = _actor({("users", Action.VIEW): Scope.ALL})
    access.profile_for(me)

    with django_assert_num_queries(3):
        users = list(selectors.user_list(actor=me, with_memberships=True))
        memberships = {user.username: sorted(team.name for team in user.teams.all()) for user in users}

    assert memberships["desk_member"] == ["Sales desk", "Tehran branch"]


def test_access_user_finds_a_reachable_user_in_one_query(teams: dict[str, Team],
                                                         django_assert_num_queries: Callable) -> None:  # fmt: skip
    me = _actor({("users", Action.VIEW): Scope.TEAM, ("users", Action.EDIT): Scope.TEAM}, teams=(teams["branch"],))
    access.profile_for(me)
    colleague = User.objects.get(username="colleague")

    with django_assert_num_queries(1):
        found = selectors.access_user(actor=me, pk=colleague.pk, action=Action.EDIT)

    assert found.pk == colleague.pk


def test_access_user_hides_who_is_out_of_reach_and_refuses_who_may_not_be_changed(teams: dict[str, Team]) -> None:
    me = _actor({("users", Action.VIEW): Scope.TEAM, ("users", Action.EDIT): Scope.OWN}, teams=(teams["branch"],))
    stranger, colleague = User.objects.get(username="stranger"), User.objects.get(username="colleague")

    with pytest.raises(Http404):
        selectors.access_user(actor=me, pk=stranger.pk)
    with pytest.raises(PermissionDenied):
        selectors.access_user(actor=me, pk=colleague.pk, action=Action.EDIT)
    with pytest.raises(PermissionDenied):
        selectors.access_user(actor=me, pk=colleague.pk, action=Action.DELETE)
    with pytest.raises(Http404):
        selectors.access_user(actor=me, pk="not-a-number")
    assert selectors.access_user(actor=me, pk=me.pk, action=Action.EDIT).pk == me.pk


def test_access_user_refuses_anyone_without_the_users_module(teams: dict[str, Team]) -> None:
    me = _actor({})

    with pytest.raises(PermissionDenied):
        selectors.access_user(actor=me, pk=me.pk)


def test_only_an_administrator_may_change_an_administrator(teams: dict[str, Team]) -> None:
    boss = UserFactory(username="boss", roles=[RoleFactory(name="Administrators", is_administrator=True)])
    manager = _actor({("users", action): Scope.ALL for action in Action.values}, username="manager")
    administrator = _actor({}, is_administrator=True, username="other_admin")

    assert selectors.access_user(actor=manager, pk=boss.pk).pk == boss.pk
    with pytest.raises(PermissionDenied):
        selectors.access_user(actor=manager, pk=boss.pk, action=Action.EDIT)
    assert selectors.access_user(actor=administrator, pk=boss.pk, action=Action.EDIT).pk == boss.pk


def test_other_administrators_exist(db: None) -> None:
    administrators = RoleFactory(name="Administrators", is_administrator=True)
    boss = UserFactory(username="boss", roles=[administrators])

    alone = selectors.other_administrators_exist(excluding_user=boss)
    without_role = selectors.other_administrators_exist(excluding_role=administrators)
    second = UserFactory(username="second", roles=[RoleFactory(name="Also administrators", is_administrator=True)])
    with_second = selectors.other_administrators_exist(excluding_user=boss)
    services.user_update(actor=None, user=second, is_active=False)

    assert (alone, without_role, with_second) == (False, False, True)
    assert selectors.other_administrators_exist(excluding_user=boss) is False
    assert selectors.other_administrators_exist() is True


# Teams and roles ------------------------------------------------------------------------------
def test_team_tree_counts_members_in_one_query(teams: dict[str, Team], django_assert_num_queries: Callable) -> None:
    me = _actor({("teams", Action.VIEW): Scope.ALL})
    access.profile_for(me)

    with django_assert_num_queries(1):
        tree = [(team.name, team.depth, team.member_count) for team in selectors.team_tree(actor=me)]

    assert tree == [("Tehran branch", 0, 2), ("Sales desk", 1, 1), ("Shiraz branch", 0, 1)]


def test_team_tree_is_empty_without_the_teams_module(teams: dict[str, Team]) -> None:
    me = _actor({("users", Action.VIEW): Scope.ALL})

    assert list(selectors.team_tree(actor=me)) == []


def test_role_overview_is_for_administrators_with_holder_counts(db: None) -> None:
    sales = RoleFactory(name="Sales")
    UserFactory(roles=[sales])
    UserFactory(roles=[sales])
    administrator = _actor({}, is_administrator=True)
    manager = _actor({("users", Action.VIEW): Scope.ALL}, username="manager")

    overview = {role.name: role.holder_count for role in selectors.role_overview(actor=administrator)}

    assert overview["Sales"] == 2
    assert list(selectors.role_overview(actor=manager)) == []


# Audit trail ----------------------------------------------------------------------------------
def _labels(events: object) -> list[str]:
    return sorted(event.object_label for event in events)  # type: ignore[attr-defined]


@pytest.fixture
def trail(teams: dict[str, Team]) -> None:
    for username in ("colleague", "stranger"):
        actor = User.objects.get(username=username)
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, object_type="tests.note", object_id="1",
                     object_label=f"by {username}")  # fmt: skip


@pytest.mark.parametrize(("scope", "expected"), [
    (Scope.NONE, []),
    (Scope.OWN, ["by me"]),
    (Scope.TEAM, ["by colleague", "by me"]),
    (Scope.ALL, ["by colleague", "by me", "by stranger"]),
])  # fmt: skip
def test_audit_event_list_follows_the_scope(teams: dict[str, Team], trail: None, scope: Scope,
                                            expected: list[str]) -> None:  # fmt: skip
    me = _actor({("audit", Action.VIEW): scope}, teams=(teams["branch"],))
    audit.record(actor=me, kind=AuditEvent.Kind.UPDATE, object_type="tests.note", object_id="1", object_label="by me")

    assert _labels(selectors.audit_event_list(actor=me, object_type="tests.note")) == expected


def test_exporting_uses_the_narrower_of_view_and_export(teams: dict[str, Team], trail: None) -> None:
    me = _actor({("audit", Action.VIEW): Scope.TEAM, ("audit", Action.EXPORT): Scope.ALL}, teams=(teams["branch"],))

    exported = selectors.audit_event_list(actor=me, object_type="tests.note", action=Action.EXPORT)

    assert _labels(exported) == ["by colleague"]


def test_audit_event_list_filters(teams: dict[str, Team], trail: None) -> None:
    me = _actor({("audit", Action.VIEW): Scope.ALL})
    colleague = User.objects.get(username="colleague")
    now = timezone.now()

    assert _labels(selectors.audit_event_list(actor=me, actor_id=colleague.pk, object_type="tests.note")) == [
        "by colleague"
    ]
    assert _labels(selectors.audit_event_list(actor=me, search="STRANGER")) == ["by stranger"]
    assert _labels(selectors.audit_event_list(actor=me, kind=AuditEvent.Kind.LOGIN)) == []
    assert len(selectors.audit_event_list(actor=me, object_type="tests.note", object_id="1",
                                          since=now - dt.timedelta(minutes=1), until=now + dt.timedelta(minutes=1))) == 2  # fmt: skip
    assert len(selectors.audit_event_list(actor=me, object_type="tests.note", until=now - dt.timedelta(minutes=1))) == 0


def test_audit_changes_hide_sensitive_fields_from_who_may_not_see_them(db: None) -> None:
    sara = UserFactory(username="sara", email="old@example.com", first_name="Sara")
    services.user_update(actor=None, user=sara, email="new@example.com", first_name="Sarah")
    event = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(sara.pk)).order_by("-id").first()
    assert event is not None
    blind = _actor({("audit", Action.VIEW): Scope.ALL}, username="blind")
    seeing = _actor({("audit", Action.VIEW): Scope.ALL}, sensitive_fields=[("users", "email")], username="seeing")

    hidden = selectors.audit_changes(actor=blind, event=event)
    shown = selectors.audit_changes(actor=seeing, event=event)

    assert hidden == [
        selectors.AuditChange(field="email", old=None, new=None, hidden=True),
        selectors.AuditChange(field="first_name", old="Sara", new="Sarah"),
    ]
    assert shown[0] == selectors.AuditChange(field="email", old="old@example.com", new="new@example.com")


def test_audit_changes_keep_details_that_are_not_changes(db: None) -> None:
    event = audit.record(actor=None, kind=AuditEvent.Kind.LOGIN_FAILED, changes={"reason": "password"})
    administrator = _actor({}, is_administrator=True)

    assert selectors.audit_changes(actor=administrator, event=event) == [
        selectors.AuditChange(field="reason", old=None, new="password", is_change=False)
    ]


def test_audit_record_types_name_peyvands_models(db: None) -> None:
    with translation.override("en"):
        record_types = dict(selectors.audit_record_types())

    assert record_types["accounts.user"] == "user"
    assert record_types["accounts.team"] == "team"
    assert "auth.permission" not in record_types


def test_a_name_saved_with_arabic_letters_is_found_by_either_spelling(admin_user: User) -> None:
    UserFactory(username="ali", first_name="علي", last_name="كريمي")

    found = [
        list(selectors.user_list(actor=admin_user, search=term).values_list("username", flat=True))
        for term in ("علی", "علي", "کریمی", "علی کریمی")
    ]

    assert found == [["ali"], ["ali"], ["ali"], ["ali"]]
    assert User.objects.get(username="ali").first_name == "علي"  # shown as it was typed
