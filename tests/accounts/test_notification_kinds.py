"""Kinds of notification, each user's choice of which also come by email, and the email itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from peyvand.accounts import notifications
from peyvand.accounts.models import Notification, NotificationPreference, User
from peyvand.accounts.notifications import NotificationKind
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the kinds for the test to register into; the real registry is left as it was."""
    monkeypatch.setattr(notifications, "_KINDS", dict(notifications._KINDS))


@pytest.fixture
def site(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://crm.example.com"


def _emails() -> list[tuple[list[str], str]]:
    return [(message.to, message.subject) for message in mail.outbox]


# The registry ---------------------------------------------------------------------------------
def test_the_apps_register_their_kinds_and_general_comes_last() -> None:
    keys = [kind.key for kind in notifications.kinds()]

    assert {"general", "activity_assigned", "reminder"} <= set(keys)
    assert keys.index("activity_assigned") < keys.index("reminder")
    assert keys[-1] == "general"
    reminder = next(kind for kind in notifications.kinds() if kind.key == "reminder")
    assert (str(reminder.label), reminder.email_default) == ("Reminders of activities", True)


def test_a_kind_is_registered_by_itself_or_by_its_fields(registry: None) -> None:
    given = notifications.register_kind(NotificationKind(key="deal_won", label="A deal was won", email_default=True))
    named = notifications.register_kind(key="quote_sent", label="A quote was sent", description="To a customer")

    assert given == NotificationKind(key="deal_won", label="A deal was won", description="", email_default=True)
    assert named == NotificationKind(key="quote_sent", label="A quote was sent", description="To a customer")
    assert {"deal_won", "quote_sent"} <= {kind.key for kind in notifications.kinds()}
    assert notifications.kind_label("quote_sent") == "A quote was sent"
    assert notifications.kind_label("gone") == "gone"


def test_sending_an_unknown_kind_is_a_programming_error(django_capture_on_commit_callbacks: Capture) -> None:
    sara = UserFactory(username="sara")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValueError, match="Unknown notification kind 'deal_won'"),
    ):
        notifications.notification_send(recipient=sara, title="Won", kind="deal_won")

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_notification_keeps_its_kind_and_shows_its_label() -> None:
    sara = UserFactory(username="sara")

    notification = notifications.notification_send(recipient=sara, title="Call Pars", kind="reminder")

    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.kind, stored.kind_label) == ("reminder", "Reminders of activities")


# Preferences ----------------------------------------------------------------------------------
def test_without_a_choice_each_kind_follows_its_default() -> None:
    sara = UserFactory(username="sara")

    chosen = {kind.key: email for kind, email in notifications.email_preferences(sara)}

    assert chosen == {kind.key: kind.email_default for kind in notifications.kinds()}
    assert (chosen["reminder"], chosen["activity_assigned"], chosen["general"]) == (True, True, False)


def test_only_a_choice_unlike_the_default_is_kept() -> None:
    sara = UserFactory(username="sara")

    notifications.notification_preferences_set(user=sara, email={"reminder": False, "general": True})
    notifications.notification_preferences_set(user=sara, email={"general": False, "activity_assigned": True})

    # "general" is back to its default (off) and "activity_assigned" always was: no row for either.
    assert list(NotificationPreference.objects.values_list("user__username", "kind", "email")) == [
        ("sara", "reminder", False)
    ]
    chosen = {kind.key: email for kind, email in notifications.email_preferences(sara)}
    assert (chosen["reminder"], chosen["general"], chosen["activity_assigned"]) == (False, False, True)


def test_an_unknown_kind_in_the_preferences_is_refused_and_nothing_changes() -> None:
    sara = UserFactory(username="sara")

    with pytest.raises(ValidationError) as refused:
        notifications.notification_preferences_set(user=sara, email={"reminder": False, "deal_won": True})

    assert refused.value.message_dict == {"kind": ["Unknown kind of notification: deal_won"]}
    assert NotificationPreference.objects.count() == 0


def test_one_users_choice_is_not_anothers(django_capture_on_commit_callbacks: Capture) -> None:
    sara, reza = UserFactory(username="sara"), UserFactory(username="reza")
    notifications.notification_preferences_set(user=sara, email={"reminder": False})

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_send(recipient=sara, title="Reminder: A", kind="reminder")
        notifications.notification_send(recipient=reza, title="Reminder: B", kind="reminder")

    assert _emails() == [(["reza@example.com"], "Reminder: B")]


# Email ----------------------------------------------------------------------------------------
def test_the_email_waits_for_the_commit_and_carries_the_link_and_where_to_change_it(
    site: None, django_capture_on_commit_callbacks: Capture
) -> None:
    sara = UserFactory(username="sara")

    with django_capture_on_commit_callbacks() as pending:
        notifications.notification_send(recipient=sara, title="New task for you: Call Pars", body="Due today.",
                                        url="/activities/4/", kind="activity_assigned")  # fmt: skip
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in pending:
        callback()

    assert _emails() == [(["sara@example.com"], "New task for you: Call Pars")]
    assert mail.outbox[0].body == (
        "New task for you: Call Pars\n\nDue today.\n\n"
        "Open it in Peyvand: https://crm.example.com/activities/4/\n\n-- \n"
        "You get “An activity was given to you” by email because of your notification preferences.\n"
        "Change them at https://crm.example.com/accounts/profile/#notifications\n"
    )


def test_a_rolled_back_notification_sends_no_email(site: None, django_capture_on_commit_callbacks: Capture) -> None:
    sara = UserFactory(username="sara")

    def send_then_fail() -> None:
        with transaction.atomic():
            notifications.notification_send(recipient=sara, title="Reminder: A", kind="reminder")
            raise RuntimeError

    # The service's work inside a transaction that fails: its commit callbacks go with it.
    with django_capture_on_commit_callbacks(execute=True) as pending, pytest.raises(RuntimeError):
        send_then_fail()

    assert pending == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "kind", "why"),
    [
        ({"email": ""}, "reminder", "no address"),
        ({"is_active": False}, "reminder", "inactive"),
        ({}, "general", "the kind's default is off"),
    ],
)
def test_no_email_when_it_cannot_or_should_not_go(
    fields: dict[str, Any], kind: str, why: str, django_capture_on_commit_callbacks: Capture
) -> None:
    sara = UserFactory(username="sara", **fields)

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_send(recipient=sara, title="Hello", kind=kind)

    assert Notification.objects.filter(recipient=sara).count() == 1, why
    assert mail.outbox == [], why


def test_a_kind_turned_on_is_emailed_and_turned_off_is_not(django_capture_on_commit_callbacks: Capture) -> None:
    sara = UserFactory(username="sara")
    notifications.notification_preferences_set(user=sara, email={"general": True, "activity_assigned": False})

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_send(recipient=sara, title="Wanted", kind="general")
        notifications.notification_send(recipient=sara, title="Not wanted", kind="activity_assigned")

    assert _emails() == [(["sara@example.com"], "Wanted")]


def test_the_email_is_in_the_recipients_language(site: None, django_capture_on_commit_callbacks: Capture) -> None:
    mina = UserFactory(username="mina", language=User.Language.PERSIAN)

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_send(recipient=mina, title="یادآوری: تماس", url="/activities/4/", kind="reminder")

    # The footer's words wait for the Persian catalogue; the link and its place are there already.
    body = mail.outbox[0].body
    assert body.startswith("یادآوری: تماس\n\n")
    assert "https://crm.example.com/activities/4/" in body
    assert "https://crm.example.com/accounts/profile/#notifications" in body


def test_without_a_site_address_the_email_tells_where_instead_of_linking(
    settings, django_capture_on_commit_callbacks: Capture
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = ""
    settings.CSRF_TRUSTED_ORIGINS = []
    sara = UserFactory(username="sara")

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_send(recipient=sara, title="Reminder: A", url="/activities/4/", kind="reminder")

    assert "http" not in mail.outbox[0].body
    assert mail.outbox[0].body.endswith("Change them in Peyvand, on your Preferences page.\n")


def test_the_first_trusted_origin_stands_in_for_the_site_address(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = ""
    settings.CSRF_TRUSTED_ORIGINS = ["https://crm.example.org", "https://other.example.org"]

    assert notifications.absolute_url("/activities/4/") == "https://crm.example.org/activities/4/"
    assert notifications.absolute_url("https://help.example.com/x") == "https://help.example.com/x"
    assert notifications.absolute_url("") == ""


def test_a_title_on_two_lines_makes_a_subject_on_one(django_capture_on_commit_callbacks: Capture) -> None:
    sara = UserFactory(username="sara")

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_send(recipient=sara, title="Reminder:\r\nCall  Pars", kind="reminder")

    assert _emails() == [(["sara@example.com"], "Reminder: Call Pars")]
