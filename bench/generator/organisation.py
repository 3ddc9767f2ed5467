"""The organisation: teams in three levels, roles of every scope, users, and the audit trail.

Clean rows, as Peyvand itself writes them; ``bench.load`` turns them into records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bench.generator import names
from bench.generator.common import DEFAULT_SEED, count, latin_slug, random_stream

# Every generated user's password; the runner logs in with it. Benchmark data only.
BENCH_PASSWORD = "peyvand-bench-password"  # noqa: S105

# Scopes by name (accounts.permissions.Scope); "*" grants every action a module has.
ROLES: tuple[dict[str, Any], ...] = (
    {"name": "Administrator", "is_administrator": True, "grants": {}, "sensitive_fields": True, "share": 4},
    {"name": "Sales manager", "grants": {"*": "team"}, "sensitive_fields": True, "share": 10},
    {"name": "Sales representative", "grants": {"view": "own", "create": "own", "edit": "own"}, "share": 50},
    {"name": "Support agent", "grants": {"view": "all", "create": "own", "edit": "own"}, "share": 27},
    {"name": "Auditor", "grants": {"view": "all", "export": "all"}, "sensitive_fields": True, "share": 4},
    {"name": "Guest", "grants": {}, "share": 5},
)


def role_names() -> list[str]:
    return [role["name"] for role in ROLES]


def organisation_counts(scale: float) -> dict[str, int]:
    """How many teams, roles, users and audit events a load at ``scale`` writes."""
    return {
        "teams": count("teams", scale),
        "roles": len(ROLES),
        "users": max(len(ROLES), count("users", scale)),
        "audit_events": count("audit_events", scale),
    }


def roles() -> list[dict[str, Any]]:
    """The roles, one of every scope (none, own, team, all, administrator)."""
    return [
        {"name": role["name"], "is_administrator": role.get("is_administrator", False), "grants": dict(role["grants"]),
         "sensitive_fields": role.get("sensitive_fields", False)}
        for role in ROLES
    ]  # fmt: skip


def teams(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"key", "name", "kind", "level", "parent_key"}``, parents before children.

    Three levels: a tenth are branches, three tenths departments (spread over the branches),
    the rest groups (spread over the departments).
    """
    total = count("teams", scale)
    branches = max(1, total // 10)
    departments = max(1, total * 3 // 10)
    groups = total - branches - departments
    used: dict[tuple[int | None, str], int] = {}

    def unique(parent: int | None, base: str) -> str:
        seen = used.get((parent, base), 0)
        used[(parent, base)] = seen + 1
        return base if seen == 0 else f"{base} {seen + 1}"

    for index in range(branches):
        city = names.BRANCH_CITIES[index % len(names.BRANCH_CITIES)]
        yield {"key": index, "name": unique(None, f"شعبه {city}"), "kind": "branch", "level": 1, "parent_key": None}
    for index in range(departments):
        parent = index % branches
        name = unique(parent, names.DEPARTMENT_NAMES[index // branches % len(names.DEPARTMENT_NAMES)])
        yield {"key": branches + index, "name": name, "kind": "department", "level": 2, "parent_key": parent}
    for index in range(groups):
        parent = branches + index % departments
        name = unique(parent, names.GROUP_NAMES[index // departments % len(names.GROUP_NAMES)])
        yield {"key": branches + departments + index, "name": name, "kind": "group", "level": 3, "parent_key": parent}


def users(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"key", "username", "first_name", "last_name", "email", "language", "role", "team_keys"}``.

    The first user of each role belongs to the first branch (the whole first subtree for a TEAM
    scope); the benchmark runner logs in as that user.
    """
    rng = random_stream(seed, "users")
    team_count = count("teams", scale)
    shares = [role["share"] for role in ROLES]
    for key in range(organisation_counts(scale)["users"]):
        if rng.random() < 0.6:
            first, first_latin = rng.choice(names.PERSIAN_FIRST_NAMES)
            last, last_latin = rng.choice(names.PERSIAN_LAST_NAMES)
            language = "fa"
        else:
            first = first_latin = rng.choice(names.ENGLISH_FIRST_NAMES)
            last = last_latin = rng.choice(names.ENGLISH_LAST_NAMES)
            language = "en"
        username = f"{latin_slug(first_latin)}.{latin_slug(last_latin)}.{key}"
        if key < len(ROLES):
            role, team_keys = ROLES[key]["name"], [0]
        else:
            role = rng.choices(role_names(), weights=shares)[0]
            team_keys = sorted(set(rng.sample(range(team_count), k=2 if rng.random() < 0.1 else 1)))
        yield {
            "key": key, "username": username, "first_name": first, "last_name": last,
            "email": f"{username}@staff.example.com", "language": language, "role": role, "team_keys": team_keys,
        }  # fmt: skip


AUDIT_PERIOD_END = dt.datetime(2025, 3, 20, 20, 30, tzinfo=dt.UTC)  # Nowruz 1404, Tehran midnight
AUDIT_PERIOD = dt.timedelta(days=3 * 365)
AUDIT_KINDS: tuple[tuple[str, int], ...] = (
    ("login", 45), ("update", 20), ("create", 10), ("logout", 10), ("login_failed", 5),
    ("permission_changed", 3), ("password_changed", 2), ("token_created", 2), ("delete", 1),
    ("locked_out", 1), ("token_revoked", 1),
)  # fmt: skip
_ABOUT_A_USER = {"login", "logout", "login_failed", "locked_out", "password_changed"}


def audit_events(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    users: Sequence[Mapping[str, Any]],
    teams: Sequence[Mapping[str, Any]],
    roles: Sequence[Mapping[str, Any]],
) -> Iterator[dict[str, Any]]:
    """Audit events in time order over the three years before ``AUDIT_PERIOD_END``.

    ``{"at", "actor_key", "actor_label", "address", "kind", "object_type", "object_key",
    "object_label", "changes"}``: ``actor_key`` and ``object_key`` index ``users``, ``teams``
    or ``roles`` (by ``object_type``), ``None`` when there is none.
    """
    rng = random_stream(seed, "audit")
    total = count("audit_events", scale)
    start = AUDIT_PERIOD_END - AUDIT_PERIOD
    kinds, weights = [kind for kind, _ in AUDIT_KINDS], [weight for _, weight in AUDIT_KINDS]
    records = {"accounts.user": users, "accounts.team": teams, "accounts.role": roles}
    for index in range(total):
        # One event per slot of the period, placed at random inside it: in time order, evenly spread.
        at = start + AUDIT_PERIOD * ((index + rng.random()) / total)
        kind = rng.choices(kinds, weights=weights)[0]
        actor_key: int | None = rng.randrange(len(users))
        changes: dict[str, Any] = {}
        if kind in _ABOUT_A_USER:
            object_type, object_key = "accounts.user", actor_key
            if kind in ("login_failed", "locked_out"):
                actor_key = None
                changes = {"reason": "password"} if kind == "login_failed" else {}
        elif kind.startswith("token_"):
            object_type, object_key = "accounts.apitoken", None
        else:
            object_type = rng.choice(("accounts.user", "accounts.team", "accounts.role") if kind != "permission_changed"
                                     else ("accounts.user", "accounts.role"))  # fmt: skip
            object_key = rng.randrange(len(records[object_type]))
            changes = _audit_changes(rng, kind, records[object_type][object_key])
        target = records[object_type][object_key] if object_key is not None else None
        yield {
            "at": at, "actor_key": actor_key,
            "actor_label": users[actor_key if actor_key is not None else rng.randrange(len(users))]["username"],
            "address": _office_address(rng), "kind": kind, "object_type": object_type, "object_key": object_key,
            "object_label": _label(target) if target is not None else f"token {rng.randrange(1, 1000)}",
            "changes": changes,
        }  # fmt: skip


def _label(record: Mapping[str, Any]) -> str:
    if "username" in record:
        return f"{record['first_name']} {record['last_name']}"
    return str(record["name"])


def _audit_changes(rng: random.Random, kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "create":
        return {"name": [None, _label(record)]}
    if kind == "delete":
        return {"name": [_label(record), None]}
    if kind == "permission_changed":
        return {"roles": [["Sales representative"], ["Sales representative", "Support agent"]]}
    return {"is_active": [True, False]} if rng.random() < 0.2 else {"language": ["fa", "en"]}


def _office_address(rng: random.Random) -> str:
    # Private office networks and the documentation ranges (RFC 5737) for addresses from outside.
    if rng.random() < 0.8:
        return f"10.{rng.randrange(12)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return f"{rng.choice(('192.0.2', '198.51.100', '203.0.113'))}.{rng.randrange(1, 255)}"
