"""The customer file's synthetic data: deterministic, shaped as BENCHMARKS.md says, consistent."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter

import pytest

from bench import generator
from bench.generator import customers, names, timeline

SCALE = 0.002  # 2,000 persons, 400 companies, 600 leads, 3,000 relationships, 20,000 interactions


@pytest.fixture(scope="module")
def users() -> list[dict]:
    return list(generator.users(scale=SCALE))


@pytest.fixture(scope="module")
def plan(users: list[dict]) -> timeline.ActivityPlan:
    return generator.activity_plan(scale=SCALE, users=users)


@pytest.fixture(scope="module")
def figures(plan: timeline.ActivityPlan) -> timeline.Figures:
    return generator.interaction_figures(plan)


def test_the_counts_at_scale_one_are_those_of_benchmarks_md() -> None:
    assert generator.customer_counts(1) == {
        "persons": 1_000_000, "companies": 200_000, "leads": 300_000, "relationships": 1_500_000,
        "interactions": 10_000_000,
    }  # fmt: skip
    assert generator.handful_count(1) == 5
    assert generator.handful_count(0.1) == 1
    assert generator.handful_count(0.01) == 0


def test_parties_are_numbered_persons_then_companies_then_leads() -> None:
    assert generator.party_number("person", 1, SCALE) == 1
    assert generator.party_number("person", 2_000, SCALE) == 2_000
    assert generator.party_number("company", 1, SCALE) == 2_001
    assert generator.party_number("lead", 600, SCALE) == 3_000 == generator.party_total(SCALE)


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows(users: list[dict]) -> None:
    def rows(seed: int) -> list:
        plan = generator.activity_plan(scale=0.0005, seed=seed, users=users)
        return [
            list(generator.leads(scale=0.0005, seed=seed)),
            list(generator.profiles("company", scale=0.0005, seed=seed, users=users)),
            list(generator.relationships(scale=0.0005, seed=seed)),
            list(generator.interactions(plan, users=users)),
        ]

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def test_leads_have_a_status_a_phone_and_mostly_a_company() -> None:
    leads = list(generator.leads(scale=SCALE))

    assert len(leads) == 600
    assert {lead["lead_status"] for lead in leads} == {"new", "contacted", "qualified", "unqualified"}
    assert all(1 <= len(lead["phones"]) <= 2 for lead in leads)
    assert 0.6 < sum(bool(lead["company_name"]) for lead in leads) / len(leads) < 0.8
    assert {lead["locale"] for lead in leads} == {"fa", "en"}


def test_records_are_owned_by_sales_and_support_and_kept_in_their_owners_team(users: list[dict]) -> None:
    profiles = list(generator.profiles("person", scale=SCALE, users=users))
    owners = {profile["owner_key"] for profile in profiles}

    assert {users[key]["role"] for key in owners} == {"Sales manager", "Sales representative", "Support agent"}
    assert all(profile["team_key"] == users[profile["owner_key"]]["team_keys"][0] for profile in profiles)
    assert len(owners) > 0.8 * len(customers.owner_candidates(users))
    stages = Counter(profile["stage"] for profile in profiles)
    assert set(stages) == {"subscriber", "lead", "prospect", "customer", "former_customer"}


def test_companies_have_a_switchboard_in_their_province_and_most_an_address(users: list[dict]) -> None:
    profiles = list(generator.profiles("company", scale=SCALE, users=users))

    assert all(re.fullmatch(r"\(?0\d\d\)?[- ]?\d{8}", profile["landline"]) for profile in profiles)
    assert sum(profile["address"] is not None for profile in profiles) / len(profiles) > 0.8
    assert {profile["address"]["province"] for profile in profiles if profile["address"]} > {"tehran", "isfahan"}


def test_relationships_are_exactly_counted_unique_and_mostly_works_at() -> None:
    links = list(generator.relationships(scale=SCALE))
    persons, companies = 2_000, 400

    assert len(links) == 3_000
    kinds = Counter(link["type"] for link in links)
    assert kinds == generator.relationship_quotas(SCALE)
    assert kinds.most_common(1)[0][0] == "works_at"
    assert all(link["from"] != link["to"] for link in links)
    assert len({(link["type"], link["from"], link["to"]) for link in links}) == len(links)
    symmetric = [(link["type"], min(link["from"], link["to"]), max(link["from"], link["to"]))
                 for link in links if link["type"] in customers.SYMMETRIC_TYPES]  # fmt: skip
    assert len(set(symmetric)) == len(symmetric)
    works_at = [link for link in links if link["type"] == "works_at"]
    assert all(link["from"] <= persons < link["to"] <= persons + companies for link in works_at)
    assert {key for key, *_rest in names.RELATIONSHIP_TYPES} >= set(kinds)


def test_interactions_fill_three_years_in_time_order_in_office_hours(plan: timeline.ActivityPlan) -> None:
    slots = list(timeline.interaction_slots(plan))

    assert len(slots) == 20_000
    times = [at for at, _party in slots]
    assert times == sorted(times)
    assert timeline.moment(times[0]) >= customers.PERIOD_START
    assert timeline.moment(times[-1]) <= customers.PERIOD_END
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    assert all(8 <= timeline.moment(at).astimezone(tehran).hour < 20 for at in times[::50])


def test_most_parties_have_a_few_interactions_and_key_accounts_over_a_thousand(figures: timeline.Figures) -> None:
    counts = list(figures.counts)

    assert statistics.median(counts) <= 3
    heavy = [count for count in counts if count >= 1_000]
    assert 1 <= len(heavy) <= 0.01 * len(counts)
    assert sum(counts) == 20_000


def test_the_figures_are_those_of_the_slots(plan: timeline.ActivityPlan, figures: timeline.Figures) -> None:
    seen: dict[int, list[int]] = {}
    for at, party in timeline.interaction_slots(plan):
        seen.setdefault(party, []).append(at)

    for party in range(1, plan.parties + 1):
        count, first, last = figures.of(party)
        times = seen.get(party, [])
        assert count == len(times)
        assert (first, last) == ((times[0], times[-1]) if times else (0, 0))


def test_every_channel_is_used_and_the_text_follows_the_staff_members_language(
    plan: timeline.ActivityPlan, users: list[dict]
) -> None:
    rows = list(generator.interactions(plan, users=users))

    assert {row["channel"] for row in rows} == {key for key, _share in timeline.CHANNEL_SHARES}
    for row in rows[:500]:
        persian = users[row["owner_key"]]["language"] == "fa"
        assert bool(re.search("[\u0600-\u06ff]", row["subject"])) == persian, row
        assert "{" not in row["subject"] + row["content"]
    pushed = [row for row in rows if row["source_system"]]
    assert len({(row["source_system"], row["external_id"]) for row in pushed}) == len(pushed) > 0
    owned = sum(row["owner_key"] == plan.owners[row["party"] - 1] for row in rows)
    assert 0.65 < owned / len(rows) < 0.85
