"""``peyvand load_holidays <file>``: load Iran's official holidays from a JSON file.

Without a file, the one shipped with Peyvand (``activities/data/iran_holidays.json``). The file is
checked whole first: a bad row stops the command, every bad row is named, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peyvand.activities import holidays


class Command(BaseCommand):
    help = "Load Iran's official holidays from a JSON file (the years it covers are replaced)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(holidays.DEFAULT_FILE), help="The holidays JSON file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            rows = holidays.parse(content)
        except holidays.HolidayFileError as error:
            lines = [f"row {row}: {message}" if row else message for row, message in error.errors]
            raise CommandError("Nothing was loaded.\n" + "\n".join(lines)) from None
        count = holidays.holidays_load(actor=None, rows=rows)
        self.stdout.write(f"Loaded {count} holidays.")
