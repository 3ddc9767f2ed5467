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
from django.db.models import Count
from django.utils import timezone

from bench import customer_file, daily_work, environment, generator, load, measure, report, server, targets
from bench.scenarios import SCENARIOS, TOKEN, Scenario
from peyvand.accounts.models import ApiToken, AuditEvent, Team, User
from peyvand.accounts.services import api_token_create, api_token_revoke
from peyvand.contacts.models import Party


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
    """Migrate, then load what the database lacks (the organisation, the customer file, the
    activities); refuse data of another scale."""
    call_command("migrate", interactive=False, verbosity=0)
    if not load.is_loaded():
        progress(f"loading the organisation at scale {scale}")
        load.load_platform(scale=scale, seed=seed, progress=progress)
    else:
        expected = generator.organisation_counts(scale)
        found = {
            "teams": Team.objects.count(),
            "users": User.objects.filter(roles__name__in=generator.role_names()).distinct().count(),
        }
        if (
            any(found[kind] != expected[kind] for kind in found)
            or AuditEvent.objects.count() < expected["audit_events"]
        ):
            raise DataMismatchError(
                f"the database holds another scale than {scale} ({found}); load it again with "
                f"`python -m bench load --fresh --scale {scale}` or point --database-url elsewhere"
            )
    if not customer_file.is_loaded():
        progress(f"loading the customer file at scale {scale}")
        customer_file.load_customer_file(scale=scale, seed=seed, progress=progress)
    else:
        counts = generator.customer_counts(scale)
        parties = dict(Party.objects.values_list("kind").annotate(count=Count("pk")).values_list("kind", "count"))
        expected_parties = {"person": counts["persons"], "company": counts["companies"], "lead": counts["leads"]}
        if parties != expected_parties:
            raise DataMismatchError(
                f"the customer file holds another scale than {scale} ({parties}); load it again with "
                f"`python -m bench load --fresh --scale {scale}` or point --database-url elsewhere"
            )
    if not daily_work.is_loaded():
        progress(f"loading the activities at scale {scale}")
        daily_work.load_activities(scale=scale, seed=seed, progress=progress)


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
    found_targets, missing = _targets(chosen)
    load_before = report.load_average()
    progress("collecting static files")
    server.collect_static(variables)
    port = options.port or server.free_port()
    results: list[measure.ScenarioResult] = []
    server_description: dict[str, Any] = {
        "software": "gunicorn", "workers": options.workers, "cache": "redis" if variables.get("REDIS_URL") else "database",
    }  # fmt: skip
    with server.running(variables, port=port, workers=options.workers) as running:
        server_description["config"] = running.config
        progress(f"gunicorn (pid {running.pid}) on {running.base_url}, {options.workers} workers")
        sessions: dict[tuple[str | None, str, str | None], list[httpx.Client] | str] = {}
        tokens: list[ApiToken] = []
        try:
            prepared: list[tuple[measure.ScenarioResult, list[httpx.Client]]] = []
            for scenario in chosen:
                if scenario.name in missing:
                    results.append(measure.ScenarioResult(scenario=scenario, url=scenario.path,
                                                          failure=missing[scenario.name]))  # fmt: skip
                    continue
                clients = _clients_for(scenario, running.base_url, options.concurrency, sessions, tokens,
                                       found_targets)  # fmt: skip
                if isinstance(clients, str):
                    results.append(measure.ScenarioResult(scenario=scenario, url=scenario.path, failure=clients))
                    continue
                progress(f"{scenario.name} as {scenario.who}: warming up")
                result = measure.prepare_scenario(
                    scenario, clients, warmup=options.warmup, max_seconds=options.max_seconds,
                    url=scenario.url(found_targets),
                )  # fmt: skip
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
            for token in tokens:
                api_token_revoke(actor=token.user, token=token)
    header = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(["python", "-m", "bench", *sys.argv[1:]]),
        "database": {**database_description(), "url": environment.redacted(variables["DATABASE_URL"])},
        "scale": options.scale,
        "seed": options.seed,
        "targets": found_targets,
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


def _targets(chosen: Sequence[Scenario]) -> tuple[dict[str, str], dict[str, str]]:
    """The data the scenarios name, and the scenarios that cannot run because some is missing."""
    found: dict[str, str] = {}
    missing: dict[str, str] = {}
    for scenario in chosen:
        for name in scenario.needs:
            if name in found:
                continue
            try:
                found.update(targets.resolve([name]))
            except targets.MissingTargetError as error:
                missing[scenario.name] = f"no data: {error}"
        if any(name not in found for name in scenario.needs) and scenario.name not in missing:
            missing[scenario.name] = "no data"
    return found, missing


def _clients_for(
    scenario: Scenario, base_url: str, concurrency: int, sessions: dict[tuple[str | None, str, str | None], list[httpx.Client] | str],
    tokens: list[ApiToken], found_targets: dict[str, str],
) -> list[httpx.Client] | str:  # fmt: skip
    """Clients for the scenario's role (one per concurrent request), logged in or carrying an API
    token of the role's user (the one its ``user`` target names, else the first), or why there are none."""
    named = found_targets[scenario.user] if scenario.user else None
    key = (scenario.role, scenario.auth, named)
    if key not in sessions:
        clients = [measure.new_client(base_url) for _ in range(concurrency)]
        try:
            if scenario.role is not None and scenario.auth == TOKEN:
                user = User.objects.get(username=named or login_user(scenario.role))
                token, secret = api_token_create(actor=user, name="benchmark",
                                                 expires_at=timezone.now() + dt.timedelta(days=1))  # fmt: skip
                tokens.append(token)
                for client in clients:
                    client.headers["Authorization"] = f"Bearer {secret}"
            elif scenario.role is not None:
                username = named or login_user(scenario.role)
                for client in clients:
                    measure.login(client, username=username, password=generator.BENCH_PASSWORD)
            sessions[key] = clients
        except measure.LoginError as error:
            for client in clients:
                client.close()
            sessions[key] = f"login failed: {error}"
    return sessions[key]
