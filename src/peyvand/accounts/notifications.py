"""Notifications: their kinds, sending one (under the bell, and by email as the recipient prefers),
marking them read, and the bell's unread count.

Any app tells a user something with :func:`notification_send`, naming a kind it registered with
:func:`register_kind` from its ``shell.py``. The bell in the top bar shows how many are unread
(the :func:`notifications` context processor, at most one query per page). In the app a
notification is always shown; by email only when the recipient wants that kind by email (the
kind's ``email_default`` unless they chose otherwise: ``NotificationPreference``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, Value, When, Window
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.accounts.models import Notification, NotificationPreference, User
from peyvand.common.tasks import send_email

if TYPE_CHECKING:  # a development dependency: a type only, never imported when running
    from django_stubs_ext import StrOrPromise

_UNREAD_ATTRIBUTE = "_peyvand_unread_notifications"
# How often the bell asks for its count, unless settings.NOTIFICATION_POLL_SECONDS says otherwise.
DEFAULT_POLL_SECONDS = 60
# The kind listed first on "my page": a colleague who wrote one's name is waiting for an answer.
MENTION = "mention"
GENERAL = "general"


# Kinds ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: StrOrPromise
    description: StrOrPromise = ""
    # Sent by email too for a user who never chose otherwise.
    email_default: bool = False


_KINDS: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind | None = None, /, **fields: Any) -> NotificationKind:
    """Add a kind: ``register_kind(NotificationKind(key=…, …))`` or ``register_kind(key=…, label=…, …)``.

    Called from an app's ``shell.py``; registering a key again replaces it (the reloads of tests).
    """
    if kind is None:
        kind = NotificationKind(**fields)
    assert not fields or kind == NotificationKind(**fields), "give a NotificationKind or its fields, not both"
    assert 0 < len(kind.key) <= 40, "a kind's key fits Notification.kind (40 characters)"
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[NotificationKind]:
    """Every registered kind, in the order the apps registered them, "general" (everything else) last."""
    return sorted(_KINDS.values(), key=lambda kind: kind.key == GENERAL)


def kind_label(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind is not None else key


# Sending ----------------------------------------------------------------------------------------
def is_safe_notification_url(url: str) -> bool:
    """A path inside Peyvand or an http(s) address; never ``javascript:`` or a scheme-relative ``//host``."""
    if not url:
        return True
    if url.startswith("/"):
        return not url.startswith("//") and not url.startswith("/\\")
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@transaction.atomic
def notification_send(
    *, recipient: User, title: str, body: str = "", url: str = "", kind: str = GENERAL
) -> Notification:
    """Put a notification under the recipient's bell and, once the transaction commits, email it
    when they want this kind by email.

    ``title`` and ``body`` are in the recipient's language already (the caller translates them
    under ``translation.override(recipient.language)``); the email adds its link and footer in it.
    """
    if kind not in _KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it with register_kind() first")
    if not is_safe_notification_url(url):
        raise ValueError(f"A notification links to a path or an http(s) address, not {url!r}")
    notification = Notification.objects.create(recipient=recipient, kind=kind, title=title[:200], body=body, url=url)
    if recipient.email and recipient.is_active:
        transaction.on_commit(lambda: _email(notification, recipient))
    return notification


def _email(notification: Notification, recipient: User) -> None:
    """Queue the email of a sent notification, if its recipient wants this kind by email."""
    if not wants_email(recipient, notification.kind):
        return
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        lines = [notification.title]
        if notification.body:
            lines += ["", notification.body]
        link = absolute_url(notification.url)
        if link:
            lines += ["", _("Open it in Peyvand: %(link)s") % {"link": link}]
        preferences = absolute_url(reverse("accounts:profile") + "#notifications")
        lines += ["", "-- ", _("You get “%(kind)s” by email because of your notification preferences.")
                  % {"kind": kind_label(notification.kind)}]  # fmt: skip
        if preferences:
            lines.append(_("Change them at %(link)s") % {"link": preferences})
        else:
            lines.append(_("Change them in Peyvand, on your Preferences page."))
    # On one line: a line break in a header is refused by the mail library.
    subject = " ".join(notification.title.split())
    send_email.enqueue(subject=subject, body="\n".join(lines) + "\n", to=[recipient.email])


def absolute_url(url: str) -> str:
    """``url`` as an email can link to it: an http(s) address as it is; a path under ``SITE_URL``
    (or else the first of ``CSRF_TRUSTED_ORIGINS``); "" when neither is set."""
    if not url or urlsplit(url).scheme:
        return url
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", [])
    base = getattr(settings, "SITE_URL", "") or (origins[0] if origins else "")
    return f"{base.rstrip('/')}{url}" if base else ""


# Preferences ------------------------------------------------------------------------------------
def wants_email(user: User, kind: str) -> bool:
    """Whether ``user`` gets ``kind`` by email: their own choice, or else the kind's default (one query)."""
    registered = _KINDS.get(kind)
    if registered is None:
        return False
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return registered.email_default if chosen is None else chosen


def email_preferences(user: User) -> list[tuple[NotificationKind, bool]]:
    """Each registered kind with whether ``user`` gets it by email (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [(kind, chosen.get(kind.key, kind.email_default)) for kind in kinds()]


@transaction.atomic
def notification_preferences_set(*, user: User, email: Mapping[str, bool]) -> list[tuple[NotificationKind, bool]]:
    """Set whether ``user`` gets each kind in ``email`` by email; kinds left out keep their setting.

    The user's own setting, so not audited (as the display preferences). An unknown kind is a
    ``ValidationError`` naming it, and nothing changes.
    """
    unknown = sorted(key for key in email if key not in _KINDS)
    if unknown:
        raise ValidationError(
            {"kind": [_("Unknown kind of notification: %(kind)s") % {"kind": key} for key in unknown]}
        )
    same_as_default = [key for key, wanted in email.items() if wanted == _KINDS[key].email_default]
    NotificationPreference.objects.filter(user=user, kind__in=same_as_default).delete()
    for key, wanted in email.items():
        if wanted != _KINDS[key].email_default:
            NotificationPreference.objects.update_or_create(user=user, kind=key, defaults={"email": wanted})
    return email_preferences(user)


# Reading and marking read -----------------------------------------------------------------------
@transaction.atomic
def notification_mark_read(*, user: User, ids: Iterable[int] | None = None, up_to: int | None = None) -> int:
    """Mark the user's unread notifications ``ids`` (all of them when ``None``) read; returns how many.

    ``up_to``: only those up to that id, the newest the user saw (one arriving meanwhile stays unread).
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    return unread.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class Latest:
    items: Sequence[Notification]
    unread: int
    newest_id: int | None  # of every unread one, shown or not: "mark all read" goes up to it


def latest_unread(request: HttpRequest, *, limit: int) -> Latest:
    """The user's latest unread notifications, mentions first, and how many are unread: one query.

    The count rides on each row (a window over every unread one), and the bell of the same page
    reuses it instead of counting again.
    """
    user: User = request.user  # type: ignore[assignment]
    rows = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .annotate(
            unread_total=Window(Count("pk")),
            newest_unread_id=Window(Max("pk")),
            mention_first=Case(When(kind=MENTION, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .order_by("mention_first", "-created_at", "-pk")[:limit]
    )
    total = rows[0].unread_total if rows else 0
    setattr(request, _UNREAD_ATTRIBUTE, total)
    return Latest(items=rows, unread=total, newest_id=rows[0].newest_unread_id if rows else None)


# The bell ---------------------------------------------------------------------------------------
def poll_seconds() -> int:
    return max(1, int(getattr(settings, "NOTIFICATION_POLL_SECONDS", DEFAULT_POLL_SECONDS)))


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
    """Context processor: ``unread_notifications`` and ``notification_poll_seconds`` for the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "notification_poll_seconds": poll_seconds()}
    return {"unread_notifications": _UnreadCount(request), "notification_poll_seconds": poll_seconds()}
