"""What a column of an imported file can become, and which columns are recognised by their header.

A *target* is a key: a field of the record ("first_name"), a contact point ("phone:mobile",
"email"), a part of the address ("address.city"), "tags", "owner", or a custom field
("custom.<key>"). Several columns may fill the targets marked ``many`` (three phone columns give
three phones); each other target takes one column.

Headers are recognised as the exports of Google Contacts, Outlook, HubSpot, Salesforce and Odoo
write them, in English and Persian, whatever their case, spacing, punctuation or numbering
("Phone 1 - Value", "E-mail 2 Address", "Mailing Zip/Postal Code", "نام خانوادگی").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peyvand.common.text import compact_key
from peyvand.contacts.models import CustomField, Party

PERSON, COMPANY, LEAD = Party.Kind.PERSON.value, Party.Kind.COMPANY.value, Party.Kind.LEAD.value
ALL_KINDS = frozenset({PERSON, COMPANY, LEAD})
PEOPLE = frozenset({PERSON, LEAD})


@dataclass(frozen=True)
class Target:
    key: str
    label: str | Promise
    group: str | Promise
    kinds: frozenset[str] = ALL_KINDS
    many: bool = False


DETAILS, CONTACT, ADDRESS, OTHER, CUSTOM = (
    _("Details"), _("Contact points"), _("Postal address"), _("Classification"), _("Custom fields"),
)  # fmt: skip

TARGETS: tuple[Target, ...] = (
    Target("name", _("Name"), DETAILS),
    Target("first_name", _("First name"), DETAILS, PEOPLE),
    Target("last_name", _("Last name"), DETAILS, PEOPLE),
    Target("job_title", _("Job title"), DETAILS, PEOPLE),
    Target("company_name", _("Company name"), DETAILS, PEOPLE),
    Target("company_national_id", _("Company national ID"), DETAILS, frozenset({COMPANY})),
    Target("economic_code", _("Economic code"), DETAILS, frozenset({COMPANY})),
    Target("size", _("Size"), DETAILS, frozenset({COMPANY})),
    Target("national_id", _("National ID"), DETAILS, PEOPLE),
    Target("birth_date", _("Birth date"), DETAILS, PEOPLE),
    Target("gender", _("Gender"), DETAILS, PEOPLE),
    Target("education", _("Education"), DETAILS, PEOPLE),
    Target("occupation", _("Occupation"), DETAILS, PEOPLE),
    Target("income_band", _("Income band"), DETAILS, PEOPLE),
    Target("interests", _("Interests"), DETAILS, PEOPLE),
    Target("lifestyle", _("Values and lifestyle"), DETAILS, PEOPLE),
    Target("description", _("Notes"), DETAILS),
    Target("phone:mobile", _("Mobile number"), CONTACT, many=True),
    Target("phone:work", _("Work phone"), CONTACT, many=True),
    Target("phone:home", _("Home phone"), CONTACT, many=True),
    Target("phone:fax", _("Fax"), CONTACT, many=True),
    Target("phone", _("Phone number"), CONTACT, many=True),
    Target("email", _("Email address"), CONTACT, many=True),
    Target("email:work", _("Work email address"), CONTACT, many=True),
    Target("email:home", _("Home email address"), CONTACT, many=True),
    Target("website", _("Website"), CONTACT, many=True),
    Target("address.street", _("Street address"), ADDRESS),
    Target("address.city", _("City"), ADDRESS),
    Target("address.province", _("Province"), ADDRESS),
    Target("address.postal_code", _("Postal code"), ADDRESS),
    Target("address.country", _("Country"), ADDRESS),
    Target("lifecycle_stage", _("Lifecycle stage"), OTHER),
    Target("lead_status", _("Lead status"), OTHER, frozenset({LEAD})),
    Target("source", _("Source"), OTHER),
    Target("category", _("Category"), OTHER),
    Target("preferred_channel", _("Preferred channel"), OTHER),
    Target("tags", _("Tags"), OTHER, many=True),
    Target("owner", _("Owner (username or email)"), OTHER),
)
_BY_KEY = {target.key: target for target in TARGETS}

# Kind-dependent targets: "Company" is the name of a company, and the company a person works at.
_COMPANY_OR_NAME = "@company"
_NATIONAL_ID = "@national_id"
_FIRST_OR_FULL_NAME = "@first_or_full_name"

# (target, priority, headers): a lower priority wins when two columns claim a one-column target,
# so Outlook's "Job Title" beats its "Title" (a courtesy title there, a job title in Salesforce).
_ALIASES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("first_name", 0, ("First Name", "Given Name", "Forename", "Contact First Name", "نام کوچک", "اسم")),
    (_FIRST_OR_FULL_NAME, 0, ("نام",)),
    ("last_name", 0, ("Last Name", "Family Name", "Surname", "Contact Last Name", "نام خانوادگی", "فامیلی",
                      "فامیل")),
    ("name", 1, ("Name", "Full Name", "Display Name", "Contact Name", "Customer Name", "File As",
                 "نام و نام خانوادگی", "نام کامل", "نام مشتری")),
    (_COMPANY_OR_NAME, 0, ("Company", "Company Name", "Account Name", "Organization", "Organisation",
                           "Organization Name", "Organization 1 - Name", "Associated Company", "Related Company",
                           "Company Name (Lead)", "شرکت", "نام شرکت", "سازمان", "نام سازمان", "محل کار")),
    ("job_title", 0, ("Job Title", "Job Position", "Position", "Organization Title", "Organization 1 - Title",
                      "Designation", "سمت", "عنوان شغلی", "سمت شغلی", "پست سازمانی")),
    ("job_title", 1, ("Title",)),
    ("occupation", 0, ("Occupation", "Profession", "Industry", "شغل", "حرفه")),
    (_NATIONAL_ID, 0, ("National ID", "National Code", "National ID Number", "کد ملی", "شماره ملی", "کدملی",
                       "شناسه ملی")),
    ("economic_code", 0, ("Economic Code", "Tax ID", "VAT", "کد اقتصادی", "شماره اقتصادی")),
    ("size", 0, ("Size", "Company Size", "Number of Employees", "Employees", "No. of Employees",
                 "اندازه", "تعداد کارکنان", "اندازه شرکت")),
    ("birth_date", 0, ("Birthday", "Birth Date", "Birthdate", "Date of Birth", "DOB", "تاریخ تولد")),
    ("gender", 0, ("Gender", "Sex", "جنسیت")),
    ("education", 0, ("Education", "Education Level", "تحصیلات", "مدرک تحصیلی")),
    ("income_band", 0, ("Income", "Income Band", "Annual Income", "سطح درآمد", "درآمد")),
    ("interests", 0, ("Interests", "Hobby", "Hobbies", "علایق", "علاقه‌مندی‌ها")),
    ("lifestyle", 0, ("Lifestyle", "Values and Lifestyle", "سبک زندگی")),
    ("description", 0, ("Notes", "Note", "Description", "Internal Notes", "Comments", "یادداشت", "توضیحات")),
    ("phone:mobile", 0, ("Mobile", "Mobile Phone", "Mobile Phone Number", "Mobile Number", "Cell", "Cell Phone",
                         "شماره همراه", "تلفن همراه", "همراه", "موبایل", "شماره موبایل")),
    ("phone:work", 0, ("Business Phone", "Work Phone", "Company Main Phone", "Office Phone", "تلفن محل کار",
                       "تلفن کار", "تلفن شرکت")),
    ("phone:home", 0, ("Home Phone", "تلفن منزل")),
    ("phone:fax", 0, ("Fax", "Business Fax", "Home Fax", "Other Fax", "فکس", "دورنگار", "نمابر")),
    ("phone", 0, ("Phone", "Phone Number", "Telephone", "Primary Phone", "Other Phone", "Phone 1 - Value",
                  "تلفن", "شماره تلفن", "تلفن ثابت", "شماره تماس")),
    ("email", 0, ("Email", "E-mail", "Email Address", "E-mail Address", "E-mail 1 - Value", "Email 1 - Value",
                  "Email Value", "ایمیل", "نشانی ایمیل", "آدرس ایمیل", "پست الکترونیک", "پست الکترونیکی", "رایانامه")),
    ("email:work", 0, ("Work Email", "Business Email", "ایمیل کاری")),
    ("email:home", 0, ("Personal Email", "Home Email", "ایمیل شخصی")),
    ("website", 0, ("Website", "Web Site", "Web Page", "Personal Web Page", "Company Domain Name", "URL",
                    "Website 1 - Value", "وب‌سایت", "وبسایت", "سایت", "تارنما")),
    ("address.street", 0, ("Street", "Street Address", "Address", "Address 1 - Street", "Mailing Street",
                           "Billing Street", "Business Street", "Home Street", "نشانی", "آدرس", "خیابان")),
    ("address.street", 1, ("Address 1 - Formatted", "Formatted Address")),
    ("address.city", 0, ("City", "Town", "Address 1 - City", "Mailing City", "Billing City", "Business City",
                         "Home City", "شهر")),
    ("address.province", 0, ("Province", "State", "Region", "State/Region", "State/Province", "Address 1 - Region",
                             "Mailing State/Province", "Billing State/Province", "Business State", "Home State",
                             "استان")),
    ("address.postal_code", 0, ("Postal Code", "Postcode", "Zip", "ZIP Code", "Zip/Postal Code",
                                "Address 1 - Postal Code", "Mailing Zip/Postal Code", "Billing Zip/Postal Code",
                                "Business Postal Code", "Home Postal Code", "کد پستی", "کدپستی")),
    ("address.country", 0, ("Country", "Country/Region", "Address 1 - Country", "Mailing Country", "Billing Country",
                            "Business Country/Region", "Home Country/Region", "کشور")),
    ("lifecycle_stage", 0, ("Lifecycle Stage", "Customer Stage", "مرحله چرخه عمر")),
    ("lifecycle_stage", 1, ("Stage", "مرحله")),
    ("lead_status", 0, ("Lead Status", "وضعیت سرنخ")),
    ("lead_status", 1, ("Status", "وضعیت")),
    ("source", 0, ("Source", "Lead Source", "Contact Source", "منبع", "منبع آشنایی")),
    ("category", 0, ("Category", "Customer Category", "دسته‌بندی", "دسته")),
    ("preferred_channel", 0, ("Preferred Channel", "Preferred Contact Method", "کانال ترجیحی")),
    ("tags", 0, ("Tags", "Labels", "Group Membership", "Categories", "برچسب", "برچسب‌ها")),
    ("owner", 0, ("Owner", "Contact Owner", "Company Owner", "Account Owner", "Lead Owner", "Record Owner",
                  "Owner Email", "Salesperson", "Sales Person", "مسئول", "کارشناس فروش", "کارشناس", "فروشنده")),
)  # fmt: skip

_NUMBERED = re.compile("[0-9]+")


def header_key(header: str) -> str:
    """The form headers are compared in: no case, spacing, punctuation, ZWNJ or numbering."""
    return _NUMBERED.sub("", compact_key(header))


_ALIAS_INDEX: dict[str, tuple[str, int]] = {}
for _target, _priority, _headers in _ALIASES:
    for _header in _headers:
        _ALIAS_INDEX.setdefault(header_key(_header), (_target, _priority))


def targets_for(kind: str, custom_fields: Sequence[CustomField] = ()) -> list[Target]:
    """Every target a file of ``kind`` may fill, custom fields last."""
    targets = [target for target in TARGETS if kind in target.kinds]
    english = (get_language() or "fa").startswith("en")
    for field in custom_fields:
        label = (field.label_en if english and field.label_en else field.label) or field.key
        targets.append(Target(f"custom.{field.key}", label, CUSTOM))
    return targets


def target_keys(kind: str, custom_fields: Sequence[CustomField] = ()) -> set[str]:
    return {target.key for target in targets_for(kind, custom_fields)}


def is_many(key: str) -> bool:
    target = _BY_KEY.get(key)
    return target is not None and target.many


def label_of(key: str, custom_fields: Sequence[CustomField] = ()) -> str:
    if key in _BY_KEY:
        return str(_BY_KEY[key].label)
    for target in targets_for(LEAD, custom_fields):
        if target.key == key:
            return str(target.label)
    return key


def _resolve(target: str, kind: str, keys: set[str]) -> str:
    if target == _COMPANY_OR_NAME:
        return "name" if kind == COMPANY else "company_name"
    if target == _NATIONAL_ID:
        return "company_national_id" if kind == COMPANY else "national_id"
    if target == _FIRST_OR_FULL_NAME:
        # "نام" is the first name next to "نام خانوادگی", and the whole name on its own (Odoo).
        has_last = any(_ALIAS_INDEX.get(key, ("", 0))[0] == "last_name" for key in keys)
        return "first_name" if has_last and kind != COMPANY else "name"
    return target


def recognise(headers: Iterable[str], kind: str, custom_fields: Sequence[CustomField] = ()) -> dict[str, str]:
    """``{header: target}`` for every header recognised; the others map to "" (ignored).

    A custom field is recognised by its key or either of its labels.
    """
    headers = list(headers)
    allowed = target_keys(kind, custom_fields)
    keys = {header_key(header) for header in headers}
    custom_index: dict[str, str] = {}
    for field in custom_fields:
        for name in (field.key, field.label, field.label_en):
            if name:
                custom_index.setdefault(header_key(name), f"custom.{field.key}")
    mapping: dict[str, str] = dict.fromkeys(headers, "")
    claimed: dict[str, tuple[int, str]] = {}  # one-column target -> (priority, header)
    for header in headers:
        key = header_key(header)
        if key in custom_index:
            target, priority = custom_index[key], -1
        elif key in _ALIAS_INDEX:
            alias, priority = _ALIAS_INDEX[key]
            target = _resolve(alias, kind, keys)
        else:
            continue
        if target not in allowed:
            continue
        if not is_many(target):
            holder = claimed.get(target)
            if holder is not None and holder[0] <= priority:
                continue
            if holder is not None:
                mapping[holder[1]] = ""
            claimed[target] = (priority, header)
        mapping[header] = target
    return mapping
