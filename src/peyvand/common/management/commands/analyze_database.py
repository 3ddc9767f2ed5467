"""``peyvand analyze_database``: refresh the statistics the database's query planner reads.

PostgreSQL's autovacuum keeps them itself; SQLite keeps none until asked, and without them it
may pick a poor index once tables hold millions of rows. The nightly housekeeping runs this.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Refresh the query planner's statistics (ANALYZE)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Whole tables, not a sample: a sample of SQLite's (analysis_limit) can make a column that
        # is empty on most rows look as selective as a unique one, and a lookup by it a table scan.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write("The query planner's statistics are up to date.")
