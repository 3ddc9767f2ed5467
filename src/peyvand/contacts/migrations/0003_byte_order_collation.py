"""On PostgreSQL, compare search words and contact-point keys byte by byte.

The global search reads "starts with" as a range (``term >= 'رض' AND term < 'رط'``, ADR 0013),
which means "starts with" only when the column sorts by code point. A database created with a
linguistic collation (en_US.UTF-8, fa_IR.UTF-8) sorts otherwise, so these two columns get the
"C" collation whatever the database's default. SQLite compares bytes already.
"""

from django.db import migrations

COLUMNS = [
    ("contacts_searchterm", "term", 64),
    ("contacts_contactpoint", "key", 300),
]


def byte_order(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, length in COLUMNS:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE varchar({length}) COLLATE "C"')


def database_default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, length in COLUMNS:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE varchar({length}) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_default_lists")]

    operations = [migrations.RunPython(byte_order, database_default)]
