"""The activity report in a browser, in Persian: Jalali months on the chart, and a bar that opens
the activities it counts."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import jdatetime
import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.activities.factories import TaskFactory, staff_member
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def _on(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime.combine(jdatetime.date(year, month, day).togregorian(), dt.time(10), tzinfo=TEHRAN)


def test_a_persian_manager_reads_the_months_and_opens_a_months_activities(page: Page, live_server: object) -> None:
    # Given a Persian user with a task in Aban 1404 and two in Azar 1404
    user = staff_member("sara", language=User.Language.PERSIAN)
    TaskFactory(owner=user, assignees=[user], subject="پیگیری پیش‌فاکتور آبان", due_at=_on(1404, 8, 20))
    TaskFactory(owner=user, assignees=[user], subject="تماس با شرکت آریا", due_at=_on(1404, 9, 3))
    TaskFactory(owner=user, assignees=[user], subject="ارسال کاتالوگ", due_at=_on(1404, 9, 25))
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)

    # When she asks for Aban and Azar by month, typing Jalali days in Persian digits
    page.goto(f"{base}/activities/report/")
    page.locator("[name=period]").select_option("custom")
    page.locator("[name=since]").fill("۱۴۰۴/۰۸/۰۱")
    page.locator("[name=until]").fill("۱۴۰۴/۰۹/۳۰")
    page.locator("[name=group]").select_option("month")
    page.locator(".report-filters button[type=submit]").click()

    # Then the chart is an SVG with the Jalali months in Persian digits, right to left
    chart = page.locator("svg.chart-columns").first
    expect(chart).to_be_visible()
    expect(chart.locator(".chart-label")).to_have_text(["\u2067آبان ۱۴۰۴\u2069", "\u2067آذر ۱۴۰۴\u2069"])
    expect(chart.locator(".chart-value")).to_have_text(["۱", "۲"])
    aban, azar = chart.locator("rect").nth(0).bounding_box(), chart.locator("rect").nth(1).bounding_box()
    assert aban is not None
    assert azar is not None
    assert aban["x"] > azar["x"]  # the earlier month on the right

    # When she clicks Azar's column
    chart.locator("a").nth(1).click()

    # Then the activity list shows Azar's two tasks, not Aban's
    page.wait_for_url("**/activities/?**")
    expect(page.locator(".activity-table tbody tr")).to_have_count(2)
    expect(page.locator(".activity-table")).to_contain_text("تماس با شرکت آریا")
    expect(page.locator(".activity-table")).not_to_contain_text("پیگیری پیش‌فاکتور آبان")
