"""Writing the audit trail. Services call :func:`record`; nothing else writes it."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from peyvand.accounts.models import AuditEvent, AuditScrub

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


def record_export(*, actor: Any, object_type: str, label: str, filters: dict[str, Any],
                  object_id: str = "") -> AuditEvent:  # fmt: skip
    """Every export leaves a trace: who took which rows out, with the filters that chose them.

    ``object_id`` names the one record exported, when there is one (a person's personal data).
    """
    used = {name: value for name, value in filters.items() if value not in (None, "", [], ())}
    return record(
        actor=actor, kind=AuditEvent.Kind.EXPORT, object_type=object_type, object_id=object_id,
        object_label=label, changes={"filters": used},
    )  # fmt: skip


def _rewritten(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, dict):  # keys are field names: kept, so that the event still says what changed
        return {key: _rewritten(item, replace) for key, item in value.items()}
    if isinstance(value, list):
        return [_rewritten(item, replace) for item in value]
    return value


def scrub(event_ids: Iterable[int], replace: Callable[[str], str]) -> int:
    """Rewrite the texts of some audit events with ``replace``: the one exception to append-only.

    Only for erasing a person's data on request. ``replace`` gets every string value of ``changes``
    (the field names are kept) and the ``object_label`` and returns what to keep instead. Runs inside the
    caller's transaction: the ids are put in ``AuditScrub`` (which the database trigger checks),
    the two columns rewritten, and the ids removed again, so nothing stays open afterwards.
    Returns how many events changed.
    """
    ids = sorted(set(event_ids))
    if not ids:
        return 0
    changed = 0
    with transaction.atomic():
        for start in range(0, len(ids), SCRUB_BATCH):
            batch = ids[start : start + SCRUB_BATCH]
            AuditScrub.objects.bulk_create([AuditScrub(event_id=pk) for pk in batch], ignore_conflicts=True)
            for event in AuditEvent.objects.filter(pk__in=batch).only("pk", "changes", "object_label"):
                changes = _rewritten(event.changes, replace)
                label = replace(event.object_label)[:300]
                if changes == event.changes and label == event.object_label:
                    continue
                # AuditEventQuerySet.update refuses everyone; this is the one caller allowed past it.
                models.QuerySet.update(AuditEvent.objects.filter(pk=event.pk), changes=changes, object_label=label)
                changed += 1
            AuditScrub.objects.filter(event_id__in=batch).delete()
    return changed


SCRUB_BATCH = 500
