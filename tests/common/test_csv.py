"""CSV exports neutralise anything a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from peyvand.common.csv import neutralize, stream_rows


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+98 912 000 0000", "'+98 912 000 0000"),
    ("-5", "'-5"),
    ("@cmd", "'@cmd"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("سارا", "سارا"),
    ("a=b", "a=b"),
    ("", ""),
    (None, ""),
    (42, "42"),
    (-3, "'-3"),
])  # fmt: skip
def test_neutralize(value: object, expected: str) -> None:
    assert neutralize(value) == expected


def test_stream_rows_writes_csv_with_every_cell_neutralised() -> None:
    lines = list(stream_rows([["name", "note"], ["Sara, Ahmadi", '=HYPERLINK("http://x")'], ["رضا", None]]))

    assert lines[0] == "\ufeff"
    assert "".join(lines[1:]) == 'name,note\r\n"Sara, Ahmadi","\'=HYPERLINK(""http://x"")"\r\nرضا,\r\n'
    assert list(csv.reader(io.StringIO("".join(lines[1:])))) == [
        ["name", "note"], ["Sara, Ahmadi", "'=HYPERLINK(\"http://x\")"], ["رضا", ""],
    ]  # fmt: skip


def test_stream_rows_without_the_byte_order_mark() -> None:
    assert list(stream_rows([["a"]], byte_order_mark=False)) == ["a\r\n"]
