"""@mentions: the colleagues a text names by their username, and telling them.

A mention is ``common.text.MENTION``; a username is matched whatever its case. Who may be told is
the caller's (a note on a record tells only those who may see the record): :func:`tell_mentioned`
asks it of each colleague named, tells the others and returns who was told and who was not.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from peyvand.accounts.models import User
from peyvand.accounts.notifications import notification_send
from peyvand.common.text import MENTION

MAX_MENTIONS = 20


def mentioned_names(text: str) -> list[str]:
    """The usernames ``text`` mentions, lower-cased, each once, in order; at most 20."""
    names: list[str] = []
    for match in MENTION.finditer(text or ""):
        name = match.group(1).lower()
        if name not in names:
            names.append(name)
    return names[:MAX_MENTIONS]


def mentioned_users(text: str, *, since: str = "") -> list[User]:
    """The active users ``text`` mentions that ``since`` (an earlier version of it) did not; one query."""
    before = set(mentioned_names(since))
    names = [name for name in mentioned_names(text) if name not in before]
    if not names:
        return []
    condition = Q()
    for name in names:
        condition |= Q(username__iexact=name)
    found = {user.username.lower(): user for user in User.objects.filter(condition, is_active=True)}
    return [found[name] for name in names if name in found]


@dataclass
class Told:
    """Who a text's @mentions reached, and who they could not (they may not see the record)."""

    told: list[User] = field(default_factory=list)
    not_told: list[User] = field(default_factory=list)


def tell_mentioned(*, actor: User, text: str, since: str = "", may_see: Callable[[User], bool],
                   title: Callable[[User], str], body: str, url: str, skip: Collection[int] = ()) -> Told:  # fmt: skip
    """Notify (kind "mention") each colleague ``text`` newly names who ``may_see`` the record, but
    the actor and ``skip``; ``title(user)`` is asked in that user's language."""
    result = Told()
    for user in mentioned_users(text, since=since):
        if user.pk == actor.pk or user.pk in skip:
            continue
        if not may_see(user):
            result.not_told.append(user)
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            heading = title(user)
        notification_send(recipient=user, title=heading, body=body[:500], url=url, kind="mention")
        result.told.append(user)
    return result
