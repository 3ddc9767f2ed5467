"""The customer file around persons and companies: leads, what the business records about each
party (owner, stage, tags…), addresses, company contact points, and the relationships between them.

Parties are numbered once for all three kinds, persons first, then companies, then leads:
``party_number(kind, key, scale)``. The loader uses these numbers as the parties' ids, and
relationships and interactions refer to parties by them.

The rows of ``persons`` and ``companies`` (``bench.generator.parties``) stay what they were, so
that the import benchmarks' files do not change; everything the CRM adds to them comes from
streams of its own here. Those streams draw the same numbers at every scale, but where a row
points at another record (an owner, a company someone works at), the record it reaches depends
on how many there are, hence on the scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bench.generator import names
from bench.generator.common import DEFAULT_SEED, count, latin_slug, random_stream
from bench.generator.parties import ARABIC_LETTERS, ARABIC_LETTERS_SHARE, messy_persian, mobile_phone

PARTY_KINDS = ("person", "company", "lead")

# The three years the timeline covers, ending at Nowruz 1404 like the audit trail; parties may be
# older than their first interaction.
PERIOD_END = dt.datetime(2025, 3, 20, 20, 30, tzinfo=dt.UTC)
PERIOD = dt.timedelta(days=3 * 365)
PERIOD_START = PERIOD_END - PERIOD
OLDEST_PARTY = PERIOD_START - dt.timedelta(days=2 * 365)

# Lifecycle stages and their shares, by kind (contacts.models.LifecycleStage values).
STAGES: dict[str, tuple[tuple[str, int], ...]] = {
    "person": (("subscriber", 10), ("lead", 10), ("prospect", 40), ("customer", 30), ("former_customer", 10)),
    "company": (("prospect", 35), ("customer", 50), ("former_customer", 15)),
    "lead": (("lead", 1),),
}
LEAD_STATUSES: tuple[tuple[str, int], ...] = (("new", 35), ("contacted", 30), ("qualified", 15), ("unqualified", 20))
COMPANY_SIZES: tuple[tuple[str, int], ...] = (("1-9", 35), ("10-49", 30), ("50-249", 20), ("250-999", 10), ("1000+", 5))
PREFERRED_CHANNELS: tuple[tuple[str, int], ...] = (
    ("", 50), ("phone", 20), ("sms", 10), ("email", 10), ("messenger", 6), ("in_person", 3), ("post", 1),
)  # fmt: skip
OWNER_ROLES = ("Sales manager", "Sales representative", "Support agent")

# How many interactions a party has, in expectation, by lifecycle stage (an exponential draw of
# this mean). A customer is a key account with HEAVY_SHARE, with HEAVY_RANGE interactions; and the
# first companies are the handful with tens of thousands.
ACTIVITY_MEANS = {"subscriber": 1.0, "lead": 2.0, "prospect": 2.0, "customer": 5.0, "former_customer": 3.0}
HEAVY_SHARE = 0.01
HEAVY_RANGE = (1_150.0, 1_500.0)
HANDFUL_AT_SCALE_ONE = 5
HANDFUL_RANGE = (60_000.0, 90_000.0)


def customer_counts(scale: float) -> dict[str, int]:
    """How many persons, companies, leads, relationships and interactions a load at ``scale`` writes."""
    return {kind: count(kind, scale) for kind in ("persons", "companies", "leads", "relationships", "interactions")}


def party_total(scale: float) -> int:
    counts = customer_counts(scale)
    return counts["persons"] + counts["companies"] + counts["leads"]


def party_number(kind: str, key: int, scale: float) -> int:
    """The party's number (its id once loaded): persons 1…P, then companies, then leads."""
    counts = customer_counts(scale)
    offset = {"person": 0, "company": counts["persons"], "lead": counts["persons"] + counts["companies"]}[kind]
    limit = {"person": counts["persons"], "company": counts["companies"], "lead": counts["leads"]}[kind]
    assert 1 <= key <= limit, (kind, key, limit)
    return offset + key


def handful_count(scale: float) -> int:
    """How many companies have tens of thousands of interactions: five at scale 1, one at 0.1, none below."""
    return int(HANDFUL_AT_SCALE_ONE * scale + 0.5)


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(microseconds=rng.randrange(int((end - start).total_seconds() * 1_000_000)))


# Leads ----------------------------------------------------------------------------------------
def leads(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"key", "locale", "first_name", "last_name", "company_name", "lead_status", "phones", "emails"}``.

    People who showed interest: most name the company they speak for, each left a phone, some an
    e-mail address. Written as messily as persons.
    """
    rng = random_stream(seed, "leads")
    for key in range(1, count("leads", scale) + 1):
        if rng.random() < 0.6:
            first, first_latin = rng.choice(names.PERSIAN_FIRST_NAMES)
            last, last_latin = rng.choice(names.PERSIAN_LAST_NAMES)
            first, last = messy_persian(rng, first), messy_persian(rng, last)
            if rng.random() < ARABIC_LETTERS_SHARE:
                first, last = first.translate(ARABIC_LETTERS), last.translate(ARABIC_LETTERS)
            locale = "fa"
            company = f"{rng.choice(names.COMPANY_PREFIXES_PERSIAN)} {rng.choice(names.COMPANY_ACTIVITIES_PERSIAN)}"
        else:
            first = first_latin = rng.choice(names.ENGLISH_FIRST_NAMES)
            last = last_latin = rng.choice(names.ENGLISH_LAST_NAMES)
            locale = "en"
            company = f"{rng.choice(names.COMPANY_PREFIXES_ENGLISH)} {rng.choice(names.COMPANY_ACTIVITIES_ENGLISH)}"
        company_name = company if rng.random() < 0.7 else ""
        phones = [mobile_phone(rng) for _ in range(1 if rng.random() < 0.8 else 2)]
        emails = [f"{latin_slug(first_latin)}.{latin_slug(last_latin)}{key}@{rng.choice(names.EMAIL_DOMAINS)}"
                  for _ in range(1 if rng.random() < 0.4 else 0)]  # fmt: skip
        yield {
            "key": key, "locale": locale, "first_name": first, "last_name": last, "company_name": company_name,
            "lead_status": _weighted(rng, LEAD_STATUSES), "phones": phones, "emails": emails,
        }  # fmt: skip


# What the business records about each party -------------------------------------------------------
def owner_candidates(users: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The users records are assigned to: sales managers, sales representatives, support agents."""
    return [user for user in users if user["role"] in OWNER_ROLES]


def profiles(
    kind: str, *, scale: float = 1.0, seed: int = DEFAULT_SEED, users: Sequence[Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Per party of ``kind``, in key order: how the business keeps it.

    ``{"key", "owner_key", "team_key", "stage", "created_at", "source", "category", "tags",
    "preferred_channel", "job_title", "size", "customer_code", "address", "landline", "website",
    "weight"}``: ``owner_key`` indexes ``users``, ``team_key`` is that user's first team; ``source``,
    ``category`` and ``tags`` index ``names.SOURCES``, ``names.CATEGORIES`` and ``names.TAGS``
    (``None`` or empty when none); ``address`` is ``{"province", "city", "street", "postal_code"}``
    or ``None``; ``job_title`` a (Persian, English) pair or ``None``; ``weight`` the number of
    interactions the party has in expectation.
    """
    assert kind in PARTY_KINDS, kind
    rng = random_stream(seed, f"{kind}-profiles")
    owners = owner_candidates(users)
    assert owners, "no user holds a role that owns records"
    stages = STAGES[kind]
    handful = handful_count(scale) if kind == "company" else 0
    category_choices = [index for index, (_, _, only) in enumerate(names.CATEGORIES) if only in ("", kind)]
    total = count({"person": "persons", "company": "companies", "lead": "leads"}[kind], scale)
    for key in range(1, total + 1):
        owner = rng.choice(owners)
        stage = _weighted(rng, stages)
        weight = rng.expovariate(1 / ACTIVITY_MEANS[stage])
        if stage == "customer" and rng.random() < HEAVY_SHARE:
            weight = rng.uniform(*HEAVY_RANGE)
        if key <= handful:
            stage, weight = "customer", rng.uniform(*HANDFUL_RANGE)
        tag_count = rng.choices((0, 1, 2), weights=(75, 20, 5))[0]
        profile: dict[str, Any] = {
            "key": key, "owner_key": owner["key"], "team_key": owner["team_keys"][0], "stage": stage,
            "created_at": _moment(rng, OLDEST_PARTY, PERIOD_END),
            "source": rng.randrange(len(names.SOURCES)) if rng.random() < 0.6 else None,
            "category": rng.choice(category_choices) if rng.random() < 0.3 else None,
            "tags": sorted(rng.sample(range(len(names.TAGS)), tag_count)),
            "preferred_channel": _weighted(rng, PREFERRED_CHANNELS),
            "job_title": rng.choice(names.JOB_TITLES) if kind != "company" and rng.random() < 0.5 else None,
            "size": _weighted(rng, COMPANY_SIZES) if kind == "company" and rng.random() < 0.8 else "",
            "customer_code": f"C-{key:07d}" if stage in ("customer", "former_customer") and kind != "lead" else "",
            "address": None, "landline": "", "website": "", "weight": weight,
        }  # fmt: skip
        if rng.random() < (0.9 if kind == "company" else 0.2 if kind == "person" else 0.0):
            profile["address"] = _address(rng)
        if kind == "company":
            province = profile["address"]["province"] if profile["address"] else "tehran"
            profile["landline"] = _landline(rng, province)
            profile["website"] = f"https://www.company{key}.example.com" if rng.random() < 0.4 else ""
        yield profile


def _address(rng: random.Random) -> dict[str, str]:
    province, city = rng.choice(names.CITIES)
    street = f"{rng.choice(names.STREETS)}، پلاک {rng.randrange(1, 400)}"
    if rng.random() < 0.5:
        street += f"، واحد {rng.randrange(1, 30)}"
    postal_code = f"{rng.randrange(1, 10)}{rng.randrange(10**9):09d}" if rng.random() < 0.7 else ""
    return {"province": province, "city": city, "street": street, "postal_code": postal_code}


def _landline(rng: random.Random, province: str) -> str:
    """A switchboard number in the province's area code, as people write it ("021-88123456")."""
    area = names.AREA_CODES.get(province, "21")
    subscriber = f"{rng.choice('2345678')}{rng.randrange(10**7):07d}"
    return rng.choice(
        (f"0{area}-{subscriber}", f"0{area} {subscriber}", f"(0{area}) {subscriber}", f"0{area}{subscriber}")
    )


def person_gender(first_name: str) -> str:
    """ "male" or "female" from the name lists (their first half are men's names), "" when unknown."""
    return _GENDERS.get(first_name.strip().translate(_PERSIAN_LETTERS), "")


_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ك": "ک"})
_GENDERS: dict[str, str] = {
    **{name: ("male" if index < len(names.PERSIAN_FIRST_NAMES) // 2 else "female")
       for index, (name, _latin) in enumerate(names.PERSIAN_FIRST_NAMES)},
    **{name: ("male" if index % 2 == 0 else "female") for index, name in enumerate(names.ENGLISH_FIRST_NAMES)},
}  # fmt: skip


# Relationships ----------------------------------------------------------------------------------
# Each type's share of the relationships, and the kinds it links.
RELATIONSHIP_SHARES: tuple[tuple[str, float, str, str], ...] = (
    ("works_at", 0.72, "person", "company"),
    ("spouse", 0.05, "person", "person"),
    ("family", 0.03, "person", "person"),
    ("referred_by", 0.08, "person", "person"),
    ("partner", 0.02, "company", "company"),
    ("supplier_of", 0.05, "company", "company"),
    ("competitor", 0.03, "company", "company"),
    ("parent_of", 0.02, "company", "company"),
)
SYMMETRIC_TYPES = frozenset(key for key, *_rest, symmetric, _f, _t in names.RELATIONSHIP_TYPES if symmetric)


def relationship_quotas(scale: float) -> dict[str, int]:
    """How many relationships of each type: the shares of ``count("relationships")``, summing to it."""
    total = count("relationships", scale)
    quotas = {key: int(total * share) for key, share, _from, _to in RELATIONSHIP_SHARES}
    quotas["works_at"] += total - sum(quotas.values())
    return quotas


def relationships(*, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``{"type", "from", "to"}``: relationship type key and party numbers, each link once.

    Mostly people working at companies (some at two, some at none); families, referrals, and
    companies supplying, competing with, partnering or owning one another. Never a party linked
    to itself, never the same link twice (a symmetric link in neither direction twice).
    """
    rng = random_stream(seed, "relationships")
    counts = customer_counts(scale)
    sizes = {"person": counts["persons"], "company": counts["companies"]}
    for key, quota in relationship_quotas(scale).items():
        from_kind, to_kind = next((f, t) for k, _share, f, t in RELATIONSHIP_SHARES if k == key)
        yield from _links(rng, key, quota, from_kind, to_kind, sizes, scale)


def _links(
    rng: random.Random, key: str, quota: int, from_kind: str, to_kind: str, sizes: Mapping[str, int], scale: float
) -> Iterator[dict[str, Any]]:
    """``quota`` links of type ``key``, spread over the parties of ``from_kind`` in order.

    Each party's number of links is drawn so that the ones left are shared by the parties left
    (a fifth of them get none), which makes the total exactly ``quota``.
    """
    sources, targets = sizes[from_kind], sizes[to_kind]
    same_kind = from_kind == to_kind
    symmetric = key in SYMMETRIC_TYPES
    if quota <= 0 or sources == 0 or targets - (1 if same_kind else 0) <= 0:
        return
    seen: set[tuple[int, int]] = set()  # symmetric pairs, lower number first
    remaining = quota
    for source in range(1, sources + 1):
        if remaining == 0:
            return
        left = sources - source + 1
        share = remaining / left
        if left > 1 and rng.random() < 0.2:
            wanted = 0
        else:
            share = share * 1.25 if left > 1 else share
            wanted = int(share) + (1 if rng.random() < share - int(share) else 0)
        wanted = min(wanted, remaining, targets - (1 if same_kind else 0), 50 if left > 1 else remaining)
        chosen: set[int] = set()
        attempts = 0
        while len(chosen) < wanted and attempts < wanted * 20 + 20:
            attempts += 1
            target = rng.randrange(1, targets + 1)
            if (same_kind and target == source) or target in chosen:
                continue
            if symmetric:
                pair = (min(source, target), max(source, target))
                if pair in seen:
                    continue
                seen.add(pair)
            chosen.add(target)
        for target in sorted(chosen):
            remaining -= 1
            yield {
                "type": key, "from": party_number(from_kind, source, scale), "to": party_number(to_kind, target, scale),
            }  # fmt: skip
