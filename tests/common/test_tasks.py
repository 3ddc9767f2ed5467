"""Background work goes through the database queue and the ``peyvand worker`` command."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from peyvand.common.tasks import send_email

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DATABASE_TASKS)
def test_queued_email_is_sent_by_the_worker() -> None:
    result = send_email.enqueue(subject="سلام", body="Your report is ready.", to=["sara@example.com"])
    assert mail.outbox == []  # queued, not sent while the page waits

    call_command("worker", batch=True)

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert [(message.subject, message.to) for message in mail.outbox] == [("سلام", ["sara@example.com"])]
