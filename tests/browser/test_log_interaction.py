"""Logging a call from the customer page in a few keystrokes, in Persian and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.timeline.models import Interaction
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory
from tests.browser.conftest import log_in
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory, channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff(language: str) -> User:
    grants = {("persons", action): Scope.ALL for action in ("view", "edit")}
    grants.update({("interactions", action): Scope.ALL for action in ("view", "create", "edit", "delete")})
    return UserFactory(username="sara", first_name="Sara", last_name="Ahmadi", language=language,
                       roles=[RoleFactory(name="Call centre", grants=grants)])  # fmt: skip


def test_a_persian_operator_logs_a_call_with_the_keyboard(page: Page, live_server: object) -> None:
    # Given a Persian-speaking operator on a customer's page with an older call on the timeline
    _staff(User.Language.PERSIAN)
    channel("phone")
    party = PersonFactory(first_name="رضا", last_name="مرادی")
    InteractionFactory(party=party, subject="تماس قبلی")
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    page.goto(f"{base}/contacts/{party.pk}/")
    expect(page.locator("#timeline-entries")).to_contain_text("تماس قبلی")

    # When she presses L, types the subject and the note, and presses Ctrl+Enter
    page.locator("body").press("KeyL")
    expect(page.get_by_label("موضوع")).to_be_focused()
    page.keyboard.type("پیگیری سفارش کاشی")
    page.keyboard.press("Tab")
    page.keyboard.type("مشتری زمان تحویل را پرسید.")
    page.keyboard.press("Control+Enter")

    # Then the call is on top of the timeline without a reload, by phone, outgoing, and the form is ready again
    top = page.locator("#timeline-entries li").first
    expect(top).to_contain_text("پیگیری سفارش کاشی")
    expect(top).to_contain_text("تلفن")
    expect(top).to_contain_text("خروجی")
    expect(page.get_by_role("status")).to_contain_text("تعامل ثبت شد.")
    expect(page.get_by_label("موضوع")).to_have_value("")
    expect(page.get_by_label("موضوع")).to_be_focused()
    interaction = Interaction.objects.get(subject="پیگیری سفارش کاشی")
    assert (interaction.channel.key, interaction.kind, interaction.direction) == ("phone", "call", "outbound")
    assert interaction.content == "مشتری زمان تحویل را پرسید."


def test_an_english_rep_logs_a_store_visit_with_the_quick_choice(page: Page, live_server: object) -> None:
    # Given an English-speaking rep on a customer's page with an empty timeline
    _staff(User.Language.ENGLISH)
    channel("phone")
    channel("store")
    party = PersonFactory(first_name="Ali", last_name="Rezaei")
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    page.goto(f"{base}/contacts/{party.pk}/")

    # When she picks "Visit", types a subject and logs it
    page.get_by_role("button", name="Visit", exact=True).click()
    expect(page.get_by_label("Subject")).to_be_focused()
    page.keyboard.type("Came to the showroom")
    page.get_by_role("button", name="Log it").click()

    # Then the visit is on top of the timeline, in the store channel, incoming
    top = page.locator("#timeline-entries li.timeline-entry").first
    expect(top).to_contain_text("Came to the showroom")
    expect(top).to_contain_text("Store or branch visit")
    expect(top).to_contain_text("Inbound")
    expect(page.locator(".timeline-empty")).to_be_hidden()
    assert Interaction.objects.get().kind == "visit"
