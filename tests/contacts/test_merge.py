"""Merging two records: chosen fields, combined contact points, moved history, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Scope
from peyvand.contacts import sensitive
from peyvand.contacts.models import (
    ContactPoint,
    DuplicateCandidate,
    LeadConversion,
    Party,
    PartyMerge,
    Relationship,
    SearchTerm,
)
from peyvand.contacts.registry import customer_file
from peyvand.contacts.services.merge import MergeError, party_merge
from peyvand.timeline.models import Channel, ChannelTally, Interaction
from peyvand.timeline.services import interaction_log
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory, RelationshipTypeFactory

pytestmark = pytest.mark.django_db


def _interaction(party: Party, subject: str, days_ago: int = 0) -> Interaction:
    channel, _created = Channel.objects.get_or_create(key="phone", defaults={"name": "تلفن", "name_en": "Phone"})
    return interaction_log(actor=None, party=party, channel=channel, kind="call", direction="inbound", subject=subject,
                           content="", occurred_at=timezone.now() - dt.timedelta(days=days_ago))  # fmt: skip


def _points(party: Party) -> list[tuple[str, str, bool]]:
    return list(party.contact_points.order_by("kind", "key").values_list("kind", "value", "is_primary"))


def _user(scope: Scope = Scope.ALL, *, sensitive_fields: tuple[tuple[str, str], ...] = (), team=None):  # type: ignore[no-untyped-def]
    grants = {(module, action): scope for module in ("persons", "companies", "leads")
              for action in ("view", "create", "edit", "delete", "export")}  # fmt: skip
    role = RoleFactory(grants=grants, sensitive_fields=sensitive_fields)
    return UserFactory(roles=[role], teams=[team] if team else [])


def test_merge_keeps_the_chosen_fields_and_combines_the_rest() -> None:
    # Given two records of Sara, with different details and an overlapping phone
    actor = _user()
    survivor = PersonFactory(first_name="Sara", last_name="Karimi", job_title="Buyer",
                             phones=["0912 123 4567"], emails=["sara@example.com"], tags=["VIP"])  # fmt: skip
    merged = PersonFactory(first_name="Sarah", last_name="Karimi", job_title="Head of purchasing", occupation="Engineer",
                           phones=["+98 912 123 4567", "021 8888 1234"], emails=["sara.k@example.com"],
                           tags=["vip", "Exhibition"], addresses=[{"province": "tehran", "city": "Tehran"}])  # fmt: skip

    # When they are merged keeping the merged record's job title
    result = party_merge(actor=actor, survivor=survivor, merged=merged, choices={"job_title": "merged"})

    # Then the survivor has the chosen title, its own name, and the occupation it lacked
    survivor.refresh_from_db()
    assert (survivor.name, survivor.job_title, survivor.occupation) == ("Sara Karimi", "Head of purchasing", "Engineer")
    # contact points combined without repeating the phone both had
    assert _points(survivor) == [
        ("email", "sara.k@example.com", False), ("email", "sara@example.com", True),
        ("phone", "021 8888 1234", False), ("phone", "0912 123 4567", True),
    ]  # fmt: skip
    assert sorted(survivor.tags.values_list("name", flat=True)) == ["Exhibition", "VIP"]
    assert list(survivor.addresses.values_list("city", flat=True)) == ["Tehran"]
    assert set(SearchTerm.objects.filter(party=survivor).values_list("term", flat=True)) == {"sara", "karimi"}
    assert not Party.objects.filter(pk=merged.pk).exists()
    assert result.moved == {"contact_points": 2, "addresses": 1, "tags": 1}


def test_the_primary_phone_can_be_taken_from_the_merged_record() -> None:
    survivor = PersonFactory(phones=["0912 111 1111"])
    merged = PersonFactory(phones=["0935 222 2222"])

    party_merge(actor=None, survivor=survivor, merged=merged, choices={"primary_phone": "merged"})

    assert _points(survivor) == [("phone", "0912 111 1111", False), ("phone", "0935 222 2222", True)]


def test_interactions_relationships_and_every_other_row_move_to_the_survivor() -> None:
    # Given a merged record with history: interactions, a relationship, a conversion, a past merge
    works_at = RelationshipTypeFactory(key="works_at")
    company = CompanyFactory(name="Pars Trading")
    survivor = PersonFactory(last_name="Karimi")
    merged = PersonFactory(last_name="Karimi 2")
    calls = [_interaction(merged, "First call", days_ago=9), _interaction(merged, "Second call")]
    _interaction(survivor, "Survivor's call")
    kept = Relationship.objects.create(from_party=merged, to_party=company, type=works_at)
    Relationship.objects.create(from_party=survivor, to_party=company, type=works_at, note="already there")
    to_itself = Relationship.objects.create(
        from_party=merged, to_party=survivor, type=RelationshipTypeFactory(key="spouse")
    )
    conversion = LeadConversion.objects.create(lead=merged, previous={"kind": "lead"})
    old_merge = PartyMerge.objects.create(survivor=merged, merged_id=999, merged_name="Older duplicate")
    Party.objects.filter(pk=merged.pk).update(
        interaction_count=2, first_contact_at=timezone.now() - dt.timedelta(days=9)
    )
    Party.objects.filter(pk=survivor.pk).update(interaction_count=1, last_contact_at=timezone.now())
    merged.refresh_from_db()
    survivor.refresh_from_db()

    # When merged
    result = party_merge(actor=None, survivor=survivor, merged=merged, choices={})

    # Then the history is the survivor's
    assert sorted(Interaction.objects.filter(party=survivor).values_list("subject", flat=True)) == [
        "First call", "Second call", "Survivor's call",
    ]  # fmt: skip
    assert Interaction.objects.filter(pk__in=[call.pk for call in calls], party=survivor).count() == 2
    assert list(Relationship.objects.filter(from_party=survivor).values_list("note", flat=True)) == ["already there"]
    assert not Relationship.objects.filter(pk__in=[kept.pk, to_itself.pk]).exists()
    assert LeadConversion.objects.get(pk=conversion.pk).lead_id == survivor.pk
    assert PartyMerge.objects.get(pk=old_merge.pk).survivor_id == survivor.pk
    survivor.refresh_from_db()
    assert (survivor.interaction_count, survivor.first_contact_at) == (3, calls[0].occurred_at)
    assert list(ChannelTally.objects.values_list("party", "count")) == [(survivor.pk, 3)]
    assert result.moved == {
        "timeline.interaction": 2, "timeline.channeltally": 1, "contacts.leadconversion": 1, "contacts.partymerge": 1,
    }  # fmt: skip


def test_a_registered_handler_moves_its_model_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    survivor, merged = PersonFactory(), PersonFactory()
    _interaction(merged, "Handled elsewhere")
    calls = []

    def handler(source: Party, to: Party) -> int:
        calls.append((to.pk, source.pk))
        return Interaction.objects.filter(party=source).update(party=to, subject="Moved by the handler")

    monkeypatch.setitem(customer_file.merge_handlers, "timeline.interaction", handler)

    party_merge(actor=None, survivor=survivor, merged=merged, choices={})

    assert calls == [(survivor.pk, merged.pk)]
    assert list(Interaction.objects.values_list("party", "subject")) == [(survivor.pk, "Moved by the handler")]


def test_the_merge_is_in_the_audit_trail_and_recorded() -> None:
    actor = _user()
    survivor = PersonFactory(last_name="Karimi", phones=["09121111111"])
    merged = PersonFactory(last_name="Karimi", phones=["09122222222"], job_title="Buyer")
    merged_pk = merged.pk
    before = AuditEvent.objects.count()

    party_merge(actor=actor, survivor=survivor, merged=merged, choices={"job_title": "merged"})

    merge = PartyMerge.objects.get(survivor=survivor)
    assert (merge.merged_id, merge.merged_name, merge.merged_by) == (merged_pk, "Sara Karimi", actor)
    assert merge.moved == {"contact_points": 1}
    assert merge.choices["job_title"] == "merged"
    events = list(AuditEvent.objects.order_by("pk")[before:].values_list("kind", "object_id", "changes"))
    assert [(kind, object_id) for kind, object_id, _changes in events] == [
        ("delete", str(merged_pk)), ("update", str(survivor.pk)), ("update", str(survivor.pk)),
    ]  # fmt: skip
    assert events[0][2] == {"merged_into": [str(merged_pk), str(survivor.pk)]}
    assert events[1][2]["job_title"] == ["", "Buyer"]
    assert events[2][2] == {
        "merged_with": [f"Sara Karimi (#{merged_pk})", "Sara Karimi"],
        "merge_choices": [None, {"job_title": "merged"}],
        "moved": [None, {"contact_points": 1}],
    }


def test_duplicate_pairs_of_the_merged_record_are_dropped_and_dismissed_ones_kept() -> None:
    survivor = PersonFactory(phones=["09121111111"])
    merged = PersonFactory(phones=["09121111111", "09123333333"])
    other = PersonFactory(phones=["09123333333"])
    DuplicateCandidate.objects.filter(first=merged, second=other).update(status="dismissed")

    party_merge(actor=None, survivor=survivor, merged=merged, choices={})

    assert list(DuplicateCandidate.objects.values_list("first", "second", "status")) == [
        (survivor.pk, other.pk, "dismissed")
    ]


def test_sensitive_fields_are_chosen_only_by_who_may_see_them() -> None:
    # Given two records with different national IDs and birth dates
    survivor = PersonFactory(national_id="0084575948")
    merged = PersonFactory(national_id="0013542419", birth_date=dt.date(1990, 3, 21))
    blind = _user()
    seeing = _user(sensitive_fields=(("persons", "national_id"), ("persons", "birth_date")))

    # When someone who may not see them chooses one, nothing happens
    with pytest.raises(PermissionDenied):
        party_merge(actor=blind, survivor=survivor, merged=merged, choices={"national_id": "merged"})
    assert Party.objects.filter(pk=merged.pk).exists()

    # When someone who may see them does, the value is moved, re-encrypted; the empty birth date filled
    party_merge(actor=seeing, survivor=survivor, merged=merged, choices={"national_id": "merged"})
    survivor.refresh_from_db()
    assert sensitive.read(survivor, "national_id") == "0013542419"
    assert sensitive.read(survivor, "birth_date") == dt.date(1990, 3, 21)
    assert survivor.national_id_hash == sensitive.national_id_lookup("0013542419")


def test_a_refused_merge_changes_nothing() -> None:
    # Given a user who may edit only their own records, and a colleague's duplicate
    team = TeamFactory(name="Sales")
    actor = _user(Scope.OWN, team=team)
    mine = PersonFactory(owner=actor, team=team, phones=["09121111111"])
    theirs = PersonFactory(owner=UserFactory(), team=team, phones=["09122222222"])
    _interaction(theirs, "Their call")
    audit_before = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        party_merge(actor=actor, survivor=mine, merged=theirs, choices={})

    assert Party.objects.filter(pk=theirs.pk).exists()
    assert _points(mine) == [("phone", "0912 111 1111", True)]
    assert Interaction.objects.get().party_id == theirs.pk
    assert AuditEvent.objects.count() == audit_before


def test_records_of_different_kinds_or_the_same_record_are_not_merged() -> None:
    person, lead = PersonFactory(), LeadFactory()

    with pytest.raises(MergeError):
        party_merge(actor=None, survivor=person, merged=lead, choices={})
    with pytest.raises(MergeError):
        party_merge(actor=None, survivor=person, merged=person, choices={})
    assert Party.objects.count() == 2


def test_unknown_fields_and_sides_are_refused_by_name() -> None:
    survivor, merged = PersonFactory(), PersonFactory()

    with pytest.raises(ValidationError) as error:
        party_merge(actor=None, survivor=survivor, merged=merged, choices={"salary": "merged", "job_title": "both"})

    assert error.value.message_dict == {
        "salary": ["There is no such field to choose."], "job_title": ["Choose “survivor” or “merged”."],
    }  # fmt: skip
    assert ContactPoint.objects.count() == 0
    assert Party.objects.count() == 2
