"""Loading the generated organisation into the configured database, fast.

Rows go in with ``bulk_create`` rather than through the services: the services write an audit
entry per change and hash each password, which would make scale 1 take hours. What the services
guarantee is kept by hand here: team paths as ``team_create`` computes them, roles and grants as
``role_create`` writes them, and an audit trail that is only ever appended to.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from bench import bulk, generator
from peyvand.accounts.models import AuditEvent, Role, RoleFieldGrant, RoleGrant, Team, User
from peyvand.accounts.permissions import Scope, modules

ItemT = TypeVar("ItemT")
SCOPES = {"none": Scope.NONE, "own": Scope.OWN, "team": Scope.TEAM, "all": Scope.ALL}


class AlreadyLoadedError(RuntimeError):
    pass


@dataclass(frozen=True)
class LoadSummary:
    teams: int
    roles: int
    users: int
    audit_events: int
    seconds: float


def _quiet(message: str) -> None:
    pass


def is_loaded() -> bool:
    return Role.objects.filter(name__in=[role["name"] for role in generator.ROLES]).exists()


def load_platform(
    *,
    scale: float,
    seed: int = generator.DEFAULT_SEED,
    batch_size: int = 5_000,
    progress: Callable[[str], None] = _quiet,
) -> LoadSummary:
    """Teams, roles, users and the audit trail at ``scale``, into an empty organisation."""
    if is_loaded():
        raise AlreadyLoadedError("The benchmark organisation is already loaded; load again with --fresh.")
    started = time.monotonic()
    team_specs = list(generator.teams(scale=scale, seed=seed))
    role_specs = generator.roles()
    user_specs = list(generator.users(scale=scale, seed=seed))
    with transaction.atomic():
        team_pks = _load_teams(team_specs)
        role_pks = _load_roles(role_specs)
        user_pks = _load_users(
            user_specs, team_pks=team_pks, role_pks=dict(zip(generator.role_names(), role_pks, strict=True))
        )
    progress(f"{len(team_pks)} teams, {len(role_pks)} roles, {len(user_pks)} users")
    events = generator.audit_events(scale=scale, seed=seed, users=user_specs, teams=team_specs, roles=role_specs)
    pks_by_type = {"accounts.user": user_pks, "accounts.team": team_pks, "accounts.role": role_pks}
    audit_count = _load_audit_events(
        events, user_pks=user_pks, pks_by_type=pks_by_type, batch_size=batch_size,
        total=generator.count("audit_events", scale), progress=progress,
    )  # fmt: skip
    if connection.vendor == "postgresql":
        # A long-running database has its statistics and visibility map; so should this one.
        # VACUUM cannot run inside a transaction (as in the tests); ANALYZE alone can.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return LoadSummary(
        teams=len(team_pks), roles=len(role_pks), users=len(user_pks), audit_events=audit_count,
        seconds=round(time.monotonic() - started, 1),
    )  # fmt: skip


def _load_teams(specs: Sequence[Mapping[str, Any]]) -> list[int]:
    """Level by level, so that each level knows its parents' ids and paths ("/<parent ids>/<id>/")."""
    created: dict[int, Team] = {}
    for level in sorted({spec["level"] for spec in specs}):
        level_specs = [spec for spec in specs if spec["level"] == level]
        level_teams = Team.objects.bulk_create(
            Team(name=spec["name"], kind=spec["kind"],
                 parent=created[spec["parent_key"]] if spec["parent_key"] is not None else None)
            for spec in level_specs
        )  # fmt: skip
        for spec, team in zip(level_specs, level_teams, strict=True):
            assert team.pk is not None, "the database must return the ids of bulk-inserted rows"
            team.path = f"{team.parent.path if team.parent else '/'}{team.pk}/"
            created[spec["key"]] = team
        Team.objects.bulk_update(level_teams, ["path"])
    return [created[spec["key"]].pk for spec in specs]


def _load_roles(specs: Sequence[Mapping[str, Any]]) -> list[int]:
    roles = Role.objects.bulk_create(
        Role(name=spec["name"], is_administrator=spec["is_administrator"], description="Benchmark role")
        for spec in specs
    )
    grants: list[RoleGrant] = []
    field_grants: list[RoleFieldGrant] = []
    for spec, role in zip(specs, roles, strict=True):
        for module in modules():
            for action in module.actions:
                scope = SCOPES[spec["grants"].get(action, spec["grants"].get("*", "none"))]
                if scope:
                    grants.append(RoleGrant(role=role, module=module.key, action=action, scope=scope))
            if spec["sensitive_fields"]:
                field_grants.extend(RoleFieldGrant(role=role, module=module.key, field=name)
                                    for name in module.sensitive_fields)  # fmt: skip
    RoleGrant.objects.bulk_create(grants)
    RoleFieldGrant.objects.bulk_create(field_grants)
    return [role.pk for role in roles]


def _load_users(
    specs: Sequence[Mapping[str, Any]], *, team_pks: Sequence[int], role_pks: Mapping[str, int]
) -> list[int]:
    # Argon2 takes a good fraction of a second by design: hash once, give every user the hash.
    password = make_password(generator.BENCH_PASSWORD)
    unsaved = [
        User(username=spec["username"], first_name=spec["first_name"], last_name=spec["last_name"],
             email=spec["email"], language=spec["language"], password=password, is_active=True)
        for spec in specs
    ]  # fmt: skip
    for user in unsaved:
        user.refresh_search_name()  # bulk_create does not call save()
    users = User.objects.bulk_create(unsaved)
    User.roles.through.objects.bulk_create(
        User.roles.through(user_id=user.pk, role_id=role_pks[spec["role"]])
        for spec, user in zip(specs, users, strict=True)
    )
    User.teams.through.objects.bulk_create(
        User.teams.through(user_id=user.pk, team_id=team_pks[team_key])
        for spec, user in zip(specs, users, strict=True)
        for team_key in spec["team_keys"]
    )
    return [user.pk for user in users]


def _load_audit_events(
    events: Iterable[Mapping[str, Any]],
    *,
    user_pks: Sequence[int],
    pks_by_type: Mapping[str, Sequence[int]],
    batch_size: int,
    total: int,
    progress: Callable[[str], None],
) -> int:
    """Written with ``bench.bulk`` (COPY on PostgreSQL), the trail's indexes built at the end; the
    generated ``at`` is kept as it is (the model's ``auto_now_add`` applies to saves only)."""
    writer = bulk.TableWriter(AuditEvent)
    written = 0
    next_report = total // 10
    started = time.monotonic()
    with bulk.indexes_built_after([AuditEvent], progress):
        for batch in _batches(events, batch_size):
            rows = [
                {
                    "at": event["at"], "actor_id": user_pks[event["actor_key"]] if event["actor_key"] is not None else None,
                    "actor_label": event["actor_label"], "address": event["address"], "kind": event["kind"],
                    "object_type": event["object_type"], "object_label": event["object_label"], "changes": event["changes"],
                    "object_id": str(pks_by_type[event["object_type"]][event["object_key"]])
                    if event["object_key"] is not None else "",
                }
                for event in batch
            ]  # fmt: skip
            with transaction.atomic():
                written += writer.write(rows)
            if written >= next_report > 0:
                progress(f"audit events: {written:,}/{total:,} ({time.monotonic() - started:.0f} s)")
                next_report += total // 10
    return written


def _batches(items: Iterable[ItemT], size: int) -> Iterator[list[ItemT]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
