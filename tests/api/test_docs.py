"""The OpenAPI schema and the interactive docs, served from local static files only."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from peyvand.accounts.models import AuditEvent, Team
from tests.api.helpers import ApiClient

pytestmark = pytest.mark.django_db

SECURITY = [{"ApiTokenAuth": []}, {"SessionCookieAuth": []}]


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    response = ApiClient().get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation for path in schema["paths"].values() for operation in path.values()]


def test_the_schema_names_the_api_and_documents_the_bearer_token(schema: dict[str, Any]) -> None:
    assert (schema["info"]["title"], schema["info"]["version"]) == ("Peyvand API", "1")
    assert schema["info"]["description"].startswith("Peyvand's HTTP API.")
    assert schema["components"]["securitySchemes"] == {
        "ApiTokenAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "pvd_<prefix>_<secret>"},
        "SessionCookieAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    }


def test_every_operation_needs_credentials_and_documents_the_error_format(schema: dict[str, Any]) -> None:
    for operation in operations(schema):
        assert operation["security"] == SECURITY
        for status in ("401", "403", "404", "422", "429"):
            assert operation["responses"][status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}  # fmt: skip


def test_operation_ids_are_the_functions_names_and_unique(schema: dict[str, Any]) -> None:
    ids = [operation["operationId"] for operation in operations(schema)]

    assert len(ids) == len(set(ids))
    assert {"user_list", "user_detail", "token_create", "audit_event_list"} <= set(ids)


def test_every_schema_describes_its_fields(schema: dict[str, Any]) -> None:
    for name, component in schema["components"]["schemas"].items():
        assert "properties" in component or "enum" in component, name
    user = schema["components"]["schemas"]["UserOut"]
    assert "email" in user["properties"]
    assert "email" not in user["required"]


def test_the_audit_trail_is_read_only_in_the_schema(schema: dict[str, Any]) -> None:
    assert set(schema["paths"]["/api/v1/audit"]) == {"get"}
    assert set(schema["paths"]["/api/v1/audit/{event_id}"]) == {"get"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_docs_page_loads_only_local_static_files(db: None) -> None:
    response = ApiClient().get("/docs")
    links = _Links()
    links.feed(response.content.decode())

    assert response.status_code == 200
    assert sorted(links.urls) == [
        "/static/ninja/favicon.png", "/static/ninja/favicon.svg", "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js", "/static/ninja/swagger-ui.css",
    ]  # fmt: skip
    for url in links.urls:
        assert finders.find(url.removeprefix("/static/")) is not None
    assert b"cdn" not in response.content.lower()
    assert b"/api/v1/openapi.json" in response.content


def test_each_kind_of_record_documents_its_own_kinds(schema: dict[str, Any]) -> None:
    # Team.Kind and AuditEvent.Kind were both the component "Kind": teams were documented with the audit's kinds.
    components = schema["components"]["schemas"]

    for name in ("TeamOut", "TeamCreateIn", "TeamUpdateIn"):
        assert components[name]["properties"]["kind"]["enum"] == Team.Kind.values
    assert components["AuditEventOut"]["properties"]["kind"]["enum"] == AuditEvent.Kind.values


def test_a_change_documents_null_only_where_it_is_accepted(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]

    nullable = {
        name: {
            field for field, spec in components[name]["properties"].items() if {"type": "null"} in spec.get("anyOf", [])
        }
        for name in ("PreferencesIn", "UserUpdateIn", "TeamUpdateIn")
    }

    assert nullable == {"PreferencesIn": set(), "UserUpdateIn": set(), "TeamUpdateIn": {"parent_id"}}
    assert components["UserUpdateIn"]["properties"]["first_name"] == {"maxLength": 150, "title": "First Name", "type": "string"}  # fmt: skip
