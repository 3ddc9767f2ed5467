"""A person logs in, sees the Persian right-to-left shell with a Jalali date, and switches to English."""

from __future__ import annotations

import jdatetime
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_login_then_switch_language_keeps_the_choice(page: Page, live_server: object) -> None:
    # Given a Persian-speaking sales rep
    UserFactory(username="sara", first_name="سارا", language=User.Language.PERSIAN, roles=[RoleFactory()])
    base = str(live_server)

    # When she logs in
    log_in(page, base, "sara", DEFAULT_PASSWORD)

    # Then the page is Persian, laid out right to left, and today's date is Jalali with Persian digits
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    today = jdatetime.date.fromgregorian(date=timezone.localdate())
    months = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
    jalali_long = f"{today.day} {months[today.month - 1]} {today.year}".translate(PERSIAN_DIGITS)
    expect(page.locator(".page-header")).to_contain_text(jalali_long)
    sidebar = page.locator("#sidebar").bounding_box()
    assert sidebar is not None
    assert sidebar["x"] > 640, "the navigation sits on the right in Persian"

    # When she switches to English from the user menu
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="English").click()

    # Then the page is English, left to right, with a Gregorian date, and the choice is kept
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator(".page-header")).to_contain_text(f"{timezone.localdate():%B %Y}")
    sidebar = page.locator("#sidebar").bounding_box()
    assert sidebar is not None
    assert sidebar["x"] < 10, "the navigation sits on the left in English"
    assert User.objects.get(username="sara").language == "en"
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
