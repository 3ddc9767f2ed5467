"""Deterministic synthetic data: the same seed and scale give the same rows, on every machine.

Every generator is an iterator holding one row at a time, so a million persons cost no more
memory than ten. Each draws from its own ``random.Random`` seeded with the seed and its own
name, and no draw depends on the scale: the rows at scale 0.01 are the first rows at scale 1.

The rows are plain dicts. Persons and companies are written as people type them (Arabic
letters, stray spaces, phones in every format and three digit sets), because that is what
search, dedupe and import have to cope with; the platform's own records (teams, roles, users,
audit events) are clean, as Peyvand writes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bench import names

DEFAULT_SEED = 1

# What scale 1 holds (docs/benchmarks.md and the shared BENCHMARKS.md); later issues add theirs.
SCALE_ONE_COUNTS: dict[str, int] = {
    "persons": 1_000_000,
    "companies": 200_000,
    "teams": 40,
    "users": 500,
    "audit_events": 2_000_000,
}
# The organisation keeps its shape at every scale: three team levels, one user per role at least.
MINIMUM_COUNTS: dict[str, int] = {"teams": 3}

ZWNJ = "\u200c"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})

ARABIC_LETTERS_SHARE = 0.05  # of Persian names, written with Arabic ي and ك
PERSIAN_DIGITS_SHARE = 0.15  # of phones, typed with Persian digits
ARABIC_INDIC_DIGITS_SHARE = 0.05  # of phones, with Arabic-Indic digits

# How CSV files spread a row's lists over numbered columns.
CSV_LIST_COLUMNS: dict[str, tuple[str, int]] = {"phones": ("phone", 3), "emails": ("email", 2)}


def count(kind: str, scale: float) -> int:
    return max(MINIMUM_COUNTS.get(kind, 0), round(SCALE_ONE_COUNTS[kind] * scale))


def _random(seed: int, stream: str) -> random.Random:
    # A string seed is hashed with SHA-512 by ``random``: stable across runs and machines.
    return random.Random(f"peyvand-bench:{seed}:{stream}")


# Persons --------------------------------------------------------------------------------------
def persons(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"key", "locale", "first_name", "last_name", "phones", "emails"}``; half Persian, half English."""
    rng = _random(seed, "persons")
    for key in range(1, count("persons", scale) + 1):
        if rng.random() < 0.5:
            first, first_latin = rng.choice(names.PERSIAN_FIRST_NAMES)
            last, last_latin = rng.choice(names.PERSIAN_LAST_NAMES)
            first, last = messy_persian(rng, first), messy_persian(rng, last)
            if rng.random() < ARABIC_LETTERS_SHARE:
                first, last = first.translate(ARABIC_LETTERS), last.translate(ARABIC_LETTERS)
            locale = "fa"
        else:
            first = first_latin = rng.choice(names.ENGLISH_FIRST_NAMES)
            last = last_latin = rng.choice(names.ENGLISH_LAST_NAMES)
            locale = "en"
        phones = [mobile_phone(rng) for _ in range(rng.randint(1, 3))]
        email_count = rng.choices((0, 1, 2), weights=(3, 5, 2))[0]
        emails = _emails(rng, first_latin, last_latin, email_count)
        yield {
            "key": key, "locale": locale, "first_name": first, "last_name": last,
            "phones": phones, "emails": emails,
        }  # fmt: skip


def messy_persian(rng: random.Random, text: str) -> str:
    """``text`` as a hurried typist writes it: ZWNJ as a space or left out, stray spaces."""
    if ZWNJ in text:
        draw = rng.random()
        if draw < 0.15:
            text = text.replace(ZWNJ, " ")
        elif draw < 0.25:
            text = text.replace(ZWNJ, "")
    if rng.random() < 0.05:
        text = rng.choice((f" {text}", f"{text} ", text.replace(" ", "  ") if " " in text else f"{text}  "))
    return text


def mobile_phone(rng: random.Random) -> str:
    """An Iranian mobile number in one of the ways people write them."""
    prefix = rng.choice(names.MOBILE_PREFIXES)
    block, line = f"{rng.randrange(1000):03d}", f"{rng.randrange(10000):04d}"
    formats = (
        (f"0{prefix}{block}{line}", 30),
        (f"0{prefix} {block} {line}", 15),
        (f"0{prefix}-{block}-{line}", 10),
        (f"0{prefix} {block} {line[:2]} {line[2:]}", 8),
        (f"(0{prefix}) {block}-{line}", 4),
        (f"+98{prefix}{block}{line}", 12),
        (f"+98 {prefix} {block} {line}", 8),
        (f"+98-{prefix}-{block}-{line}", 3),
        (f"0098{prefix}{block}{line}", 6),
        (f"0098 {prefix} {block} {line}", 4),
    )
    phone = rng.choices([text for text, _ in formats], weights=[weight for _, weight in formats])[0]
    draw = rng.random()
    if draw < PERSIAN_DIGITS_SHARE:
        return phone.translate(PERSIAN_DIGITS)
    if draw < PERSIAN_DIGITS_SHARE + ARABIC_INDIC_DIGITS_SHARE:
        return phone.translate(ARABIC_INDIC_DIGITS)
    return phone


def _latin_slug(text: str) -> str:
    return "".join(character for character in text.lower() if character.isascii() and character.isalnum())


def _emails(rng: random.Random, first: str, last: str, wanted: int) -> list[str]:
    first, last = _latin_slug(first), _latin_slug(last)
    emails: list[str] = []
    while len(emails) < wanted:
        local = rng.choice(
            (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{rng.randrange(100)}", f"{last}.{first}")
        )
        email = f"{local}@{rng.choice(names.EMAIL_DOMAINS)}"
        if rng.random() < 0.05:
            email = email.capitalize()
        if email.lower() not in (known.lower() for known in emails):
            emails.append(email)
    return emails


# Companies ------------------------------------------------------------------------------------
def companies(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"key", "locale", "name", "national_id", "economic_code"}``; the two codes for most, "" otherwise."""
    rng = _random(seed, "companies")
    for key in range(1, count("companies", scale) + 1):
        if rng.random() < 0.7:
            name = _persian_company_name(rng)
            locale = "fa"
        else:
            name = _english_company_name(rng)
            locale = "en"
        national_id = legal_national_id(rng) if rng.random() < 0.9 else ""
        economic_code = f"4{rng.randrange(10**11):011d}" if rng.random() < 0.85 else ""
        yield {"key": key, "locale": locale, "name": name, "national_id": national_id, "economic_code": economic_code}


def _persian_company_name(rng: random.Random) -> str:
    core = f"{rng.choice(names.COMPANY_PREFIXES_PERSIAN)} {rng.choice(names.COMPANY_ACTIVITIES_PERSIAN)}"
    legal = rng.choice(names.COMPANY_LEGAL_FORMS_PERSIAN)
    name = rng.choice((f"شرکت {core} {legal}", f"شرکت {legal} {core}", f"{core} ({legal})", f"شرکت {core}",
                       f"گروه صنعتی {core}"))  # fmt: skip
    name = messy_persian(rng, name)
    return name.translate(ARABIC_LETTERS) if rng.random() < ARABIC_LETTERS_SHARE else name


def _english_company_name(rng: random.Random) -> str:
    prefix, activity = rng.choice(names.COMPANY_PREFIXES_ENGLISH), rng.choice(names.COMPANY_ACTIVITIES_ENGLISH)
    return f"{prefix} {activity} {rng.choice(names.COMPANY_LEGAL_FORMS_ENGLISH)}"


LEGAL_ID_WEIGHTS = (29, 27, 23, 19, 17)


def legal_id_check_digit(first_ten: str) -> int:
    """The check digit of a legal entity's national ID (شناسه ملی), from its first ten digits.

    Each digit, increased by the tenth digit plus two, is weighted 29, 27, 23, 19, 17 in turn;
    the sum modulo 11 is the check digit, 10 counting as 0.
    """
    assert len(first_ten) == 10, first_ten
    assert first_ten.isascii(), first_ten
    assert first_ten.isdigit(), first_ten
    shift = int(first_ten[9]) + 2
    total = sum((shift + int(digit)) * LEGAL_ID_WEIGHTS[index % 5] for index, digit in enumerate(first_ten))
    return total % 11 % 10


def legal_national_id(rng: random.Random) -> str:
    """An 11-digit شناسه ملی with a correct check digit (registry serial never all zeros)."""
    first_ten = f"{rng.choice(('10', '14'))}{rng.randrange(1, 10**8):08d}"
    return f"{first_ten}{legal_id_check_digit(first_ten)}"


# The organisation: teams, roles, users, audit trail ------------------------------------------
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
    rng = _random(seed, "users")
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
        username = f"{_latin_slug(first_latin)}.{_latin_slug(last_latin)}.{key}"
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
    rng = _random(seed, "audit")
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


# CSV ------------------------------------------------------------------------------------------
def write_csv(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write ``rows`` as a UTF-8 CSV file with a header; returns the number of rows.

    The columns are the first row's keys; a list (phones, emails) is spread over numbered
    columns (``phone_1`` … ``phone_3``). Cells are written as typed: a CSV for an import
    benchmark must hold what people's files hold, ``+98…`` included.
    """
    iterator = iter(rows)
    first = next(iterator, None)
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="") as file:
        if first is None:
            return 0
        header: list[str] = []
        for key, value in first.items():
            if isinstance(value, list | tuple):
                column, width = CSV_LIST_COLUMNS[key]
                header.extend(f"{column}_{number}" for number in range(1, width + 1))
            else:
                header.append(key)
        writer = csv.writer(file)
        writer.writerow(header)
        for record in itertools.chain([first], iterator):
            writer.writerow(_csv_cells(record))
            written += 1
    return written


def _csv_cells(row: Mapping[str, Any]) -> list[str]:
    cells: list[str] = []
    for key, value in row.items():
        if isinstance(value, list | tuple):
            width = CSV_LIST_COLUMNS[key][1]
            if len(value) > width:
                raise ValueError(f"{key} has {len(value)} items; the CSV has room for {width}")
            cells.extend([*(str(item) for item in value), *([""] * (width - len(value)))])
        else:
            cells.append("" if value is None else str(value))
    return cells
