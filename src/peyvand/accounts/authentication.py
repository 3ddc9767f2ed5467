"""Logging in: passwords with lockout, the one-time code step, API tokens.

Failed attempts are counted per account and per address over a sliding window
(``LOGIN_FAILURE_WINDOW_SECONDS``); past the limit even the right password is refused until the
window has passed. Asking a logged-in user for their password again (to change it, or to turn
two-factor login off) counts the same way, so a stolen session cannot be used to guess it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from dataclasses import dataclass

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import ApiToken, AuditEvent, LoginFailure, User
from peyvand.accounts.services import TOKEN_PREFIX, hash_token_secret
from peyvand.common import crypto
from peyvand.common.text import to_ascii_digits

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    locked_out: bool = False


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_locked_out(username: str, address: str | None) -> bool:
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username__iexact=username).count() >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT:
        return True
    return bool(address) and recent.filter(address=address).count() >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS


def record_failure(username: str, address: str | None, *, reason: str) -> None:
    # Failures older than the window (and a day) decide nothing: drop them so an attack leaves no
    # growing table.
    keep = max(settings.LOGIN_FAILURE_WINDOW_SECONDS, 24 * 60 * 60)
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(seconds=keep)).delete()
    LoginFailure.objects.create(username=username[:150], address=address)
    audit.record(
        actor=None, kind=AuditEvent.Kind.LOGIN_FAILED, actor_label=username[:150], address=address,
        object_type="accounts.user", object_label=username[:150], changes={"reason": reason},
    )  # fmt: skip


def is_account_locked_out(username: str) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start(), username__iexact=username)
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT


@transaction.atomic
def lockout_lift(*, actor: User, user: User) -> int:
    """Forget the account's recent failed logins, so the user may try again at once."""
    removed, _details = LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
    if removed:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=user, changes={"lockout": ["locked", "lifted"]})
    return removed


def refuse_if_locked_out(username: str, address: str | None) -> bool:
    """Whether a login attempt must be refused; a refusal is written to the audit trail."""
    if not is_locked_out(username, address):
        return False
    audit.record(actor=None, kind=AuditEvent.Kind.LOCKED_OUT, actor_label=username[:150], address=address,
                 object_type="accounts.user", object_label=username[:150])  # fmt: skip
    return True


def check_password_login(request: HttpRequest, username: str, password: str, address: str | None) -> LoginOutcome:
    """The first step of a login. A locked-out account is refused even with the right password."""
    if refuse_if_locked_out(username, address):
        return LoginOutcome(user=None, locked_out=True)
    user = authenticate(request, username=username, password=password)
    if user is None:
        record_failure(username, address, reason="password")
        return LoginOutcome(user=None)
    return LoginOutcome(user=user)


def keep_current_session(request: HttpRequest, user: User) -> None:
    """After a change that ends the user's sessions (password, roles, teams), keep the one in use.

    The services raise ``session_generation``, which every session's hash includes; this signs the
    current session again with the new value, so only the user's other sessions end.
    """
    user.refresh_from_db(fields=["password", "session_generation"])
    update_session_auth_hash(request, user)


def record_login(user: User, address: str | None) -> None:
    with transaction.atomic():
        LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
        audit.record(actor=user, kind=AuditEvent.Kind.LOGIN, instance=user, address=address)


def record_logout(user: User, address: str | None) -> None:
    audit.record(actor=user, kind=AuditEvent.Kind.LOGOUT, instance=user, address=address)


def password_reset_allowed(email: str, address: str | None) -> bool:
    """At most PASSWORD_RESET_LIMIT_PER_HOUR reset emails per address asked for and per client address."""
    limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
    keys = [f"peyvand:password-reset:email:{crypto.keyed_hash(email.strip().lower())}"]
    if address:
        keys.append(f"peyvand:password-reset:address:{address}")
    allowed = True
    for key in keys:
        cache.add(key, 0, timeout=60 * 60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=60 * 60)
            count = 1
        allowed = allowed and count <= limit
    return allowed


# One-time codes -------------------------------------------------------------------------------
def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_secret_of(user: User) -> str | None:
    """The user's TOTP secret; None when it cannot be read with the configured keys.

    That happens when ENCRYPTION_KEYS (or, without it, SECRET_KEY) changed without keeping the
    old key: the user cannot pass the code step until an administrator turns two-factor login
    off for them, so the failure is logged loudly rather than shown as a server error.
    """
    if not user.totp_secret_encrypted:
        return None
    try:
        return crypto.decrypt(user.totp_secret_encrypted)
    except ValueError:
        logger.error("The two-factor secret of user %s cannot be decrypted with ENCRYPTION_KEYS", user.pk)
        return None


def totp_step(secret: str, code: str) -> int | None:
    """The 30-second time step whose code ``code`` is (one step of clock drift allowed), or None."""
    code = to_ascii_digits(code).replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(dt.datetime.now())
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def totp_matches(secret: str, code: str) -> bool:
    return totp_step(secret, code) is not None


def use_login_code(user: User, code: str) -> bool:
    """Accept the user's one-time code once: a code already used (or an older one) is refused.

    The check and the update are one conditional UPDATE, so two requests racing with the same
    code cannot both pass.
    """
    secret = totp_secret_of(user)
    step = totp_step(secret, code) if secret else None
    if step is None:
        return False
    not_used_yet = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    return User.objects.filter(not_used_yet, pk=user.pk).update(totp_last_step=step) == 1


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name="Peyvand")


def provisioning_qr_svg(user: User, secret: str) -> SafeString:
    """The provisioning address as an inline SVG QR code, dark on light whatever the theme."""
    code = segno.make(provisioning_uri(user, secret), error="m", micro=False)
    svg = code.svg_inline(scale=5, dark="#000", light="#fff", svgclass="qr-code",
                          title=_("QR code to scan with your authenticator app"))  # fmt: skip
    # segno writes only SVG elements of its own and escapes the title.
    return mark_safe(svg)  # noqa: S308


@transaction.atomic
def two_factor_enable(*, user: User, secret: str, confirmed_step: int | None = None) -> None:
    """Turn on two-factor login; the code that confirmed it cannot then be used to log in."""
    user.totp_secret_encrypted = crypto.encrypt(secret)
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = confirmed_step
    user.save(update_fields=["totp_secret_encrypted", "totp_confirmed_at", "totp_last_step"])
    audit.record(actor=user, kind=AuditEvent.Kind.TWO_FACTOR_ENABLED, instance=user)


@transaction.atomic
def two_factor_disable(*, actor: User, user: User) -> None:
    user.totp_secret_encrypted = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret_encrypted", "totp_confirmed_at", "totp_last_step"])
    audit.record(actor=actor, kind=AuditEvent.Kind.TWO_FACTOR_DISABLED, instance=user)


# API tokens -----------------------------------------------------------------------------------
def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The user a bearer token stands for, or None for an unknown, expired or revoked token."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_token_secret(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    if token.allowed_actions:
        user._peyvand_token_narrowing = frozenset(token.allowed_actions)  # type: ignore[attr-defined]
    return user, token
