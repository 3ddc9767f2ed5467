"""Starting and stopping Peyvand under gunicorn, as production does, on a loopback port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.environment import HOST, REPOSITORY, VAR

PORTS = range(8300, 8400)
# Production's gunicorn settings (docs/deployment.md); the bind address and worker count are the
# benchmark's own, given on the command line, which takes precedence over the file.
PRODUCTION_CONFIG = REPOSITORY / "deploy" / "gunicorn.conf.py"
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 20


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class Server:
    base_url: str
    port: int
    workers: int
    pid: int
    log: Path
    config: str | None


def free_port(candidates: range = PORTS) -> int:
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise ServerError(f"no free port in {candidates.start}-{candidates.stop - 1}")


def collect_static(environment: dict[str, str]) -> None:
    """Whitenoise's manifest storage serves only what ``collectstatic`` has hashed."""
    subprocess.run(
        [sys.executable, "-m", "peyvand", "collectstatic", "--noinput", "-v", "0"],
        env={**os.environ, **environment}, cwd=REPOSITORY, check=True, timeout=600,
    )  # fmt: skip


@contextlib.contextmanager
def running(environment: dict[str, str], *, port: int, workers: int) -> Iterator[Server]:
    """Gunicorn serving ``peyvand.wsgi`` with ``workers`` workers until the block ends.

    With production's configuration file when the checkout has one (sync workers, timeouts,
    worker recycling, access log); its log lines go to ``var/bench/gunicorn-<port>.log``.
    """
    log = VAR / f"gunicorn-{port}.log"
    config = PRODUCTION_CONFIG if PRODUCTION_CONFIG.exists() else None
    command = [
        sys.executable, "-m", "gunicorn", *(["--config", str(config)] if config else []),
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "peyvand.wsgi:application",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, env={**os.environ, **environment}, cwd=REPOSITORY,
                                   stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    server = Server(
        base_url=f"http://{HOST}:{port}", port=port, workers=workers, pid=process.pid, log=log,
        config=str(config.relative_to(REPOSITORY)) if config else None,
    )  # fmt: skip
    try:
        _wait_until_ready(process, server)
        yield server
    finally:
        _stop(process)


def _wait_until_ready(process: subprocess.Popen[bytes], server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"gunicorn stopped at start (exit {process.returncode}):\n{_tail(server.log)}")
        with contextlib.suppress(httpx.TransportError):
            response = httpx.get(
                f"{server.base_url}/accounts/login/", headers={"X-Forwarded-Proto": "https"}, timeout=5
            )
            if response.status_code == httpx.codes.OK:
                return
            raise ServerError(f"the login page answered {response.status_code}:\n{_tail(server.log)}")
        time.sleep(0.25)
    raise ServerError(f"gunicorn did not answer within {START_TIMEOUT_SECONDS} s:\n{_tail(server.log)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM asks the gunicorn master for a graceful stop of its workers; SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_SECONDS)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
