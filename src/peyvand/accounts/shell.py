"""What the accounts app adds to the shell: its permission modules, its kind of notification,
navigation, search and home-page panels."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.accounts import access
from peyvand.accounts.notifications import NotificationKind, register_kind
from peyvand.accounts.permissions import Action, Module, register_module
from peyvand.common.registry import NavItem, SearchProvider, SearchResult, shell

register_module(Module(key="users", label=_("Users"), sensitive_fields={"email": _("Email address")}))
register_module(Module(key="teams", label=_("Teams"), scoped=False))
register_module(Module(key="audit", label=_("Audit trail"), actions=(Action.VIEW, Action.EXPORT)))
register_kind(NotificationKind(key="general", label=_("Other notifications"),
                               description=_("Everything else Peyvand tells you."), email_default=False))  # fmt: skip


def _may_administer(request: HttpRequest) -> bool:
    return (
        access.can(request.user, "users") or access.can(request.user, "teams") or access.is_administrator(request.user)
    )


def _may_audit(request: HttpRequest) -> bool:
    return access.can(request.user, "audit")


shell.add_nav(NavItem(key="home", label=_("Home"), url_name="home", icon="home", order=0))
shell.add_nav(NavItem(key="administration", label=_("Administration"), url_name="accounts:user_list",
                      icon="settings", order=900, visible=_may_administer))  # fmt: skip
shell.add_nav(NavItem(key="audit", label=_("Audit trail"), url_name="accounts:audit_list",
                      icon="shield", order=910, visible=_may_audit))  # fmt: skip


def _search_users(request: HttpRequest, query: str, limit: int) -> Iterable[SearchResult]:
    from peyvand.accounts.selectors import user_list

    for user in user_list(actor=request.user, search=query)[:limit]:
        yield SearchResult(
            title=str(user),
            url=reverse("accounts:user_detail", args=[user.pk]),
            kind=_("User"),
            detail=user.username,
            group=_("Users"),
        )


shell.add_search(
    SearchProvider(key="users", search=_search_users, order=900, visible=lambda r: access.can(r.user, "users"))
)


def _register_panels() -> None:
    from peyvand.accounts import panels
    from peyvand.common.registry import Panel

    shell.add_panel("home", Panel(key="my_account", template="accounts/panels/my_account.html",
                                  context=panels.my_account, order=10))  # fmt: skip
    # My page: the latest unread notifications, after the activities (5), before the account (10).
    shell.add_panel("home", Panel(key="notifications", template="accounts/panels/notifications.html",
                                  context=panels.notifications_panel, order=8))  # fmt: skip
    shell.add_panel("home", Panel(key="organisation", template="accounts/panels/organisation.html",
                                  context=panels.organisation, order=900, visible=panels.is_administrator))  # fmt: skip


_register_panels()
