"""The answers for duplicates, merges and lead conversions (pages and API)."""

from __future__ import annotations

from peyvand.contacts.models import DuplicateCandidate
from peyvand.contacts.services.conversion import lead_convert
from tests.permissions.world import BUILDERS, LOGIN, Case, World

ADMIN_ONLY_PAGE = (LOGIN, 403, 403, 403, 403, 200)


def _duplicate_records(world: World) -> None:
    """A duplicate pair of the colleague (TEAM scope) and one of the stranger (ALL only), a converted lead."""
    from tests.contacts.factories import LeadFactory, PersonFactory

    field_sales = world.colleague.teams.get()
    for owner, team, number, name in ((world.colleague, field_sales, "0912 555 0001", "colleague"),
                                      (world.stranger, world.other_branch, "0912 555 0002", "stranger")):  # fmt: skip
        first = PersonFactory(owner=owner, team=team, phones=[number])
        second = PersonFactory(owner=owner, team=team, phones=[number])
        world.extra[f"duplicate_of_{name}"] = DuplicateCandidate.objects.get(first=first, second=second)
    converted = LeadFactory(owner=world.colleague, team=field_sales, company_name="Undo Tile")
    world.extra["conversion"] = lead_convert(actor=None, lead=converted, create_company_name="Undo Tile")


BUILDERS.append(_duplicate_records)


def _candidate(name: str):  # type: ignore[no-untyped-def]
    return lambda world: [world.extra[f"duplicate_of_{name}"].pk]


def _survivor(name: str):  # type: ignore[no-untyped-def]
    return lambda world: {"survivor": world.extra[f"duplicate_of_{name}"].first_id}


def _merged_id(name: str):  # type: ignore[no-untyped-def]
    return lambda world: {"merged_id": world.extra[f"duplicate_of_{name}"].second_id}


CONVERT = {"create_person": "on", "company_mode": "none", "lifecycle_stage": "prospect"}

CASES: list[Case] = [
    # Pages
    Case("contacts:duplicate_list", (LOGIN, 403, 200, 200, 200, 200)),
    Case("contacts:duplicate_compare", (LOGIN, 403, 404, 200, 200, 200), args=_candidate("colleague"),
         note="colleague's pair"),
    Case("contacts:duplicate_compare", (LOGIN, 403, 404, 404, 200, 200), args=_candidate("stranger"),
         note="stranger's pair"),
    Case("contacts:duplicate_merge", (LOGIN, 403, 404, 302, 302, 302), method="POST", args=_candidate("colleague"),
         data=_survivor("colleague"), note="colleague's pair"),
    Case("contacts:duplicate_merge", (LOGIN, 403, 404, 404, 302, 302), method="POST", args=_candidate("stranger"),
         data=_survivor("stranger"), note="stranger's pair"),
    Case("contacts:duplicate_merge", (405,) * 6, args=_candidate("colleague"), note="GET"),
    Case("contacts:duplicate_dismiss", (LOGIN, 403, 404, 302, 302, 302), method="POST", args=_candidate("colleague"),
         note="colleague's pair"),
    Case("contacts:duplicate_dismiss", (LOGIN, 403, 404, 404, 302, 302), method="POST", args=_candidate("stranger"),
         note="stranger's pair"),
    Case("contacts:lead_convert", (LOGIN, 403, 404, 200, 200, 200), args=lambda w: [w.extra["lead_of_colleague"].pk],
         note="colleague's lead"),
    Case("contacts:lead_convert", (LOGIN, 403, 404, 302, 302, 302), method="POST",
         args=lambda w: [w.extra["lead_of_colleague"].pk], data=lambda w: CONVERT, note="colleague's lead"),
    Case("contacts:lead_convert", (LOGIN, 403, 404, 404, 302, 302), method="POST",
         args=lambda w: [w.extra["lead_of_stranger"].pk], data=lambda w: CONVERT, note="stranger's lead"),
    Case("contacts:lead_conversion_undo", ADMIN_ONLY_PAGE, args=lambda w: [w.extra["conversion"].pk]),
    Case("contacts:lead_conversion_undo", (LOGIN, 403, 403, 403, 403, 302), method="POST",
         args=lambda w: [w.extra["conversion"].pk]),
    # API
    Case("GET /duplicates", (401, 403, 200, 200, 200, 200)),
    Case("POST /duplicates/{candidate_id}/dismiss", (401, 403, 404, 200, 200, 200), method="POST",
         args=_candidate("colleague"), note="colleague's pair"),
    Case("POST /duplicates/{candidate_id}/dismiss", (401, 403, 404, 404, 200, 200), method="POST",
         args=_candidate("stranger"), note="stranger's pair"),
    Case("POST /parties/{party_id}/merge", (401, 403, 404, 200, 200, 200), method="POST",
         args=lambda w: [w.extra["duplicate_of_colleague"].first_id], data=_merged_id("colleague"),
         note="colleague's pair"),
    Case("POST /parties/{party_id}/merge", (401, 403, 404, 404, 200, 200), method="POST",
         args=lambda w: [w.extra["duplicate_of_stranger"].first_id], data=_merged_id("stranger"),
         note="stranger's pair"),
    Case("POST /leads/{party_id}/convert", (401, 403, 404, 201, 201, 201), method="POST",
         args=lambda w: [w.extra["lead_of_colleague"].pk], data=lambda w: {"create_company_name": "Kavir Tile"},
         note="colleague's lead"),
    Case("POST /leads/{party_id}/convert", (401, 403, 404, 404, 201, 201), method="POST",
         args=lambda w: [w.extra["lead_of_stranger"].pk], data=lambda w: {}, note="stranger's lead"),
    Case("POST /lead-conversions/{conversion_id}/undo", (401, 403, 403, 403, 403, 200), method="POST",
         args=lambda w: [w.extra["conversion"].pk]),
]  # fmt: skip
