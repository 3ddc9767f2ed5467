"""An index for "my page"'s undated tasks: a user's open staff rows without a time, newest first.

The index (user, is_open, at, id) holds them together but cannot hand them over by id (an
``IS NULL`` is no equality to order by), so the part read and sorted every undated row of the
user: hundreds for a busy one at 2,000,000 activities. This partial index holds only those rows,
by id, and the part reads ``limit + 1`` entries from its end.

Written as SQL, not in the model's Meta, so that this migration stays the benchmark's speed work
alone (``models.py`` is shared); SQLite and PostgreSQL both accept it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_report_assignee_time"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX assignee_user_undated ON activities_activityassignee (user_id, id) "
            "WHERE is_open AND at IS NULL",
            reverse_sql="DROP INDEX assignee_user_undated",
        ),
    ]
