"""The bell counts a notification sent while the page is open, without a reload; "mark all as read"
on my page clears the panel and the bell together; coming back to the tab refreshes the bell."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts import notifications
from peyvand.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_rises_without_a_reload_and_my_page_clears_it(page: Page, live_server: object,
                                                               settings) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    # Given a Persian user on her page, with the bell asking every second
    settings.NOTIFICATION_POLL_SECONDS = 1
    sara = UserFactory(username="sara", language=User.Language.PERSIAN)
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    bell = page.get_by_role("link", name="اعلان‌ها", exact=True)
    expect(bell).to_be_visible()
    expect(page.locator(".notification-bell .badge")).to_have_count(0)
    page.evaluate("window.peyvandTestMarker = 'still here'")

    # When two notifications are sent to her on the server
    notifications.notification_send(recipient=sara, title="یادآوری: تماس با شرکت آریا", kind="reminder",
                                    url="/accounts/notifications/")  # fmt: skip
    notifications.notification_send(recipient=sara, title="سلام")

    # Then the bell shows them, in Persian digits, and the page was not reloaded
    expect(page.locator(".notification-bell .badge")).to_have_text("۲", timeout=8_000)
    assert page.evaluate("window.peyvandTestMarker") == "still here"

    # When she reloads her page (the bell now asking only every ten minutes), her panel lists them;
    # "mark all as read" clears the panel, and the bell hears of it at once
    settings.NOTIFICATION_POLL_SECONDS = 600
    page.reload()
    panel = page.locator("#panel-notifications")
    expect(panel).to_contain_text("یادآوری: تماس با شرکت آریا")
    panel.get_by_role("button", name="همه خوانده شد").click()
    expect(panel).not_to_contain_text("یادآوری: تماس با شرکت آریا")
    expect(page.locator(".notification-bell .badge")).to_have_count(0, timeout=5_000)
    assert notifications.unread_count(sara) == 0

    # When another arrives while she is in another tab, and she comes back to this one
    notifications.notification_send(recipient=sara, title="یادداشت تازه")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    # Then the bell asks at once, not in ten minutes
    expect(page.locator(".notification-bell .badge")).to_have_text("۱", timeout=5_000)
