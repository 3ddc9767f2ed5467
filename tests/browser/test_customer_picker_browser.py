"""Choosing the customer of a new activity by typing a name or a phone, with the keyboard and the mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import User
from peyvand.activities.models import Activity
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.activities.factories import staff_member
from tests.browser.conftest import log_in
from tests.contacts.factories import CompanyFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_finds_the_customer_and_the_participants_by_name_and_phone(page: Page, live_server: object) -> None:
    # Given a rep, a customer company and two persons
    staff_member("sara", language=User.Language.ENGLISH)
    company = CompanyFactory(name="Pars Trading")
    reza = PersonFactory(first_name="Reza", last_name="Karimi", phones=["0912 123 4567"])
    mina = PersonFactory(first_name="Mina", last_name="Karimi")
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    page.goto(f"{base}/activities/new/?kind=meeting")
    page.get_by_label("Subject").fill("Showroom visit")
    page.get_by_label("Starts").fill("2025-03-22 10:00")

    # When she types part of the company's name and takes the first suggestion with Enter
    customer = page.get_by_role("combobox", name=re.compile(r"^Customer:?$"))
    customer.fill("pars")
    expect(page.locator("#id_party_search-options [role=option]")).to_have_count(1)
    customer.press("Enter")
    # Then its name shows, removable, in place of the search box
    expect(page.locator(".picker-choice", has_text="Pars Trading")).to_be_visible()
    expect(customer).to_be_hidden()

    # When she adds one participant by the end of his phone and another by clicking her name
    participants = page.get_by_role("combobox", name=re.compile(r"^Customer participants:?$"))
    participants.fill("4567")
    expect(page.locator("#id_participant_parties_search-options [role=option]")).to_have_count(1)
    participants.press("Enter")
    participants.fill("mina")
    page.get_by_role("option", name="Mina Karimi").click()
    page.get_by_role("button", name="Create").click()

    # Then the meeting is with the company, the two persons taking part
    expect(page.get_by_role("heading", name="Showroom visit")).to_be_visible()
    meeting = Activity.objects.get(subject="Showroom visit")
    assert meeting.party_id == company.pk
    assert set(meeting.participants.values_list("party_id", flat=True)) == {reza.pk, mina.pk}
