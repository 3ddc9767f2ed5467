"""The import wizard's pages: upload, columns with a preview, duplicates, progress, report and list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peyvand.contacts.models import ImportJob, ImportRowError, Party
from tests.contacts.import_helpers import create_job, csv_bytes, importer

pytestmark = pytest.mark.django_db

FILE = [
    "First Name,Last Name,Mobile Phone,E-mail Address,Favourite colour",
    "Sara,Karimi,0912 123 4567,sara@example.com,blue",
    '=HYPERLINK("http://x"),Moradi,12,reza@example,red',
    ",,,,",
]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, content: bytes, name: str = "people.csv", kind: str = "person") -> Any:
    return client.post(reverse("contacts:import_upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_the_wizard_from_upload_to_report(django_capture_on_commit_callbacks: Any) -> None:
    # Given someone who may create persons
    actor = importer()
    client = _client(actor)

    # When they upload a file
    response = _upload(client, csv_bytes(FILE))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:import_mapping", args=[job.pk])

    # Then the columns page shows the recognised columns and a preview with the errors rows would get
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="phone:mobile" selected>Mobile number</option>' in html
    assert 'name="column_4"' in html
    assert "This phone number is too short." in html
    assert "Enter a valid email address." in html
    assert "Empty row: skipped" in html

    # When they also import the unknown column as a tag, and preview it
    preview = client.post(response["Location"], {"column_0": "first_name", "column_1": "last_name",
                                                  "column_2": "phone:mobile", "column_3": "email",
                                                  "column_4": "tags", "preview": "1"})  # fmt: skip
    assert preview.status_code == 200
    assert '<span class="preview-target">Tags</span>' in preview.content.decode()
    job.refresh_from_db()
    assert job.mapping["Favourite colour"] == ""  # a preview saves nothing

    # and go on to the duplicates step and start
    forward = client.post(response["Location"], {"column_0": "first_name", "column_1": "last_name",
                                                  "column_2": "phone:mobile", "column_3": "email",
                                                  "column_4": "tags"})  # fmt: skip
    assert forward["Location"] == reverse("contacts:import_options", args=[job.pk])
    assert "Favourite colour" in client.get(forward["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(forward["Location"], {"on_duplicate": "skip"})
    assert started["Location"] == reverse("contacts:import_detail", args=[job.pk])

    # Then the report gives the figures and the rows with errors
    job.refresh_from_db()
    assert (job.status, job.created_count, job.failed_count, job.processed_rows) == ("done", 1, 1, 3)
    assert list(Party.objects.get().tags.values_list("name", flat=True)) == ["blue"]
    report = client.get(started["Location"]).content.decode()
    assert "The import is done" in report
    assert "This phone number is too short." in report
    assert 'hx-trigger="every 1s"' not in report

    # and the rows with errors download as CSV, formulas neutralised
    download = client.get(reverse("contacts:import_errors_csv", args=[job.pk]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(download.streaming_content).decode() == (
        "\ufeffRow,Errors,First Name,Last Name,Mobile Phone,E-mail Address,Favourite colour\r\n"
        "3,Mobile Phone: This phone number is too short.; E-mail Address: Enter a valid email address.,"
        '"\'=HYPERLINK(""http://x"")",Moradi,12,reza@example,red\r\n'
    )


def test_a_running_import_shows_a_progress_bar_polled_every_second() -> None:
    actor = importer()
    job = create_job(actor, csv_bytes(FILE))
    ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=4, processed_rows=1,
                                               heartbeat_at=timezone.now())  # fmt: skip
    client = _client(actor)

    page = client.get(reverse("contacts:import_detail", args=[job.pk])).content.decode()
    progress = client.get(reverse("contacts:import_progress", args=[job.pk]))

    assert 'hx-trigger="every 1s"' in page
    assert '<progress max="100" value="25"' in page
    assert "1 of 4 rows read" in progress.content.decode()
    assert "HX-Refresh" not in progress

    ImportJob.objects.filter(pk=job.pk).update(status="done", processed_rows=4)
    assert client.get(reverse("contacts:import_progress", args=[job.pk]))["HX-Refresh"] == "true"


def test_a_stale_running_import_is_queued_again(django_capture_on_commit_callbacks: Any) -> None:
    actor = importer()
    job = create_job(actor, csv_bytes(FILE))
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now() - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        _client(actor).get(reverse("contacts:import_progress", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.xls", b"x", "Choose a CSV, Excel (XLSX) or vCard (VCF) file."),
        ("people.xlsx", b"Name\r\nSara\r\n", "This is not an Excel (XLSX) workbook."),
        ("people.vcf", b"Name\r\nSara\r\n", "This is not a vCard file."),
        ("people.csv", b"\r\n\r\n", "The file is empty."),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_reason(name: str, content: bytes, message: str) -> None:
    response = _upload(_client(importer()), content, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_size_limit(settings: Any) -> None:
    settings.IMPORT_MAX_UPLOAD_MB = 0
    response = _upload(_client(importer()), csv_bytes(FILE))

    assert "The file is larger than 0 MB, the largest an import accepts." in response.content.decode()


def test_a_mapping_must_name_the_record_and_fill_each_field_once() -> None:
    actor = importer()
    job = create_job(actor, csv_bytes(FILE), mapping=None)
    ImportJob.objects.filter(pk=job.pk).update(status="uploaded")
    url = reverse("contacts:import_mapping", args=[job.pk])
    client = _client(actor)

    twice = client.post(url, {"column_0": "first_name", "column_1": "first_name"})
    nameless = client.post(url, {"column_2": "phone:mobile", "column_3": "email"})

    assert "“First name” is already filled from the column “First Name”." in twice.content.decode()
    assert "Choose the column that holds the name." in nameless.content.decode()


def test_only_the_record_types_one_may_create_and_update_needs_edit() -> None:
    actor = importer(modules=("persons",), actions=("view", "create"))
    client = _client(actor)

    form = client.get(reverse("contacts:import_upload")).content.decode()
    refused = _upload(client, csv_bytes(FILE), kind="company")
    _upload(client, csv_bytes(FILE))
    job = ImportJob.objects.get()
    client.post(reverse("contacts:import_mapping", args=[job.pk]), {"column_0": "first_name"})
    update = client.post(reverse("contacts:import_options", args=[job.pk]), {"on_duplicate": "update"})

    assert 'value="person"' in form
    assert 'value="company"' not in form
    assert "Select a valid choice." in refused.content.decode()
    assert "Updating existing records needs permission to change them." in update.content.decode()
    job.refresh_from_db()
    assert job.status == "uploaded"


def test_the_list_shows_ones_own_imports_in_a_fixed_number_of_queries(django_assert_num_queries: Any) -> None:
    actor = importer()
    other = importer(username="other")
    for _number in range(3):
        create_job(actor, csv_bytes(FILE))
    create_job(other, csv_bytes(FILE), name="theirs.csv")
    client = _client(actor)
    client.get(reverse("contacts:import_list"))  # the session and permission caches

    with django_assert_num_queries(7):
        page = client.get(reverse("contacts:import_list"))

    assert page.content.decode().count("people.csv") == 3
    assert "theirs.csv" not in page.content.decode()


def test_deleting_an_import_keeps_its_records(django_capture_on_commit_callbacks: Any) -> None:
    actor = importer()
    job = create_job(actor, csv_bytes(FILE))
    with django_capture_on_commit_callbacks(execute=True):
        from peyvand.contacts.imports.tasks import run_import_job

        run_import_job.call(job_id=job.pk)
    client = _client(actor)

    response = client.post(reverse("contacts:import_delete", args=[job.pk]))

    assert response["Location"] == reverse("contacts:import_list")
    assert (ImportJob.objects.count(), ImportRowError.objects.count(), Party.objects.count()) == (0, 0, 1)


def test_a_running_import_cannot_be_deleted() -> None:
    actor = importer()
    job = create_job(actor, csv_bytes(FILE))
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())

    _client(actor).post(reverse("contacts:import_delete", args=[job.pk]))

    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_the_wizard_in_persian(django_capture_on_commit_callbacks: Any) -> None:
    from peyvand.accounts.models import User

    actor = importer(language=User.Language.PERSIAN)
    client = _client(actor)
    response = _upload(client, csv_bytes(["نام,نام خانوادگی,شماره همراه", "علی,کریمی,۰۹۱۲۱۲۳"]))

    page = client.get(response["Location"]).content.decode()

    assert "شماره همراه</bdi>: این شماره تلفن معتبر نیست." in page
    assert '<html lang="fa" dir="rtl"' in page
