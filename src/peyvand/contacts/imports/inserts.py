"""Inserting a batch of built model instances in one statement per table, fast.

``QuerySet.bulk_create`` compiles every value of every row through the ORM (``pre_save``,
``get_db_prep_save``, expression checks) and, on SQLite, splits a batch into statements of 999
parameters: at the size of an import that costs more than checking the rows. These functions
insert the same instances, with the same values, through the driver's ``executemany``, after
converting each column once with the field's own conversion (``get_db_prep_save``) only where the
driver needs one (dates, times, JSON). Primary keys are taken from the database first (PostgreSQL's
sequence, SQLite's table under the batch's write lock), so the instances know their ids as
``bulk_create`` would tell them.

Instances must be complete: timestamps set, defaults as the model's constructor left them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from operator import attrgetter
from typing import Any

from django.db import connection, models

Converter = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _converter(field: models.Field[Any, Any]) -> Converter:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField | models.DecimalField | models.UUIDField | models.TimeField):
        return lambda value: field.get_db_prep_save(value, connection)
    return _identity


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, never used before."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        assert connection.vendor == "sqlite", connection.vendor
        # The batch's transaction holds SQLite's write lock (BEGIN IMMEDIATE): no one else can take
        # these ids. AUTOINCREMENT remembers ids of deleted rows in sqlite_sequence; they are not reused.
        column = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX({column}) FROM {connection.ops.quote_name(table)}), 0), "  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        last = int(cursor.fetchone()[0])
    return list(range(last + 1, last + 1 + count))


def insert(model: type[models.Model], objects: Sequence[models.Model], *, with_ids: bool = False) -> None:
    """INSERT ``objects`` (instances of ``model``) in one ``executemany``; ``with_ids`` sets their primary keys first."""
    if not objects:
        return
    if connection.vendor not in ("postgresql", "sqlite"):
        model._default_manager.bulk_create(objects)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    if with_ids:
        for instance, new_id in zip(objects, allocate_ids(model, len(objects)), strict=True):
            instance.pk = new_id
    fields = [field for field in meta.concrete_fields if with_ids or field is not pk]
    values = attrgetter(*(field.attname for field in fields))
    converted = [(index, _converter(field)) for index, field in enumerate(fields)]
    converted = [(index, convert) for index, convert in converted if convert is not _identity]
    rows: list[Any] = [values(instance) for instance in objects]
    if converted:
        for number, row in enumerate(rows):
            row = list(row)
            for index, convert in converted:
                row[index] = convert(row[index])
            rows[number] = row
    _write(meta.db_table, [field.column for field in fields], rows)
    for instance in objects:
        instance._state.adding = False
        instance._state.db = connection.alias


def insert_values(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT plain ``rows`` of values, already in the database's form, into ``columns`` of ``model``'s table.

    For the children of a batch (contact points, addresses, search terms): building a model instance
    for each costs more than writing it.
    """
    if not rows:
        return
    meta = model._meta
    _write(meta.db_table, [str(getattr(meta.get_field(column), "column", column)) for column in columns], rows)


def _write(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One statement: ``COPY … FROM STDIN`` on PostgreSQL (its fastest way in), ``executemany`` on SQLite."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(table)} ({names}) FROM STDIN"
            # Through the debug wrapper when there is one, so that query counts and logs see it.
            logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
            with logged, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def database_datetime(value: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)
