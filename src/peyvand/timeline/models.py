"""Channels and interactions: the customer's electronic file."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import OwnedRecord
from peyvand.common.models import TimeStampedModel
from peyvand.contacts.models import Party


class Channel(TimeStampedModel):
    """A way customers and the business meet (phone, store visit, IVR, kiosk…): data an
    administrator edits, with the cost of one contact on it."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name (Persian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    icon = models.CharField(_("icon"), max_length=30, default="channel")
    # In Rial, copied onto each interaction when it is logged so later changes keep history true.
    cost_per_contact = models.PositiveBigIntegerField(_("cost per contact (Rial)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "fa").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Interaction(OwnedRecord):
    """One touchpoint with a customer. ``owner`` is the staff member who had it."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")
        INTERNAL = "internal", _("Internal")

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MESSAGE = "message", _("Message")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Visit")
        NOTE = "note", _("Note")
        PURCHASE = "purchase", _("Purchase")
        REQUEST = "request", _("Request")
        COMPLAINT = "complaint", _("Complaint")
        OTHER = "other", _("Other")

    party = models.ForeignKey(Party, verbose_name=_("contact"), on_delete=models.CASCADE,
                              related_name="interactions")  # fmt: skip
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.INBOUND)  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    content = models.TextField(_("content"), blank=True)
    occurred_at = models.DateTimeField(_("when"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    cost = models.PositiveBigIntegerField(_("cost (Rial)"), default=0)
    # A link to any other record (a deal, a case, a campaign once those exist).
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Set by other systems pushing interactions through the API; the pair makes a push idempotent.
    source_system = models.CharField(_("source system"), max_length=50, blank=True)
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["party", "occurred_at", "id"], name="interaction_party_time"),
            models.Index(fields=["party", "channel", "occurred_at", "id"], name="interaction_party_channel"),
            models.Index(fields=["party", "kind", "occurred_at", "id"], name="interaction_party_kind"),
            models.Index(fields=["owner", "occurred_at", "id"], name="interaction_owner_time"),
            models.Index(fields=["channel", "occurred_at", "id"], name="interaction_channel_time"),
            models.Index(fields=["kind", "occurred_at", "id"], name="interaction_kind_time"),
            models.Index(fields=["occurred_at", "id"], name="interaction_time"),
            models.Index(fields=["related_type", "related_id"], name="interaction_related"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "external_id"], condition=~Q(external_id=""),
                name="interaction_external_id_unique",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.subject or str(self.get_kind_display())

    @property
    def duration_display(self) -> str:
        """``1:05:09`` or ``4:05``: hours only when there are any."""
        if self.duration_seconds is None:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ChannelTally(models.Model):
    """How often a party was met on one channel, first and last: the customer page's header
    reads these few rows instead of counting a long timeline."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="channel_tallies")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["party", "channel"], name="channel_tally_unique")]

    def __str__(self) -> str:
        return f"{self.party_id}/{self.channel_id}: {self.count}"
