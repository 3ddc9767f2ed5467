"""The party services every way in goes through: names, search terms, identifiers, contact points,
sensitive fields, custom fields and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from peyvand.accounts.models import AuditEvent
from peyvand.contacts import sensitive
from peyvand.contacts.models import Address, ContactPoint, CustomField, Party, SearchTerm
from peyvand.contacts.normalize import ContactPointIn
from peyvand.contacts.services.parties import party_create, party_delete, party_update
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CompanyFactory, CustomFieldFactory, PersonFactory

pytestmark = pytest.mark.django_db
VALID_NATIONAL_ID = "0499370899"


def _errors(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_names_are_normalised_and_indexed_word_by_word() -> None:
    # Given a name typed with Arabic letters and Persian digits
    party = party_create(actor=None, kind="person", fields={"first_name": "علي", "last_name": "كريمي ۲"})

    # Then the name is stored with Persian letters and its words are search terms
    assert party.name == "علی کریمی 2"
    assert set(SearchTerm.objects.filter(party=party).values_list("term", flat=True)) == {"علی", "کریمی"}


def test_renaming_replaces_the_search_terms() -> None:
    party = PersonFactory(first_name="Sara", last_name="Karimi")

    party_update(actor=None, party=party, fields={"last_name": "Moradi"})

    assert sorted(SearchTerm.objects.filter(party=party).values_list("term", flat=True)) == ["moradi", "sara"]


def test_a_person_needs_a_name() -> None:
    assert _errors(lambda: party_create(actor=None, kind="person", fields={"job_title": "CEO"})) == {
        "last_name": ["Enter a name."]
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("national_id", "0499370898", "This national ID's check digit does not match: please check it."),
        ("company_national_id", "123", "A company national ID has 11 digits."),
        ("economic_code", "12", "An economic code has 11, 12 or 14 digits."),
    ],
)
def test_iranian_identifiers_are_checked_with_their_messages(field: str, value: str, message: str) -> None:
    kind = "person" if field == "national_id" else "company"
    name = {"last_name": "Karimi"} if kind == "person" else {"name": "Pars"}

    errors = _errors(lambda: party_create(actor=None, kind=kind, fields={**name, field: value}))

    assert errors == {field: [message]}
    assert Party.objects.count() == 0


def test_every_wrong_part_is_named_at_once_and_nothing_is_written() -> None:
    # Given a bad national ID, a bad second phone and a bad postal code
    def create() -> Party:
        return party_create(
            actor=None, kind="person", fields={"last_name": "Karimi", "national_id": "123"},
            contact_points=[ContactPointIn(kind="phone", value="0912 123 4567"), ContactPointIn(kind="phone", value="12"),
                            ContactPointIn(kind="email", value="not-an-email")],
            addresses=[{"postal_code": "12"}],
        )  # fmt: skip

    # When it is created, then each is keyed by where it is
    errors = _errors(create)

    assert sorted(errors) == ["addresses.0.postal_code", "email.0", "national_id", "phone.1"]
    assert errors["phone.1"] == ["This phone number is too short."]
    assert errors["addresses.0.postal_code"] == ["An Iranian postal code has 10 digits."]
    assert Party.objects.count() == 0
    assert ContactPoint.objects.count() == 0


def test_contact_points_get_their_keys_and_one_primary_per_kind() -> None:
    party = PersonFactory(phones=["۰۹۱۲ ۱۲۳ ۴۵۶۷", "+98 21 8888 0000"], emails=["Sara@Example.COM"])

    phones = list(party.contact_points.filter(kind="phone").order_by("pk"))
    assert [(point.key, point.digits, point.is_primary) for point in phones] == [
        ("+989121234567", "989121234567", True),
        ("+982188880000", "982188880000", False),
    ]
    assert party.contact_points.get(kind="email").key == "sara@example.com"


def test_the_plain_national_id_is_never_in_the_row() -> None:
    party = party_create(actor=None, kind="person", fields={"last_name": "Karimi", "national_id": VALID_NATIONAL_ID,
                                                           "birth_date": dt.date(1990, 3, 4), "income_band": "high"})  # fmt: skip

    row = Party.objects.filter(pk=party.pk).values().get()
    assert all(VALID_NATIONAL_ID not in str(value) for value in row.values())
    assert "1990-03-04" not in str(row)
    assert row["national_id_hash"] == sensitive.national_id_lookup(VALID_NATIONAL_ID)
    assert sensitive.read_all(Party.objects.get(pk=party.pk)) == {
        "national_id": VALID_NATIONAL_ID, "birth_date": dt.date(1990, 3, 4), "income_band": "high",
    }  # fmt: skip


def test_the_audit_trail_marks_sensitive_changes_without_their_values() -> None:
    actor = UserFactory()
    party = party_create(actor=actor, kind="person", fields={"last_name": "Karimi", "national_id": VALID_NATIONAL_ID})

    party_update(actor=actor, party=party, fields={"national_id": "", "birth_date": dt.date(1990, 3, 4)})

    events = list(AuditEvent.objects.filter(object_type="contacts.party", object_id=str(party.pk)).order_by("pk"))
    assert [event.kind for event in events] == ["create", "update"]
    assert events[0].changes["national_id"] == [None, "••••"]
    assert events[1].changes == {"national_id": ["••••", ""], "birth_date": ["", "••••"]}
    assert VALID_NATIONAL_ID not in str([event.changes for event in events])


CUSTOM_CASES = [
    (CustomField.Type.TEXT, "  خوب  ", "خوب"),
    (CustomField.Type.NUMBER, "۱٬۲۵۰٫۵", "1250.5"),
    (CustomField.Type.MONEY, "2,500,000", 2500000),
    (CustomField.Type.DATE, "1403/01/01", "2024-03-20"),
    (CustomField.Type.CHOICE, "Gold", "gold"),
    (CustomField.Type.MULTIPLE_CHOICE, "gold، silver", ["gold", "silver"]),
    (CustomField.Type.YES_NO, "بله", True),
    (CustomField.Type.LINK, "peyvand.example/about", "https://peyvand.example/about"),
]
CUSTOM_ERRORS = [
    (CustomField.Type.NUMBER, "many", "Enter a number."),
    (CustomField.Type.MONEY, "12.5", "Enter an amount in whole Rials, not negative."),
    (CustomField.Type.DATE, "tomorrow", "Enter a valid date."),
    (CustomField.Type.CHOICE, "bronze", "“bronze” is not one of the choices."),
    (CustomField.Type.MULTIPLE_CHOICE, "gold, tin", "“tin” is not one of the choices."),
    (CustomField.Type.YES_NO, "maybe", "Answer yes or no."),
    (CustomField.Type.LINK, "not a link", "Enter a valid URL."),
]
CHOICES = [{"value": "gold", "label": "طلایی", "label_en": "Gold"}, {"value": "silver", "label": "نقره‌ای"}]


@pytest.mark.parametrize(("field_type", "typed", "stored"), CUSTOM_CASES)
def test_custom_values_are_stored_in_their_form(field_type: str, typed: str, stored: Any) -> None:
    CustomFieldFactory(key="extra", field_type=field_type, choices=CHOICES)

    party = PersonFactory(custom={"extra": typed})

    assert Party.objects.get(pk=party.pk).custom == {"extra": stored}


@pytest.mark.parametrize(("field_type", "typed", "message"), CUSTOM_ERRORS)
def test_wrong_custom_values_are_refused_by_key(field_type: str, typed: str, message: str) -> None:
    CustomFieldFactory(key="extra", field_type=field_type, choices=CHOICES)

    assert _errors(lambda: PersonFactory(custom={"extra": typed})) == {"custom.extra": [message]}


def test_required_and_unknown_custom_fields_are_refused() -> None:
    CustomFieldFactory(key="branch", is_required=True)

    assert _errors(lambda: PersonFactory(custom={"colour": "red"})) == {
        "custom.colour": ["There is no such custom field."], "custom.branch": ["This field is required."],
    }  # fmt: skip


def test_values_of_a_deactivated_custom_field_are_kept_through_an_edit() -> None:
    # Given a value of a field an administrator later deactivates
    old = CustomFieldFactory(key="old")
    CustomFieldFactory(key="new")
    party = PersonFactory(custom={"old": "kept", "new": "a"})
    CustomField.objects.filter(pk=old.pk).update(is_active=False)

    # When the active fields are edited
    party_update(actor=None, party=party, fields={"custom": {"new": "b"}})

    # Then the deactivated field's value is still there for when it comes back
    assert Party.objects.get(pk=party.pk).custom == {"old": "kept", "new": "b"}


def test_delete_removes_contact_points_and_addresses_and_is_audited() -> None:
    party = CompanyFactory(phones=["021 8888 0000"], addresses=[{"city": "Tehran", "province": "tehran"}])

    party_id = party.pk

    party_delete(actor=None, party=party)

    assert (Party.objects.count(), ContactPoint.objects.count(), Address.objects.count()) == (0, 0, 0)
    assert AuditEvent.objects.filter(kind="delete", object_id=str(party_id)).count() == 1
