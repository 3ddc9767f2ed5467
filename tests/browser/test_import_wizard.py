"""Importing a messy spreadsheet through the wizard, in Persian, and downloading the rows with errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.contacts.models import ImportJob, Party
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.browser.conftest import log_in
from tests.contacts.import_helpers import importer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Saved by Excel as "CSV" on a Persian Windows: Windows-1256, Arabic ي and ك, a bad row, an empty row.
MESSY = "\r\n".join([
    "نام,نام خانوادگي,شماره همراه,ايميل,کد ملي,شهر",
    "علي,كريمي,0912 123 4567,ali@example.com,0084575948,تهران",
    "سارا,رضايي,0912123,sara@example,1234567890,اصفهان",
    ",,,,,",
    "نگار,صالحي,+98 935 765 4321,negar@example.com,,تبريز",
]).encode("cp1256")  # fmt: skip


def test_a_persian_user_imports_a_messy_file_and_downloads_the_errors(page: Page, live_server: object,
                                                                      tmp_path: Path) -> None:  # fmt: skip
    # Given a Persian-speaking user who may create persons, and a file from Persian Excel
    importer(username="maryam", language=User.Language.PERSIAN)
    path = tmp_path / "مشتریان.csv"
    path.write_bytes(MESSY)
    base = str(live_server)
    log_in(page, base, "maryam", DEFAULT_PASSWORD)

    # When she uploads it as persons
    page.goto(f"{base}/contacts/imports/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ورود اطلاعات تازه")
    page.get_by_label("شخص").check()
    page.get_by_label("فایل:").set_input_files(str(path))
    page.get_by_role("button", name="بارگذاری و ادامه").click()

    # Then the columns are recognised and the preview shows what is wrong, in Persian
    expect(page.get_by_role("heading", level=1)).to_have_text("تطبیق ستون‌ها")
    expect(page.get_by_label("شماره همراه")).to_have_value("phone:mobile")
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("علی")  # as it will be stored: Persian letters
    expect(preview).to_contain_text("رقم کنترل این کد ملی")
    expect(preview).to_contain_text("ردیف خالی: رد شد")

    # When she leaves the city out (the preview follows at once), goes on and starts the import
    page.get_by_label("شهر").select_option("")
    expect(preview.locator("thead")).not_to_contain_text("شهر")
    page.get_by_role("button", name="ادامه", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("با رکوردهای تکراری چه شود")
    page.get_by_label("از این ردیف بگذر").check()
    page.get_by_role("button", name="شروع ورود اطلاعات").click()

    # Then the report gives the figures
    expect(page.get_by_role("heading", name="ورود اطلاعات تمام شد")).to_be_visible()
    expect(page.locator(".import-counts dd").first).to_have_text("۲")
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.failed_count) == ("done", 2, 1)
    assert sorted(Party.objects.values_list("name", flat=True)) == ["علی کریمی", "نگار صالحی"]

    # and the rows with errors download as a CSV that Excel opens as UTF-8
    with page.expect_download() as download_info:
        page.get_by_role("link", name="دریافت ردیف‌های دارای خطا (CSV)").click()
    content = Path(download_info.value.path()).read_bytes().decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == ["ردیف", "خطاها", "نام", "نام خانوادگی", "شماره همراه", "ایمیل", "کد ملی", "شهر"]
    assert rows[1][0] == "3"
    assert "شماره همراه: " in rows[1][1]
    assert "ایمیل: " in rows[1][1]
    assert "کد ملی: " in rows[1][1]
    assert rows[1][2:] == ["سارا", "رضايي", "0912123", "sara@example", "1234567890", "اصفهان"]
