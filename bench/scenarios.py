"""The named scenarios: what a real user opens, and as whom.

A scenario is a page (or API operation) opened by the first user of a named role (never a
superuser: what a role may see is part of the cost), or by an anonymous visitor. A deep
scenario first follows the page's next-page link ``deep_pages`` times and then times the page
it reached: keyset pagination promises that it costs what the first page does.

A path may name data of the loaded set in braces (``/contacts/{busy_party}/``): the runner fills
them in before the run (``bench.targets``), URL-encoded. A scenario may send headers of its own
(``HX-Request`` for what htmx asks while someone types) and may authenticate with an API token
of its role's user instead of a web session, as a program calling the API does.

Later issues add their scenarios to ``SCENARIOS``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin

SESSION, TOKEN = "session", "token"
HTMX = (("HX-Request", "true"),)


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    role: str | None  # None: an anonymous visitor
    description: str
    deep_pages: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    auth: str = SESSION  # or TOKEN: "Authorization: Bearer …" of a token of the role's user
    # A target naming the user to log in as (``bench.targets``), one of the role; else the role's first user.
    user: str | None = None

    @property
    def targets(self) -> list[str]:
        """The names in braces in the path, filled in from the loaded data."""
        return re.findall(r"{(\w+)}", self.path)

    @property
    def needs(self) -> list[str]:
        """Every target the scenario needs: its path's and the user it logs in as."""
        return [*self.targets, *([self.user] if self.user else [])]

    def url(self, targets: dict[str, str]) -> str:
        return self.path.format(**{name: quote(str(targets[name]), safe="") for name in self.targets})

    @property
    def who(self) -> str:
        role = self.role or "anonymous"
        return f"{role} (API token)" if self.auth == TOKEN else role


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
        # The customer file (issue 3).
        Scenario(
            "person-list-first",
            "/contacts/persons/?stage=customer&sort=name",
            "Sales manager",
            "Persons who are customers, by name: the first page; the manager sees their teams'.",
        ),
        Scenario(
            "person-list-deep",
            "/contacts/persons/?stage=customer&sort=name",
            "Sales manager",
            "The same list 50 pages deep, reached by following the next-page link.",
            deep_pages=50,
        ),
        Scenario(
            "search-persian-name",
            "/search/?q={persian_name}",
            "Support agent",
            "The header's search as someone types a Persian full name (htmx).",
            headers=HTMX,
        ),
        Scenario(
            "search-english-name",
            "/search/?q={english_name}",
            "Support agent",
            "The header's search as someone types an English full name (htmx).",
            headers=HTMX,
        ),
        Scenario(
            "search-phone",
            "/search/?q={phone}",
            "Support agent",
            "The header's search for a mobile number written otherwise than stored: +98, Persian digits.",
            headers=HTMX,
        ),
        Scenario(
            "search-email",
            "/search/?q={email}",
            "Support agent",
            "The header's search for an e-mail address (htmx).",
            headers=HTMX,
        ),
        Scenario(
            "api-search-name",
            "/api/v1/search?q={persian_name}",
            "Support agent",
            "The API's search for a Persian full name, with an API token.",
            auth=TOKEN,
        ),
        Scenario(
            "api-search-phone",
            "/api/v1/search?q={phone}",
            "Support agent",
            "The API's search for a mobile number written otherwise than stored, with an API token.",
            auth=TOKEN,
        ),
        Scenario(
            "caller-id",
            "/api/v1/caller-id?number={caller_number}",
            "Support agent",
            "Caller ID as a telephone exchange asks it: the number as it sends it (09…), with an API token.",
            auth=TOKEN,
        ),
        Scenario(
            "customer-page-few",
            "/contacts/{quiet_party}/",
            "Support agent",
            "A customer page with a few interactions on its timeline.",
        ),
        Scenario(
            "customer-page-busy",
            "/contacts/{busy_party}/",
            "Support agent",
            "The customer page of the party with the most interactions (over 50,000 at scale 1).",
        ),
        # Daily work (issue 4): as the staff member with the most open activities, and their managers.
        Scenario(
            "my-page",
            "/",
            "Sales representative",
            "My page (the home page) of a busy sales representative (90th percentile of open activities).",
            user="busy_representative",
        ),
        Scenario(
            "my-page-busiest",
            "/",
            "Sales representative",
            "My page of the sales representative with the most open activities.",
            user="busiest_representative",
        ),
        Scenario(
            "calendar-month",
            "/calendar/?view=month",
            "Sales representative",
            "This month's calendar of a busy sales representative (90th percentile of open activities).",
            user="busy_representative",
        ),
        Scenario(
            "calendar-month-busiest",
            "/calendar/?view=month",
            "Sales representative",
            "This month's calendar of the sales representative with the most open activities.",
            user="busiest_representative",
        ),
        Scenario(
            "calendar-month-team",
            "/calendar/?view=month&team={lead_team}",
            "Sales manager",
            "This month's calendar of a team's members, opened by a sales manager (TEAM scope) of that team.",
            user="team_lead",
        ),
        Scenario(
            "activity-list",
            "/activities/?assignee=me",
            "Sales representative",
            "The activity list filtered to one's own, as a busy sales representative (90th percentile).",
            user="busy_representative",
        ),
        Scenario(
            "activity-report",
            "/activities/report/",
            "Auditor",
            "The activity report as it opens, over every activity (the auditor's view scope is ALL).",
        ),
        Scenario(
            "activity-report-team",
            "/activities/report/",
            "Sales manager",
            "The activity report as it opens for a sales manager (TEAM scope) of a team.",
            user="team_lead",
        ),
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
