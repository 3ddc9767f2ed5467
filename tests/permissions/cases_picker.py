"""The answers for the customer picker's suggestions (contacts:party_picker).

Whoever may see some customers gets suggestions, each only of the customers they see (OWN does not
find the colleague's person); a user who sees no customer is refused.
"""

from __future__ import annotations

from tests.permissions.world import LOGIN, Case, World

NO_CUSTOMERS = 403  # a user whose roles show no person, company or lead


def _colleague_s_person(world: World) -> dict[str, str]:
    return {"q": world.extra["person_of_colleague"].name, "field": "id_party_search"}


CASES: list[Case] = [
    Case("contacts:party_picker", (LOGIN, NO_CUSTOMERS, 200, 200, 200, 200), note="nothing typed yet"),
    Case(
        "contacts:party_picker",
        (LOGIN, NO_CUSTOMERS, 200, 200, 200, 200),
        data=_colleague_s_person,
        note="a colleague's person",
    ),
]
