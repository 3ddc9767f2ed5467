import secrets
from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Print a new key for ENCRYPTION_KEYS (put it first to rotate; keep the old ones after it),"
        " or with --lookup a new LOOKUP_KEY (set once, never changed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lookup", action="store_true", help="Print a new LOOKUP_KEY instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["lookup"]:
            self.stdout.write(secrets.token_urlsafe(48))
        else:
            self.stdout.write(Fernet.generate_key().decode())
