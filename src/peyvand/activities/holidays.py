"""Iran's official holidays: reading a holidays file, loading it, and the holidays of a period.

The file is JSON, ``{"holidays": [{"date": "1404/01/01", "name_fa": "…", "name_en": "…",
"is_official": true}, …]}``, dates in Jalali (a Gregorian ``2025-03-21`` is accepted too). A file
is checked whole before anything is written: one bad row and nothing is loaded, every bad row named.
Loading replaces the holidays of the Jalali years the file covers, so a corrected year drops the
days it no longer lists; other years are left as they are.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jdatetime
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.activities.models import Holiday

if TYPE_CHECKING:
    from peyvand.accounts.models import User

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "iran_holidays.json"
MAX_ROWS = 2000
MAX_NAME = 300


class HolidayFileError(ValueError):
    """The file cannot be loaded; ``errors`` says why, row by row (row 0: the file itself)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"{row}: {message}" for row, message in errors))
        self.errors = errors


@dataclass(frozen=True)
class HolidayRow:
    date: dt.date
    name_fa: str
    name_en: str
    is_official: bool


def _date(text: Any) -> dt.date:
    if not isinstance(text, str):
        raise ValueError
    parts = text.strip().replace("-", "/").split("/")
    if len(parts) != 3:
        raise ValueError
    year, month, day = (int(part) for part in parts)
    if year < 1700:
        return jdatetime.date(year, month, day).togregorian()
    return dt.date(year, month, day)


def _row(number: int, item: Any, errors: list[tuple[int, str]]) -> HolidayRow | None:
    if not isinstance(item, dict):
        errors.append((number, _("Each holiday must be an object with a date and names.")))
        return None
    try:
        date = _date(item.get("date"))
    except (ValueError, TypeError):
        errors.append((number, _("“%(value)s” is not a date (write 1404/01/01).") % {"value": item.get("date")}))
        return None
    names = {}
    for key in ("name_fa", "name_en"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(
                (number, _("The holiday of %(date)s has no %(field)s.") % {"date": item["date"], "field": key})
            )
            return None
        if len(value.strip()) > MAX_NAME:
            errors.append((number, _("A name is at most %(count)s characters.") % {"count": MAX_NAME}))
            return None
        names[key] = value.strip()
    is_official = item.get("is_official", True)
    if not isinstance(is_official, bool):
        errors.append((number, _("“is_official” must be true or false.")))
        return None
    return HolidayRow(date=date, name_fa=names["name_fa"], name_en=names["name_en"], is_official=is_official)


def parse(content: bytes | str) -> list[HolidayRow]:
    """The rows of a holidays file; raises ``HolidayFileError`` naming every bad row (numbered from 1)."""
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise HolidayFileError([(0, _("The file is not JSON."))]) from None
    items = document.get("holidays") if isinstance(document, dict) else None
    if not isinstance(items, list) or not items:
        raise HolidayFileError([(0, _("The file has no “holidays” list."))])
    if len(items) > MAX_ROWS:
        raise HolidayFileError([(0, _("A file holds at most %(count)s holidays.") % {"count": MAX_ROWS})])
    errors: list[tuple[int, str]] = []
    rows: list[HolidayRow] = []
    seen: set[dt.date] = set()
    for number, item in enumerate(items, start=1):
        row = _row(number, item, errors)
        if row is None:
            continue
        if row.date in seen:
            errors.append((number, _("%(date)s is listed twice.") % {"date": item["date"]}))
            continue
        seen.add(row.date)
        rows.append(row)
    if errors:
        raise HolidayFileError(errors)
    return rows


def _jalali_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return jdatetime.date(year, 1, 1).togregorian(), jdatetime.date(year + 1, 1, 1).togregorian()


@transaction.atomic
def holidays_load(*, actor: User | None, rows: list[HolidayRow]) -> int:
    """Replace the holidays of the Jalali years ``rows`` cover with ``rows``; the number loaded."""
    years = sorted({jdatetime.date.fromgregorian(date=row.date).year for row in rows})
    for year in years:
        start, end = _jalali_year_bounds(year)
        Holiday.objects.filter(date__gte=start, date__lt=end).delete()
    Holiday.objects.bulk_create(
        Holiday(date=row.date, name_fa=row.name_fa, name_en=row.name_en, is_official=row.is_official) for row in rows
    )
    if actor is not None:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, object_type="activities.holiday", object_label=_("Holidays"),
                     changes={"years": [None, years], "count": [None, len(rows)]})  # fmt: skip
    return len(rows)


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, Holiday]:
    """The holidays from ``start`` to ``end`` (exclusive), by date: one query."""
    return {holiday.date: holiday for holiday in Holiday.objects.filter(date__gte=start, date__lt=end)}
