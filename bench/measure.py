"""Measuring a scenario over HTTP, as the client sees it.

A scenario is prepared once: the page to time is reached, probed with one request (a page that
does not answer 200 is reported as failed with its status, never timed) and warmed up. Then each
run of ``requests`` requests gives p50/p95/p99 of the client-side request time, requests per
second, and the SQL queries per request from the ``X-Query-Count`` header; the scenario reports
the median of its runs.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from bench.scenarios import Scenario, next_page_url

REQUEST_TIMEOUT_SECONDS = 30.0
OK = f"HTTP {httpx.codes.OK.value}"
# The reverse proxy in front of a production install ends TLS and says so in this header.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "peyvand-bench"}


class LoginError(RuntimeError):
    pass


@dataclass(frozen=True)
class RunSummary:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests_per_second: float
    queries: float | None  # the median; None when the server sent no X-Query-Count
    queries_min: int | None
    queries_max: int | None
    latencies_ms: list[float] = field(repr=False)


@dataclass
class ScenarioResult:
    scenario: Scenario
    url: str
    failure: str = ""
    runs: list[RunSummary] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failure and bool(self.runs)

    def median(self, metric: str) -> float | None:
        values = [getattr(run, metric) for run in self.runs if getattr(run, metric) is not None]
        return statistics.median(values) if values else None


def new_client(base_url: str, *, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """A client that keeps cookies like a browser behind TLS.

    Production cookies are ``Secure``, which a cookie jar keeps but sends over HTTPS only; the
    server is reached over loopback HTTP with the proxy header saying HTTPS, so the client sends
    its cookies itself, as the browser does over the TLS connection to the proxy.
    """
    client = httpx.Client(
        base_url=base_url,
        headers=PROXY_HEADERS,
        follow_redirects=False,
        timeout=REQUEST_TIMEOUT_SECONDS,
        transport=transport,
    )

    def send_cookies(request: httpx.Request) -> None:
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar)
        if cookies:
            request.headers["Cookie"] = cookies

    client.event_hooks["request"] = [send_cookies]
    return client


def login(client: httpx.Client, *, username: str, password: str) -> None:
    """Log in through the login form, CSRF token and all, as a person would."""
    page = client.get("/accounts/login/")
    token = client.cookies.get("csrftoken")
    if page.status_code != httpx.codes.OK or not token:
        raise LoginError(f"the login page answered {page.status_code}")
    secure_origin = str(client.base_url).replace("http://", "https://", 1).rstrip("/")
    response = client.post(
        "/accounts/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{secure_origin}/accounts/login/"},
    )  # fmt: skip
    if response.status_code != httpx.codes.FOUND or not client.cookies.get("sessionid"):
        raise LoginError(f"logging in as {username} answered {response.status_code}")


def percentile(values: Sequence[float], percent: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def prepare_scenario(
    scenario: Scenario, clients: Sequence[httpx.Client], *, warmup: int, max_seconds: float, url: str | None = None
) -> ScenarioResult:
    """Reach the page to time (following next-page links for a deep one), probe it, warm it up.

    ``url`` is the scenario's path with its targets filled in (``Scenario.url``); the path itself
    when not given. The result carries the failure when the page cannot be timed; no run is
    measured here.
    """
    assert clients, "at least one client"
    result = ScenarioResult(scenario=scenario, url=url or scenario.path)
    headers = dict(scenario.headers)
    if scenario.deep_pages:
        reached, failure = _follow_next_pages(clients[0], result.url, scenario.deep_pages, headers)
        result.url = reached
        if failure:
            result.failure = failure
            return result
    _, answer = _get(clients[0], result.url, headers)
    if answer != OK:
        result.failure = answer
    elif warmup:
        _timed(result, clients, warmup, max_seconds)
    return result


def measure_run(result: ScenarioResult, clients: Sequence[httpx.Client], *, requests: int, max_seconds: float) -> None:
    """One timed run of a prepared scenario, added to its runs (or its failure recorded)."""
    assert requests > 0, requests
    if result.failure:
        return
    run = _timed(result, clients, requests, max_seconds)
    if run is not None:
        result.runs.append(run)


def run_scenario(
    scenario: Scenario,
    clients: Sequence[httpx.Client],
    *,
    requests: int,
    runs: int,
    warmup: int,
    max_seconds: float,
) -> ScenarioResult:
    """Prepare ``scenario`` and measure its runs one after the other."""
    result = prepare_scenario(scenario, clients, warmup=warmup, max_seconds=max_seconds)
    for _ in range(runs):
        measure_run(result, clients, requests=requests, max_seconds=max_seconds)
    return result


def _timed(
    result: ScenarioResult, clients: Sequence[httpx.Client], count: int, max_seconds: float
) -> RunSummary | None:
    latencies, queries, statuses, seconds = _measure(
        clients, result.url, count, max_seconds, dict(result.scenario.headers)
    )
    wrong = {answer: times for answer, times in statuses.items() if answer != OK}
    if wrong:
        answers = ", ".join(f"{answer} ×{times}" for answer, times in sorted(wrong.items()))
        result.failure = f"{answers} of {sum(statuses.values())} requests"
        return None
    if len(latencies) < count:
        result.failure = f"time limit: {len(latencies)} of {count} requests in {max_seconds:.0f} s"
        return None
    return _summarise(latencies, queries, seconds)


def _follow_next_pages(
    client: httpx.Client, url: str, pages: int, headers: dict[str, str] | None = None
) -> tuple[str, str]:
    for depth in range(1, pages + 1):
        response, answer = _get(client, url, headers)
        if response is None or answer != OK:
            return url, f"{answer} at page {depth}"
        following = next_page_url(str(response.url), response.text)
        if following is None:
            return url, f"no next-page link on page {depth}"
        url = following
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else ""), ""


def _get(client: httpx.Client, url: str, headers: dict[str, str] | None = None) -> tuple[httpx.Response | None, str]:
    """The response and ``"HTTP <status>"``, or None and why no answer came (refused, timed out…)."""
    try:
        response = client.get(url, headers=headers)
    except httpx.TransportError as error:
        return None, f"no answer ({type(error).__name__})"
    return response, f"HTTP {response.status_code}"


def _measure(
    clients: Sequence[httpx.Client], url: str, count: int, max_seconds: float, headers: dict[str, str] | None = None
) -> tuple[list[float], list[int], Counter[str], float]:
    """``count`` GETs of ``url``, spread over the clients, each client one request at a time."""
    deadline = time.monotonic() + max_seconds
    shares = [count // len(clients) + (1 if index < count % len(clients) else 0) for index in range(len(clients))]

    def loop(client: httpx.Client, share: int) -> tuple[list[float], list[int], Counter[str]]:
        latencies: list[float] = []
        queries: list[int] = []
        statuses: Counter[str] = Counter()
        for _ in range(share):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            response, answer = _get(client, url, headers)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[answer] += 1
            if response is not None and "X-Query-Count" in response.headers:
                queries.append(int(response.headers["X-Query-Count"]))
        return latencies, queries, statuses

    started = time.perf_counter()
    if len(clients) == 1:
        outcomes = [loop(clients[0], count)]
    else:
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            outcomes = list(pool.map(loop, clients, shares))
    seconds = time.perf_counter() - started
    statuses: Counter[str] = Counter()
    for _, _, part in outcomes:
        statuses.update(part)
    return (
        [latency for part, _, _ in outcomes for latency in part],
        [query for _, part, _ in outcomes for query in part],
        statuses,
        seconds,
    )


def _summarise(latencies: list[float], queries: list[int], seconds: float) -> RunSummary:
    return RunSummary(
        requests=len(latencies),
        seconds=round(seconds, 3),
        p50_ms=round(percentile(latencies, 50), 2),
        p95_ms=round(percentile(latencies, 95), 2),
        p99_ms=round(percentile(latencies, 99), 2),
        requests_per_second=round(len(latencies) / seconds, 1),
        queries=statistics.median(queries) if queries else None,
        queries_min=min(queries) if queries else None,
        queries_max=max(queries) if queries else None,
        latencies_ms=[round(latency, 3) for latency in latencies],
    )
