"""Moving a meeting on the Jalali calendar in Persian: by dragging it, and by the "move to" form."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.activities.factories import MeetingFactory, staff_member
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
START = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TEHRAN)  # Wednesday 1405/09/11


def test_a_persian_user_drags_a_meeting_to_another_day_and_moves_one_by_keyboard(
    page: Page, live_server: object
) -> None:
    # Given a Persian user with a 90-minute meeting on Wednesday 1405/09/11 at 10:00
    user = staff_member("sara", language=User.Language.PERSIAN)
    meeting = MeetingFactory(owner=user, assignees=[user], subject="جلسه با شرکت آریا", starts_at=START,
                             ends_at=START + dt.timedelta(minutes=90))  # fmt: skip
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)

    # When she opens that week of the Jalali calendar
    page.goto(f"{base}/calendar/?view=week&date=2026-12-02")
    expect(page.locator(".calendar-title")).to_contain_text("آذر ۱۴۰۵")
    expect(page.locator("thead th").first).to_have_text("شنبه")

    # And drags the meeting onto Saturday
    entry = page.locator(".calendar-entry", has_text="جلسه با شرکت آریا")
    entry.drag_to(page.locator("td[data-date='2026-11-28']"))

    # Then it is on Saturday at 10:00, still 90 minutes long
    expect(page.get_by_role("status")).to_contain_text("«جلسه با شرکت آریا» جابه‌جا شد.")
    expect(page.locator("td[data-date='2026-11-28']")).to_contain_text("جلسه با شرکت آریا")
    meeting.refresh_from_db()
    assert meeting.starts_at == START - dt.timedelta(days=4)
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(minutes=90)

    # When she moves it by keyboard to ۱۴۰۵/۰۹/۱۲ at ۱۴:۳۰ with the "move to" form
    page.locator("td[data-date='2026-11-28'] .calendar-move summary").click()
    page.get_by_label("انتقال به").fill("۱۴۰۵/۰۹/۱۲")
    page.get_by_label("ساعت").fill("۱۴:۳۰")
    page.get_by_label("ساعت").press("Enter")

    # Then it is on Thursday at 14:30
    expect(page.locator("td[data-date='2026-12-03']")).to_contain_text("جلسه با شرکت آریا")
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2026, 12, 3, 14, 30, tzinfo=TEHRAN)
