"""Writing the audit trail. Services call :func:`record`; nothing else writes it."""

from __future__ import annotations

import contextvars
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from peyvand.accounts.models import AuditEvent

# The address of the request being served, set by UserPreferencesMiddleware, so that services need
# not pass the request down.
current_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("peyvand_address", default=None)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    *,
    actor: Any,
    kind: str,
    instance: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    actor_label: str = "",
    address: str | None = None,
) -> AuditEvent:
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_label = object_label or str(instance)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor_label or (actor.get_username() if authenticated else ""))[:200],
        address=address or current_address.get(),
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:300],
        changes={key: _plain(value) for key, value in (changes or {}).items()},
    )


def record_export(*, actor: Any, object_type: str, label: str, filters: dict[str, Any]) -> AuditEvent:
    """Every export leaves a trace: who took which rows out, with the filters that chose them."""
    used = {name: value for name, value in filters.items() if value not in (None, "", [], ())}
    return record(
        actor=actor, kind=AuditEvent.Kind.EXPORT, object_type=object_type, object_label=label,
        changes={"filters": used},
    )  # fmt: skip
