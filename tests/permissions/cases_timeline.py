"""The answers for the timeline's pages and API operations.

Interactions follow their party for sight (the TEAM persona sees the colleague's persons, only ALL
the stranger's) and their own owner and team for edit and delete: the colleague's interaction on
the "own" persona's person is seen by that persona but not theirs to change (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.permissions.world import API_OWN, BUILDERS, LOGIN, Case, World

ADMIN_PAGE = (LOGIN, 403, 403, 403, 403, 200)
ADMIN_POST = (LOGIN, 403, 403, 403, 403, 302)


def _interactions(world: World) -> None:
    from tests.timeline.factories import InteractionFactory, channel

    when = timezone.now() - dt.timedelta(days=1)
    world.extra["interaction_of_colleague"] = InteractionFactory(
        party=world.extra["person_of_colleague"], owner=world.colleague, occurred_at=when
    )
    world.extra["interaction_of_stranger"] = InteractionFactory(
        party=world.extra["person_of_stranger"], owner=world.stranger, occurred_at=when
    )
    world.extra["interaction_of_own"] = InteractionFactory(
        party=world.extra["person_of_own"], owner=world.users["own"], occurred_at=when
    )
    # On the "own" persona's person, but had by the colleague: seen by "own", not theirs to change.
    world.extra["colleague_interaction_on_own_person"] = InteractionFactory(
        party=world.extra["person_of_own"], owner=world.colleague, occurred_at=when
    )
    world.extra["phone_channel"] = channel("phone")


BUILDERS.append(_interactions)


def _party(name: str) -> Any:
    return lambda w: [w.extra[name].pk]


def _interaction(name: str) -> Any:
    return lambda w: [w.extra[name].pk]


def _log(w: World) -> dict[str, Any]:
    return {"log-channel": "phone", "log-kind": "call", "log-direction": "outbound", "log-subject": "Called back"}


def _edit(w: World) -> dict[str, Any]:
    return {"channel": "phone", "kind": "call", "direction": "inbound", "occurred_at": "2025-03-21 09:30",
            "subject": "Changed", "content": "", "duration_seconds": "", "cost": ""}  # fmt: skip


def _channel_form(w: World) -> dict[str, Any]:
    return {"name": "تلفن", "name_en": "Phone", "key": "phone", "icon": "phone", "cost_per_contact": "15000",
            "order": "10", "is_active": "on"}  # fmt: skip


def _push(name: str) -> Any:
    return lambda w: {"party_id": w.extra[name].pk, "channel": "phone", "kind": "call", "subject": "From the PBX"}


CASES: list[Case] = [
    # A party's timeline (the panel's "load more" and filters)
    Case(
        "timeline:party_timeline",
        (LOGIN, 403, 404, 200, 200, 200),
        args=_party("person_of_colleague"),
        note="colleague",
    ),
    Case(
        "timeline:party_timeline", (LOGIN, 403, 404, 404, 200, 200), args=_party("person_of_stranger"), note="stranger"
    ),
    Case(
        "timeline:party_timeline",
        (LOGIN, 403, 200, 200, 200, 200),
        args=_party("person_of_own"),
        note="own",
        data=lambda w: {"channel": "phone", "kind": "call"},
    ),
    # Logging
    Case(
        "timeline:interaction_create", (LOGIN, 405, 405, 405, 405, 405), args=_party("person_of_colleague"), note="GET"
    ),
    Case(
        "timeline:interaction_create",
        (LOGIN, 403, 404, 302, 302, 302),
        method="POST",
        args=_party("person_of_colleague"),
        data=_log,
        note="colleague",
    ),
    Case(
        "timeline:interaction_create",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_party("person_of_stranger"),
        data=_log,
        note="stranger",
    ),
    Case(
        "timeline:interaction_create",
        (LOGIN, 403, 200, 200, 200, 200),
        method="POST",
        args=_party("person_of_own"),
        data=lambda w: {"log-channel": "phone"},
        note="invalid form",
    ),
    # One interaction
    Case(
        "timeline:interaction_detail", (LOGIN, 403, 404, 200, 200, 200), args=_interaction("interaction_of_colleague")
    ),
    Case(
        "timeline:interaction_detail",
        (LOGIN, 403, 404, 404, 200, 200),
        args=_interaction("interaction_of_stranger"),
        note="stranger",
    ),
    Case("timeline:interaction_edit", (LOGIN, 403, 404, 200, 200, 200), args=_interaction("interaction_of_colleague")),
    Case(
        "timeline:interaction_edit",
        (LOGIN, 403, 200, 200, 200, 200),
        args=_interaction("interaction_of_own"),
        note="own",
    ),
    Case(
        "timeline:interaction_edit",
        (LOGIN, 403, 403, 302, 302, 302),
        method="POST",
        args=_interaction("colleague_interaction_on_own_person"),
        data=_edit,
        note="seen but had by another",
    ),
    Case(
        "timeline:interaction_edit",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_interaction("interaction_of_stranger"),
        data=_edit,
        note="stranger",
    ),
    Case(
        "timeline:interaction_delete",
        (LOGIN, 403, 403, 200, 200, 200),
        args=_interaction("colleague_interaction_on_own_person"),
    ),
    Case(
        "timeline:interaction_delete",
        (LOGIN, 403, 404, 302, 302, 302),
        method="POST",
        args=_interaction("interaction_of_colleague"),
        note="colleague",
    ),
    Case(
        "timeline:interaction_delete",
        (LOGIN, 403, 404, 404, 302, 302),
        method="POST",
        args=_interaction("interaction_of_stranger"),
        note="stranger",
    ),
    # Channels: administrators only
    Case("timeline:channel_list", ADMIN_PAGE),
    Case("timeline:channel_create", ADMIN_PAGE),
    Case(
        "timeline:channel_create",
        (LOGIN, 403, 403, 403, 403, 200),
        method="POST",
        data=lambda w: {"name": ""},
        note="invalid form",
    ),
    Case("timeline:channel_edit", ADMIN_PAGE, args=lambda w: [w.extra["phone_channel"].pk]),
    Case(
        "timeline:channel_edit",
        ADMIN_POST,
        method="POST",
        args=lambda w: [w.extra["phone_channel"].pk],
        data=_channel_form,
    ),
    # The API
    Case("POST /interactions", (401, 403, 404, 201, 201, 201), method="POST", data=_push("person_of_colleague")),
    Case(
        "POST /interactions",
        (401, 403, 404, 404, 201, 201),
        method="POST",
        data=_push("person_of_stranger"),
        note="stranger",
    ),
    Case(
        "POST /interactions",
        (401, 403, 422, 201, 201, 201),
        method="POST",
        note="by phone, colleague's number",
        data=lambda w: {"phone": "09120000000", "channel": "phone", "subject": "Missed call"},
    ),
    Case("GET /interactions", (401, 403, 200, 200, 200, 200), data=lambda w: {"channel": "phone", "kind": "call"}),
    Case(
        "GET /interactions/{interaction_id}",
        (401, 403, 404, 200, 200, 200),
        args=_interaction("interaction_of_colleague"),
    ),
    Case(
        "PATCH /interactions/{interaction_id}",
        (401, 403, 403, 200, 200, 200),
        method="PATCH",
        args=_interaction("colleague_interaction_on_own_person"),
        data=lambda w: {"subject": "Changed"},
    ),
    Case(
        "PATCH /interactions/{interaction_id}",
        (401, 403, 404, 404, 200, 200),
        method="PATCH",
        args=_interaction("interaction_of_stranger"),
        data=lambda w: {"subject": "Changed"},
        note="stranger",
    ),
    Case(
        "DELETE /interactions/{interaction_id}",
        (401, 403, 404, 204, 204, 204),
        method="DELETE",
        args=_interaction("interaction_of_colleague"),
    ),
    Case(
        "DELETE /interactions/{interaction_id}",
        (401, 403, 403, 204, 204, 204),
        method="DELETE",
        args=_interaction("colleague_interaction_on_own_person"),
        note="seen but had by another",
    ),
    Case("GET /parties/{party_id}/timeline", (401, 403, 404, 200, 200, 200), args=_party("person_of_colleague")),
    Case(
        "GET /parties/{party_id}/timeline",
        (401, 403, 404, 404, 200, 200),
        args=_party("person_of_stranger"),
        note="stranger",
    ),
    Case("GET /channels", API_OWN),
]
