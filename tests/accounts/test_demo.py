"""``peyvand demo`` gives a newcomer an organisation to log in to, one user per kind of role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from peyvand.accounts import access
from peyvand.accounts.demo import DEMO_PASSWORD
from peyvand.accounts.models import Team, User
from peyvand.accounts.permissions import Action, Scope

pytestmark = pytest.mark.django_db


def _run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_prints_the_logins_and_every_demo_user_can_log_in(client: Client) -> None:
    output = _run_demo()

    assert f"password for all: {DEMO_PASSWORD}" in output
    usernames = ["admin", "manager", "rep", "rep2", "agent", "auditor"]
    for username in usernames:
        assert f"  {username} " in output
        assert client.login(username=username, password=DEMO_PASSWORD)
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(usernames)


def test_demo_roles_cover_every_scope() -> None:
    _run_demo()

    def scope(username: str, action: str = Action.VIEW) -> Scope:
        return access.scope_of(User.objects.get(username=username), "users", action)

    assert access.is_administrator(User.objects.get(username="admin"))
    assert scope("manager") == Scope.TEAM
    assert scope("rep") == Scope.OWN
    assert scope("rep", Action.DELETE) == Scope.NONE
    assert scope("agent") == Scope.ALL
    assert scope("agent", Action.EDIT) == Scope.OWN
    assert scope("auditor", Action.EXPORT) == Scope.ALL
    assert scope("auditor", Action.EDIT) == Scope.NONE


def test_demo_teams_form_a_hierarchy_in_both_languages() -> None:
    _run_demo()

    field_sales = Team.objects.get(name="فروش میدانی")
    assert [field_sales.parent.name, field_sales.parent.parent.name] == ["فروش", "دفتر مرکزی تهران"]  # type: ignore[union-attr]
    assert Team.objects.filter(name="Isfahan branch").exists()


def test_demo_if_empty_leaves_an_existing_database_alone() -> None:
    _run_demo()

    output = _run_demo("--if-empty")

    assert "nothing added" in output
    assert User.objects.count() == 6


def test_demo_refuses_a_database_with_users() -> None:
    _run_demo()

    with pytest.raises(CommandError, match="already has users"):
        _run_demo()
