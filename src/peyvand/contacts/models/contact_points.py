"""How to reach a party: phones, emails, social-media handles, websites, and postal addresses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.common.models import TimeStampedModel
from peyvand.contacts.models.parties import Party


class Consent(models.TextChoices):
    UNKNOWN = "unknown", _("Not asked")
    GRANTED = "granted", _("Agreed")
    WITHDRAWN = "withdrawn", _("Declined")


class ContactPoint(TimeStampedModel):
    """One phone number, email address, social-media handle or website of a party.

    ``value`` is what the user typed (for display); ``key`` the comparable form: E.164 for a
    phone, the lower-cased address for an email, "network:handle" for a handle, the lower-cased
    address without scheme for a website. Phones also keep ``digits`` (E.164 without "+"),
    ``national_number`` for caller-ID matches and ``digits_reversed`` so that "the number ends
    with …" is a prefix range on an index.
    """

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        SOCIAL = "social", _("Social media")
        WEBSITE = "website", _("Website")

    class Label(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        WORK = "work", _("Work")
        HOME = "home", _("Home")
        FAX = "fax", _("Fax")
        OTHER = "other", _("Other")

    class Network(models.TextChoices):
        TELEGRAM = "telegram", _("Telegram")
        WHATSAPP = "whatsapp", _("WhatsApp")
        INSTAGRAM = "instagram", _("Instagram")
        LINKEDIN = "linkedin", _("LinkedIn")
        X = "x", _("X (Twitter)")
        FACEBOOK = "facebook", _("Facebook")
        EITAA = "eitaa", _("Eitaa")
        BALE = "bale", _("Bale")
        RUBIKA = "rubika", _("Rubika")
        APARAT = "aparat", _("Aparat")
        OTHER = "other", _("Other")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=300)
    # Collated "C" on PostgreSQL by migration 0003 (prefix ranges of email search).
    key = models.CharField(max_length=300, editable=False)
    label = models.CharField(_("label"), max_length=10, choices=Label.choices, blank=True)
    network = models.CharField(_("network"), max_length=20, choices=Network.choices, blank=True)
    # Phones only
    digits = models.CharField(max_length=20, blank=True, editable=False)
    national_number = models.CharField(max_length=17, blank=True, editable=False)
    digits_reversed = models.CharField(max_length=20, blank=True, editable=False)
    extension = models.CharField(_("extension"), max_length=10, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices, default=Consent.UNKNOWN)
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["party", "kind", "-is_primary", "pk"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        indexes = [
            models.Index(fields=["kind", "key"], name="contact_point_key"),
            # Kind first, as in contact_point_key: every lookup asks for one kind, and SQLite (which has
            # no statistics) otherwise reads every phone through another index that starts with it.
            models.Index(fields=["kind", "national_number"], name="contact_point_national"),
            models.Index(fields=["kind", "digits_reversed"], name="contact_point_suffix"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["party", "kind", "key"], name="contact_point_unique_per_party"),
        ]

    def __str__(self) -> str:
        return self.value


class Address(TimeStampedModel):
    """A postal address in Iran (province and city) or abroad."""

    class Label(models.TextChoices):
        HOME = "home", _("Home")
        WORK = "work", _("Work")
        BILLING = "billing", _("Billing")
        SHIPPING = "shipping", _("Shipping")
        OTHER = "other", _("Other")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("label"), max_length=10, choices=Label.choices, default=Label.WORK)
    country = models.CharField(_("country"), max_length=2, default="IR")
    # One of contacts.geography.PROVINCES ("tehran", "isfahan", …) in Iran; free text abroad.
    province = models.CharField(_("province"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # search_key(city): "same city" for duplicate detection and the city filter.
    city_key = models.CharField(max_length=100, blank=True, editable=False, db_index=True)
    street = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    consent = models.CharField(_("consent to post"), max_length=10, choices=Consent.choices, default=Consent.UNKNOWN)

    class Meta:
        ordering = ["party", "-is_primary", "pk"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        # The lists' province filter (the city filter uses city_key's own index).
        indexes = [models.Index(fields=["province", "party"], name="address_province")]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.street, self.city) if part)
