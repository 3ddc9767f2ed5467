"""Converting a lead: the row keeps its id and history; an administrator can undo it exactly."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peyvand.accounts.models import AuditEvent
from peyvand.contacts.models import LeadConversion, Party, Relationship, RelationshipType, SearchTerm
from peyvand.contacts.registry import customer_file
from peyvand.contacts.services.conversion import ConversionError, lead_conversion_undo, lead_convert
from peyvand.timeline.models import Channel, Interaction
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

FIELDS = ("kind", "name", "first_name", "last_name", "job_title", "company_name", "lead_status", "lifecycle_stage")


def _fields(party: Party) -> tuple[object, ...]:
    party.refresh_from_db()
    return tuple(getattr(party, name) for name in FIELDS)


def _administrator():  # type: ignore[no-untyped-def]
    return UserFactory(roles=[RoleFactory(is_administrator=True)])


def test_a_lead_becomes_a_person_with_a_new_company_keeping_its_id_and_history() -> None:
    # Given a lead with an interaction
    lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="Kavir Tile", job_title="Buyer")
    channel, _created = Channel.objects.get_or_create(key="phone", defaults={"name": "تلفن"})
    call = Interaction.objects.create(
        party=lead, channel=channel, subject="Asked for prices", occurred_at=timezone.now()
    )

    # When converted into a person working at a new company
    conversion = lead_convert(actor=_administrator(), lead=lead, create_company_name="Kavir Tile",
                              lifecycle_stage="customer")  # fmt: skip

    # Then the same row is now a person, with its interaction
    assert _fields(lead) == ("person", "Reza Moradi", "Reza", "Moradi", "Buyer", "Kavir Tile", "converted", "customer")
    assert Interaction.objects.get(pk=call.pk).party_id == lead.pk
    company = Party.objects.get(kind="company")
    assert (company.name, conversion.company, conversion.created_company) == ("Kavir Tile", company, True)
    relationship = Relationship.objects.get()
    assert (relationship.from_party, relationship.to_party, relationship.type.key) == (lead, company, "works_at")
    assert conversion.relationship == relationship
    # the lead's company words are no longer its search terms
    assert set(SearchTerm.objects.filter(party=lead).values_list("term", flat=True)) == {"reza", "moradi"}
    event = AuditEvent.objects.filter(object_id=str(lead.pk), kind="update").get()
    assert event.changes == {
        "kind": ["lead", "person"], "lead_status": ["new", "converted"],
        "lifecycle_stage": ["lead", "customer"], "works_at": [None, "Kavir Tile"],
    }  # fmt: skip


def test_a_lead_linked_to_an_existing_company_and_a_lead_that_becomes_the_company() -> None:
    company = CompanyFactory(name="Pars Trading")
    person_lead = LeadFactory(first_name="Sara", last_name="Karimi")
    company_lead = LeadFactory(first_name="", last_name="", company_name="Tehran Tile Co")

    lead_convert(actor=None, lead=person_lead, company=company)
    conversion = lead_convert(actor=None, lead=company_lead, create_person=False)

    assert list(Relationship.objects.values_list("from_party", "to_party")) == [(person_lead.pk, company.pk)]
    assert _fields(company_lead)[:2] == ("company", "Tehran Tile Co")
    assert (conversion.company, conversion.relationship) == (None, None)


def test_choices_that_do_not_add_up_are_refused_by_field() -> None:
    lead = LeadFactory(company_name="")

    with pytest.raises(ValidationError) as nothing:
        lead_convert(actor=None, lead=lead, create_person=False, create_company_name="")
    with pytest.raises(ValidationError) as both:
        lead_convert(actor=None, lead=lead, company=CompanyFactory(), create_company_name="New")

    assert nothing.value.message_dict == {
        "create_person": ["Choose what the lead becomes: a person, a company, or both."]
    }
    assert both.value.message_dict == {"company": ["Either link an existing company or create a new one, not both."]}
    assert _fields(lead)[0] == "lead"
    assert LeadConversion.objects.count() == 0


def test_only_a_lead_is_converted_and_the_hook_is_called(monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setattr(
        customer_file, "lead_conversion_hooks", [lambda actor, conversion: called.append(conversion.pk)]
    )

    with pytest.raises(ConversionError):
        lead_convert(actor=None, lead=PersonFactory())
    conversion = lead_convert(actor=None, lead=LeadFactory())

    assert called == [conversion.pk]


def test_a_missing_works_at_type_is_made() -> None:
    RelationshipType.objects.filter(key="works_at").delete()

    lead_convert(actor=None, lead=LeadFactory(), create_company_name="Kavir Tile")

    assert RelationshipType.objects.get(key="works_at").name_en == "works at"


def test_undo_restores_the_lead_exactly_and_deletes_the_company_it_made() -> None:
    # Given a converted lead
    lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="Kavir Tile")
    before = _fields(lead)
    conversion = lead_convert(actor=None, lead=lead, create_company_name="Kavir Tile")
    company_pk = conversion.company_id
    admin = _administrator()

    # When an administrator undoes it
    result = lead_conversion_undo(actor=admin, conversion=conversion)

    # Then the row is the lead it was, and the company and the link are gone
    assert _fields(lead) == before
    assert set(SearchTerm.objects.filter(party=lead).values_list("term", flat=True)) == {
        "reza", "moradi", "kavir", "tile",
    }  # fmt: skip
    assert not Party.objects.filter(pk=company_pk).exists()
    assert Relationship.objects.count() == 0
    assert result.company_kept is None
    conversion.refresh_from_db()
    assert (conversion.undone_by, conversion.undone_at is not None) == (admin, True)
    with pytest.raises(ConversionError):
        lead_conversion_undo(actor=admin, conversion=conversion)


def test_undo_keeps_a_company_others_now_refer_to() -> None:
    lead = LeadFactory()
    conversion = lead_convert(actor=None, lead=lead, create_company_name="Kavir Tile")
    colleague = PersonFactory()
    Relationship.objects.create(
        from_party=colleague, to_party=conversion.company, type=RelationshipType.objects.get(key="works_at")
    )

    result = lead_conversion_undo(actor=None, conversion=conversion)

    assert result.company_kept == conversion.company
    assert Party.objects.filter(pk=conversion.company_id).exists()
    assert Relationship.objects.filter(from_party=lead).count() == 0


def test_undo_is_for_administrators_only_and_a_refusal_changes_nothing() -> None:
    lead = LeadFactory()
    conversion = lead_convert(actor=None, lead=lead)
    grants = {(module, action): 3 for module in ("persons", "companies", "leads")
              for action in ("view", "create", "edit", "delete", "export")}  # fmt: skip
    manager = UserFactory(roles=[RoleFactory(grants=grants)])

    with pytest.raises(PermissionDenied):
        lead_conversion_undo(actor=manager, conversion=conversion)

    assert _fields(lead)[0] == "person"
    assert LeadConversion.objects.get().undone_at is None
