"""Hand-offs, approval requests and activity notes.

A hand-off and an approval request point at any record through ``related_type`` and ``related_id``
(the kinds of record are those registered in ``workflow.records``); ``party`` repeats the customer
the record concerns, so the customer's page lists them and a merge or an erasure reaches them.
Imported by ``activities.models``, so they belong to the activities app and its migrations.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Role
from peyvand.contacts.models import Party


class Handoff(models.Model):
    """A record given by one staff member to another, with a note."""

    related_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    related_id = models.PositiveBigIntegerField()
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    party = models.ForeignKey(Party, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="handoffs")  # fmt: skip
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("from"), null=True,
                                  on_delete=models.SET_NULL, related_name="handoffs_given")  # fmt: skip
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.CASCADE,
                                related_name="handoffs_received")  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        indexes = [
            models.Index(fields=["to_user", "-created_at", "-id"], name="handoff_to_user"),
            models.Index(fields=["from_user", "-created_at", "-id"], name="handoff_from_user"),
            models.Index(fields=["related_type", "related_id"], name="handoff_record"),
        ]

    def __str__(self) -> str:
        return self.record_label


class ApprovalRequest(models.Model):
    """A request that a person, or anyone holding a role, approve something about a record."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    related_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    related_id = models.PositiveBigIntegerField()
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    party = models.ForeignKey(Party, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="approval_requests")  # fmt: skip
    subject = models.CharField(_("what is to be approved"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="approvals_requested")  # fmt: skip
    # Exactly one of the two: a person, or a role whose every active holder may decide.
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approver"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="approvals_to_decide")  # fmt: skip
    approver_role = models.ForeignKey(Role, verbose_name=_("approving role"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [
            models.Index(fields=["approver", "status", "-created_at"], name="approval_approver"),
            models.Index(fields=["approver_role", "status", "-created_at"], name="approval_role"),
            models.Index(fields=["requested_by", "status", "-created_at"], name="approval_requester"),
            models.Index(fields=["related_type", "related_id"], name="approval_record"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(approver__isnull=False, approver_role__isnull=True)
                | Q(approver__isnull=True, approver_role__isnull=False),
                name="approval_one_approver",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ActivityNote(models.Model):
    """A note on an activity; colleagues named in it with @username are told."""

    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True,
                               on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["activity", "created_at", "id"], name="activity_note_time")]

    def __str__(self) -> str:
        return self.text[:50]
