"""Creating, configuring, starting and deleting import jobs: what the wizard, the API and the command call."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peyvand.accounts import access
from peyvand.accounts.permissions import Action
from peyvand.contacts.custom_fields import active_fields
from peyvand.contacts.imports import runner
from peyvand.contacts.imports.columns import is_many, label_of, recognise, target_keys
from peyvand.contacts.imports.readers import UnreadableFile, format_of, reader_for
from peyvand.contacts.models import ImportJob, Party
from peyvand.contacts.models.parties import MODULE_OF_KIND

if TYPE_CHECKING:
    from django.core.files import File

    from peyvand.accounts.models import User

# One of these must be mapped, or no row could have a name.
NAME_TARGETS = {"name", "first_name", "last_name"}


class ImportStateError(Exception):
    """The job is not in a state that allows this (started twice, deleted while running)."""


def max_upload_bytes() -> int:
    return int(settings.IMPORT_MAX_UPLOAD_MB) * 1024 * 1024


def require_import(actor: Any, kind: str, on_duplicate: str = ImportJob.OnDuplicate.SKIP) -> None:
    """Refuse (403) unless ``actor`` may create records of ``kind`` (and change them, to update)."""
    module = MODULE_OF_KIND[kind]
    access.require(actor, module, Action.CREATE)
    if on_duplicate == ImportJob.OnDuplicate.UPDATE and not access.can(actor, module, Action.EDIT):
        raise PermissionDenied(_("Updating existing records needs permission to change them."))


def importable_kinds(actor: Any) -> list[str]:
    return [kind for kind, module in MODULE_OF_KIND.items() if access.can(actor, module, Action.CREATE)]


def check_upload(upload: File, *, size_limit: bool = True) -> str:
    """The format of an uploaded file; ``ValidationError`` when it is too large or of another kind."""
    file_format = format_of(upload.name or "")
    if file_format is None:
        raise ValidationError(_("Choose a CSV, Excel (XLSX) or vCard (VCF) file."), code="format")
    if size_limit and (upload.size or 0) > max_upload_bytes():
        raise ValidationError(
            _("The file is larger than %(size)s MB, the largest an import accepts.")
            % {"size": settings.IMPORT_MAX_UPLOAD_MB},
            code="size",
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    return file_format


@transaction.atomic
def import_job_create(*, actor: User, kind: str, upload: File, size_limit: bool = True) -> ImportJob:
    """Keep the uploaded file and read its headers; ``ValidationError`` on "file" when it cannot be imported.

    ``size_limit=False`` lifts ``IMPORT_MAX_UPLOAD_MB`` for a file an administrator imports on the server.
    """
    assert kind in Party.Kind.values, kind
    require_import(actor, kind)
    try:
        file_format = check_upload(upload, size_limit=size_limit)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").rsplit("/", 1)[-1]
    job = ImportJob(user=actor, kind=kind, file_name=name[:255], file_format=file_format,
                    file_sha256=digest.hexdigest())  # fmt: skip
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else file_format
    job.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    try:
        headers = job_headers(job)
    except UnreadableFile as error:
        job.file.delete(save=False)
        raise ValidationError({"file": [str(error)]}) from None
    job.headers = headers
    job.mapping = recognise(headers, kind, active_fields(kind))
    job.save()
    return job


def job_headers(job: ImportJob) -> list[str]:
    with reader_for(job.file, job.file_format) as reader:
        return reader.headers


def check_mapping(kind: str, headers: list[str], mapping: Mapping[str, Any]) -> dict[str, str]:
    """The mapping of every header, checked: ``ValidationError`` keyed "mapping.<header>" or "mapping"."""
    allowed = target_keys(kind, active_fields(kind))
    errors: dict[str, list[str]] = {}
    for header in mapping:
        if header not in headers:
            errors[f"mapping.{header}"] = [_("The file has no such column.")]
    checked: dict[str, str] = {}
    for header in headers:
        target = mapping.get(header) or ""
        if not isinstance(target, str) or (target and target not in allowed):
            errors[f"mapping.{header}"] = [_("This is not a field this record type can import into.")]
            continue
        checked[header] = target
    used: dict[str, list[str]] = {}
    for header, target in checked.items():
        if target and not is_many(target):
            used.setdefault(target, []).append(header)
    for target, columns in used.items():
        if len(columns) > 1:
            for header in columns[1:]:
                errors[f"mapping.{header}"] = [
                    _("“%(field)s” is already filled from the column “%(column)s”.")
                    % {"field": label_of(target), "column": columns[0]}
                ]
    names = NAME_TARGETS | ({"company_name"} if kind == Party.Kind.LEAD else set())
    if not errors and not names & set(checked.values()):
        errors["mapping"] = [_("Choose the column that holds the name.")]
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def import_job_start(*, actor: User, job: ImportJob, mapping: Mapping[str, Any] | None = None,
                     on_duplicate: str | None = None, enqueue: bool = True) -> ImportJob:  # fmt: skip
    """Check the mapping and the choice for duplicates, and queue the job (or resume a failed one).

    ``enqueue=False`` leaves it queued for the caller to run in the foreground (the command).
    """
    assert job.user_id == actor.pk
    on_duplicate = on_duplicate or job.on_duplicate
    require_import(actor, job.kind, on_duplicate)
    if on_duplicate not in ImportJob.OnDuplicate.values:
        raise ValidationError({"on_duplicate": [_("Choose what to do with duplicates.")]})
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.FAILED) or not locked.file:
        raise ImportStateError
    if locked.status == ImportJob.Status.UPLOADED:
        given = {**job.mapping, **(mapping or {})} if mapping is not None else job.mapping
        job.mapping = check_mapping(job.kind, job.headers, given)
        job.on_duplicate = on_duplicate
    job.status = ImportJob.Status.QUEUED
    job.error = ""
    job.save(update_fields=["mapping", "on_duplicate", "status", "error"])
    job_id = job.pk
    if enqueue:
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    from peyvand.contacts.imports.tasks import run_import_job

    run_import_job.enqueue(job_id=job_id)


def import_job_resume_if_stale(job: ImportJob) -> bool:
    """Queue again a job whose run was interrupted (running, no heartbeat for a while); whether it was."""
    if not runner.is_stale(job):
        return False
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING,
                                       heartbeat_at=job.heartbeat_at).update(status=ImportJob.Status.QUEUED)  # fmt: skip
    if updated:
        job.status = ImportJob.Status.QUEUED
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return bool(updated)


@transaction.atomic
def import_job_delete(*, actor: User, job: ImportJob) -> None:
    """Delete a job that is not running, with its file and its row errors (the records stay)."""
    assert job.user_id == actor.pk
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING) and not runner.is_stale(locked):
        raise ImportStateError
    if locked.file:
        locked.file.delete(save=False)
    locked.delete()


def summary(job: ImportJob) -> str:
    """One sentence of figures for messages and the command's last line."""
    return ngettext(
        "%(rows)s row: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped, "
        "%(failed)s failed.",
        "%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped, "
        "%(failed)s failed.",
        job.processed_rows,
    ) % {
        "rows": job.processed_rows, "created": job.created_count, "updated": job.updated_count,
        "unchanged": job.unchanged_count, "skipped": job.skipped_count, "failed": job.failed_count,
    }  # fmt: skip
