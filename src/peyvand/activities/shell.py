"""What the activities app adds to the shell: its permission module, its part in the customer file's
erasures, the customer page's "Activities" panel, the home page's ("my page") panel, the navigation
entry and its demo data."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.notifications import NotificationKind, register_kind
from peyvand.accounts.permissions import Module, register_module
from peyvand.activities import hooks, panels
from peyvand.common.registry import NavItem, Panel, shell
from peyvand.contacts.registry import PartyPanel, customer_file

register_module(Module(key="activities", label=_("Activities")))
# Kinds of notification (accounts.notifications): each user chooses which also come by email.
register_kind(NotificationKind(key="activity_assigned", label=_("An activity was given to you"),
                               description=_("A task, call or meeting someone else gave you."),
                               email_default=True))  # fmt: skip
register_kind(NotificationKind(key="reminder", label=_("Reminders of activities"),
                               description=_("At the reminder time you set on a task, call or meeting."),
                               email_default=True))  # fmt: skip

# Registered under the app's label, not a model's, so that the customer's own activities also go
# through the erasure's generic scrub of rows pointing at the customer.
customer_file.erasure_handlers["activities"] = hooks.erase_activity_texts
customer_file.personal_data_providers["activities"] = hooks.personal_data

customer_file.add_panel(PartyPanel(key="activities", template="activities/party_panel.html",
                                   context=panels.panel_context, order=50, column="main",
                                   visible=panels.visible))  # fmt: skip
# My page: first on the home page, before the account's own panel.
shell.add_panel("home", Panel(key="my_activities", template="activities/my_panel.html",
                              context=panels.my_page_context, order=5, visible=panels.may_see))  # fmt: skip


def _may_see(request: HttpRequest) -> bool:
    return panels.may_see(request)


shell.add_nav(NavItem(key="activities", label=_("Activities"), url_name="activities:activity_list", icon="tasks",
                      order=50, visible=_may_see))  # fmt: skip
shell.add_nav(NavItem(key="calendar", label=_("Calendar"), url_name="calendar:calendar", icon="calendar",
                      order=55, visible=_may_see))  # fmt: skip
import peyvand.activities.reports.shell  # noqa: E402, F401  (the report's navigation entry)


# Demo data (activities/demo.py): a lived-in week for each demo user, after the customers and timeline.
def _register_demo() -> None:
    from peyvand.activities.demo import build_demo_activities

    def build() -> None:  # a demo builder returns nothing; the count is for the demo's own tests
        build_demo_activities()

    shell.demo_builders.append(build)


_register_demo()


# Reminders: the background worker's clock queues their delivery (activities/reminders.py).
def _register_reminders() -> None:
    from peyvand.activities.reminders import REMINDER_CHECK_SECONDS
    from peyvand.activities.tasks import deliver_reminders
    from peyvand.common import schedule

    schedule.register("activities.reminders", every_seconds=REMINDER_CHECK_SECONDS, enqueue=deliver_reminders.enqueue)


_register_reminders()


# Internal workflow: hand-offs, approval requests and notes (activities/workflow/shell.py).
from peyvand.activities.workflow import shell as _workflow_shell  # noqa: E402, F401
