"""Rows as CSV files, for the import benchmarks."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# How CSV files spread a row's lists over numbered columns.
CSV_LIST_COLUMNS: dict[str, tuple[str, int]] = {"phones": ("phone", 3), "emails": ("email", 2)}


def write_csv(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write ``rows`` as a UTF-8 CSV file with a header; returns the number of rows.

    The columns are the first row's keys; a list (phones, emails) is spread over numbered
    columns (``phone_1`` … ``phone_3``). Cells are written as typed: a CSV for an import
    benchmark must hold what people's files hold, ``+98…`` included.
    """
    iterator = iter(rows)
    first = next(iterator, None)
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="") as file:
        if first is None:
            return 0
        header: list[str] = []
        for key, value in first.items():
            if isinstance(value, list | tuple):
                column, width = CSV_LIST_COLUMNS[key]
                header.extend(f"{column}_{number}" for number in range(1, width + 1))
            else:
                header.append(key)
        writer = csv.writer(file)
        writer.writerow(header)
        for record in itertools.chain([first], iterator):
            writer.writerow(_csv_cells(record))
            written += 1
    return written


def _csv_cells(row: Mapping[str, Any]) -> list[str]:
    cells: list[str] = []
    for key, value in row.items():
        if isinstance(value, list | tuple):
            width = CSV_LIST_COLUMNS[key][1]
            if len(value) > width:
                raise ValueError(f"{key} has {len(value)} items; the CSV has room for {width}")
            cells.extend([*(str(item) for item in value), *([""] * (width - len(value)))])
        else:
            cells.append("" if value is None else str(value))
    return cells
