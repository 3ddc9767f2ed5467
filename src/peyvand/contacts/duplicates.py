"""Finding parties that look like the same customer.

Two parties of the same kind are a candidate pair when they share

- a phone number (``ContactPoint.key``, E.164: "0912 123 4567" and "+98 912 1234567" meet),
- an email address (``key``, lower-cased),
- a national ID (``Party.national_id_hash``, the keyed hash: the plain value is never read),
- a company national ID (``Party.company_national_id``), or
- a similar name (RapidFuzz ``token_sort_ratio`` of the two ``search_key`` values, at least
  :data:`NAME_THRESHOLD`) **and** the same city (``Address.city_key``) or the same company (a lead's
  ``company_name``, a person's "works at" company).

Names are never compared against everyone. A party's name is compared only with the parties that
share one of its search terms (the words of its last name for persons and leads, of its name for
companies: ``SearchTerm`` is indexed by term) and its city or company, at most
:data:`NAME_CANDIDATE_LIMIT` of them; a phone or email shared by more than
:data:`SHARED_KEY_LIMIT` parties (a switchboard, info@) says nothing about who is whom and is
skipped. So one party costs a handful of indexed queries whether there are a thousand persons or a
million.

Pairs are stored once, in ``DuplicateCandidate`` with ``first`` the lower id; a pair someone
dismissed is never opened again (the insert ignores existing pairs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q
from rapidfuzz import fuzz

from peyvand.common.text import search_key
from peyvand.contacts.models import Address, ContactPoint, DuplicateCandidate, Party, Relationship, SearchTerm
from peyvand.contacts.normalize import search_terms

# token_sort_ratio (0–100) from which two names are "similar". 85 joins spelling variants and a
# typo or two in a full name ("Sara Karimi" / "Sarah Karimi" 96, "Ali Rezaei" / "Ali Rezaie" 90)
# and keeps apart names that share only one word ("Sara Karimi" / "Sara Kamali" 73).
NAME_THRESHOLD = 85
# How many parties one name is compared with, at most.
NAME_CANDIDATE_LIMIT = 300
# A phone or email on more parties than this is shared (a switchboard), not a sign of a duplicate.
SHARED_KEY_LIMIT = 10
# The relationship type whose companies count as "the same company" of two persons.
WORKS_AT = "works_at"

Reason = DuplicateCandidate.Reason
# When one pair matches for several reasons, the strongest is the one recorded.
_STRENGTH: list[str] = [Reason.NATIONAL_ID, Reason.COMPANY_NATIONAL_ID, Reason.PHONE, Reason.EMAIL, Reason.NAME]


@dataclass(frozen=True)
class Match:
    first_id: int
    second_id: int
    kind: str
    reason: str
    score: int


def name_score(first: str, second: str) -> int:
    """How alike two names are, 0–100, compared in search-key form (letters, case, digits folded)."""
    return round(fuzz.token_sort_ratio(search_key(first), search_key(second)))


def find_duplicates_of(party_ids: Iterable[int]) -> int:
    """Look for duplicates of these parties and store new pairs; how many pairs were new.

    Idempotent: running it again finds the same pairs and adds none.
    """
    parties = list(
        Party.objects.filter(pk__in=list(party_ids), erased_at__isnull=True).only(
            "pk", "kind", "search_key", "last_name", "company_name", "national_id_hash", "company_national_id"
        )
    )
    if not parties:
        return 0
    matches = [*_same_keys(parties), *_same_identifiers(parties)]
    for party in parties:
        matches.extend(_similar_names(party))
    return store(matches)


def find_duplicates_of_party(party: Party) -> int:
    """The same for one party just written: what ``party_create`` and ``party_update`` call."""
    if party.erased_at is not None:
        return 0
    return store([*_same_keys([party]), *_same_identifiers([party]), *_similar_names(party)])


def store(matches: Sequence[Match]) -> int:
    """Insert the strongest match of each pair; pairs already stored (open or dismissed) are left as they are."""
    best: dict[tuple[int, int], Match] = {}
    for match in matches:
        key = (match.first_id, match.second_id)
        current = best.get(key)
        if current is None or (_STRENGTH.index(match.reason), -match.score) < (
            _STRENGTH.index(current.reason), -current.score
        ):  # fmt: skip
            best[key] = match
    if not best:
        return 0
    existing = set(
        DuplicateCandidate.objects.filter(
            first_id__in={first for first, _second in best}, second_id__in={second for _first, second in best}
        ).values_list("first_id", "second_id")
    )
    rows = [
        DuplicateCandidate(
            first_id=match.first_id, second_id=match.second_id, kind=match.kind, reason=match.reason, score=match.score
        )
        for key, match in best.items()
        if key not in existing
    ]
    DuplicateCandidate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _pair(kind: str, one: int, other: int, reason: str, score: int = 100) -> Match:
    first, second = sorted((one, other))
    return Match(first_id=first, second_id=second, kind=kind, reason=reason, score=score)


def _same_keys(parties: Sequence[Party]) -> list[Match]:
    """Pairs sharing a phone or an email: three queries for the whole batch."""
    ids = [party.pk for party in parties]
    kinds = {party.pk: party.kind for party in parties}
    points = ContactPoint.objects.filter(
        party_id__in=ids, kind__in=(ContactPoint.Kind.PHONE, ContactPoint.Kind.EMAIL)
    ).values_list("party_id", "kind", "key")
    wanted: dict[tuple[str, str], set[int]] = defaultdict(set)
    for party_id, point_kind, key in points:
        wanted[(point_kind, key)].add(party_id)
    if not wanted:
        return []
    kinds_and_keys = ContactPoint.objects.filter(
        kind__in=(ContactPoint.Kind.PHONE, ContactPoint.Kind.EMAIL), key__in={key for _kind, key in wanted}
    )
    shared = {
        (row["kind"], row["key"])
        for row in kinds_and_keys.values("kind", "key")
        .annotate(holders=Count("pk"))
        .filter(holders__gt=SHARED_KEY_LIMIT)
    }
    keys = {key for point_key in wanted if point_key not in shared for key in point_key[1:]}
    holders: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    rows = ContactPoint.objects.filter(
        kind__in=(ContactPoint.Kind.PHONE, ContactPoint.Kind.EMAIL), key__in=keys, party__erased_at__isnull=True
    ).values_list("party_id", "kind", "key", "party__kind")
    for party_id, point_kind, key, party_kind in rows if keys else ():
        holders[(point_kind, key)].append((party_id, party_kind))
    matches: list[Match] = []
    for point_key, party_ids in wanted.items():
        found = holders.get(point_key, [])
        reason = Reason.PHONE if point_key[0] == ContactPoint.Kind.PHONE else Reason.EMAIL
        for party_id in party_ids:
            matches.extend(
                _pair(kinds[party_id], party_id, other, reason)
                for other, other_kind in found
                if other != party_id and other_kind == kinds[party_id]
            )
    return matches


def _same_identifiers(parties: Sequence[Party]) -> list[Match]:
    """Pairs with the same national ID (by its keyed hash) or company national ID: one query."""
    hashes = {party.national_id_hash: party for party in parties if party.national_id_hash}
    company_ids = {party.company_national_id: party for party in parties if party.company_national_id}
    if not hashes and not company_ids:
        return []
    condition = Q()
    if hashes:
        condition |= Q(national_id_hash__in=list(hashes))
    if company_ids:
        condition |= Q(company_national_id__in=list(company_ids))
    rows = Party.objects.filter(condition, erased_at__isnull=True).values_list(
        "pk", "kind", "national_id_hash", "company_national_id"
    )[: (SHARED_KEY_LIMIT + 1) * (len(hashes) + len(company_ids))]
    matches: list[Match] = []
    for pk, kind, national_id_hash, company_national_id in rows:
        for value, reason, index in (
            (national_id_hash, Reason.NATIONAL_ID, hashes),
            (company_national_id, Reason.COMPANY_NATIONAL_ID, company_ids),
        ):
            party = index.get(value) if value else None
            if party is not None and party.pk != pk and party.kind == kind:
                matches.append(_pair(kind, party.pk, pk, reason))
    return matches


def _blocking_terms(party: Party) -> set[str]:
    """The words whose sharers are worth comparing: the last name's for persons and leads."""
    if party.kind != Party.Kind.COMPANY and party.last_name:
        terms = search_terms(party.last_name)
        if terms:
            return terms
    return search_terms(party.name if party.name else party.search_key)


def _similar_names(party: Party) -> list[Match]:
    """Pairs of similar names in the same city or company: at most three queries."""
    terms = _blocking_terms(party)
    if not terms:
        return []
    sharing = Party.objects.filter(kind=party.kind, erased_at__isnull=True).exclude(pk=party.pk)
    sharing = sharing.filter(pk__in=SearchTerm.objects.filter(term__in=terms).values("party_id"))
    blocks: list[Q] = []
    cities = list(Address.objects.filter(party=party).exclude(city_key="").values_list("city_key", flat=True))
    if cities:
        blocks.append(Q(pk__in=Address.objects.filter(city_key__in=cities).values("party_id")))
    if party.kind == Party.Kind.LEAD and party.company_name:
        # Not indexed, but read only among the few parties that share a word of the name.
        blocks.append(Q(company_name__iexact=party.company_name))
    if party.kind == Party.Kind.PERSON:
        companies = list(
            Relationship.objects.filter(from_party=party, type__key=WORKS_AT).values_list("to_party_id", flat=True)
        )
        if companies:
            blocks.append(
                Q(
                    pk__in=Relationship.objects.filter(to_party_id__in=companies, type__key=WORKS_AT).values(
                        "from_party_id"
                    )
                )
            )
    if not blocks:
        return []
    condition = blocks[0]
    for block in blocks[1:]:
        condition |= block
    rows = sharing.filter(condition).values_list("pk", "search_key")[:NAME_CANDIDATE_LIMIT]
    matches = []
    for pk, other_key in rows:
        score = name_score(party.search_key, other_key)
        if score >= NAME_THRESHOLD:
            matches.append(_pair(party.kind, party.pk, pk, Reason.NAME, score))
    return matches
