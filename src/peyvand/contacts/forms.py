"""The forms of a person, company or lead, shared by the customer pages and the API.

A record is edited as three parts that are validated together: :class:`PartyForm` (the fields of
its kind, its custom fields, owner and team as the actor's scope allows, the sensitive fields the
actor may see), :data:`ContactPointFormSet` (phones, emails, handles, websites) and
:data:`AddressFormSet`. :class:`PartyEditor` binds the three, saves through
``services.parties`` and puts the service's errors ("phone.0", "addresses.1.postal_code",
"custom.colour") back on the field that caused them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peyvand.accounts import access
from peyvand.accounts.models import Team, User
from peyvand.accounts.permissions import Action, Scope
from peyvand.common.forms import LocalDateField
from peyvand.common.text import normalize_text
from peyvand.contacts import geography, sensitive
from peyvand.contacts.access import SENSITIVE_FIELDS, can_see_sensitive
from peyvand.contacts.models import Address, Category, ContactPoint, CustomField, Party, Source
from peyvand.contacts.models.contact_points import Consent
from peyvand.contacts.models.parties import (
    MODULE_OF_KIND,
    CompanySize,
    Education,
    Gender,
    IncomeBand,
    LeadStatus,
    LifecycleStage,
    PreferredChannel,
)
from peyvand.contacts.normalize import ContactPointIn, contact_point_keys
from peyvand.contacts.services import parties as party_services

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

BLANK = [("", "—")]
CUSTOM_PREFIX = "custom_"
TAG_SEPARATORS = (",", "،", "\n", ";", "؛")
LATIN = {"dir": "ltr"}

# The fields of each kind, in the order the form shows them.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Party.Kind.PERSON: ("first_name", "last_name", "job_title", "gender", "education", "occupation"),
    Party.Kind.COMPANY: ("name", "company_national_id", "economic_code", "size"),
    Party.Kind.LEAD: ("first_name", "last_name", "company_name", "job_title", "lead_status", "gender", "education",
                      "occupation"),
}  # fmt: skip
COMMON_FIELDS = ("lifecycle_stage", "source", "category", "tags", "owner", "team", "preferred_channel", "interests",
                 "lifestyle", "description")  # fmt: skip
PLAIN_FIELDS = frozenset(party_services.EDITABLE_FIELDS)


def split_tags(text: str) -> list[str]:
    for separator in TAG_SEPARATORS[1:]:
        text = text.replace(separator, ",")
    return [name for name in (normalize_text(part) for part in text.split(",")) if name]


def _text(label: Any, max_length: int, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False,
                           widget=forms.TextInput(attrs=attrs) if attrs else None)  # fmt: skip


def _choice(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[*BLANK, *choices], required=False)


def _area(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _builtin_field(name: str) -> forms.Field:
    """The form field of one built-in party field (choices follow the models)."""
    makers: dict[str, Any] = {
        "first_name": lambda: _text(_("First name"), 150, autocomplete="off"),
        "last_name": lambda: _text(_("Last name"), 150, autocomplete="off"),
        "name": lambda: forms.CharField(label=_("Company name"), max_length=300),
        "job_title": lambda: _text(_("Job title"), 150),
        "company_name": lambda: _text(_("Company name"), 200),
        "lead_status": lambda: forms.ChoiceField(
            label=_("Lead status"), choices=LeadStatus.choices, initial=LeadStatus.NEW
        ),
        "company_national_id": lambda: _text(_("Company national ID"), 20, inputmode="numeric", **LATIN),
        "economic_code": lambda: _text(_("Economic code"), 20, inputmode="numeric", **LATIN),
        "size": lambda: _choice(_("Size"), CompanySize.choices),
        "gender": lambda: _choice(_("Gender"), Gender.choices),
        "education": lambda: _choice(_("Education"), Education.choices),
        "occupation": lambda: _text(_("Occupation"), 150),
        "interests": lambda: _area(_("Interests")),
        "lifestyle": lambda: _area(_("Values and lifestyle")),
        "lifecycle_stage": lambda: forms.ChoiceField(
            label=_("Lifecycle stage"), choices=LifecycleStage.choices, initial=LifecycleStage.PROSPECT
        ),
        "preferred_channel": lambda: _choice(_("Preferred channel"), PreferredChannel.choices),
        "description": lambda: _area(_("Notes")),
        "national_id": lambda: _text(_("National ID"), 20, inputmode="numeric", autocomplete="off", **LATIN),
        "birth_date": lambda: LocalDateField(label=_("Birth date"), required=False),
        "income_band": lambda: _choice(_("Income band"), IncomeBand.choices),
    }
    field: forms.Field = makers[name]()
    return field


def custom_form_field(field: CustomField) -> forms.Field:
    """The form field of an administrator's custom field; its value is checked by ``clean_custom_values``."""
    # The page's field template shows help texts as markup: an administrator's text is escaped first.
    options: dict[str, Any] = {"label": field.display_label, "required": field.is_required,
                               "help_text": escape(field.help_text)}  # fmt: skip
    kind = field.field_type
    english = _english()
    choices = [(str(choice["value"]), str((choice.get("label_en") if english else None) or choice.get("label")
                                          or choice["value"])) for choice in field.choices]  # fmt: skip
    if kind == CustomField.Type.DATE:
        return LocalDateField(**options)
    if kind == CustomField.Type.CHOICE:
        return forms.ChoiceField(choices=[*BLANK, *choices], **options)
    if kind == CustomField.Type.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **options)
    if kind == CustomField.Type.YES_NO:
        return forms.ChoiceField(choices=[*BLANK, ("yes", _("Yes")), ("no", _("No"))], **options)
    if kind in (CustomField.Type.NUMBER, CustomField.Type.MONEY):
        if kind == CustomField.Type.MONEY and not field.help_text:
            options["help_text"] = _("In Rial.")
        return forms.CharField(max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal", **LATIN}),
                               **options)  # fmt: skip
    if kind == CustomField.Type.LINK:
        return forms.CharField(max_length=500, widget=forms.TextInput(attrs={"inputmode": "url", **LATIN}), **options)
    return forms.CharField(max_length=1000, **options)


def custom_initial(field: CustomField, value: Any) -> Any:
    """A stored custom value as its form field shows it."""
    if value in (None, "", []):
        return None
    if field.field_type == CustomField.Type.DATE:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return value
    if field.field_type == CustomField.Type.YES_NO:
        return "yes" if value else "no"
    return value


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "fa").startswith("en")


def scope_for(actor: User | AnonymousUser, kind: str, action: str) -> Scope:
    return access.scope_of(actor, MODULE_OF_KIND[kind], action)


def owner_choices(actor: User, kind: str, action: str, party: Party | None = None) -> QuerySet[User]:
    """The users a record may be given to: anyone with ALL, the actor's teams with TEAM, the actor with OWN."""
    scope = scope_for(actor, kind, action)
    users = User.objects.filter(is_active=True)
    keep = Q(pk=party.owner_id) if party is not None and party.owner_id else Q(pk__in=[])
    if scope == Scope.ALL:
        return users.order_by("username")
    team_ids = sorted(access.profile_for(actor).team_ids)
    mine = Q(pk=actor.pk)
    if scope == Scope.TEAM and team_ids:
        mine |= Q(pk__in=User.objects.filter(teams__in=team_ids).values("pk"))
    return User.objects.filter(mine & Q(is_active=True) | keep).order_by("username")


def team_choices(actor: User, kind: str, action: str, party: Party | None = None) -> QuerySet[Team]:
    scope = scope_for(actor, kind, action)
    keep = Q(pk=party.team_id) if party is not None and party.team_id else Q(pk__in=[])
    if scope == Scope.ALL:
        return Team.objects.filter(Q(is_active=True) | keep)
    team_ids = sorted(access.profile_for(actor).team_ids)
    return Team.objects.filter(Q(pk__in=team_ids, is_active=True) | keep)


class PartyForm(forms.Form):
    """The fields of a person, company or lead, as the actor may set them."""

    def __init__(self, data: Mapping[str, Any] | None = None, *, actor: User, kind: str,
                 party: Party | None = None, custom_fields: list[CustomField] | None = None,
                 prefix: str | None = None) -> None:  # fmt: skip
        assert kind in Party.Kind.values, kind
        self.actor, self.kind, self.party = actor, kind, party
        self.action = Action.EDIT if party is not None else Action.CREATE
        self.scope = scope_for(actor, kind, self.action)
        if custom_fields is None:
            custom_fields = list(CustomField.objects.filter(kind=kind, is_active=True).order_by("order", "pk"))
        self.custom_fields = custom_fields
        super().__init__(data, prefix=prefix, initial=self._initial())
        for name in (*KIND_FIELDS[kind], *COMMON_FIELDS):
            self.fields[name] = self._field(name)
        for name in self.sensitive_names():
            self.fields[name] = _builtin_field(name)
        for field in custom_fields:
            self.fields[CUSTOM_PREFIX + field.key] = custom_form_field(field)
        if kind != Party.Kind.COMPANY:
            self.fields["last_name"].help_text = _("A first or a last name is enough.")

    # Which fields ----------------------------------------------------------------------------------
    def sensitive_names(self) -> list[str]:
        if self.kind == Party.Kind.COMPANY:
            return []
        return [name for name in SENSITIVE_FIELDS if can_see_sensitive(self.actor, self.kind, name)]

    def _field(self, name: str) -> forms.Field:
        if name == "source":
            return forms.ModelChoiceField(
                label=_("Source"), required=False, empty_label="—",
                queryset=Source.objects.filter(Q(is_active=True) | Q(pk=self._current("source_id"))),
            )  # fmt: skip
        if name == "category":
            return forms.ModelChoiceField(
                label=_("Category"), required=False, empty_label="—",
                queryset=Category.objects.filter(Q(is_active=True, kind__in=["", self.kind])
                                                 | Q(pk=self._current("category_id"))),
            )  # fmt: skip
        if name == "tags":
            return forms.CharField(
                label=_("Tags"), required=False, max_length=1000,
                help_text=_("Separate tags with commas; a new tag is created as you save."),
                widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
            )  # fmt: skip
        if name == "owner":
            return forms.ModelChoiceField(
                label=_("Owner"), queryset=owner_choices(self.actor, self.kind, self.action, self.party),
                required=self.scope < Scope.TEAM, empty_label=_("No one"),
            )  # fmt: skip
        if name == "team":
            return forms.ModelChoiceField(
                label=_("Team"), queryset=team_choices(self.actor, self.kind, self.action, self.party),
                required=False, empty_label=_("No team"),
            )  # fmt: skip
        return _builtin_field(name)

    def _current(self, attribute: str) -> Any:
        return getattr(self.party, attribute) if self.party is not None else None

    def _initial(self) -> dict[str, Any]:
        party = self.party
        if party is None:
            first_team = sorted(access.profile_for(self.actor).team_ids)
            return {"owner": self.actor.pk, "team": first_team[0] if first_team else None,
                    "lifecycle_stage": LifecycleStage.LEAD if self.kind == Party.Kind.LEAD else LifecycleStage.PROSPECT}  # fmt: skip
        initial: dict[str, Any] = {name: getattr(party, name) for name in PLAIN_FIELDS if name not in
                                   ("source", "category")}  # fmt: skip
        initial.update(source=party.source_id, category=party.category_id, owner=party.owner_id, team=party.team_id)
        initial["tags"] = ", ".join(tag.name for tag in party.tags.all())
        for name in SENSITIVE_FIELDS:
            if self.kind != Party.Kind.COMPANY and can_see_sensitive(self.actor, self.kind, name):
                initial[name] = sensitive.read(party, name)
        for field in self.custom_fields:
            initial[CUSTOM_PREFIX + field.key] = custom_initial(field, party.custom.get(field.key))
        return initial

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in the sections the page shows, each field once."""
        sections: list[tuple[Any, tuple[str, ...]]] = [
            (pgettext_lazy("customer record", "Who"), ("first_name", "last_name", "name", "company_name", "job_title", "company_national_id",
                        "economic_code", "size")),
            (_("Classification"), ("lifecycle_stage", "lead_status", "source", "category", "tags", "owner", "team",
                                   "preferred_channel")),
            (_("Personal details"), ("national_id", "birth_date", "gender", "education", "occupation",
                                     "income_band")),
            (_("Interests and lifestyle"), ("interests", "lifestyle")),
            (_("More details"), tuple(CUSTOM_PREFIX + field.key for field in self.custom_fields)),
            (_("Notes"), ("description",)),
        ]  # fmt: skip
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in sections
                if any(name in self.fields for name in names)]  # fmt: skip

    # Checks ----------------------------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.kind != Party.Kind.COMPANY
            and not (data.get("first_name") or data.get("last_name"))
            and not (self.kind == Party.Kind.LEAD and data.get("company_name"))
        ) and "last_name" not in self.errors:
            self.add_error("last_name", _("Enter a first or a last name."))
        if self.scope < Scope.ALL and "owner" in data and "team" in data:
            team_ids = access.profile_for(self.actor).team_ids
            owner, team = data.get("owner"), data.get("team")
            mine = owner is not None and owner.pk == self.actor.pk
            in_team = self.scope >= Scope.TEAM and team is not None and team.pk in team_ids
            if not (mine or in_team):
                self.add_error("owner", _("You would lose sight of this record: make yourself its owner or give it "
                                          "to one of your teams."))  # fmt: skip
        return data

    # What the services receive ---------------------------------------------------------------------
    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {}
        for name in (*KIND_FIELDS[self.kind], *COMMON_FIELDS):
            if name in PLAIN_FIELDS:
                fields[name] = data.get(name) if name in ("source", "category") else (data.get(name) or "")
        for name in self.sensitive_names():
            value = data.get(name) or None
            if self.party is None or value != self.initial.get(name):
                fields[name] = value  # unchanged sensitive fields are not rewritten (nor audited as changed)
        if self.custom_fields:
            fields["custom"] = {field.key: self._custom_value(field) for field in self.custom_fields}
        return fields

    def _custom_value(self, field: CustomField) -> Any:
        value = self.cleaned_data.get(CUSTOM_PREFIX + field.key)
        if field.field_type == CustomField.Type.YES_NO:
            return {"yes": True, "no": False}.get(value or "")
        return value

    def tags(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags") or "")

    def add_service_error(self, key: str, messages: list[str]) -> bool:
        """Put a service error keyed "national_id" or "custom.colour" on its field; False if none fits."""
        name = CUSTOM_PREFIX + key.removeprefix("custom.") if key.startswith("custom.") else key
        if name not in self.fields:
            return False
        for message in messages:
            self.add_error(name, message)
        return True


class ContactPointForm(forms.Form):
    """One phone, email, social-media handle or website; a row left empty is ignored."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ContactPoint.Kind.choices, initial=ContactPoint.Kind.PHONE)
    value = forms.CharField(label=_("Value"), max_length=300, required=False,
                            widget=forms.TextInput(attrs={"class": "auto-dir", "autocomplete": "off"}))  # fmt: skip
    label = forms.ChoiceField(label=_("Label"), choices=[*BLANK, *ContactPoint.Label.choices], required=False)
    network = forms.ChoiceField(label=_("Network"), choices=[*BLANK, *ContactPoint.Network.choices], required=False,
                                help_text=_("For social-media handles."))  # fmt: skip
    extension = forms.CharField(label=_("Extension"), max_length=10, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5, **LATIN}))  # fmt: skip
    is_primary = forms.BooleanField(label=_("Primary"), required=False)
    consent = forms.ChoiceField(label=_("Consent"), choices=Consent.choices, initial=Consent.UNKNOWN)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point = self.contact_point()
        if point is not None and "value" not in self.errors:
            try:
                contact_point_keys(point)
            except ValidationError as error:
                self.add_error("value", error.messages)
        return data

    def contact_point(self) -> ContactPointIn | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or "kind" not in data or not (data.get("value") or "").strip():
            return None  # empty, or its kind is wrong (the field says so)
        return ContactPointIn(kind=data["kind"], value=data["value"], label=data.get("label") or "",
                              network=data.get("network") or "", extension=data.get("extension") or "",
                              is_primary=bool(data.get("is_primary")), consent=data.get("consent") or "unknown")  # fmt: skip


class AddressForm(forms.Form):
    """One postal address; a row left empty is ignored."""

    label = forms.ChoiceField(label=_("Label"), choices=Address.Label.choices, initial=Address.Label.WORK)
    province = forms.ChoiceField(label=_("Province"), required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    street = forms.CharField(label=pgettext_lazy("postal address", "Address"), max_length=300, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", **LATIN}))  # fmt: skip
    is_primary = forms.BooleanField(label=_("Primary"), required=False)
    consent = forms.ChoiceField(label=_("Consent to post"), choices=Consent.choices, initial=Consent.UNKNOWN)
    country = forms.CharField(max_length=2, required=False, initial="IR", widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ChoiceField)
        province.choices = [*BLANK, *geography.province_choices()]
        current = self.initial.get("province")
        if current and not geography.is_province(current):  # an address abroad keeps its region
            province.choices = [*province.choices, (current, current)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address = self.address()
        if address is not None:
            try:
                party_services.checked_addresses([address])
            except ValidationError as error:
                for key, texts in error.message_dict.items():
                    field = key.rsplit(".", 1)[-1]
                    self.add_error(field if field in self.fields else None, texts)
        return data

    def address(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        values = {name: data.get(name) for name in ("label", "province", "city", "street", "postal_code",
                                                     "is_primary", "consent")}  # fmt: skip
        values["country"] = (data.get("country") or "IR").upper()
        if not any(values.get(name) for name in ("province", "city", "street", "postal_code")):
            return None
        return values


ContactPointFormSet = forms.formset_factory(ContactPointForm, extra=0, can_delete=True, max_num=50,
                                            absolute_max=100, validate_max=True)  # fmt: skip
AddressFormSet = forms.formset_factory(AddressForm, extra=0, can_delete=True, max_num=20, absolute_max=40,
                                       validate_max=True)  # fmt: skip
POINTS_PREFIX = "points"
ADDRESSES_PREFIX = "addresses"


def contact_point_initial(party: Party | None) -> list[dict[str, Any]]:
    if party is None:
        return [{"kind": ContactPoint.Kind.PHONE, "label": ContactPoint.Label.MOBILE},
                {"kind": ContactPoint.Kind.EMAIL}]  # fmt: skip
    return [
        {"kind": point.kind, "value": point.value, "label": point.label, "network": point.network,
         "extension": point.extension, "is_primary": point.is_primary, "consent": point.consent}
        for point in party.contact_points.all()
    ]  # fmt: skip


def address_initial(party: Party | None) -> list[dict[str, Any]]:
    if party is None:
        return [{"label": Address.Label.WORK}]
    return [
        {"label": address.label, "province": address.province, "city": address.city, "street": address.street,
         "postal_code": address.postal_code, "is_primary": address.is_primary, "consent": address.consent,
         "country": address.country}
        for address in party.addresses.all()
    ]  # fmt: skip


def with_extra_row(data: QueryDict, prefix: str) -> QueryDict:
    """The posted data with one more (empty) row in the formset ``prefix``: "add a row" without JavaScript."""
    copy = data.copy()
    total_key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(total_key) or 0)
    except ValueError:
        total = 0
    copy[total_key] = str(min(total + 1, 100))
    return copy


class PartyEditor:
    """A party's form with its contact-point and address rows: one thing to validate and save."""

    def __init__(self, *, actor: User, kind: str, party: Party | None = None,
                 data: Mapping[str, Any] | None = None) -> None:  # fmt: skip
        self.actor, self.kind, self.party = actor, kind, party
        self.form = PartyForm(data, actor=actor, kind=kind, party=party)
        # Posted rows are compared with the fields' own initial values, not the record's: a row left
        # as it was must still be read, or saving without touching the phones would drop them.
        bound = data is not None
        self.points = ContactPointFormSet(data, prefix=POINTS_PREFIX,
                                          initial=None if bound else contact_point_initial(party))  # fmt: skip
        self.addresses = AddressFormSet(
            data, prefix=ADDRESSES_PREFIX, initial=None if bound else address_initial(party)
        )
        self.service_errors: list[str] = []

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self) -> bool:
        # Every part is checked, so that each shows its own errors at once.
        results = [self.form.is_valid(), self.points.is_valid(), self.addresses.is_valid()]
        return all(results)

    def save(self) -> Party | None:
        """Create or change the party; ``None`` (with the errors on the fields) when the services refuse."""
        assert self.is_valid()
        point_rows = [(index, form.contact_point()) for index, form in enumerate(self.points.forms)]
        points = [(index, point) for index, point in point_rows if point is not None]
        address_rows = [(index, form.address()) for index, form in enumerate(self.addresses.forms)]
        addresses = [(index, address) for index, address in address_rows if address is not None]
        data = self.form.cleaned_data
        try:
            if self.party is None:
                return party_services.party_create(
                    actor=self.actor, kind=self.kind, fields=self.form.service_fields(),
                    contact_points=[point for _index, point in points],
                    addresses=[address for _index, address in addresses], tags=self.form.tags(),
                    owner=data.get("owner"), team=data.get("team"),
                )  # fmt: skip
            return party_services.party_update(
                actor=self.actor, party=self.party, fields=self.form.service_fields(),
                contact_points=[point for _index, point in points],
                addresses=[address for _index, address in addresses], tags=self.form.tags(),
                owner=data.get("owner"), team=data.get("team"),
            )  # fmt: skip
        except ValidationError as error:
            self._place_errors(error, points, addresses)
            if self.party is not None:
                self.party.refresh_from_db()
            return None

    def _place_errors(self, error: ValidationError, points: list[tuple[int, ContactPointIn]],
                      addresses: list[tuple[int, dict[str, Any]]]) -> None:  # fmt: skip
        by_kind: dict[str, list[int]] = {}
        for index, point in points:
            by_kind.setdefault(point.kind, []).append(index)
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for key, texts in messages.items():
            parts = key.split(".")
            if (
                parts[0] in by_kind
                and len(parts) == 2
                and parts[1].isdigit()
                and int(parts[1]) < len(by_kind[parts[0]])
            ):
                form = self.points.forms[by_kind[parts[0]][int(parts[1])]]
                for text in texts:
                    form.add_error("value", text)
                continue
            if parts[0] == "addresses" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(addresses):
                address_form = self.addresses.forms[addresses[int(parts[1])][0]]
                field = parts[2] if parts[2] in address_form.fields else None
                for text in texts:
                    address_form.add_error(field, text)
                continue
            if key == "name" and "name" not in self.form.fields:
                key = "last_name"
            if not self.form.add_service_error(key, texts):
                self.service_errors.extend(texts)

    def errors_by_name(self, names: Mapping[str, str] | None = None) -> dict[str, list[str]]:
        """Every error, keyed by the API's names: "first_name", "custom.colour", "contact_points.1.value"."""
        names = names or {}
        errors: dict[str, list[str]] = {}
        for field, texts in self.form.errors.items():
            key = "custom." + field.removeprefix(CUSTOM_PREFIX) if field.startswith(CUSTOM_PREFIX) else field
            errors.setdefault(names.get(key, key), []).extend(str(text) for text in texts)
        formsets: tuple[tuple[str, forms.BaseFormSet[Any]], ...] = (
            ("contact_points", self.points), ("addresses", self.addresses),
        )  # fmt: skip
        for prefix, formset in formsets:
            for index, form in enumerate(formset.forms):
                for field, texts in form.errors.items():
                    key = f"{prefix}.{index}" if field == "__all__" else f"{prefix}.{index}.{field}"
                    errors.setdefault(key, []).extend(str(text) for text in texts)
            for text in formset.non_form_errors():
                errors.setdefault(prefix, []).append(str(text))
        if self.service_errors:
            errors.setdefault("__all__", []).extend(self.service_errors)
        return errors
