"""The user's own notifications: the bell, the list, marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from peyvand.accounts import notifications, selectors
from peyvand.accounts.models import Notification, User
from peyvand.common.pagination import Page

PAGE_SIZE = 30


@require_safe
def notification_bell_view(request: HttpRequest) -> HttpResponse:
    """The bell alone, which the top bar polls."""
    if not request.user.is_authenticated:
        # The session has ended; leave the bell as it is rather than swap a login page into it.
        return HttpResponse(status=204)
    # Given here too, so the bell works whether or not the context processor is installed.
    user: User = request.user
    return render(request, "common/notification_bell.html", {"unread_notifications": notifications.unread_count(user)})


@login_required
@require_safe
def notification_list_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page: Page[Notification] = selectors.notification_page(user=user, cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    return render(request, "accounts/notifications/notification_list.html", {
        "page": page, "next_page_url": f"?cursor={page.next_cursor}" if page.next_cursor else None,
        "has_unread": any(not notification.is_read for notification in page.items),
        "first_page": not request.GET.get("cursor"),
    })  # fmt: skip


@login_required
@require_POST
def notification_mark_read_view(request: HttpRequest) -> HttpResponse:
    """Mark some (``id``), all (``all``) or the one being opened (``open``, then follow its link) read."""
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
        count = notifications.notification_mark_read(user=user)
    else:
        count = notifications.notification_mark_read(user=user, ids=_ids(request.POST.getlist("id")))
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("accounts:notification_list")


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]
