"""The answers for the persons, companies and leads lists: pages, bulk actions, saved views, exports."""

from __future__ import annotations

from tests.permissions.world import BUILDERS, LOGIN, Case, World

REFUSED_PAGE = (LOGIN, 403, 200, 200, 200, 200)
API_LIST = (401, 403, 200, 200, 200, 200)


def _stranger_view(world: World) -> None:
    """A saved view of the stranger's: nobody else may rename or delete it."""
    from peyvand.contacts.models import SavedView

    world.extra["saved_view_of_stranger"] = SavedView.objects.create(
        user=world.stranger, kind="person", name="Stranger's customers", query="stage=customer"
    )


BUILDERS.append(_stranger_view)


def _stranger_person_id(world: World) -> int:
    return int(world.extra["person_of_stranger"].pk)


CASES: list[Case] = [
    # Pages
    Case("contacts:person_list", REFUSED_PAGE),
    Case("contacts:company_list", REFUSED_PAGE),
    Case("contacts:lead_list", REFUSED_PAGE, data=lambda w: {"stage": "lead", "owner": "me"}, note="filtered"),
    Case("contacts:party_export", REFUSED_PAGE, args=lambda w: ["persons"], data=lambda w: {"format": "csv"}),
    Case(
        "contacts:party_bulk",
        (LOGIN, 403, 302, 302, 302, 302),
        method="POST",
        args=lambda w: ["persons"],
        data=lambda w: {"action": "tag", "ids": [_stranger_person_id(w)], "tags": "VIP"},
        note="the stranger's person: only ALL changes it",
    ),
    Case(
        "contacts:saved_view_create",
        (LOGIN, 403, 302, 302, 302, 302),
        method="POST",
        args=lambda w: ["companies"],
        data=lambda w: {"name": "Tehran", "query": "province=tehran"},
    ),
    Case(
        "contacts:saved_view_rename",
        (LOGIN, 404, 404, 404, 404, 404),
        method="POST",
        args=lambda w: [w.extra["saved_view_of_stranger"].pk],
        data=lambda w: {"name": "Taken over"},
        note="someone else's view",
    ),
    Case(
        "contacts:saved_view_delete",
        (LOGIN, 404, 404, 404, 404, 404),
        method="POST",
        args=lambda w: [w.extra["saved_view_of_stranger"].pk],
        note="someone else's view",
    ),
    # API
    Case("GET /persons", API_LIST),
    Case("GET /companies", API_LIST, data=lambda w: {"sort": "-created_at"}),
    Case("GET /leads", API_LIST),
    Case("GET /persons/export", API_LIST, data=lambda w: {"format": "csv"}),
    Case("GET /companies/export", API_LIST, data=lambda w: {"format": "vcard"}),
    Case("GET /leads/export", API_LIST, data=lambda w: {"format": "xlsx"}),
    Case(
        "POST /parties/bulk",
        (401, 403, 200, 200, 200, 200),
        method="POST",
        data=lambda w: {"action": "assign", "ids": [_stranger_person_id(w)], "owner": "none"},
        note="the stranger's person: refused in the answer unless ALL",
    ),
    Case("GET /saved-views", (401, 200, 200, 200, 200, 200)),
    Case(
        "POST /saved-views",
        (401, 403, 201, 201, 201, 201),
        method="POST",
        data=lambda w: {"kind": "lead", "name": "New leads", "query": "lead_status=new"},
    ),
    Case(
        "PATCH /saved-views/{view_id}",
        (401, 404, 404, 404, 404, 404),
        method="PATCH",
        args=lambda w: [w.extra["saved_view_of_stranger"].pk],
        data=lambda w: {"name": "Taken over"},
        note="someone else's view",
    ),
    Case(
        "DELETE /saved-views/{view_id}",
        (401, 404, 404, 404, 404, 404),
        method="DELETE",
        args=lambda w: [w.extra["saved_view_of_stranger"].pk],
        note="someone else's view",
    ),
]
