"""Where higher apps plug into the customer file without the contacts app knowing them.

The timeline, and later sales, service and marketing, add their parts here from their
``AppConfig.ready``: a panel on the customer page, a figure in its header, what a merge must move,
what an erasure must scrub, what a personal-data export must include.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.utils.functional import Promise

if TYPE_CHECKING:
    from peyvand.contacts.models import LeadConversion, Party


def _always(request: HttpRequest, party: Party) -> bool:
    return True


@dataclass(frozen=True)
class PartyPanel:
    """A section of the customer page. ``context(request, party)`` gives its template's context."""

    key: str
    template: str
    context: Callable[[HttpRequest, Party], dict[str, Any]]
    order: int = 100
    column: Literal["main", "side"] = "main"
    visible: Callable[[HttpRequest, Party], bool] = _always


@dataclass(frozen=True)
class Figure:
    """One figure in the customer page's header ("First contact", "Calls: 12")."""

    label: str | Promise
    value: str
    url: str = ""


@dataclass(frozen=True)
class FigureProvider:
    key: str
    figures: Callable[[HttpRequest, Party], list[Figure]]
    order: int = 100


# A merge moves every row that points at the merged party to the survivor. Rows of a model named
# here are moved by its handler instead (for tables with a uniqueness rule, or figures to add up);
# the handler returns how many rows it moved. It is called as handler(merged, survivor).
MergeHandler = Callable[["Party", "Party"], int]
# An erasure calls each handler with the party and the texts that must disappear (names, phones,
# emails); it returns how many rows it scrubbed.
ErasureHandler = Callable[["Party", list[str]], int]
# A personal-data export asks each provider for a named section: a list of plain JSON objects.
PersonalDataProvider = Callable[["Party"], tuple[str, list[dict[str, Any]]]]
# A lead converted: each hook is called inside the conversion's transaction with the actor and the
# LeadConversion (sales adds a deal here). It must not fail for a reason the user cannot fix.
LeadConversionHook = Callable[[Any, "LeadConversion"], None]


@dataclass
class PartyRegistry:
    panels: dict[str, PartyPanel] = field(default_factory=dict)
    figure_providers: dict[str, FigureProvider] = field(default_factory=dict)
    merge_handlers: dict[str, MergeHandler] = field(default_factory=dict)
    erasure_handlers: dict[str, ErasureHandler] = field(default_factory=dict)
    personal_data_providers: dict[str, PersonalDataProvider] = field(default_factory=dict)
    lead_conversion_hooks: list[LeadConversionHook] = field(default_factory=list)

    def add_panel(self, panel: PartyPanel) -> None:
        self.panels[panel.key] = panel

    def add_figures(self, provider: FigureProvider) -> None:
        self.figure_providers[provider.key] = provider

    def panels_for(self, request: HttpRequest, party: Party, column: str) -> list[PartyPanel]:
        panels = sorted(self.panels.values(), key=lambda panel: panel.order)
        return [panel for panel in panels if panel.column == column and panel.visible(request, party)]

    def figures_for(self, request: HttpRequest, party: Party) -> list[Figure]:
        providers = sorted(self.figure_providers.values(), key=lambda provider: provider.order)
        return [figure for provider in providers for figure in provider.figures(request, party)]


customer_file = PartyRegistry()
