"""The shell's own pages: home dashboard, global search and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.common.registry import shell

SEARCH_MIN_LENGTH = 2


@login_required
def home(request: HttpRequest) -> HttpResponse:
    panels = [
        {"template": panel.template, "data": panel.context(request)} for panel in shell.panels_for("home", request)
    ]
    return render(request, "common/home.html", {"panels": panels, "today": timezone.localdate()})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = shell.search(request, query) if len(query) >= SEARCH_MIN_LENGTH else []
    return render(request, "common/search.html", {"query": query, "results": results})


def _error(request: HttpRequest, status: int, heading: str, explanation: str) -> HttpResponse:
    context = {"status": status, "heading": heading, "explanation": explanation}
    return render(request, "common/error.html", context, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You do not have access to this page"),
                  _("Your role does not allow this. If you need it for your work, ask an administrator."))  # fmt: skip


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("This page was not found"),
                  _("The address may be wrong, or the record may have been removed or be out of your reach."))  # fmt: skip
