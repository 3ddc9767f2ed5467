"""The one controlled way through the append-only audit trail: scrubbing texts to erase a person."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent, AuditScrub, User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def actor() -> User:
    return UserFactory(username="clerk")


def _event(actor: User) -> AuditEvent:
    return audit.record(
        actor=actor, kind=AuditEvent.Kind.UPDATE, object_type="contacts.party", object_id="7",
        object_label="Parvaneh Zolfaghari", changes={"name": ["Parvaneh Zolfaghari", "Parvaneh Z."], "stage": 3},
    )  # fmt: skip


def _raw_update(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _update_while_listed(event: AuditEvent, sql: str, params: list[Any]) -> None:
    """An UPDATE in a transaction that has put the event on the scrub list first."""
    with transaction.atomic():
        AuditScrub.objects.create(event_id=event.pk)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        AuditScrub.objects.filter(event_id=event.pk).delete()


def _erase(text: str) -> str:
    return text.replace("Parvaneh Zolfaghari", "[erased]").replace("Parvaneh Z.", "[erased]")


def test_scrub_rewrites_the_changes_and_the_label_and_leaves_nothing_open(actor: User) -> None:
    event, other = _event(actor), _event(actor)

    changed = audit.scrub([event.pk], _erase)

    assert changed == 1
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.changes == {"name": ["[erased]", "[erased]"], "stage": 3}
    assert event.object_label == "[erased]"
    assert (event.kind, event.object_id, event.actor_label) == ("update", "7", "clerk")
    assert AuditEvent.objects.get(pk=other.pk).object_label == "Parvaneh Zolfaghari"
    assert AuditScrub.objects.count() == 0


def test_scrub_of_nothing_to_replace_changes_nothing(actor: User) -> None:
    event = _event(actor)

    assert audit.scrub([event.pk], lambda text: text) == 0
    assert audit.scrub([], _erase) == 0

    assert AuditEvent.objects.get(pk=event.pk).changes["name"] == ["Parvaneh Zolfaghari", "Parvaneh Z."]


def test_a_plain_update_is_still_refused_by_the_database(actor: User) -> None:
    event = _event(actor)

    with pytest.raises(DatabaseError, match="The audit trail cannot be changed"):
        _raw_update(f"UPDATE {TABLE} SET object_label = %s WHERE id = %s", ["x", event.pk])  # noqa: S608

    assert AuditEvent.objects.get(pk=event.pk).object_label == "Parvaneh Zolfaghari"


def test_the_orm_still_refuses_updates_and_deletes(actor: User) -> None:
    event = _event(actor)

    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_label="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    ("column", "value"),
    [("kind", "login"), ("actor_label", "someone else"), ("object_id", "8"), ("object_type", "accounts.user"),
     ("address", "10.0.0.1")],
)  # fmt: skip
def test_a_listed_event_may_change_only_its_changes_and_label(actor: User, column: str, value: str) -> None:
    event = _event(actor)

    with pytest.raises(DatabaseError, match="The audit trail cannot be changed"):
        _update_while_listed(event, f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, event.pk])  # noqa: S608

    assert AuditEvent.objects.filter(pk=event.pk, **{column: getattr(event, column)}).exists()
    assert AuditScrub.objects.count() == 0


def test_a_listed_event_may_have_its_label_rewritten_at_the_database(actor: User) -> None:
    event = _event(actor)

    _update_while_listed(event, f"UPDATE {TABLE} SET object_label = %s WHERE id = %s", ["[erased]", event.pk])  # noqa: S608

    assert AuditEvent.objects.get(pk=event.pk).object_label == "[erased]"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite leaves DELETE to the model")
def test_delete_stays_refused_even_for_a_listed_event_on_postgresql(actor: User) -> None:
    event = _event(actor)

    with pytest.raises(DatabaseError, match="The audit trail cannot be changed"):
        _update_while_listed(event, f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_failed_scrub_leaves_the_event_and_the_list_as_they_were(actor: User) -> None:
    event = _event(actor)

    def explode(text: str) -> str:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        audit.scrub([event.pk], explode)

    assert AuditEvent.objects.get(pk=event.pk).object_label == "Parvaneh Zolfaghari"
    assert AuditScrub.objects.count() == 0
