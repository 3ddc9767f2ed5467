"""The filters of the persons, companies and leads lists: a query string in, a typed spec out.

The page and the API read the same parameters through :class:`PartyFilterForm`, so both accept
and refuse exactly the same values; :func:`parse_filters` turns them into a :class:`PartyFilters`
whose :meth:`~PartyFilters.apply` narrows a queryset of parties. Custom fields are filtered
through JSON lookups that run on SQLite and PostgreSQL alike. Sensitive personal fields (national
ID, birth date, income band) are encrypted, so no list can filter on them.

Parameters (each may repeat where it takes several values, which then match "any of"):
``name``, ``job_title``, ``occupation``, ``company_name`` (contain the text; ``<field>_op=equals``
for the whole text); ``stage``, ``lead_status``, ``gender``, ``education``, ``size``,
``preferred_channel``; ``source``, ``category``, ``tag``, ``team`` (ids); ``owner`` (a user id,
``me`` or ``none``); ``province`` (a key of ``contacts.geography``), ``city``; ``has_phone``,
``has_email`` (``yes``/``no``); ``created_from``, ``created_to``, ``last_contact_from``,
``last_contact_to`` (Jalali or Gregorian dates); custom fields ``cf_<key>`` (text, link, choices,
yes/no) and ``cf_<key>_min``/``cf_<key>_max`` (number, money, date).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from peyvand.accounts.models import Team, User
from peyvand.accounts.selectors import active_user_names
from peyvand.common.forms import LocalDateField
from peyvand.common.text import normalize_text, search_key
from peyvand.contacts import geography
from peyvand.contacts.custom_fields import active_fields, clean_value
from peyvand.contacts.models import Address, Category, ContactPoint, CustomField, Party, Source, Tag
from peyvand.contacts.models.parties import CompanySize, Education, Gender, LeadStatus, LifecycleStage, PreferredChannel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Parameters of the list that are not filters.
NOT_FILTERS = frozenset({"sort", "cursor", "limit", "view", "format", "csrfmiddlewaretoken"})
TEXT_FIELDS = ("name", "job_title", "occupation", "company_name")
CHOICE_FIELDS = {
    "stage": ("lifecycle_stage", LifecycleStage),
    "lead_status": ("lead_status", LeadStatus),
    "gender": ("gender", Gender),
    "education": ("education", Education),
    "size": ("size", CompanySize),
    "preferred_channel": ("preferred_channel", PreferredChannel),
}
# Which filters each record type offers (the rest do not apply to it).
_PERSONAL = {"job_title", "occupation", "gender", "education"}
KIND_FIELDS: dict[str, frozenset[str]] = {
    Party.Kind.PERSON: frozenset({"name", "stage", "preferred_channel", *_PERSONAL}),
    Party.Kind.COMPANY: frozenset({"name", "stage", "preferred_channel", "size"}),
    Party.Kind.LEAD: frozenset({"name", "stage", "preferred_channel", "company_name", "lead_status", *_PERSONAL}),
}
_NUMBER_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
YES, NO = "yes", "no"


# The spec ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextFilter:
    field: str  # one of TEXT_FIELDS
    value: str
    exact: bool = False


@dataclass(frozen=True)
class CustomFilter:
    """One custom field's condition: ``contains`` text, ``values`` (any of), a range, or yes/no."""

    key: str
    field_type: str
    contains: str = ""
    values: tuple[str, ...] = ()
    minimum: Decimal | dt.date | None = None
    maximum: Decimal | dt.date | None = None
    flag: bool | None = None


@dataclass(frozen=True)
class PartyFilters:
    kind: str
    texts: tuple[TextFilter, ...] = ()
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (model field, values)
    source_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    owner_ids: tuple[int, ...] = ()
    owner_me: bool = False
    owner_none: bool = False
    provinces: tuple[str, ...] = ()
    city: str = ""
    has_phone: bool | None = None
    has_email: bool | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    last_contact_from: dt.date | None = None
    last_contact_to: dt.date | None = None
    custom: tuple[CustomFilter, ...] = ()
    # The parameters as given (empty ones dropped): for the audit trail and saved views.
    params: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.params

    def apply(self, queryset: models.QuerySet[Party], *, actor: User | AnonymousUser) -> models.QuerySet[Party]:
        """``queryset`` narrowed by every condition; all of them must hold."""
        conditions = models.Q()
        for text in self.texts:
            conditions &= _text_condition(text)
        for name, values in self.choices:
            conditions &= models.Q(**{f"{name}__in": values})
        if self.source_ids:
            conditions &= models.Q(source_id__in=self.source_ids)
        if self.category_ids:
            conditions &= models.Q(category_id__in=self.category_ids)
        if self.team_ids:
            conditions &= models.Q(team_id__in=self.team_ids)
        conditions &= self._owner_condition(actor)
        for start, end, name in ((self.created_from, self.created_to, "created_at"),
                                 (self.last_contact_from, self.last_contact_to, "last_contact_at")):  # fmt: skip
            if start:
                conditions &= models.Q(**{f"{name}__gte": _start_of(start)})
            if end:
                conditions &= models.Q(**{f"{name}__lt": _start_of(end + dt.timedelta(days=1))})
        queryset = queryset.filter(conditions)
        if self.tag_ids:
            tagged = Party.tags.through.objects.filter(party_id=OuterRef("pk"), tag_id__in=self.tag_ids)
            queryset = queryset.filter(Exists(tagged))
        if self.provinces or self.city:
            addresses = Address.objects.filter(party_id=OuterRef("pk"))
            if self.provinces:
                addresses = addresses.filter(province__in=self.provinces)
            if self.city:
                addresses = addresses.filter(city_key=search_key(self.city))
            queryset = queryset.filter(Exists(addresses))
        for kind, wanted in ((ContactPoint.Kind.PHONE, self.has_phone), (ContactPoint.Kind.EMAIL, self.has_email)):
            if wanted is not None:
                points = Exists(ContactPoint.objects.filter(party_id=OuterRef("pk"), kind=kind))
                queryset = queryset.filter(points if wanted else ~points)
        for custom in self.custom:
            queryset = _custom_condition(queryset, custom)
        return queryset

    def _owner_condition(self, actor: User | AnonymousUser) -> models.Q:
        if not (self.owner_ids or self.owner_me or self.owner_none):
            return models.Q()
        owners = set(self.owner_ids)
        if self.owner_me and actor.is_authenticated:
            owners.add(actor.pk)
        condition = models.Q(owner_id__in=sorted(owners)) if owners else models.Q(pk__in=[])
        if self.owner_none:
            condition |= models.Q(owner__isnull=True)
        return condition


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the current time zone: "created on 1403/05/12" is a Tehran day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _text_condition(text: TextFilter) -> models.Q:
    if text.field == "name":
        # search_key on both sides: ي/ی, ك/ک, ZWNJ, case and digits do not matter.
        key = search_key(text.value)
        return models.Q(search_key=key) if text.exact else models.Q(search_key__contains=key)
    value = normalize_text(text.value)
    return models.Q(**{f"{text.field}__iexact" if text.exact else f"{text.field}__icontains": value})


class JsonListHasAny(models.Expression):
    """True when the JSON list under ``custom[key]`` holds any of ``values`` (multiple-choice fields).

    PostgreSQL has ``?|`` on jsonb; SQLite walks the list with ``json_each``. Django's ``contains``
    on a JSON field is not available on SQLite, hence this expression.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, column: str, key: str, values: tuple[str, ...]) -> None:
        super().__init__()
        self.column: Any = models.F(column)
        self.key = key
        self.values = values

    def resolve_expression(self, query: Any = None, allow_joins: bool = True, reuse: Any = None,
                           summarize: bool = False, for_save: bool = False) -> JsonListHasAny:  # fmt: skip
        resolved = self.copy()
        resolved.column = self.column.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return resolved

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, expressions: Sequence[Any]) -> None:
        (self.column,) = expressions

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        marks = ", ".join(["%s"] * len(self.values))
        path = "$." + json.dumps(self.key)
        # Only placeholders and the compiled column are put in the text; the values are parameters.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}, %s) WHERE json_each.value IN ({marks}))"  # noqa: S608
        return sql, [*params, path, *self.values]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        marks = ", ".join(["%s"] * len(self.values))
        return f"(({column} -> %s) ?| ARRAY[{marks}]::text[])", [*params, self.key, *self.values]


def _custom_condition(queryset: models.QuerySet[Party], custom: CustomFilter) -> models.QuerySet[Party]:
    text = KT(f"custom__{custom.key}")
    kind = custom.field_type
    if kind in (CustomField.Type.TEXT, CustomField.Type.LINK):
        return queryset.filter(models.Q(**{f"custom__{custom.key}__icontains": normalize_text(custom.contains)}))
    if kind == CustomField.Type.CHOICE:
        return queryset.filter(**{f"custom__{custom.key}__in": list(custom.values)})
    if kind == CustomField.Type.MULTIPLE_CHOICE:
        return queryset.filter(JsonListHasAny("custom", custom.key, custom.values))
    if kind == CustomField.Type.YES_NO:
        return queryset.filter(**{f"custom__{custom.key}": custom.flag})
    name = f"_cf_{custom.key}"
    if kind == CustomField.Type.DATE:
        # ISO dates compare as text; anything else stored under the key (a type changed later) is skipped.
        value: Any = models.Case(models.When(**{f"custom__{custom.key}__regex": _ISO_DATE}, then=text))
        bounds: dict[str, Any] = {
            lookup: bound.isoformat() if isinstance(bound, dt.date) else None
            for lookup, bound in (("gte", custom.minimum), ("lte", custom.maximum))
        }
    else:
        number = Cast(text, models.DecimalField(max_digits=30, decimal_places=6))
        value = models.Case(models.When(**{f"custom__{custom.key}__regex": _NUMBER_TEXT}, then=number))
        bounds = {"gte": custom.minimum, "lte": custom.maximum}
    queryset = queryset.alias(**{name: value})
    for lookup, bound in bounds.items():
        if bound is not None:
            queryset = queryset.filter(**{f"{name}__{lookup}": bound})
    return queryset


# The form -----------------------------------------------------------------------------------------
def _english() -> bool:
    return (get_language() or "fa").startswith("en")


def _choice_label(choice: Mapping[str, Any]) -> str:
    return str((choice.get("label_en") if _english() else None) or choice.get("label") or choice["value"])


# The largest id a row can have (a 64-bit integer): a larger one names no row, and SQLite cannot even compare it.
MAX_ID = 2**63 - 1


class _IdsField(forms.ModelMultipleChoiceField):
    """Ids of rows; the label is the row's name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "label", None) or obj)

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                out_of_range = abs(int(str(pk).strip())) > MAX_ID
            except ValueError:
                continue  # the parent names it as not a valid id
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super().clean(value)


YES_NO_CHOICES = [("", gettext_lazy("Any")), (YES, gettext_lazy("Yes")), (NO, gettext_lazy("No"))]
TEXT_OPERATORS = [("contains", gettext_lazy("contains")), ("equals", gettext_lazy("is exactly"))]
_NUMBER_TYPES = (CustomField.Type.NUMBER, CustomField.Type.MONEY)


class PartyFilterForm(forms.Form):
    """Every filter a list of ``kind`` offers, the custom fields of that kind included."""

    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=300)
    name_op = forms.ChoiceField(label=gettext_lazy("Name match"), choices=TEXT_OPERATORS, required=False)
    job_title = forms.CharField(label=gettext_lazy("Job title"), required=False, max_length=150)
    job_title_op = forms.ChoiceField(label=gettext_lazy("Job title match"), choices=TEXT_OPERATORS, required=False)
    occupation = forms.CharField(label=gettext_lazy("Occupation"), required=False, max_length=150)
    occupation_op = forms.ChoiceField(label=gettext_lazy("Occupation match"), choices=TEXT_OPERATORS, required=False)
    company_name = forms.CharField(label=gettext_lazy("Company name"), required=False, max_length=200)
    company_name_op = forms.ChoiceField(label=gettext_lazy("Company name match"), choices=TEXT_OPERATORS,
                                        required=False)  # fmt: skip
    stage = forms.MultipleChoiceField(label=gettext_lazy("Lifecycle stage"), choices=LifecycleStage.choices,
                                      required=False)  # fmt: skip
    lead_status = forms.MultipleChoiceField(label=gettext_lazy("Lead status"), choices=LeadStatus.choices,
                                            required=False)  # fmt: skip
    gender = forms.MultipleChoiceField(label=gettext_lazy("Gender"), choices=Gender.choices, required=False)
    education = forms.MultipleChoiceField(label=gettext_lazy("Education"), choices=Education.choices, required=False)
    size = forms.MultipleChoiceField(label=gettext_lazy("Size"), choices=CompanySize.choices, required=False)
    preferred_channel = forms.MultipleChoiceField(label=gettext_lazy("Preferred channel"),
                                                  choices=PreferredChannel.choices, required=False)  # fmt: skip
    source = _IdsField(label=gettext_lazy("Source"), queryset=Source.objects.none(), required=False)
    category = _IdsField(label=gettext_lazy("Category"), queryset=Category.objects.none(), required=False)
    tag = _IdsField(label=gettext_lazy("Tags (any of)"), queryset=Tag.objects.none(), required=False)
    owner = forms.MultipleChoiceField(label=gettext_lazy("Owner"), required=False)
    team = _IdsField(label=gettext_lazy("Team"), queryset=Team.objects.none(), required=False)
    province = forms.MultipleChoiceField(label=gettext_lazy("Province"), required=False)
    city = forms.CharField(label=gettext_lazy("City"), required=False, max_length=100)
    has_phone = forms.ChoiceField(label=gettext_lazy("Has a phone"), choices=YES_NO_CHOICES, required=False)
    has_email = forms.ChoiceField(label=gettext_lazy("Has an email"), choices=YES_NO_CHOICES, required=False)
    created_from = LocalDateField(label=gettext_lazy("Created from"), required=False)
    created_to = LocalDateField(label=gettext_lazy("Created until"), required=False)
    last_contact_from = LocalDateField(label=gettext_lazy("Last contact from"), required=False)
    last_contact_to = LocalDateField(label=gettext_lazy("Last contact until"), required=False)

    def __init__(self, data: Mapping[str, Any] | None = None, *, kind: str,
                 custom_fields: list[CustomField] | None = None) -> None:  # fmt: skip
        super().__init__(data, label_suffix="")
        self.kind = kind
        self._owners: list[tuple[str, str]] | None = None
        offered = KIND_FIELDS[kind]
        for name in (*TEXT_FIELDS, *CHOICE_FIELDS):
            if name not in offered:
                del self.fields[name]
                self.fields.pop(f"{name}_op", None)
        self.fields["source"].queryset = Source.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            models.Q(kind="") | models.Q(kind=kind), is_active=True
        )
        self.fields["tag"].queryset = Tag.objects.all()  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(is_active=True).order_by("path")  # type: ignore[attr-defined]
        self.fields["owner"].choices = self._owner_choices  # type: ignore[attr-defined]  # read when shown or checked
        self.fields["province"].choices = geography.province_choices()  # type: ignore[attr-defined]
        self.custom_fields = active_fields(kind) if custom_fields is None else custom_fields
        for custom in self.custom_fields:
            self.fields.update(_custom_form_fields(custom))
        for each in self.fields.values():
            # Several values of one filter match "any of": a list of check boxes on the page.
            if isinstance(each, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                each.widget = forms.CheckboxSelectMultiple()
                each.widget.choices = each.choices

    def owner_names(self) -> list[tuple[str, str]]:
        """The active users' ids and names, read once per form (Django reads choices each time it iterates)."""
        if self._owners is None:
            self._owners = [(str(pk), name) for pk, name in active_user_names()]
        return self._owners

    def _owner_choices(self) -> list[tuple[str, str]]:
        return [("me", _("Me")), ("none", _("No one")), *self.owner_names()]

    def custom_field_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("cf_")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for start, end in (("created_from", "created_to"), ("last_contact_from", "last_contact_to")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                self.add_error(end, _("This date is before the start of the range."))
        return cleaned

    def filters(self) -> PartyFilters:
        """The spec of a valid form."""
        assert self.is_valid(), self.errors
        data = self.cleaned_data
        texts = tuple(
            TextFilter(field=name, value=data[name], exact=data.get(f"{name}_op") == "equals")
            for name in TEXT_FIELDS
            if data.get(name, "").strip()
        )
        choices = tuple((CHOICE_FIELDS[name][0], tuple(data[name])) for name in CHOICE_FIELDS if data.get(name))
        owners = list(data.get("owner") or [])
        return PartyFilters(
            kind=self.kind, texts=texts, choices=choices,
            source_ids=tuple(row.pk for row in data.get("source") or ()),
            category_ids=tuple(row.pk for row in data.get("category") or ()),
            tag_ids=tuple(row.pk for row in data.get("tag") or ()),
            team_ids=tuple(row.pk for row in data.get("team") or ()),
            owner_ids=tuple(int(value) for value in owners if value.isdigit()),
            owner_me="me" in owners, owner_none="none" in owners,
            provinces=tuple(data.get("province") or ()), city=data.get("city", "").strip(),
            has_phone=_yes_no(data.get("has_phone")), has_email=_yes_no(data.get("has_email")),
            created_from=data.get("created_from"), created_to=data.get("created_to"),
            last_contact_from=data.get("last_contact_from"), last_contact_to=data.get("last_contact_to"),
            custom=tuple(spec for custom in self.custom_fields if (spec := _custom_filter(custom, data))),
            params=self.used_params(),
        )  # fmt: skip

    def used_params(self) -> dict[str, list[str]]:
        """The filter parameters given, without empty values; operators only next to their text."""
        if not self.is_bound:
            return {}
        used: dict[str, list[str]] = {}
        getlist = getattr(self.data, "getlist", None)
        for name in self.fields:
            values = getlist(name) if getlist else _as_list(self.data.get(name))
            values = [str(value) for value in values if str(value).strip()]
            if values:
                used[name] = values
        for name in TEXT_FIELDS:
            if name not in used or used.get(f"{name}_op") == ["contains"]:
                used.pop(f"{name}_op", None)
        return used


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _yes_no(value: str | None) -> bool | None:
    return {YES: True, NO: False}.get(value or "")


def _custom_form_fields(custom: CustomField) -> dict[str, forms.Field]:
    label = custom.display_label
    name = f"cf_{custom.key}"
    kind = custom.field_type
    if kind in (CustomField.Type.TEXT, CustomField.Type.LINK):
        return {name: forms.CharField(label=label, required=False, max_length=300)}
    if kind in (CustomField.Type.CHOICE, CustomField.Type.MULTIPLE_CHOICE):
        choices = [(str(choice["value"]), _choice_label(choice)) for choice in custom.choices]
        return {name: forms.MultipleChoiceField(label=label, choices=choices, required=False)}
    if kind == CustomField.Type.YES_NO:
        return {name: forms.ChoiceField(label=label, choices=YES_NO_CHOICES, required=False)}
    if kind == CustomField.Type.DATE:
        return {
            f"{name}_min": LocalDateField(label=_("%(field)s from") % {"field": label}, required=False),
            f"{name}_max": LocalDateField(label=_("%(field)s until") % {"field": label}, required=False),
        }
    assert kind in _NUMBER_TYPES, kind
    return {
        f"{name}_min": _NumberField(custom, label=_("%(field)s at least") % {"field": label}, required=False),
        f"{name}_max": _NumberField(custom, label=_("%(field)s at most") % {"field": label}, required=False),
    }


class _NumberField(forms.CharField):
    """A number or an amount typed as the custom field accepts it (Persian digits, separators)."""

    def __init__(self, custom: CustomField, **kwargs: Any) -> None:
        self.custom = custom
        super().__init__(max_length=40, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "dir": "ltr"}

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        try:
            cleaned = clean_value(self.custom, text)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return None if cleaned is None else Decimal(str(cleaned))


def _custom_filter(custom: CustomField, data: Mapping[str, Any]) -> CustomFilter | None:
    name = f"cf_{custom.key}"
    kind = custom.field_type
    if kind in (CustomField.Type.TEXT, CustomField.Type.LINK):
        text = (data.get(name) or "").strip()
        return CustomFilter(key=custom.key, field_type=kind, contains=text) if text else None
    if kind in (CustomField.Type.CHOICE, CustomField.Type.MULTIPLE_CHOICE):
        values = tuple(data.get(name) or ())
        return CustomFilter(key=custom.key, field_type=kind, values=values) if values else None
    if kind == CustomField.Type.YES_NO:
        flag = _yes_no(data.get(name))
        return CustomFilter(key=custom.key, field_type=kind, flag=flag) if flag is not None else None
    minimum, maximum = data.get(f"{name}_min"), data.get(f"{name}_max")
    if minimum is None and maximum is None:
        return None
    return CustomFilter(key=custom.key, field_type=kind, minimum=minimum, maximum=maximum)


def parse_filters(kind: str, data: Mapping[str, Any], *,
                  custom_fields: list[CustomField] | None = None) -> PartyFilters:  # fmt: skip
    """The spec of the list's parameters; ``ValidationError`` keyed by parameter when one is wrong.

    Parameters that are not filters (sort, cursor, limit…) are ignored, and so are unknown ones.
    """
    form = PartyFilterForm(data, kind=kind, custom_fields=custom_fields)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.filters()
