"""What a published figure names: database, scale, commit, machine; as Markdown and as JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.environment import REPOSITORY
from bench.measure import ScenarioResult


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "cpu": _cpu_model(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def load_average() -> float | None:
    """The one-minute load average: other work on the machine shows here, and in the figures."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit() -> dict[str, Any]:
    """HEAD, and whether the working tree differs from it (read only: no index refresh)."""

    def git(*arguments: str) -> str:
        try:
            completed = subprocess.run(["git", "--no-optional-locks", *arguments], cwd=REPOSITORY,
                                       capture_output=True, text=True, timeout=30, check=True)  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return ""
        return completed.stdout.strip()

    return {"commit": git("rev-parse", "HEAD") or "unknown", "uncommitted_changes": bool(git("status", "--porcelain"))}


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _config(server: dict[str, Any]) -> str:
    return f" (configuration `{server['config']}`)" if server.get("config") else ""


def _load(host: dict[str, Any]) -> str:
    load = host.get("load_average") or {}
    return f"{_number(load.get('before'), 2)} before, {_number(load.get('after'), 2)} after"


def _queries(result: ScenarioResult) -> str:
    lowest = min((run.queries_min for run in result.runs if run.queries_min is not None), default=None)
    highest = max((run.queries_max for run in result.runs if run.queries_max is not None), default=None)
    if lowest is None or highest is None:
        return "–"
    return str(lowest) if lowest == highest else f"{lowest}–{highest}"


def _targets(found: dict[str, str]) -> str:
    return ", ".join(f"{name} `{value}`" for name, value in sorted(found.items()))


def markdown(report: dict[str, Any], results: list[ScenarioResult]) -> str:
    source = report["source"]
    commit = source["commit"][:10] + (" (with uncommitted changes)" if source["uncommitted_changes"] else "")
    host = report["machine"]
    lines = [
        f"**{report['date']}** · {report['database']['vendor']} {report['database']['version']} · "
        f"scale {report['scale']} (seed {report['seed']}) · commit `{commit}`",
        "",
        f"Machine: {host['cores']} cores, {host['memory_gib']} GiB, {host['cpu']}; Python {host['python']}; "
        f"load average {_load(host)}. "
        f"Server: gunicorn, {report['server']['workers']} workers{_config(report['server'])}, "
        f"cache in {'Redis' if report['server'].get('cache') == 'redis' else 'the database'}. "
        f"Client: {report['client']['concurrency']} "
        f"at a time, {report['client']['warmup']} warm-up requests, then {report['client']['runs']} runs × "
        f"{report['client']['requests']} requests; each figure is the median of the runs.",
        "",
        f"`{report['command']}`",
        "",
        *([f"Data the scenarios name: {_targets(report['targets'])}.", ""] if report.get("targets") else []),
        "| scenario | role | result | p50 ms | p95 ms | p99 ms | req/s | queries/req |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        role = result.scenario.who
        if not result.ok:
            lines.append(f"| {result.scenario.name} | {role} | failed: {result.failure} | | | | | |")
            continue
        lines.append(
            f"| {result.scenario.name} | {role} | ok | {_number(result.median('p50_ms'))} | "
            f"{_number(result.median('p95_ms'))} | {_number(result.median('p99_ms'))} | "
            f"{_number(result.median('requests_per_second'))} | {_queries(result)} |"
        )
    return "\n".join(lines) + "\n"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def as_json(report: dict[str, Any], results: list[ScenarioResult]) -> dict[str, Any]:
    return {
        **report,
        "scenarios": [
            {
                "name": result.scenario.name,
                "role": result.scenario.role,
                "path": result.scenario.path,
                "url": result.url,
                "ok": result.ok,
                "failure": result.failure,
                "median": {
                    metric: _rounded(result.median(metric))
                    for metric in ("p50_ms", "p95_ms", "p99_ms", "requests_per_second", "queries")
                },
                "runs": [dataclasses.asdict(run) for run in result.runs],
            }
            for result in results
        ],
    }


def write_json(directory: Path, report: dict[str, Any], results: list[ScenarioResult]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = directory / f"{stamp}-{report['database']['vendor']}-scale{report['scale']}.json"
    path.write_text(json.dumps(as_json(report, results), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
