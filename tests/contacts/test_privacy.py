"""A person's data: the export of everything Peyvand holds about them, and erasure on request.

The proof of an erasure is a scan of every text and JSON column of every table for the person's
names, phone numbers (in every stored form) and emails.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from peyvand.accounts.models import AuditEvent, RoleFieldGrant, User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import (
    ContactPoint,
    DuplicateCandidate,
    ImportJob,
    ImportRowError,
    Party,
    PartyMerge,
    Relationship,
    SearchTerm,
)
from peyvand.contacts.normalize import ContactPointIn
from peyvand.contacts.privacy_text import PersonTexts, Phone
from peyvand.contacts.registry import customer_file
from peyvand.contacts.services.merge import party_merge
from peyvand.contacts.services.parties import party_update
from peyvand.contacts.services.privacy import (
    AlreadyErasedError,
    party_erase,
    personal_data_export,
)
from peyvand.contacts.services.relationships import relationship_create
from peyvand.timeline.models import Channel, Interaction
from peyvand.timeline.services import interaction_log
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, CustomFieldFactory, PersonFactory, RelationshipTypeFactory

pytestmark = pytest.mark.django_db

FIRST, LAST, FORMER_LAST = "پروانه", "ذوالفقاری", "Zolfaghari"
PHONE, FORMER_PHONE = "0912 345 6789", "0935 111 2233"
EMAIL, FORMER_EMAIL = "Parvaneh.Z@Example.com", "pz1360@mail.ir"


@pytest.fixture
def admin() -> User:
    return UserFactory(username="privacy-admin", roles=[RoleFactory(name="Administrators", is_administrator=True)])


def _grants(scope: Scope, *actions: str) -> dict[tuple[str, str], int]:
    return {(module, action): scope for module in ("persons", "leads", "companies") for action in actions}


# The texts of a person --------------------------------------------------------------------------
def test_person_texts_find_a_name_and_a_number_however_they_were_written() -> None:
    texts = PersonTexts(names=("Sara Karimi", "علی کریمی"), words=("Sara",),
                        phones=(Phone(value="0912 345 6789", e164="+989123456789", national_number="9123456789"),),
                        emails=("sara@example.com",))  # fmt: skip

    assert texts.replace("Called SARA   karimi on +98 (912) 345-6789") == "Called [erased] on [erased]"
    assert texts.replace("تماس با علي كريمي ۰۹۱۲۳۴۵۶۷۸۹") == "تماس با [erased] [erased]"
    assert texts.replace("Mail Sara@Example.COM, ask Sarah") == "Mail [erased], ask Sarah"
    assert texts.replace("0098-912-345-6789 and 989123456789") == "[erased] and [erased]"
    assert texts.replace("order 19123456789") == "order 19123456789"
    assert texts.replace("Sara said hi", with_words=False) == "Sara said hi"


# Building a person with a long history ------------------------------------------------------------
def _rich_person(admin: User) -> tuple[Party, Party]:
    """A person with updates, contact changes, a relationship to a company, a merge, interactions and
    an import error: every place Peyvand keeps a person's texts."""
    note_field = CustomFieldFactory(key="nickname", label="لقب", label_en="Nickname")
    person = PersonFactory(actor=admin, first_name=FIRST, last_name=FORMER_LAST, phones=[FORMER_PHONE],
                           emails=[FORMER_EMAIL], tags=["VIP"], national_id="0499370899", birth_date=dt.date(1981, 3, 21),
                           addresses=[{"province": "tehran", "city": "تهران", "street": "خیابان ولیعصر، پلاک ۱۲"}],
                           custom={note_field.key: f"{FIRST} جان"}, description=f"{FIRST} {FORMER_LAST} prefers mornings")  # fmt: skip
    person = party_update(actor=admin, party=person, fields={"last_name": LAST},
                          contact_points=[ContactPointIn(kind="phone", value=PHONE),
                                          ContactPointIn(kind="email", value=EMAIL, consent="granted")])  # fmt: skip
    company = CompanyFactory(actor=admin, name="Kavir Tile", description=f"Buyer: {FIRST} {LAST}, {PHONE}")
    relationship_create(actor=admin, from_party=person, to_party=company, type=RelationshipTypeFactory(),
                        note=f"{FIRST} runs purchasing")  # fmt: skip
    duplicate = PersonFactory(actor=admin, first_name=FIRST, last_name=LAST, phones=["09123456789"])
    party_merge(actor=admin, survivor=person, merged=duplicate, choices={})
    other = PersonFactory(actor=admin, first_name="Sara", last_name="Rahimi")
    DuplicateCandidate.objects.create(first=person, second=other, kind="person", reason="name", score=70)
    channel = Channel.objects.get(key="phone")
    moment = timezone.now() - dt.timedelta(days=3)
    interaction_log(actor=admin, party=person, channel=channel, kind="call", direction="inbound", occurred_at=moment,
                    subject=f"تماس {FIRST}", content=f"{FIRST} from {PHONE} asked for a quote, mail {EMAIL}")  # fmt: skip
    Interaction.objects.create(party=person, channel=channel, occurred_at=moment, subject="pushed by the till",
                               content=f"Receipt for {FIRST} {LAST} ۰۹۱۲۳۴۵۶۷۸۹")  # fmt: skip
    interaction_log(actor=admin, party=company, channel=channel, kind="meeting", direction="outbound",
                    occurred_at=moment, subject="Visit", content=f"Met {FIRST} {LAST} and the owner")  # fmt: skip
    job = ImportJob.objects.create(user=admin, kind="person", file="imports/people.csv", file_name="people.csv",
                                   file_format="csv", file_sha256="0" * 64)  # fmt: skip
    ImportRowError.objects.create(job=job, row_number=7, values={"name": f"{FIRST} {LAST}", "mobile": "+989123456789",
                                  "email": EMAIL.lower(), "city": "تهران"},
                                  errors=[{"field": "national_id", "message": "Not valid"}])  # fmt: skip
    return Party.objects.get(pk=person.pk), company


def _needles(person_id: int) -> list[str]:
    return [FIRST, LAST, FORMER_LAST, f"{FIRST} {LAST}", f"{FIRST} {FORMER_LAST}", PHONE, "+989123456789",
            "989123456789", "9123456789", "09123456789", FORMER_PHONE, "+989351112233", "9351112233",
            EMAIL, EMAIL.lower(), FORMER_EMAIL, "0499370899"]  # fmt: skip


def _text_columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)]  # fmt: skip


def _findings(needles: list[str]) -> list[str]:
    """Every (table, column, needle) where a needle is found, in every text and JSON column of every table."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        columns = _text_columns(model)
        if not columns or not model._meta.managed:
            continue
        for row in model._base_manager.values_list(*columns):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for needle in needles:
                    if needle.casefold() in text.casefold():
                        found.append(f"{model._meta.db_table}.{column}: {needle!r} in {text[:120]!r}")
    return found


# Erasure -----------------------------------------------------------------------------------------
def test_after_an_erasure_no_table_holds_the_persons_names_phones_or_emails(admin: User) -> None:
    person, company = _rich_person(admin)
    needles = _needles(person.pk)
    assert len(_findings(needles)) > 20  # the history above really spread the person's texts around

    removed = party_erase(actor=admin, party=person, reason=f"Asked by {FIRST} {LAST} on the phone")

    assert _findings(needles) == []
    person = Party.objects.get(pk=person.pk)
    assert person.name == "[erased]"
    assert str(person) == f"Erased person #{person.pk}"
    assert person.erased_at is not None
    assert (person.first_name, person.last_name, person.national_id_hash, person.custom) == ("", "", "", {})
    assert removed["contact_points"] == 2  # the duplicate's phone was the same number
    assert removed["relationships"] == 1
    assert removed["duplicate_candidates"] == 1
    assert removed["import_rows"] == 1
    assert not ContactPoint.objects.filter(party=person).exists()
    assert not SearchTerm.objects.filter(party=person).exists()
    assert not Relationship.objects.filter(to_party=company).exists()
    assert PartyMerge.objects.get(survivor=person).merged_name == "[erased]"
    assert Interaction.objects.filter(party=person).count() == 2
    assert Party.objects.get(pk=company.pk).description == "Buyer: [erased], [erased]"
    assert ImportRowError.objects.get().values == {"name": "[erased]", "mobile": "[erased]", "email": "[erased]",
                                                   "city": "[erased]"}  # fmt: skip


def test_the_erasure_is_audited_with_who_and_why_but_without_the_name(admin: User) -> None:
    person, _company = _rich_person(admin)

    party_erase(actor=admin, party=person, reason=f"{FIRST} {LAST} asked by email")

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ERASE)
    assert (event.actor_id, event.actor_label, event.object_type, event.object_id, event.object_label) == (
        admin.pk,
        "privacy-admin",
        "contacts.party",
        str(person.pk),
        f"#{person.pk}",
    )
    assert event.changes["reason"] == "[erased] asked by email"
    assert event.changes["removed"]["contact_points"] == 2
    older = AuditEvent.objects.filter(object_type="contacts.party", object_id=str(person.pk)).exclude(pk=event.pk)
    assert set(older.values_list("object_label", flat=True)) == {"[erased]"}


def test_erasing_again_is_refused(admin: User) -> None:
    person = PersonFactory(first_name="Mina", last_name="Sadeghi")
    party_erase(actor=admin, party=person, reason="Asked in person")

    with pytest.raises(AlreadyErasedError):
        party_erase(actor=admin, party=Party.objects.get(pk=person.pk), reason="Twice")


def test_an_erasure_needs_a_reason_and_a_person(admin: User) -> None:
    person, company = PersonFactory(first_name="Mina", last_name="Sadeghi"), CompanyFactory()

    with pytest.raises(ValidationError) as error:
        party_erase(actor=admin, party=person, reason="  ")
    assert error.value.message_dict == {"reason": ["Say why this person's data is erased."]}
    with pytest.raises(ValidationError):
        party_erase(actor=admin, party=company, reason="Asked")

    assert Party.objects.get(pk=person.pk).name == "Mina Sadeghi"


def test_a_refused_erasure_changes_nothing(admin: User) -> None:
    viewer = UserFactory(roles=[RoleFactory(grants=_grants(Scope.ALL, "view", "edit", "export"))])
    person, _company = _rich_person(admin)
    before = _findings(_needles(person.pk))

    with pytest.raises(PermissionDenied):
        party_erase(actor=viewer, party=person, reason="Asked")

    assert _findings(_needles(person.pk)) == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ERASE).exists()


def test_a_failing_handler_leaves_nothing_half_erased(admin: User) -> None:
    person = PersonFactory(first_name="Mina", last_name="Sadeghi", phones=["09121112233"])

    def failing(party: Party, texts: list[str]) -> int:
        raise RuntimeError("the disk is full")

    customer_file.erasure_handlers["tests.failing"] = failing
    try:
        with pytest.raises(RuntimeError):
            party_erase(actor=admin, party=person, reason="Asked")
    finally:
        del customer_file.erasure_handlers["tests.failing"]

    person = Party.objects.get(pk=person.pk)
    assert (person.name, person.erased_at, person.contact_points.count()) == ("Mina Sadeghi", None, 1)


def test_erasure_handlers_get_every_stored_form_of_the_texts(admin: User) -> None:
    person = PersonFactory(
        first_name="Mina", last_name="Sadeghi", phones=["0912 111 2233"], emails=["mina@example.com"]
    )
    received: list[list[str]] = []

    def handler(party: Party, texts: list[str]) -> int:
        received.append(texts)
        return 0

    customer_file.erasure_handlers["tests.handler"] = handler
    try:
        party_erase(actor=admin, party=person, reason="Asked")
    finally:
        del customer_file.erasure_handlers["tests.handler"]

    assert sorted(received[0]) == sorted(["Mina Sadeghi", "Mina", "Sadeghi", "0912 111 2233", "+989121112233",
                                          "989121112233", "9121112233", "09121112233", "mina@example.com"])  # fmt: skip


# Export ------------------------------------------------------------------------------------------
def test_the_json_export_holds_every_section_with_sensitive_fields_decrypted(admin: User) -> None:
    person, _company = _rich_person(admin)

    result = personal_data_export(actor=admin, party=person, format="json")

    document = json.loads(result.content)
    assert result.file_name == f"personal-data-{person.pk}.json"
    assert document["party_id"] == person.pk
    assert document["record"]["name"] == f"{FIRST} {LAST}"
    assert document["record"]["national_id"] == "0499370899"
    assert document["record"]["birth_date"] == "1981-03-21"
    assert [(point["kind"], point["value"], point["consent"]) for point in document["contact_points"]] == [
        ("email", EMAIL, "granted"),
        ("phone", PHONE, "unknown"),
    ]
    assert document["addresses"][0]["street"] == "خیابان ولیعصر، پلاک 12"
    assert document["tags"] == [{"name": "VIP"}]
    assert document["custom_fields"][0]["label"] == "Nickname"
    assert document["custom_fields"][0]["value"] == f"{FIRST} جان"
    assert [(row["relationship"], row["other_party"]) for row in document["relationships"]] == [
        ("works at", "Kavir Tile")
    ]
    assert {row["subject"] for row in document["interactions"]} == {f"تماس {FIRST}", "pushed by the till"}
    assert "create" in {event["kind"] for event in document["audit_events"]}
    assert list(document)[-1] == "audit_events"


def test_the_csv_export_is_a_zip_of_one_csv_per_section(admin: User) -> None:
    person, _company = _rich_person(admin)

    result = personal_data_export(actor=admin, party=person, format="csv")

    archive = zipfile.ZipFile(io.BytesIO(result.content))
    names = archive.namelist()
    assert names[:6] == ["record.csv", "contact_points.csv", "addresses.csv", "tags.csv", "custom_fields.csv",
                         "relationships.csv"]  # fmt: skip
    assert names[-1] == "audit_events.csv"
    assert "interactions.csv" in names
    record = archive.read("record.csv").decode("utf-8-sig").splitlines()
    assert record[0] == "field,value"
    assert f"name,{FIRST} {LAST}" in record
    assert "national_id,0499370899" in record
    assert result.content_type == "application/zip"


def test_the_export_is_audited_on_the_person(admin: User) -> None:
    person = PersonFactory(first_name="Mina", last_name="Sadeghi")

    personal_data_export(actor=admin, party=person, format="csv")

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert (event.object_type, event.object_id, event.object_label) == (
        "contacts.party",
        str(person.pk),
        "Mina Sadeghi",
    )
    assert event.changes["filters"]["personal_data"] == "csv"


def test_an_export_without_sight_of_sensitive_fields_is_refused(admin: User) -> None:
    exporter = UserFactory(roles=[RoleFactory(grants=_grants(Scope.ALL, "view", "export"))])
    person = PersonFactory(first_name="Mina", last_name="Sadeghi")

    with pytest.raises(PermissionDenied):
        personal_data_export(actor=exporter, party=person)

    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_an_export_with_sight_of_sensitive_fields_is_allowed(admin: User) -> None:
    role = RoleFactory(grants=_grants(Scope.ALL, "view", "export"))
    for name in ("national_id", "birth_date", "income_band"):
        RoleFieldGrant.objects.create(role=role, module="persons", field=name)
    exporter = UserFactory(roles=[role])
    person = PersonFactory(first_name="Mina", last_name="Sadeghi", national_id="0499370899")

    document = json.loads(personal_data_export(actor=exporter, party=person).content)

    assert document["record"]["national_id"] == "0499370899"


def test_an_unknown_format_is_refused(admin: User) -> None:
    person = PersonFactory(first_name="Mina", last_name="Sadeghi")

    with pytest.raises(ValidationError) as error:
        personal_data_export(actor=admin, party=person, format="xml")

    assert error.value.message_dict == {"format": ["Choose JSON or CSV."]}
