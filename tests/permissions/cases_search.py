"""The answers for finding people: the caller-ID screen pop, the search and caller-ID API operations.

The header's search page itself ("search") is declared with the shell in cases_accounts.
"""

from __future__ import annotations

from tests.permissions.world import LOGIN, Case, World

NO_CUSTOMERS = 403  # a user whose roles show no person, company or lead


def _colleague_s_number(world: World) -> dict[str, str]:
    return {"number": world.extra["person_of_colleague"].contact_points.get().value}


CASES: list[Case] = [
    Case("contacts:caller_id", (LOGIN, NO_CUSTOMERS, 200, 200, 200, 200), note="asks for a number"),
    Case(
        "contacts:caller_id",
        # OWN does not see the colleague's person: "no customer has this number"; TEAM and ALL are sent to it.
        (LOGIN, NO_CUSTOMERS, 200, 302, 302, 302),
        data=_colleague_s_number,
        note="a colleague's person calls",
    ),
    Case("GET /search", (401, NO_CUSTOMERS, 200, 200, 200, 200), data=lambda w: {"q": "Sara"}),
    Case("GET /caller-id", (401, NO_CUSTOMERS, 200, 200, 200, 200), data=_colleague_s_number),
]
