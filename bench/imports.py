"""The import benchmark: a generated CSV of persons, imported the way an administrator does it.

The file holds persons as people's files hold them (messy Persian, ``+98`` numbers, several
phones and emails, a seed other than the loaded data's, so most rows are new and some numbers
meet existing ones); the import is the wizard's job (checks, duplicate detection, batches,
checkpoints, the audit trail) run in this process by ``import_parties``. Rows per second are the
rows the job processed over the time the job ran; memory is this process's resident set, sampled
after every batch, so a flat line is what streaming looks like.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench import generator

if TYPE_CHECKING:
    from peyvand.accounts.models import User

IMPORT_SEED_OFFSET = 1000  # the file's people are not the loaded ones
IMPORT_USER = "bench-import"


@dataclass
class ImportFigures:
    rows: int
    seconds: float
    created: int
    updated: int
    skipped: int
    failed: int
    file_mb: float
    rss_mb: list[float] = field(default_factory=list)  # after each batch

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def peak_mb(self) -> float:
        return max(self.rss_mb, default=0.0)


def write_file(path: Path, *, rows: int, seed: int) -> int:
    """``rows`` persons as a CSV (header: first_name, last_name, phone_1…3, email_1…2)."""
    scale = rows / generator.count("persons", 1.0)
    people = (
        {"first_name": row["first_name"], "last_name": row["last_name"], "phones": _three(row["phones"]),
         "emails": _two(row["emails"])}
        for row in generator.persons(scale=scale, seed=seed + IMPORT_SEED_OFFSET)
    )  # fmt: skip
    return generator.write_csv(path, people)


def _three(items: list[str]) -> list[str]:
    return [*items, "", "", ""][:3]


def _two(items: list[str]) -> list[str]:
    return [*items, "", ""][:2]


def _rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with Path("/proc/self/statm").open() as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 1_000_000


def run_import(path: Path, *, batch_size: int, progress: Callable[[str], None]) -> ImportFigures:
    """Import ``path`` as persons through the import job, as a user allowed to create persons."""
    from django.core.files import File

    from peyvand.contacts.imports import runner, services
    from peyvand.contacts.imports.batches import BatchOutcome
    from peyvand.contacts.models import ImportJob

    actor = _import_user()
    with path.open("rb") as handle:
        job = services.import_job_create(actor=actor, kind="person", upload=File(handle, name=path.name),
                                         size_limit=False)  # fmt: skip
    job = services.import_job_start(actor=actor, job=job, on_duplicate=ImportJob.OnDuplicate.SKIP, enqueue=False)
    claimed = runner.claim(job.pk)
    assert claimed is not None, "a new job is always claimed"
    samples: list[float] = []
    last_line = 0.0
    started = time.monotonic()

    def on_batch(current: ImportJob, outcome: BatchOutcome) -> None:
        nonlocal last_line
        samples.append(_rss_mb())
        now = time.monotonic()
        if now - last_line >= 10:
            last_line = now
            rate = current.processed_rows / (now - started)
            progress(f"import: {current.processed_rows:,} rows, {rate:,.0f} rows/s, {samples[-1]:.0f} MB")

    done = runner.run(claimed, batch_size=batch_size, on_batch=on_batch)
    seconds = time.monotonic() - started
    return ImportFigures(
        rows=done.processed_rows, seconds=round(seconds, 1), created=done.created_count,
        updated=done.updated_count, skipped=done.skipped_count, failed=done.failed_count,
        file_mb=round(path.stat().st_size / 1_000_000, 1), rss_mb=samples,
    )  # fmt: skip


def _import_user() -> User:
    """A user whose role may create and import persons with every scope (the loaded "Administrator")."""
    from peyvand.accounts.models import Role, User

    user, created = User.objects.get_or_create(username=IMPORT_USER, defaults={"first_name": "Import"})
    if created:
        user.roles.set(Role.objects.filter(is_administrator=True)[:1])
    return user
