"""Imports through the API: upload a file and start it, follow it, read the rows that failed.

The upload is checked by the wizard's own form and services, so the API accepts exactly the files,
mappings and choices the pages accept.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common.api import ERROR_RESPONSES, PageOut, PageQuery, paginate
from peyvand.contacts.access import can_any
from peyvand.contacts.imports import selectors, services
from peyvand.contacts.imports.forms import ImportUploadForm
from peyvand.contacts.models import ImportJob, ImportRowError, Party

router = Router(tags=["Imports"])


class ImportJobOut(Schema):
    id: int
    kind: str = Field(description="person, company or lead")
    file_name: str
    file_format: str = Field(description="csv, xlsx or vcard")
    status: str = Field(description="uploaded, queued, running, done or failed")
    on_duplicate: str = Field(description="skip, update or create")
    headers: list[str] = Field(description="The file's column headers, in their order.")
    mapping: dict[str, str] = Field(description="Each header and the field it fills; empty: not imported.")
    total_rows: int | None = Field(description="Rows in the file, once counted.")
    processed_rows: int
    created_count: int
    updated_count: int
    unchanged_count: int
    skipped_count: int
    failed_count: int
    error: str = Field(description="Why the last run stopped, when it did.")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ImportRowErrorItem(Schema):
    column: str = Field(description="The column of the file.")
    field: str = Field(description="The field it was imported as.")
    message: str


class ImportRowErrorOut(Schema):
    row_number: int = Field(description="The row in the file (the header is row 1), or the card in a vCard file.")
    values: dict[str, str] = Field(description="The row's values, by column header.")
    errors: list[ImportRowErrorItem]


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _mapping(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(target, str) for target in value.values()):
        raise ValidationError({"mapping": [_("Send a JSON object of column headers and field names.")]})
    return {str(header): target for header, target in value.items()}


@router.post("/imports", response={202: ImportJobOut, **ERROR_RESPONSES})
def import_create(
    request: HttpRequest,
    file: UploadedFile | None = File(None, description="A CSV, XLSX or vCard file."),  # noqa: B008
    kind: str | None = Form(None, description="person, company or lead"),
    mapping: str | None = Form(
        None,
        description='JSON: {"column header": "field", …}; recognised columns '
        'need not be named, "" leaves a column out.',
    ),
    on_duplicate: str | None = Form(None, description="skip (the default), update or create"),
) -> Status[ImportJob]:
    """Upload a file (multipart) and start importing it in the background; follow it with `GET /imports/{job_id}`.

    Updating existing records (`on_duplicate=update`) needs permission to change them.
    """
    actor = _actor(request)
    if not can_any(actor, Action.CREATE):
        raise PermissionDenied
    if kind in Party.Kind.values and kind not in services.importable_kinds(actor):
        raise PermissionDenied
    if on_duplicate and on_duplicate not in ImportJob.OnDuplicate.values:
        raise ValidationError({"on_duplicate": [_("Choose skip, update or create.")]})
    form = ImportUploadForm({"kind": kind or ""}, {"file": file} if file is not None else {}, actor=actor)
    if not form.is_valid():
        raise ValidationError({name: [str(error) for error in errors] for name, errors in form.errors.items()})
    given_mapping = _mapping(mapping)
    services.require_import(actor, form.cleaned_data["kind"], on_duplicate or ImportJob.OnDuplicate.SKIP)
    job: ImportJob | None = None
    try:
        with transaction.atomic():
            job = services.import_job_create(
                actor=actor, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
            services.import_job_start(actor=actor, job=job, mapping=given_mapping, on_duplicate=on_duplicate)
    except ValidationError:
        if job is not None and job.file:
            job.file.delete(save=False)
        raise
    job.refresh_from_db()
    return Status(202, job)


@router.get("/imports", response={200: PageOut[ImportJobOut], **ERROR_RESPONSES})
def import_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Your imports, newest first."""
    actor = _actor(request)
    if not can_any(actor, Action.CREATE):
        raise PermissionDenied
    return paginate(selectors.import_job_list(actor=actor), ordering="-created_at", page=page)


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERROR_RESPONSES})
def import_detail(request: HttpRequest, job_id: int) -> ImportJob:
    """One of your imports: its status and figures. Someone else's import is 404."""
    actor = _actor(request)
    if not can_any(actor, Action.CREATE):
        raise PermissionDenied
    job = selectors.access_import_job(actor=actor, pk=job_id)
    services.import_job_resume_if_stale(job)
    return job


@router.get("/imports/{job_id}/errors", response={200: PageOut[ImportRowErrorOut], **ERROR_RESPONSES})
def import_error_list(request: HttpRequest, job_id: int, page: Query[PageQuery]) -> Any:
    """The rows that were not imported, in file order, with their values and what was wrong."""
    actor = _actor(request)
    if not can_any(actor, Action.CREATE):
        raise PermissionDenied
    job = selectors.access_import_job(actor=actor, pk=job_id)
    errors = selectors.import_row_error_list(job=job)
    result = paginate(errors, ordering="row_number", page=page)
    return {"items": [_error_out(error) for error in result.items], "next_cursor": result.next_cursor}


def _error_out(error: ImportRowError) -> dict[str, Any]:
    return {
        "row_number": error.row_number,
        "values": {str(key): str(value) for key, value in error.values.items()},
        "errors": [{"column": item.get("column", ""), "field": item.get("field", ""), "message": item.get("message", "")}
                   for item in error.errors],
    }  # fmt: skip
