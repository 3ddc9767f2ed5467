"""What the contacts app adds to the shell: its permission modules, navigation and search.

Each helper module registers its own pieces below; this file only gathers them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.permissions import Module, register_module
from peyvand.common.registry import SearchProvider, SearchResult, shell
from peyvand.contacts.access import can_any
from peyvand.contacts.models import Party
from peyvand.contacts.selectors.search import Matched, PartyHit, party_search

SENSITIVE_FIELDS: dict[str, str | Promise] = {
    "national_id": _("National ID"),
    "birth_date": _("Birth date"),
    "income_band": _("Income band"),
}

register_module(Module(key="persons", label=_("Persons"), sensitive_fields=SENSITIVE_FIELDS))
register_module(Module(key="companies", label=_("Companies")))
register_module(Module(key="leads", label=_("Leads"), sensitive_fields=SENSITIVE_FIELDS))


# Global search: persons, companies and leads in the header's search --------------------------------
def _search_parties(request: HttpRequest, query: str, limit: int) -> Iterable[SearchResult]:
    hits = party_search(actor=request.user, query=query, limit=limit)
    # Grouped by kind (persons, companies, leads), best first within each group.
    order = {kind: position for position, kind in enumerate(Party.Kind.values)}
    for hit in sorted(hits, key=lambda hit: order[hit.party.kind]):
        party = hit.party
        yield SearchResult(
            title=str(party),
            url=reverse("contacts:party_detail", args=[party.pk]),
            kind=Party.Kind(party.kind).label,
            detail=_search_detail(hit),
            group=GROUP_LABELS[party.kind],
        )


def _search_detail(hit: PartyHit) -> str:
    """What matched, when it is not the name; never a sensitive value."""
    if hit.matched == Matched.NATIONAL_ID:
        return str(_("National ID matches"))
    if hit.matched == Matched.COMPANY_NATIONAL_ID:
        return str(_("Company national ID %(number)s")) % {"number": hit.matched_value}
    if hit.matched == Matched.PHONE:
        # A left-to-right isolate: in a Persian line the number's digit groups keep their order.
        return f"\u2066{hit.matched_value}\u2069"
    if hit.matched_value:
        return hit.matched_value
    party = hit.party
    return party.company_name if party.is_lead else party.job_title


GROUP_LABELS: dict[str, str | Promise] = {"person": _("Persons"), "company": _("Companies"), "lead": _("Leads")}

shell.add_search(
    SearchProvider(key="customers", search=_search_parties, order=10, visible=lambda request: can_any(request.user))
)


# The lists of persons, companies and leads (contacts/views/lists.py), between home and administration.
def _register_list_navigation() -> None:
    from collections.abc import Callable

    from peyvand.accounts import access
    from peyvand.common.registry import NavItem

    def may_open(module: str) -> Callable[[HttpRequest], bool]:
        return lambda request: access.can(request.user, module)

    for key, label, url_name, icon, order in (
        ("persons", _("Persons"), "contacts:person_list", "person", 10),
        ("companies", _("Companies"), "contacts:company_list", "company", 20),
        ("leads", _("Leads"), "contacts:lead_list", "lead", 30),
    ):
        shell.add_nav(NavItem(key=key, label=label, url_name=url_name, icon=icon, order=order, visible=may_open(key)))


_register_list_navigation()


# Duplicates (contacts/views/duplicates.py): the review list, and two panels of the customer page.
def _register_duplicates() -> None:
    from peyvand.accounts.permissions import Action
    from peyvand.common.registry import NavItem
    from peyvand.contacts.registry import PartyPanel, customer_file
    from peyvand.contacts.views import duplicates

    shell.add_nav(NavItem(key="duplicates", label=_("Duplicates"), url_name="contacts:duplicate_list", icon="users",
                          order=150, visible=lambda request: can_any(request.user, Action.EDIT)))  # fmt: skip
    customer_file.add_panel(PartyPanel(
        key="duplicates", template="contacts/duplicates/_duplicates_panel.html", column="side", order=5,
        context=duplicates.duplicates_panel_context, visible=duplicates.duplicates_panel_visible,
    ))  # fmt: skip
    customer_file.add_panel(PartyPanel(
        key="lead_conversion", template="contacts/duplicates/_conversion_panel.html", column="side", order=90,
        context=duplicates.conversion_panel_context, visible=duplicates.conversion_panel_visible,
    ))  # fmt: skip


_register_duplicates()


# The customer page's "Personal data" panel: export and erasure on request (contacts/privacy_panel.py).
def _register_privacy_panel() -> None:
    from peyvand.contacts import privacy_panel

    privacy_panel.register()


_register_privacy_panel()


# Customer settings (contacts/views/settings.py): lists administrators keep, in the administration area.
def _register_settings_navigation() -> None:
    from peyvand.accounts import access
    from peyvand.common.registry import NavItem

    shell.add_nav(NavItem(key="customer_settings", label=_("Customer settings"), url_name="contacts:settings_home",
                          icon="settings", order=920, visible=lambda request: access.is_administrator(request.user)))  # fmt: skip


_register_settings_navigation()


# Demo data (contacts/demo.py): persons, companies and leads for `peyvand demo`.
def _register_demo() -> None:
    from peyvand.common.registry import shell as registry
    from peyvand.contacts.demo import build_demo_customers

    def build() -> None:
        build_demo_customers()

    registry.demo_builders.append(build)


_register_demo()


# My page (contacts/panels.py): the customers and leads lately given to the user, after the activities.
def _register_my_page() -> None:
    from peyvand.common.registry import Panel
    from peyvand.contacts import panels

    shell.add_panel("home", Panel(key="my_assigned", template="contacts/_my_assigned.html",
                                  context=panels.my_page_context, order=20, visible=panels.may_see))  # fmt: skip


_register_my_page()
