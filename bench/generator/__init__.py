"""Deterministic synthetic data: the same seed and scale give the same rows, on every machine.

Every generator is an iterator holding one row at a time, so a million persons cost no more
memory than ten. Each draws from its own random stream, seeded with the seed and its own name,
and no draw depends on the scale: the rows at scale 0.01 are the first rows at scale 1.

- ``parties``: persons and companies, as messy as people's data (``persons``, ``companies``);
- ``organisation``: teams, roles, users and audit events, clean (``teams``, ``roles``, ``users``,
  ``audit_events``);
- ``csv_files``: ``write_csv(path, rows)`` for the import benchmarks;
- ``names``: the word lists everything is made of.

Later issues add a module per kind of record, and its count to ``SCALE_ONE_COUNTS``.
"""

from bench.generator import names
from bench.generator.common import DEFAULT_SEED, SCALE_ONE_COUNTS, count, random_stream
from bench.generator.csv_files import CSV_LIST_COLUMNS, write_csv
from bench.generator.organisation import (
    AUDIT_PERIOD,
    AUDIT_PERIOD_END,
    BENCH_PASSWORD,
    ROLES,
    audit_events,
    organisation_counts,
    role_names,
    roles,
    teams,
    users,
)
from bench.generator.parties import ZWNJ, companies, legal_id_check_digit, messy_persian, mobile_phone, persons

__all__ = [
    "AUDIT_PERIOD",
    "AUDIT_PERIOD_END",
    "BENCH_PASSWORD",
    "CSV_LIST_COLUMNS",
    "DEFAULT_SEED",
    "ROLES",
    "SCALE_ONE_COUNTS",
    "ZWNJ",
    "audit_events",
    "companies",
    "count",
    "legal_id_check_digit",
    "messy_persian",
    "mobile_phone",
    "names",
    "organisation_counts",
    "persons",
    "random_stream",
    "role_names",
    "roles",
    "teams",
    "users",
    "write_csv",
]
