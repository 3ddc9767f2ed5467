"""A Persian user with the sensitive fields granted creates a person with two phones and a Jalali
birth date, and lands on the customer page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, TeamFactory, UserFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_persian_user_creates_a_person_with_two_phones(page: Page, live_server: object) -> None:
    # Given a Persian user whose role may create persons and see their birth date
    team = TeamFactory(name="فروش")
    grants = {("persons", action): Scope.TEAM for action in ("view", "create", "edit")}
    role = RoleFactory(grants=grants, sensitive_fields=[("persons", "birth_date"), ("persons", "national_id")])
    UserFactory(username="sara", roles=[role], teams=[team], language=User.Language.PERSIAN)
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)

    # When she fills in the form, adding a second phone row in place
    page.goto(f"{base}/contacts/new/person/")
    page.fill("input[name=first_name]", "مریم")
    page.fill("input[name=last_name]", "احمدی")
    page.fill("input[name=birth_date]", "۱۳۶۹/۰۱/۱۴")
    page.fill("input[name=points-0-value]", "۰۹۱۲ ۱۲۳ ۴۵۶۷")
    page.click("button[data-formset-add=points]")
    page.select_option("select[name=points-2-kind]", "phone")
    page.fill("input[name=points-2-value]", "021-8888-0000")
    page.click("form.party-form button.primary")

    # Then the customer page shows her with both phones and the Jalali birth date
    expect(page.locator("h1")).to_contain_text("مریم احمدی")
    party = Party.objects.get()
    assert page.url.endswith(f"/contacts/{party.pk}/")
    assert sorted(party.contact_points.values_list("key", flat=True)) == ["+982188880000", "+989121234567"]
    expect(page.locator("a[href='tel:+989121234567']")).to_be_visible()
    expect(page.locator("a[href='tel:+982188880000']")).to_be_visible()
    expect(page.locator("section[aria-labelledby=party-details]")).to_contain_text("۱۴ فروردین ۱۳۶۹")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
