from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent, Team
from peyvand.common.pagination import InvalidCursor, _dump, _load, decode_cursor, encode_cursor, keyset_page
from tests.accounts.factories import TeamFactory

pytestmark = pytest.mark.django_db

KINDS = [Team.Kind.BRANCH, Team.Kind.DEPARTMENT, Team.Kind.GROUP]


def walk(queryset: models.QuerySet[Any], ordering: str, limit: int) -> list[list[int]]:
    """The primary keys of every page, first to last."""
    pages: list[list[int]] = []
    cursor: str | None = None
    while True:
        page = keyset_page(queryset, ordering=ordering, cursor=cursor, limit=limit)
        pages.append([row.pk for row in page.items])
        if page.next_cursor is None:
            return pages
        assert len(pages) <= 100, "the walk does not end"
        cursor = page.next_cursor


def expected_order(rows: list[Any], ordering: str) -> list[int]:
    field = ordering.removeprefix("-")
    return [row.pk for row in sorted(rows, key=lambda row: (getattr(row, field), row.pk), reverse=ordering[0] == "-")]


@pytest.fixture
def teams() -> list[Team]:
    # 11 teams, the kinds repeating, so "kind" has many ties the primary key must break.
    return [TeamFactory(name=f"Team {index:02d}", kind=KINDS[index % 3]) for index in range(11)]


@pytest.mark.parametrize("ordering", ["kind", "-kind", "name", "-name", "pk", "-pk", "id", "-id"])
@pytest.mark.parametrize("limit", [1, 2, 3, 4, 10, 11, 12])
def test_walking_all_pages_returns_every_row_once_in_order(teams: list[Team], ordering: str, limit: int) -> None:
    pages = walk(Team.objects.all(), ordering, limit)

    walked = [pk for page in pages for pk in page]
    assert walked == expected_order(teams, ordering.replace("id", "pk"))
    assert len(walked) == len(set(walked)) == 11
    assert [len(page) for page in pages] == [limit] * (11 // limit) + ([11 % limit] if 11 % limit else [])


def test_rows_with_the_same_timestamp_are_neither_lost_nor_repeated() -> None:
    moments = [dt.datetime(2024, 3, 19, 20, 30, tzinfo=dt.UTC), dt.datetime(2024, 3, 20, 8, 0, 0, 500, tzinfo=dt.UTC)]
    for index in range(9):
        with mock.patch("django.utils.timezone.now", return_value=moments[index % 2]):
            audit.record(actor=None, kind=AuditEvent.Kind.LOGIN, object_label=f"event {index}")
    events = list(AuditEvent.objects.all())

    for ordering in ("at", "-at", "kind", "-kind"):
        walked = [pk for page in walk(AuditEvent.objects.all(), ordering, 2) for pk in page]

        assert walked == expected_order(events, ordering), ordering
    assert len({event.at for event in events}) == 2


def test_a_filtered_queryset_pages_within_the_filter(teams: list[Team]) -> None:
    branches = Team.objects.filter(kind=Team.Kind.BRANCH)

    walked = [pk for page in walk(branches, "-name", 2) for pk in page]

    assert walked == [team.pk for team in reversed(teams) if team.kind == Team.Kind.BRANCH]


def test_an_empty_list_is_one_empty_page() -> None:
    page = keyset_page(Team.objects.all(), ordering="name", cursor=None, limit=5)

    assert page.items == []
    assert page.next_cursor is None


def test_a_deep_page_is_one_query_without_offset(teams: list[Team]) -> None:
    cursor = keyset_page(Team.objects.all(), ordering="-kind", cursor=None, limit=8).next_cursor

    with CaptureQueriesContext(connection) as queries:
        page = keyset_page(Team.objects.all(), ordering="-kind", cursor=cursor, limit=2)

    assert [team.pk for team in page.items] == expected_order(teams, "-kind")[8:10]
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    assert "OFFSET" not in sql
    assert "LIMIT 3" in sql  # one row more than the page, to know whether another page follows


def test_a_cursor_for_another_ordering_is_refused(teams: list[Team]) -> None:
    cursor = keyset_page(Team.objects.all(), ordering="kind", cursor=None, limit=2).next_cursor
    assert cursor is not None

    for other in ("-kind", "name", "pk"):
        with pytest.raises(InvalidCursor):
            keyset_page(Team.objects.all(), ordering=other, cursor=cursor, limit=2)


def test_a_tampered_cursor_is_refused(teams: list[Team]) -> None:
    cursor = keyset_page(Team.objects.all(), ordering="name", cursor=None, limit=2).next_cursor
    assert cursor is not None
    payload, signature = cursor.rsplit(":", 1)
    forged_payload = signing.dumps({"o": "name", "v": "Team 09", "pk": teams[9].pk}, salt="peyvand.pagination")

    tampered = [
        cursor[:-1] + ("A" if cursor[-1] != "A" else "B"),  # the signature altered
        payload[:-2] + ":" + signature,  # the value altered
        forged_payload.rsplit(":", 1)[0] + ":" + signature,  # another position under the old signature
        signing.dumps({"o": "name", "v": "Team 09", "pk": teams[9].pk}, salt="another.purpose"),
        "",
        "not-a-cursor",
    ]
    for bad in tampered[:-2]:
        with pytest.raises(InvalidCursor):
            keyset_page(Team.objects.all(), ordering="name", cursor=bad, limit=2)
    with pytest.raises(InvalidCursor):
        decode_cursor(tampered[-1], "name")
    # An empty cursor is the first page.
    assert len(keyset_page(Team.objects.all(), ordering="name", cursor=tampered[-2], limit=2).items) == 2


def test_a_field_of_a_related_model_is_refused() -> None:
    with pytest.raises(AssertionError):
        keyset_page(Team.objects.all(), ordering="parent__name", cursor=None, limit=2)


def test_cursor_values_come_back_as_the_type_they_were() -> None:
    values = [
        dt.datetime(2024, 3, 19, 21, 0, 0, 123456, tzinfo=dt.UTC),
        dt.date(2024, 3, 20),
        Decimal("12345670.50"),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "علی",
        7,
        1.5,
    ]

    for value in values:
        assert _load(_dump(value)) == value
        assert type(_load(_dump(value))) is type(value)


def test_a_cursor_round_trips(teams: list[Team]) -> None:
    cursor = encode_cursor("-name", teams[4])

    assert decode_cursor(cursor, "-name") == ("Team 04", teams[4].pk)
