"""Reading import jobs: a user sees their own imports only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from peyvand.contacts.models import ImportJob, ImportRowError

if TYPE_CHECKING:
    from peyvand.accounts.models import User

ERROR_REPORT_BATCH = 2000


def import_job_list(*, actor: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(user=actor)


def access_import_job(*, actor: Any, pk: Any) -> ImportJob:
    """The actor's own job ``pk``; anyone else's, or none, is 404."""
    try:
        return ImportJob.objects.get(pk=pk, user_id=actor.pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def import_row_error_list(*, job: ImportJob) -> QuerySet[ImportRowError]:
    return ImportRowError.objects.filter(job=job)
