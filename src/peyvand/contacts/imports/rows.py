"""One row of a file, mapped and checked: what it would write, or what is wrong with it.

The checks are those of the forms and the API: ``contacts.services.parties`` cleans and checks the
fields (names, Iranian identifiers) and the addresses, ``contacts.normalize`` the contact points,
``contacts.custom_fields`` the custom fields. Nothing here touches the database: what a batch needs
from it (owners, existing records) is looked up once per batch by ``contacts.imports.batches``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from peyvand.common.calendar import parse_date
from peyvand.common.text import normalize_text, search_key, to_ascii_digits
from peyvand.contacts import geography
from peyvand.contacts.custom_fields import clean_value
from peyvand.contacts.imports.columns import label_of
from peyvand.contacts.imports.readers import Row
from peyvand.contacts.models import Address, Category, ContactPoint, CustomField, Party, Source
from peyvand.contacts.models.parties import (
    CompanySize,
    Education,
    Gender,
    IncomeBand,
    LeadStatus,
    LifecycleStage,
    PreferredChannel,
)
from peyvand.contacts.normalize import ContactPointIn, ContactPointKeys, contact_point_keys
from peyvand.contacts.services import parties

# Google Contacts puts several values in one cell with " ::: " between them.
_MULTI_VALUE = re.compile(r"\s*:::\s*")
_TAG_SEPARATORS = re.compile(r"\s*(?::::|[,;،|])\s*")
_SYSTEM_LABELS = {"mycontacts", "starred"}  # Google's own groups, not the user's labels
_CHOICE_FIELDS: dict[str, type[models.TextChoices]] = {
    "gender": Gender, "education": Education, "income_band": IncomeBand, "lifecycle_stage": LifecycleStage,
    "lead_status": LeadStatus, "preferred_channel": PreferredChannel, "size": CompanySize,
}  # fmt: skip
# Words other systems write for the same choice (HubSpot, Salesforce, everyday Persian).
_SYNONYMS: dict[str, dict[str, str]] = {
    "gender": {"m": "male", "man": "male", "mr": "male", "مرد": "male", "اقا": "male", "f": "female",
               "woman": "female", "mrs": "female", "ms": "female", "زن": "female", "خانم": "female"},
    "lifecycle_stage": {"marketingqualifiedlead": "lead", "salesqualifiedlead": "lead", "opportunity": "prospect",
                        "evangelist": "customer", "former": "former_customer", "مشتری سابق": "former_customer"},
    "lead_status": {"open": "new", "open not contacted": "new", "attempted to contact": "contacted",
                    "connected": "contacted", "in progress": "contacted", "working contacted": "contacted",
                    "open deal": "qualified", "bad timing": "unqualified", "closed converted": "converted",
                    "closed not converted": "unqualified"},
    "education": {"phd": "doctorate", "دکترا": "doctorate", "دکتری": "doctorate", "لیسانس": "bachelor",
                  "کارشناسی": "bachelor", "فوق لیسانس": "master", "کارشناسی ارشد": "master", "دیپلم": "diploma",
                  "فوق دیپلم": "associate", "کاردانی": "associate", "زیر دیپلم": "below_diploma",
                  "حوزوی": "seminary"},
    "preferred_channel": {"phone call": "phone", "text": "sms", "پیامک": "sms", "تلفن": "phone"},
}  # fmt: skip
_IRAN = {"ir", "irn", "iran", "ایران", "iran islamic republic of", "islamic republic of iran",
         "جمهوری اسلامی ایران"}  # fmt: skip
_COUNTRY_CODE_LENGTH = 2
_PROVINCE_NOISE = re.compile(r"^(?:استان )|(?: province| ostan| ir| iran)$")
_POINT_TARGETS = {"phone": ("phone", ""), "phone:mobile": ("phone", "mobile"), "phone:work": ("phone", "work"),
                  "phone:home": ("phone", "home"), "phone:fax": ("phone", "fax"), "email": ("email", ""),
                  "email:work": ("email", "work"), "email:home": ("email", "home"),
                  "website": ("website", "")}  # fmt: skip


def _max_length(model: type[models.Model], name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


_TEXT_LENGTHS = {name: _max_length(Party, name) for name in parties.TEXT_FIELDS}
_POINT_CACHE_SIZE = 4096
_CONTACT_VALUE_LENGTH = _max_length(ContactPoint, "value")
_ADDRESS_LENGTHS = {name: _max_length(Address, name) for name in ("street", "city", "postal_code")}
SEARCH_KEY_LENGTH = _max_length(Party, "search_key")
_CITY_KEY_LENGTH = _max_length(Address, "city_key")


@dataclass
class PreparedRow:
    """A row as it would be written; ``errors`` non-empty when it cannot be."""

    number: int
    values: dict[str, str]
    digest: str = ""
    is_empty: bool = False
    errors: list[dict[str, str]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # cleaned by parties' own checks
    custom: dict[str, Any] = field(default_factory=dict)
    points: list[tuple[ContactPointIn, ContactPointKeys]] = field(default_factory=list)
    address: dict[str, Any] | None = None
    tags: list[str] = field(default_factory=list)
    owner: str = ""
    party: Party | None = None  # built, not saved: the record this row would create
    column_for: dict[str, str] = field(default_factory=dict)  # target -> the header of its (first) column

    def column_of(self, target: str) -> str:
        return self.column_for.get(target) or label_of(target)

    @property
    def owner_column(self) -> str:
        return self.column_of("owner")

    def fail(self, column: str, target: str, message: str) -> None:
        self.errors.append({"column": column, "field": target, "message": str(message)})

    @property
    def keys(self) -> dict[str, list[str]]:
        """The exact keys a duplicate is found by, strongest first."""
        keys: dict[str, list[str]] = {"national_id": [], "company_national_id": [], "email": [], "phone": []}
        if self.party is not None and self.party.national_id_hash:
            keys["national_id"].append(self.party.national_id_hash)
        if self.fields.get("company_national_id"):
            keys["company_national_id"].append(self.fields["company_national_id"])
        for point, point_keys in self.points:
            if point.kind in ("email", "phone"):
                keys[point.kind].append(point_keys.key)
        return keys


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return " ::: ".join(str(item) for item in value)
    return str(value).strip()


def _choice_index(name: str, choices: type[models.TextChoices]) -> dict[str, str]:
    index: dict[str, str] = {}
    for language in ("en", "fa"):
        with translation.override(language):
            for value, label in choices.choices:
                index.setdefault(search_key(str(label)), str(value))
    for value in choices.values:
        index[search_key(value.replace("_", " "))] = value
        index[search_key(value)] = value
    for synonym, value in _SYNONYMS.get(name, {}).items():
        index[search_key(synonym)] = value
    return index


def _size_from_number(text: str) -> str | None:
    digits = to_ascii_digits(text).replace(",", "").replace("٬", "").strip()
    if not digits.isdigit():
        return None
    count = int(digits)
    for limit, value in ((9, "1-9"), (49, "10-49"), (249, "50-249"), (999, "250-999")):
        if count <= limit:
            return value
    return "1000+"


# Iranian mobile numbers, most of the phones of a file, are read here without libphonenumber's
# general parser (a tenth of its time): the text must be one of the plain forms 0912…, 912…,
# 98912…, +98912…, 0098912… with spaces, dashes, dots or brackets, and the number must match the
# mobile pattern of libphonenumber's own metadata for Iran. Anything else goes through
# ``contact_point_keys``; tests check that both give the same keys.
_IRAN_METADATA = phonenumbers.PhoneMetadata.metadata_for_region("IR")
assert _IRAN_METADATA is not None
assert _IRAN_METADATA.mobile is not None
assert _IRAN_METADATA.mobile.national_number_pattern
_MOBILE_PATTERN = re.compile(_IRAN_METADATA.mobile.national_number_pattern)
_PLAIN_MOBILE = re.compile(r"(?:\+98|0098|98|0)?(9[0-9]{9})")
_SEPARATORS = re.compile(r"[\s\-.()\u200c]")


def iranian_mobile_keys(text: str) -> ContactPointKeys | None:
    """The keys of a plainly written Iranian mobile number, as ``contact_point_keys`` gives them; None otherwise."""
    match = _PLAIN_MOBILE.fullmatch(_SEPARATORS.sub("", to_ascii_digits(text)))
    if match is None or not _MOBILE_PATTERN.fullmatch(match[1]):
        return None
    national = match[1]
    return ContactPointKeys(
        value=f"0{national[:3]} {national[3:6]} {national[6:]}", key=f"+98{national}", digits=f"98{national}",
        national_number=national,
    )  # fmt: skip


def province_key(text: str) -> str:
    """The key of an Iranian province from its key, Persian or English name; the text itself when unknown."""
    wanted = _PROVINCE_NOISE.sub("", search_key(text)).strip()
    for key, persian, english in geography.PROVINCES:
        if wanted in (search_key(key.replace("-", " ")), search_key(persian), search_key(english)):
            return key
    return normalize_text(text)


class RowPreparer:
    """Maps and checks rows of one job: ``prepare(number, row)`` → :class:`PreparedRow`."""

    def __init__(self, *, kind: str, mapping: Mapping[str, str], headers: Sequence[str] = (),
                 custom_fields: Sequence[CustomField] = (), sources: Sequence[Source] = (),
                 categories: Sequence[Category] = ()) -> None:  # fmt: skip
        self.kind = kind
        # The same number or address recurs (a switchboard, a file imported again): checked once.
        self._point_keys: dict[ContactPointIn, ContactPointKeys | str] = {}
        # In the file's order (a mapping read back from PostgreSQL's jsonb has lost it).
        order = [header for header in headers if header in mapping] + [h for h in mapping if h not in headers]
        self.columns = [(header, mapping[header]) for header in order if mapping[header]]
        # Where a field's errors point: its first column, even when that column is empty in the row.
        self.column_for: dict[str, str] = {}
        for header, target in self.columns:
            self.column_for.setdefault(target, header)
        self.custom_fields = {field.key: field for field in custom_fields}
        self.choices = {name: _choice_index(name, choices) for name, choices in _CHOICE_FIELDS.items()}
        self.sources = self._named_index(sources)
        self.categories = self._named_index([item for item in categories if item.kind in ("", kind)])

    @staticmethod
    def _named_index(items: Sequence[Source | Category]) -> dict[str, Any]:
        index: dict[str, Any] = {}
        for item in items:
            for name in (item.name, item.name_en):
                if name:
                    index.setdefault(search_key(name), item)
        return index

    def digest(self, pairs: list[tuple[str, str]]) -> str:
        payload = json.dumps([self.kind, sorted(pairs)], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()

    def prepare(self, number: int, row: Row) -> PreparedRow:
        values = {header: _text(value) for header, value in row.items() if _text(value)}
        prepared = PreparedRow(number=number, values=values, column_for=dict(self.column_for))
        pairs = [(target, values[header]) for header, target in self.columns if header in values]
        if not pairs:
            prepared.is_empty = True
            return prepared
        prepared.digest = self.digest(pairs)
        fields: dict[str, Any] = {}
        column_of = prepared.column_for
        address: dict[str, Any] = {}
        for header, target in self.columns:
            raw = row.get(header)
            text = values.get(header, "")
            if not text:
                continue
            if target in _POINT_TARGETS:
                self._points(prepared, header, target, raw)
            elif target.startswith("address."):
                address[target.removeprefix("address.")] = text
            elif target == "tags":
                prepared.tags.extend(self._tags(text))
            elif target == "owner":
                prepared.owner = text
            elif target.startswith("custom."):
                self._custom(prepared, header, target, raw)
            else:
                value = self._field(prepared, header, target, raw, text)
                if value is not None:
                    fields[target] = value
        if (
            self.kind != Party.Kind.COMPANY
            and fields.get("name")
            and not (fields.get("first_name") or fields.get("last_name"))
        ):
            # A person's whole name in one column: the last word is the last name, as the forms ask for both.
            first, _space, last = normalize_text(fields.pop("name")).rpartition(" ")
            fields.update(first_name=first, last_name=last)
            column_of.setdefault("first_name", column_of["name"])
            column_of.setdefault("last_name", column_of["name"])
        elif self.kind != Party.Kind.COMPANY:
            fields.pop("name", None)
        self._fields(prepared, fields, column_of)
        if address:
            self._address(prepared, address, column_of)
        return prepared

    # Each part ---------------------------------------------------------------------------------
    def _field(self, prepared: PreparedRow, header: str, target: str, raw: Any, text: str) -> Any:
        if target == "birth_date":
            if isinstance(raw, dt.date):
                return raw
            try:
                return parse_date(text)
            except ValueError as error:
                prepared.fail(header, target, str(error))
                return None
        if target in ("source", "category"):
            found = (self.sources if target == "source" else self.categories).get(search_key(text))
            if found is None:
                message = (
                    _("There is no source named “%(name)s”.")
                    if target == "source"
                    else _("There is no category named “%(name)s”.")
                )
                prepared.fail(header, target, message % {"name": text})
            return found
        if target in self.choices:
            value = self.choices[target].get(search_key(text))
            if value is None and target == "size":
                value = _size_from_number(text)
            if value is None:
                prepared.fail(header, target, _("“%(value)s” is not one of the choices.") % {"value": text})
            return value
        return text

    def _points(self, prepared: PreparedRow, header: str, target: str, raw: Any) -> None:
        kind, label = _POINT_TARGETS[target]
        items = raw if isinstance(raw, list) else _MULTI_VALUE.split(_text(raw))
        seen = {(point.kind, keys.key) for point, keys in prepared.points}
        for item in items:
            text = str(item).strip()
            if not text:
                continue
            if len(text) > _CONTACT_VALUE_LENGTH:
                prepared.fail(
                    header, target, _("Enter at most %(count)s characters.") % {"count": _CONTACT_VALUE_LENGTH}
                )
                continue
            point = ContactPointIn(kind=kind, value=text, label=label)
            keys_or_error = self._point_keys.get(point) or (iranian_mobile_keys(text) if kind == "phone" else None)
            if keys_or_error is None:
                try:
                    keys_or_error = contact_point_keys(point)
                except ValidationError as error:
                    keys_or_error = " ".join(str(message) for message in error.messages)
                if len(self._point_keys) >= _POINT_CACHE_SIZE:
                    self._point_keys.clear()
                self._point_keys[point] = keys_or_error
            if isinstance(keys_or_error, str):
                prepared.fail(header, target, keys_or_error)
                continue
            keys = keys_or_error
            if (kind, keys.key) not in seen:
                seen.add((kind, keys.key))
                prepared.points.append((point, keys))

    @staticmethod
    def _tags(text: str) -> list[str]:
        tags = []
        for part in _TAG_SEPARATORS.split(text):
            name = part.strip().removeprefix("* ").strip()
            if name and search_key(name).replace(" ", "") not in _SYSTEM_LABELS:
                tags.append(name)
        return tags

    def _custom(self, prepared: PreparedRow, header: str, target: str, raw: Any) -> None:
        key = target.removeprefix("custom.")
        custom_field = self.custom_fields.get(key)
        if custom_field is None:
            return
        try:
            value = clean_value(custom_field, raw)
        except ValidationError as error:
            prepared.fail(header, target, " ".join(str(message) for message in error.messages))
            return
        if value not in (None, "", []):
            prepared.custom[key] = value

    def _fields(self, prepared: PreparedRow, fields: dict[str, Any], column_of: Mapping[str, str]) -> None:
        def column(name: str) -> str:
            return column_of.get(name) or column_of.get("name") or label_of(name)

        try:
            cleaned = parties._clean_fields(self.kind, fields)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    prepared.fail(column(name), name, message)
            return
        for name, length in _TEXT_LENGTHS.items():
            if length and len(cleaned.get(name) or "") > length:
                prepared.fail(column(name), name, _("Enter at most %(count)s characters.") % {"count": length})
        prepared.fields = cleaned
        party = Party(kind=self.kind)
        if self.kind == Party.Kind.LEAD:
            party.lead_status = "new"
            party.lifecycle_stage = "lead"
        try:
            parties._apply(party, cleaned)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    prepared.fail(column(name), name, message)
            return
        if prepared.errors:
            return
        party.search_key = party.search_key[:SEARCH_KEY_LENGTH]
        party.import_key = prepared.digest
        prepared.party = party

    def _address(self, prepared: PreparedRow, address: dict[str, Any], column_of: Mapping[str, str]) -> None:
        country = address.get("country", "")
        if country:
            key = search_key(country)
            if key in _IRAN:
                address["country"] = "IR"
            elif len(key) == _COUNTRY_CODE_LENGTH and key.isascii() and key.isalpha():
                address["country"] = key.upper()
            else:
                prepared.fail(column_of["address.country"], "address.country",
                              _("Enter the country as a two-letter code, such as IR."))  # fmt: skip
                return
        if address.get("province") and address.get("country", "IR") == "IR":
            address["province"] = province_key(address["province"])
        for name, length in _ADDRESS_LENGTHS.items():
            if length and len(address.get(name, "")) > length:
                prepared.fail(column_of[f"address.{name}"], f"address.{name}",
                              _("Enter at most %(count)s characters.") % {"count": length})  # fmt: skip
        if prepared.errors:
            return
        try:
            rows = parties.checked_addresses([address])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                part = name.rsplit(".", 1)[-1]
                for message in messages:
                    prepared.fail(column_of.get(f"address.{part}", part), f"address.{part}", message)
            return
        if rows:
            rows[0]["city_key"] = rows[0]["city_key"][:_CITY_KEY_LENGTH]
            prepared.address = rows[0]
