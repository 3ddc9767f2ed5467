"""The import in the background: one task runs a job to its end, safe to run twice or after a crash."""

from __future__ import annotations

from django_tasks import task

from peyvand.contacts.imports import runner
from peyvand.contacts.imports.batches import JobSupersededError


@task()
def run_import_job(*, job_id: int) -> str:
    """Run (or resume) the job; what happened, in one word.

    A job that is done, or that another run is working on (its heartbeat is fresh), is left alone:
    "not claimed". A run that meets a newer checkpoint than its own stops: "superseded". An error
    leaves the job failed with its checkpoint, to be started again: "failed".
    """
    job = runner.claim(job_id)
    if job is None:
        return "not claimed"
    try:
        runner.run(job)
    except JobSupersededError:
        return "superseded"
    except Exception as error:  # recorded on the job, which can be started again
        runner.fail(job_id, error)
        return "failed"
    return "done"
