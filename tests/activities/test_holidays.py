"""Iran's holidays: the shipped file, reading and loading a file, the command and the upload page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import AuditEvent
from peyvand.activities import holidays
from peyvand.activities.models import Holiday
from tests.accounts.factories import RoleFactory, UserFactory
from tests.activities.factories import staff_member


def _file(rows: list[dict[str, object]]) -> bytes:
    return json.dumps({"holidays": rows}, ensure_ascii=False).encode()


def test_the_shipped_file_covers_1404_to_1406_with_the_fixed_holidays() -> None:
    rows = holidays.parse(holidays.DEFAULT_FILE.read_bytes())
    by_jalali = {str(jdatetime.date.fromgregorian(date=row.date)).replace("-", "/"): row for row in rows}
    for year in (1404, 1405, 1406):
        for month_day in ("01/01", "01/02", "01/03", "01/04", "01/12", "01/13", "03/14", "03/15", "11/22"):
            assert f"{year}/{month_day}" in by_jalali, f"{year}/{month_day}"
        assert f"{year}/12/29" in by_jalali  # oil nationalisation day, the last of Esfand (1403 was leap)
    # The lunar ones of 1404 as the official calendar has them
    assert by_jalali["1404/01/11"].name_en == "Eid al-Fitr"
    assert by_jalali["1404/03/16"].name_en == "Eid al-Adha"
    assert by_jalali["1404/04/15"].name_en == "Ashura"
    assert by_jalali["1404/05/23"].name_en == "Arbaeen"
    assert all(row.name_fa and row.name_en and row.is_official for row in rows)
    assert {jdatetime.date.fromgregorian(date=row.date).year for row in rows} == {1404, 1405, 1406}


@pytest.mark.django_db
def test_the_migration_loaded_the_shipped_file() -> None:
    assert Holiday.objects.count() == len(holidays.parse(holidays.DEFAULT_FILE.read_bytes()))
    assert Holiday.objects.get(date=dt.date(2025, 3, 21)).name_fa == "جشن نوروز"


def test_a_bad_file_names_every_bad_row() -> None:
    content = _file([
        {"date": "1407/01/01", "name_fa": "نوروز", "name_en": "Nowruz"},
        {"date": "1407/13/01", "name_fa": "x", "name_en": "x"},
        {"date": "1407/01/02", "name_fa": "", "name_en": "Nowruz"},
        {"date": "1407/01/01", "name_fa": "نوروز", "name_en": "Nowruz"},
        "not an object",
        {"date": "1407/01/03", "name_fa": "نوروز", "name_en": "Nowruz", "is_official": "yes"},
    ])  # fmt: skip
    with pytest.raises(holidays.HolidayFileError) as raised:
        holidays.parse(content)
    assert [row for row, _message in raised.value.errors] == [2, 3, 4, 5, 6]
    assert "“1407/13/01” is not a date" in raised.value.errors[0][1]
    with pytest.raises(holidays.HolidayFileError):
        holidays.parse(b"{not json")
    with pytest.raises(holidays.HolidayFileError):
        holidays.parse(b'{"holidays": []}')


@pytest.mark.django_db
def test_loading_replaces_the_years_the_file_covers_only() -> None:
    # Given the shipped holidays, and a file for 1405 with two days
    before_1404 = Holiday.objects.filter(date__lt=dt.date(2026, 3, 21)).count()
    rows = holidays.parse(_file([
        {"date": "1405/01/01", "name_fa": "نوروز", "name_en": "Nowruz"},
        {"date": "2026-03-22", "name_fa": "نوروز", "name_en": "Nowruz", "is_official": False},
    ]))  # fmt: skip

    # When it is loaded
    count = holidays.holidays_load(actor=None, rows=rows)

    # Then 1405 has those two days, and the other years are untouched
    assert count == 2
    in_1405 = Holiday.objects.filter(date__gte=dt.date(2026, 3, 21), date__lt=dt.date(2027, 3, 21))
    assert list(in_1405.values_list("date", "is_official")) == [
        (dt.date(2026, 3, 21), True),
        (dt.date(2026, 3, 22), False),
    ]
    assert Holiday.objects.filter(date__lt=dt.date(2026, 3, 21)).count() == before_1404
    assert Holiday.objects.filter(date__gte=dt.date(2027, 3, 21)).count() > 0


@pytest.mark.django_db
def test_the_command_loads_a_file_and_refuses_a_bad_one_whole(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_bytes(_file([{"date": "1407/01/01", "name_fa": "نوروز", "name_en": "Nowruz"}]))
    call_command("load_holidays", str(good))
    assert Holiday.objects.get(date=jdatetime.date(1407, 1, 1).togregorian()).name_en == "Nowruz"

    bad = tmp_path / "bad.json"
    bad.write_bytes(_file([{"date": "1408/01/01", "name_fa": "نوروز", "name_en": "Nowruz"}, {"date": "x"}]))
    with pytest.raises(CommandError, match="row 2"):
        call_command("load_holidays", str(bad))
    assert not Holiday.objects.filter(date=jdatetime.date(1408, 1, 1).togregorian()).exists()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_holidays", str(tmp_path / "missing.json"))


def _admin() -> Client:
    client = Client()
    client.force_login(UserFactory(roles=[RoleFactory(name="Administrators", is_administrator=True)]))
    return client


@pytest.mark.django_db
def test_an_administrator_uploads_a_newer_file_and_it_is_audited() -> None:
    client = _admin()
    upload = SimpleUploadedFile("1407.json", _file([{"date": "1407/01/01", "name_fa": "نوروز", "name_en": "Nowruz"}]))

    response = client.post(reverse("calendar:holidays"), {"file": upload})

    assert response.status_code == 302
    assert Holiday.objects.filter(date=jdatetime.date(1407, 1, 1).togregorian()).exists()
    assert AuditEvent.objects.filter(object_type="activities.holiday").count() == 1


@pytest.mark.django_db
def test_a_bad_upload_lists_its_errors_and_loads_nothing() -> None:
    client = _admin()
    count = Holiday.objects.count()
    upload = SimpleUploadedFile("bad.json", _file([
        {"date": "1407/01/01", "name_fa": "نوروز", "name_en": "Nowruz"}, {"date": "1407/02/40", "name_fa": "x", "name_en": "x"},
    ]))  # fmt: skip

    response = client.post(reverse("calendar:holidays"), {"file": upload})

    assert response.status_code == 400
    assert "Row 2:" in response.content.decode()
    assert "Nothing was loaded" in response.content.decode()
    assert Holiday.objects.count() == count
    assert client.post(reverse("calendar:holidays"), {}).status_code == 400


@pytest.mark.django_db
def test_only_administrators_open_the_holidays_page() -> None:
    client = Client()
    client.force_login(staff_member("sam"))
    assert client.get(reverse("calendar:holidays")).status_code == 403
    assert _admin().get(reverse("calendar:holidays")).status_code == 200
