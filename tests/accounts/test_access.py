"""accounts/access.py: who may see and do what.

The rules are exercised on notifications scoped like any owned record: the recipient is the
owner and the recipient's teams are the record's teams (``owner_field="recipient"``,
``team_field="recipient__teams"``), under a module "notes" that only these tests grant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from peyvand.accounts import access, notifications
from peyvand.accounts.models import Notification, Team, User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MODULE = "notes"
SCOPING = {"owner_field": "recipient", "team_field": "recipient__teams"}


@dataclass
class Office:
    branch: Team
    desk: Team
    other: Team
    colleague: User
    desk_member: User
    stranger: User
    loner: User


@pytest.fixture
def office(db: None) -> Office:
    """A branch with a desk below it, another branch, and one person (and note) in each."""
    branch = TeamFactory(name="Tehran branch")
    desk = TeamFactory(name="Sales desk", parent=branch)
    other = TeamFactory(name="Shiraz branch")
    people = Office(
        branch=branch, desk=desk, other=other,
        colleague=UserFactory(username="colleague", teams=[branch]),
        desk_member=UserFactory(username="desk_member", teams=[desk]),
        stranger=UserFactory(username="stranger", teams=[other]),
        loner=UserFactory(username="loner"),
    )  # fmt: skip
    for person in (people.colleague, people.desk_member, people.stranger, people.loner):
        notifications.notification_send(recipient=person, title=f"note of {person.username}")
    return people


def _actor(grants: dict[tuple[str, str], int] | None = None, *, teams: tuple[Team, ...] = (), roles: int = 1,
           **role_fields: object) -> User:  # fmt: skip
    """A fresh user holding a role with ``grants`` (loaded anew, so nothing is cached on it)."""
    held = [RoleFactory(grants=grants or {}, **role_fields) for _number in range(roles)]
    user = UserFactory(username="me", roles=held, teams=teams)
    notifications.notification_send(recipient=user, title="note of me")
    return User.objects.get(pk=user.pk)


def _notes() -> QuerySet[Notification]:
    return Notification.objects.all()


def _visible_titles(user: User | AnonymousUser, action: str = Action.VIEW) -> list[str]:
    return sorted(access.visible(user, _notes(), MODULE, action, **SCOPING).values_list("title", flat=True))


def _note_of(username: str) -> Notification:
    return Notification.objects.get(recipient__username=username)


# Scopes ---------------------------------------------------------------------------------------
def test_own_scope_reaches_only_ones_own_records(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.OWN}, teams=(office.branch,))

    assert _visible_titles(me) == ["note of me"]


def test_team_scope_reaches_the_teams_and_the_teams_below_them(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM}, teams=(office.branch,))

    assert _visible_titles(me) == ["note of colleague", "note of desk_member", "note of me"]


def test_team_scope_from_a_sub_team_does_not_reach_up(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM}, teams=(office.desk,))

    assert _visible_titles(me) == ["note of desk_member", "note of me"]


def test_team_scope_without_a_team_is_ones_own(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM})

    assert _visible_titles(me) == ["note of me"]


def test_an_inactive_team_gives_no_reach(office: Office) -> None:
    Team.objects.filter(pk=office.other.pk).update(is_active=False)
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM}, teams=(office.other,))

    assert _visible_titles(me) == ["note of me"]


def test_all_scope_reaches_everything(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.ALL})

    assert _visible_titles(me) == ["note of colleague", "note of desk_member", "note of loner", "note of me",
                                   "note of stranger"]  # fmt: skip


def test_no_grant_reaches_nothing(office: Office) -> None:
    me = _actor({("users", Action.VIEW): Scope.ALL})

    assert _visible_titles(me) == []
    assert access.can(me, MODULE) is False
    assert access.scope_filter(me, MODULE, **SCOPING) is None


def test_each_action_has_its_own_scope(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.ALL, (MODULE, Action.EDIT): Scope.OWN})

    assert _visible_titles(me, Action.EDIT) == ["note of me"]
    assert _visible_titles(me, Action.DELETE) == []


def test_an_anonymous_or_inactive_user_reaches_nothing(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.ALL})
    User.objects.filter(pk=me.pk).update(is_active=False)
    inactive = User.objects.get(pk=me.pk)

    assert _visible_titles(AnonymousUser()) == []
    assert _visible_titles(inactive) == []
    assert access.profile_for(inactive) is access.ANONYMOUS


# Roles add up ---------------------------------------------------------------------------------
def test_roles_add_up_and_the_widest_scope_wins(office: Office) -> None:
    narrow = RoleFactory(grants={(MODULE, Action.VIEW): Scope.OWN, (MODULE, Action.EDIT): Scope.TEAM})
    wide = RoleFactory(grants={(MODULE, Action.VIEW): Scope.ALL, (MODULE, Action.EDIT): Scope.OWN},
                       sensitive_fields=[(MODULE, "phone")])  # fmt: skip
    me = User.objects.get(pk=UserFactory(roles=[narrow, wide]).pk)

    assert access.scope_of(me, MODULE, Action.VIEW) == Scope.ALL
    assert access.scope_of(me, MODULE, Action.EDIT) == Scope.TEAM
    assert access.can_see_field(me, MODULE, "phone") is True


def test_a_role_requiring_two_factor_login_marks_the_profile(office: Office) -> None:
    me = _actor({}, requires_two_factor=True)

    assert access.profile_for(me).requires_two_factor is True


# Administrators -------------------------------------------------------------------------------
def test_an_administrator_may_do_everything_everywhere(office: Office) -> None:
    me = _actor({}, is_administrator=True)

    assert access.is_administrator(me) is True
    assert access.scope_of(me, MODULE, Action.DELETE) == Scope.ALL
    assert access.scope_of(me, "any-module", Action.EXPORT) == Scope.ALL
    assert access.can_see_field(me, "users", "email") is True
    assert len(_visible_titles(me)) == 5


def test_a_superuser_is_an_administrator(office: Office) -> None:
    superuser = UserFactory(username="root")
    User.objects.filter(pk=superuser.pk).update(is_superuser=True)

    assert access.is_administrator(User.objects.get(pk=superuser.pk)) is True


def test_require_and_require_administrator_refuse(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.OWN})

    access.require(me, MODULE, Action.VIEW)
    with pytest.raises(PermissionDenied):
        access.require(me, MODULE, Action.EDIT)
    with pytest.raises(PermissionDenied):
        access.require_administrator(me)


# One record -----------------------------------------------------------------------------------
def test_a_record_out_of_sight_is_not_found_in_one_query(office: Office, django_assert_num_queries: Callable) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM, (MODULE, Action.EDIT): Scope.TEAM}, teams=(office.branch,))
    access.profile_for(me)
    stranger_note = _note_of("stranger")

    with django_assert_num_queries(1), pytest.raises(Http404):
        access.access_record(me, _notes(), stranger_note.pk, MODULE, Action.VIEW, **SCOPING)
    with django_assert_num_queries(1), pytest.raises(Http404):
        access.access_record(me, _notes(), stranger_note.pk, MODULE, Action.EDIT, **SCOPING)


def test_a_visible_record_that_may_not_be_changed_is_refused_in_one_query(office: Office,
                                                                         django_assert_num_queries: Callable) -> None:  # fmt: skip
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM, (MODULE, Action.EDIT): Scope.OWN}, teams=(office.branch,))
    access.profile_for(me)
    colleague_note = _note_of("colleague")

    with django_assert_num_queries(1), pytest.raises(PermissionDenied):
        access.access_record(me, _notes(), colleague_note.pk, MODULE, Action.EDIT, **SCOPING)


def test_a_reachable_record_is_returned_in_one_query(office: Office, django_assert_num_queries: Callable) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM, (MODULE, Action.EDIT): Scope.TEAM}, teams=(office.branch,))
    access.profile_for(me)
    desk_note = _note_of("desk_member")

    with django_assert_num_queries(1):
        viewed = access.access_record(me, _notes(), desk_note.pk, MODULE, Action.VIEW, **SCOPING)
    with django_assert_num_queries(1):
        edited = access.access_record(me, _notes(), desk_note.pk, MODULE, Action.EDIT, **SCOPING)

    assert viewed.pk == edited.pk == desk_note.pk


def test_an_action_without_any_grant_is_refused_for_a_visible_record(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.ALL})

    with pytest.raises(PermissionDenied):
        access.access_record(me, _notes(), _note_of("loner").pk, MODULE, Action.DELETE, **SCOPING)


def test_a_module_one_may_not_see_is_refused_before_any_query(
    office: Office, django_assert_num_queries: Callable
) -> None:
    me = _actor({})
    access.profile_for(me)
    loner_note = _note_of("loner")

    with django_assert_num_queries(0), pytest.raises(PermissionDenied):
        access.access_record(me, _notes(), loner_note.pk, MODULE, **SCOPING)


@pytest.mark.parametrize("pk", [999_999, "not-a-number", None])
def test_a_missing_or_malformed_id_is_not_found(office: Office, pk: object) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.ALL, (MODULE, Action.EDIT): Scope.ALL})

    with pytest.raises(Http404):
        access.access_record(me, _notes(), pk, MODULE, Action.EDIT, **SCOPING)


# Costs ----------------------------------------------------------------------------------------
def test_the_profile_is_read_once_in_a_fixed_number_of_queries(
    office: Office, django_assert_num_queries: Callable
) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM}, teams=(office.branch,), roles=3)

    # The roles with their grants, the sensitive fields, the teams (the user's and those below).
    with django_assert_num_queries(3):
        access.profile_for(me)
    with django_assert_num_queries(0):
        access.scope_of(me, MODULE)
        access.can_see_field(me, MODULE, "phone")


def test_a_list_adds_no_query_beyond_the_profile(office: Office, django_assert_num_queries: Callable) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM}, teams=(office.branch,))
    access.profile_for(me)

    with django_assert_num_queries(0):
        notes = access.visible(me, _notes(), MODULE, **SCOPING)
    with django_assert_num_queries(1):
        titles = sorted(note.title for note in notes)

    assert titles == ["note of colleague", "note of desk_member", "note of me"]


def test_forgetting_the_profile_reads_the_grants_again(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.OWN})
    assert access.scope_of(me, MODULE) == Scope.OWN
    me.roles.add(RoleFactory(grants={(MODULE, Action.VIEW): Scope.ALL}))

    still_cached = access.scope_of(me, MODULE)
    access.forget_profile(me)

    assert still_cached == Scope.OWN
    assert access.scope_of(me, MODULE) == Scope.ALL


# API tokens narrowed to some actions ------------------------------------------------------------
def test_a_narrowed_token_keeps_only_the_actions_it_names(office: Office) -> None:
    me = _actor({(MODULE, Action.VIEW): Scope.TEAM, (MODULE, Action.EDIT): Scope.ALL}, teams=(office.branch,))
    me._peyvand_token_narrowing = frozenset({f"{MODULE}:view"})  # type: ignore[attr-defined]

    assert access.scope_of(me, MODULE, Action.VIEW) == Scope.TEAM
    assert access.scope_of(me, MODULE, Action.EDIT) == Scope.NONE
    assert _visible_titles(me, Action.EDIT) == []
    with pytest.raises(PermissionDenied):
        access.access_record(me, _notes(), _note_of("me").pk, MODULE, Action.EDIT, **SCOPING)


def test_a_narrowed_token_of_an_administrator_is_no_administrator(office: Office) -> None:
    me = _actor({}, is_administrator=True)
    me._peyvand_token_narrowing = frozenset({f"{MODULE}:view"})  # type: ignore[attr-defined]

    assert access.is_administrator(me) is False
    assert access.scope_of(me, MODULE, Action.VIEW) == Scope.ALL
    assert access.scope_of(me, MODULE, Action.EDIT) == Scope.NONE
    assert access.scope_of(me, "users", Action.VIEW) == Scope.NONE


# Sensitive fields -----------------------------------------------------------------------------
def test_a_sensitive_field_is_seen_only_when_granted(office: Office) -> None:
    me = _actor({("users", Action.VIEW): Scope.ALL}, sensitive_fields=[("users", "email")])

    assert access.can_see_field(me, "users", "email") is True
    assert access.can_see_field(me, "users", "phone") is False
    assert access.can_see_field(me, MODULE, "email") is False
    assert access.can_see_field(AnonymousUser(), "users", "email") is False
