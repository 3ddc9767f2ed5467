"""Colleagues offered while typing an @mention in a note (accounts/static/accounts/mentions.js)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from peyvand.accounts.models import User
from peyvand.common.text import search_key

MENTION_CHOICES = 8


@login_required
@require_safe
def mention_users_view(request: HttpRequest) -> JsonResponse:
    """Active users whose username starts with, or whose name contains, ``q``: at most 8, one query.
    Colleagues' names and usernames are no secret among staff (they are on every record)."""
    text = request.GET.get("q", "").strip().lstrip("@")[:30]
    if not text:
        return JsonResponse({"users": []})
    key = search_key(text)
    condition = Q(username__istartswith=text) | (Q(search_name__contains=key) if key else Q(pk__in=[]))
    users = User.objects.filter(condition, is_active=True).order_by("username")[:MENTION_CHOICES]
    return JsonResponse(
        {
            "users": [
                {"username": user.get_username(), "name": user.get_full_name() or user.get_username()} for user in users
            ]
        }
    )
