"""My page's "Notifications and mentions", the bell that refreshes itself, and the list by kind."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peyvand.accounts import notifications
from peyvand.accounts.models import Notification, User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME_URL = "/"
LIST_URL = "/accounts/notifications/"
BELL_URL = "/accounts/notifications/bell/"
READ_URL = "/accounts/notifications/read/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the kinds, so that a test may register "mention" as the mentions' app will."""
    monkeypatch.setattr(notifications, "_KINDS", dict(notifications._KINDS))
    if "mention" not in notifications._KINDS:
        notifications.register_kind(key="mention", label="You were mentioned")


@pytest.fixture
def sara(db: None) -> User:
    return UserFactory(username="sara")


@pytest.fixture
def logged_in(client: Client, sara: User) -> Client:
    client.force_login(sara)
    return client


def _send(user: User, title: str, *, kind: str = "general", url: str = "", read: bool = False) -> Notification:
    notification = notifications.notification_send(recipient=user, title=title, kind=kind, url=url)
    if read:
        notifications.notification_mark_read(user=user, ids=[notification.pk])
    return notification


def _panel(html: str) -> str:
    start = html.index('id="panel-notifications"')
    return html[start : html.index("</section>", start)]


def _panel_titles(html: str) -> list[str]:
    return re.findall(r'<(?:button|a) [^>]*dir="auto">([^<]+)</(?:button|a)>', _panel(html))


def _unread(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("pk")
                .values_list("title", flat=True))  # fmt: skip


# The panel ------------------------------------------------------------------------------------
def test_the_panel_shows_the_latest_unread_mentions_first(registry: None, logged_in: Client, sara: User) -> None:
    _send(sara, "Old news")
    _send(sara, "Seen already", read=True)
    _send(sara, "Reza mentioned you", kind="mention", url="/contacts/persons/4/")
    _send(sara, "Reminder: Call Pars", kind="reminder", url="/activities/9/")
    _send(UserFactory(), "Someone else's")

    page = logged_in.get(HOME_URL).content.decode()

    assert "Notifications and mentions" in page
    assert _panel_titles(page) == ["Reza mentioned you", "Reminder: Call Pars", "Old news"]
    panel = _panel(page)
    assert f'<span class="tag ok">{notifications.kind_label("mention")}</span>' in panel
    assert '<span class="tag">Reminders of activities</span>' in panel
    # A linked one opens through "mark read and follow"; the button names it.
    mention = Notification.objects.get(kind="mention")
    assert f'name="open" value="{mention.pk}" dir="auto">Reza mentioned you</button>' in panel


def test_the_panel_shows_eight_and_says_how_many_more(logged_in: Client, sara: User) -> None:
    for number in range(11):
        _send(sara, f"Note {number}")

    page = logged_in.get(HOME_URL).content.decode()

    assert _panel_titles(page) == [f"Note {number}" for number in range(10, 2, -1)]
    assert "3 more unread" in _panel(page)
    assert '<span class="badge" aria-hidden="true">11</span>' in page  # the bell, from the panel's one query


def test_an_empty_panel_says_so(logged_in: Client, sara: User) -> None:
    _send(sara, "Seen", read=True)

    panel = _panel(logged_in.get(HOME_URL).content.decode())

    assert "Nothing unread. When a colleague mentions you or something needs your attention, it appears here." in panel
    assert "Mark all as read" not in panel


def test_the_panel_and_the_bell_cost_one_query_however_many(logged_in: Client, sara: User,
                                                            django_assert_num_queries: Callable) -> None:  # fmt: skip
    logged_in.get(HOME_URL)
    with CaptureQueriesContext(connection) as empty:
        logged_in.get(HOME_URL)
    for number in range(20):
        _send(sara, f"Note {number}", kind="reminder" if number % 2 else "general")

    with CaptureQueriesContext(connection) as full:
        logged_in.get(HOME_URL)

    counted = [query["sql"] for query in full.captured_queries if "accounts_notification" in query["sql"]]
    assert len(counted) == 1  # the panel's; the bell reuses its count
    assert len(full) == len(empty)


def test_mark_all_read_from_the_panel_refreshes_it_and_tells_the_bell(logged_in: Client, sara: User) -> None:
    _send(sara, "First")
    newest = _send(sara, "Second")
    later = _send(sara, "Arrived after the page was shown")

    response = logged_in.post(READ_URL, {"all": "1", "panel": "home", "upto": newest.pk}, headers=HTMX)

    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    text = response.content.decode()
    assert text.startswith('<section class="card panel notification-panel" id="panel-notifications"')
    assert _panel_titles(text) == ["Arrived after the page was shown"]
    assert _unread(sara) == [later.title]


def test_mark_all_read_from_the_panel_without_htmx_goes_home(logged_in: Client, sara: User) -> None:
    _send(sara, "First")

    response = logged_in.post(READ_URL, {"all": "1", "panel": "home"})

    assert (response.status_code, response["Location"]) == (302, HOME_URL)
    assert _unread(sara) == []


# The bell -------------------------------------------------------------------------------------
def test_the_bell_polls_at_the_set_interval_and_on_return_and_after_changes(logged_in: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NOTIFICATION_POLL_SECONDS = 2

    for text in (logged_in.get(BELL_URL).content.decode(), logged_in.get(LIST_URL).content.decode()):
        trigger = re.search(r'class="icon-button notification-bell" id="notification-bell"[^>]*hx-trigger="([^"]+)"',
                            text)  # fmt: skip
        assert trigger is not None
        assert trigger.group(1) == (
            "every 2s, visibilitychange[document.visibilityState === 'visible'] from:document, "
            "notifications-changed from:body"
        )


def test_the_bell_polls_every_minute_by_default(logged_in: Client, settings) -> None:  # type: ignore[no-untyped-def]
    if hasattr(settings, "NOTIFICATION_POLL_SECONDS"):
        del settings.NOTIFICATION_POLL_SECONDS

    assert 'hx-trigger="every 60s,' in logged_in.get(BELL_URL).content.decode()


def test_the_bell_counts_a_new_notification(logged_in: Client, sara: User,
                                            django_assert_num_queries: Callable) -> None:  # fmt: skip
    _send(sara, "One")
    before = logged_in.get(BELL_URL).content.decode()
    _send(sara, "Two")

    with django_assert_num_queries(6):  # session, user, grants (3), the count
        after = logged_in.get(BELL_URL).content.decode()

    assert 'aria-label="Notifications: 1 unread"' in before
    assert 'aria-label="Notifications: 2 unread"' in after


# The list -------------------------------------------------------------------------------------
def test_the_list_shows_each_kind(logged_in: Client, sara: User) -> None:
    _send(sara, "Reminder: Call Pars", kind="reminder")
    _send(sara, "Hello")

    text = logged_in.get(LIST_URL).content.decode()

    assert text.count('<span class="tag">Reminders of activities</span>') == 1
    assert text.count('<span class="tag">Other notifications</span>') == 1
    assert '<option value="reminder">Reminders of activities</option>' in text


def _list_titles(text: str) -> list[str]:
    return re.findall(r'<p class="notification-title">(?:<span class="visually-hidden">Unread: </span>)?'
                      r'(?:<button[^>]*>)?([^<]+)', text)  # fmt: skip


def test_the_list_filters_by_kind_and_unread(logged_in: Client, sara: User) -> None:
    _send(sara, "Reminder read", kind="reminder", read=True)
    _send(sara, "Reminder unread", kind="reminder")
    _send(sara, "General unread")

    by_kind = logged_in.get(LIST_URL, {"kind": "reminder"}).content.decode()
    unread = logged_in.get(LIST_URL, {"unread": "on"}).content.decode()
    both = logged_in.get(LIST_URL, {"kind": "reminder", "unread": "on"}).content.decode()
    wrong = logged_in.get(LIST_URL, {"kind": "nonsense"}).content.decode()

    assert _list_titles(by_kind) == ["Reminder unread", "Reminder read"]
    assert '<option value="reminder" selected>' in by_kind
    assert _list_titles(unread) == ["General unread", "Reminder unread"]
    assert _list_titles(both) == ["Reminder unread"]
    assert _list_titles(wrong) == ["General unread", "Reminder unread", "Reminder read"]  # ignored


def test_a_filtered_list_pages_with_its_filters(logged_in: Client, sara: User) -> None:
    for number in range(32):
        _send(sara, f"Reminder {number:02d}", kind="reminder")
    _send(sara, "Not a reminder")

    first = logged_in.get(LIST_URL, {"kind": "reminder"}).content.decode()
    next_url = re.search(r'href="(\?[^"]+)" rel="next"', first)
    assert next_url is not None
    second = logged_in.get(LIST_URL + next_url.group(1).replace("&amp;", "&")).content.decode()

    assert "kind=reminder" in next_url.group(1)
    assert _list_titles(second) == ["Reminder 01", "Reminder 00"]
    assert 'href="/accounts/notifications/?kind=reminder">First page' in second


def test_an_empty_filtered_list_says_so(logged_in: Client, sara: User) -> None:
    _send(sara, "Hello")

    text = logged_in.get(LIST_URL, {"kind": "reminder"}).content.decode()

    assert "None matches these filters." in text


def test_a_filtered_list_costs_the_same_queries_for_few_or_many(logged_in: Client, sara: User,
                                                                django_assert_num_queries: Callable) -> None:  # fmt: skip
    _send(sara, "one", kind="reminder")
    with CaptureQueriesContext(connection) as few:
        logged_in.get(LIST_URL, {"kind": "reminder", "unread": "on"})
    for number in range(40):
        _send(sara, f"n{number}", kind="reminder", read=number % 3 == 0)

    # session, user, grants (3), the page, the bell
    with django_assert_num_queries(7):
        logged_in.get(LIST_URL, {"kind": "reminder", "unread": "on"})
    assert len(few) == 7
