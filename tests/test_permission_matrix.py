"""Every page and API operation, for every kind of user: the answer each one gets.

The cases are declared per app in ``tests/permissions/cases_*.py``; together they must name every
URL pattern and every API operation, and a new one that is not declared fails
``test_every_route_is_declared``. Each case is requested as an anonymous visitor, a user with no
role, users whose role grants the OWN, TEAM and ALL scopes, and an administrator (see
``tests/permissions/world.py``). A refused request that would change something is checked to have
changed nothing.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tests.permissions
from peyvand.api import api
from tests.permissions.world import LOGIN, PERSONAS, Case, World, build_world


def _all_cases() -> list[tuple[Case, frozenset[str]]]:
    """Each case with the modules whose world builders it needs: its own, and those it names in ``USES``."""
    cases: list[tuple[Case, frozenset[str]]] = []
    for module_info in sorted(pkgutil.iter_modules(tests.permissions.__path__), key=lambda info: info.name):
        if module_info.name.startswith("cases_"):
            name = f"tests.permissions.{module_info.name}"
            module = importlib.import_module(name)
            uses = frozenset({name, *(f"tests.permissions.{other}" for other in getattr(module, "USES", ()))})
            cases.extend((case, uses) for case in module.CASES)
    return cases


CASES_WITH_MODULES = _all_cases()
CASES = [case for case, _modules in CASES_WITH_MODULES]


def _url_patterns() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
                walk(pattern.url_patterns, inner or namespace)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))

    walk(get_resolver().url_patterns, "")
    return names


def _api_operations() -> set[str]:
    operations = set()
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                operations.update(f"{method} {path}" for method in operation.methods)
    return operations


def test_every_route_is_declared() -> None:
    declared = {case.route for case in CASES}
    api_paths = {name for name in _url_patterns() if name.startswith("api:")} - {
        "api:openapi-json", "api:openapi-view", "api:api-root", "api:unknown",
    }  # fmt: skip
    expected = (_url_patterns() - api_paths) | _api_operations()

    assert sorted(expected - declared) == [], "routes with no declared answer"
    assert sorted(declared - expected) == [], "declared routes that no longer exist"


def _fingerprint() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model is not Session and model._meta.managed
    }


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def _request(client: Client, case: Case, world: World) -> Any:
    url, data = case.url(world), case.data(world)
    if case.is_api and case.method != "GET":
        return client.generic(case.method, url, data=json.dumps(data), content_type="application/json")
    if case.method == "GET":
        return client.get(url, data)
    return client.generic(case.method, url, data=_encode(data), content_type="application/x-www-form-urlencoded")


def _encode(data: dict[str, Any]) -> str:
    return urlencode(data, doseq=True)


REFUSED = {401, 403, 404, 405}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("case", "modules"), [pytest.param(case, modules, id=case.id) for case, modules in CASES_WITH_MODULES]
)
def test_answer(case: Case, modules: frozenset[str], persona: str) -> None:
    world = build_world(modules)
    client = _client(world, persona)
    before = _fingerprint() if case.method != "GET" else None

    response = _request(client, case, world)

    expected = case.expect[PERSONAS.index(persona)]
    assert response.status_code == expected, f"{case.id} as {persona}"
    if expected == LOGIN and persona == "anonymous" and case.route not in ("accounts:logout", "accounts:set_language"):
        assert response["Location"].startswith("/accounts/login/")
    refused = expected in REFUSED or (persona == "anonymous" and expected == LOGIN)
    if before is not None and refused:
        assert _fingerprint() == before, f"a refused {case.id} as {persona} changed something"
