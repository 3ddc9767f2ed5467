"""The synthetic data is deterministic, as messy as people's data, and valid where it must be."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from pathlib import Path

import phonenumbers
import pytest

from bench import generator
from peyvand.accounts.models import AuditEvent
from peyvand.common.text import to_ascii_digits

SCALE = 0.002  # 2,000 persons, 400 companies: enough for shares of a few per cent to show


@pytest.fixture(scope="module")
def people() -> list[dict]:
    return list(generator.persons(scale=SCALE))


@pytest.fixture(scope="module")
def companies() -> list[dict]:
    return list(generator.companies(scale=SCALE))


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows() -> None:
    first = list(generator.persons(scale=0.0005, seed=7)) + list(generator.companies(scale=0.0005, seed=7))
    again = list(generator.persons(scale=0.0005, seed=7)) + list(generator.companies(scale=0.0005, seed=7))
    other = list(generator.persons(scale=0.0005, seed=8)) + list(generator.companies(scale=0.0005, seed=8))

    assert first == again
    assert first != other


def test_a_smaller_scale_gives_the_first_rows_of_a_larger_one(people: list[dict]) -> None:
    assert list(generator.persons(scale=0.0005)) == people[:500]


def test_counts_follow_the_scale(people: list[dict], companies: list[dict]) -> None:
    assert len(people) == 2_000
    assert len(companies) == 400
    assert generator.organisation_counts(1) == {"teams": 40, "roles": 6, "users": 500, "audit_events": 2_000_000}


def test_half_the_persons_have_persian_names(people: list[dict]) -> None:
    persian = [person for person in people if person["locale"] == "fa"]

    assert 0.45 < len(persian) / len(people) < 0.55
    assert all(re.search("[\u0600-\u06ff]", person["last_name"]) for person in persian)


def test_some_persian_names_are_written_with_arabic_yeh_and_kaf(people: list[dict]) -> None:
    persian = [person for person in people if person["locale"] == "fa"]
    arabic = [person for person in persian if re.search("[يك]", person["first_name"] + person["last_name"])]

    assert 0.02 < len(arabic) / len(persian) < 0.08


def test_some_persian_names_carry_a_zwnj_and_some_stray_spaces(people: list[dict]) -> None:
    names = [person["last_name"] for person in people if person["locale"] == "fa"]

    assert sum(generator.ZWNJ in name for name in names) > 100
    assert sum(name != name.strip() or "  " in name for name in names) > 10
    # The same family name also appears with a space where the ZWNJ belongs.
    assert "حسین زاده" in names or "حسین  زاده" in names


def test_every_person_has_one_to_three_phones_and_up_to_two_emails_at_reserved_domains(people: list[dict]) -> None:
    assert {len(person["phones"]) for person in people} == {1, 2, 3}
    assert {len(person["emails"]) for person in people} == {0, 1, 2}
    domains = {email.rsplit("@", 1)[1].lower() for person in people for email in person["emails"]}
    assert domains == set(generator.names.EMAIL_DOMAINS)


def test_phones_come_in_every_format_and_digit_set(people: list[dict]) -> None:
    phones = [phone for person in people for phone in person["phones"]]

    assert any(re.search("[۰-۹]", phone) for phone in phones)
    assert any(re.search("[٠-٩]", phone) for phone in phones)
    ascii_phones = [to_ascii_digits(phone) for phone in phones]
    for start in ("+98", "0098", "09", "(09"):
        assert any(phone.startswith(start) for phone in ascii_phones), start
    assert any("-" in phone for phone in ascii_phones)
    assert any(" " in phone for phone in ascii_phones)


def test_every_phone_is_a_valid_iranian_mobile_number(people: list[dict]) -> None:
    for phone in (phone for person in people for phone in person["phones"]):
        number = phonenumbers.parse(to_ascii_digits(phone), "IR")

        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE, phone
        assert number.country_code == 98


def test_most_companies_have_an_11_digit_national_id_and_a_12_digit_economic_code(companies: list[dict]) -> None:
    national_ids = [company["national_id"] for company in companies if company["national_id"]]
    economic_codes = [company["economic_code"] for company in companies if company["economic_code"]]

    assert len(national_ids) / len(companies) > 0.8
    assert len(economic_codes) / len(companies) > 0.75
    assert all(re.fullmatch("[0-9]{11}", national_id) for national_id in national_ids)
    assert all(re.fullmatch("[0-9]{12}", code) for code in economic_codes)
    assert all(generator.legal_id_check_digit(national_id[:10]) == int(national_id[10]) for national_id in national_ids)


def test_the_national_id_check_digit_matches_a_published_example() -> None:
    assert generator.legal_id_check_digit("1038028479") == 0  # 10380284790


def test_company_names_carry_persian_and_english_legal_forms(companies: list[dict]) -> None:
    names = [company["name"] for company in companies]

    assert any("سهامی خاص" in name or "سهامي خاص" in name for name in names)
    assert any(name.startswith(("شرکت", "شركت")) for name in names)
    assert any(name.endswith((" Ltd", " Ltd.", " Co. Ltd")) for name in names)
    assert {company["locale"] for company in companies} == {"fa", "en"}


def test_teams_form_three_levels_with_parents_first() -> None:
    teams = list(generator.teams(scale=1))
    levels = {team["key"]: team["level"] for team in teams}

    assert len(teams) == 40
    assert [sum(team["level"] == level for team in teams) for level in (1, 2, 3)] == [4, 12, 24]
    for team in teams:
        if team["level"] == 1:
            assert team["parent_key"] is None
        else:
            assert levels[team["parent_key"]] == team["level"] - 1
            assert team["parent_key"] < team["key"]
    assert len({(team["parent_key"], team["name"]) for team in teams}) == 40


def test_users_hold_every_role_and_the_first_of_each_sits_in_the_first_branch() -> None:
    users = list(generator.users(scale=1))

    assert len(users) == 500
    assert len({user["username"] for user in users}) == 500
    assert {user["role"] for user in users} == set(generator.role_names())
    assert [(user["role"], user["team_keys"]) for user in users[:6]] == [(name, [0]) for name in generator.role_names()]
    scopes = {scope for role in generator.roles() for scope in role["grants"].values()}
    assert scopes == {"own", "team", "all"}
    assert any(role["is_administrator"] for role in generator.roles())
    assert any(not role["grants"] and not role["is_administrator"] for role in generator.roles())


def test_audit_events_are_in_time_order_within_three_years_and_of_known_kinds() -> None:
    users, teams = list(generator.users(scale=0.01)), list(generator.teams(scale=0.01))
    events = list(generator.audit_events(scale=0.001, users=users, teams=teams, roles=generator.roles()))

    assert len(events) == 2_000
    times = [event["at"] for event in events]
    assert times == sorted(times)
    assert generator.AUDIT_PERIOD_END - dt.timedelta(days=3 * 365) <= times[0]
    assert times[-1] <= generator.AUDIT_PERIOD_END
    assert {event["kind"] for event in events} <= set(AuditEvent.Kind.values)


def test_write_csv_spreads_lists_over_numbered_columns(tmp_path: Path, people: list[dict]) -> None:
    path = tmp_path / "persons.csv"

    written = generator.write_csv(path, iter(people[:50]))

    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert written == 50
    assert list(rows[0]) == [
        "key", "locale", "first_name", "last_name", "phone_1", "phone_2", "phone_3", "email_1", "email_2",
    ]  # fmt: skip
    for row, person in zip(rows, people, strict=False):
        assert row["last_name"] == person["last_name"]
        phones = [row[f"phone_{number}"] for number in (1, 2, 3)]
        assert [phone for phone in phones if phone] == person["phones"]


def test_write_csv_of_no_rows_writes_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"

    assert generator.write_csv(path, itertools.islice(generator.companies(scale=0.001), 0)) == 0
    assert path.read_text() == ""
