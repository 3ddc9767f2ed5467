"""Pages pass an automated accessibility audit (axe-core, from the npm registry) in both languages.

axe finds what a machine can: missing labels, names, landmarks, contrast. Serious and critical
findings fail the test; the rest is for people to judge.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from peyvand.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/accounts/users/", "/accounts/roles/new/", "/accounts/audit/", "/accounts/profile/", "/accounts/tokens/"]


def _serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_pages_have_no_serious_accessibility_violations(
    page: Page, live_server: object, language: str, theme: str
) -> None:
    admin = UserFactory(username="maryam", language=language, roles=[RoleFactory(is_administrator=True)])
    User.objects.filter(pk=admin.pk).update(theme=theme)
    base = str(live_server)
    log_in(page, base, "maryam", DEFAULT_PASSWORD)

    found = {}
    for path in PAGES:
        page.goto(f"{base}{path}")
        violations = _serious_violations(page)
        if violations:
            found[path] = violations

    assert found == {}


def test_the_login_page_has_no_serious_accessibility_violations(page: Page, live_server: object) -> None:
    page.goto(f"{live_server}/accounts/login/")

    assert _serious_violations(page) == []
