"""Running an import job: read, check and write its rows batch after batch, from its checkpoint.

Each batch is committed with the job's checkpoint (``processed_rows`` and the counts), so a crash
or restart loses no committed row, and the next run skips the rows already processed. Two runs of
one job cannot both write: a run first *claims* the job (queued, or running without a heartbeat for
:data:`STALE_AFTER`), and every batch checks under a row lock that the checkpoint is still the one
the run left.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.contacts.custom_fields import active_fields
from peyvand.contacts.imports.batches import BATCH_SIZE, BatchOutcome, BatchWriter, JobSupersededError
from peyvand.contacts.imports.columns import recognise
from peyvand.contacts.imports.readers import reader_for
from peyvand.contacts.imports.rows import PreparedRow, RowPreparer
from peyvand.contacts.models import Category, ImportJob, Source

logger = logging.getLogger("peyvand.imports")

# A running job whose heartbeat is older than this was interrupted (the worker stopped or crashed).
STALE_AFTER = dt.timedelta(minutes=2)

BatchHook = Callable[[ImportJob, BatchOutcome], None]


def is_stale(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    beat = job.heartbeat_at or job.started_at
    return job.status == ImportJob.Status.RUNNING and (beat is None or beat < now - STALE_AFTER)


def claim(job_id: int) -> ImportJob | None:
    """Take the job for this run; None when it is done, or another run is working on it."""
    now = timezone.now()
    stale = Q(status=ImportJob.Status.RUNNING) & (Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at=None))
    taken = (
        ImportJob.objects.filter(pk=job_id)
        .filter(Q(status=ImportJob.Status.QUEUED) | stale)
        .update(status=ImportJob.Status.RUNNING, heartbeat_at=now, started_at=Coalesce("started_at", now), error="")
    )
    return ImportJob.objects.select_related("user").get(pk=job_id) if taken else None


def preparer_for(job: ImportJob, mapping: dict[str, str] | None = None) -> RowPreparer:
    return RowPreparer(
        kind=job.kind,
        mapping=mapping if mapping is not None else job.mapping,
        headers=job.headers,
        custom_fields=active_fields(job.kind),
        sources=list(Source.objects.filter(is_active=True)),
        categories=list(Category.objects.filter(is_active=True)),
    )


def run(job: ImportJob, *, batch_size: int = BATCH_SIZE, on_batch: BatchHook | None = None) -> ImportJob:
    """Process a claimed job to its end; returns it done. Errors propagate (the job stays resumable).

    Messages are written in the language of the job's user, who reads the report.
    """
    with translation.override(job.user.language or settings.LANGUAGE_CODE):
        return _run(job, batch_size=batch_size, on_batch=on_batch)


def _run(job: ImportJob, *, batch_size: int, on_batch: BatchHook | None) -> ImportJob:
    writer = BatchWriter(job)
    with reader_for(job.file, job.file_format) as reader:
        if not job.mapping:
            job.headers = reader.headers
            job.mapping = recognise(reader.headers, job.kind, active_fields(job.kind))
            ImportJob.objects.filter(pk=job.pk).update(headers=job.headers, mapping=job.mapping)
        preparer = preparer_for(job)
        if job.total_rows is None:
            job.total_rows = reader.count()
            ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows, heartbeat_at=timezone.now())
        batch: list[PreparedRow] = []
        for number, row in reader.rows(skip=job.processed_rows):
            batch.append(preparer.prepare(number, row))
            if len(batch) >= batch_size:
                _write(writer, batch, on_batch)
                batch = []
        if batch:
            _write(writer, batch, on_batch)
    finish(job)
    return job


def _write(writer: BatchWriter, batch: list[PreparedRow], on_batch: BatchHook | None) -> None:
    outcome = writer.write(batch, len(batch))
    if outcome.created_ids:
        ids = outcome.created_ids
        transaction.on_commit(lambda: queue_duplicate_detection(ids))
    if on_batch is not None:
        on_batch(writer.job, outcome)


def queue_duplicate_detection(party_ids: list[int]) -> None:
    """Fuzzy duplicate detection of new records runs apart from the import, when it is installed."""
    try:
        from peyvand.contacts.duplicates_tasks import find_duplicates
    except ImportError:
        return
    find_duplicates.enqueue(party_ids=party_ids)


@transaction.atomic
def finish(job: ImportJob) -> None:
    """Mark the job done, with one audit entry for the whole of it, and remove the uploaded file."""
    now = timezone.now()
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.DONE, finished_at=now, heartbeat_at=now
    )
    if not updated:
        raise JobSupersededError
    job.status, job.finished_at = ImportJob.Status.DONE, now
    audit.record(
        actor=job.user, kind=AuditEvent.Kind.CREATE, instance=job, object_label=job.file_name[:300],
        changes={
            "record_type": job.kind, "on_duplicate": job.on_duplicate, "rows": job.processed_rows,
            "created": job.created_count, "updated": job.updated_count, "unchanged": job.unchanged_count,
            "skipped": job.skipped_count, "failed": job.failed_count,
        },
    )  # fmt: skip
    transaction.on_commit(lambda: remove_file(job))


def remove_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def fail(job_id: int, error: BaseException) -> None:
    """Record why a run stopped; the file stays, so the job can be started again from its checkpoint."""
    logger.exception("Import %s stopped", job_id, exc_info=error)
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], heartbeat_at=timezone.now()
    )
