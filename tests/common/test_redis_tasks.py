"""Larger installs switch background work to Redis: TASKS_BACKEND=redis with REDIS_URL.

Runs against a real Redis named by PEYVAND_TEST_REDIS_URL (CI sets it to the project machines'
Redis); it starts Peyvand in separate processes since the backend is chosen at start-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

REDIS_URL = os.environ.get("PEYVAND_TEST_REDIS_URL", "")
PEYVAND = str(Path(sys.executable).with_name("peyvand"))

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="PEYVAND_TEST_REDIS_URL is not set")


def _peyvand(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "TASKS_BACKEND": "redis",
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",  # four slashes: an absolute path
        "DATABASE_URL": f"sqlite:///{tmp_path / 'peyvand.sqlite3'}",
        "PEYVAND_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(  # noqa: S603
        [PEYVAND, *arguments], env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_task_queued_in_redis_is_run_by_the_worker(tmp_path: Path) -> None:
    # Given an empty queue
    redis.Redis.from_url(REDIS_URL).flushdb()
    enqueue = (
        "from peyvand.common.tasks import send_email;"
        "send_email.enqueue(subject='Weekly report', body='Ready.', to=['sara@example.com'])"
    )

    # When a page queues an email and the worker runs what is queued
    queued = _peyvand(tmp_path, "shell", "-c", enqueue)
    worked = _peyvand(tmp_path, "worker", "--batch")

    # Then the email was sent by the worker, not by the page
    assert queued.returncode == 0, queued.stderr
    assert worked.returncode == 0, worked.stderr
    sent = [path.read_text() for path in (tmp_path / "mail").iterdir()]
    assert len(sent) == 1
    assert "Subject: Weekly report" in sent[0]
    assert "To: sara@example.com" in sent[0]
