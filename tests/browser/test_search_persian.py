"""A Persian-speaking operator finds a customer from the header's search, typing with Arabic letters."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory
from tests.browser.conftest import log_in
from tests.contacts.factories import CompanyFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_persian_name_typed_with_arabic_letters_is_found_and_opened_with_enter(
    page: Page, live_server: object
) -> None:
    # Given a Persian-speaking operator and a person whose name has Persian ی and ک
    grants = {(module, Action.VIEW): Scope.ALL for module in ("persons", "companies", "leads")}
    UserFactory(username="negar", language=User.Language.PERSIAN, roles=[RoleFactory(grants=grants)])
    person = PersonFactory(first_name="علی", last_name="کریمی", phones=["0912 123 4567"])
    CompanyFactory(name="کریمی و شرکا")
    base = str(live_server)
    log_in(page, base, "negar", DEFAULT_PASSWORD)

    # When she types the name with an Arabic keyboard's ي and ك in the header's search
    search = page.locator("#global-search-input")
    search.click()
    search.press_sequentially("علي كري", delay=30)

    # Then the person shows under «اشخاص», chosen first, and the company under «شرکت‌ها»
    results = page.locator("#global-search-results")
    option = results.get_by_role("option", name=re.compile("علی کریمی"))
    expect(option).to_be_visible()
    expect(option).to_have_attribute("aria-selected", "true")
    expect(results.locator(".search-group-title")).to_have_text(["اشخاص"])
    expect(search).to_have_attribute("aria-expanded", "true")

    # When she presses Enter
    search.press("Enter")

    # Then the person's customer page opens
    page.wait_for_url(f"{base}/contacts/{person.pk}/")


def test_arrow_keys_choose_another_result_in_the_right_to_left_dropdown(page: Page, live_server: object) -> None:
    # Given two persons and a company that "کریمی" finds
    grants = {(module, Action.VIEW): Scope.ALL for module in ("persons", "companies", "leads")}
    UserFactory(username="negar", language=User.Language.PERSIAN, roles=[RoleFactory(grants=grants)])
    PersonFactory(first_name="علی", last_name="کریمی")
    PersonFactory(first_name="سارا", last_name="کریمی")
    company = CompanyFactory(name="کریمی و شرکا")
    base = str(live_server)
    log_in(page, base, "negar", DEFAULT_PASSWORD)
    search = page.locator("#global-search-input")
    search.click()
    search.press_sequentially("کریمی", delay=30)
    results = page.locator("#global-search-results")
    expect(results.locator(".search-group-title")).to_have_text(["اشخاص", "شرکت‌ها"])
    box = results.bounding_box()
    input_box = search.bounding_box()
    assert box is not None
    assert input_box is not None
    assert abs((box["x"] + box["width"]) - (input_box["x"] + input_box["width"])) < 2, "aligned with the box's start"

    # When she goes down twice and presses Enter
    search.press("ArrowDown")
    search.press("ArrowDown")
    expect(results.get_by_role("option", name=re.compile("کریمی و شرکا"))).to_have_attribute("aria-selected", "true")
    search.press("Enter")

    # Then the company opens
    page.wait_for_url(f"{base}/contacts/{company.pk}/")
