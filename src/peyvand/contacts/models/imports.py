"""Imports of persons, companies and leads from CSV, XLSX and vCard files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.contacts.models.lists import PartyKind


class ImportJob(models.Model):
    """One uploaded file on its way in: mapped, previewed, run in the background, reported.

    ``processed_rows`` is the checkpoint: rows are committed in batches together with it, so a
    crash or restart loses no committed row and resuming starts after the last committed batch.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        VCARD = "vcard", "vCard"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class OnDuplicate(models.TextChoices):
        SKIP = "skip", _("Skip the row")
        UPDATE = "update", _("Update the existing record")
        CREATE = "create", _("Create a new record anyway")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("record type"), max_length=10, choices=PartyKind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    file_sha256 = models.CharField(max_length=64, editable=False)
    # The file's column headers, in their order (made unique: "Phone (2)", "Column 3").
    headers = models.JSONField(default=list, blank=True)
    # {column header: field name or "" to ignore}
    mapping = models.JSONField(default=dict, blank=True)
    on_duplicate = models.CharField(_("when a row matches an existing record"), max_length=10,
                                    choices=OnDuplicate.choices, default=OnDuplicate.SKIP)  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the running task last reported; a job "running" without a heartbeat for a while was
    # interrupted and is resumed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["user", "created_at", "id"], name="import_job_user_created")]

    def __str__(self) -> str:
        return self.file_name


class ImportRowError(models.Model):
    """A row that was not imported, with its values and what was wrong, for the downloadable report."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField()
    values = models.JSONField(default=dict)
    # [{"field": "phone", "message": "…"}, …]
    errors = models.JSONField(default=list)

    class Meta:
        ordering = ["job", "row_number"]
        constraints = [models.UniqueConstraint(fields=["job", "row_number"], name="import_row_error_unique")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"
