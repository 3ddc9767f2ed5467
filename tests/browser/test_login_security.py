"""Logging in safely (the one-time code, the lockout) and finding a colleague from the header."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from peyvand.accounts.models import AuditEvent, LoginFailure, User
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory, with_two_factor
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
WRONG_PASSWORD = "not-the-right-password"


def _submit_login(page: Page, username: str, password: str) -> None:
    page.get_by_label("نام کاربری:", exact=True).fill(username)
    page.get_by_label("رمز عبور:", exact=True).fill(password)
    page.get_by_role("button", name="ورود", exact=True).click()


def test_a_user_with_two_factor_login_enters_the_code_after_the_password(page: Page, live_server: object) -> None:
    # Given a Persian user who has turned two-factor login on
    reza = UserFactory(username="reza", first_name="رضا", language=User.Language.PERSIAN, roles=[RoleFactory()])
    secret = with_two_factor(reza)
    base = str(live_server)

    # When he logs in with his password
    page.goto(f"{base}/accounts/login/")
    _submit_login(page, "reza", DEFAULT_PASSWORD)

    # Then he is asked for the code, and is not logged in yet
    expect(page).to_have_url(f"{base}/accounts/login/code/?next=%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("کد را وارد کنید")
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).exists()

    # When he types the code his app shows, in Persian digits as his keyboard writes them
    page.get_by_label("کد برنامه احراز هویت:", exact=True).fill(pyotp.TOTP(secret).now().translate(PERSIAN_DIGITS))
    page.get_by_role("button", name="ورود", exact=True).click()

    # Then he lands on the home page, logged in, and the code cannot be used again
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("رضا، خوش آمدید")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN, actor=reza).count() == 1
    reza.refresh_from_db()
    assert reza.totp_last_step is not None


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(
    page: Page, live_server: object, settings: Any
) -> None:
    # Given an account that may fail three times (live_server runs in this process: the setting applies)
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 3
    UserFactory(username="sara", roles=[RoleFactory()])
    base = str(live_server)
    page.goto(f"{base}/accounts/login/")
    errors = page.locator(".errorlist.nonfield")

    # When someone types a wrong password three times
    for _attempt in range(3):
        _submit_login(page, "sara", WRONG_PASSWORD)
        # The page comes back with the password emptied and the error above the form
        expect(page.get_by_label("رمز عبور:", exact=True)).to_have_value("")
        expect(errors).to_have_text("نام کاربری یا رمز عبور درست نیست.")
    assert LoginFailure.objects.filter(username="sara").count() == 3

    # Then even the right password is refused, with the lockout message
    _submit_login(page, "sara", DEFAULT_PASSWORD)
    expect(errors).to_contain_text("تلاش‌های ناموفق زیادی انجام شده است.")
    expect(page).to_have_url(f"{base}/accounts/login/")
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT, actor_label="sara").count() == 1
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).exists()


def test_the_header_search_finds_a_colleague_spelled_with_arabic_letters(page: Page, live_server: object) -> None:
    # Given a Persian administrator and two colleagues, one named علی (with the Persian ی)
    UserFactory(username="admin", first_name="مدیر", language=User.Language.PERSIAN,
                roles=[RoleFactory(name="Administrators", is_administrator=True)])  # fmt: skip
    ali = UserFactory(username="ali", first_name="علی", last_name="رضایی")
    UserFactory(username="sara", first_name="سارا", last_name="احمدی")
    base = str(live_server)
    log_in(page, base, "admin", DEFAULT_PASSWORD)

    # When she types his name with the Arabic ي, as an Arabic keyboard writes it
    page.get_by_role("combobox", name="جستجو").press_sequentially("علي")

    # Then the popup shows him as she types, and not the other colleague
    results = page.locator("#global-search-results .search-results li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("علی رضایی")
    expect(results.first).to_contain_text("کاربر")

    # And choosing him opens his page
    results.first.get_by_role("option").click()
    expect(page).to_have_url(f"{base}/accounts/users/{ali.pk}/")


def test_pressing_slash_focuses_the_search_box(page: Page, live_server: object) -> None:
    # Given a user on the home page
    UserFactory(username="sara", first_name="سارا", language=User.Language.PERSIAN, roles=[RoleFactory()])
    base = str(live_server)
    log_in(page, base, "sara", DEFAULT_PASSWORD)
    search = page.get_by_role("combobox", name="جستجو")
    expect(search).not_to_be_focused()

    # When she presses "/"
    page.keyboard.press("/")

    # Then the search box has the focus, without a "/" typed into it
    expect(search).to_be_focused()
    expect(search).to_have_value("")

    # And a "/" typed inside the box is text, not a shortcut
    page.keyboard.type("a/b")
    expect(search).to_have_value("a/b")
