"""The answers for a person's data: the export of everything held about them, and erasure.

The world's roles grant every action but no sensitive field, so only the administrator may export
a person (an export without their sensitive fields is refused, 403). Erasure needs the delete
right on the record; companies have no personal data (404).
"""

from __future__ import annotations

from tests.permissions.world import LOGIN, Case, World


def _person(name: str) -> object:
    return lambda world: [world.extra[name].pk]


def _erase_form(name: str, *, confirm: str | None = None) -> object:
    def data(world: World) -> dict[str, str]:
        party = world.extra[name]
        return {"reason": "Asked by phone", "confirm_name": party.name if confirm is None else confirm}

    return data


CASES: list[Case] = [
    # Pages
    Case(
        "contacts:personal_data_export",
        (LOGIN, 403, 404, 403, 403, 200),
        args=_person("person_of_colleague"),
        note="a person of a colleague",
    ),
    Case(
        "contacts:personal_data_export",
        (LOGIN, 403, 404, 404, 404, 404),
        args=_person("company_of_colleague"),
        note="a company",
    ),
    Case(
        "contacts:party_erase",
        (LOGIN, 403, 404, 200, 200, 200),
        args=_person("person_of_colleague"),
        note="the confirmation page",
    ),
    Case(
        "contacts:party_erase",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_person("person_of_stranger"),
        data=_erase_form("person_of_stranger"),
        note="a person of a stranger",
    ),
    Case(
        "contacts:party_erase",
        (LOGIN, 403, 404, 422, 422, 422),
        method="POST",
        args=_person("lead_of_colleague"),
        data=_erase_form("lead_of_colleague", confirm="Someone else"),
        note="the wrong name typed",
    ),
    Case(
        "contacts:party_erase",
        (LOGIN, 403, 404, 404, 404, 404),
        method="POST",
        args=_person("company_of_colleague"),
        data=_erase_form("company_of_colleague"),
        note="a company",
    ),
    # API
    Case("GET /parties/{party_id}/personal-data", (401, 403, 404, 403, 403, 200), args=_person("person_of_colleague")),
    Case(
        "POST /parties/{party_id}/erase",
        (401, 403, 404, 404, 200, 200),
        method="POST",
        args=_person("person_of_stranger"),
        data=lambda world: {"reason": "Asked by email"},
    ),
    Case(
        "POST /parties/{party_id}/erase",
        (401, 403, 200, 200, 200, 200),
        method="POST",
        args=_person("person_of_own"),
        data=lambda world: {"reason": "Asked by email"},
        note="the own persona's person",
    ),
]
