"""Work that comes back every so often (reminders due), queued by the background worker's clock.

An app registers a task with how often it should run (``register``, from its ``AppConfig.ready``);
``peyvand worker`` runs :func:`run_clock` beside itself, which queues each registered task when
its time comes. Several workers may each run a clock: the tasks must not mind running twice at
once (they claim their rows, as the reminders do), so the clock needs no lock of its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    key: str
    every_seconds: float
    enqueue: Callable[[], Any]  # queues the task (a django-tasks task's ``enqueue``)


_periodic: dict[str, Periodic] = {}


def register(key: str, *, every_seconds: float, enqueue: Callable[[], Any]) -> None:
    assert every_seconds > 0, every_seconds
    _periodic[key] = Periodic(key=key, every_seconds=every_seconds, enqueue=enqueue)


def registered() -> list[Periodic]:
    return list(_periodic.values())


def due(last_run: dict[str, float], now: float) -> list[Periodic]:
    """The registered tasks whose time has come at ``now`` (monotonic seconds), given when each last ran."""
    return [item for item in _periodic.values() if now - last_run.get(item.key, float("-inf")) >= item.every_seconds]


def run_clock(stop: threading.Event, *, tick_seconds: float = 5.0) -> None:
    """Queue the registered tasks on time until ``stop`` is set; a failure to queue one is logged and retried."""
    from django.db import close_old_connections

    last_run: dict[str, float] = {}
    while not stop.is_set():
        now = time.monotonic()
        for item in due(last_run, now):
            try:
                item.enqueue()
                last_run[item.key] = now
            except Exception:  # the database may be busy or gone for a moment; the next tick tries again
                logger.exception("Could not queue the periodic task %s", item.key)
        close_old_connections()
        stop.wait(tick_seconds)


def start_clock() -> threading.Event:
    """Start :func:`run_clock` in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_clock, args=(stop,), name="peyvand-clock", daemon=True).start()
    return stop
