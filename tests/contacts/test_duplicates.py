"""Duplicate detection: which pairs are found, for which reason, and which are not."""

from __future__ import annotations

import pytest

from peyvand.contacts.duplicates import NAME_THRESHOLD, find_duplicates_of, name_score
from peyvand.contacts.duplicates_tasks import find_duplicates
from peyvand.contacts.models import DuplicateCandidate, Relationship
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory, RelationshipTypeFactory

pytestmark = pytest.mark.django_db

Reason = DuplicateCandidate.Reason


def _pairs() -> list[tuple[int, int, str, str]]:
    return list(DuplicateCandidate.objects.order_by("pk").values_list("first_id", "second_id", "reason", "status"))


def _tehran(street: str = "") -> list[dict[str, str]]:
    return [{"province": "tehran", "city": "تهران", "street": street}]


def test_the_same_phone_typed_another_way_is_found_on_create() -> None:
    # Given a person with a mobile number
    first = PersonFactory(first_name="Sara", last_name="Karimi", phones=["0912 123 4567"])

    # When another person is created with the same number in international form and Persian digits
    second = PersonFactory(first_name="S.", last_name="Ahmadi", phones=["+98 ۹۱۲ ۱۲۳ ۴۵۶۷"])

    # Then the pair is waiting for review, older record first
    assert _pairs() == [(first.pk, second.pk, Reason.PHONE, DuplicateCandidate.Status.OPEN)]
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.kind, candidate.score) == ("person", 100)


def test_an_email_in_other_letter_case_is_the_same_email() -> None:
    first = CompanyFactory(name="Pars Trading", emails=["Info@Pars-Trading.ir"])
    second = CompanyFactory(name="Kavir Tile", emails=["info@pars-trading.IR"])

    assert _pairs() == [(first.pk, second.pk, Reason.EMAIL, "open")]


def test_the_same_national_id_and_company_national_id_are_found() -> None:
    first = PersonFactory(last_name="Karimi", national_id="0084575948")
    second = PersonFactory(last_name="Moradi", national_id="0084575948")
    company = CompanyFactory(name="Pars", company_national_id="10101234565")
    other_company = CompanyFactory(name="Kavir", company_national_id="10101234565")

    assert _pairs() == [
        (first.pk, second.pk, Reason.NATIONAL_ID, "open"),
        (company.pk, other_company.pk, Reason.COMPANY_NATIONAL_ID, "open"),
    ]


def test_arabic_and_persian_letters_of_one_name_in_the_same_city_are_similar() -> None:
    # Given a person written with Persian letters in Tehran
    first = PersonFactory(first_name="علی", last_name="رضایی", addresses=_tehran())

    # When the same name is typed with Arabic ي and ك and a typo, in the same city
    second = PersonFactory(first_name="علي", last_name="رضايي", addresses=_tehran("ولیعصر"))
    third = PersonFactory(first_name="عليی", last_name="رضایي", addresses=_tehran())

    # Then all three are paired by name, the exact spelling with 100
    rows = list(
        DuplicateCandidate.objects.order_by("first", "second").values_list("first", "second", "reason", "score")
    )
    assert rows[0] == (first.pk, second.pk, Reason.NAME, 100)
    assert [(row[0], row[1]) for row in rows] == [(first.pk, second.pk), (first.pk, third.pk), (second.pk, third.pk)]
    assert all(row[3] >= NAME_THRESHOLD for row in rows)


def test_similar_names_in_different_cities_are_not_paired() -> None:
    PersonFactory(first_name="Sara", last_name="Karimi", addresses=_tehran())

    PersonFactory(first_name="Sara", last_name="Karimi", addresses=[{"province": "isfahan", "city": "Isfahan"}])
    PersonFactory(first_name="Sara", last_name="Karimi")  # no address at all

    assert _pairs() == []


def test_different_names_in_the_same_city_are_not_paired() -> None:
    PersonFactory(first_name="Sara", last_name="Karimi", addresses=_tehran())
    PersonFactory(first_name="Reza", last_name="Karimi", addresses=_tehran())

    assert name_score("Sara Karimi", "Reza Karimi") < NAME_THRESHOLD
    assert _pairs() == []


def test_persons_at_the_same_company_and_leads_of_the_same_company_name_are_compared() -> None:
    # Given two persons who work at the same company, and two leads naming the same company
    works_at = RelationshipTypeFactory(key="works_at")
    company = CompanyFactory(name="Pars Trading")
    sara = PersonFactory(first_name="Sara", last_name="Karimi")
    sarah = PersonFactory(first_name="Sarah", last_name="Karimi")
    Relationship.objects.create(from_party=sara, to_party=company, type=works_at)
    Relationship.objects.create(from_party=sarah, to_party=company, type=works_at)
    lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="Kavir Tile")
    same_lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="KAVIR TILE")
    LeadFactory(first_name="Reza", last_name="Moradi", company_name="Another Tile")

    # When detection runs for the persons (after their relationships exist)
    find_duplicates_of([sara.pk, sarah.pk])

    # Then each pair is found by name
    assert _pairs() == [(lead.pk, same_lead.pk, Reason.NAME, "open"), (sara.pk, sarah.pk, Reason.NAME, "open")]


def test_no_pair_of_a_record_with_itself_nor_across_kinds() -> None:
    person = PersonFactory(phones=["09121234567"], emails=["a@example.com"])
    LeadFactory(phones=["09121234567"])
    person.refresh_from_db()

    find_duplicates_of([person.pk, person.pk])

    assert _pairs() == []


def test_a_dismissed_pair_stays_dismissed_and_the_task_is_idempotent() -> None:
    first = PersonFactory(phones=["09121234567"])
    second = PersonFactory(phones=["09121234567"])
    DuplicateCandidate.objects.update(status=DuplicateCandidate.Status.DISMISSED)

    result = find_duplicates.enqueue(party_ids=[first.pk, second.pk])
    again = find_duplicates_of([first.pk, second.pk])

    assert (result.return_value, again) == (0, 0)
    assert _pairs() == [(first.pk, second.pk, Reason.PHONE, "dismissed")]


def test_the_strongest_reason_is_recorded_once_per_pair() -> None:
    first = PersonFactory(first_name="Sara", last_name="Karimi", phones=["09121234567"], addresses=_tehran())

    second = PersonFactory(first_name="Sara", last_name="Karimi", phones=["09121234567"], addresses=_tehran())

    assert _pairs() == [(first.pk, second.pk, Reason.PHONE, "open")]


def test_a_phone_shared_by_many_records_is_not_a_sign_of_duplicates() -> None:
    # Given eleven companies with the same switchboard number
    for number in range(11):
        CompanyFactory(name=f"Branch {number}", phones=["021 8888 0000"])
    DuplicateCandidate.objects.all().delete()

    # When one more is added
    CompanyFactory(name="Branch 12", phones=["021 8888 0000"])

    # Then the shared number pairs nobody
    assert _pairs() == []


def test_detection_of_one_record_costs_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for number in range(5):
        PersonFactory(first_name="Sara", last_name="Karimi", phones=[f"0912123456{number}"], addresses=_tehran())
    party = PersonFactory(first_name="Sara", last_name="Karimi", phones=["09121234560"], addresses=_tehran())
    DuplicateCandidate.objects.all().delete()

    with django_assert_max_num_queries(9):
        assert find_duplicates_of([party.pk]) == 5
