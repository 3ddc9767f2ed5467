"""Deterministic synthetic data: the same seed and scale give the same rows, on every machine.

Every generator is an iterator holding one row at a time, so a million persons cost no more
memory than ten. Each draws from its own random stream, seeded with the seed and its own name,
and no draw depends on the scale: the rows at scale 0.01 are the first rows at scale 1.

- ``parties``: persons and companies, as messy as people's data (``persons``, ``companies``);
- ``customers``: leads, what the business records about each party (``profiles``), and the
  relationships between parties, all numbered by ``party_number``;
- ``timeline``: three years of touchpoints on every channel, skewed (``activity_plan``,
  ``interaction_figures``, ``interactions``);
- ``organisation``: teams, roles, users and audit events, clean (``teams``, ``roles``, ``users``,
  ``audit_events``);
- ``activities``: the staff's tasks, calls and meetings over the same three years and around a
  given day (``activities.activities``, ``activity_counts``);
- ``csv_files``: ``write_csv(path, rows)`` for the import benchmarks;
- ``names``: the word lists everything is made of.

Later issues add a module per kind of record, and its count to ``SCALE_ONE_COUNTS``.
"""

from bench.generator import activities, names
from bench.generator.activities import activity_counts
from bench.generator.common import DEFAULT_SEED, SCALE_ONE_COUNTS, count, random_stream
from bench.generator.csv_files import CSV_LIST_COLUMNS, write_csv
from bench.generator.customers import (
    PARTY_KINDS,
    customer_counts,
    handful_count,
    leads,
    party_number,
    party_total,
    profiles,
    relationship_quotas,
    relationships,
)
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
from bench.generator.timeline import ActivityPlan, Figures, activity_plan, interaction_figures, interactions

__all__ = [
    "AUDIT_PERIOD",
    "AUDIT_PERIOD_END",
    "BENCH_PASSWORD",
    "CSV_LIST_COLUMNS",
    "DEFAULT_SEED",
    "PARTY_KINDS",
    "ROLES",
    "SCALE_ONE_COUNTS",
    "ZWNJ",
    "ActivityPlan",
    "Figures",
    "activities",
    "activity_counts",
    "activity_plan",
    "audit_events",
    "companies",
    "count",
    "customer_counts",
    "handful_count",
    "interaction_figures",
    "interactions",
    "leads",
    "legal_id_check_digit",
    "messy_persian",
    "mobile_phone",
    "names",
    "organisation_counts",
    "party_number",
    "party_total",
    "persons",
    "profiles",
    "random_stream",
    "relationship_quotas",
    "relationships",
    "role_names",
    "roles",
    "teams",
    "users",
    "write_csv",
]
