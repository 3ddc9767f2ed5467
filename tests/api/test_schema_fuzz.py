"""Every operation of /api/v1/, fuzzed from its own OpenAPI schema by Schemathesis.

The requests go in-process through Django's WSGI application (no server, no network), as an
administrator with a bearer token, and each answer is checked against the schema (status code,
content type, headers, body) and against the one error format. No answer may be a 5xx.

Each generated request runs inside a savepoint that is rolled back, so every example starts from
the same records: the fuzzer may revoke its own token, deactivate its own user or delete a team,
and the next example still acts as the same administrator.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.checks import CheckContext
from schemathesis.config import SchemathesisConfig
from schemathesis.core.transport import Response
from schemathesis.hooks import HookContext

from peyvand.accounts import services
from peyvand.accounts.models import ApiToken, AuditEvent, Role, Team, User
from peyvand.accounts.permissions import Scope
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.api.helpers import BASE, create_token

CONFIG = SchemathesisConfig.from_dict(
    {
        # A fixed seed and Hypothesis' derandomized mode: the same requests on every run.
        "seed": 20250321,
        "generation": {"deterministic": True, "database": "none"},
        # Literals harvested from Peyvand's source would make the inputs change with any edit there.
        "analysis": {"constants": {"enabled": False}},
        "checks": {
            # Both compare the answer with what the schema alone allows, which this API cannot say:
            # a schema-valid request may name a team that does not exist or a cursor of another
            # list (422, 400), and Pydantic's lax mode accepts 0 for false or "5" for 5.
            "positive_data_acceptance": {"enabled": False},
            "negative_data_rejection": {"enabled": False},
        },
    }
)
# Loaded at collection through the WSGI application, as the schema needs no database. (The lazy
# schemathesis.pytest.from_fixture fails on pytest 9.2: it sets Function._nodeid, which is gone.)
schema = schemathesis.openapi.from_wsgi(f"{BASE}/openapi.json", get_wsgi_application(), config=CONFIG)

# The ids of the records the fixture makes, by path parameter (a new one belongs here too): read
# while the examples are drawn.
RECORDS: dict[str, list[int]] = {}


@schema.hook
def flatmap_path_parameters(context: HookContext, path_parameters: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    """Half of the ids name a record that exists: few drawn integers would, and most answers would be 404."""
    if not path_parameters or not all(RECORDS.get(name) for name in path_parameters):
        return st.just(path_parameters)
    existing = st.fixed_dictionaries({name: st.sampled_from(RECORDS[name]) for name in path_parameters})
    return st.one_of(st.just(path_parameters), existing)


ERROR_CODES = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 422: "validation_error", 429: "rate_limited",
               500: "server_error"}  # fmt: skip


def error_format(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every 4xx and 5xx answer has the one error body, with the code of its status."""
    if response.status_code < 400:
        return None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), response.headers
    body = json.loads(response.content)
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, body
    assert error["code"] == ERROR_CODES.get(response.status_code), body
    assert isinstance(error["message"], str), body
    assert error["message"], body
    assert isinstance(error["fields"], list), body
    for field in error["fields"]:
        assert set(field) == {"field", "message"}, body
        assert isinstance(field["field"], str), body
        assert isinstance(field["message"], str), body
        assert field["message"], body
    return True


@contextmanager
def same_connection_for_requests() -> Iterator[None]:
    """Keep the test's connection (and its transaction) open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(admin_user: User, settings: Any) -> Iterator[str]:
    """The administrator's token, among records of every kind for the answers to show.

    The rate limit is lifted: the fuzzer sends far more requests a minute than any budget allows.
    """
    settings.API_RATE_LIMIT = "1000000/m"
    branch = TeamFactory(name="Tehran", kind=Team.Kind.BRANCH)
    sales = TeamFactory(name="Sales", parent=branch)
    TeamFactory(name="Key accounts", kind=Team.Kind.GROUP, parent=sales)
    role = RoleFactory(
        name="Sales",
        requires_two_factor=True,
        grants={("users", "view"): Scope.TEAM, ("teams", "view"): Scope.ALL, ("audit", "view"): Scope.OWN},
        sensitive_fields=[("users", "email")],
    )
    UserFactory(username="sara", roles=[role], teams=[sales], language=User.Language.PERSIAN)
    UserFactory(username="former", is_active=False)
    revoked, _plain = services.api_token_create(
        actor=admin_user, name="old", expires_at=timezone.now() + dt.timedelta(days=1), allowed_actions=["users:view"]
    )
    services.api_token_revoke(actor=admin_user, token=revoked)
    token = create_token(admin_user, name="fuzzer")
    RECORDS.update(
        user_id=list(User.objects.values_list("pk", flat=True)),
        team_id=list(Team.objects.values_list("pk", flat=True)),
        role_id=list(Role.objects.values_list("pk", flat=True)),
        token_id=list(ApiToken.objects.values_list("pk", flat=True)),
        event_id=list(AuditEvent.objects.values_list("pk", flat=True)),
    )
    try:
        with same_connection_for_requests():
            yield token
    finally:
        RECORDS.clear()


@schema.parametrize()
# The fixture is not reset between examples on purpose: the savepoint below undoes each example.
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@pytest.mark.django_db
# One parameter, so that each operation gets a test id of its own: with pytest 9.2, Schemathesis
# 4.32 gives every operation's item the function's bare id.
@pytest.mark.parametrize("fuzz_token", ["administrator"], indirect=True)
def test_every_operation_answers_as_its_schema_says(case: Case, fuzz_token: str) -> None:
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, additional_checks=[error_format])
        transaction.set_rollback(True)
