"""What the import tests share: an importer, files in memory, a job run in the foreground."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.imports import runner, services
from peyvand.contacts.imports.batches import BATCH_SIZE, BatchOutcome
from peyvand.contacts.models import ImportJob
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory


def importer(*, username: str = "importer", scope: Scope = Scope.ALL, actions: tuple[str, ...] = ("view", "create", "edit"),
             modules: tuple[str, ...] = ("persons", "companies", "leads"), **kwargs: Any) -> User:  # fmt: skip
    role = RoleFactory(grants={(module, action): scope for module in modules for action in actions})
    return UserFactory(username=username, roles=[role], teams=[TeamFactory()], **kwargs)


def csv_bytes(lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def create_job(actor: User, content: bytes, *, name: str = "people.csv", kind: str = "person",
               on_duplicate: str = "skip", mapping: dict[str, str] | None = None) -> ImportJob:  # fmt: skip
    job = services.import_job_create(actor=actor, kind=kind, upload=SimpleUploadedFile(name, content))
    return services.import_job_start(actor=actor, job=job, mapping=mapping, on_duplicate=on_duplicate, enqueue=False)


def run_job(job: ImportJob, *, batch_size: int = BATCH_SIZE, on_batch: Any = None) -> ImportJob:
    claimed = runner.claim(job.pk)
    assert claimed is not None
    runner.run(claimed, batch_size=batch_size, on_batch=on_batch)
    claimed.refresh_from_db()
    return claimed


def run_import(actor: User, content: bytes, *, batch_size: int = BATCH_SIZE, **kwargs: Any) -> ImportJob:
    return run_job(create_job(actor, content, **kwargs), batch_size=batch_size)


def counts(job: ImportJob) -> dict[str, int | None]:
    return {
        "rows": job.processed_rows, "total": job.total_rows, "created": job.created_count,
        "updated": job.updated_count, "unchanged": job.unchanged_count, "skipped": job.skipped_count,
        "failed": job.failed_count,
    }  # fmt: skip


__all__ = ["BatchOutcome", "counts", "create_job", "csv_bytes", "importer", "run_import", "run_job", "xlsx_bytes"]
