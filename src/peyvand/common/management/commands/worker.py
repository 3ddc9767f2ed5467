from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from peyvand.common import schedule


class Command(BaseCommand):
    help = (
        "Run the background worker for the configured tasks backend (database or Redis), with the clock"
        " that queues periodic work (reminders due)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run the queued tasks, then stop.")

    def handle(self, *args: Any, batch: bool = False, **options: Any) -> None:
        if batch:  # one pass: the periodic work due now first, then everything queued
            for periodic in schedule.registered():
                periodic.enqueue()
        else:
            schedule.start_clock()
        if settings.TASKS_BACKEND == "redis":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=batch)
        else:
            call_command("db_worker", batch=batch, interval=1.0)
