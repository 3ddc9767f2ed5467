from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_planner_statistics_are_written() -> None:
    PersonFactory.create_batch(3)
    out = StringIO()

    call_command("analyze_database", stdout=out)

    assert "up to date" in out.getvalue()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'contacts_party'")
        else:
            cursor.execute("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'contacts_party'")
        assert cursor.fetchone()[0] > 0
