"""A Persian sales rep filters her persons list, saves the view, and opens it again later."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import SavedView
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory
from tests.browser.conftest import log_in
from tests.contacts.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_a_persian_list_and_save_the_view(page: Page, live_server: object) -> None:
    # Given a Persian-speaking rep with customers in Tehran and elsewhere
    grants = {("persons", action): Scope.ALL for action in ("view", "create", "edit", "export")}
    sara = UserFactory(username="sara", first_name="سارا", language=User.Language.PERSIAN,
                       roles=[RoleFactory(grants=grants)])  # fmt: skip
    tehran = [{"province": "tehran", "city": "تهران"}]
    PersonFactory(first_name="علی", last_name="کریمی", lifecycle_stage="customer", addresses=tehran, owner=sara)
    PersonFactory(first_name="مریم", last_name="احمدی", lifecycle_stage="prospect", addresses=tehran, owner=sara)
    PersonFactory(first_name="رضا", last_name="مرادی", lifecycle_stage="customer",
                  addresses=[{"province": "isfahan", "city": "اصفهان"}], owner=sara)  # fmt: skip
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)

    # When she opens Persons from the menu and filters: customers, in Tehran
    page.get_by_role("link", name="اشخاص").first.click()
    expect(page.get_by_role("heading", name="اشخاص")).to_be_visible()
    expect(page.locator(".party-name")).to_have_count(3)
    page.locator(".filter-row .check-menu summary").first.click()
    page.get_by_role("checkbox", name="مشتری", exact=True).check()
    page.get_by_text("فیلترهای بیشتر").click()
    page.locator(".filter-grid .field", has_text="استان").locator("summary").click()
    page.get_by_role("checkbox", name="تهران").check()
    page.get_by_role("button", name="فیلتر", exact=True).click()

    # Then only Ali is listed, the page reads right to left
    expect(page.locator(".party-name")).to_have_count(1)
    expect(page.locator(".party-name")).to_contain_text("علی کریمی")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # When she saves this view under a Persian name
    page.get_by_text("نماهای ذخیره‌شده").click()
    page.get_by_label("ذخیره این فیلترها و ترتیب با نام").fill("مشتریان تهران")
    page.get_by_role("button", name="ذخیره", exact=True).click()

    # Then she is told so, and the view is hers with the filters she chose
    expect(page.locator(".messages")).to_contain_text("نمای «مشتریان تهران» ذخیره شد.")
    expect(page.locator("h1")).to_contain_text("مشتریان تهران")
    view = SavedView.objects.get(user=sara)
    assert (view.kind, view.name, view.query) == ("person", "مشتریان تهران", "stage=customer&province=tehran&sort=name")

    # When she comes back to the plain list and opens the view from the menu
    page.goto(f"{base}/contacts/persons/")
    expect(page.locator(".party-name")).to_have_count(3)
    page.get_by_text("نماهای ذخیره‌شده").click()
    page.get_by_role("link", name="مشتریان تهران").click()

    # Then the list is filtered again
    expect(page.locator(".party-name")).to_have_count(1)
    expect(page.locator(".party-name")).to_contain_text("علی کریمی")


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_lists_have_no_serious_accessibility_violations(page: Page, live_server: object, language: str,
                                                          theme: str) -> None:  # fmt: skip
    from tests.browser.test_accessibility import _serious_violations

    admin = UserFactory(username="maryam", language=language, roles=[RoleFactory(is_administrator=True)])
    User.objects.filter(pk=admin.pk).update(theme=theme)
    PersonFactory(first_name="Sara", last_name="Karimi", phones=["09121234567"], tags=["VIP"], owner=admin,
                  lifecycle_stage="customer")  # fmt: skip
    base = str(live_server)
    log_in(page, base, "maryam", DEFAULT_PASSWORD)

    found = {}
    for path in ("/contacts/persons/", "/contacts/companies/", "/contacts/leads/?created_from=1403/13/01"):
        page.goto(f"{base}{path}")
        page.locator(".more-filters > summary").click()
        if page.locator("[data-select-all]").count():
            page.locator("[data-select-all]").check()
        violations = _serious_violations(page)
        if violations:
            found[path] = violations

    assert found == {}
