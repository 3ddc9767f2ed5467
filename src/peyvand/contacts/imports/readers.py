"""Reading the rows of an uploaded file, one at a time, whatever its size.

Every reader gives the column headers (made unique: a repeated header gets " (2)", an empty one
"Column 3") and then yields ``(row_number, {header: value})`` for each data row. ``row_number`` is
what the person sees in the file: the line of a spreadsheet (the header is row 1), the place of a
card in a vCard file. Values are text, a ``date`` for a date cell of a spreadsheet, or a list of
texts where a card holds several (phones, emails). Nothing is kept in memory but the current row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.utils.translation import gettext as _

from peyvand.common.text import normalize_text

RowValue = str | dt.date | list[str]
Row = dict[str, RowValue]

_SAMPLE_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t", "|")
# A cell longer than this is not a field of a customer record; csv's own limit is 128 kB.
csv.field_size_limit(1024 * 1024)


class UnreadableFile(ValueError):  # noqa: N818 - a condition the person must fix, named as they see it
    """The file is not what its name says, or is empty; ``str(error)`` is for the person."""


def detect_encoding(sample: bytes) -> str:
    """The encoding of a text file from its first bytes.

    UTF-8 with or without a byte-order mark, UTF-16 (with a mark, or without one when every other
    byte is zero), and otherwise Windows-1256, which Excel uses for Persian text saved as CSV.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 2 and sample.count(0) * 3 >= len(sample):
        # Mostly ASCII in UTF-16: the zero bytes sit at odd (little-endian) or even places.
        odd_zeros = sample[1::2].count(0)
        return "utf-16-le" if odd_zeros >= sample[0::2].count(0) else "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is not an error
    except UnicodeDecodeError:
        return "cp1256"
    return "utf-8"


def detect_delimiter(lines: list[str]) -> str:
    """The separator of a CSV file: the one that splits its first lines into the same, largest number of columns."""
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(cell.strip() for cell in row)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for count in counts if count == counts[0])
        score = counts[0] * consistent
        if score > best_score:
            best, best_score = delimiter, score
    return best


def unique_headers(raw: list[Any]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(raw, start=1):
        header = normalize_text(str(value if value is not None else "").lstrip("\ufeff"))
        if not header:
            header = _("Column %(number)s") % {"number": index}
        if header in seen:
            seen[header] += 1
            header = f"{header} ({seen[header]})"
        else:
            seen[header] = 1
        headers.append(header)
    return headers


class Reader:
    """The rows of one file; ``headers`` first, then ``rows(skip=…)``."""

    headers: list[str]

    def rows(self, *, skip: int = 0) -> Iterator[tuple[int, Row]]:
        raise NotImplementedError

    def count(self) -> int:
        """How many data rows the file holds (one more pass over it)."""
        return sum(1 for _row in self.rows())


class CsvReader(Reader):
    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        binary.seek(0)
        sample = binary.read(_SAMPLE_BYTES)
        if not sample.strip():
            raise UnreadableFile(_("The file is empty."))
        self.encoding = detect_encoding(sample)
        text = sample.decode(self.encoding, errors="ignore")
        self.delimiter = detect_delimiter(text.splitlines()[:20])
        first = next(iter(self._records()), None)
        if first is None:
            raise UnreadableFile(_("The file is empty."))
        self.headers = unique_headers(first)

    def _records(self) -> Iterator[list[str]]:
        self._binary.seek(0)
        stream = io.TextIOWrapper(
            io.BufferedReader(_Unclosable(self._binary)), encoding=self.encoding, errors="replace", newline=""
        )
        for record in csv.reader(stream, delimiter=self.delimiter):
            if record and record[0].startswith("\ufeff"):
                record[0] = record[0][1:]
            yield record

    def rows(self, *, skip: int = 0) -> Iterator[tuple[int, Row]]:
        records = self._records()
        next(records, None)  # the header
        headers = self.headers
        width = len(headers)
        for index, record in enumerate(records, start=1):
            if index <= skip:
                continue
            yield index + 1, {headers[i]: record[i] for i in range(min(width, len(record)))}

    def count(self) -> int:
        return sum(1 for _record in self._records()) - 1


class XlsxReader(Reader):
    """The first sheet of a workbook, read in openpyxl's streaming mode."""

    def __init__(self, binary: IO[bytes]) -> None:
        import zipfile

        from openpyxl import load_workbook

        binary.seek(0)
        try:
            self._book = load_workbook(binary, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise UnreadableFile(_("This is not an Excel (XLSX) workbook.")) from error
        if not self._book.worksheets:
            raise UnreadableFile(_("The file is empty."))
        self._sheet = self._book.worksheets[0]
        first = next(self._sheet.iter_rows(max_row=1, values_only=True), None)
        if first is None or all(value is None for value in first):
            raise UnreadableFile(_("The file is empty."))
        self.headers = unique_headers(list(first))

    def rows(self, *, skip: int = 0) -> Iterator[tuple[int, Row]]:
        headers = self.headers
        width = len(headers)
        for number, values in enumerate(self._sheet.iter_rows(min_row=2 + skip, values_only=True), start=2 + skip):
            row: Row = {}
            for i in range(min(width, len(values))):
                cell = _cell_value(values[i])
                if cell != "":
                    row[headers[i]] = cell
            yield number, row

    def count(self) -> int:
        # The sheet's recorded dimensions; some writers leave them out, and then the rows are counted.
        max_row = self._sheet.max_row
        return int(max_row) - 1 if max_row else super().count()


def _cell_value(value: Any) -> str | dt.date:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # A number cell: a phone or an identifier typed into a spreadsheet (a lost leading zero is
        # put back where the identifier's checks know it can be).
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return str(value).strip()


# The columns a card gives, named as Google Contacts names them so they are recognised the same way.
VCARD_HEADERS = [
    "Name", "Given Name", "Family Name", "Organization", "Job Title", "Phone", "Mobile Phone", "Work Phone",
    "Home Phone", "Fax", "E-mail", "Website", "Street", "City", "Region", "Postal Code", "Country",
    "Birthday", "Notes", "Categories",
]  # fmt: skip
_PHONE_TYPES = {"cell": "Mobile Phone", "mobile": "Mobile Phone", "work": "Work Phone", "home": "Home Phone",
                "fax": "Fax"}  # fmt: skip


class VcardReader(Reader):
    """vCard 2.1, 3.0 and 4.0 cards, one card a row; several phones and emails per card."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        binary.seek(0)
        sample = binary.read(_SAMPLE_BYTES)
        self.encoding = detect_encoding(sample)
        if "BEGIN:VCARD" not in sample.decode(self.encoding, errors="ignore").upper():
            raise UnreadableFile(_("This is not a vCard file."))
        self.headers = list(VCARD_HEADERS)

    def _text(self) -> io.TextIOWrapper:
        self._binary.seek(0)
        return io.TextIOWrapper(
            io.BufferedReader(_Unclosable(self._binary)), encoding=self.encoding, errors="replace", newline=""
        )

    def rows(self, *, skip: int = 0) -> Iterator[tuple[int, Row]]:
        import vobject

        for number, card in enumerate(vobject.readComponents(self._text(), ignoreUnreadable=True), start=1):
            if number <= skip:
                continue
            yield number, _card_row(card)

    def count(self) -> int:
        return sum(1 for line in self._text() if line.strip().upper() == "BEGIN:VCARD")


def _card_row(card: Any) -> Row:
    row: Row = {}

    def first(name: str) -> Any:
        lines = card.contents.get(name)
        return lines[0].value if lines else None

    def put(header: str, value: Any) -> None:
        text = str(value).strip() if value is not None else ""
        if text:
            row[header] = text

    put("Name", first("fn"))
    name = first("n")
    if name is not None:
        put("Given Name", " ".join(filter(None, _as_list(name.given) + _as_list(name.additional))))
        put("Family Name", " ".join(_as_list(name.family)))
    organization = first("org")
    if organization is not None:
        put("Organization", " ".join(_as_list(organization)[:1]))
    put("Job Title", first("title"))
    for line in card.contents.get("tel", []):
        types = {item.lower() for value in line.params.get("TYPE", []) for item in value.split(",")}
        header = next((_PHONE_TYPES[kind] for kind in ("cell", "mobile", "fax", "work", "home") if kind in types),
                      "Phone")  # fmt: skip
        value = str(line.value).strip().removeprefix("tel:")
        if value:
            existing = row.setdefault(header, [])
            assert isinstance(existing, list)
            existing.append(value)
    emails = [str(line.value).strip() for line in card.contents.get("email", []) if str(line.value).strip()]
    if emails:
        row["E-mail"] = emails
    urls = [str(line.value).strip() for line in card.contents.get("url", []) if str(line.value).strip()]
    if urls:
        row["Website"] = urls[0]
    address = first("adr")
    if address is not None:
        put("Street", " ".join(_as_list(address.street)))
        put("City", " ".join(_as_list(address.city)))
        put("Region", " ".join(_as_list(address.region)))
        put("Postal Code", " ".join(_as_list(address.code)))
        put("Country", " ".join(_as_list(address.country)))
    birthday = first("bday")
    if birthday:
        put("Birthday", birthday)
    put("Notes", first("note"))
    categories = first("categories")
    if categories:
        put("Categories", ", ".join(_as_list(categories)))
    return row


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item]
    return [str(value)] if value else []


class _Unclosable(io.RawIOBase):
    """The uploaded file as a raw stream a TextIOWrapper may wrap and close without closing the file."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._binary.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".vcf": "vcard", ".vcard": "vcard"}


def format_of(file_name: str) -> str | None:
    """The import format a file's name suggests, or None."""
    lowered = file_name.lower()
    return next((kind for suffix, kind in FORMATS.items() if lowered.endswith(suffix)), None)


def open_reader(binary: IO[bytes], file_format: str) -> Reader:
    """A reader of ``file_format`` ("csv", "xlsx", "vcard"); ``UnreadableFile`` when it cannot be read."""
    readers: dict[str, type[Reader]] = {"csv": CsvReader, "xlsx": XlsxReader, "vcard": VcardReader}
    return readers[file_format](binary)  # type: ignore[call-arg]


@contextmanager
def reader_for(file: Any, file_format: str) -> Iterator[Reader]:
    """Open a stored file (a FieldFile) and read it; the file is closed afterwards."""
    file.open("rb")
    try:
        yield open_reader(file, file_format)
    finally:
        file.close()
