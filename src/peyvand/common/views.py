"""The shell's own pages: home dashboard, global search and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.common.registry import SearchResult, shell

SEARCH_MIN_LENGTH = 2
# Results per search provider: a few in the header's dropdown, more on the search page.
SEARCH_DROPDOWN_LIMIT = 8
SEARCH_PAGE_LIMIT = 30


@login_required
def home(request: HttpRequest) -> HttpResponse:
    panels = [
        {"template": panel.template, "data": panel.context(request)} for panel in shell.panels_for("home", request)
    ]
    return render(request, "common/home.html", {"panels": panels, "today": timezone.localdate()})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The header's dropdown as you type (an htmx request: the results only), or the full results page."""
    query = request.GET.get("q", "").strip()[:100]
    as_you_type = bool(getattr(request, "htmx", False))
    limit = SEARCH_DROPDOWN_LIMIT if as_you_type else SEARCH_PAGE_LIMIT
    searched = len(query) >= SEARCH_MIN_LENGTH
    results = shell.search(request, query, limit) if searched else []
    context = {"query": query, "searched": searched, "results": results, "groups": _grouped(results)}
    if as_you_type:
        return render(request, "common/search_dropdown.html", context)
    return render(request, "common/search.html", context)


def _grouped(results: list[SearchResult]) -> list[tuple[str, list[SearchResult]]]:
    """Consecutive results of one group under its heading (the group, or else the kind)."""
    groups: list[tuple[str, list[SearchResult]]] = []
    for result in results:
        heading = str(result.group or result.kind)
        if groups and groups[-1][0] == heading:
            groups[-1][1].append(result)
        else:
            groups.append((heading, [result]))
    return groups


def _error(request: HttpRequest, status: int, heading: str, explanation: str) -> HttpResponse:
    context = {"status": status, "heading": heading, "explanation": explanation}
    return render(request, "common/error.html", context, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You do not have access to this page"),
                  _("Your role does not allow this. If you need it for your work, ask an administrator."))  # fmt: skip


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("This page was not found"),
                  _("The address may be wrong, or the record may have been removed or be out of your reach."))  # fmt: skip
