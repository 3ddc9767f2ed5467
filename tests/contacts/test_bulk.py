"""Bulk actions: assign, tag, untag, delete — within the actor's scope, one audit entry per change."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party
from peyvand.contacts.services import bulk
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "create", "edit", "delete", "export")


def _user(scope: int, *modules: str, actions: tuple[str, ...] = ACTIONS, **kwargs: object) -> User:
    grants = {(module, action): scope for module in modules for action in actions}
    return UserFactory(roles=[RoleFactory(grants=grants)], **kwargs)


def _snapshot() -> list[tuple[object, ...]]:
    rows = Party.objects.order_by("pk").values_list("pk", "owner_id", "team_id", "updated_at")
    return [(*row, tuple(sorted(Party.objects.get(pk=row[0]).tags.values_list("name", flat=True)))) for row in rows]


def test_assign_changes_only_the_records_in_scope_and_audits_each() -> None:
    # Given a team lead who may edit their team's persons, with two of theirs and a stranger's
    north = TeamFactory(name="North")
    lead = _user(Scope.TEAM, "persons", teams=[north])
    colleague = UserFactory(username="colleague", first_name="Reza", last_name="Moradi", teams=[north])
    mine = [PersonFactory(first_name="M", last_name=str(n), owner=lead) for n in range(2)]
    theirs = PersonFactory(first_name="T", last_name="X", owner=UserFactory())
    audit_before = AuditEvent.objects.count()

    # When they assign all three to the colleague in their team
    result = bulk.party_bulk_assign(actor=lead, ids=[*(p.pk for p in mine), theirs.pk, 999999],
                                    owner=colleague, team=north)  # fmt: skip

    # Then their two changed, the others were reported and left alone
    assert (result.changed, result.unchanged, result.refused) == ([mine[0].pk, mine[1].pk], [], [theirs.pk, 999999])
    assert list(Party.objects.filter(pk__in=[p.pk for p in mine]).values_list("owner", "team")) == [
        (colleague.pk, north.pk), (colleague.pk, north.pk),
    ]  # fmt: skip
    events = AuditEvent.objects.order_by("pk")[audit_before:]
    assert [(event.kind, event.object_id) for event in events] == [
        (AuditEvent.Kind.UPDATE, str(mine[0].pk)), (AuditEvent.Kind.UPDATE, str(mine[1].pk)),
    ]  # fmt: skip
    assert events[0].changes["owner"][1] == "Reza Moradi"
    assert events[0].changes["team"] == [None, "North"]


def test_an_assignment_that_would_take_records_out_of_sight_is_refused_as_the_form_refuses_it() -> None:
    # Given a seller who sees only their own persons
    seller = _user(Scope.OWN, "persons")
    colleague = UserFactory(username="colleague")
    mine = [PersonFactory(first_name="M", last_name=str(n), owner=seller) for n in range(2)]
    before = _snapshot()

    # When they give them to a colleague, and then only a team while keeping themselves owner
    given = bulk.party_bulk_assign(actor=seller, ids=[p.pk for p in mine], owner=colleague)
    kept = bulk.party_bulk_assign(actor=seller, ids=[mine[0].pk], team=TeamFactory())

    # Then nothing was given away, and keeping themselves owner was allowed
    assert (given.changed, given.out_of_sight) == ([], [mine[0].pk, mine[1].pk])
    assert _snapshot()[1:] == before[1:]
    assert (kept.changed, kept.out_of_sight) == ([mine[0].pk], [])


def test_bulk_on_records_out_of_scope_changes_nothing() -> None:
    seller = _user(Scope.OWN, "persons", "companies")
    others = [PersonFactory(first_name="O", last_name=str(n)) for n in range(3)] + [CompanyFactory(name="Far")]
    before, audit_before = _snapshot(), AuditEvent.objects.count()
    ids = [party.pk for party in others]

    assign = bulk.party_bulk_assign(actor=seller, ids=ids, owner=seller)
    tag = bulk.party_bulk_tag(actor=seller, ids=ids, add=["VIP"])
    delete = bulk.party_bulk_delete(actor=seller, ids=ids)

    assert assign.refused == tag.refused == delete.refused == ids
    assert assign.changed == tag.changed == delete.changed == []
    assert _snapshot() == before
    assert AuditEvent.objects.count() == audit_before


def test_view_scope_without_edit_scope_changes_nothing() -> None:
    # Given a reader who may see every person but edit only their own
    reader = UserFactory(roles=[RoleFactory(grants={("persons", "view"): Scope.ALL, ("persons", "edit"): Scope.OWN})])
    visible = PersonFactory(first_name="V", last_name="X")

    result = bulk.party_bulk_tag(actor=reader, ids=[visible.pk], add=["VIP"])

    assert result.refused == [visible.pk]
    assert list(visible.tags.all()) == []


def test_tags_are_added_and_removed_whatever_their_case() -> None:
    seller = _user(Scope.ALL, "persons")
    tagged = PersonFactory(first_name="T", last_name="X", tags=["VIP", "wholesale"])
    plain = PersonFactory(first_name="P", last_name="X")

    added = bulk.party_bulk_tag(actor=seller, ids=[tagged.pk, plain.pk], add=["vip", "New"])
    removed = bulk.party_bulk_tag(actor=seller, ids=[tagged.pk, plain.pk], remove=["WHOLESALE"])

    assert (added.changed, added.unchanged) == ([tagged.pk, plain.pk], [])
    assert (removed.changed, removed.unchanged) == ([tagged.pk], [plain.pk])
    assert sorted(tagged.tags.values_list("name", flat=True)) == ["New", "VIP"]
    # "vip" is the existing tag "VIP": one tag, not two
    assert sorted(plain.tags.values_list("name", flat=True)) == ["New", "VIP"]


def test_records_already_as_asked_are_unchanged_and_not_audited() -> None:
    seller = _user(Scope.ALL, "persons")
    person = PersonFactory(first_name="P", last_name="X", owner=seller)
    audit_before = AuditEvent.objects.count()

    result = bulk.party_bulk_assign(actor=seller, ids=[person.pk], owner=seller)

    assert (result.changed, result.unchanged) == ([], [person.pk])
    assert AuditEvent.objects.count() == audit_before


def test_delete_needs_the_delete_scope() -> None:
    editor = _user(Scope.ALL, "persons", actions=("view", "edit"))
    person = PersonFactory(first_name="P", last_name="X")

    with pytest.raises(PermissionDenied):
        bulk.party_bulk(actor=editor, action="delete", ids=[person.pk])

    assert Party.objects.filter(pk=person.pk).exists()


def test_delete_removes_each_record_with_its_own_audit_entry() -> None:
    manager = _user(Scope.ALL, "persons")
    people = [PersonFactory(first_name="P", last_name=str(n), phones=[f"0912000000{n}"]) for n in range(3)]

    result = bulk.party_bulk(actor=manager, action="delete", ids=[p.pk for p in people])

    assert result.changed == [p.pk for p in people]
    assert not Party.objects.exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DELETE).count() == 3


def test_wrong_requests_are_refused_with_a_message() -> None:
    manager = _user(Scope.ALL, "persons")

    with pytest.raises(ValidationError) as no_ids:
        bulk.party_bulk(actor=manager, action="tag", ids=[], tags=["x"])
    with pytest.raises(ValidationError) as too_many:
        bulk.party_bulk(actor=manager, action="tag", ids=list(range(1, 502)), tags=["x"])
    with pytest.raises(ValidationError) as nothing_to_assign:
        bulk.party_bulk(actor=manager, action="assign", ids=[1])
    with pytest.raises(ValidationError) as unknown_owner:
        bulk.party_bulk(actor=manager, action="assign", ids=[1], owner="424242")

    assert no_ids.value.message_dict == {"ids": ["Select at least one record."]}
    assert too_many.value.message_dict == {"ids": ["Select at most 500 records at once."]}
    assert nothing_to_assign.value.message_dict == {"owner": ["Choose an owner or a team to assign."]}
    assert unknown_owner.value.message_dict == {"owner": ["Choose an active user."]}


def test_one_failure_rolls_back_the_whole_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    manager = _user(Scope.ALL, "persons")
    people = [PersonFactory(first_name="P", last_name=str(n)) for n in range(3)]
    calls = []
    original = bulk.party_update

    def failing_update(**kwargs: object) -> object:
        calls.append(kwargs["party"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "party_update", failing_update)

    with pytest.raises(RuntimeError):
        bulk.party_bulk_assign(actor=manager, ids=[p.pk for p in people], owner=manager)

    assert list(Party.objects.values_list("owner", flat=True)) == [None, None, None]
