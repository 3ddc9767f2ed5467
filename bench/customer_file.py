"""Loading the generated customer file: persons, companies, leads, relationships and the timeline.

The services write a party in a dozen queries with an audit entry; a million that way would take
hours. The rows written here are the ones the services would write, computed with the same
functions (``normalize_text``, ``person_name``, ``search_key``, ``search_terms``,
``contact_point_keys``, ``checked_addresses``, the identifier validators), and written with
``bench.bulk``: COPY on PostgreSQL, ``executemany`` on SQLite, secondary indexes and foreign keys
built once at the end. What the timeline's services keep as interactions are logged (each party's
count, first and last contact, last activity, and its tally per channel) is written consistent
with the interactions: the figures from a first pass over the generated slots, the tallies by one
``INSERT … SELECT`` over the loaded interactions. No audit entry is written for the loaded records.

Parties get their party numbers as ids (``bench.generator.party_number``): persons first, then
companies, then leads.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.db import connection, models, transaction

from bench import bulk, generator
from bench.generator import customers, names, timeline
from peyvand.accounts.models import Team, User
from peyvand.common.identifiers import validate_company_national_id, validate_economic_code
from peyvand.common.text import normalize_text, search_key
from peyvand.contacts.models import (
    Address,
    Category,
    ContactPoint,
    CustomField,
    Party,
    Relationship,
    RelationshipType,
    SearchTerm,
    Source,
)
from peyvand.contacts.normalize import ContactPointIn, ContactPointKeys, contact_point_keys, person_name, search_terms
from peyvand.contacts.services.parties import checked_addresses, tags_by_name
from peyvand.timeline.models import Channel, ChannelTally, Interaction

PARTY_BATCH = 10_000
INTERACTION_BATCH = 100_000
CUSTOMER_CODE_FIELD = "customer_code"


class AlreadyLoadedError(RuntimeError):
    pass


@dataclass(frozen=True)
class CustomerFileSummary:
    persons: int
    companies: int
    leads: int
    contact_points: int
    relationships: int
    interactions: int
    seconds: float


def is_loaded() -> bool:
    return Party.objects.exists()


def _quiet(message: str) -> None:
    pass


@dataclass
class _Organisation:
    users: list[dict[str, Any]]
    user_pks: list[int]
    team_pks: list[int]


@dataclass
class _Reference:
    sources: list[int]
    categories: list[int]
    tags: list[int]
    relationship_types: dict[str, int]
    channels: dict[str, tuple[int, int]]  # key: (pk, cost per contact)


@dataclass
class _PartyState:
    """What later tables need of each party (index = party number - 1)."""

    created: array  # microseconds since 1970
    owners: array  # owner's user pk


def load_customer_file(
    *, scale: float, seed: int = generator.DEFAULT_SEED, progress: Callable[[str], None] = _quiet
) -> CustomerFileSummary:
    """The customer file at ``scale``, for the organisation ``bench.load.load_platform`` loaded."""
    if is_loaded():
        raise AlreadyLoadedError("The customer file is already loaded; load again with --fresh.")
    started = time.monotonic()
    organisation = _organisation(scale, seed)
    bulk.fast_session()
    reference = _reference_data()
    progress("planning the interactions")
    plan = timeline.activity_plan(scale=scale, seed=seed, users=organisation.users)
    figures = timeline.interaction_figures(plan)
    counts = customers.customer_counts(scale)
    state = _PartyState(created=array("q", bytes(8 * plan.parties)), owners=array("q", bytes(8 * plan.parties)))
    tables: list[type[models.Model]] = [Party, ContactPoint, Address, SearchTerm, Party.tags.through, Relationship,
                                        Interaction]  # fmt: skip
    with bulk.indexes_built_after(tables, progress):
        points = _load_parties(scale, seed, organisation, reference, figures, state, progress)
        relationship_count = _load_relationships(scale, seed, reference, state, progress)
        interaction_count = _load_interactions(plan, organisation, reference, progress)
    progress("counting the interactions per channel")
    # Millions of tallies: their foreign keys are checked once at the end, not row by row at commit.
    with bulk.indexes_built_after([ChannelTally], progress):
        _load_tallies()
    bulk.reset_sequence(Party)
    _analyze()
    return CustomerFileSummary(
        persons=counts["persons"], companies=counts["companies"], leads=counts["leads"], contact_points=points,
        relationships=relationship_count, interactions=interaction_count,
        seconds=round(time.monotonic() - started, 1),
    )  # fmt: skip


def _organisation(scale: float, seed: int) -> _Organisation:
    users = list(generator.users(scale=scale, seed=seed))
    by_username = dict(
        User.objects.filter(username__in=[user["username"] for user in users]).values_list("username", "pk")
    )
    if len(by_username) != len(users):
        raise RuntimeError("Load the organisation of the same scale and seed first (bench.load.load_platform).")
    team_specs = list(generator.teams(scale=scale, seed=seed))
    teams = list(Team.objects.order_by("pk").values_list("pk", "name"))
    if [name for _pk, name in teams] != [spec["name"] for spec in team_specs]:
        raise RuntimeError("The teams are not those of the benchmark organisation at this scale.")
    return _Organisation(users=users, user_pks=[by_username[user["username"]] for user in users],
                         team_pks=[pk for pk, _name in teams])  # fmt: skip


def _reference_data() -> _Reference:
    """What an administrator keeps: sources, categories, tags, relationship types, a custom field."""
    # The rows the migrations wrote are used as they are; what is missing is added.
    sources = [Source.objects.get_or_create(name_en=name_en, defaults={"name": name, "order": order})[0].pk
               for order, (name, name_en) in enumerate(names.SOURCES, start=1)]  # fmt: skip
    categories = [
        Category.objects.get_or_create(name_en=name_en, defaults={"name": name, "kind": kind, "order": order})[0].pk
        for order, (name, name_en, kind) in enumerate(names.CATEGORIES, start=1)
    ]
    by_name = {tag.name: tag.pk for tag in tags_by_name(names.TAGS)}
    tags = [by_name[normalize_text(name)] for name in names.TAGS]
    types: dict[str, int] = {}
    for order, (key, name, name_en, inverse, inverse_en, symmetric, from_kind, to_kind) in enumerate(
        names.RELATIONSHIP_TYPES, start=1
    ):
        relationship_type, _created = RelationshipType.objects.get_or_create(key=key, defaults={
            "name": name, "name_en": name_en, "inverse_name": inverse, "inverse_name_en": inverse_en,
            "is_symmetric": symmetric, "from_kind": from_kind, "to_kind": to_kind, "order": order * 10,
        })  # fmt: skip
        types[key] = relationship_type.pk
    for kind in ("person", "company"):
        CustomField.objects.get_or_create(kind=kind, key=CUSTOMER_CODE_FIELD, defaults={
            "label": "کد مشتری", "label_en": "Customer code", "field_type": CustomField.Type.TEXT, "order": 10,
        })  # fmt: skip
    channels = {channel.key: (channel.pk, channel.cost_per_contact) for channel in Channel.objects.all()}
    missing = [key for key, _share in timeline.CHANNEL_SHARES if key not in channels]
    if missing:
        raise RuntimeError(f"The timeline's default channels are missing: {missing} (run the migrations).")
    return _Reference(sources=sources, categories=categories, tags=tags, relationship_types=types, channels=channels)


# Parties ----------------------------------------------------------------------------------------
_normal = functools.lru_cache(maxsize=200_000)(normalize_text)
_search_key = functools.lru_cache(maxsize=200_000)(search_key)
_person_name = functools.lru_cache(maxsize=200_000)(person_name)


@functools.lru_cache(maxsize=200_000)
def _terms(name: str, company_name: str) -> tuple[str, ...]:
    return tuple(sorted(search_terms(name, company_name)))


def _micros(moment: dt.datetime) -> int:
    return (moment - timeline.EPOCH) // dt.timedelta(microseconds=1)


class PhoneKeys:
    """``contact_point_keys`` for phone numbers, parsing each numbering-plan prefix once.

    Parsing and formatting a number with libphonenumber takes most of a party's loading time,
    and millions of distinct numbers leave nothing to cache. But an Iranian number's keys and
    display form depend on its prefix only for their shape: the first number seen with each
    three-digit prefix is parsed, its display form kept as a pattern, and the numbers after it
    are written into that pattern. The first numbers of each prefix and one in ``check_every``
    after them are parsed as well, and any difference stops the load.
    """

    FIRST_CHECKED = 5

    def __init__(self, check_every: int = 97) -> None:
        self.check_every = check_every
        self.patterns: dict[str, str] = {}
        self.seen: dict[str, int] = {}
        self.checked = 0

    def __call__(self, point: ContactPointIn) -> Any:
        national = self._national_number(point.value)
        if national is None:
            return contact_point_keys(point)
        prefix = national[:3]
        pattern = self.patterns.get(prefix)
        if pattern is None:
            keys = contact_point_keys(point)
            pattern = self._pattern(keys.value, national)
            if pattern is None or keys.extension:
                return keys
            self.patterns[prefix] = pattern
        seen = self.seen[prefix] = self.seen.get(prefix, 0) + 1
        keys = ContactPointKeys(
            value=pattern.format(*national), key=f"+98{national}", digits=f"98{national}", national_number=national,
            extension=point.extension,
        )  # fmt: skip
        if seen <= self.FIRST_CHECKED or seen % self.check_every == 0:
            self.checked += 1
            expected = contact_point_keys(point)
            if expected != keys:
                raise AssertionError(f"phone keys differ from the services' for {point.value!r}: {keys} != {expected}")
        return keys

    @staticmethod
    def _national_number(text: str) -> str | None:
        """The ten digits of an Iranian number written with 0, +98 or 0098, or None for anything else."""
        digits = "".join(character for character in text.translate(_ASCII_DIGITS) if character.isdigit())
        if not digits.isascii() or any(character.isalpha() for character in text):
            return None
        for prefix in ("0098", "98", "0"):
            if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
                national = digits[len(prefix) :]
                return national if national[0] != "0" else None
        return None

    @staticmethod
    def _pattern(value: str, national: str) -> str | None:
        """``value`` with the national number's digits as ``{0}``…``{9}``, when it holds them in order."""
        shown = "".join(character for character in value if character.isdigit())
        if shown not in (national, f"0{national}"):
            return None
        offset = len(shown) - len(national)
        pattern, position = [], 0
        for character in value:
            if character.isdigit():
                pattern.append("0" if position < offset else f"{{{position - offset}}}")
                position += 1
            else:
                pattern.append(character.replace("{", "{{").replace("}", "}}"))
        return "".join(pattern)


_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_phone_keys = PhoneKeys()


@dataclass
class _Batch:
    parties: list[dict[str, Any]]
    points: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    tags: list[dict[str, Any]]


def _load_parties(
    scale: float, seed: int, organisation: _Organisation, reference: _Reference, figures: timeline.Figures,
    state: _PartyState, progress: Callable[[str], None],
) -> int:  # fmt: skip
    writers = {
        "parties": bulk.TableWriter(Party, with_id=True), "points": bulk.TableWriter(ContactPoint),
        "addresses": bulk.TableWriter(Address), "terms": bulk.TableWriter(SearchTerm),
        "tags": bulk.TableWriter(Party.tags.through),
    }  # fmt: skip
    users = organisation.users
    sources = {
        "person": zip(generator.persons(scale=scale, seed=seed),
                      customers.profiles("person", scale=scale, seed=seed, users=users), strict=True),
        "company": zip(generator.companies(scale=scale, seed=seed),
                       customers.profiles("company", scale=scale, seed=seed, users=users), strict=True),
        "lead": zip(generator.leads(scale=scale, seed=seed),
                    customers.profiles("lead", scale=scale, seed=seed, users=users), strict=True),
    }  # fmt: skip
    total = customers.party_total(scale)
    written = points = 0
    next_report = total // 10
    started = time.monotonic()
    for kind, pairs in sources.items():
        for chunk in _chunks(pairs, PARTY_BATCH):
            batch = _Batch([], [], [], [], [])
            for row, profile in chunk:
                number = customers.party_number(kind, row["key"], scale)
                _add_party(batch, kind, number, row, profile, organisation, reference, figures, state)
            with transaction.atomic():
                for name, writer in writers.items():
                    writer.write(getattr(batch, name))
            written += len(chunk)
            points += len(batch.points)
            if written >= next_report > 0:
                progress(f"parties: {written:,}/{total:,} ({time.monotonic() - started:.0f} s)")
                next_report += total // 10
    return points


def _add_party(
    batch: _Batch, kind: str, number: int, row: Mapping[str, Any], profile: Mapping[str, Any],
    organisation: _Organisation, reference: _Reference, figures: timeline.Figures, state: _PartyState,
) -> None:  # fmt: skip
    """The rows ``party_create`` writes for this party, with the figures its interactions give it."""
    owner = organisation.user_pks[profile["owner_key"]]
    count, first, last = figures.of(number)
    created = _micros(profile["created_at"])
    if count and created > first:
        # Nobody logs an interaction with someone unknown: the record was made that day or before.
        created = first - (number * 7919 % 720 + 1) * timeline.HOUR_US
    created_at = timeline.moment(created)
    state.created[number - 1], state.owners[number - 1] = created, owner
    job_title = profile["job_title"][0 if row.get("locale") == "fa" else 1] if profile["job_title"] else ""
    party: dict[str, Any] = {
        "id": number, "kind": kind, "lifecycle_stage": profile["stage"], "job_title": _normal(job_title),
        "source_id": reference.sources[profile["source"]] if profile["source"] is not None else None,
        "category_id": reference.categories[profile["category"]] if profile["category"] is not None else None,
        "preferred_channel": profile["preferred_channel"],
        "custom": {CUSTOMER_CODE_FIELD: profile["customer_code"]} if profile["customer_code"] else {},
        "interaction_count": count, "first_contact_at": timeline.moment(first) if count else None,
        "last_contact_at": timeline.moment(last) if count else None,
        "active_at": timeline.moment(max(created, last)) if count else created_at,
        "owner_id": owner, "team_id": organisation.team_pks[profile["team_key"]], "created_by_id": owner,
        "created_at": created_at, "updated_at": created_at, "first_name": "", "last_name": "", "company_name": "",
        "lead_status": "", "company_national_id": "", "economic_code": "", "size": "", "gender": "",
        "erased_at": None,
    }  # fmt: skip
    company_name = ""
    if kind == "company":
        party["name"] = _normal(row["name"])
        party["company_national_id"] = validate_company_national_id(row["national_id"]) if row["national_id"] else ""
        party["economic_code"] = validate_economic_code(row["economic_code"]) if row["economic_code"] else ""
        party["size"] = profile["size"]
        given = [ContactPointIn(kind="phone", value=profile["landline"], label="work")]
        if profile["website"]:
            given.append(ContactPointIn(kind="website", value=profile["website"]))
    else:
        party["first_name"], party["last_name"] = _normal(row["first_name"]), _normal(row["last_name"])
        party["name"] = _person_name(party["first_name"], party["last_name"])
        party["gender"] = customers.person_gender(row["first_name"])
        if kind == "lead":
            company_name = party["company_name"] = _normal(row["company_name"])
            party["lead_status"] = row["lead_status"]
        given = [ContactPointIn(kind="phone", value=phone, label="mobile") for phone in row["phones"]]
        given += [ContactPointIn(kind="email", value=email) for email in row["emails"]]
    party["search_key"] = _search_key(party["name"])
    batch.parties.append(party)
    primary: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for point in given:
        keys = _phone_keys(point) if point.kind == ContactPoint.Kind.PHONE else contact_point_keys(point)
        if (point.kind, keys.key) in seen:
            continue  # the same number twice in one form is one number
        seen.add((point.kind, keys.key))
        batch.points.append({
            "party_id": number, "kind": point.kind, "value": keys.value, "key": keys.key, "label": point.label,
            "network": point.network, "digits": keys.digits, "national_number": keys.national_number,
            "digits_reversed": keys.digits[::-1], "extension": keys.extension, "is_primary": point.kind not in primary,
            "consent": point.consent, "consent_at": None, "created_at": created_at, "updated_at": created_at,
        })  # fmt: skip
        primary.add(point.kind)
    if profile["address"]:
        label = Address.Label.WORK if kind == "company" else Address.Label.HOME
        for address in checked_addresses([{**profile["address"], "label": label}]):
            batch.addresses.append({**address, "party_id": number, "created_at": created_at, "updated_at": created_at})
    batch.terms.extend({"party_id": number, "term": term} for term in _terms(party["name"], company_name))
    batch.tags.extend({"party_id": number, "tag_id": reference.tags[tag]} for tag in profile["tags"])


# Relationships ----------------------------------------------------------------------------------
def _load_relationships(
    scale: float, seed: int, reference: _Reference, state: _PartyState, progress: Callable[[str], None]
) -> int:
    writer = bulk.TableWriter(Relationship)
    day = 24 * timeline.HOUR_US

    def rows(links: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        for link in links:
            source, target = link["from"], link["to"]
            # Recorded once both were known, within the following days.
            created = max(state.created[source - 1], state.created[target - 1]) + (source + target) % 30 * day
            yield {"from_party_id": source, "to_party_id": target, "type_id": reference.relationship_types[link["type"]],
                   "note": "", "created_at": timeline.moment(created), "created_by_id": state.owners[source - 1]}  # fmt: skip

    written = 0
    for chunk in _chunks(customers.relationships(scale=scale, seed=seed), INTERACTION_BATCH):
        with transaction.atomic():
            written += writer.write(rows(chunk))
    progress(f"relationships: {written:,}")
    return written


# Interactions -----------------------------------------------------------------------------------
def _load_interactions(
    plan: timeline.ActivityPlan, organisation: _Organisation, reference: _Reference, progress: Callable[[str], None]
) -> int:
    writer = bulk.TableWriter(Interaction)
    user_pks, team_pks, channels = organisation.user_pks, organisation.team_pks, reference.channels

    def rows(generated: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        for item in generated:
            channel, cost = channels[item["channel"]]
            at = item["occurred_at"]
            yield {
                "created_at": at, "updated_at": at, "owner_id": user_pks[item["owner_key"]],
                "team_id": team_pks[item["team_key"]], "party_id": item["party"], "channel_id": channel,
                "direction": item["direction"], "kind": item["kind"], "subject": item["subject"],
                "content": item["content"], "occurred_at": at, "duration_seconds": item["duration_seconds"],
                "cost": cost, "related_type_id": None, "related_id": None,
                "source_system": item["source_system"], "external_id": item["external_id"],
            }  # fmt: skip

    total = generator.count("interactions", plan.scale)
    written = 0
    next_report = total // 10
    started = time.monotonic()
    for chunk in _chunks(timeline.interactions(plan, users=organisation.users), INTERACTION_BATCH):
        with transaction.atomic():
            written += writer.write(rows(chunk))
        if written >= next_report > 0:
            progress(f"interactions: {written:,}/{total:,} ({time.monotonic() - started:.0f} s)")
            next_report += total // 10
    return written


def _load_tallies() -> None:
    """Each party's tally per channel, as the timeline keeps it: count, first and last."""
    quote = connection.ops.quote_name
    tally, interaction = quote(ChannelTally._meta.db_table), quote(Interaction._meta.db_table)
    with transaction.atomic():
        # Table names from the models, quoted; no value comes from outside.
        statement = (
            f"INSERT INTO {tally} (party_id, channel_id, count, first_at, last_at) "  # noqa: S608
            f"SELECT party_id, channel_id, COUNT(*), MIN(occurred_at), MAX(occurred_at) FROM {interaction} "
            "GROUP BY party_id, channel_id"
        )
        bulk.execute(statement)


def _analyze() -> None:
    """Statistics as a running install has them: on PostgreSQL with the visibility map autovacuum
    would have left; on SQLite as the nightly ``analyze_database`` leaves them."""
    if bulk.is_postgresql():
        bulk.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    else:
        call_command("analyze_database", stdout=io.StringIO())


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


__all__: Sequence[str] = ("AlreadyLoadedError", "CustomerFileSummary", "is_loaded", "load_customer_file")
