"""Reading CSV, XLSX and vCard files row by row: encodings, separators, dates, several phones per card."""

from __future__ import annotations

import codecs
import datetime as dt
import io

import pytest

from peyvand.contacts.imports.readers import (
    CsvReader,
    UnreadableFile,
    VcardReader,
    XlsxReader,
    detect_delimiter,
    detect_encoding,
    format_of,
)
from tests.contacts.import_helpers import xlsx_bytes

PERSIAN = "نام,نام خانوادگی,شهر\r\nعلی,کریمی,تهران\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PERSIAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PERSIAN.encode("utf-8"), "utf-8-sig"),
        (PERSIAN.encode("utf-16"), "utf-16"),
        ("First,Last\r\nSara,Karimi\r\n".encode("utf-16-le"), "utf-16-le"),
        ("First,Last\r\nSara,Karimi\r\n".encode("utf-16-be"), "utf-16-be"),
        (PERSIAN.replace("ی", "ي").encode("cp1256"), "cp1256"),
    ],
)
def test_encoding_is_detected(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    lines = [delimiter.join(["First name", "Last name", "City"]), delimiter.join(["Sara", "Karimi, Jr.", "Tehran"])]

    assert detect_delimiter(lines) == delimiter


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_csv_rows_read_the_same_in_every_encoding(encoding: str) -> None:
    # Given the same Persian file saved as Excel or Notepad would (Windows-1256 has no Persian ی)
    text = 'نام;نام خانوادگي;شهر\r\nعلي;كريمي;تهران\r\n;;\r\nسارا;"احمدي; زاده";شيراز\r\n'

    reader = CsvReader(io.BytesIO(text.encode(encoding)))

    assert reader.headers == ["نام", "نام خانوادگی", "شهر"]
    assert list(reader.rows()) == [
        (2, {"نام": "علي", "نام خانوادگی": "كريمي", "شهر": "تهران"}),
        (3, {"نام": "", "نام خانوادگی": "", "شهر": ""}),
        (4, {"نام": "سارا", "نام خانوادگی": "احمدي; زاده", "شهر": "شيراز"}),
    ]
    assert reader.count() == 3


def test_csv_rows_after_a_checkpoint_and_unique_headers() -> None:
    data = b"Phone,Phone,,Name\r\n1,2,3,a\r\n4,5,6,b\r\n7,8,9,c\r\n"

    reader = CsvReader(io.BytesIO(data))

    assert reader.headers == ["Phone", "Phone (2)", "Column 3", "Name"]
    assert list(reader.rows(skip=2)) == [(4, {"Phone": "7", "Phone (2)": "8", "Column 3": "9", "Name": "c"})]


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UnreadableFile, match=r"The file is empty\."):
        CsvReader(io.BytesIO(b"  \r\n"))


def test_xlsx_first_sheet_values_as_text_and_dates_as_dates() -> None:
    data = xlsx_bytes([
        ["First Name", "Mobile", "Birthday", "Score", None],
        ["Sara", 9121234567, dt.datetime(1990, 3, 21), 12.5, None],
        [None, None, None, None, None],
        ["Reza", "0935 123 4567", dt.date(1985, 1, 2), 3, None],
    ])  # fmt: skip

    reader = XlsxReader(io.BytesIO(data))

    assert reader.headers == ["First Name", "Mobile", "Birthday", "Score", "Column 5"]
    assert list(reader.rows()) == [
        (2, {"First Name": "Sara", "Mobile": "9121234567", "Birthday": dt.date(1990, 3, 21), "Score": "12.5"}),
        (3, {}),
        (4, {"First Name": "Reza", "Mobile": "0935 123 4567", "Birthday": dt.date(1985, 1, 2), "Score": "3"}),
    ]
    assert list(reader.rows(skip=2)) == [
        (4, {"First Name": "Reza", "Mobile": "0935 123 4567", "Birthday": dt.date(1985, 1, 2), "Score": "3"})
    ]
    assert reader.count() == 3


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="This is not an Excel"):
        XlsxReader(io.BytesIO(b"Name,Phone\r\n"))


VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Sara Karimi
N:Karimi;Sara;;;
TEL;TYPE=CELL:+98 912 123 4567
TEL;TYPE=WORK,VOICE:021 8877 6655
TEL;TYPE=CELL:0935 765 4321
EMAIL;TYPE=INTERNET:sara@example.com
EMAIL;TYPE=INTERNET,WORK:s.karimi@pars.example
ORG:Pars Trading;Sales
TITLE:Buyer
ADR;TYPE=WORK:;;Valiasr St. 12;Tehran;Tehran;1966733411;Iran
BDAY:1990-03-21
CATEGORIES:VIP,Wholesale
NOTE:Met at the fair
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:رضا محمدی
N:محمدی;رضا;;;
TEL;VALUE=uri;TYPE=home:tel:+98-21-2222-3333
EMAIL:reza@example.com
END:VCARD
"""


def test_vcard_cards_are_rows_with_several_phones_and_emails() -> None:
    reader = VcardReader(io.BytesIO(VCARDS.encode()))

    rows = list(reader.rows())

    assert rows == [
        (1, {
            "Name": "Sara Karimi", "Given Name": "Sara", "Family Name": "Karimi", "Organization": "Pars Trading",
            "Job Title": "Buyer", "Mobile Phone": ["+98 912 123 4567", "0935 765 4321"],
            "Work Phone": ["021 8877 6655"], "E-mail": ["sara@example.com", "s.karimi@pars.example"],
            "Street": "Valiasr St. 12", "City": "Tehran", "Region": "Tehran", "Postal Code": "1966733411",
            "Country": "Iran", "Birthday": "1990-03-21", "Notes": "Met at the fair", "Categories": "VIP, Wholesale",
        }),
        (2, {"Name": "رضا محمدی", "Given Name": "رضا", "Family Name": "محمدی", "Home Phone": ["+98-21-2222-3333"],
             "E-mail": ["reza@example.com"]}),
    ]  # fmt: skip
    assert next(iter(reader.rows(skip=1)))[0] == 2
    assert reader.count() == 2


def test_format_from_the_file_name() -> None:
    assert [format_of(name) for name in ("a.CSV", "b.xlsx", "c.vcf", "d.tsv", "e.xls", "f")] == [
        "csv", "xlsx", "vcard", "csv", None, None,
    ]  # fmt: skip


def test_the_fast_reading_of_iranian_mobiles_gives_the_keys_the_forms_give() -> None:
    import random

    from bench.generator.parties import mobile_phone
    from peyvand.contacts.imports.rows import iranian_mobile_keys
    from peyvand.contacts.normalize import ContactPointIn, contact_point_keys

    rng = random.Random(7)
    texts = [mobile_phone(rng) for _ in range(3000)] + [
        "0912 123 4567", "+98 (912) 123-4567", "00989121234567", "989121234567", "9121234567", "۰۹۱۲.۱۲۳.۴۵۶۷",
        "0999 888 7777", "09981234567", "0990 123 4567", "0912 123 456", "0912 123 45678", "+1 912 123 4567",
        "021 8877 6655", "0912-abc-4567", "09121234567 ext. 12",
    ]  # fmt: skip
    fast_read = 0
    for text in texts:
        fast = iranian_mobile_keys(text)
        if fast is None:
            continue
        fast_read += 1
        assert fast == contact_point_keys(ContactPointIn(kind="phone", value=text)), text
    assert fast_read > 2900
