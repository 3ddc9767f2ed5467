"""@mentions: the colleagues a text names by their username, and telling them.

A mention is ``@`` and a username (letters, digits and ``. + - _``) at the start of the text or
after anything but a letter, digit or ``@``, so an email address is not one. A username is matched
whatever its case. Who may be told is the caller's business (a note on a record tells only those
who may see the record); :func:`notify_mentions` sends what it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q

from peyvand.accounts.models import User
from peyvand.accounts.notifications import notification_send

MENTION = re.compile(r"(?<![\w@])@([\w][\w.+\-]*)")
# A sentence's full stop or dash after a name is not part of it.
_TRAILING = ".+-"
MAX_MENTIONS = 20


def mentioned_names(text: str) -> list[str]:
    """The usernames ``text`` mentions, lower-cased, each once, in order; at most 20."""
    names: list[str] = []
    for match in MENTION.finditer(text or ""):
        name = match.group(1).rstrip(_TRAILING).lower()
        if name and name not in names:
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


def notify_mentions(
    *, actor: User | None, users: Iterable[User], title: str, body: str = "", url: str = ""
) -> list[User]:
    """Tell each of ``users`` but the actor that they were mentioned; returns those told."""
    told = []
    for user in users:
        if actor is not None and user.pk == actor.pk:
            continue
        notification_send(recipient=user, title=title, body=body[:500], url=url, kind="mention")
        told.append(user)
    return told
