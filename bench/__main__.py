"""``python -m bench load|run|import|scenarios``: see docs/benchmarks.md."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from collections.abc import Sequence

from bench import environment, generator
from bench.scenarios import SCENARIOS


def _say(message: str) -> None:
    print(f"» {message}", file=sys.stderr, flush=True)


def _scale(text: str) -> float:
    value = float(text)
    if not 0 < value <= 10:
        raise argparse.ArgumentTypeError("the scale is a factor above 0 and at most 10")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _scenario_names(text: str) -> list[str]:
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown scenario(s) {unknown}; known: {', '.join(SCENARIOS)}")
    return chosen


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a day as YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Peyvand's benchmarks (docs/benchmarks.md).")
    commands = parser.add_subparsers(dest="command", required=True)

    def data_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--scale", type=_scale, default=0.01, help="1 is the full data set (default 0.01)")
        command.add_argument("--seed", type=int, default=generator.DEFAULT_SEED)
        command.add_argument("--database-url", default=environment.DEFAULT_DATABASE_URL,
                             help=f"default {environment.DEFAULT_DATABASE_URL}")  # fmt: skip

    loader = commands.add_parser("load", help="migrate, then load the organisation and the customer file at a scale")
    data_options(loader)
    loader.add_argument("--fresh", action="store_true", help="drop every table first, then migrate")
    loader.add_argument("--batch-size", type=_positive, default=5_000)

    activities = commands.add_parser(
        "load-activities", help="add the activities at a scale to a database holding the customer file"
    )
    data_options(activities)
    activities.add_argument("--today", type=_day, default=None,
                            help="the Tehran day (YYYY-MM-DD) the recent activities surround (default: today)")  # fmt: skip
    activities.add_argument("--replace", action="store_true", help="delete the activities there are first")

    runner = commands.add_parser("run", help="serve Peyvand with gunicorn and time the scenarios")
    data_options(runner)
    runner.add_argument("--scenarios", type=_scenario_names, default=list(SCENARIOS),
                        help="comma-separated (default: all)")  # fmt: skip
    runner.add_argument("--requests", type=_positive, default=200, help="timed requests per run (default 200)")
    runner.add_argument("--runs", type=_positive, default=3, help="default 3; each figure is the median of the runs")
    runner.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
    runner.add_argument("--workers", type=_positive, default=2, help="gunicorn workers (default 2)")
    runner.add_argument("--concurrency", type=_positive, default=1, help="requests in flight (default 1)")
    runner.add_argument("--max-seconds", type=float, default=300.0, help="time limit of one run (default 300)")
    runner.add_argument("--port", type=int, default=None, help="default: the first free port in 8300-8399")
    runner.add_argument("--redis-url", default=None,
                        help="serve with the cache in Redis (REDIS_URL), as a larger install would (default: none)")  # fmt: skip

    importer = commands.add_parser("import", help="import a generated CSV of persons and time it (rows/s, memory)")
    data_options(importer)
    importer.add_argument("--rows", type=_positive, default=100_000, help="rows in the file (default 100,000)")
    importer.add_argument("--batch-size", type=_positive, default=None, help="default: the import's own")
    importer.add_argument(
        "--file", default=None, help="default: var/bench/import-<rows>-seed<seed>.csv, written if missing"
    )

    commands.add_parser("scenarios", help="list the scenarios")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "scenarios":
        for scenario in SCENARIOS.values():
            print(f"{scenario.name:18} {scenario.role or 'anonymous':22} {scenario.path:20} {scenario.description}")
        return 0

    variables = environment.production_environment(
        database_url=environment.absolute_database_url(arguments.database_url),
        redis_url=getattr(arguments, "redis_url", None),
    )
    # The benchmark process itself logs warnings only: a line per request would slow the client.
    environment.apply({**variables, "LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    if arguments.command == "load":
        return _load(arguments)
    if arguments.command == "load-activities":
        return _load_activities(arguments, replace=arguments.replace, today=arguments.today)
    if arguments.command == "import":
        return _import(arguments)
    return _run(arguments, variables)


def _import(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from django.db import connection

    from bench import imports
    from peyvand.contacts.imports.batches import BATCH_SIZE

    path = (
        Path(arguments.file)
        if arguments.file
        else environment.VAR / f"import-{arguments.rows}-seed{arguments.seed}.csv"
    )
    if not path.exists():
        _say(f"writing {arguments.rows:,} persons to {path}")
        imports.write_file(path, rows=arguments.rows, seed=arguments.seed)
    _say(f"importing {path} into {environment.redacted(arguments.database_url)}")
    figures = imports.run_import(path, batch_size=arguments.batch_size or BATCH_SIZE, progress=_say)
    samples = figures.rss_mb
    quarter = max(len(samples) // 4, 1)
    print(f"database: {connection.vendor}; file: {figures.rows:,} rows, {figures.file_mb} MB")
    print(
        f"{figures.rows:,} rows in {figures.seconds} s: {figures.rows_per_second:,.0f} rows/s "
        f"({figures.created:,} created, {figures.skipped:,} skipped as duplicates, {figures.failed:,} failed)"
    )
    print(f"memory (resident, after each batch): first quarter max {max(samples[:quarter], default=0):.0f} MB, "
          f"last quarter max {max(samples[-quarter:], default=0):.0f} MB, peak {figures.peak_mb:.0f} MB")  # fmt: skip
    return 0


def _load(arguments: argparse.Namespace) -> int:
    from django.core.management import call_command

    from bench import customer_file, daily_work, load

    if arguments.fresh:
        _say("emptying the database")
        _drop_everything()
    call_command("migrate", interactive=False, verbosity=0)
    try:
        summary = load.load_platform(
            scale=arguments.scale, seed=arguments.seed, batch_size=arguments.batch_size, progress=_say
        )
        _say(f"loaded {summary.teams} teams, {summary.roles} roles, {summary.users} users, "
             f"{summary.audit_events:,} audit events in {summary.seconds} s")  # fmt: skip
    except load.AlreadyLoadedError as error:
        if customer_file.is_loaded():
            if daily_work.is_loaded():
                _say(str(error))
                return 1
            _say("the organisation and the customer file are already loaded; adding the activities")
            return _load_activities(arguments, replace=False, today=None)
        _say("the organisation is already loaded; adding the customer file")
    try:
        loaded = customer_file.load_customer_file(scale=arguments.scale, seed=arguments.seed, progress=_say)
    except customer_file.AlreadyLoadedError as error:
        _say(str(error))
        return 1
    _say(f"loaded {loaded.persons:,} persons, {loaded.companies:,} companies, {loaded.leads:,} leads, "
         f"{loaded.contact_points:,} contact points, {loaded.relationships:,} relationships, "
         f"{loaded.interactions:,} interactions in {loaded.seconds} s")  # fmt: skip
    return _load_activities(arguments, replace=False, today=None)


def _load_activities(arguments: argparse.Namespace, *, replace: bool, today: dt.date | None) -> int:
    from bench import daily_work

    try:
        loaded = daily_work.load_activities(scale=arguments.scale, seed=arguments.seed, today=today, replace=replace,
                                            progress=_say)  # fmt: skip
    except daily_work.AlreadyLoadedError as error:
        _say(str(error))
        return 1
    _say(f"loaded {loaded.activities:,} activities around {loaded.today.isoformat()} with {loaded.staff_rows:,} "
         f"staff rows, {loaded.participants:,} participants and {loaded.reminders:,} reminders "
         f"in {loaded.seconds} s")  # fmt: skip
    return 0


def _drop_everything() -> None:
    """Every table goes, so that migrating again gives the schema and the rows the migrations
    write (default channels…) exactly as on a new install."""
    from pathlib import Path

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        return
    name = str(connection.settings_dict["NAME"])
    connection.close()
    if name != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


def _run(arguments: argparse.Namespace, variables: dict[str, str]) -> int:
    from bench import report, runner

    # Stopped with SIGTERM (kill), the run still stops its server and revokes its tokens on the way out.
    def stop(number: int, frame: object) -> None:
        _say(f"stopped by signal {number}; stopping the server")
        sys.exit(128 + number)

    signal.signal(signal.SIGTERM, stop)

    options = runner.RunOptions(
        scale=arguments.scale, seed=arguments.seed, scenarios=arguments.scenarios, requests=arguments.requests,
        runs=arguments.runs, warmup=arguments.warmup, workers=arguments.workers, concurrency=arguments.concurrency,
        max_seconds=arguments.max_seconds, port=arguments.port,
    )  # fmt: skip
    try:
        runner.prepare_database(scale=options.scale, seed=options.seed, progress=_say)
    except runner.DataMismatchError as error:
        _say(str(error))
        return 1
    header, results = runner.run_benchmark(options, variables=variables, progress=_say)
    print(report.markdown(header, results))
    _say(f"results written to {report.write_json(environment.RESULTS, header, results)}")
    return 0 if all(result.ok for result in results) else 2


if __name__ == "__main__":
    sys.exit(main())
