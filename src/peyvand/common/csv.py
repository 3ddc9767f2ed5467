"""Writing CSV that is safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
spreadsheets skip before reading a formula) would run as a formula in Excel or LibreOffice;
every exported cell passes through :func:`neutralize`, which prefixes such a cell with an
apostrophe so it is shown as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets read a file as UTF-8 (rather than the system's code page) when it starts with this.
UTF8_BYTE_ORDER_MARK = "\ufeff"


def neutralize(value: Any) -> str:
    """The cell's text, with a leading apostrophe if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose ``write`` hands the line back, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


def stream_rows(rows: Iterable[Sequence[Any]], *, byte_order_mark: bool = True) -> Iterator[str]:
    """CSV lines of ``rows``, every cell neutralised; for a ``StreamingHttpResponse``."""
    writer = csv.writer(_Echo())
    if byte_order_mark:
        yield UTF8_BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([neutralize(cell) for cell in row])
