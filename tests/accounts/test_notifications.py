"""In-app notifications: sending, the bell, the list and marking them read."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peyvand.accounts import notifications, selectors
from peyvand.accounts.models import Notification, User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/accounts/notifications/"
BELL_URL = "/accounts/notifications/bell/"
READ_URL = "/accounts/notifications/read/"
CONTEXT_PROCESSOR = "peyvand.accounts.notifications.notifications"
# A logged-in page: the session, the user, their grants (roles, grants, field grants, teams).
PAGE_QUERIES = 6


@pytest.fixture(autouse=True)
def _bell_context_processor(settings) -> None:  # type: ignore[no-untyped-def]
    """What settings.py is to list (TEMPLATES context_processors) so that every page has the count."""
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    if CONTEXT_PROCESSOR not in processors:
        processors.append(CONTEXT_PROCESSOR)
    settings.TEMPLATES = templates


@pytest.fixture
def sara(db: None) -> User:
    return UserFactory(username="sara")


@pytest.fixture
def logged_in(client: Client, sara: User) -> Client:
    client.force_login(sara)
    return client


def _send(recipient: User, title: str, *, read: bool = False, url: str = "", body: str = "") -> Notification:
    notification = notifications.notification_send(recipient=recipient, title=title, body=body, url=url)
    if read:
        notifications.notification_mark_read(user=recipient, ids=[notification.pk])
    return notification


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'<p class="notification-title">(?:<span class="visually-hidden">Unread: </span>)?'
                      r'(?:<button[^>]*>)?([^<]+)', response.content.decode())  # fmt: skip


def _unread(user: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("pk").values_list("title", flat=True)
    )


# Services -------------------------------------------------------------------------------------
def test_sending_a_notification(sara: User) -> None:
    notification = notifications.notification_send(recipient=sara, title="Deal won", body="Congratulations",
                                                   url="/accounts/users/1/")  # fmt: skip

    stored = Notification.objects.get()
    assert (stored.pk, stored.recipient_id, stored.title, stored.body, stored.url) == (
        notification.pk,
        sara.pk,
        "Deal won",
        "Congratulations",
        "/accounts/users/1/",
    )
    assert stored.read_at is None


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/", "/\\evil.example", "data:text/html,x", "ftp://x"]
)
def test_a_notification_links_only_to_a_path_or_a_web_address(sara: User, url: str) -> None:
    with pytest.raises(ValueError, match="A notification links to a path"):
        notifications.notification_send(recipient=sara, title="Bad", url=url)

    assert Notification.objects.count() == 0


def test_a_web_address_is_a_fine_link(sara: User) -> None:
    notification = notifications.notification_send(recipient=sara, title="Docs", url="https://example.com/help")

    assert notification.url == "https://example.com/help"


def test_marking_some_read_leaves_the_others_and_other_peoples(sara: User) -> None:
    reza = UserFactory(username="reza")
    first, _second = _send(sara, "first"), _send(sara, "second")
    theirs = _send(reza, "theirs")

    count = notifications.notification_mark_read(user=sara, ids=[first.pk, theirs.pk])

    assert count == 1
    assert _unread(sara) == ["second"]
    assert _unread(reza) == ["theirs"]


def test_marking_all_read(sara: User) -> None:
    _send(sara, "first")
    _send(sara, "second")
    already = _send(sara, "old", read=True)
    read_at = Notification.objects.get(pk=already.pk).read_at

    count = notifications.notification_mark_read(user=sara)

    assert count == 2
    assert _unread(sara) == []
    assert Notification.objects.get(pk=already.pk).read_at == read_at


# The bell -------------------------------------------------------------------------------------
def test_the_bell_shows_the_unread_count(logged_in: Client, sara: User) -> None:
    _send(sara, "one")
    _send(sara, "two")
    _send(sara, "seen", read=True)
    _send(UserFactory(), "someone else's")

    response = logged_in.get(BELL_URL)

    text = response.content.decode()
    assert response.status_code == 200
    assert 'aria-label="Notifications: 2 unread"' in text
    assert '<span class="badge" aria-hidden="true">2</span>' in text


def test_the_bell_without_unread_shows_no_badge(logged_in: Client) -> None:
    text = logged_in.get(BELL_URL).content.decode()

    assert 'aria-label="Notifications"' in text
    assert "badge" not in text


def test_the_bell_after_the_session_ended_changes_nothing_on_the_page(client: Client) -> None:
    response = client.get(BELL_URL)

    assert response.status_code == 204
    assert response.content == b""


def test_every_page_counts_the_unread_once(logged_in: Client, sara: User) -> None:
    for number in range(3):
        _send(sara, f"n{number}")

    with CaptureQueriesContext(connection) as queries:
        response = logged_in.get(LIST_URL)

    counts = [query["sql"] for query in queries.captured_queries
              if "COUNT(" in query["sql"].upper() and "accounts_notification" in query["sql"]]  # fmt: skip
    assert len(counts) == 1
    assert '<span class="badge" aria-hidden="true">3</span>' in response.content.decode()


def test_a_page_that_shows_no_bell_does_not_count(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/login/")

    assert not any("accounts_notification" in query["sql"] for query in queries.captured_queries)


# The list -------------------------------------------------------------------------------------
def test_the_list_shows_the_unread_first_then_the_read(logged_in: Client, sara: User) -> None:
    _send(sara, "old unread")
    _send(sara, "read one", read=True)
    _send(sara, "new unread", body="Line one\nLine two", url="/accounts/users/")

    response = logged_in.get(LIST_URL)

    text = re.sub(r"\s+", " ", response.content.decode())
    assert _titles(response) == ["new unread", "old unread", "read one"]
    assert text.count('<li class="unread">') == 2
    assert text.count('<li class="read">') == 1
    assert '<p class="notification-body">Line one<br>Line two</p>' in text
    assert '<button class="button secondary" type="submit" name="all" value="1">Mark all as read</button>' in text


def test_the_list_pages_through_the_unread_then_the_read(logged_in: Client, sara: User) -> None:
    base = timezone.now()
    for number in range(35):
        with mock.patch("django.utils.timezone.now", return_value=base + dt.timedelta(minutes=number)):
            _send(sara, f"read {number:02d}", read=number % 2 == 0)
    # 17 unread (odd numbers) and 18 read (even numbers), 30 on a page.

    first = logged_in.get(LIST_URL)
    next_url = re.search(r'href="(\?cursor=[^"]+)" rel="next"', first.content.decode())
    assert next_url is not None
    second = logged_in.get(LIST_URL + next_url.group(1))

    unread = [f"read {n:02d}" for n in range(33, 0, -2)]
    read = [f"read {n:02d}" for n in range(34, -1, -2)]
    assert _titles(first) == unread + read[:13]
    assert _titles(second) == read[13:]
    assert 'rel="next"' not in second.content.decode()


def test_a_page_that_ends_exactly_with_the_unread_links_to_the_read(sara: User) -> None:
    for number in range(3):
        _send(sara, f"unread {number}")
    _send(sara, "read", read=True)

    page = selectors.notification_page(user=sara, cursor=None, limit=3)
    rest = selectors.notification_page(user=sara, cursor=page.next_cursor, limit=3)

    assert [n.title for n in page.items] == ["unread 2", "unread 1", "unread 0"]
    assert page.next_cursor == "r~"
    assert ([n.title for n in rest.items], rest.next_cursor) == (["read"], None)


def test_a_page_that_ends_exactly_with_the_unread_and_nothing_read_has_no_next(sara: User) -> None:
    for number in range(3):
        _send(sara, f"unread {number}")

    page = selectors.notification_page(user=sara, cursor=None, limit=3)

    assert page.next_cursor is None


def test_the_list_costs_the_same_queries_for_few_or_many(logged_in: Client, sara: User,
                                                         django_assert_num_queries: Callable,
                                                         django_assert_max_num_queries: Callable) -> None:  # fmt: skip
    _send(sara, "unread")
    _send(sara, "read", read=True)
    with CaptureQueriesContext(connection) as few:
        logged_in.get(LIST_URL)
    for number in range(40):
        _send(sara, f"n{number}", read=number % 3 == 0)

    # The unread part, the read part and the bell's count.
    with django_assert_max_num_queries(PAGE_QUERIES + 3), django_assert_num_queries(len(few)):
        logged_in.get(LIST_URL)


def test_an_empty_list_says_so(logged_in: Client) -> None:
    text = re.sub(r"\s+", " ", logged_in.get(LIST_URL).content.decode())

    assert "<h2>No notifications</h2>" in text
    assert "Mark all as read" not in text


def test_the_list_needs_a_login(client: Client) -> None:
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={LIST_URL}"


# Marking read ---------------------------------------------------------------------------------
def test_marking_one_read_from_the_list(logged_in: Client, sara: User) -> None:
    first, _second = _send(sara, "first"), _send(sara, "second")

    response = logged_in.post(READ_URL, {"id": first.pk})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert _unread(sara) == ["second"]


def test_marking_all_read_from_the_list(logged_in: Client, sara: User) -> None:
    _send(sara, "first")
    _send(sara, "second")

    logged_in.post(READ_URL, {"all": "1"})

    assert _unread(sara) == []


def test_opening_a_notification_marks_it_read_and_follows_its_link(logged_in: Client, sara: User) -> None:
    notification = _send(sara, "Look", url="/accounts/profile/")

    response = logged_in.post(READ_URL, {"open": notification.pk})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert _unread(sara) == []


def test_no_one_marks_another_users_notifications(logged_in: Client) -> None:
    reza = UserFactory(username="reza")
    theirs = _send(reza, "theirs", url="/secret/")

    opened = logged_in.post(READ_URL, {"open": theirs.pk})
    marked = logged_in.post(READ_URL, {"id": theirs.pk})

    assert opened["Location"] == LIST_URL
    assert marked["Location"] == LIST_URL
    assert _unread(reza) == ["theirs"]


def test_marking_read_needs_a_post(logged_in: Client, sara: User) -> None:
    _send(sara, "first")

    response = logged_in.get(READ_URL, {"all": "1"})

    assert response.status_code == 405
    assert _unread(sara) == ["first"]
