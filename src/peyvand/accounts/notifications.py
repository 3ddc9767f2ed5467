"""In-app notifications: sending one, marking them read, and the bell's unread count.

Any app tells a user something with :func:`notification_send`; the bell in the top bar shows how
many are unread (the :func:`notifications` context processor, at most one query per page).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from peyvand.accounts.models import Notification, User

_UNREAD_ATTRIBUTE = "_peyvand_unread_notifications"


def is_safe_notification_url(url: str) -> bool:
    """A path inside Peyvand or an http(s) address; never ``javascript:`` or a scheme-relative ``//host``."""
    if not url:
        return True
    if url.startswith("/"):
        return not url.startswith("//") and not url.startswith("/\\")
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@transaction.atomic
def notification_send(*, recipient: User, title: str, body: str = "", url: str = "") -> Notification:
    if not is_safe_notification_url(url):
        raise ValueError(f"A notification links to a path or an http(s) address, not {url!r}")
    return Notification.objects.create(recipient=recipient, title=title[:200], body=body, url=url)


@transaction.atomic
def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications ``ids`` (all of them when ``None``) read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


class _UnreadCount:
    """Counted when a template first asks (templates call callables), then remembered for the request."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def __call__(self) -> int:
        count: int | None = getattr(self.request, _UNREAD_ATTRIBUTE, None)
        if count is None:
            count = unread_count(self.request.user)  # type: ignore[arg-type]
            setattr(self.request, _UNREAD_ATTRIBUTE, count)
        return count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``unread_notifications`` for the bell in the top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": _UnreadCount(request)}
