"""The customer file's loader writes what the services would write, only faster."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from bench import bulk, customer_file, generator, load, targets
from bench.customer_file import PhoneKeys
from bench.generator import customers
from peyvand.accounts.models import User
from peyvand.contacts.models import Address, ContactPoint, Party, Relationship, SearchTerm
from peyvand.contacts.normalize import ContactPointIn, contact_point_keys
from peyvand.contacts.selectors.caller_id import caller_id_lookup
from peyvand.contacts.selectors.search import Matched, party_search
from peyvand.contacts.services.parties import party_create
from peyvand.timeline.models import ChannelTally, Interaction

SCALE = 0.0002  # 200 persons, 40 companies, 60 leads, 300 relationships, 2,000 interactions


@pytest.fixture
def loaded(db: None) -> customer_file.CustomerFileSummary:
    load.load_platform(scale=SCALE)
    return customer_file.load_customer_file(scale=SCALE)


def _snapshot(party: Party) -> tuple:
    fields = ("kind", "name", "search_key", "first_name", "last_name", "company_name", "lead_status",
              "company_national_id", "economic_code", "job_title", "custom")  # fmt: skip
    points = sorted(
        (point.kind, point.value, point.key, point.label, point.digits, point.national_number, point.digits_reversed,
         point.extension, point.is_primary, point.consent)
        for point in party.contact_points.all()
    )  # fmt: skip
    addresses = sorted(
        (address.label, address.country, address.province, address.city, address.city_key, address.street,
         address.postal_code, address.is_primary, address.consent)
        for address in party.addresses.all()
    )  # fmt: skip
    terms = sorted(party.search_terms.values_list("term", flat=True))
    tags = sorted(party.tags.values_list("name", flat=True))
    return {name: getattr(party, name) for name in fields}, points, addresses, terms, tags


def _made_by_the_services(party: Party) -> Party:
    """The same party written through ``party_create`` from what the generator gave."""
    given = [
        ContactPointIn(kind=point.kind, value=point.value, label=point.label)
        for point in party.contact_points.order_by("pk")
    ]
    fields = {name: getattr(party, name) for name in ("job_title", "custom", "lifecycle_stage")}
    if party.is_company:
        row = next(
            row
            for row in generator.companies(scale=SCALE)
            if generator.party_number("company", row["key"], SCALE) == party.pk
        )
        fields.update(name=row["name"], company_national_id=row["national_id"], economic_code=row["economic_code"])
    else:
        kind, rows = (
            ("lead", generator.leads(scale=SCALE)) if party.is_lead else ("person", generator.persons(scale=SCALE))
        )
        row = next(row for row in rows if generator.party_number(kind, row["key"], SCALE) == party.pk)
        fields.update(first_name=row["first_name"], last_name=row["last_name"])
        given = [ContactPointIn(kind="phone", value=phone, label="mobile") for phone in row["phones"]]
        given += [ContactPointIn(kind="email", value=email) for email in row["emails"]]
        if party.is_lead:
            fields.update(company_name=row["company_name"], lead_status=row["lead_status"])
    addresses = [{name: getattr(address, name) for name in ("label", "province", "city", "street", "postal_code")}
                 for address in party.addresses.order_by("pk")]  # fmt: skip
    return party_create(actor=None, kind=party.kind, fields=fields, contact_points=given, addresses=addresses,
                        tags=list(party.tags.values_list("name", flat=True)), owner=None, team=None)  # fmt: skip


def test_the_counts_are_those_of_the_scale(loaded: customer_file.CustomerFileSummary) -> None:
    assert dict(Counter(Party.objects.values_list("kind", flat=True))) == {"person": 200, "company": 40, "lead": 60}
    assert (loaded.persons, loaded.companies, loaded.leads) == (200, 40, 60)
    assert loaded.relationships == Relationship.objects.count() == 300
    assert loaded.interactions == Interaction.objects.count() == 2_000
    assert loaded.contact_points == ContactPoint.objects.count()
    assert Party.objects.aggregate(Max("pk"))["pk__max"] == generator.party_total(SCALE)


def test_persons_companies_and_leads_are_the_rows_party_create_writes(
    loaded: customer_file.CustomerFileSummary,
) -> None:
    sample = [*Party.objects.filter(kind="person").order_by("pk")[:40], *Party.objects.filter(kind="company")[:20],
              *Party.objects.filter(kind="lead")[:20]]  # fmt: skip

    for party in sample:
        assert _snapshot(party) == _snapshot(_made_by_the_services(party)), party.pk


def test_a_search_finds_a_generated_person_by_a_phone_written_otherwise(
    loaded: customer_file.CustomerFileSummary,
) -> None:
    agent = User.objects.filter(roles__name="Support agent").order_by("pk").first()
    person = Party.objects.filter(kind="person").order_by("pk").first()
    assert agent is not None
    assert person is not None
    stored = person.contact_points.filter(kind="phone", is_primary=True).get()
    typed = f"+98 {stored.national_number[:3]}-{stored.national_number[3:]}".translate(targets.PERSIAN_DIGITS)

    hits = party_search(actor=agent, query=typed)

    assert [(hit.party.pk, hit.matched, hit.matched_value) for hit in hits] == [
        (person.pk, Matched.PHONE, stored.value)
    ]
    assert [card.id for card in caller_id_lookup(actor=agent, number=f"0{stored.national_number}").cards] == [person.pk]


def test_a_search_finds_a_generated_person_by_name_whatever_the_letters(
    loaded: customer_file.CustomerFileSummary,
) -> None:
    agent = User.objects.filter(roles__name="Support agent").order_by("pk").first()
    assert agent is not None
    name = targets.persian_name()
    written_with_arabic_letters = name.replace("ی", "ي").replace("ک", "ك")

    hits = party_search(actor=agent, query=written_with_arabic_letters, limit=50)

    assert name in {hit.party.name for hit in hits}


def test_party_figures_and_channel_tallies_are_those_of_the_interactions(
    loaded: customer_file.CustomerFileSummary,
) -> None:
    actual = {
        row["party_id"]: row
        for row in Interaction.objects.values("party_id").annotate(count=Count("pk"), first=Min("occurred_at"),
                                                                   last=Max("occurred_at"))
    }  # fmt: skip
    for party in Party.objects.all():
        row = actual.get(party.pk)
        assert party.interaction_count == (row["count"] if row else 0)
        assert party.first_contact_at == (row["first"] if row else None)
        assert party.last_contact_at == (row["last"] if row else None)
        assert party.active_at == max(party.created_at, party.last_contact_at or party.created_at)
        assert party.created_at <= (party.first_contact_at or party.created_at)
    tallies = {(tally.party_id, tally.channel_id): (tally.count, tally.first_at, tally.last_at)
               for tally in ChannelTally.objects.all()}  # fmt: skip
    expected = {
        (row["party_id"], row["channel_id"]): (row["count"], row["first"], row["last"])
        for row in Interaction.objects.values("party_id", "channel_id").annotate(
            count=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at"))
    }  # fmt: skip
    assert tallies == expected


def test_interactions_use_every_channel_at_its_cost(loaded: customer_file.CustomerFileSummary) -> None:
    used = Interaction.objects.values("channel__key").distinct()

    assert {row["channel__key"] for row in used} == {key for key, _share in generator.timeline.CHANNEL_SHARES}
    assert not Interaction.objects.exclude(cost=F("channel__cost_per_contact")).exists()


def test_relationships_link_parties_of_the_kinds_their_types_allow(loaded: customer_file.CustomerFileSummary) -> None:
    for relationship in Relationship.objects.select_related("type", "from_party", "to_party"):
        assert not relationship.type.from_kind or relationship.from_party.kind == relationship.type.from_kind
        assert not relationship.type.to_kind or relationship.to_party.kind == relationship.type.to_kind
        assert relationship.created_at >= max(relationship.from_party.created_at, relationship.to_party.created_at)


def test_indexes_are_built_again_and_new_records_get_new_ids(loaded: customer_file.CustomerFileSummary) -> None:
    with connection.cursor() as cursor:
        names = {
            index
            for table in ("contacts_party", "timeline_interaction", "contacts_searchterm")
            for index in connection.introspection.get_constraints(cursor, table)
        }
    assert {"party_kind_name", "interaction_party_time", "search_term_term"} <= names

    created = party_create(actor=None, kind="person", fields={"first_name": "Sara", "last_name": "New"})

    assert created.pk == generator.party_total(SCALE) + 1
    assert SearchTerm.objects.filter(party=created).count() == 2


def test_loading_twice_is_refused(loaded: customer_file.CustomerFileSummary) -> None:
    with pytest.raises(customer_file.AlreadyLoadedError):
        customer_file.load_customer_file(scale=SCALE)

    assert Party.objects.count() == 300


def test_the_targets_of_the_scenarios_are_found(loaded: customer_file.CustomerFileSummary) -> None:
    found = targets.resolve(targets.RESOLVERS)

    busy = Party.objects.get(pk=found["busy_party"])
    assert busy.interaction_count == Party.objects.aggregate(Max("interaction_count"))["interaction_count__max"]
    assert 3 <= Party.objects.get(pk=found["quiet_party"]).interaction_count <= 10
    assert found["caller_number"].startswith("09")
    assert len(found["caller_number"]) == 11
    assert "@" in found["email"]
    assert found["phone"].startswith("+۹۸ ")


# The fast paths -------------------------------------------------------------------------------------
@pytest.mark.parametrize("scale_rows", [0.002])
def test_phone_keys_are_contact_point_keys_for_every_generated_number(db: None, scale_rows: float) -> None:
    keys = PhoneKeys(check_every=1_000_000)
    phones = [phone for person in generator.persons(scale=scale_rows) for phone in person["phones"]]
    phones += [profile["landline"] for profile in
               generator.profiles("company", scale=scale_rows, users=list(generator.users(scale=scale_rows)))]  # fmt: skip
    phones += ["+44 20 7946 0958", "021-8812 3456 داخلی ۱۲", "0912 123 4567 ext. 9"]

    for phone in phones:
        point = ContactPointIn(kind="phone", value=phone, label="mobile")
        assert keys(point) == contact_point_keys(point), phone
    assert len(keys.patterns) > 20


def test_phone_keys_stop_at_a_difference_from_the_services() -> None:
    keys = PhoneKeys(check_every=1)
    keys.patterns["912"] = "0{0}{1}{2} {3}{4}{5} {6}{7}{8}{9} (wrong)"

    with pytest.raises(AssertionError, match="differ from the services"):
        keys(ContactPointIn(kind="phone", value="09121234567"))


def test_a_table_writer_fills_defaults_and_names_what_is_missing(db: None) -> None:
    writer = bulk.TableWriter(Address)

    with pytest.raises(ValueError, match=r"no value for .*party_id"):
        list(writer.tuples([{"city": "تهران"}]))

    person = party_create(actor=None, kind="person", fields={"first_name": "Sara", "last_name": "Karimi"})
    now = timezone.now()
    written = writer.write([{"party_id": person.pk, "city": "تهران", "created_at": now, "updated_at": now}])

    address = Address.objects.get()
    assert written == 1
    assert (address.country, address.label, address.consent, address.is_primary) == ("IR", "work", "unknown", False)
    assert address.created_at == now


def test_relationship_quotas_add_up_at_every_scale() -> None:
    for scale in (0.0001, 0.001, 0.1, 1):
        assert sum(customers.relationship_quotas(scale).values()) == generator.count("relationships", scale)
