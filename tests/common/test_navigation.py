"""The side menu marks the page the user is on."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">')


def current_entries(html: str) -> list[str]:
    sidebar = html[html.index('<nav id="sidebar"') : html.index("</nav>", html.index('<nav id="sidebar"'))]
    return CURRENT.findall(sidebar)


def test_the_entry_whose_address_begins_the_page_is_marked_current(admin_client: Client) -> None:
    response = admin_client.get("/contacts/persons/", {"stage": "customer"})

    assert current_entries(response.content.decode()) == ["/contacts/persons/"]


def test_home_is_current_only_on_itself(admin_client: Client) -> None:
    home = admin_client.get("/")
    audit = admin_client.get("/accounts/audit/")

    assert current_entries(home.content.decode()) == ["/"]
    assert current_entries(audit.content.decode()) == ["/accounts/audit/"]
