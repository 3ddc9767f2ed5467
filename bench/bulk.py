"""Writing millions of rows quickly: COPY on PostgreSQL, ``executemany`` on SQLite, indexes last.

The ORM's ``bulk_create`` builds a model instance per row and a parameter list per batch, which is
most of the time of a large load. Here a row is a dict of column values, written as the database
stores what the ORM would have written: aware datetimes as naive UTC text on SQLite, JSON as its
text. Columns a row leaves out get the model field's default, so a field added later with a
default needs no change here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware datetime: naive UTC, ``str()``."""
    if value is None:
        return None
    text = str(value)
    if text.endswith("+00:00"):
        return text[:-6]
    assert value.tzinfo is not None, value
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _json(value: Any) -> str:
    return json.dumps(value)


class TableWriter:
    """Rows of one model's table, written in batches; ``write`` returns how many were written."""

    def __init__(self, model: type[models.Model], *, with_id: bool = False) -> None:
        self.table = model._meta.db_table
        fields = [field for field in model._meta.concrete_fields if with_id or not field.primary_key]
        self.columns = [field.column for field in fields]
        self.defaults = {field.column: self._default(field) for field in fields}
        self.converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, field in enumerate(fields):
            if isinstance(field, models.DateTimeField) and not is_postgresql():
                self.converters.append((index, _sqlite_datetime))
            elif isinstance(field, models.JSONField):
                self.converters.append((index, _json))
        self._getter = operator.itemgetter(*self.columns)
        quoted = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        table = connection.ops.quote_name(self.table)
        if is_postgresql():
            self.statement = f"COPY {table} ({quoted}) FROM STDIN"
        else:
            placeholders = ", ".join("?" * len(self.columns))
            # Names from the model, quoted; the values go as parameters.
            self.statement = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608

    @staticmethod
    def _default(field: models.Field[Any, Any]) -> Any:
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField):
            return ""
        return _REQUIRED

    def tuples(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[tuple[Any, ...]]:
        getter, converters, defaults = self._getter, self.converters, self.defaults
        for row in rows:
            try:
                values = getter(row)
            except KeyError:
                values = getter({**defaults, **row})
                if _REQUIRED in values:
                    missing = [column for column, value in zip(self.columns, values, strict=True) if value is _REQUIRED]
                    raise ValueError(f"{self.table}: no value for {missing}") from None
            if len(self.columns) == 1:
                values = (values,)
            if converters:
                values = list(values)
                for index, convert in converters:
                    values[index] = convert(values[index])
            yield tuple(values)

    def write(self, rows: Iterable[Mapping[str, Any]]) -> int:
        written = 0
        raw = _raw_connection()
        if is_postgresql():
            with raw.cursor() as cursor, cursor.copy(self.statement) as copy:
                for values in self.tuples(rows):
                    copy.write_row(values)
                    written += 1
            return written
        cursor = raw.cursor()
        try:
            batch: list[tuple[Any, ...]] = []
            for values in self.tuples(rows):
                batch.append(values)
                if len(batch) >= 10_000:
                    cursor.executemany(self.statement, batch)
                    written += len(batch)
                    batch.clear()
            if batch:
                cursor.executemany(self.statement, batch)
                written += len(batch)
        finally:
            cursor.close()
        return written


_REQUIRED = object()


def _raw_connection() -> Any:
    connection.ensure_connection()
    return connection.connection


def execute(sql: str, parameters: Sequence[Any] | None = None) -> None:
    """One statement; without parameters the SQL is sent as it is (a ``%`` in it stays a ``%``)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)


def fast_session() -> None:
    """Settings of this connection only, for a load: no waiting for the disk at each commit, and,
    on PostgreSQL, memory for building indexes and one process (the machine is shared)."""
    if is_postgresql():
        for setting in ("synchronous_commit = off", "maintenance_work_mem = '512MB'",
                        "max_parallel_maintenance_workers = 0", "work_mem = '64MB'"):  # fmt: skip
            execute(f"SET {setting}")
    else:
        if not connection.in_atomic_block:  # SQLite refuses it inside a transaction (as in the tests)
            execute("PRAGMA synchronous = OFF")
        execute("PRAGMA cache_size = -262144")  # 256 MB for sorting index entries


@dataclass(frozen=True)
class Deferred:
    """What was dropped to load faster and is put back after: an index or a foreign key."""

    table: str
    name: str
    kind: str  # "index" or "foreign_key"
    definition: str  # CREATE INDEX … / the foreign key's definition


def _deferrable(tables: Sequence[str]) -> list[Deferred]:
    found: list[Deferred] = []
    with connection.cursor() as cursor:
        for table in tables:
            if is_postgresql():
                # Not the indexes behind a primary key, a unique constraint or a referenced key.
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                    "AND i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                    "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) ORDER BY i.indexname",
                    [table],
                )
                found += [Deferred(table, name, "index", definition) for name, definition in cursor.fetchall()]
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                    [connection.ops.quote_name(table)],
                )
                found += [Deferred(table, name, "foreign_key", definition) for name, definition in cursor.fetchall()]
            else:
                # Indexes SQLite made itself for UNIQUE constraints have no SQL and stay.
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
                    "ORDER BY name",
                    [table],
                )
                found += [Deferred(table, name, "index", definition) for name, definition in cursor.fetchall()]
    return found


@contextlib.contextmanager
def indexes_built_after(
    models_: Sequence[type[models.Model]], progress: Callable[[str], None]
) -> Iterator[list[Deferred]]:
    """Drop the tables' secondary indexes (and on PostgreSQL their foreign keys) for the block, then
    build them again: one sort per index instead of millions of scattered inserts. They are put
    back even when the block fails; unique constraints stay in force throughout."""
    tables = [model._meta.db_table for model in models_]
    deferred = _deferrable(tables)
    quote = connection.ops.quote_name
    with transaction.atomic():
        if is_postgresql():
            # Foreign-key checks still waiting in an enclosing transaction (a test's) would forbid
            # the ALTER TABLEs: run them now.
            execute("SET CONSTRAINTS ALL IMMEDIATE")
        for item in deferred:
            if item.kind == "foreign_key":
                execute(f"ALTER TABLE {quote(item.table)} DROP CONSTRAINT {quote(item.name)}")
            else:
                execute(f"DROP INDEX {quote(item.name)}")
    try:
        yield deferred
    finally:
        progress(f"building {sum(item.kind == 'index' for item in deferred)} indexes")
        for item in sorted(deferred, key=lambda item: item.kind != "index"):
            with transaction.atomic():
                if is_postgresql():
                    execute("SET CONSTRAINTS ALL IMMEDIATE")
                if item.kind == "foreign_key":
                    execute(f"ALTER TABLE {quote(item.table)} ADD CONSTRAINT {quote(item.name)} {item.definition}")
                else:
                    execute(item.definition)


def reset_sequence(model: type[models.Model]) -> None:
    """After rows written with their ids, the next id the database gives follows them (PostgreSQL)."""
    if not is_postgresql():
        return  # SQLite takes the next rowid after the largest
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
