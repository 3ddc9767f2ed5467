"""Creating a task from a customer page and finding it on "my page" (کارتابل), in Persian."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.activities.models import Activity
from peyvand.common.calendar import format_date
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.activities.factories import staff_member
from tests.browser.conftest import log_in
from tests.contacts.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_persian_rep_adds_a_task_from_the_customer_page_and_sees_it_on_her_page(
    page: Page, live_server: object
) -> None:
    # Given a Persian-speaking rep on a customer's page
    staff_member("sara", first_name="سارا", last_name="احمدی", language=User.Language.PERSIAN)
    party = PersonFactory(first_name="رضا", last_name="مرادی")
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    page.goto(f"{base}/contacts/{party.pk}/")
    panel = page.locator("#activities")
    expect(panel).to_contain_text("برای این مشتری کار بازی نیست.")

    # When she types a subject and a Jalali due time for today in the panel's quick form and adds it
    today = timezone.localtime()
    due = f"{format_date(today.date(), language='fa')} 23:59"
    panel.get_by_label("موضوع").fill("ارسال پیش‌فاکتور")
    panel.get_by_label("زمان").fill(due)
    panel.get_by_role("button", name="افزودن").click()

    # Then the panel refreshes without a reload with the new open task
    expect(page.locator("#activities")).to_contain_text("«ارسال پیش‌فاکتور» افزوده شد.")
    expect(page.locator("#activities .activity-items")).to_contain_text("ارسال پیش‌فاکتور")
    task = Activity.objects.get(subject="ارسال پیش‌فاکتور")
    assert (task.kind, task.party_id) == ("task", party.pk)

    # And on her page it is among today's (overdue a minute before midnight), and "done" there marks it done
    page.goto(f"{base}/")
    part = page.locator("#my-activities-today, #my-activities-overdue")
    expect(part).to_contain_text("ارسال پیش‌فاکتور")
    part.get_by_role("button", name="انجام شد").first.click()
    expect(page.locator(".activity-item.done")).to_contain_text("ارسال پیش‌فاکتور")
    task.refresh_from_db()
    assert task.status == "done"
