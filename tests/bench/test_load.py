"""The loader writes the organisation as the services would, only faster."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password

from bench import generator, load
from peyvand.accounts.models import AuditEvent, Role, RoleGrant, Team, User
from peyvand.accounts.permissions import Scope

SCALE = 0.0005  # 3 teams, 6 users (one per role), 1,000 audit events


@pytest.fixture
def loaded(db: None) -> load.LoadSummary:
    return load.load_platform(scale=SCALE, batch_size=400)


def test_the_counts_are_those_of_the_scale(loaded: load.LoadSummary) -> None:
    expected = generator.organisation_counts(SCALE)

    assert expected == {"teams": 3, "roles": 6, "users": 6, "audit_events": 1_000}
    assert (loaded.teams, loaded.roles, loaded.users, loaded.audit_events) == (3, 6, 6, 1_000)
    assert Team.objects.count() == 3
    assert Role.objects.count() == 6
    assert User.objects.count() == 6
    assert AuditEvent.objects.count() == 1_000


def test_team_paths_are_those_team_create_computes(loaded: load.LoadSummary) -> None:
    teams = list(Team.objects.select_related("parent").order_by("pk"))

    for team in teams:
        parent_path = team.parent.path if team.parent else "/"
        assert team.path == f"{parent_path}{team.pk}/"
    assert sorted(team.depth for team in teams) == [0, 1, 2]


def test_roles_grant_every_scope_and_users_log_in_with_the_bench_password(loaded: load.LoadSummary) -> None:
    scopes = set(RoleGrant.objects.values_list("scope", flat=True))

    assert scopes == {Scope.OWN, Scope.TEAM, Scope.ALL}
    assert Role.objects.get(name="Administrator").is_administrator
    assert not RoleGrant.objects.filter(role__name="Guest").exists()
    assert RoleGrant.objects.get(role__name="Sales manager", module="users", action="view").scope == Scope.TEAM
    for user in User.objects.prefetch_related("roles", "teams"):
        assert check_password(generator.BENCH_PASSWORD, user.password)
        assert user.roles.count() == 1
        assert user.teams.count() >= 1
        assert not user.is_superuser


def test_audit_events_keep_their_generated_times(loaded: load.LoadSummary) -> None:
    times = list(AuditEvent.objects.order_by("at").values_list("at", flat=True))

    assert times[0] >= generator.AUDIT_PERIOD_END - generator.AUDIT_PERIOD
    assert times[-1] <= generator.AUDIT_PERIOD_END
    assert AuditEvent._meta.get_field("at").auto_now_add  # restored after the load


def test_loading_twice_is_refused(loaded: load.LoadSummary) -> None:
    with pytest.raises(load.AlreadyLoadedError):
        load.load_platform(scale=SCALE)

    assert User.objects.count() == 6


def test_loaded_users_are_found_by_name_as_saved_users_are(loaded: load.LoadSummary) -> None:
    for user in User.objects.all():
        stored = user.search_name
        user.refresh_search_name()
        assert stored == user.search_name != ""
