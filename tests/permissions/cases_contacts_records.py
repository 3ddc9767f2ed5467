"""The answers for the customer record: create, customer page, edit, delete, links, settings, API.

The colleague's records are within the TEAM scope, the stranger's only within ALL; customer
settings are for administrators only.
"""

from __future__ import annotations

from typing import Any

from tests.permissions.world import API_OWN, BUILDERS, LOGIN, PAGE, Case, World

ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 200)


def _records(world: World) -> None:
    """Links between the colleague's person and company, and between the stranger's; a category and tags."""
    from peyvand.contacts.models import Category, RelationshipType
    from peyvand.contacts.services.parties import tags_by_name
    from peyvand.contacts.services.relationships import relationship_create

    works_at = RelationshipType.objects.get(key="works_at")
    extra = world.extra
    for owner in ("colleague", "stranger"):
        extra[f"relationship_of_{owner}"] = relationship_create(
            actor=None, from_party=extra[f"person_of_{owner}"], to_party=extra[f"company_of_{owner}"], type=works_at
        )
    extra["category"] = Category.objects.create(name="عمده‌فروش", name_en="Wholesale")
    extra["tag_vip"], extra["tag_gold"] = sorted(tags_by_name(["VIP", "Gold"]), key=lambda tag: tag.name)


BUILDERS.append(_records)


def _party_post(world: World, person: Any, **changes: Any) -> dict[str, Any]:
    """What the edit page posts for ``person``, as it is, with ``changes`` over it."""
    data = {
        "first_name": person.first_name, "last_name": person.last_name, "lifecycle_stage": person.lifecycle_stage,
        "owner": person.owner_id or "", "team": person.team_id or "",
        "points-TOTAL_FORMS": "0", "points-INITIAL_FORMS": "0",
        "addresses-TOTAL_FORMS": "0", "addresses-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(changes)
    return data


def _new_person(world: World) -> dict[str, Any]:
    return {
        "first_name": "Nasrin", "last_name": "Ahmadi", "lifecycle_stage": "prospect", "team": world.sales.pk,
        "points-TOTAL_FORMS": "1", "points-INITIAL_FORMS": "0", "points-0-kind": "phone",
        "points-0-value": "0912 345 6789", "points-0-consent": "granted",
        "addresses-TOTAL_FORMS": "0", "addresses-INITIAL_FORMS": "0",
    }  # fmt: skip


def _reading(key: str) -> str:
    from peyvand.contacts.models import RelationshipType

    return f"{RelationshipType.objects.get(key=key).pk}:f"


CASES: list[Case] = [
    # Create
    Case("contacts:party_create", (LOGIN, 403, 200, 200, 200, 200), args=lambda w: ["person"]),
    Case("contacts:party_create", (LOGIN, 404, 404, 404, 404, 404), args=lambda w: ["robot"], note="unknown kind"),
    Case(
        "contacts:party_create",
        (LOGIN, 403, 422, 422, 422, 422),
        method="POST",
        args=lambda w: ["company"],
        data=lambda w: {"name": ""},
        note="invalid form",
    ),
    # OWN must name itself the owner; the others may leave the record to the team.
    Case(
        "contacts:party_create",
        (LOGIN, 403, 422, 302, 302, 302),
        method="POST",
        args=lambda w: ["person"],
        data=_new_person,
    ),
    # The customer page
    Case(
        "contacts:party_detail",
        (LOGIN, 403, 404, 200, 200, 200),
        args=lambda w: [w.extra["person_of_colleague"].pk],
        note="colleague's person",
    ),
    Case(
        "contacts:party_detail",
        (LOGIN, 403, 404, 404, 200, 200),
        args=lambda w: [w.extra["company_of_stranger"].pk],
        note="stranger's company",
    ),
    Case(
        "contacts:party_detail",
        (*PAGE[:1], 403, 200, 200, 200, 200),
        args=lambda w: [w.extra["person_of_own"].pk],
        note="own person",
    ),
    # Edit and delete
    Case("contacts:party_edit", (LOGIN, 403, 404, 200, 200, 200), args=lambda w: [w.extra["lead_of_colleague"].pk]),
    Case(
        "contacts:party_edit",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=lambda w: [w.extra["person_of_stranger"].pk],
        data=lambda w: _party_post(w, w.extra["person_of_stranger"], last_name="Changed"),
        note="stranger's person",
    ),
    Case("contacts:party_delete", (LOGIN, 403, 404, 200, 200, 200), args=lambda w: [w.extra["person_of_colleague"].pk]),
    Case(
        "contacts:party_delete",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=lambda w: [w.extra["company_of_stranger"].pk],
        note="stranger's company",
    ),
    # Relationships
    Case(
        "contacts:relationship_create",
        (LOGIN, 403, 404, 200, 200, 200),
        args=lambda w: [w.extra["person_of_colleague"].pk],
    ),
    # TEAM sees the colleague's person but not the stranger's company: the form says so.
    Case(
        "contacts:relationship_create",
        (LOGIN, 403, 404, 422, 302, 302),
        method="POST",
        args=lambda w: [w.extra["person_of_colleague"].pk],
        data=lambda w: {"reading": _reading("partner"), "other": w.extra["company_of_stranger"].pk},
        note="to the stranger's company",
    ),
    Case(
        "contacts:relationship_delete",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=lambda w: [w.extra["relationship_of_stranger"].pk],
    ),
    Case("contacts:party_picker", (*PAGE[:1], 403, 200, 200, 200, 200), data=lambda w: {"q": "Sara"}),
    # Customer settings: administrators only
    Case("contacts:settings_home", ADMIN_ONLY),
    Case("contacts:settings_list", ADMIN_ONLY, args=lambda w: ["categories"]),
    Case("contacts:settings_list", (LOGIN, 403, 403, 403, 403, 404), args=lambda w: ["nothing"], note="unknown list"),
    Case("contacts:settings_create", ADMIN_ONLY, args=lambda w: ["custom-fields"]),
    Case(
        "contacts:settings_create",
        (LOGIN, 403, 403, 403, 403, 302),
        method="POST",
        args=lambda w: ["sources"],
        data=lambda w: {"name": "تلگرام", "name_en": "Telegram", "order": "5", "is_active": "on"},
    ),
    Case("contacts:settings_edit", ADMIN_ONLY, args=lambda w: ["categories", w.extra["category"].pk]),
    Case(
        "contacts:settings_toggle",
        (LOGIN, 403, 403, 403, 403, 302),
        method="POST",
        args=lambda w: ["categories", w.extra["category"].pk],
        data=lambda w: {"is_active": "0"},
    ),
    Case("contacts:tag_list", ADMIN_ONLY),
    Case("contacts:tag_edit", ADMIN_ONLY, args=lambda w: [w.extra["tag_vip"].pk]),
    Case(
        "contacts:tag_merge",
        (LOGIN, 403, 403, 403, 403, 302),
        method="POST",
        args=lambda w: [w.extra["tag_vip"].pk],
        data=lambda w: {"into": w.extra["tag_gold"].pk},
    ),
    Case(
        "contacts:tag_delete", (LOGIN, 403, 403, 403, 403, 302), method="POST", args=lambda w: [w.extra["tag_vip"].pk]
    ),
    # The API
    Case(
        "POST /parties",
        (401, 403, 201, 201, 201, 201),
        method="POST",
        data=lambda w: {"kind": "person", "first_name": "Nasrin", "team_id": w.sales.pk},
    ),
    Case(
        "GET /parties/{party_id}",
        (401, 403, 404, 200, 200, 200),
        args=lambda w: [w.extra["person_of_colleague"].pk],
        note="colleague's person",
    ),
    Case(
        "GET /parties/{party_id}",
        (401, 403, 404, 404, 200, 200),
        args=lambda w: [w.extra["lead_of_stranger"].pk],
        note="stranger's lead",
    ),
    Case(
        "PATCH /parties/{party_id}",
        (401, 403, 404, 404, 200, 200),
        method="PATCH",
        args=lambda w: [w.extra["person_of_stranger"].pk],
        data=lambda w: {"last_name": "Changed"},
    ),
    Case(
        "DELETE /parties/{party_id}",
        (401, 403, 404, 404, 204, 204),
        method="DELETE",
        args=lambda w: [w.extra["company_of_stranger"].pk],
    ),
    Case(
        "POST /parties/{party_id}/relationships",
        (401, 403, 404, 201, 201, 201),
        method="POST",
        args=lambda w: [w.extra["person_of_colleague"].pk],
        data=lambda w: {"type": "partner", "to_party_id": w.extra["company_of_colleague"].pk},
    ),
    Case(
        "DELETE /relationships/{relationship_id}",
        (401, 403, 404, 404, 204, 204),
        method="DELETE",
        args=lambda w: [w.extra["relationship_of_stranger"].pk],
    ),
    Case("GET /custom-fields", (*API_OWN[:1], 403, 200, 200, 200, 200)),
    Case("GET /relationship-types", (*API_OWN[:1], 403, 200, 200, 200, 200)),
]
