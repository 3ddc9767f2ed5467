"""What the timeline adds to the shell: its permission module, the customer page's timeline panel and
header figures, its part in merges, erasures and personal-data exports, and the channels' page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peyvand.accounts import access
from peyvand.accounts.permissions import Module, register_module
from peyvand.common.registry import NavItem, Panel, shell
from peyvand.contacts.registry import FigureProvider, PartyPanel, customer_file
from peyvand.timeline import hooks, panels

register_module(Module(key="interactions", label=_("Interactions")))

customer_file.add_panel(PartyPanel(key="timeline", template="timeline/panel.html", context=panels.panel_context,
                                   order=100, column="main", visible=panels.visible))  # fmt: skip
customer_file.add_figures(FigureProvider(key="timeline", figures=panels.figures, order=10))
# My page: the latest interactions with the customers the user owns.
shell.add_panel("home", Panel(key="my_interactions", template="timeline/_my_interactions.html",
                              context=panels.my_page_context, order=30, visible=panels.may_see_my_interactions))  # fmt: skip
customer_file.merge_handlers["timeline.channeltally"] = hooks.merge_channel_tallies
customer_file.erasure_handlers["timeline"] = hooks.erase_interactions
customer_file.personal_data_providers["interactions"] = hooks.personal_data


def _is_administrator(request: HttpRequest) -> bool:
    return access.is_administrator(request.user)


shell.add_nav(NavItem(key="channels", label=_("Channels"), url_name="timeline:channel_list", icon="settings",
                      order=930, visible=_is_administrator))  # fmt: skip


# Demo data (timeline/demo.py): months of interactions with the demo customers, after theirs.
def _register_demo() -> None:
    from peyvand.timeline.demo import build_demo_timeline

    def build() -> None:  # a demo builder returns nothing; the count is for the demo's own tests
        build_demo_timeline()

    shell.demo_builders.append(build)


_register_demo()
