"""Running an import: checks per row, duplicates, the same file twice, a crash and its resumption."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peyvand.accounts.models import AuditEvent
from peyvand.accounts.permissions import Scope
from peyvand.contacts import sensitive
from peyvand.contacts.imports import runner
from peyvand.contacts.imports.batches import BatchWriter
from peyvand.contacts.imports.tasks import run_import_job
from peyvand.contacts.models import Address, ContactPoint, ImportJob, ImportRowError, Party, SearchTerm, Tag
from tests.contacts.factories import CustomFieldFactory, PersonFactory
from tests.contacts.import_helpers import counts, create_job, csv_bytes, importer, run_import, run_job, xlsx_bytes

pytestmark = pytest.mark.django_db

# A file as people send them: Arabic ي and ك, Persian and Arabic-Indic digits, a bad email and a bad
# national ID, an empty row, the same row twice, a second row with a known mobile, a row without a name.
MESSY = [
    "نام,نام خانوادگي,شماره همراه,ايميل,کد ملي,شهر,برچسب‌ها",
    "علي,كريمي,۰۹۱۲ ۱۲۳ ۴۵۶۷,Ali@Example.com,۰۰۸۴۵۷۵۹۴۸,تهران,VIP",
    "سارا,رضايي,٠٩١٢١٢٣٤٥٦٨,sara@example,1234567890,اصفهان,",
    ",,,,,,",
    "رضا,محمدي,123,reza@example.com,,,",
    "علي,كريمي,۰۹۱۲ ۱۲۳ ۴۵۶۷,Ali@Example.com,۰۰۸۴۵۷۵۹۴۸,تهران,VIP",
    "مريم,احمدي,0912 123 4567,maryam@example.com,,شيراز,",
    ",,09351234567,,,,",
    'نگار,صالحي,+98 935 765 4321,negar@example.com,0010350829,تبريز,"VIP, مشتری ويژه"',
]
MESSY_ERRORS = [
    (3, [{"column": "ایمیل", "field": "email", "message": "Enter a valid email address."},
         {"column": "کد ملی", "field": "national_id",
          "message": "This national ID's check digit does not match: please check it."}]),
    (5, [{"column": "شماره همراه", "field": "phone:mobile", "message": "This phone number is too short."}]),
    (8, [{"column": "نام خانوادگی", "field": "last_name", "message": "Enter a name."}]),
]  # fmt: skip
MESSY_COUNTS = {"rows": 8, "total": 8, "created": 2, "updated": 0, "unchanged": 1, "skipped": 1, "failed": 3}


def _messy(encoding: str = "utf-8", *, bom: bool = False) -> bytes:
    lines = MESSY if encoding != "cp1256" else [line.replace("ی", "ي").replace("۰", "0") for line in MESSY]
    if encoding == "cp1256":  # Excel's Persian CSV: no Persian digits in the code page
        lines = [line.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")) for line in lines]
    return csv_bytes(lines, encoding=encoding, bom=bom)


def _state() -> dict[str, Any]:
    """Everything an import may write, to compare before and after."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Party, ContactPoint, Address, SearchTerm, Tag, Party.tags.through)
    }


def _errors(job: ImportJob) -> list[tuple[int, list[dict[str, str]]]]:
    return [(error.row_number, error.errors) for error in ImportRowError.objects.filter(job=job).order_by("row_number")]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("cp1256", False), ("utf-16", False)])
def test_a_messy_file_imports_its_good_rows_and_reports_the_others(
    encoding: str, bom: bool, django_capture_on_commit_callbacks: Any
) -> None:
    # Given a messy file and someone who may create persons
    actor = importer()

    # When it is imported, skipping duplicates
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(actor, _messy(encoding, bom=bom))

    # Then the good rows are in, each once, written as the forms write them
    assert job.status == ImportJob.Status.DONE
    assert counts(job) == MESSY_COUNTS
    assert _errors(job) == MESSY_ERRORS
    ali, negar = Party.objects.order_by("pk")
    assert (ali.kind, ali.first_name, ali.last_name, ali.name) == ("person", "علی", "کریمی", "علی کریمی")
    assert sensitive.read(ali, "national_id") == "0084575948"
    assert (ali.owner, ali.created_by, ali.team) == (actor, actor, actor.teams.get())
    assert list(ali.contact_points.values_list("kind", "key", "value", "label", "is_primary")) == [
        ("email", "ali@example.com", "Ali@Example.com", "", True),
        ("phone", "+989121234567", "0912 123 4567", "mobile", True),
    ]
    assert list(ali.addresses.values_list("country", "city", "city_key", "is_primary")) == [
        ("IR", "تهران", "تهران", True)
    ]
    assert sorted(SearchTerm.objects.filter(party=ali).values_list("term", flat=True)) == ["علی", "کریمی"]
    assert sorted(ali.tags.values_list("name", flat=True)) == ["VIP"]
    assert sorted(negar.tags.values_list("name", flat=True)) == ["VIP", "مشتری ویژه"]
    assert len(ali.import_key) == 64
    # the failed rows keep their values for the report
    assert ImportRowError.objects.get(job=job, row_number=5).values == {
        "نام": "رضا",
        "نام خانوادگی": "محمدي",
        "شماره همراه": "123",
        "ایمیل": "reza@example.com",
    }
    # and the file is gone once the job is done
    job.refresh_from_db()
    assert not job.file


@pytest.mark.parametrize(
    ("on_duplicate", "first", "second"),
    [
        ("skip", MESSY_COUNTS, {**MESSY_COUNTS, "created": 0, "unchanged": 3}),
        ("update", MESSY_COUNTS, {**MESSY_COUNTS, "created": 0, "unchanged": 3}),
        # "create" makes Maryam too, though her mobile is Ali's: the second time, all three are known
        ("create", {**MESSY_COUNTS, "created": 3, "skipped": 0}, {**MESSY_COUNTS, "created": 0, "unchanged": 4,
                                                                  "skipped": 0}),
    ],
)  # fmt: skip
def test_the_same_file_twice_changes_nothing_the_second_time(
    on_duplicate: str, first: dict[str, int], second: dict[str, int]
) -> None:
    actor = importer()
    assert counts(run_import(actor, _messy(), on_duplicate=on_duplicate)) == first
    before = _state()

    job = run_import(actor, _messy(), on_duplicate=on_duplicate)

    assert _state() == before
    assert counts(job) == second


def test_a_file_imported_before_is_recognised_whatever_the_choice() -> None:
    actor = importer()
    run_import(actor, _messy())
    before = _state()

    for on_duplicate in ("skip", "update"):
        job = run_import(actor, _messy(), on_duplicate=on_duplicate)

        assert _state() == before
        assert counts(job) == {**MESSY_COUNTS, "created": 0, "unchanged": 3}


def test_batches_give_the_same_result_as_one_batch() -> None:
    actor = importer()

    job = run_import(actor, _messy(), batch_size=2)

    assert counts(job) == MESSY_COUNTS
    assert _errors(job) == MESSY_ERRORS


def test_one_audit_entry_per_batch_and_one_for_the_job() -> None:
    actor = importer()

    job = run_import(actor, _messy(), batch_size=3)

    ids = list(Party.objects.order_by("pk").values_list("pk", flat=True))
    events = AuditEvent.objects.filter(object_type__startswith="contacts.").order_by("pk")
    assert [(event.kind, event.object_type, event.changes) for event in events] == [
        ("create", "contacts.party", {"import": job.pk, "ids": [ids[0]]}),
        ("create", "contacts.party", {"import": job.pk, "ids": [ids[1]]}),
        ("create", "contacts.importjob", {
            "record_type": "person", "on_duplicate": "skip", "rows": 8, "created": 2, "updated": 0,
            "unchanged": 1, "skipped": 1, "failed": 3,
        }),
    ]  # fmt: skip


def test_a_crash_after_some_batches_then_resuming_imports_every_row_once() -> None:
    # Given a file of 25 people and a run that dies after its second batch of 5
    actor = importer()
    lines = ["First Name,Last Name,Mobile"] + [f"Person,Number {n},0912 000 {n:04d}" for n in range(25)]
    job = create_job(actor, csv_bytes(lines))
    batches = []

    def crash_after_two(current: ImportJob, outcome: object) -> None:
        batches.append(current.processed_rows)
        if len(batches) == 2:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        run_job(job, batch_size=5, on_batch=crash_after_two)

    # the two committed batches stay, and the job is still "running": its worker died
    job.refresh_from_db()
    assert (job.status, job.processed_rows, Party.objects.count()) == ("running", 10, 10)
    assert runner.claim(job.pk) is None  # its heartbeat is fresh: nobody else may take it yet

    # When its heartbeat is old enough, the task resumes it (and a second task finds nothing to do)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    assert run_import_job.call(job_id=job.pk) == "done"
    assert run_import_job.call(job_id=job.pk) == "not claimed"

    # Then every row is there exactly once
    job.refresh_from_db()
    assert counts(job) == {"rows": 25, "total": 25, "created": 25, "updated": 0, "unchanged": 0, "skipped": 0,
                           "failed": 0}  # fmt: skip
    assert sorted(Party.objects.values_list("last_name", flat=True)) == sorted(f"Number {n}" for n in range(25))
    assert ContactPoint.objects.count() == 25


def test_a_failed_job_is_started_again_from_its_checkpoint() -> None:
    from peyvand.contacts.imports import services

    actor = importer()
    lines = ["First Name,Last Name"] + [f"P,N{n}" for n in range(7)]
    job = create_job(actor, csv_bytes(lines))
    claimed = runner.claim(job.pk)
    assert claimed is not None

    def stop(current: ImportJob, outcome: object) -> None:
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        runner.run(claimed, batch_size=3, on_batch=stop)
    runner.fail(job.pk, ValueError("disk full"))
    job.refresh_from_db()
    assert (job.status, job.error, job.processed_rows) == ("failed", "ValueError: disk full", 3)

    services.import_job_start(actor=actor, job=job, enqueue=False)
    job = run_job(job, batch_size=3)

    assert counts(job)["created"] == 7
    assert Party.objects.count() == 7


def test_a_superseded_run_writes_nothing() -> None:
    actor = importer()
    job = create_job(actor, csv_bytes(["Name", "Sara Karimi"]))
    claimed = runner.claim(job.pk)
    assert claimed is not None
    writer = BatchWriter(claimed)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=1)  # another run went further

    from peyvand.contacts.imports.batches import JobSupersededError
    from peyvand.contacts.imports.rows import PreparedRow

    with pytest.raises(JobSupersededError):
        writer.write([PreparedRow(number=2, values={}, is_empty=True)], 1)
    assert Party.objects.count() == 0


def test_update_fills_in_the_matching_record() -> None:
    # Given a person known by her mobile, and a file with more about her
    actor = importer()
    sara = PersonFactory(first_name="Sara", last_name="Karimi", phones=["0912 123 4567"], owner=actor)
    content = csv_bytes([
        "First Name,Last Name,Mobile Phone,E-mail Address,Job Title,City,Tags",
        "Sara,Karimi,+98 912 123 4567,sara@example.com,Buyer,Tehran,VIP",
        "Reza,Moradi,0935 765 4321,,,,",
    ])  # fmt: skip

    job = run_import(actor, content, on_duplicate="update")

    assert counts(job) == {"rows": 2, "total": 2, "created": 1, "updated": 1, "unchanged": 0, "skipped": 0,
                           "failed": 0}  # fmt: skip
    sara.refresh_from_db()
    assert sara.job_title == "Buyer"
    assert sorted(sara.contact_points.values_list("key", "is_primary")) == [
        ("+989121234567", True),
        ("sara@example.com", True),
    ]
    assert list(sara.addresses.values_list("city", flat=True)) == ["Tehran"]
    assert list(sara.tags.values_list("name", flat=True)) == ["VIP"]
    assert Party.objects.count() == 2
    update = AuditEvent.objects.get(kind="update", object_type="contacts.party")
    assert update.changes == {"import": job.pk, "ids": [sara.pk]}

    # and the same file again changes nothing
    before = _state()
    again = run_import(actor, content, on_duplicate="update")
    assert _state() == before
    assert counts(again)["unchanged"] == 2


def test_update_needs_permission_to_change_the_match() -> None:
    from django.core.exceptions import PermissionDenied

    from tests.accounts.factories import UserFactory

    creator = importer(username="creator", actions=("view", "create"))
    with pytest.raises(PermissionDenied):
        create_job(creator, csv_bytes(["Name", "Sara Karimi"]), on_duplicate="update")

    # someone who may edit their own records only cannot update another's
    own = importer(username="own", scope=Scope.OWN)
    stranger = UserFactory(username="stranger")
    PersonFactory(first_name="Sara", last_name="Karimi", phones=["0912 123 4567"], owner=stranger)
    job = run_import(own, csv_bytes(["Name,Mobile", "Sara Karimi Nejad,09121234567"]), on_duplicate="update")

    assert counts(job)["failed"] == 1
    assert _errors(job) == [
        (2, [{"column": "Row", "field": "", "message": "This row matches a record you may not change."}])
    ]
    assert Party.objects.get().last_name == "Karimi"


def test_create_policy_makes_a_new_record_for_a_match() -> None:
    actor = importer()
    PersonFactory(phones=["0912 123 4567"])

    job = run_import(actor, csv_bytes(["Name,Mobile", "Sara Karimi,09121234567"]), on_duplicate="create")

    assert counts(job)["created"] == 1
    assert ContactPoint.objects.filter(key="+989121234567").count() == 2


def test_matches_by_national_id_email_and_company_national_id() -> None:
    actor = importer()
    PersonFactory(national_id="0084575948")
    PersonFactory(emails=["known@example.com"])
    from tests.contacts.factories import CompanyFactory

    CompanyFactory(name="Pars", company_national_id="10260014510")

    people = run_import(actor, csv_bytes(["Name,کد ملی,Email", "A B,0084575948,", "C D,,KNOWN@example.com", "E F,,"]))
    companies = run_import(actor, csv_bytes(["Company,شناسه ملی", "Pars Trading,10260014510", "Kavir,10460108920"]),
                           kind="company")  # fmt: skip

    assert (people.skipped_count, people.created_count) == (2, 1)
    assert (companies.skipped_count, companies.created_count) == (1, 1)


def test_owner_custom_fields_and_choices() -> None:
    actor = importer()
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(username="maryam", email="maryam@example.com")
    CustomFieldFactory(kind="person", key="card", label="کارت", label_en="Card", field_type="number", is_required=True)
    content = csv_bytes([
        "Name,Owner,Card,Gender,Lifecycle Stage,Birthday",
        "Sara Karimi,MARYAM@example.com,۱۲,زن,marketingqualifiedlead,1369/01/01",
        "Reza Moradi,nobody-here,3,male,customer,2000-01-01",
        "Ali Rezaei,,,m,opportunity,",
        "Neda Amini,maryam,x,f,Ex-customer,1990-02-30",
    ])  # fmt: skip

    job = run_import(actor, content)

    assert counts(job)["created"] == 1
    sara = Party.objects.get()
    assert (sara.owner, sara.custom, sara.gender, sara.lifecycle_stage) == (colleague, {"card": "12"}, "female", "lead")
    assert sensitive.read(sara, "birth_date") == dt.date(1990, 3, 21)
    assert _errors(job) == [
        (3, [{"column": "Owner", "field": "owner",
              "message": "There is no active user with this username or email to whom you may give records."}]),
        (4, [{"column": "Card", "field": "custom.card", "message": "This field is required."}]),
        (5, [{"column": "Card", "field": "custom.card", "message": "Enter a number."},
             {"column": "Lifecycle Stage", "field": "lifecycle_stage", "message": "“Ex-customer” is not one of the choices."},
             {"column": "Birthday", "field": "birth_date", "message": "This date does not exist in the calendar."}]),
    ]  # fmt: skip


def test_xlsx_and_vcard_files() -> None:
    actor = importer()
    workbook = xlsx_bytes([
        ["First Name", "Last Name", "Mobile Phone", "Birthday", "Number of Employees"],
        ["Sara", "Karimi", 9121234567, dt.datetime(1990, 3, 21), None],
    ])  # fmt: skip
    cards = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Reza Moradi\r\nN:Moradi;Reza;;;\r\nTEL;TYPE=CELL:0935 765 4321\r\n"
        b"TEL;TYPE=WORK:021 8877 6655\r\nEMAIL:reza@example.com\r\nEMAIL:r.moradi@work.example\r\n"
        b"ADR;TYPE=WORK:;;Valiasr 12;Tehran;Tehran;1966733411;Iran\r\nEND:VCARD\r\n"
    )

    sheet_job = run_import(actor, workbook, name="people.xlsx")
    card_job = run_import(actor, cards, name="contacts.vcf")

    assert (sheet_job.file_format, sheet_job.created_count, card_job.file_format, card_job.created_count) == (
        "xlsx", 1, "vcard", 1,
    )  # fmt: skip
    sara = Party.objects.get(last_name="Karimi")
    assert sensitive.read(sara, "birth_date") == dt.date(1990, 3, 21)
    assert list(sara.contact_points.values_list("key", flat=True)) == ["+989121234567"]
    reza = Party.objects.get(last_name="Moradi")
    assert sorted(reza.contact_points.values_list("kind", "key", "label")) == [
        ("email", "r.moradi@work.example", ""), ("email", "reza@example.com", ""),
        ("phone", "+982188776655", "work"), ("phone", "+989357654321", "mobile"),
    ]  # fmt: skip
    assert list(reza.addresses.values_list("province", "city", "postal_code", "country")) == [
        ("tehran", "Tehran", "1966733411", "IR")
    ]


def test_queries_per_batch_do_not_grow_with_the_rows() -> None:
    # Given batches of 5 and of 20 rows with phones, emails, an address and tags, one of each row matching
    actor = importer()
    PersonFactory(phones=["0912 999 0000"], tags=["VIP", "Wholesale"])

    def batch(size: int, offset: int) -> list[Any]:
        lines = ["First Name,Last Name,Mobile,Email,City,Tags"] + [
            f"P,N{n},0912 {n:03d} {offset:04d},p{n}.{offset}@example.com,Tehran,VIP;Wholesale" for n in range(size)
        ]
        lines.append("Known,Person,0912 999 0000,,,")
        job = create_job(actor, csv_bytes(lines))
        claimed = runner.claim(job.pk)
        assert claimed is not None
        preparer = runner.preparer_for(claimed)
        from peyvand.contacts.imports.readers import reader_for

        with reader_for(claimed.file, claimed.file_format) as reader:
            rows = [preparer.prepare(number, row) for number, row in reader.rows()]
        writer = BatchWriter(claimed)
        with CaptureQueriesContext(connection) as queries:
            writer.write(rows, len(rows))
        return queries.captured_queries

    small, large = batch(5, 1), batch(20, 2)

    assert len(small) == len(large) == 15, [query["sql"][:70] for query in large]


def test_a_resumed_update_import_does_not_update_a_record_twice() -> None:
    # Given Sara on file, and a file whose first and last rows both carry her number
    actor = importer()
    sara = PersonFactory(first_name="Sara", last_name="Old", phones=["0912 555 0000"])
    lines = ["First Name,Last Name,Mobile", "Sara,First Row,0912 555 0000"]
    lines += [f"Person,Number {n},0912 000 {n:04d}" for n in range(8)]
    lines += ["Sara,Last Row,0912 555 0000"]
    job = create_job(actor, csv_bytes(lines), on_duplicate="update")

    # When the run dies after its first batch, and is resumed
    def crash_after_one(current: ImportJob, outcome: object) -> None:
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        run_job(job, batch_size=5, on_batch=crash_after_one)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    assert run_import_job.call(job_id=job.pk) == "done"

    # Then Sara was updated once, from the first row, as a run without the crash does
    sara.refresh_from_db()
    job.refresh_from_db()
    assert sara.last_name == "First Row"
    assert (job.updated_count, job.skipped_count, job.created_count) == (1, 1, 8)
