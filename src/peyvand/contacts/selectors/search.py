"""Finding persons, companies and leads from one search box: names, phones, emails, identifiers.

What was typed decides which lookups run, and each is one indexed query:

- a name: names that begin with all that was typed first (one range of the name index, so two
  common words typed in order are found at once); then every word typed must begin some word of
  the name (``SearchTerm`` range scans, both sides normalised with ``search_key``), driven from
  the rarest word and bounded, so a prefix thousands of names share ("شرکت", "mo") costs the same
  as a rare one;
- digits: the end of a phone number (``ContactPoint.digits_reversed``, from 4 digits), a whole
  number exactly, a company national ID exactly, and — only for roles granted the field — a
  personal national ID exactly, through its keyed hash;
- something like an email address: the beginning of the address.

Everything is narrowed to what the actor may see (``contacts.access``). A hit says what matched (the
phone or email shown) and never carries a sensitive value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from peyvand.common.identifiers import InvalidIdentifier, validate_company_national_id, validate_national_id
from peyvand.common.phones import InvalidPhoneNumber, parse_phone, phone_search_digits
from peyvand.common.text import normalize_text, search_key, to_ascii_digits
from peyvand.contacts.access import can_see_sensitive, party_filter
from peyvand.contacts.models import ContactPoint, Party, SearchTerm
from peyvand.contacts.normalize import TERM_LENGTH, prefix_upper_bound, text_upper_bound
from peyvand.contacts.sensitive import national_id_lookup

if TYPE_CHECKING:
    from peyvand.contacts.access import Actor

QUERY_MAX_LENGTH = 100
LIMIT_MAX = 50
PHONE_MIN_DIGITS = 4
EMAIL_MIN_LENGTH = 3
# How many index entries of the driving word a name search reads at most. Exact words sort first
# in the index, so they are never crowded out; a prefix shared by more names than this is narrowed
# by typing on.
NAME_SCAN_LIMIT = 1000
# What a search shows of a party: nothing sensitive is even read.
# erased_at is read by str(party): without it each hit shown would cost a query.
PARTY_COLUMNS = ("id", "kind", "name", "search_key", "company_name", "job_title", "lifecycle_stage", "owner_id",
                 "team_id", "erased_at")  # fmt: skip

_PHONE_TEXT = re.compile(r"[+\d\s().\-/]+")
_EMAIL_TEXT = re.compile(r"[a-z0-9._%+\-@]+")


class Matched(models.TextChoices):
    NAME = "name", "name"
    PHONE = "phone", "phone"
    EMAIL = "email", "email"
    NATIONAL_ID = "national_id", "national_id"
    COMPANY_NATIONAL_ID = "company_national_id", "company_national_id"


@dataclass(frozen=True)
class PartyHit:
    """A party found, and what of it matched: ``matched_value`` is the phone or email as stored for
    display (or a company national ID); empty for a name or a personal national ID."""

    party: Party
    matched: Matched
    matched_value: str = ""


def party_search(*, actor: Actor, query: str, limit: int = 8, kinds: Iterable[str] | None = None) -> list[PartyHit]:
    """The parties of ``kinds`` (all three by default) ``actor`` may see that ``query`` finds, best first.

    Identifier and phone matches come before email matches, which come before name matches; each
    party appears once. At most ``limit`` hits (capped at ``LIMIT_MAX``).
    """
    chosen = list(Party.Kind.values) if kinds is None else [kind for kind in Party.Kind.values if kind in set(kinds)]
    assert kinds is None or set(kinds) <= set(Party.Kind.values), kinds
    limit = max(1, min(limit, LIMIT_MAX))
    text = normalize_text(query)[:QUERY_MAX_LENGTH]
    visible = _visible_condition(actor, chosen)
    visible_points = _visible_condition(actor, chosen, prefix="party__")
    if not text or visible is None or visible_points is None:
        return []
    hits: dict[int, PartyHit] = {}

    def add(found: Iterable[PartyHit]) -> None:
        for hit in found:
            if hit.party.pk not in hits and len(hits) < limit:
                hits[hit.party.pk] = hit

    digits_only = _PHONE_TEXT.fullmatch(to_ascii_digits(text)) is not None
    digits = "".join(character for character in to_ascii_digits(text) if character.isdigit())
    if digits_only:
        add(_by_national_id(actor, digits, chosen, visible))
        add(_by_company_national_id(digits, chosen, visible))
        if len(digits) >= PHONE_MIN_DIGITS:
            add(_by_phone(text, visible_points, limit))
    email_prefix = text.lower()
    if len(email_prefix) >= EMAIL_MIN_LENGTH and _EMAIL_TEXT.fullmatch(email_prefix) and not digits_only:
        add(_by_email(email_prefix, visible_points, limit))
    # Digits enough for a phone, or an "@", say what was typed is not a name.
    if not (digits_only and len(digits) >= PHONE_MIN_DIGITS) and "@" not in text:
        add(_by_name(text, visible, limit))
    return list(hits.values())


def clean_kinds(text: str) -> list[str] | None:
    """``"person,company"`` → ["person", "company"]; empty → None (every kind); else ``ValidationError``."""
    kinds = [kind.strip() for kind in text.split(",") if kind.strip()]
    unknown = sorted(set(kinds) - set(Party.Kind.values))
    if unknown:
        message = _("Unknown record type: %(kinds)s. Use person, company or lead.") % {"kinds": ", ".join(unknown)}
        raise ValidationError({"kinds": [message]})
    return kinds or None


def _visible_condition(actor: Actor, kinds: Sequence[str], prefix: str = "") -> Q | None:
    """The condition for the parties of ``kinds`` the actor may see; ``None`` when there are none."""
    combined: Q | None = None
    for kind in kinds:
        condition = party_filter(actor, kind=kind, prefix=prefix)
        if condition is not None:
            combined = condition if combined is None else combined | condition
    return combined


def _parties() -> models.QuerySet[Party]:
    return Party.objects.only(*PARTY_COLUMNS)


# Identifiers ------------------------------------------------------------------------------------
def _by_national_id(actor: Actor, digits: str, kinds: Sequence[str], visible: Q) -> list[PartyHit]:
    """A personal national ID, only in the kinds whose national ID the actor may see."""
    granted = [kind for kind in kinds if kind != Party.Kind.COMPANY and can_see_sensitive(actor, kind, "national_id")]
    if not granted:
        return []
    try:
        national_id = validate_national_id(digits)
    except InvalidIdentifier:
        return []
    parties = _parties().filter(visible, kind__in=granted, national_id_hash=national_id_lookup(national_id))
    return [PartyHit(party, Matched.NATIONAL_ID) for party in parties.order_by("search_key", "pk")[:LIMIT_MAX]]


def _by_company_national_id(digits: str, kinds: Sequence[str], visible: Q) -> list[PartyHit]:
    if Party.Kind.COMPANY not in kinds:
        return []
    try:
        company_national_id = validate_company_national_id(digits)
    except InvalidIdentifier:
        return []
    parties = _parties().filter(visible, kind=Party.Kind.COMPANY, company_national_id=company_national_id)
    return [
        PartyHit(party, Matched.COMPANY_NATIONAL_ID, company_national_id)
        for party in parties.order_by("search_key", "pk")[:LIMIT_MAX]
    ]


# Phones and emails ------------------------------------------------------------------------------
def _by_phone(text: str, visible: Q, limit: int) -> list[PartyHit]:
    """Numbers ending with the digits typed; a whole valid number first when it is stored as such."""
    digits = phone_search_digits(text)
    if len(digits) < PHONE_MIN_DIGITS:
        return []
    try:
        e164 = parse_phone(text).e164
    except InvalidPhoneNumber:
        e164 = ""
    reversed_digits = digits[::-1]
    in_range = Q(digits_reversed__gte=reversed_digits)
    upper = prefix_upper_bound(reversed_digits)
    if upper is not None:
        in_range &= Q(digits_reversed__lt=upper)
    points = (
        ContactPoint.objects.filter(in_range, visible, kind=ContactPoint.Kind.PHONE)
        .select_related("party")
        .only("value", "key", *(f"party__{column}" for column in PARTY_COLUMNS))
        .annotate(exact=Case(When(key=e164, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("exact", "party__search_key", "pk")
    )
    return [PartyHit(point.party, Matched.PHONE, point.value) for point in points[: limit * 2]]


def _by_email(prefix: str, visible: Q, limit: int) -> list[PartyHit]:
    points = (
        ContactPoint.objects.filter(
            visible, kind=ContactPoint.Kind.EMAIL, key__gte=prefix, key__lt=text_upper_bound(prefix)
        )
        .select_related("party")
        .only("value", *(f"party__{column}" for column in PARTY_COLUMNS))
        .order_by("kind", "key", "pk")
    )
    return [PartyHit(point.party, Matched.EMAIL, point.value) for point in points[: limit * 2]]


# Names ------------------------------------------------------------------------------------------
def _term_range(word: str) -> Q:
    return Q(term__gte=word, term__lt=text_upper_bound(word))


def _matches_per_word(words: Sequence[str]) -> list[int]:
    """How many index entries begin with each word, counted up to ``NAME_SCAN_LIMIT``: one query."""
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    column = connection.ops.quote_name("term")
    # Only quoted names are formatted in; the words are parameters.
    bounded_count = (
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {column} >= %s AND {column} < %s LIMIT %s) AS w"  # noqa: S608
    )
    counts = ", ".join(f"{bounded_count}{index})" for index in range(len(words)))
    parameters: list[str | int] = []
    for word in words:
        parameters += [word, text_upper_bound(word), NAME_SCAN_LIMIT]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", parameters)
        row = cursor.fetchone()
    return [int(count) for count in row]


def _by_whole_name(key: str, visible: Q, limit: int) -> list[Party]:
    """Names that begin with everything typed, the exact name first: one range of ``(kind, search_key)``.

    Two common words ("محمد رضایی", "john smith") each begin thousands of names; read in the
    order they were typed, they are one short range of the name index.
    """
    exact = Case(When(search_key=key, then=Value(0)), default=Value(1), output_field=IntegerField())
    parties = _parties().filter(
        visible, search_key__gte=key, search_key__lt=text_upper_bound(key), search_key__startswith=key
    )
    return list(parties.annotate(rank=exact).order_by("rank", "search_key", "pk")[:limit])


def _by_name(text: str, visible: Q, limit: int) -> list[PartyHit]:
    key = search_key(text)
    words = list(dict.fromkeys(word[:TERM_LENGTH] for word in key.split()))
    if not words or len(key) < 2:
        return []
    found: list[Party] = []
    if len(words) > 1:
        found = _by_whole_name(key, visible, limit)
        if len(found) == limit:
            return [PartyHit(party, Matched.NAME) for party in found]
        visible &= ~Q(pk__in=[party.pk for party in found])
    # Drive from the word fewest names begin with (the longest when they tie): its index range is
    # read once, bounded, and every other word is one index probe per party found there.
    if len(words) == 1:
        driving = words[0]
    else:
        counts = _matches_per_word(words)
        driving = min(zip(counts, (-len(word) for word in words), words, strict=True))[2]
    scanned = (
        SearchTerm.objects.filter(_term_range(driving))
        .order_by("term", "party_id")
        .values("party_id")[:NAME_SCAN_LIMIT]
    )
    parties = _parties().filter(visible, pk__in=Subquery(scanned))
    for word in words:
        if word != driving:
            parties = parties.filter(Exists(SearchTerm.objects.filter(_term_range(word), party=OuterRef("pk"))))
    whole_words = Q()
    for word in words:
        whole_words &= Q(Exists(SearchTerm.objects.filter(party=OuterRef("pk"), term=word)))
    starts = Q(search_key__startswith=key)
    rank = Case(
        When(whole_words & starts, then=Value(0)),
        When(whole_words, then=Value(1)),
        When(starts, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    ranked = parties.annotate(rank=rank).order_by("rank", "search_key", "pk")[: limit - len(found)]
    return [PartyHit(party, Matched.NAME) for party in [*found, *ranked]]
