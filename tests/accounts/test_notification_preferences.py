"""Choosing which notifications also come by email: on the profile page and through the API."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from peyvand.accounts import notifications
from peyvand.accounts.models import NotificationPreference, User
from tests.accounts.factories import UserFactory
from tests.api.helpers import ApiClient, create_token, error

pytestmark = pytest.mark.django_db

PROFILE_URL = "/accounts/profile/"
SAVE_URL = "/accounts/notifications/preferences/"
API_PATH = "/me/notification-preferences"


@pytest.fixture
def sara(db: None) -> User:
    return UserFactory(username="sara")


@pytest.fixture
def logged_in(client: Client, sara: User) -> Client:
    client.force_login(sara)
    return client


def _rows() -> list[tuple[str, str, bool]]:
    return list(NotificationPreference.objects.order_by("kind").values_list("user__username", "kind", "email"))


def _expected(**chosen: bool) -> list[dict[str, object]]:
    return [
        {"kind": kind.key, "label": str(kind.label), "description": str(kind.description),
         "email": chosen.get(kind.key, kind.email_default)}
        for kind in notifications.kinds()
    ]  # fmt: skip


# The profile page -----------------------------------------------------------------------------
def test_the_profile_page_has_a_check_box_per_kind_checked_as_the_user_gets_them(logged_in: Client,
                                                                                 sara: User) -> None:  # fmt: skip
    notifications.notification_preferences_set(user=sara, email={"reminder": False})

    text = logged_in.get(PROFILE_URL).content.decode()

    section = text[text.index('id="notifications"') :]
    boxes = dict(re.findall(r'<input type="checkbox" name="email_(\w+)"[^>]*?( checked)?>', section))
    assert boxes == {kind.key: " checked" if email else "" for kind, email in notifications.email_preferences(sara)}
    assert (boxes["reminder"], boxes["activity_assigned"], boxes["general"]) == ("", " checked", "")
    assert "Reminders of activities" in section
    assert "At the reminder time you set on a task, call or meeting." in section
    assert f'action="{SAVE_URL}"' in section


def test_saving_the_check_boxes_keeps_only_the_changes_from_the_defaults(logged_in: Client, sara: User) -> None:
    # Given every kind that is on by default left checked but reminders, and "general" checked
    checked = {f"email_{kind.key}": "on" for kind in notifications.kinds() if kind.email_default}
    del checked["email_reminder"]
    checked["email_general"] = "on"

    response = logged_in.post(SAVE_URL, checked)

    assert response.status_code == 302
    assert response["Location"] == f"{PROFILE_URL}#notifications"
    assert _rows() == [("sara", "general", True), ("sara", "reminder", False)]
    page = logged_in.get(response["Location"]).content.decode()
    assert "Your notification preferences were saved." in page


def test_saving_changes_no_one_elses_preferences(logged_in: Client) -> None:
    reza = UserFactory(username="reza")
    notifications.notification_preferences_set(user=reza, email={"reminder": False})

    logged_in.post(SAVE_URL, {})  # everything unchecked

    assert ("reza", "reminder", False) in _rows()
    assert {row[0] for row in _rows()} == {"reza", "sara"}
    assert all(email is False for _user, _kind, email in _rows())


def test_the_preferences_need_a_post_and_a_login(client: Client, sara: User) -> None:
    assert client.post(SAVE_URL, {"email_general": "on"})["Location"].startswith("/accounts/login/")
    client.force_login(sara)
    assert client.get(SAVE_URL).status_code == 405
    assert _rows() == []


def test_the_profile_page_costs_one_query_more_for_the_preferences(logged_in: Client, sara: User,
                                                                   django_assert_num_queries: Callable) -> None:  # fmt: skip
    logged_in.get(PROFILE_URL)
    notifications.notification_preferences_set(user=sara, email={"reminder": False, "general": True})
    # session, user, grants (3), teams, roles, the preferences, the bell
    with django_assert_num_queries(9):
        logged_in.get(PROFILE_URL)


# The API --------------------------------------------------------------------------------------
def test_the_api_lists_every_kind_with_the_users_choice(sara: User, django_assert_max_num_queries: Callable) -> None:
    notifications.notification_preferences_set(user=sara, email={"activity_assigned": False})
    api = ApiClient(token=create_token(sara))
    api.get(API_PATH)

    with django_assert_max_num_queries(5):  # the token with its user, their grants (3), the preferences
        response = api.get(API_PATH)

    assert response.status_code == 200
    assert response.json() == {"preferences": _expected(activity_assigned=False)}


def test_the_api_changes_the_kinds_sent_and_keeps_the_others(sara: User) -> None:
    notifications.notification_preferences_set(user=sara, email={"general": True})
    api = ApiClient(token=create_token(sara))

    response = api.send("PUT", API_PATH, {"preferences": [
        {"kind": "reminder", "email": False},
        {"kind": "activity_assigned", "label": "ignored", "email": True},
    ]})  # fmt: skip

    assert response.status_code == 200
    assert response.json() == {"preferences": _expected(general=True, reminder=False)}
    assert _rows() == [("sara", "general", True), ("sara", "reminder", False)]


def test_the_api_names_an_unknown_kind_and_changes_nothing(sara: User) -> None:
    api = ApiClient(token=create_token(sara))

    response = api.send("PUT", API_PATH, {"preferences": [
        {"kind": "reminder", "email": False}, {"kind": "deal_won", "email": True},
    ]})  # fmt: skip

    assert response.status_code == 422
    assert response.json() == error("validation_error", "Some of the values sent are not valid.", [
        {"field": "preferences.1.kind", "message": "Unknown kind of notification: deal_won"},
    ])  # fmt: skip
    assert _rows() == []


def test_the_api_refuses_a_list_instead_of_an_object(sara: User) -> None:
    api = ApiClient(token=create_token(sara))

    response = api.send("PUT", API_PATH, [{"kind": "reminder", "email": False}])

    assert response.status_code == 422
    assert _rows() == []
