from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.permissions import Action, Scope
from peyvand.common.models import TimeStampedModel
from peyvand.common.text import search_key


class Team(TimeStampedModel):
    """A branch, department or any group of staff; teams form a tree."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("Branch")
        DEPARTMENT = "department", _("Department")
        GROUP = "group", _("Group")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent team"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of ids ("/1/4/9/"): descendants are one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="/")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="team_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Role(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_administrator = models.BooleanField(
        _("administrator"), default=False, help_text=_("Administrators may do everything, everywhere.")
    )
    requires_two_factor = models.BooleanField(
        _("requires two-factor login"), default=False,
        help_text=_("Users holding this role must set up and use a one-time code to log in."),
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    module = models.CharField(_("module"), max_length=50)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    scope = models.PositiveSmallIntegerField(_("scope"), choices=Scope.choices, default=Scope.NONE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["role", "module", "action"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.role}: {self.module}.{self.action}={self.scope}"


class RoleFieldGrant(models.Model):
    """A sensitive field the role may see."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="field_grants")
    module = models.CharField(_("module"), max_length=50)
    field = models.CharField(_("field"), max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["role", "module", "field"], name="role_field_grant_unique")]

    def __str__(self) -> str:
        return f"{self.role}: {self.module}.{self.field}"


class User(AbstractUser):
    class Language(models.TextChoices):
        PERSIAN = "fa", "فارسی"
        ENGLISH = "en", "English"

    class Digits(models.TextChoices):
        AUTO = "auto", _("As the language writes them")
        PERSIAN = "persian", _("Persian digits (۱۲۳)")
        LATIN = "latin", _("Latin digits (123)")

    class Theme(models.TextChoices):
        AUTO = "auto", _("As the device prefers")
        LIGHT = "light", _("Light")
        DARK = "dark", _("Dark")

    email = models.EmailField(_("email address"), blank=True, db_index=True)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="members")
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.PERSIAN)
    digits = models.CharField(_("digits"), max_length=10, choices=Digits.choices, default=Digits.AUTO)
    theme = models.CharField(_("theme"), max_length=10, choices=Theme.choices, default=Theme.AUTO)
    # The name as search compares it (common.text.search_key): Arabic ي/ك, ZWNJ and digits folded,
    # so "علي" typed by one person finds "علی" typed by another. The original is kept for display.
    search_name = models.CharField(max_length=400, blank=True, editable=False)
    # Raised on password, role or team change: every session signed with the old value ends.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    totp_secret_encrypted = models.TextField(blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The time step of the last one-time code accepted: a code works once.
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def refresh_search_name(self) -> None:
        """Recompute ``search_name``; ``save`` does it, bulk paths call it themselves."""
        self.search_name = search_key(f"{self.first_name} {self.last_name} {self.username}")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name", "username"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "peyvand.accounts.session", f"{self.password}:{self.session_generation}", algorithm="sha256"
        ).hexdigest()

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None


class LoginFailure(models.Model):
    """One failed login attempt; recent ones decide a lockout."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at}"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be changed")


class AuditEvent(models.Model):
    """An entry of the append-only audit trail.

    Rows are never updated or deleted: the model refuses it, and on PostgreSQL and SQLite a
    database trigger refuses it too (see the migration).
    """

    class Kind(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        LOCKED_OUT = "locked_out", _("Locked out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor login turned on")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor login turned off")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        PERMISSION_CHANGED = "permission_changed", _("Permissions changed")
        EXPORT = "export", _("Exported")
        # A person's data erased on request (contacts.services.privacy.party_erase).
        ERASE = "erase", _("Personal data erased")
        # Internal workflow (activities.workflow): a record handed to a colleague, approvals.
        HANDOFF = "handoff", _("Handed over")
        APPROVAL_REQUESTED = "approval_requested", _("Approval requested")
        APPROVAL_APPROVED = "approval_approved", _("Approved")
        APPROVAL_REJECTED = "approval_rejected", _("Rejected")
        APPROVAL_CANCELLED = "approval_cancelled", _("Approval request withdrawn")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
    )  # fmt: skip
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    kind = models.CharField(_("what"), max_length=30, choices=Kind.choices, db_index=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_label = models.CharField(_("record"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.kind} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be changed")


class AuditScrub(models.Model):
    """An audit event that may be rewritten, for one transaction: the one way through the trigger.

    ``audit.scrub`` inserts the ids, rewrites ``changes`` and ``object_label`` (to erase a
    person's data) and deletes the ids again, all in the caller's transaction; the database
    trigger lets an UPDATE of an audit event through only while its id is here, and only of those
    two columns (migration ``accounts/0006_audit_scrub``).
    """

    event_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.event_id)


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    # Empty: the token may do what its user may. Otherwise "module:action" strings it is narrowed to.
    allowed_actions = models.JSONField(_("allowed actions"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        # The rate limiter keys on this: one budget per token.
        return f"token:{self.pk}"


class OwnedRecord(TimeStampedModel):
    """Base of every record that belongs to a user and a team (the OWN and TEAM scopes)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class Notification(models.Model):
    """A message to one user, shown under the bell until they read it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    # What it is about: a key of ``accounts.notifications.kinds()`` ("general", "mention", …), which
    # decides whether it is also emailed (the recipient's preferences).
    kind = models.CharField(_("kind"), max_length=40, default="general")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A path inside Peyvand ("/accounts/users/4/") or an http(s) address; checked when sent.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The bell's unread count and the unread part of the list.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
            # The list filtered by kind.
            models.Index(fields=["recipient", "kind", "-created_at"], name="notification_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        """The kind as its registry names it, in the active language (a kind no longer registered: its key)."""
        from peyvand.accounts.notifications import kind_label

        return kind_label(self.kind)


class NotificationPreference(models.Model):
    """A user's choice, for one kind of notification, to get it by email or not.

    Only a choice that differs from the kind's default (``NotificationKind.email_default``) is kept:
    a kind registered later, or a default changed later, reaches everyone who never chose. A table
    rather than a JSON field on ``User``, so the user row read on every request stays small, a
    (user, kind) pair is unique by a constraint, and "who wants these by email" is one query.
    In-app notifications are always on and have no row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="notification_preferences",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=40)
    email = models.BooleanField(_("by email"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}={self.email}"
