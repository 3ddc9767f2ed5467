"""One controlled way through the audit trail's append-only trigger: erasing a person's data.

An audit event may be rewritten only while its id is in ``accounts_auditscrub`` (``audit.scrub``
inserts the ids, rewrites and deletes them, in one transaction), and then only its ``changes``
and ``object_label``: every other column must keep its value. Everything else stays refused as
before: UPDATE on both databases, DELETE on PostgreSQL.

A column added to ``accounts_auditevent`` later must be added to the comparisons below (and on
SQLite, a migration that rebuilds the table drops its triggers: create them again after it).
"""

# The SQL below is built from the fixed column names of KEPT_COLUMNS, not from any input.
# ruff: noqa: S608

from django.db import migrations, models

KEPT_COLUMNS = ("id", "at", "actor_id", "actor_label", "address", "kind", "object_type", "object_id")

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION peyvand_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND EXISTS (SELECT 1 FROM accounts_auditscrub WHERE event_id = OLD.id)
       AND ({", ".join(f"NEW.{column}" for column in KEPT_COLUMNS)})
           IS NOT DISTINCT FROM ({", ".join(f"OLD.{column}" for column in KEPT_COLUMNS)})
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail cannot be changed';
END;
$$ LANGUAGE plpgsql;
"""
# The function of migration 0002, which refuses every UPDATE and DELETE.
POSTGRES_BACKWARD = """
CREATE OR REPLACE FUNCTION peyvand_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail cannot be changed';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_append_only;",
    f"""
CREATE TRIGGER accounts_auditevent_append_only BEFORE UPDATE ON accounts_auditevent
WHEN NOT EXISTS (SELECT 1 FROM accounts_auditscrub WHERE event_id = OLD.id)
    OR {" OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in KEPT_COLUMNS)}
BEGIN
    SELECT RAISE(ABORT, 'The audit trail cannot be changed');
END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_append_only;",
    """
CREATE TRIGGER accounts_auditevent_append_only BEFORE UPDATE ON accounts_auditevent
BEGIN
    SELECT RAISE(ABORT, 'The audit trail cannot be changed');
END;
""",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_user_search_name")]

    operations = [
        migrations.CreateModel(
            name="AuditScrub",
            fields=[("event_id", models.BigIntegerField(primary_key=True, serialize=False))],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logged out"),
                    ("locked_out", "Locked out"),
                    ("password_changed", "Password changed"),
                    ("password_reset", "Password reset"),
                    ("two_factor_enabled", "Two-factor login turned on"),
                    ("two_factor_disabled", "Two-factor login turned off"),
                    ("token_created", "API token created"),
                    ("token_revoked", "API token revoked"),
                    ("permission_changed", "Permissions changed"),
                    ("export", "Exported"),
                    ("erase", "Personal data erased"),
                ],
                db_index=True,
                max_length=30,
                verbose_name="what",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
