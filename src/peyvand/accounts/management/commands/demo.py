from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peyvand.accounts.demo import DEMO_PASSWORD, build_demo_organisation
from peyvand.accounts.models import User
from peyvand.common.registry import shell


class Command(BaseCommand):
    help = "Fill an empty database with the demo organisation and data, in Persian and English."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when users already exist.")

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if User.objects.exists():
            if if_empty:
                self.stdout.write("Demo data: the database already has users; nothing added.")
                self._print_logins(
                    [user.username for user in User.objects.filter(email__endswith="@demo.peyvand.local")]
                )
                return
            raise CommandError("The database already has users; the demo needs an empty one.")
        logins = build_demo_organisation()
        for builder in shell.demo_builders:
            builder()
        self._print_logins([login.username for login in logins])

    def _print_logins(self, usernames: list[str]) -> None:
        if not usernames:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for user in User.objects.filter(username__in=usernames).prefetch_related("roles").order_by("pk"):
            roles = ", ".join(role.name for role in user.roles.all())
            self.stdout.write(f"  {user.username:<10} {roles}")
