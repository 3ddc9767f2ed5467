"""accounts/services.py: every change writes the audit trail, and access changes end sessions."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from peyvand.accounts import audit, services
from peyvand.accounts.models import AuditEvent, Role, Team, User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(username="admin")


def _last_event(instance: object) -> AuditEvent:
    model = type(instance)
    event = (
        AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id=str(instance.pk))  # type: ignore[attr-defined]
        .order_by("-id")
        .first()
    )
    assert event is not None
    return event


def _generation(user: User) -> int:
    return User.objects.values_list("session_generation", flat=True).get(pk=user.pk)


# Users ----------------------------------------------------------------------------------------
def test_creating_a_user_records_every_field(admin: User) -> None:
    team, role = TeamFactory(name="Tehran branch"), RoleFactory(name="Sales")

    user = services.user_create(actor=admin, username="sara", password=None, first_name="Sara", last_name="Ahmadi",
                                email="sara@example.com", language="fa", roles=[role], teams=[team])  # fmt: skip

    event = _last_event(user)
    assert (event.kind, event.actor_id, event.actor_label, event.object_label) == (
        AuditEvent.Kind.CREATE,
        admin.pk,
        "admin",
        "Sara Ahmadi",
    )
    assert event.changes == {
        "email": [None, "sara@example.com"], "first_name": [None, "Sara"], "is_active": [None, True],
        "language": [None, "fa"], "last_name": [None, "Ahmadi"], "roles": [None, ["Sales"]],
        "teams": [None, ["Tehran branch"]], "username": [None, "sara"],
    }  # fmt: skip
    assert user.has_usable_password() is False


def test_changing_details_records_old_and_new_and_keeps_the_sessions(admin: User) -> None:
    sara = UserFactory(username="sara", first_name="Sara", email="sara@example.com")
    generation = _generation(sara)

    services.user_update(actor=admin, user=sara, first_name="Sarah", email="sarah@example.com")

    event = _last_event(sara)
    assert (event.kind, event.actor_id) == (AuditEvent.Kind.UPDATE, admin.pk)
    assert event.changes == {"email": ["sara@example.com", "sarah@example.com"], "first_name": ["Sara", "Sarah"]}
    assert _generation(sara) == generation


def test_changing_roles_or_teams_records_a_permission_change_and_ends_the_sessions(admin: User) -> None:
    old_team, new_team = TeamFactory(name="Tehran branch"), TeamFactory(name="Shiraz branch")
    sales, support = RoleFactory(name="Sales"), RoleFactory(name="Support")
    sara = UserFactory(username="sara", teams=[old_team], roles=[sales])
    generation = _generation(sara)

    services.user_update(actor=admin, user=sara, roles=[sales, support], teams=[new_team])

    event = _last_event(sara)
    assert event.kind == AuditEvent.Kind.PERMISSION_CHANGED
    assert event.changes == {
        "roles": [["Sales"], ["Sales", "Support"]],
        "teams": [["Tehran branch"], ["Shiraz branch"]],
    }
    assert _generation(sara) == generation + 1
    assert sara.session_generation == generation + 1


def test_deactivating_a_user_ends_their_sessions(admin: User) -> None:
    sara = UserFactory(username="sara")
    generation = _generation(sara)

    services.user_update(actor=admin, user=sara, is_active=False)

    assert _last_event(sara).changes == {"is_active": [True, False]}
    assert _generation(sara) == generation + 1


def test_saving_without_a_change_records_nothing(admin: User) -> None:
    sara = UserFactory(username="sara", first_name="Sara")
    before = AuditEvent.objects.count()

    services.user_update(actor=admin, user=sara, first_name="Sara")

    assert AuditEvent.objects.count() == before


def test_setting_a_password_ends_the_sessions_and_records_who(admin: User) -> None:
    sara = UserFactory(username="sara")
    generation = _generation(sara)

    services.user_set_password(actor=admin, user=sara, password="a-brand-new-pass-phrase", reset=True)

    event = _last_event(sara)
    assert (event.kind, event.actor_id, event.changes) == (AuditEvent.Kind.PASSWORD_RESET, admin.pk, {})
    assert _generation(sara) == generation + 1
    assert User.objects.get(pk=sara.pk).check_password("a-brand-new-pass-phrase")


def test_ending_sessions_raises_the_generation_and_records_it(admin: User) -> None:
    sara = UserFactory(username="sara")
    generation = _generation(sara)

    services.user_end_sessions(actor=admin, user=sara)

    assert _generation(sara) == generation + 1
    assert _last_event(sara).changes == {"sessions": ["active", "ended"]}


# Teams ----------------------------------------------------------------------------------------
def test_creating_a_team_records_it_with_its_place(admin: User) -> None:
    parent = TeamFactory(name="Tehran branch")

    team = services.team_create(actor=admin, name="Sales", kind=Team.Kind.GROUP, parent=parent)

    assert team.path == f"/{parent.pk}/{team.pk}/"
    assert _last_event(team).changes == {"is_active": [None, True], "kind": [None, "group"], "name": [None, "Sales"],
                                         "parent": [None, "Tehran branch"]}  # fmt: skip


def test_moving_a_team_moves_its_sub_teams_and_ends_the_sessions_of_everyone_below(admin: User) -> None:
    tehran, shiraz = TeamFactory(name="Tehran branch"), TeamFactory(name="Shiraz branch")
    sales = TeamFactory(name="Sales", parent=tehran)
    desk = TeamFactory(name="Desk", parent=sales)
    in_sales, in_desk, in_shiraz = UserFactory(teams=[sales]), UserFactory(teams=[desk]), UserFactory(teams=[shiraz])
    generations = {user.pk: _generation(user) for user in (in_sales, in_desk, in_shiraz)}

    services.team_update(actor=admin, team=sales, parent=shiraz)

    desk.refresh_from_db()
    assert (Team.objects.get(pk=sales.pk).path, desk.path) == (
        f"/{shiraz.pk}/{sales.pk}/",
        f"/{shiraz.pk}/{sales.pk}/{desk.pk}/",
    )
    assert _generation(in_sales) == generations[in_sales.pk] + 1
    assert _generation(in_desk) == generations[in_desk.pk] + 1
    assert _generation(in_shiraz) == generations[in_shiraz.pk]
    assert _last_event(sales).changes == {"parent": ["Tehran branch", "Shiraz branch"]}


def test_a_team_cannot_go_under_itself_or_its_sub_teams(admin: User) -> None:
    tehran = TeamFactory(name="Tehran branch")
    sales = TeamFactory(name="Sales", parent=tehran)
    before = AuditEvent.objects.count()

    with pytest.raises(services.TeamCycleError):
        services.team_update(actor=admin, team=tehran, parent=sales)
    with pytest.raises(services.TeamCycleError):
        services.team_update(actor=admin, team=tehran, parent=tehran)

    assert Team.objects.get(pk=tehran.pk).parent_id is None
    assert AuditEvent.objects.count() == before


def test_a_team_in_use_is_not_deleted_and_an_empty_one_is(admin: User) -> None:
    with_member, with_child = TeamFactory(name="With member"), TeamFactory(name="With child")
    UserFactory(teams=[with_member])
    TeamFactory(name="Child", parent=with_child)
    empty = TeamFactory(name="Empty")

    for team in (with_member, with_child):
        with pytest.raises(services.TeamInUseError):
            services.team_delete(actor=admin, team=team)
    services.team_delete(actor=admin, team=empty)

    assert sorted(Team.objects.values_list("name", flat=True)) == ["Child", "With child", "With member"]
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.DELETE, object_type="accounts.team").get()
    assert (event.object_label, event.changes["name"]) == ("Empty", ["Empty", None])


# Roles ----------------------------------------------------------------------------------------
def test_creating_a_role_records_its_grants(admin: User) -> None:
    role = services.role_create(actor=admin, name="Sales", grants={("users", Action.VIEW): Scope.TEAM,
                                                                   ("users", Action.EDIT): Scope.NONE},
                                sensitive_fields=[("users", "email")])  # fmt: skip

    assert _last_event(role).changes == {
        "description": [None, ""], "grants": [None, {"users.view": "team"}], "is_administrator": [None, False],
        "name": [None, "Sales"], "requires_two_factor": [None, False], "sensitive_fields": [None, ["users.email"]],
    }  # fmt: skip
    assert list(role.grants.values_list("module", "action", "scope")) == [("users", "view", Scope.TEAM)]


def test_changing_what_a_role_grants_ends_its_holders_sessions(admin: User) -> None:
    role = RoleFactory(name="Sales", grants={("users", Action.VIEW): Scope.TEAM})
    holder, other = UserFactory(roles=[role]), UserFactory(roles=[RoleFactory()])
    generations = (_generation(holder), _generation(other))

    services.role_update(actor=admin, role=role, grants={("users", Action.VIEW): Scope.ALL}, requires_two_factor=True)

    event = _last_event(role)
    assert event.kind == AuditEvent.Kind.PERMISSION_CHANGED
    assert event.changes == {
        "grants": [{"users.view": "team"}, {"users.view": "all"}],
        "requires_two_factor": [False, True],
    }
    assert (_generation(holder), _generation(other)) == (generations[0] + 1, generations[1])


def test_renaming_a_role_keeps_its_holders_sessions(admin: User) -> None:
    role = RoleFactory(name="Sales", grants={("users", Action.VIEW): Scope.TEAM})
    holder = UserFactory(roles=[role])
    generation = _generation(holder)

    services.role_update(actor=admin, role=role, name="Sellers", description="They sell")

    assert _last_event(role).changes == {"description": ["", "They sell"], "name": ["Sales", "Sellers"]}
    assert _generation(holder) == generation
    assert list(role.grants.values_list("module", "action", "scope")) == [("users", "view", Scope.TEAM)]


def test_deleting_a_role_records_what_it_granted_and_ends_its_holders_sessions(admin: User) -> None:
    role = RoleFactory(name="Sales", grants={("users", Action.VIEW): Scope.TEAM})
    holder = UserFactory(roles=[role])
    generation, role_id = _generation(holder), role.pk

    services.role_delete(actor=admin, role=role)

    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.DELETE, object_id=str(role_id),
                                      object_type="accounts.role").get()  # fmt: skip
    assert event.changes["grants"] == [{"users.view": "team"}, None]
    assert not Role.objects.filter(pk=role_id).exists()
    assert _generation(holder) == generation + 1


# The audit trail cannot be changed ------------------------------------------------------------
def test_the_audit_trail_refuses_changes_through_the_orm(admin: User) -> None:
    event = audit.record(actor=admin, kind=AuditEvent.Kind.LOGIN, instance=admin)

    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(kind=AuditEvent.Kind.LOGOUT)
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.kind = AuditEvent.Kind.LOGOUT
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()

    assert AuditEvent.objects.get(pk=event.pk).kind == AuditEvent.Kind.LOGIN


def test_the_database_refuses_an_update_of_the_audit_trail(admin: User) -> None:
    event = audit.record(actor=admin, kind=AuditEvent.Kind.LOGIN, instance=admin)
    table = AuditEvent._meta.db_table

    with (
        pytest.raises(DatabaseError, match="The audit trail cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET kind = %s WHERE id = %s", ["logout", event.pk])  # noqa: S608

    assert AuditEvent.objects.get(pk=event.pk).kind == AuditEvent.Kind.LOGIN
