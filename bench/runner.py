"""A benchmark run: the data in place, Peyvand under gunicorn, each scenario as its role.

Django must be set up (``bench.__main__`` does it) with the same environment the server gets,
so that this process reads the same database the server serves.
"""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from django.core.management import call_command
from django.db import connection

from bench import environment, generator, load, measure, report, server
from bench.scenarios import SCENARIOS, Scenario
from peyvand.accounts.models import AuditEvent, Team, User


class DataMismatchError(RuntimeError):
    pass


@dataclass(frozen=True)
class RunOptions:
    scale: float
    seed: int
    scenarios: Sequence[str]
    requests: int
    runs: int
    warmup: int
    workers: int
    concurrency: int
    max_seconds: float
    port: int | None = None


def prepare_database(*, scale: float, seed: int, progress: Callable[[str], None]) -> None:
    """Migrate, then load the organisation if the database has none; refuse data of another scale."""
    call_command("migrate", interactive=False, verbosity=0)
    if not load.is_loaded():
        progress(f"loading the organisation at scale {scale}")
        load.load_platform(scale=scale, seed=seed, progress=progress)
        return
    expected = generator.organisation_counts(scale)
    found = {
        "teams": Team.objects.count(),
        "users": User.objects.filter(roles__name__in=generator.role_names()).distinct().count(),
    }
    if any(found[kind] != expected[kind] for kind in found) or AuditEvent.objects.count() < expected["audit_events"]:
        raise DataMismatchError(
            f"the database holds another scale than {scale} ({found}); load it again with "
            f"`python -m bench load --fresh --scale {scale}` or point --database-url elsewhere"
        )


def database_description() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        row = cursor.fetchone()
    version = str(row[0]) if row else "unknown"
    return {"vendor": connection.vendor, "version": version, "name": str(connection.settings_dict["NAME"])}


def login_user(role: str) -> str:
    username = (
        User.objects.filter(roles__name=role, is_active=True, is_superuser=False)
        .order_by("pk")
        .values_list("username", flat=True)
        .first()
    )
    if username is None:
        raise measure.LoginError(f"no user holds the role {role!r}")
    return username


def run_benchmark(
    options: RunOptions, *, variables: dict[str, str], progress: Callable[[str], None]
) -> tuple[dict[str, Any], list[measure.ScenarioResult]]:
    """Start the server, run the scenarios, stop the server; the report header and the results."""
    chosen = [SCENARIOS[name] for name in options.scenarios]
    load_before = report.load_average()
    progress("collecting static files")
    server.collect_static(variables)
    port = options.port or server.free_port()
    results: list[measure.ScenarioResult] = []
    server_description: dict[str, Any] = {"software": "gunicorn", "workers": options.workers}
    with server.running(variables, port=port, workers=options.workers) as running:
        server_description["config"] = running.config
        progress(f"gunicorn (pid {running.pid}) on {running.base_url}, {options.workers} workers")
        sessions: dict[str | None, list[httpx.Client] | str] = {}
        try:
            prepared: list[tuple[measure.ScenarioResult, list[httpx.Client]]] = []
            for scenario in chosen:
                clients = _clients_for(scenario, running.base_url, options.concurrency, sessions)
                if isinstance(clients, str):
                    results.append(measure.ScenarioResult(scenario=scenario, url=scenario.path, failure=clients))
                    continue
                progress(f"{scenario.name} as {scenario.role or 'anonymous'}: warming up")
                result = measure.prepare_scenario(
                    scenario, clients, warmup=options.warmup, max_seconds=options.max_seconds
                )
                results.append(result)
                prepared.append((result, clients))
            # Runs are interleaved (run 1 of every scenario, then run 2…): a burst of other work on
            # the machine then spoils one run of several scenarios, which the median leaves out,
            # rather than every run of one scenario.
            for number in range(1, options.runs + 1):
                for result, clients in prepared:
                    measure.measure_run(result, clients, requests=options.requests, max_seconds=options.max_seconds)
                    if result.runs and len(result.runs) == number:
                        progress(f"run {number}: {result.scenario.name} p50 {result.runs[-1].p50_ms:.1f} ms")
        finally:
            for held in sessions.values():
                for client in held if isinstance(held, list) else []:
                    client.close()
    header = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(["python", "-m", "bench", *sys.argv[1:]]),
        "database": {**database_description(), "url": environment.redacted(variables["DATABASE_URL"])},
        "scale": options.scale,
        "seed": options.seed,
        "source": report.git_commit(),
        "machine": {**report.machine(), "load_average": {"before": load_before, "after": report.load_average()}},
        "server": server_description,
        "client": {
            "concurrency": options.concurrency,
            "warmup": options.warmup,
            "runs": options.runs,
            "requests": options.requests,
            "max_seconds_per_run": options.max_seconds,
        },
    }
    return header, results


def _clients_for(
    scenario: Scenario, base_url: str, concurrency: int, sessions: dict[str | None, list[httpx.Client] | str]
) -> list[httpx.Client] | str:
    """Logged-in clients for the scenario's role (one per concurrent request), or why there are none."""
    if scenario.role not in sessions:
        clients = [measure.new_client(base_url) for _ in range(concurrency)]
        try:
            if scenario.role is not None:
                username = login_user(scenario.role)
                for client in clients:
                    measure.login(client, username=username, password=generator.BENCH_PASSWORD)
            sessions[scenario.role] = clients
        except measure.LoginError as error:
            for client in clients:
                client.close()
            sessions[scenario.role] = f"login failed: {error}"
    return sessions[scenario.role]
