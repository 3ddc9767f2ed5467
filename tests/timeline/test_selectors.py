from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from peyvand.accounts import access, audit
from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party, RelationshipType
from peyvand.contacts.services.parties import party_update
from peyvand.contacts.services.relationships import relationship_create
from peyvand.timeline import selectors
from peyvand.timeline.selectors import InteractionFilters, InvalidTimelineCursor, interaction_list, party_timeline
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, PersonFactory, RelationshipTypeFactory
from tests.timeline.factories import InteractionFactory, channel

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 21, 9, 30, tzinfo=dt.UTC)


def _reader(scope: Scope = Scope.ALL, interactions: bool = True) -> User:
    grants = {("persons", "view"): scope}
    if interactions:
        grants[("interactions", "view")] = Scope.OWN
    return UserFactory(roles=[RoleFactory(grants=grants)])


def _change(party: Party, at: dt.datetime, **changes: object) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=at):
        return audit.record(actor=None, kind=AuditEvent.Kind.UPDATE, instance=party, changes=changes)


def _keys(page: selectors.TimelinePage) -> list[str]:
    return [entry.key for entry in page.entries]


def test_interactions_and_changes_merge_newest_first() -> None:
    # Given a person with a call yesterday, a change this morning and an email now
    reader = _reader()
    party = PersonFactory()
    call = InteractionFactory(party=party, occurred_at=T0 - dt.timedelta(days=1))
    change = _change(party, T0 - dt.timedelta(hours=2), job_title=["", "Buyer"])
    email = InteractionFactory(party=party, channel=channel("email"), kind="email", occurred_at=T0)
    created = AuditEvent.objects.get(object_type="contacts.party", kind="create", object_id=str(party.pk))

    # When the reader opens the timeline
    page = party_timeline(actor=reader, party=party)

    # Then the entries come newest first; the record's creation (today, by the clock) heads them
    assert _keys(page)[1:] == [f"interaction-{email.pk}", f"change-{change.pk}", f"interaction-{call.pk}"]
    assert _keys(page)[0] == f"change-{created.pk}"
    assert page.next_cursor is None


def test_load_more_neither_repeats_nor_drops_entries_at_the_same_moment() -> None:
    # Given seven interactions and four changes at the same second, and some around them
    reader = _reader()
    party = PersonFactory()
    same = [InteractionFactory(party=party, occurred_at=T0) for _ in range(7)]
    changes = [_change(party, T0, job_title=["", f"title {n}"]) for n in range(4)]
    later = InteractionFactory(party=party, occurred_at=T0 + dt.timedelta(seconds=1))
    earlier = _change(party, T0 - dt.timedelta(seconds=1), job_title=["a", "b"])
    expected = (
        [f"interaction-{later.pk}"]
        + [f"interaction-{interaction.pk}" for interaction in reversed(same)]
        + [f"change-{event.pk}" for event in reversed(changes)]
        + [f"change-{earlier.pk}"]
    )

    # When the timeline is read three entries at a time
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = party_timeline(actor=reader, party=party, cursor=cursor, limit=3)
        seen += _keys(page)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break

    # Then every entry comes once, in order (the record's creation, made now by the clock, first)
    assert seen[1:] == expected
    assert len(seen) == len(set(seen)) == 14
    assert pages == 5


def test_filters_keep_only_matching_interactions_or_only_changes() -> None:
    reader = _reader()
    party = PersonFactory()
    call = InteractionFactory(party=party, occurred_at=T0)
    visit = InteractionFactory(party=party, channel=channel("store"), kind="visit", occurred_at=T0)
    change = _change(party, T0, job_title=["", "Buyer"])

    assert _keys(party_timeline(actor=reader, party=party, channel=channel("store"))) == [f"interaction-{visit.pk}"]
    assert _keys(party_timeline(actor=reader, party=party, kind="call")) == [f"interaction-{call.pk}"]
    created = AuditEvent.objects.get(object_type="contacts.party", kind="create", object_id=str(party.pk))
    only_changes = _keys(party_timeline(actor=reader, party=party, kind="changes"))
    assert only_changes == [f"change-{created.pk}", f"change-{change.pk}"]
    assert all(
        key.startswith("interaction-")
        for key in _keys(party_timeline(actor=reader, party=party, include_changes=False))
    )


def test_without_the_interactions_module_only_changes_are_shown() -> None:
    reader = _reader(interactions=False)
    party = PersonFactory()
    InteractionFactory(party=party)

    keys = _keys(party_timeline(actor=reader, party=party))

    assert len(keys) == 1
    assert keys[0].startswith("change-")


def test_a_party_out_of_sight_is_refused() -> None:
    reader = _reader(Scope.OWN)
    with pytest.raises(PermissionDenied):
        party_timeline(actor=reader, party=PersonFactory())


def test_a_cursor_altered_or_of_another_party_is_refused() -> None:
    reader = _reader()
    party, other = PersonFactory(), PersonFactory()
    for _ in range(3):
        InteractionFactory(party=party, occurred_at=T0)
    cursor = party_timeline(actor=reader, party=party, limit=1).next_cursor
    assert cursor is not None

    with pytest.raises(InvalidTimelineCursor):
        party_timeline(actor=reader, party=other, cursor=cursor)
    with pytest.raises(InvalidTimelineCursor):
        party_timeline(actor=reader, party=party, cursor=cursor[:-2] + "xx")


def test_changes_read_as_labelled_old_and_new_values_and_sensitive_ones_are_never_shown() -> None:
    # Given an administrator, who may see every sensitive field
    admin = UserFactory(roles=[RoleFactory(is_administrator=True)])
    party = PersonFactory(job_title="Clerk")

    # When the person's job, gender, phones and national ID change
    party_update(actor=admin, party=party, fields={"job_title": "Buyer", "gender": "female", "national_id": "0499370899"},
                 contact_points=[])  # fmt: skip
    event = AuditEvent.objects.filter(object_type="contacts.party", kind="update").get()

    # Then the changes read as labels with old and new values, and the national ID says only that it changed
    rows = {change.field: change for change in selectors.describe_changes(event)}
    assert (rows["job_title"].label, rows["job_title"].old, rows["job_title"].new) == ("Job title", "Clerk", "Buyer")
    assert (rows["gender"].label, rows["gender"].old, rows["gender"].new) == ("Gender", "—", "Female")
    assert (rows["national_id"].hidden, rows["national_id"].old, rows["national_id"].new) == (True, "", "")
    assert "0499370899" not in str(event.changes)


def test_the_record_creation_lists_no_values() -> None:
    party = PersonFactory(job_title="Clerk")
    event = AuditEvent.objects.get(object_type="contacts.party", kind="create", object_id=str(party.pk))
    assert selectors.describe_changes(event) == []


@pytest.mark.parametrize("count", [5, 200])
def test_a_timeline_page_costs_two_queries_however_long_the_timeline(
    count: int, django_assert_num_queries: pytest.FixtureRequest
) -> None:
    reader = _reader()
    party = PersonFactory()
    for hour in range(count):
        InteractionFactory(party=party, occurred_at=T0 - dt.timedelta(hours=hour), owner=reader)
    access.profile_for(reader)

    with django_assert_num_queries(2):  # type: ignore[operator]
        page = party_timeline(actor=reader, party=party, limit=30)
        [entry.interaction.owner for entry in page.entries if entry.interaction]  # type: ignore[union-attr]

    assert len(page.entries) == min(count + 1, 30)


def test_interaction_list_narrows_by_the_readers_parties_and_the_filters() -> None:
    # Given a reader who sees only their own persons
    reader = _reader(Scope.OWN)
    mine, theirs = PersonFactory(owner=reader), PersonFactory()
    call = InteractionFactory(party=mine, occurred_at=T0, owner=reader)
    visit = InteractionFactory(
        party=mine, channel=channel("store"), kind="visit", occurred_at=T0 + dt.timedelta(days=2)
    )
    InteractionFactory(party=theirs, occurred_at=T0)

    def ids(**filters: object) -> list[int]:
        found = interaction_list(actor=reader, filters=InteractionFilters(**filters))  # type: ignore[arg-type]
        return sorted(found.values_list("pk", flat=True))

    # Then only their persons' interactions are listed, and each filter narrows them
    assert ids() == sorted([call.pk, visit.pk])
    assert ids(channel=channel("store")) == [visit.pk]
    assert ids(kind="call") == [call.pk]
    assert ids(owner_id=reader.pk) == [call.pk]
    assert ids(since=T0 + dt.timedelta(days=1)) == [visit.pk]
    assert ids(until=T0 + dt.timedelta(days=1)) == [call.pk]
    assert ids(party_id=theirs.pk) == []
    # And without any view of interactions, nothing
    assert list(interaction_list(actor=_reader(interactions=False), filters=InteractionFilters())) == []


def test_channel_counts_come_from_the_tallies_most_used_first(django_assert_num_queries: pytest.FixtureRequest) -> None:
    party = PersonFactory()
    InteractionFactory(party=party, channel=channel("email"), occurred_at=T0)
    for _ in range(2):
        InteractionFactory(party=party, occurred_at=T0)

    with django_assert_num_queries(1):  # type: ignore[operator]
        counts = [(count.channel.key, count.count) for count in selectors.channel_counts(party=party)]

    assert counts == [("phone", 2), ("email", 1)]


def test_a_relationship_change_does_not_name_a_party_the_reader_may_not_see() -> None:
    # Given a seller who sees their own persons but no companies, and their customer who came to
    # work at a company, then left a colleague's person
    seller = UserFactory(roles=[RoleFactory(grants={("persons", "view"): Scope.OWN})])
    customer = PersonFactory(first_name="Sara", last_name="Karimi", owner=seller)
    company = CompanyFactory(name="Pars Trading")
    friend = PersonFactory(first_name="Nima", last_name="Ahmadi", owner=seller)
    works_at = RelationshipTypeFactory()
    relationship_create(actor=None, from_party=customer, to_party=company, type=works_at)
    referred_by = RelationshipType.objects.get(key="referred_by")
    relationship_create(actor=None, from_party=customer, to_party=friend, type=referred_by)

    # When the seller reads her timeline
    changes = [change for entry in party_timeline(actor=seller, party=customer).entries for change in entry.changes]

    # Then the company is not named, the friend the seller may see is, and no id shows as a field
    texts = [change.new for change in changes]
    assert "works at: a record you may not see" in texts
    assert "referred by: Nima Ahmadi" in texts
    assert not any("Pars Trading" in text for text in texts)
    assert {change.field for change in changes} == {"relationship"}
