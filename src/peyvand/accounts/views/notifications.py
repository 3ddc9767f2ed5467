"""The user's own notifications: the bell, the list, marking them read, and which come by email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from peyvand.accounts import notifications, panels, selectors
from peyvand.accounts.forms import NotificationPreferencesForm
from peyvand.accounts.models import Notification, User
from peyvand.common.pagination import Page

PAGE_SIZE = 30
# Sent with every htmx answer that changed what is unread: the bell (and whatever else listens) refreshes.
CHANGED_EVENT = "notifications-changed"


@require_safe
def notification_bell_view(request: HttpRequest) -> HttpResponse:
    """The bell alone, which the top bar polls."""
    if not request.user.is_authenticated:
        # The session has ended; leave the bell as it is rather than swap a login page into it.
        return HttpResponse(status=204)
    # Given here too, so the bell works whether or not the context processor is installed.
    user: User = request.user
    return render(request, "common/notification_bell.html", {
        "unread_notifications": notifications.unread_count(user),
        "notification_poll_seconds": notifications.poll_seconds(),
    })  # fmt: skip


@login_required
@require_safe
def notification_list_view(request: HttpRequest) -> HttpResponse:
    """Unread first, then read; or, filtered to unread ones or to one kind, newest first."""
    user: User = request.user  # type: ignore[assignment]
    registered = {kind.key for kind in notifications.kinds()}
    kind = request.GET.get("kind", "")
    kind = kind if kind in registered else ""  # a wrong filter is ignored
    unread_only = request.GET.get("unread") == "on"
    cursor = request.GET.get("cursor")
    page: Page[Notification]
    if kind or unread_only:
        page = selectors.notification_filtered_page(user=user, unread_only=unread_only, kind=kind, cursor=cursor,
                                                    limit=PAGE_SIZE)  # fmt: skip
    else:
        page = selectors.notification_page(user=user, cursor=cursor, limit=PAGE_SIZE)
    filters = {**({"kind": kind} if kind else {}), **({"unread": "on"} if unread_only else {})}
    next_page_url = f"?{urlencode({'cursor': page.next_cursor, **filters})}" if page.next_cursor else None
    return render(request, "accounts/notifications/notification_list.html", {
        "page": page, "next_page_url": next_page_url,
        "first_page_url": f"?{urlencode(filters)}" if filters else "",
        "has_unread": any(not notification.is_read for notification in page.items),
        "first_page": not cursor,
        "kinds": notifications.kinds(), "kind": kind, "unread_only": unread_only, "is_filtered": bool(filters),
    })  # fmt: skip


@login_required
@require_POST
def notification_mark_read_view(request: HttpRequest) -> HttpResponse:
    """Mark some (``id``), all (``all``, up to ``upto`` when given) or the one being opened (``open``,
    then follow its link) read. From "my page" (``panel=home``) with htmx, the refreshed panel comes back."""
    user: User = request.user  # type: ignore[assignment]
    opened = _ids(request.POST.getlist("open"))
    if opened:
        notification = selectors.notification_list(user=user).filter(pk=opened[0]).first()
        if notification is not None:
            notifications.notification_mark_read(user=user, ids=[notification.pk])
            if notification.url and notifications.is_safe_notification_url(notification.url):
                return redirect(notification.url)
        return redirect("accounts:notification_list")
    if "all" in request.POST:
        up_to = _ids([request.POST.get("upto", "")])
        count = notifications.notification_mark_read(user=user, up_to=up_to[0] if up_to else None)
    else:
        count = notifications.notification_mark_read(user=user, ids=_ids(request.POST.getlist("id")))
    from_home = request.POST.get("panel") == "home"
    if getattr(request, "htmx", False) and from_home:
        response = render(request, "accounts/panels/notifications.html",
                          {"panel_context": panels.notifications_panel(request)})  # fmt: skip
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("home" if from_home else "accounts:notification_list")


@login_required
@require_POST
def notification_preferences_view(request: HttpRequest) -> HttpResponse:
    """Save which kinds of notification also come by email (the form is on the profile page)."""
    user: User = request.user  # type: ignore[assignment]
    form = NotificationPreferencesForm(user, request.POST)
    if form.is_valid():
        notifications.notification_preferences_set(user=user, email=form.email_by_kind())
        messages.success(request, _("Your notification preferences were saved."))
    return redirect(f"{reverse('accounts:profile')}#notifications")


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]
