"""What internal workflow adds to the shell: its notification kinds, the customer page's panel, my
page's "Waiting for you" panel, the navigation entry "Approvals" and its part in erasures."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.notifications import NotificationKind, register_kind
from peyvand.activities.workflow import hooks, panels
from peyvand.common.registry import NavItem, Panel, shell
from peyvand.contacts.registry import PartyPanel, customer_file

register_kind(NotificationKind(key="mention", label=_("Mentions"), email_default=True,
                               description=_("A colleague named you with @ in a note.")))  # fmt: skip
register_kind(NotificationKind(key="handoff", label=_("Hand-offs"), email_default=True,
                               description=_("A colleague handed you a customer or an activity.")))  # fmt: skip
register_kind(NotificationKind(key="approval_request", label=_("Approval requests"), email_default=True,
                               description=_("Someone asks you, or a role you hold, to approve something.")))  # fmt: skip
register_kind(NotificationKind(key="approval_decision", label=_("Approval decisions"), email_default=False,
                               description=_("Your request was approved or rejected.")))  # fmt: skip

customer_file.add_panel(PartyPanel(key="workflow", template="activities/workflow/party_panel.html",
                                   context=panels.party_context, order=20, column="side",
                                   visible=panels.party_visible))  # fmt: skip
shell.add_panel("home", Panel(key="waiting_for_you", template="activities/workflow/my_panel.html",
                              context=panels.my_page_context, order=10, visible=panels.my_page_visible))  # fmt: skip
customer_file.erasure_handlers["activities.workflow"] = hooks.erase_workflow_texts


def _signed_in(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)


shell.add_nav(NavItem(key="approvals", label=_("Approvals"), url_name="workflow:approval_list", icon="check",
                      order=60, visible=_signed_in))  # fmt: skip


def _register_demo() -> None:
    from peyvand.activities.workflow.demo import build_demo_workflow

    def build() -> None:
        build_demo_workflow()

    shell.demo_builders.append(build)


_register_demo()
