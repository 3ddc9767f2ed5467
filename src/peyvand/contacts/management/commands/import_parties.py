"""``peyvand import_parties <file> --kind person --user <username>``: an import in the foreground.

The same job as the wizard's (checks, duplicates, batches, checkpoint, audit), run in this process
with a progress line; for administrators loading large files and for the benchmarks. An
interrupted run is continued with ``--resume <job id>``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peyvand.accounts.models import User
from peyvand.contacts.imports import runner, services
from peyvand.contacts.imports.batches import BATCH_SIZE, BatchOutcome
from peyvand.contacts.models import ImportJob


class Command(BaseCommand):
    help = "Import persons, companies or leads from a CSV, XLSX or vCard file, in the foreground."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="The file to import (not needed with --resume).")
        parser.add_argument("--kind", choices=["person", "company", "lead"], default="person")
        parser.add_argument("--user", required=True, help="The username the import acts as (owner, audit trail).")
        parser.add_argument("--on-duplicate", choices=list(ImportJob.OnDuplicate.values), default="skip")
        parser.add_argument("--mapping", help='JSON {"column header": "field"}; recognised columns need not be named.')
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--resume", type=int, metavar="JOB_ID", help="Continue an interrupted import.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user {options['user']!r}.") from None
        job = self._resume(actor, options["resume"]) if options["resume"] else self._create(actor, options)
        claimed = runner.claim(job.pk)
        if claimed is None:
            raise CommandError(f"Import {job.pk} is {job.status} or running elsewhere; nothing to do.")
        started = time.monotonic()
        first_row = claimed.processed_rows
        self._last_line = 0.0

        def progress(current: ImportJob, outcome: BatchOutcome) -> None:
            now = time.monotonic()
            if now - self._last_line < 0.5:
                return
            self._last_line = now
            done = current.processed_rows - first_row
            rate = done / max(now - started, 1e-9)
            total = f"/{current.total_rows}" if current.total_rows is not None else ""
            sys.stderr.write(f"\rimport {current.pk}: {current.processed_rows}{total} rows, {rate:,.0f} rows/s, "
                             f"{current.created_count} created, {current.failed_count} failed   ")  # fmt: skip
            sys.stderr.flush()

        try:
            runner.run(claimed, batch_size=options["batch_size"], on_batch=progress)
        except BaseException as error:
            runner.fail(claimed.pk, error)
            sys.stderr.write("\n")
            raise CommandError(
                f"Import {claimed.pk} stopped: {error}. Continue it with --resume {claimed.pk}."
            ) from error
        elapsed = time.monotonic() - started
        done = claimed.processed_rows - first_row
        sys.stderr.write("\n")
        self.stdout.write(f"Import {claimed.pk}: {services.summary(claimed)}")
        self.stdout.write(f"{done} rows in {elapsed:.1f} s: {done / max(elapsed, 1e-9):,.0f} rows/s.")

    def _create(self, actor: User, options: dict[str, Any]) -> ImportJob:
        if not options["file"]:
            raise CommandError("Name the file to import, or --resume a job.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        mapping = None
        if options["mapping"]:
            try:
                mapping = json.loads(options["mapping"])
            except ValueError as error:
                raise CommandError(f"--mapping is not JSON: {error}") from None
        try:
            with path.open("rb") as handle:
                job = services.import_job_create(
                    actor=actor, kind=options["kind"], upload=File(handle, name=path.name), size_limit=False
                )
            return services.import_job_start(actor=actor, job=job, mapping=mapping,
                                             on_duplicate=options["on_duplicate"], enqueue=False)  # fmt: skip
        except ValidationError as error:
            raise CommandError(
                " ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
            ) from None
        except PermissionDenied as error:
            raise CommandError(f"{actor.username} may not import {options['kind']} records. {error}") from None

    def _resume(self, actor: User, job_id: int) -> ImportJob:
        try:
            job = ImportJob.objects.get(pk=job_id, user=actor)
        except ImportJob.DoesNotExist:
            raise CommandError(f"No import {job_id} of {actor.username}.") from None
        if job.status == ImportJob.Status.FAILED:
            return services.import_job_start(actor=actor, job=job, enqueue=False)
        if job.status == ImportJob.Status.RUNNING and not runner.is_stale(job):
            raise CommandError(f"Import {job_id} is running (its last heartbeat is recent).")
        if job.status == ImportJob.Status.RUNNING:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
        return job
