"""The scenario runner, against a fake server: failures are reported, never timed."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from bench.measure import LoginError, ScenarioResult, login, new_client, run_scenario
from bench.report import markdown
from bench.scenarios import SCENARIOS, Scenario, next_page_url

BASE_URL = "http://127.0.0.1:8399"


def client_for(answer: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return new_client(BASE_URL, transport=httpx.MockTransport(answer))


def measure(scenario: Scenario, answer: Callable[[httpx.Request], httpx.Response]) -> ScenarioResult:
    return run_scenario(scenario, [client_for(answer)], requests=20, runs=3, warmup=5, max_seconds=30)


def test_a_page_that_answers_200_is_timed_with_its_query_count() -> None:
    result = measure(SCENARIOS["home"], lambda request: httpx.Response(200, headers={"X-Query-Count": "7"}, text="ok"))

    assert result.ok
    assert [run.requests for run in result.runs] == [20, 20, 20]
    assert result.median("queries") == 7
    p50, p99 = result.median("p50_ms"), result.median("p99_ms")
    assert p50 is not None
    assert p99 is not None
    assert 0 < p50 <= p99


def test_a_missing_page_is_reported_failed_with_its_status_and_not_timed() -> None:
    result = measure(SCENARIOS["user-list"], lambda request: httpx.Response(404))

    assert not result.ok
    assert result.failure == "HTTP 404"
    assert result.runs == []
    assert "failed: HTTP 404" in markdown(_header(), [result])


def test_a_page_that_starts_failing_during_a_run_is_reported_failed() -> None:
    answers = iter([200] * 10 + [500] * 1000)

    result = measure(SCENARIOS["home"], lambda request: httpx.Response(next(answers)))

    assert result.failure == "HTTP 500 ×16 of 20 requests"
    assert result.runs == []


def test_a_deep_scenario_follows_the_next_page_link_before_timing() -> None:
    def pages(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("cursor", "0"))
        links = f'<a href="?cursor=999&amp;x=1">elsewhere</a><a rel="next" href="?cursor={page + 1}&amp;x=1">next</a>'
        return httpx.Response(200, text=f"<main>page {page}</main>{links}")

    scenario = Scenario("deep", "/accounts/audit/", "Auditor", "", deep_pages=3)
    result = measure(scenario, pages)

    assert result.ok
    assert result.url == "/accounts/audit/?cursor=3&x=1"


def test_a_deep_scenario_without_a_next_link_is_reported_failed() -> None:
    scenario = Scenario("deep", "/accounts/audit/", "Auditor", "", deep_pages=50)

    result = measure(scenario, lambda request: httpx.Response(200, text="<p>one page only</p>"))

    assert result.failure == "no next-page link on page 1"


def test_next_page_url_takes_any_cursor_link_when_none_is_marked_next() -> None:
    body = '<button hx-get="/accounts/users/?q=a&amp;cursor=abc" class="more">more</button>'

    assert next_page_url(f"{BASE_URL}/accounts/users/?q=a", body) == f"{BASE_URL}/accounts/users/?q=a&cursor=abc"
    assert next_page_url(BASE_URL, '<a href="/accounts/users/">users</a>') is None


def fake_login_server(request: httpx.Request) -> httpx.Response:
    """Answers as Django does in production: Secure cookies, and CSRF checked with the Referer over HTTPS."""
    cookie = request.headers.get("Cookie", "")
    if request.method == "GET":
        return httpx.Response(200, headers={"Set-Cookie": "csrftoken=secret; Path=/; Secure; SameSite=Lax"})
    form = dict(pair.split("=", 1) for pair in request.content.decode().split("&"))
    if (
        "csrftoken=secret" not in cookie
        or form.get("csrfmiddlewaretoken") != "secret"
        or request.headers.get("Referer") != "https://127.0.0.1:8399/accounts/login/"
        or request.headers.get("X-Forwarded-Proto") != "https"
    ):
        return httpx.Response(403)
    if form.get("password") != "right":
        return httpx.Response(200)
    return httpx.Response(302, headers={"Location": "/", "Set-Cookie": "sessionid=s1; Path=/; Secure; HttpOnly"})


def test_login_sends_the_secure_cookies_back_like_a_browser_behind_tls() -> None:
    client = client_for(fake_login_server)

    login(client, username="auditor", password="right")

    assert client.cookies.get("sessionid") == "s1"


def test_a_refused_login_is_an_error() -> None:
    with pytest.raises(LoginError, match="answered 200"):
        login(client_for(fake_login_server), username="auditor", password="wrong")


def _header() -> dict:
    return {
        "date": "2026-01-01 00:00 UTC", "command": "python -m bench run", "scale": 0.01, "seed": 1,
        "database": {"vendor": "sqlite", "version": "3"}, "source": {"commit": "abc", "uncommitted_changes": False},
        "machine": {"cores": 2, "memory_gib": 4, "cpu": "cpu", "python": "3.11"}, "server": {"workers": 2},
        "client": {"concurrency": 1, "warmup": 5, "runs": 3, "requests": 20},
    }  # fmt: skip


def test_a_server_that_stops_answering_is_reported_failed() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    result = measure(SCENARIOS["home"], refuse)

    assert result.failure == "no answer (ConnectError)"


def test_a_scenario_fills_in_the_data_its_path_names_url_encoded() -> None:
    scenario = Scenario("s", "/search/?q={persian_name}&x={phone}", "Support agent", "")

    url = scenario.url({"persian_name": "علی رضایی", "phone": "+98 912"})

    assert scenario.targets == ["persian_name", "phone"]
    assert url == "/search/?q=%D8%B9%D9%84%DB%8C%20%D8%B1%D8%B6%D8%A7%DB%8C%DB%8C&x=%2B98%20912"


def test_every_scenario_names_only_data_the_runner_can_find() -> None:
    from bench import targets

    named = {name for scenario in SCENARIOS.values() for name in scenario.targets}

    assert named <= set(targets.RESOLVERS)
    assert {"busy_party", "quiet_party", "caller_number", "phone", "email", "persian_name", "english_name"} <= named


def test_a_scenario_sends_its_own_headers_with_every_request() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("HX-Request"))
        return httpx.Response(200, text="<ul></ul>")

    scenario = Scenario("s", "/search/?q={email}", "Support agent", "", headers=(("HX-Request", "true"),))
    result = run_scenario(scenario, [client_for(answer)], requests=5, runs=1, warmup=2, max_seconds=30)

    assert result.ok
    assert seen == ["true"] * 8  # the probe, the warm-up and the run
    assert result.url == "/search/?q={email}"


def test_an_api_token_scenario_says_so_in_the_report() -> None:
    assert SCENARIOS["caller-id"].who == "Support agent (API token)"
    assert SCENARIOS["customer-page-busy"].who == "Support agent"
