"""The answers for choosing which notifications come by email (the profile page's form and the API),
and for marking read from "my page".

Each user changes only their own choices, so every logged-in persona gets the same answer; an
anonymous visitor is sent to the login page (401 in the API) and changes nothing.
"""

from __future__ import annotations

from tests.permissions.world import API_OWN, LOGIN, Case

SIGNED_IN = (LOGIN, 302, 302, 302, 302, 302)

CASES: list[Case] = [
    Case(
        "accounts:notification_preferences",
        SIGNED_IN,
        method="POST",
        data=lambda w: {"email_reminder": "on", "email_general": "on"},
    ),
    Case("accounts:notification_preferences", (LOGIN, 405, 405, 405, 405, 405), note="GET is not a save"),
    Case(
        "accounts:notification_mark_read",
        SIGNED_IN,
        method="POST",
        data=lambda w: {"all": "1", "panel": "home"},
        note="all, from my page",
    ),
    Case("GET /me/notification-preferences", API_OWN),
    Case(
        "PUT /me/notification-preferences",
        API_OWN,
        method="PUT",
        data=lambda w: {"preferences": [{"kind": "reminder", "email": False}]},
    ),
    Case(
        "PUT /me/notification-preferences",
        (401, 422, 422, 422, 422, 422),
        method="PUT",
        data=lambda w: {"preferences": [{"kind": "no_such_kind", "email": True}]},
        note="unknown kind",
    ),
]
