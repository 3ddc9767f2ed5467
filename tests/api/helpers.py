"""Calling the API in tests: a client that speaks JSON, tokens, and values as the API writes them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from peyvand.accounts import services
from peyvand.accounts.models import User

BASE = "/api/v1"


def create_token(user: User, *, allowed_actions: tuple[str, ...] = (), days: int = 30, name: str = "tests") -> str:
    _token, plain = services.api_token_create(
        actor=user, name=name, expires_at=timezone.now() + dt.timedelta(days=days), allowed_actions=allowed_actions
    )
    return plain


def as_json(value: Any) -> Any:
    """``value`` as it reads in an answer (times in UTC, milliseconds, "Z")."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def error(code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


class ApiClient:
    """A Django test client for /api/v1/ with an optional bearer token."""

    def __init__(self, client: Client | None = None, token: str | None = None, **headers: str) -> None:
        self.client = client or Client()
        self.headers = dict(headers)
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> HttpResponse:
        return self.client.get(f"{BASE}{path}", params or {}, headers={**self.headers, **headers})

    def send(self, method: str, path: str, body: Any = None, **headers: str) -> HttpResponse:
        call = getattr(self.client, method.lower())
        data = "" if body is None else json.dumps(body)
        return call(f"{BASE}{path}", data=data, content_type="application/json", headers={**self.headers, **headers})

    def post(self, path: str, body: Any = None, **headers: str) -> HttpResponse:
        return self.send("POST", path, body, **headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> HttpResponse:
        return self.send("PATCH", path, body, **headers)

    def delete(self, path: str, **headers: str) -> HttpResponse:
        return self.send("DELETE", path, None, **headers)
