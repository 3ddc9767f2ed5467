"""Keyset (cursor) pagination: the last page costs what the first one does.

A page is ordered by one column and the primary key as tie-breaker. The cursor is the last
row's values, signed so that a client cannot forge a position into rows it could not reach.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)
_SALT = "peyvand.pagination"


class InvalidCursor(ValueError):  # noqa: N818 - the name callers catch; "Error" would add nothing
    pass


@dataclass(frozen=True)
class Page(Generic[ModelT]):
    items: list[ModelT]
    next_cursor: str | None


# JSON has no dates, decimals or UUIDs: they travel tagged and come back as the same type.
def _dump(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    return value


def _load(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        return dt.datetime.fromisoformat(value["dt"])
    if isinstance(value, dict) and "d" in value:
        return dt.date.fromisoformat(value["d"])
    if isinstance(value, dict) and "dec" in value:
        return Decimal(value["dec"])
    if isinstance(value, dict) and "uuid" in value:
        return uuid.UUID(value["uuid"])
    return value


def _field(ordering: str) -> str:
    field = ordering.removeprefix("-")
    assert field, ordering
    assert "__" not in field, f"keyset pages are ordered by one field of the model, not {ordering!r}"
    return "pk" if field == "id" else field


def encode_cursor(ordering: str, row: models.Model) -> str:
    field = _field(ordering)
    return signing.dumps(
        {"o": ordering, "v": _dump(getattr(row, field)), "pk": _dump(row.pk)}, salt=_SALT, compress=True
    )


def decode_cursor(cursor: str, ordering: str) -> tuple[Any, Any]:
    try:
        data = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature as error:
        raise InvalidCursor("cursor") from error
    if not isinstance(data, dict) or data.get("o") != ordering:
        raise InvalidCursor("cursor")
    return _load(data["v"]), _load(data["pk"])


def keyset_page(queryset: models.QuerySet[ModelT], *, ordering: str, cursor: str | None, limit: int) -> Page[ModelT]:
    """One page after ``cursor``: ``limit + 1`` rows are read to know whether more follow.

    ``ordering`` is one field name, ``-`` for descending; the field must not be null. A cursor
    made for another ordering, or altered, raises :class:`InvalidCursor`.
    """
    assert limit > 0, limit
    field = _field(ordering)
    descending = ordering.startswith("-")
    tie_breaker = "-pk" if descending else "pk"
    order_by = (tie_breaker,) if field == "pk" else (f"-{field}" if descending else field, tie_breaker)
    if cursor:
        value, pk = decode_cursor(cursor, ordering)
        after = "lt" if descending else "gt"
        if field == "pk":
            queryset = queryset.filter(**{f"pk__{after}": pk})
        else:
            # (field, pk) after (value, pk): the first condition bounds the index range the
            # database reads, the second drops the rows of ``value`` already shown.
            from_value = "lte" if descending else "gte"
            queryset = queryset.filter(
                models.Q(**{f"{field}__{from_value}": value}),
                models.Q(**{f"{field}__{after}": value}) | models.Q(**{f"pk__{after}": pk}),
            )
    rows = list(queryset.order_by(*order_by)[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(ordering, rows[-1]) if has_more else None
    return Page(items=rows, next_cursor=next_cursor)
