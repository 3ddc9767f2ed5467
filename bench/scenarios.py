"""The named scenarios: what a real user opens, and as whom.

A scenario is a page (or API operation) opened by the first user of a named role (never a
superuser: what a role may see is part of the cost), or by an anonymous visitor. A deep
scenario first follows the page's next-page link ``deep_pages`` times and then times the page
it reached: keyset pagination promises that it costs what the first page does.

Later issues add their scenarios to ``SCENARIOS``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    role: str | None  # None: an anonymous visitor
    description: str
    deep_pages: int = 0


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario("home", "/", "Sales representative", "The home dashboard after logging in."),
        Scenario("login-page", "/accounts/login/", None, "The login form, for an anonymous visitor."),
        Scenario("api-me", "/api/v1/me", "Sales representative", "The API's current user, with a session."),
        Scenario("audit-list-first", "/accounts/audit/", "Auditor", "The first page of the audit trail."),
        Scenario(
            "audit-list-deep",
            "/accounts/audit/",
            "Auditor",
            "The audit trail 50 pages deep, reached by following the next-page link.",
            deep_pages=50,
        ),
        Scenario("user-list", "/accounts/users/", "Sales manager", "The user list; the manager sees their teams."),
    )
}

# An <a> or <link> whose address carries a cursor; rel="next" is preferred when a page has several.
_LINK_TAG = re.compile(r"<(?:a|link|button)\b[^>]*>", re.IGNORECASE)
_CURSOR_ADDRESS = re.compile(r"""\b(?:href|hx-get)\s*=\s*(["'])([^"']*\bcursor=[^"']*)\1""", re.IGNORECASE)
_REL_NEXT = re.compile(r"""\brel\s*=\s*(["'])[^"']*\bnext\b[^"']*\1""", re.IGNORECASE)


def next_page_url(page_url: str, body: str) -> str | None:
    """The address of the next page, from the link carrying a ``cursor=`` parameter."""
    candidates: list[str] = []
    for tag in _LINK_TAG.findall(body):
        address = _CURSOR_ADDRESS.search(tag)
        if address is None:
            continue
        url = urljoin(page_url, html.unescape(address.group(2)))
        if _REL_NEXT.search(tag):
            return url
        candidates.append(url)
    return candidates[-1] if candidates else None
