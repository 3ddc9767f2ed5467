"""A Persian-speaking manager reviews possible duplicates, compares two records and merges them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory
from tests.browser.conftest import log_in
from tests.contacts.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRANTS = {(module, action): Scope.ALL for module in ("persons", "companies", "leads")
          for action in ("view", "create", "edit", "delete")}  # fmt: skip


def test_two_records_of_one_customer_are_merged_keeping_the_other_records_phone(
    page: Page, live_server: object
) -> None:
    # Given two records of علی رضایی, one typed with Arabic letters, in the same city, each with its own mobile
    UserFactory(username="negar", language=User.Language.PERSIAN, roles=[RoleFactory(grants=GRANTS)])
    tehran = [{"province": "tehran", "city": "تهران"}]
    older = PersonFactory(first_name="علی", last_name="رضایی", phones=["0912 111 2233"], addresses=tehran)
    newer = PersonFactory(first_name="علي", last_name="رضايي", phones=["0935 444 5566"], addresses=tehran,
                          job_title="مدیر خرید")  # fmt: skip
    base = str(live_server)
    log_in(page, base, "negar", DEFAULT_PASSWORD)

    # When she opens the review list from the menu
    page.get_by_role("link", name="رکوردهای تکراری").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("رکوردهای احتمالاً تکراری")
    expect(page.locator(".duplicate-list tbody tr")).to_have_count(1)
    expect(page.locator(".duplicate-list")).to_contain_text("نام مشابه")

    # and compares the pair
    page.locator(".duplicate-list").get_by_role("link", name=re.compile("مقایسه")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("مقایسه و ادغام")

    # and picks the other record's mobile as the primary phone, then merges
    page.get_by_role("radio", name=re.compile("0935 444 5566")).check()
    page.get_by_role("button", name="ادغام در رکوردی که می‌ماند").click()

    # Then she lands on the kept record, which has both phones, the newer one primary, and the job title
    page.wait_for_url(f"{base}/contacts/{older.pk}/")
    expect(page.locator(".messages")).to_contain_text("ادغام شد")
    assert not Party.objects.filter(pk=newer.pk).exists()
    phones = list(older.contact_points.order_by("-is_primary", "pk").values_list("value", "is_primary"))
    assert phones == [("0935 444 5566", True), ("0912 111 2233", False)]
    older.refresh_from_db()
    assert older.job_title == "مدیر خرید"
