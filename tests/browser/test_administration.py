"""An administrator sets up access as a person would: a role from the grant matrix, a user, the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from unittest import mock

import jdatetime
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent, Role, User
from peyvand.accounts.permissions import Scope
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, TeamFactory, UserFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _administrator(language: str) -> User:
    return UserFactory(
        username="admin", first_name="مدیر", language=language,
        roles=[RoleFactory(name="Administrators", is_administrator=True)],
    )  # fmt: skip


def _team_change(label: str) -> None:
    audit.record(actor=None, kind=AuditEvent.Kind.UPDATE, object_type="accounts.team", object_label=label)


def test_a_persian_administrator_creates_a_role_through_the_grant_matrix(page: Page, live_server: object) -> None:
    # Given a Persian-speaking administrator on the administration pages
    _administrator(User.Language.PERSIAN)
    base = str(live_server)
    log_in(page, base, "admin", DEFAULT_PASSWORD)
    page.locator("#sidebar").get_by_role("link", name="مدیریت").click()
    page.get_by_role("navigation", name="مدیریت").get_by_role("link", name="نقش‌ها").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("نقش‌ها")

    # When she creates a role: a Persian name, a few cells of the matrix, a sensitive field, two-factor login
    page.get_by_role("link", name="نقش جدید").click()
    page.get_by_label("نام:", exact=True).fill("کارشناس فروش")
    page.get_by_label("کاربران: مشاهده", exact=True).select_option(label="تیم خود و زیرتیم‌ها")
    page.get_by_label("کاربران: ویرایش", exact=True).select_option(label="رکوردهای خود")
    page.get_by_label("تیم‌ها: مشاهده", exact=True).select_option(label="بله")
    page.get_by_label("ردپای ممیزی: مشاهده", exact=True).select_option(label="همه")
    page.get_by_label("نشانی ایمیل", exact=True).check()
    page.get_by_label("ورود دومرحله‌ای الزامی باشد").check()
    page.get_by_role("button", name="ایجاد نقش").click()

    # Then the role list shows it, with its permission count in Persian digits
    expect(page).to_have_url(f"{base}/accounts/roles/")
    expect(page.get_by_role("status")).to_contain_text("نقش «کارشناس فروش» ایجاد شد.")
    row = page.locator("tbody tr", has_text="کارشناس فروش")
    expect(row).to_contain_text("۴ دسترسی")
    expect(row).to_contain_text("ورود دومرحله‌ای الزامی")

    # And exactly what was chosen is saved
    role = Role.objects.get(name="کارشناس فروش")
    assert (role.is_administrator, role.requires_two_factor) == (False, True)
    assert sorted(role.grants.values_list("module", "action", "scope")) == [
        ("audit", "view", Scope.ALL),
        ("teams", "view", Scope.ALL),
        ("users", "edit", Scope.OWN),
        ("users", "view", Scope.TEAM),
    ]
    assert list(role.field_grants.values_list("module", "field")) == [("users", "email")]


def test_an_administrator_creates_a_user_with_a_team_and_a_role(page: Page, live_server: object) -> None:
    # Given an administrator, a team and a role
    _administrator(User.Language.ENGLISH)
    team = TeamFactory(name="Tehran branch")
    role = RoleFactory(name="کارشناس فروش", grants={("users", "view"): Scope.TEAM})
    base = str(live_server)
    log_in(page, base, "admin", DEFAULT_PASSWORD)

    # When he adds a user from the users page, in the team and with the role
    page.locator("#sidebar").get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Username:", exact=True).fill("maryam")
    page.get_by_label("First name:", exact=True).fill("مریم")
    page.get_by_label("Last name:", exact=True).fill("کریمی")
    page.get_by_label("Email address:", exact=True).fill("maryam@example.com")
    page.get_by_label("کارشناس فروش", exact=True).check()
    page.get_by_label("Tehran branch", exact=True).check()
    page.get_by_label("Password:", exact=True).fill("a-rare-long-passphrase-71")
    page.get_by_label("Password again:", exact=True).fill("a-rare-long-passphrase-71")
    page.get_by_role("button", name="Create user").click()

    # Then the user's page opens, and the user list shows them with the team and the role
    expect(page.get_by_role("status")).to_contain_text("The user “مریم کریمی” was created.")
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Users").click()
    row = page.locator("tbody tr", has_text="maryam")
    expect(row).to_contain_text("مریم کریمی")
    expect(row.locator(".tag")).to_have_text(["Tehran branch", "کارشناس فروش", "Active", "Off"])
    maryam = User.objects.get(username="maryam")
    assert (maryam.first_name, maryam.last_name, maryam.email, maryam.language) == (
        "مریم", "کریمی", "maryam@example.com", "fa",
    )  # fmt: skip
    assert list(maryam.teams.all()) == [team]
    assert list(maryam.roles.all()) == [role]
    assert maryam.check_password("a-rare-long-passphrase-71")


def test_an_administrator_filters_the_audit_trail_by_a_jalali_date_and_exports_it(
    page: Page, live_server: object
) -> None:
    # Given a Persian administrator, a change made last week and one made today
    _administrator(User.Language.PERSIAN)
    week_ago = timezone.now() - dt.timedelta(days=7)
    with mock.patch("django.utils.timezone.now", return_value=week_ago):
        _team_change("تغییر هفته پیش")
    _team_change("تغییر امروز")
    base = str(live_server)
    log_in(page, base, "admin", DEFAULT_PASSWORD)
    page.locator("#sidebar").get_by_role("link", name="ردپای ممیزی").click()
    trail = page.locator("table.audit-trail")
    expect(trail).to_contain_text("تغییر هفته پیش")

    # When she types today's Jalali date, in Persian digits, as the start and the end
    jalali = jdatetime.date.fromgregorian(date=timezone.localdate())
    today = f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}".translate(PERSIAN_DIGITS)
    page.get_by_label("از تاریخ:", exact=True).fill(today)
    page.get_by_label("تا تاریخ:", exact=True).fill(today)
    page.get_by_role("button", name="فیلتر").click()

    # Then only today's events are listed: today's change and her own login, dated in Jalali
    expect(page).to_have_url(re.compile(r"[?&]date_from="))
    expect(trail).to_contain_text("تغییر امروز")
    expect(trail).not_to_contain_text("تغییر هفته پیش")
    login_row = trail.locator("tbody tr", has_text="ورود").filter(has_text="admin")
    expect(login_row.first.locator("td").first).to_contain_text(today)

    # When she exports the filtered trail
    with page.expect_download() as download_info:
        page.get_by_role("link", name="خروجی CSV").click()
    download = download_info.value

    # Then the file opens with the header, and holds today's change but not last week's
    assert download.suggested_filename.startswith("audit-")
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(Path(download.path()).read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["زمان", "کاربر", "آدرس IP", "رویداد", "نوع رکورد", "شماره رکورد", "رکورد", "تغییرات"]
    labels = [row[6] for row in rows[1:]]
    assert "تغییر امروز" in labels
    assert "تغییر هفته پیش" not in labels
