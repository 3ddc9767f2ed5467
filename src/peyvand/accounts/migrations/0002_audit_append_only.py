"""The database itself refuses to change the audit trail.

PostgreSQL refuses UPDATE and DELETE of rows (TRUNCATE, which needs the table owner, stays
possible for maintenance and test databases). SQLite refuses UPDATE; its DELETE stays possible
because SQLite empties tables with DELETE, and the embedded setup is one trusted process.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION peyvand_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail cannot be changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION peyvand_audit_is_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS peyvand_audit_is_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER accounts_auditevent_append_only BEFORE UPDATE ON accounts_auditevent
BEGIN
    SELECT RAISE(ABORT, 'The audit trail cannot be changed');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS accounts_auditevent_append_only;"


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
