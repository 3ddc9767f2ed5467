"""The demo organisation: teams, roles of every scope and one user for each, in Persian and English."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from peyvand.accounts import services
from peyvand.accounts.models import Role, Team, User
from peyvand.accounts.permissions import Action, Scope, modules

DEMO_PASSWORD = "peyvand-demo"  # noqa: S105  (printed for every newcomer on purpose)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str = DEMO_PASSWORD


def _grant_everything(scope: Scope, actions: tuple[str, ...] = tuple(Action.values)) -> dict[tuple[str, str], int]:
    return {(module.key, action): scope for module in modules() for action in module.actions if action in actions}


@transaction.atomic
def build_demo_organisation() -> list[DemoLogin]:
    tehran = services.team_create(actor=None, name="دفتر مرکزی تهران", kind=Team.Kind.BRANCH)
    sales = services.team_create(actor=None, name="فروش", kind=Team.Kind.DEPARTMENT, parent=tehran)
    support = services.team_create(actor=None, name="پشتیبانی", kind=Team.Kind.DEPARTMENT, parent=tehran)
    field_sales = services.team_create(actor=None, name="فروش میدانی", kind=Team.Kind.GROUP, parent=sales)
    isfahan = services.team_create(actor=None, name="Isfahan branch", kind=Team.Kind.BRANCH)
    services.team_create(actor=None, name="Isfahan sales", kind=Team.Kind.DEPARTMENT, parent=isfahan)

    administrators = services.role_create(
        actor=None, name="مدیر سیستم", description="Administrators: everything, everywhere.",
        is_administrator=True, requires_two_factor=False,
    )  # fmt: skip
    manager = services.role_create(
        actor=None, name="مدیر فروش", description="Sales manager: their teams' records, and exports.",
        grants={**_grant_everything(Scope.TEAM), ("audit", Action.VIEW): Scope.TEAM},
        sensitive_fields=[("users", "email")],
    )  # fmt: skip
    representative = services.role_create(
        actor=None, name="Sales representative", description="Their own records; no delete, no export.",
        grants=_grant_everything(Scope.OWN, (Action.VIEW, Action.CREATE, Action.EDIT)),
    )  # fmt: skip
    agent = services.role_create(
        actor=None, name="کارشناس پشتیبانی", description="Support agent: sees everyone's records, edits their own.",
        grants={**_grant_everything(Scope.ALL, (Action.VIEW,)), **_grant_everything(Scope.OWN, (Action.CREATE, Action.EDIT))},
    )  # fmt: skip
    auditor = services.role_create(
        actor=None, name="Auditor", description="Reads everything and the audit trail; changes nothing.",
        grants=_grant_everything(Scope.ALL, (Action.VIEW, Action.EXPORT)),
    )  # fmt: skip

    people: list[tuple[str, str, str, str, Role, list[Team]]] = [
        ("admin", "مریم", "رضایی", User.Language.PERSIAN, administrators, [tehran]),
        ("manager", "علی", "کریمی", User.Language.PERSIAN, manager, [sales]),
        ("rep", "Sara", "Mohammadi", User.Language.ENGLISH, representative, [field_sales]),
        ("rep2", "رضا", "حسینی", User.Language.PERSIAN, representative, [field_sales]),
        ("agent", "نگار", "احمدی", User.Language.PERSIAN, agent, [support]),
        ("auditor", "John", "Miller", User.Language.ENGLISH, auditor, [isfahan]),
    ]
    logins = []
    for username, first, last, language, role, teams in people:
        services.user_create(
            actor=None, username=username, password=DEMO_PASSWORD, first_name=first, last_name=last,
            email=f"{username}@demo.peyvand.local", language=language, roles=[role], teams=teams,
        )  # fmt: skip
        logins.append(DemoLogin(username=username, role=role.name))
    return logins
