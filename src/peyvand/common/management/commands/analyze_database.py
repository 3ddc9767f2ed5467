"""``peyvand analyze_database``: refresh the statistics the database's query planner reads.

PostgreSQL's autovacuum keeps them itself; SQLite keeps none until asked, and without them it
may pick a poor index once tables hold millions of rows. The nightly housekeeping runs this.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

# Rows SQLite samples per index: seconds on a database of millions of rows, and plans as good.
SQLITE_ANALYSIS_LIMIT = 2000


class Command(BaseCommand):
    help = "Refresh the query planner's statistics (SQLite: ANALYZE with a sample; PostgreSQL: ANALYZE)."

    def handle(self, *args: Any, **options: Any) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        self.stdout.write("The query planner's statistics are up to date.")
