"""What the administration pages share: the actor, keyset pages, the tabs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.accounts import access, authentication
from peyvand.accounts.models import User
from peyvand.common.pagination import InvalidCursor, Page, keyset_page

PAGE_SIZE = 50


def actor_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def page_of(request: HttpRequest, queryset: QuerySet[Any], ordering: str) -> Page[Any]:
    """One keyset page after the request's ``cursor``; a damaged cursor starts from the top."""
    try:
        return keyset_page(queryset, ordering=ordering, cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    except InvalidCursor:
        return keyset_page(queryset, ordering=ordering, cursor=None, limit=PAGE_SIZE)


def query_with(request: HttpRequest, **values: str | None) -> str:
    """The current query string with ``values`` replaced (``None`` drops one)."""
    query = request.GET.copy()
    for name, value in values.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def pagination_context(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    """Links to the next page (same filters, the page's cursor) and back to the first."""
    return {
        "page": page,
        "next_page_url": f"?{query_with(request, cursor=page.next_cursor)}" if page.next_cursor else None,
        "first_page_query": query_with(request, cursor=None),
    }


def admin_sections(request: HttpRequest, current: str) -> dict[str, Any]:
    """The administration tabs the user may open."""
    actor = request.user
    sections = [
        ("users", _("Users"), "accounts:user_list", access.can(actor, "users")),
        ("teams", _("Teams"), "accounts:team_list", access.can(actor, "teams")),
        ("roles", _("Roles"), "accounts:role_list", access.is_administrator(actor)),
        ("audit", _("Audit trail"), "accounts:audit_list", access.can(actor, "audit")),
    ]
    visible = [{"key": key, "label": label, "url": reverse(name)} for key, label, name, allowed in sections if allowed]
    return {"sections": visible, "current_section": current}


def keep_own_session(request: HttpRequest) -> None:
    """A change to one's own roles, teams or password ends one's other sessions, not this one."""
    authentication.keep_current_session(request, actor_of(request))
