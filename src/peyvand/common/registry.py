"""Where apps plug into the shell without the shell knowing them.

An app registers its navigation entries, home-page panels and global-search providers from its
``AppConfig.ready``. Each entry carries a ``visible`` predicate so the shell shows only what the
user may use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


def _always(request: HttpRequest) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    order: int = 100
    visible: Callable[[HttpRequest], bool] = _always


@dataclass(frozen=True)
class Panel:
    """A block on a page (the home dashboard, later "my page" and the customer page)."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100
    visible: Callable[[HttpRequest], bool] = _always


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: str | Promise
    detail: str = ""
    # The heading the result is listed under ("Persons"); results of one group come one after another.
    group: str | Promise = ""


@dataclass(frozen=True)
class SearchProvider:
    key: str
    search: Callable[[HttpRequest, str, int], Iterable[SearchResult]]
    order: int = 100
    visible: Callable[[HttpRequest], bool] = _always


@dataclass
class Registry:
    navigation: dict[str, NavItem] = field(default_factory=dict)
    panels: dict[str, dict[str, Panel]] = field(default_factory=dict)
    search_providers: dict[str, SearchProvider] = field(default_factory=dict)
    # Functions that add an app's demo data, run by ``peyvand demo`` after the organisation exists.
    demo_builders: list[Callable[[], None]] = field(default_factory=list)

    def add_nav(self, item: NavItem) -> None:
        self.navigation[item.key] = item

    def add_panel(self, page: str, panel: Panel) -> None:
        self.panels.setdefault(page, {})[panel.key] = panel

    def add_search(self, provider: SearchProvider) -> None:
        self.search_providers[provider.key] = provider

    def nav_for(self, request: HttpRequest) -> list[NavItem]:
        items = sorted(self.navigation.values(), key=lambda item: item.order)
        return [item for item in items if item.visible(request)]

    def panels_for(self, page: str, request: HttpRequest) -> list[Panel]:
        panels = sorted(self.panels.get(page, {}).values(), key=lambda panel: panel.order)
        return [panel for panel in panels if panel.visible(request)]

    def search(self, request: HttpRequest, query: str, limit: int = 8) -> list[SearchResult]:
        providers = sorted(self.search_providers.values(), key=lambda provider: provider.order)
        results: list[SearchResult] = []
        for provider in providers:
            if provider.visible(request):
                results.extend(provider.search(request, query, limit))
        return results


shell = Registry()
