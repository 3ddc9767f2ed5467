"""Keyset (cursor) pagination: the last page costs what the first one does.

A page is ordered by one column and the primary key as tie-breaker. The cursor is the last
row's values, signed so that a client cannot forge a position into rows it could not reach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)
_SALT = "peyvand.pagination"


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Page(Generic[ModelT]):
    items: list[ModelT]
    next_cursor: str | None


def _dump(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _load(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        return dt.datetime.fromisoformat(value["dt"])
    if isinstance(value, dict) and "d" in value:
        return dt.date.fromisoformat(value["d"])
    return value


def encode_cursor(ordering: str, row: models.Model) -> str:
    field = ordering.lstrip("-")
    return signing.dumps({"o": ordering, "v": _dump(getattr(row, field)), "pk": row.pk}, salt=_SALT, compress=True)


def decode_cursor(cursor: str, ordering: str) -> tuple[Any, Any]:
    try:
        data = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature as error:
        raise InvalidCursor("cursor") from error
    if data.get("o") != ordering:
        raise InvalidCursor("cursor")
    return _load(data["v"]), data["pk"]


def keyset_page(
    queryset: models.QuerySet[ModelT], *, ordering: str, cursor: str | None, limit: int
) -> Page[ModelT]:
    """One page after ``cursor``: ``limit + 1`` rows are read to know whether more follow.

    ``ordering`` is one field name, ``-`` for descending; the field must not be null.
    """
    field = ordering.lstrip("-")
    descending = ordering.startswith("-")
    if field == "pk" or field == "id":
        order_by: tuple[str, ...] = ("-pk",) if descending else ("pk",)
    else:
        order_by = (ordering, "-pk" if descending else "pk")
    if cursor:
        value, pk = decode_cursor(cursor, ordering)
        op = "lt" if descending else "gt"
        if field in ("pk", "id"):
            queryset = queryset.filter(**{f"pk__{op}": pk})
        else:
            queryset = queryset.filter(
                models.Q(**{f"{field}__{op}": value}) | models.Q(**{field: value, f"pk__{op}": pk})
            )
    rows = list(queryset.order_by(*order_by)[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(ordering, rows[-1]) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor)
