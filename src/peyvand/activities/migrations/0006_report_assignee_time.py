"""An index for the activity report: the assignees' rows by time.

The report counts a period's activities per assignee by joining the staff table; its rows repeat
the activity's time (``ActivityAssignee.at``), so the report narrows them by the period too and
this index hands it just that period's rows (``activity_id`` and ``user_id`` included, so the
index alone answers), instead of a scan of every row. Partial: only assignees are counted.

Written as SQL, not in the model's Meta, so that this migration stays the report's own; both
SQLite and PostgreSQL accept it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_workflow"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX assignee_time ON activities_activityassignee (at, activity_id, user_id) WHERE is_assignee",
            reverse_sql="DROP INDEX assignee_time",
        ),
    ]
