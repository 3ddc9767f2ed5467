"""The accounts app's blocks on the home dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from peyvand.accounts import access, notifications, selectors
from peyvand.accounts.models import AuditEvent, User

# How many unread notifications "my page" shows before "see all".
MY_PAGE_NOTIFICATIONS = 8


def my_account(request: HttpRequest) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "teams": [team.name for team in user.teams.all()],
        "roles": [role.name for role in user.roles.all()],
        "has_two_factor": user.has_two_factor,
        "last_login": user.last_login,
    }


def organisation(request: HttpRequest) -> dict[str, Any]:
    """For administrators: who is here, and what happened lately that needs an eye."""
    since = timezone.now() - dt.timedelta(hours=24)
    counts = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
    )
    failed = AuditEvent.objects.filter(
        kind__in=[AuditEvent.Kind.LOGIN_FAILED, AuditEvent.Kind.LOCKED_OUT], at__gte=since
    )
    return {
        "active_users": counts["active"],
        "inactive_users": counts["inactive"],
        "failed_logins": failed.count(),
        "recent_events": list(selectors.audit_event_list(actor=request.user)[:5]),
    }


def is_administrator(request: HttpRequest) -> bool:
    return access.is_administrator(request.user)


def notifications_panel(request: HttpRequest) -> dict[str, Any]:
    """My page: the latest unread notifications, mentions first, and how many are unread (one query,
    which also gives the bell of the page its count)."""
    latest = notifications.latest_unread(request, limit=MY_PAGE_NOTIFICATIONS)
    return {
        "notifications": latest.items,
        "unread": latest.unread,
        "more": max(0, latest.unread - len(latest.items)),
        "newest_id": latest.newest_id,
        "mention": notifications.MENTION,
    }
