"""Exports of the lists: exactly the rows the user may export, safe to open, sensitive fields as granted."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.exports import party_export
from peyvand.contacts.filters import parse_filters
from peyvand.contacts.models import CustomField, Party
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import CompanyFactory, CustomFieldFactory, PersonFactory

pytestmark = pytest.mark.django_db

SENSITIVE = [("persons", "national_id"), ("persons", "birth_date"), ("persons", "income_band")]


def _user(*, export: int = Scope.ALL, sensitive: bool = False, username: str = "exporter") -> User:
    grants = {("persons", "view"): Scope.ALL, ("persons", "export"): export, ("companies", "view"): Scope.ALL}
    role = RoleFactory(grants=grants, sensitive_fields=SENSITIVE if sensitive else [])
    return UserFactory(username=username, roles=[role])


def _csv_rows(actor: User, query: str = "", sort: str = "name") -> list[list[str]]:
    filters = parse_filters(Party.Kind.PERSON, QueryDict(query))
    result = party_export(actor=actor, kind=Party.Kind.PERSON, filters=filters, sort=sort, format="csv")
    text = "".join(result.content)  # type: ignore[arg-type]
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _column(rows: list[list[str]], header: str) -> list[str]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def formula_person() -> Party:
    return PersonFactory(first_name="=HYPERLINK(\"http://evil\")", last_name="@SUM(A1)", job_title="+1 boss",
                         national_id="0499370899", birth_date=dt.date(1990, 3, 21), income_band="middle",
                         owner=None)  # fmt: skip


def test_csv_has_exactly_the_filtered_rows_in_order() -> None:
    actor = _user()
    PersonFactory(first_name="Ali", last_name="A", lifecycle_stage="customer", phones=["09121234567"])
    PersonFactory(first_name="Bita", last_name="B", lifecycle_stage="customer")
    PersonFactory(first_name="Cyrus", last_name="C", lifecycle_stage="prospect")
    CompanyFactory(name="Not a person")

    rows = _csv_rows(actor, "stage=customer", sort="-name")

    assert _column(rows, "Name") == ["Bita B", "Ali A"]
    assert _column(rows, "Lifecycle stage") == ["Customer", "Customer"]
    assert _column(rows, "Phones") == ["", "0912 123 4567"]


def test_csv_neutralises_formulas(formula_person: Party) -> None:
    rows = _csv_rows(_user())

    assert _column(rows, "First name") == ['\'=HYPERLINK("http://evil")']
    assert _column(rows, "Last name") == ["'@SUM(A1)"]
    assert _column(rows, "Job title") == ["'+1 boss"]


def test_xlsx_neutralises_formulas_and_keeps_every_cell_text(formula_person: Party) -> None:
    result = party_export(actor=_user(), kind=Party.Kind.PERSON, filters=None, sort="name", format="xlsx")

    workbook = openpyxl.load_workbook(result.content)  # type: ignore[arg-type]
    sheet = workbook.active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    first = rows[1]
    assert first[header.index("First name")] == '\'=HYPERLINK("http://evil")'
    assert first[header.index("Last name")] == "'@SUM(A1)"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_sensitive_fields_are_absent_for_a_role_not_granted_them(formula_person: Party) -> None:
    rows = _csv_rows(_user())

    assert {"National ID", "Birth date", "Income band"} & set(rows[0]) == set()
    assert "0499370899" not in repr(rows)


def test_sensitive_fields_are_decrypted_for_a_role_granted_them(formula_person: Party) -> None:
    rows = _csv_rows(_user(sensitive=True))

    assert _column(rows, "National ID") == ["0499370899"]
    assert _column(rows, "Birth date") == ["1990-03-21"]
    assert _column(rows, "Income band") == ["Middle"]


def test_the_export_scope_narrows_the_rows() -> None:
    # Given a user who sees every person but may export only their own
    actor = _user(export=Scope.OWN)
    PersonFactory(first_name="Mine", last_name="X", owner=actor)
    PersonFactory(first_name="Not mine", last_name="X")

    assert _column(_csv_rows(actor), "Name") == ["Mine X"]


def test_custom_fields_are_columns() -> None:
    CustomFieldFactory(kind=Party.Kind.PERSON, key="level", label_en="Level", field_type=CustomField.Type.CHOICE,
                       choices=[{"value": "gold", "label": "طلایی", "label_en": "Gold"}])  # fmt: skip
    CustomFieldFactory(kind=Party.Kind.PERSON, key="newsletter", label_en="Newsletter",
                       field_type=CustomField.Type.YES_NO)  # fmt: skip
    PersonFactory(first_name="A", last_name="B", custom={"level": "gold", "newsletter": True})

    rows = _csv_rows(_user())

    assert rows[0][-2:] == ["Level", "Newsletter"]
    assert rows[1][-2:] == ["Gold", "Yes"]


def test_every_export_is_recorded_with_its_filters() -> None:
    actor = _user()

    _csv_rows(actor, "stage=customer&name=&owner=me")

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert (event.actor_id, event.object_type, event.object_label) == (actor.pk, "contacts.party", "Persons")
    assert event.changes == {"filters": {"kind": "person", "format": "csv", "sort": "name",
                                         "stage": ["customer"], "owner": ["me"]}}  # fmt: skip


def test_vcard_holds_names_phones_emails_and_the_birth_date_only_when_granted() -> None:
    PersonFactory(first_name="Sara", last_name="Karimi", job_title="Buyer", phones=["0912 123 4567"],
                  emails=["sara@example.com"], tags=["VIP"], birth_date=dt.date(1990, 3, 21))  # fmt: skip

    hidden = party_export(actor=_user(), kind=Party.Kind.PERSON, filters=None, sort="name", format="vcard")
    shown = party_export(actor=_user(sensitive=True, username="trusted"), kind=Party.Kind.PERSON, filters=None,
                         sort="name", format="vcard")  # fmt: skip

    card = "".join(hidden.content)  # type: ignore[arg-type]
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    for line in ("FN:Sara Karimi", "N:Karimi;Sara;;;", "TITLE:Buyer", "TEL;TYPE=VOICE:+989121234567",
                 "EMAIL;TYPE=INTERNET:sara@example.com", "CATEGORIES:VIP"):  # fmt: skip
        assert f"\r\n{line}\r\n" in card
    assert "BDAY" not in card
    assert "\r\nBDAY:1990-03-21\r\n" in "".join(shown.content)  # type: ignore[arg-type]


def test_the_export_page_sends_a_file(client: Client) -> None:
    actor = _user()
    PersonFactory(first_name="Ali", last_name="A")
    client.force_login(actor)

    csv_response = client.get(reverse("contacts:party_export", args=["persons"]), {"format": "csv"})
    xlsx_response = client.get(reverse("contacts:party_export", args=["persons"]), {"format": "xlsx"})
    refused = client.get(reverse("contacts:party_export", args=["companies"]), {"format": "csv"})

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"].startswith('attachment; filename="persons-')
    assert "Ali A" in b"".join(csv_response.streaming_content).decode()  # type: ignore[attr-defined]
    assert xlsx_response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 2
