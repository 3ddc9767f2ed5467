"""party_search: names in any spelling, phones in any format, emails, identifiers; only what the actor sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peyvand.accounts import access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.contacts.selectors.search import Matched, party_search
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db

MODULES = ("persons", "companies", "leads")


def _user(scope: Scope = Scope.ALL, *, national_id: bool = False, modules: tuple[str, ...] = MODULES,
          **kwargs: Any) -> User:  # fmt: skip
    grants = {(module, Action.VIEW): scope for module in modules}
    fields = [(module, "national_id") for module in ("persons", "leads")] if national_id else []
    user = UserFactory(roles=[RoleFactory(grants=grants, sensitive_fields=fields)], **kwargs)
    access.profile_for(user)  # read once per request; the queries counted below are the search's own
    return user


def _names(hits: list[Any]) -> list[str]:
    return [hit.party.name for hit in hits]


# Names --------------------------------------------------------------------------------------------
def test_arabic_letters_typed_find_a_persian_name() -> None:
    # Given a person whose name is stored with Persian ی and ک
    person = PersonFactory(first_name="علی", last_name="کریمی")
    # When the name is typed with Arabic ي and ك
    hits = party_search(actor=_user(), query="علي كريمي")
    # Then the person is found, by name
    assert [(hit.party.pk, hit.matched, hit.matched_value) for hit in hits] == [(person.pk, Matched.NAME, "")]


def test_arabic_letters_stored_are_found_with_persian_letters() -> None:
    person = PersonFactory(first_name="علي", last_name="كريمي")  # as pasted from an Arabic keyboard

    hits = party_search(actor=_user(), query="کریمی")

    assert [hit.party.pk for hit in hits] == [person.pk]


@pytest.mark.parametrize("query", ["محمدی نیا", "محمدی‌نیا", "نیا", "محمدي‌ نيا"])
def test_zwnj_and_space_are_the_same_separator(query: str) -> None:
    person = PersonFactory(first_name="مریم", last_name="محمدی‌نیا")

    assert [hit.party.pk for hit in party_search(actor=_user(), query=query)] == [person.pk]


def test_every_word_typed_must_begin_a_word_of_the_name() -> None:
    PersonFactory(first_name="Reza", last_name="Karimi")
    PersonFactory(first_name="Reza", last_name="Ahmadi")
    PersonFactory(first_name="Sara", last_name="Karimi")

    assert _names(party_search(actor=_user(), query="rez kar")) == ["Reza Karimi"]
    assert _names(party_search(actor=_user(), query="KARIMI  reza")) == ["Reza Karimi"]
    assert _names(party_search(actor=_user(), query="rez")) == ["Reza Ahmadi", "Reza Karimi"]
    assert party_search(actor=_user(), query="rez zahedi") == []


def test_exact_words_and_names_starting_with_the_query_come_first() -> None:
    # Given names where "ali" is a whole first word, a whole later word, or only the beginning of one
    PersonFactory(first_name="Mohammad", last_name="Alizadeh")
    PersonFactory(first_name="Alireza", last_name="Bahrami")
    PersonFactory(first_name="Reza", last_name="Ali")
    PersonFactory(first_name="Ali", last_name="Karimi")
    # When searching "ali"
    hits = party_search(actor=_user(), query="ali")
    # Then: whole word at the start, whole word, start of the name, start of a later word
    assert _names(hits) == ["Ali Karimi", "Reza Ali", "Alireza Bahrami", "Mohammad Alizadeh"]


def test_a_lead_is_found_by_the_company_it_named() -> None:
    lead = LeadFactory(first_name="Reza", last_name="Moradi", company_name="کاشی کویر")

    hits = party_search(actor=_user(), query="کویر")

    assert [(hit.party.pk, hit.party.kind) for hit in hits] == [(lead.pk, "lead")]


def test_persian_digits_in_a_name_are_found_with_latin_digits() -> None:
    company = CompanyFactory(name="پارس ۲۱")

    assert [hit.party.pk for hit in party_search(actor=_user(), query="پارس 21")] == [company.pk]


def test_kinds_narrow_the_search() -> None:
    PersonFactory(first_name="Pars", last_name="Karimi")
    company = CompanyFactory(name="Pars Trading")
    LeadFactory(first_name="Pars", last_name="Moradi")

    hits = party_search(actor=_user(), query="pars", kinds=["company"])

    assert [hit.party.pk for hit in hits] == [company.pk]


def test_limit_caps_the_hits() -> None:
    for number in range(5):
        PersonFactory(first_name="Sara", last_name=f"Karimi{number}")

    assert len(party_search(actor=_user(), query="sara", limit=3)) == 3


def test_a_common_prefix_is_bounded_and_still_finds_exact_words_first(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given more names beginning with "mo" than one search reads, and one whose word is exactly "mo"
    monkeypatch.setattr("peyvand.contacts.selectors.search.NAME_SCAN_LIMIT", 3)
    for number in range(6):
        PersonFactory(first_name="Morteza", last_name=f"Karimi{number}")
    PersonFactory(first_name="Mo", last_name="Zahedi")
    # When searching "mo"
    hits = party_search(actor=_user(), query="mo")
    # Then the exact word is first, and at most the bounded number of parties were considered
    assert _names(hits) == ["Mo Zahedi", "Morteza Karimi0", "Morteza Karimi1"]


def test_a_multi_word_query_drives_from_the_rarest_word(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given many Moradis, more than one search reads, and one Moradi with a rare first name
    monkeypatch.setattr("peyvand.contacts.selectors.search.NAME_SCAN_LIMIT", 3)
    for number in range(5):
        PersonFactory(first_name=f"Ali{number}", last_name="Moradi")
    person = PersonFactory(first_name="Zhila", last_name="Moradi")
    # When searching the common word first and the rare word second
    hits = party_search(actor=_user(), query="moradi zh")
    # Then the rare word drove the scan and the person is found
    assert [hit.party.pk for hit in hits] == [person.pk]


# Phones -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    ["09121234567", "+98 912 123 4567", "0098-912-123-4567", "989121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧",
     "(0912) 123-4567", "912 123 4567"],
)  # fmt: skip
def test_a_whole_phone_number_in_any_format_finds_it(query: str) -> None:
    person = PersonFactory(phones=["0912 123 4567"])
    PersonFactory(phones=["0912 123 4568"])

    hits = party_search(actor=_user(), query=query)

    assert [(hit.party.pk, hit.matched, hit.matched_value) for hit in hits] == [
        (person.pk, Matched.PHONE, "0912 123 4567")
    ]


@pytest.mark.parametrize("query", ["4567", "۴۵۶۷", "23 4567", "123-4567"])
def test_the_last_digits_find_a_number(query: str) -> None:
    person = PersonFactory(phones=["0912 123 4567"])
    PersonFactory(phones=["0912 123 4568"])

    assert [hit.party.pk for hit in party_search(actor=_user(), query=query)] == [person.pk]


def test_fewer_than_four_digits_are_not_a_phone_search() -> None:
    PersonFactory(phones=["0912 123 4567"])

    assert party_search(actor=_user(), query="567") == []


def test_the_number_stored_exactly_comes_before_numbers_that_only_end_the_same() -> None:
    # Given a foreign number that ends with the same ten digits, and the Iranian number itself
    foreign = PersonFactory(first_name="Aaron", last_name="Abbott", phones=["+49 30 9121234567"])
    iranian = PersonFactory(first_name="Zahra", last_name="Zamani", phones=["0912 123 4567"])
    # When searching the whole Iranian number
    hits = party_search(actor=_user(), query="09121234567")
    # Then it comes first, though its name sorts last
    assert [hit.party.pk for hit in hits] == [iranian.pk, foreign.pk]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lead=st.sampled_from(["0", "+98", "0098", "98", "+98 (0)", ""]),
    separator=st.sampled_from(["", " ", "-", ".", "\u200c"]),
    persian=st.booleans(),
)
def test_any_way_of_writing_a_stored_phone_finds_it(lead: str, separator: str, persian: bool) -> None:
    # Given one stored number (created once; hypothesis reruns the body)
    person = PersonFactory._meta.model.objects.filter(name="Hypo Thesis").first() or PersonFactory(
        first_name="Hypo", last_name="Thesis", phones=["09351234567"]
    )
    # When it is written with any prefix, separators and digits
    query = f"{lead}935{separator}123{separator}45{separator}67"
    if persian:
        query = query.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    # Then it is found
    assert [hit.party.pk for hit in party_search(actor=_user(username=f"h{abs(hash(query))}"), query=query)] == [
        person.pk
    ]


# Emails -------------------------------------------------------------------------------------------
def test_the_beginning_of_an_email_finds_it() -> None:
    person = PersonFactory(first_name="Sara", last_name="Nouri", emails=["Sara.Nouri@Example.com"])
    PersonFactory(first_name="Reza", last_name="Nouri", emails=["reza@example.com"])

    for query in ("sara.n", "SARA.NOURI@EXAMPLE.COM", "sara.nouri@ex"):
        hits = party_search(actor=_user(username=f"u{len(query)}"), query=query)
        assert [(hit.party.pk, hit.matched, hit.matched_value) for hit in hits] == [
            (person.pk, Matched.EMAIL, "Sara.Nouri@Example.com")
        ], query


def test_an_email_hit_comes_before_the_same_party_found_by_name() -> None:
    person = PersonFactory(first_name="Sara", last_name="Nouri", emails=["sara@example.com"])

    hits = party_search(actor=_user(), query="sara")

    assert [(hit.party.pk, hit.matched) for hit in hits] == [(person.pk, Matched.EMAIL)]


# Identifiers --------------------------------------------------------------------------------------
def test_a_national_id_is_found_exactly_with_the_grant() -> None:
    person = PersonFactory(national_id="0012345679")
    PersonFactory(national_id="1234567891")

    hits = party_search(actor=_user(national_id=True), query="۰۰۱۲۳۴۵۶۷۹")

    assert [(hit.party.pk, hit.matched, hit.matched_value) for hit in hits] == [(person.pk, Matched.NATIONAL_ID, "")]


def test_a_national_id_reveals_nothing_without_the_grant() -> None:
    PersonFactory(national_id="0012345679")

    assert party_search(actor=_user(national_id=False), query="0012345679") == []


def test_a_hit_never_carries_a_sensitive_value() -> None:
    PersonFactory(first_name="Sara", last_name="Nouri", national_id="0012345679", birth_date="1990-01-02")

    [hit] = party_search(actor=_user(national_id=True), query="0012345679")

    assert hit.party.get_deferred_fields() >= {"national_id_encrypted", "birth_date_encrypted", "income_band_encrypted"}


def test_a_company_national_id_is_found_exactly() -> None:
    company = CompanyFactory(company_national_id="10260014510")

    hits = party_search(actor=_user(), query="1026 0014 510")

    assert [(hit.party.pk, hit.matched, hit.matched_value) for hit in hits] == [
        (company.pk, Matched.COMPANY_NATIONAL_ID, "10260014510")
    ]


# Scope --------------------------------------------------------------------------------------------
def test_an_own_scoped_user_finds_only_their_own() -> None:
    # Given a person of the user and a stranger's person, with the same name and phone ending
    user = _user(Scope.OWN)
    mine = PersonFactory(first_name="Sara", last_name="Karimi", phones=["0912 111 4567"], owner=user)
    PersonFactory(first_name="Sara", last_name="Karimi", phones=["0912 222 4567"], owner=UserFactory())
    # When searching by name and by phone
    # Then only the user's own person is found
    assert [hit.party.pk for hit in party_search(actor=user, query="sara karimi")] == [mine.pk]
    assert [hit.party.pk for hit in party_search(actor=user, query="4567")] == [mine.pk]


def test_a_team_scoped_user_finds_their_teams_parties() -> None:
    team = TeamFactory()
    user = _user(Scope.TEAM, teams=[team])
    in_team = PersonFactory(first_name="Sara", team=team)
    PersonFactory(first_name="Sara")

    assert [hit.party.pk for hit in party_search(actor=user, query="sara")] == [in_team.pk]


def test_a_module_not_granted_is_not_searched() -> None:
    PersonFactory(first_name="Pars")
    company = CompanyFactory(name="Pars Trading")

    hits = party_search(actor=_user(modules=("companies",)), query="pars")

    assert [hit.party.pk for hit in hits] == [company.pk]


def test_a_user_without_access_finds_nothing_and_costs_no_query() -> None:
    PersonFactory(first_name="Sara")
    user = UserFactory()
    access.profile_for(user)

    with CaptureQueriesContext(connection) as queries:
        assert party_search(actor=user, query="sara") == []
    assert len(queries) == 0


# Queries ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("علی", 1),  # one word: the name query
        ("علی کریمی", 3),  # several words: names starting so (too few), the counts of each, the name query
        ("علی کریمی۱", 1),  # several words: names starting so fill the page
        ("sara", 2),  # could be an email too
        ("4567", 1),  # the end of a phone
        ("09121234567", 1),  # a whole phone
        ("0012345679", 2),  # a national ID (with the grant) and a phone
        ("10260014510", 2),  # a company national ID and a phone
    ],
)
def test_query_counts_are_fixed(query: str, expected: int, django_assert_num_queries: Any) -> None:
    user = _user(national_id=True)
    for number in range(3):
        PersonFactory(first_name="علی", last_name=f"کریمی{number}", phones=[f"0912 123 456{number}"],
                      emails=[f"sara{number}@example.com"])  # fmt: skip

    with django_assert_num_queries(expected):
        party_search(actor=user, query=query, limit=1 if query == "علی کریمی۱" else 8)


def test_a_full_name_of_two_common_words_finds_those_who_bear_it() -> None:
    # Given many people sharing the first name and many sharing the last name, and a few both
    user = _user()
    for number in range(30):
        PersonFactory(first_name="محمد", last_name=f"احمدی{number}")
        PersonFactory(first_name=f"رضا{number}", last_name="رضایی")
    for first in ("محمد", "محمد‌علی"):
        PersonFactory(first_name=first, last_name="رضایی")
    PersonFactory(first_name="رضایی", last_name="محمدی")

    # When the full name is typed in order, and in the other order
    in_order = [str(hit.party) for hit in party_search(actor=user, query="محمد رضایی")]
    reversed_order = [str(hit.party) for hit in party_search(actor=user, query="رضایی محمد")]

    # Then the one bearing it comes first, and the words in any order still find both
    assert in_order[0] == "محمد رضایی"
    assert set(reversed_order[:3]) == {"محمد رضایی", "محمد‌علی رضایی", "رضایی محمدی"}


def test_an_email_address_is_not_read_as_a_name() -> None:
    user = _user()
    PersonFactory(first_name="Sara", last_name="Example", emails=["someone@other.ir"])
    PersonFactory(first_name="Nima", last_name="Nobody", emails=["sara@example.com"])

    hits = party_search(actor=user, query="sara@example.com")

    assert [(str(hit.party), hit.matched) for hit in hits] == [("Nima Nobody", Matched.EMAIL)]
