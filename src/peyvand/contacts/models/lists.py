"""Lists an administrator keeps: tags, categories, sources, relationship types, custom fields.

Business configuration is data, not code: each row has a Persian and an English name, and the
one shown follows the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peyvand.common.models import TimeStampedModel


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")
    LEAD = "lead", _("Lead")


class BilingualName(models.Model):
    """A name in Persian and, optionally, in English; ``label`` is the one for the active language."""

    name = models.CharField(_("name (Persian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "fa").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Tag(TimeStampedModel):
    """A free label staff put on records; created on the fly."""

    name = models.CharField(_("name"), max_length=60)
    # normalize_text + casefold of the name: "VIP" and "vip", "مشتری ويژه" and "مشتری ویژه" are one tag.
    key = models.CharField(max_length=60, unique=True, editable=False)
    color = models.CharField(_("colour"), max_length=7, default="#64748b")

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Category(BilingualName, TimeStampedModel):
    """A class of customer an administrator defines (wholesale, retail, government…)."""

    kind = models.CharField(_("record type"), max_length=10, choices=PartyKind.choices, blank=True,
                            help_text=_("Leave empty to offer it for every record type."))  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Source(BilingualName, TimeStampedModel):
    """Where a customer came from (website, exhibition, referral, cold call…)."""

    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")


class RelationshipType(BilingualName, TimeStampedModel):
    """A kind of link between two parties, read one way by ``name`` and back by ``inverse_name``.

    "works at" / "employs", "parent company of" / "subsidiary of"; symmetric types (spouse,
    partner, competitor) read the same both ways.
    """

    key = models.SlugField(_("key"), max_length=40, unique=True)
    inverse_name = models.CharField(_("inverse name (Persian)"), max_length=100, blank=True)
    inverse_name_en = models.CharField(_("inverse name (English)"), max_length=100, blank=True)
    is_symmetric = models.BooleanField(_("reads the same both ways"), default=False)
    from_kind = models.CharField(_("from record type"), max_length=10, choices=PartyKind.choices, blank=True)
    to_kind = models.CharField(_("to record type"), max_length=10, choices=PartyKind.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("relationship type")
        verbose_name_plural = _("relationship types")

    @property
    def inverse_label(self) -> str:
        if self.is_symmetric:
            return self.label
        if (get_language() or "fa").startswith("en") and self.inverse_name_en:
            return self.inverse_name_en
        return self.inverse_name or self.label


class CustomField(TimeStampedModel):
    """A field an administrator adds to one record type; values live in ``Party.custom[key]``."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        MONEY = "money", _("Money")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        YES_NO = "yes_no", _("Yes / no")
        LINK = "link", _("Link")

    kind = models.CharField(_("record type"), max_length=10, choices=PartyKind.choices)
    key = models.SlugField(_("key"), max_length=40, help_text=_("Used in the API, imports and exports."))
    label = models.CharField(_("label (Persian)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    field_type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.TEXT)
    # For choices: [{"value": "gold", "label": "طلایی", "label_en": "Gold"}, …]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="custom_field_unique_key")]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if (get_language() or "fa").startswith("en") and self.label_en:
            return self.label_en
        return self.label


class SavedView(TimeStampedModel):
    """A user's named list: the filters and sort of a persons, companies or leads list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    kind = models.CharField(_("record type"), max_length=10, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # The list's query string without the cursor: "stage=customer&sort=-last_contact_at".
    query = models.CharField(_("filters"), max_length=2000, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "name"], name="saved_view_unique_name")]

    def __str__(self) -> str:
        return self.name
