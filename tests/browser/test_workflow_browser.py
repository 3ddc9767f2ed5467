"""Asking a manager to approve a discount from a customer's page, and the manager approving it from
her page (کارتابل), in Persian; the decision reaches the rep and the customer's timeline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import Notification, User
from peyvand.activities.workflow.models import ApprovalRequest
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, TeamFactory, UserFactory
from tests.browser.conftest import log_in
from tests.contacts.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODULES = ("persons", "companies", "leads", "activities", "interactions")
ACTIONS = ("view", "create", "edit", "delete", "export")


def _role(name: str, scope: int) -> object:
    return RoleFactory(name=name, grants={(module, action): scope for module in MODULES for action in ACTIONS})


def test_a_rep_asks_for_a_discount_and_her_manager_approves_it_from_her_page(page: Page, live_server: object) -> None:
    # Given Sara sells with her own customers and Maryam manages the Tehran team
    tehran = TeamFactory(name="تهران")
    sara = UserFactory(username="sara", first_name="سارا", last_name="احمدی", language=User.Language.PERSIAN,
                       teams=[tehran], roles=[_role("کارشناس فروش", 1)])  # fmt: skip
    UserFactory(username="maryam", first_name="مریم", last_name="رضایی", language=User.Language.PERSIAN,
                teams=[tehran], roles=[_role("مدیر فروش", 3)])  # fmt: skip
    customer = PersonFactory(first_name="رضا", last_name="مرادی", owner=sara, team=tehran)
    base = str(live_server)

    # When Sara asks Maryam, from the customer's page, to approve a 12% discount
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    page.goto(f"{base}/contacts/{customer.pk}/")
    page.locator(".workflow-panel").get_by_role("link", name="درخواست تأیید").click()
    page.get_by_label("چه چیزی باید تأیید شود").fill("۱۲٪ تخفیف قرارداد سالانه")
    page.get_by_label("تأییدکننده").select_option(label="مریم رضایی (maryam)")
    page.get_by_role("button", name="ارسال درخواست").click()
    expect(page.locator("h1")).to_have_text("۱۲٪ تخفیف قرارداد سالانه")
    expect(page.locator(".tag.approval-pending")).to_be_visible()

    # Then Maryam finds it waiting for her on her page, and approves it with a comment
    page.context.clear_cookies()
    log_in(page, base, "maryam", DEFAULT_PASSWORD)
    waiting = page.locator("#my-approvals")
    expect(waiting).to_contain_text("۱۲٪ تخفیف قرارداد سالانه")
    waiting.get_by_role("link", name="۱۲٪ تخفیف قرارداد سالانه").click()
    page.get_by_label("توضیح").fill("فقط برای همین فصل")
    page.get_by_role("button", name="تأیید", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("درخواست را تأیید کردید.")
    expect(page.locator(".tag.approval-approved")).to_be_visible()

    approval = ApprovalRequest.objects.get()
    assert (approval.status, approval.comment) == ("approved", "فقط برای همین فصل")
    assert Notification.objects.filter(recipient=sara, kind="approval_decision").exists()

    # And the customer's timeline keeps the request and the decision
    page.goto(f"{base}/contacts/{customer.pk}/")
    timeline = page.locator(".timeline-change")
    expect(timeline.first).to_contain_text("فقط برای همین فصل")
    expect(page.locator(".timeline-change", has_text="درخواست تأیید")).to_contain_text("۱۲٪ تخفیف قرارداد سالانه")


def test_typing_an_at_sign_in_a_note_offers_colleagues_and_tells_the_one_chosen(
    page: Page, live_server: object
) -> None:
    from tests.activities.factories import TaskFactory

    tehran = TeamFactory(name="Tehran")
    sara = UserFactory(username="sara", first_name="Sara", last_name="Ahmadi", language=User.Language.ENGLISH,
                       teams=[tehran], roles=[_role("Rep", 1)])  # fmt: skip
    maryam = UserFactory(username="maryam", first_name="Maryam", last_name="Rezaei", teams=[tehran],
                         roles=[_role("Manager", 3)])  # fmt: skip
    task = TaskFactory(actor=sara, owner=sara, team=tehran, assignees=[sara], subject="Send the price list")
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    page.goto(f"{base}/activities/{task.pk}/")

    note = page.get_by_role("textbox", name="Note")
    note.press_sequentially("Please check the prices @mar")
    option = page.get_by_role("option", name="Maryam Rezaei")
    expect(option).to_be_visible()
    note.press("Enter")
    expect(note).to_have_value("Please check the prices @maryam ")
    page.get_by_role("button", name="Add the note").click()

    expect(page.locator("#activity-notes mark.mention")).to_have_text("@maryam")
    assert Notification.objects.filter(recipient=maryam, kind="mention").count() == 1
