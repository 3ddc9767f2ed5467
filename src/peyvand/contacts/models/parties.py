"""Parties — persons, companies and leads — and the links between them.

One table holds all three kinds (ADR 0012): contact points, relationships, interactions and
merges point at one kind of row, and a lead converted into a person or a company keeps its id
and with it its whole history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import OwnedRecord
from peyvand.common.numbers import shape_digits
from peyvand.contacts.models.lists import Category, PartyKind, RelationshipType, Source, Tag


class LifecycleStage(models.TextChoices):
    SUBSCRIBER = "subscriber", _("Subscriber")
    LEAD = "lead", _("Lead")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    FORMER_CUSTOMER = "former_customer", _("Former customer")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUALIFIED = "qualified", _("Qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")
    CONVERTED = "converted", _("Converted")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Education(models.TextChoices):
    BELOW_DIPLOMA = "below_diploma", _("Below high-school diploma")
    DIPLOMA = "diploma", _("High-school diploma")
    ASSOCIATE = "associate", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")
    SEMINARY = "seminary", _("Seminary")


class IncomeBand(models.TextChoices):
    LOW = "low", _("Low")
    LOWER_MIDDLE = "lower_middle", _("Lower middle")
    MIDDLE = "middle", _("Middle")
    UPPER_MIDDLE = "upper_middle", _("Upper middle")
    HIGH = "high", _("High")


class CompanySize(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250-999", _("250–999 employees")
    ENTERPRISE = "1000+", _("1,000 employees or more")


class PreferredChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    MESSENGER = "messenger", _("Messenger")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")


class Party(OwnedRecord):
    """A person, a company or a lead: someone the business knows."""

    Kind = PartyKind

    kind = models.CharField(_("record type"), max_length=10, choices=PartyKind.choices)
    # What lists and the timeline show: "first last" for persons and leads, the name of a company.
    name = models.CharField(_("name"), max_length=300)
    # search_key(name): the order of name sorts and the exact-name part of duplicate detection.
    search_key = models.CharField(max_length=300, editable=False, default="")

    # Persons and leads
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    # Leads: the organisation they named before it exists as a company.
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    lead_status = models.CharField(_("lead status"), max_length=20, choices=LeadStatus.choices, blank=True)

    # Companies
    company_national_id = models.CharField(_("company national ID"), max_length=11, blank=True)
    economic_code = models.CharField(_("economic code"), max_length=14, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=CompanySize.choices, blank=True)

    # Sensitive personal fields: encrypted with common.crypto, shown only to roles granted them.
    national_id_encrypted = models.TextField(blank=True, editable=False)
    # keyed_hash of the national ID: an exact search finds it without storing it in the clear.
    national_id_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    birth_date_encrypted = models.TextField(blank=True, editable=False)
    income_band_encrypted = models.TextField(blank=True, editable=False)

    # Demographic and psychographic
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=150, blank=True)
    interests = models.TextField(_("interests"), blank=True)
    lifestyle = models.TextField(_("values and lifestyle"), blank=True)

    # Classification
    lifecycle_stage = models.CharField(_("lifecycle stage"), max_length=20, choices=LifecycleStage.choices,
                                       default=LifecycleStage.PROSPECT)  # fmt: skip
    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")  # fmt: skip
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="parties")
    preferred_channel = models.CharField(_("preferred channel"), max_length=20, choices=PreferredChannel.choices,
                                         blank=True)  # fmt: skip
    description = models.TextField(_("notes"), blank=True)
    # Values of the administrator's custom fields, by CustomField.key.
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)

    # Figures for the customer page's header, kept by the timeline as interactions are logged.
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    interaction_count = models.PositiveIntegerField(_("interactions"), default=0)
    # The later of the creation and the last contact: the never-null key of "recently active" sorts.
    active_at = models.DateTimeField(_("last activity"), db_index=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)  # fmt: skip
    # A digest of the imported row that made or last matched this record: the same row imported
    # again is recognised and changes nothing.
    import_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["search_key", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["kind", "search_key", "id"], name="party_kind_name"),
            models.Index(fields=["kind", "created_at", "id"], name="party_kind_created"),
            models.Index(fields=["kind", "active_at", "id"], name="party_kind_active"),
            models.Index(fields=["kind", "lifecycle_stage", "search_key", "id"], name="party_kind_stage_name"),
            models.Index(fields=["kind", "owner", "search_key", "id"], name="party_kind_owner_name"),
            models.Index(fields=["kind", "team", "search_key", "id"], name="party_kind_team_name"),
            models.Index(fields=["company_national_id"], name="party_company_national_id"),
            # The lists' "last contact" date-range filter.
            models.Index(fields=["kind", "last_contact_at"], name="party_kind_last_contact"),
            # My page: the user's newest customers, their leads not yet contacted, and their
            # customers by last contact ("Assigned to me", "Recent interactions with my customers").
            models.Index(fields=["owner", "created_at", "id"], name="party_owner_created"),
            models.Index(
                fields=["owner", "created_at"],
                name="party_owner_new_leads",
                condition=Q(kind="lead", lead_status="new"),
            ),
            models.Index(fields=["owner", "last_contact_at"], name="party_owner_last_contact"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PartyKind.values), name="party_kind_known"),
            models.CheckConstraint(condition=~Q(name=""), name="party_has_name"),
        ]

    def __str__(self) -> str:
        if self.erased_at is not None:  # the stored name is a fixed marker (contacts.services.privacy)
            return gettext("Erased person #%(id)s") % {"id": shape_digits(str(self.pk))}
        return self.name

    @property
    def module(self) -> str:
        """The access module of this record's kind ("persons", "companies", "leads")."""
        return MODULE_OF_KIND[self.kind]

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON

    @property
    def is_company(self) -> bool:
        return self.kind == PartyKind.COMPANY

    @property
    def is_lead(self) -> bool:
        return self.kind == PartyKind.LEAD


MODULE_OF_KIND: dict[str, str] = {PartyKind.PERSON: "persons", PartyKind.COMPANY: "companies", PartyKind.LEAD: "leads"}


class SearchTerm(models.Model):
    """One word of a party's name, in search-key form: the global search's index.

    Typing the beginning of any word of a name ("محم", "rez", "علوی") is a range scan on ``term``,
    the same on SQLite and PostgreSQL, however many parties there are.
    """

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="search_terms")
    # Collated "C" on PostgreSQL by migration 0003, so that ranges mean "starts with"; a change to
    # this field must keep that collation.
    term = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["term", "party"], name="search_term_term")]
        constraints = [models.UniqueConstraint(fields=["party", "term"], name="search_term_unique")]

    def __str__(self) -> str:
        return self.term


class Relationship(models.Model):
    """A typed link between two parties: ``from_party`` <type.name> ``to_party``."""

    from_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="relationships_from")
    to_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="relationships_to")
    type = models.ForeignKey(RelationshipType, verbose_name=_("relationship"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["pk"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        # "The company this person works at" (caller ID, search, duplicates): one party's links of one
        # type, oldest first. Without it SQLite reads every link of the type (a million "works at").
        indexes = [models.Index(fields=["from_party", "type", "id"], name="relationship_from_type")]
        constraints = [
            models.UniqueConstraint(fields=["from_party", "to_party", "type"], name="relationship_unique"),
            models.CheckConstraint(condition=~Q(from_party=F("to_party")), name="relationship_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.from_party_id} {self.type_id} {self.to_party_id}"


class LeadConversion(models.Model):
    """A lead qualified into a person and/or a company; kept so an administrator can undo it."""

    lead = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="conversions")
    # The company the conversion created (undo deletes it) or linked (undo leaves it).
    company = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_company = models.BooleanField(default=False)
    relationship = models.ForeignKey(Relationship, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip
    # The lead's fields before: {"kind": "lead", "lead_status": "qualified", "lifecycle_stage": "lead", …}
    previous = models.JSONField(default=dict)
    converted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    converted_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-converted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.lead_id} → {self.company_id}"


class PartyMerge(models.Model):
    """A duplicate merged into a survivor: what was chosen and what moved."""

    survivor = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="merges")
    merged_id = models.PositiveBigIntegerField()
    merged_name = models.CharField(max_length=300)
    # {field: "survivor" | "merged"} as the user chose, and {"contact_points": 3, "interactions": 120, …}
    choices = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.survivor_id}"


class DuplicateCandidate(models.Model):
    """Two parties that look like the same customer, waiting for someone to merge or dismiss them.

    ``first`` is always the older record (lower id), so a pair is stored once.
    """

    class Reason(models.TextChoices):
        PHONE = "phone", _("Same phone number")
        EMAIL = "email", _("Same email address")
        NATIONAL_ID = "national_id", _("Same national ID")
        COMPANY_NATIONAL_ID = "company_national_id", _("Same company national ID")
        NAME = "name", _("Similar name")

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        DISMISSED = "dismissed", _("Not duplicates")

    first = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PartyKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    score = models.PositiveSmallIntegerField(_("similarity"), default=100)  # 0–100
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "-pk"]
        indexes = [models.Index(fields=["kind", "status", "score", "id"], name="duplicate_review_list")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"
