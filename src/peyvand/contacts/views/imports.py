"""The import wizard: upload → map the columns (with a preview) → duplicates → progress → report."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common.csv import stream_rows
from peyvand.common.pagination import InvalidCursor, keyset_page
from peyvand.common.text import normalize_text
from peyvand.contacts.access import can_any
from peyvand.contacts.custom_fields import active_fields
from peyvand.contacts.imports import runner, selectors, services
from peyvand.contacts.imports.columns import label_of
from peyvand.contacts.imports.forms import ImportMappingForm, ImportOptionsForm, ImportUploadForm
from peyvand.contacts.imports.readers import UnreadableFile, reader_for
from peyvand.contacts.imports.rows import PreparedRow
from peyvand.contacts.models import ImportJob

TEMPLATES = "contacts/imports"
PREVIEW_ROWS = 10
PAGE_SIZE = 25


def _actor(request: HttpRequest) -> User:
    actor = request.user
    if not can_any(actor, Action.CREATE):
        raise PermissionDenied
    return actor  # type: ignore[return-value]


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    return selectors.access_import_job(actor=_actor(request), pk=job_id)


def _steps(current: int) -> list[dict[str, Any]]:
    names = [_("Upload"), _("Columns"), _("Duplicates"), _("Import")]
    return [{"number": index, "name": name, "current": index == current, "done": index < current}
            for index, name in enumerate(names, start=1)]  # fmt: skip


@login_required
@require_safe
def import_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        page = keyset_page(selectors.import_job_list(actor=actor), ordering="-created_at",
                           cursor=request.GET.get("cursor"), limit=PAGE_SIZE)  # fmt: skip
    except InvalidCursor:
        page = keyset_page(selectors.import_job_list(actor=actor), ordering="-created_at", cursor=None,
                           limit=PAGE_SIZE)  # fmt: skip
    for job in page.items:
        services.import_job_resume_if_stale(job)
    context = {"page": page, "jobs": page.items, "next_page_url": f"?cursor={page.next_cursor}" if page.next_cursor else None,
               "first_page_query": ""}  # fmt: skip
    return render(request, f"{TEMPLATES}/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
    form = ImportUploadForm(request.POST or None, request.FILES or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(actor=actor, kind=form.cleaned_data["kind"],
                                             upload=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                form.add_error("file", message)
        else:
            return redirect("contacts:import_mapping", job.pk)
    return render(request, f"{TEMPLATES}/upload.html", {"form": form, "steps": _steps(1)})


def _preview(job: ImportJob, mapping: dict[str, str]) -> dict[str, Any]:
    """The first rows as the import will read them, and what would be wrong with each."""
    mapped = [(header, mapping[header]) for header in job.headers if mapping.get(header)]
    preparer = runner.preparer_for(job, mapping)
    rows: list[PreparedRow] = []
    error = ""
    try:
        with reader_for(job.file, job.file_format) as reader:
            rows = [preparer.prepare(number, row) for number, row in islice(reader.rows(), PREVIEW_ROWS)]
    except (UnreadableFile, OSError) as problem:
        error = str(problem)
    custom = active_fields(job.kind)
    return {
        "preview_columns": [{"header": header, "target": label_of(target, custom)} for header, target in mapped],
        "preview_rows": [
            {"number": row.number, "empty": row.is_empty, "errors": row.errors,
             "cells": [normalize_text(row.values.get(header, "")) for header, _target in mapped]}
            for row in rows
        ],
        "preview_error": error,
    }  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("contacts:import_detail", job.pk)
    form = ImportMappingForm(request.POST or None, job=job, headers=job.headers)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        job.mapping = form.mapping()
        job.save(update_fields=["mapping"])
        return redirect("contacts:import_options", job.pk)
    context = {"job": job, "form": form, "steps": _steps(2), "rows": list(zip(job.headers, form, form.current_mapping().values(), strict=True)),
               **_preview(job, form.current_mapping())}  # fmt: skip
    return render(request, f"{TEMPLATES}/mapping.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_options(request: HttpRequest, job_id: int) -> HttpResponse:
    actor = _actor(request)
    job = selectors.access_import_job(actor=actor, pk=job_id)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("contacts:import_detail", job.pk)
    form = ImportOptionsForm(request.POST or None, initial={"on_duplicate": job.on_duplicate})
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_start(actor=actor, job=job, on_duplicate=form.cleaned_data["on_duplicate"])
        except PermissionDenied as error:
            form.add_error("on_duplicate", str(error) or _("You may not do this."))
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error("on_duplicate" if name == "on_duplicate" else None, problems)
        except services.ImportStateError:
            return redirect("contacts:import_detail", job.pk)
        else:
            return redirect("contacts:import_detail", job.pk)
    custom = active_fields(job.kind)
    mapped = [(header, label_of(job.mapping[header], custom)) for header in job.headers if job.mapping.get(header)]
    context = {"job": job, "form": form, "steps": _steps(3), "mapped": mapped}
    return render(request, f"{TEMPLATES}/options.html", context)


def _progress_context(job: ImportJob) -> dict[str, Any]:
    services.import_job_resume_if_stale(job)
    total = job.total_rows or 0
    percent = (
        100 if job.status == ImportJob.Status.DONE else (min(99, job.processed_rows * 100 // total) if total else 0)
    )
    active = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    return {"job": job, "percent": percent, "active": active}


@login_required
@require_safe
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.status == ImportJob.Status.UPLOADED:
        return redirect("contacts:import_mapping", job.pk)
    errors = list(selectors.import_row_error_list(job=job)[:PREVIEW_ROWS])
    context = {**_progress_context(job), "steps": _steps(4), "errors": errors}
    return render(request, f"{TEMPLATES}/detail.html", context)


@login_required
@require_safe
def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress bar and figures, polled by htmx every second while the job runs."""
    job = _job(request, job_id)
    response = render(request, f"{TEMPLATES}/_progress.html", _progress_context(job))
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        # The page around the bar shows the report: load it once the job has ended.
        response["HX-Refresh"] = "true"
    return response


def _error_report(job: ImportJob) -> Iterator[list[Any]]:
    headers = list(job.headers)
    yield [_("Row"), _("Errors"), *headers]
    last = 0
    while True:
        chunk = list(selectors.import_row_error_list(job=job).filter(row_number__gt=last).order_by("row_number")[
            : selectors.ERROR_REPORT_BATCH
        ])  # fmt: skip
        for error in chunk:
            messages_text = "; ".join(f"{item.get('column', '')}: {item.get('message', '')}" for item in error.errors)
            yield [error.row_number, messages_text, *(error.values.get(header, "") for header in headers)]
        if len(chunk) < selectors.ERROR_REPORT_BATCH:
            return
        last = chunk[-1].row_number


@login_required
@require_safe
def import_errors_csv(request: HttpRequest, job_id: int) -> StreamingHttpResponse:
    """The rows that were not imported, with what was wrong: to fix in a spreadsheet and import again."""
    job = _job(request, job_id)
    response = StreamingHttpResponse(stream_rows(_error_report(job)), content_type="text/csv; charset=utf-8")
    base = job.file_name.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = (
        f"attachment; filename=\"import-{job.pk}-errors.csv\"; filename*=UTF-8''{_quote(base)}-errors.csv"
    )
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


@login_required
@require_POST
def import_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Start a failed job again from its checkpoint."""
    actor = _actor(request)
    job = selectors.access_import_job(actor=actor, pk=job_id)
    try:
        services.import_job_start(actor=actor, job=job)
    except services.ImportStateError:
        messages.error(request, _("This import cannot be started again."))
    return redirect("contacts:import_detail", job.pk)


@login_required
@require_POST
def import_delete(request: HttpRequest, job_id: int) -> HttpResponse:
    actor = _actor(request)
    job = selectors.access_import_job(actor=actor, pk=job_id)
    try:
        services.import_job_delete(actor=actor, job=job)
    except services.ImportStateError:
        messages.error(request, _("An import cannot be deleted while it runs."))
        return redirect("contacts:import_detail", job.pk)
    messages.success(request, _("The import was deleted. The records it created stay."))
    return redirect("contacts:import_list")


urlpatterns: list[URLPattern] = [
    path("imports/", import_list, name="import_list"),
    path("imports/new/", import_upload, name="import_upload"),
    path("imports/<int:job_id>/", import_detail, name="import_detail"),
    path("imports/<int:job_id>/columns/", import_mapping, name="import_mapping"),
    path("imports/<int:job_id>/duplicates/", import_options, name="import_options"),
    path("imports/<int:job_id>/progress/", import_progress, name="import_progress"),
    path("imports/<int:job_id>/errors.csv", import_errors_csv, name="import_errors_csv"),
    path("imports/<int:job_id>/retry/", import_retry, name="import_retry"),
    path("imports/<int:job_id>/delete/", import_delete, name="import_delete"),
]
