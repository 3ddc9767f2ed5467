"""Search ranges mean "starts with" only under a byte-order collation (ADR 0013)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares bytes already")
def test_search_columns_sort_by_code_point_whatever_the_database_default() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns "
            "WHERE (table_name, column_name) IN (('contacts_searchterm', 'term'), ('contacts_contactpoint', 'key')) "
            "ORDER BY table_name"
        )
        rows = cursor.fetchall()

    assert rows == [("contacts_contactpoint", "key", "C"), ("contacts_searchterm", "term", "C")]


def test_a_persian_word_range_holds_exactly_the_words_that_start_with_it() -> None:
    from peyvand.contacts.models import SearchTerm
    from peyvand.contacts.normalize import text_upper_bound
    from tests.contacts.factories import PersonFactory

    for last_name in ("رضایی", "رضوی", "رحیمی", "رسولی", "ZRaza"):
        PersonFactory(first_name="علی", last_name=last_name)

    found = SearchTerm.objects.filter(term__gte="رض", term__lt=text_upper_bound("رض")).values_list("term", flat=True)

    assert sorted(found) == ["رضایی", "رضوی"]
