"""The activities' background work."""

from __future__ import annotations

from django_tasks import task

from peyvand.activities.reminders import deliver_due_reminders


@task()
def deliver_reminders() -> int:
    """Send the reminders whose time has come (queued by the worker's clock)."""
    return deliver_due_reminders()
