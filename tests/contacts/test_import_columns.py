"""Recognising the column headers of Google Contacts, Outlook, HubSpot, Salesforce and Odoo exports."""

from __future__ import annotations

import pytest

from peyvand.contacts.imports.columns import recognise
from tests.contacts.factories import CustomFieldFactory


def _mapped(headers: list[str], kind: str = "person") -> dict[str, str]:
    return {header: target for header, target in recognise(headers, kind).items() if target}


def test_google_contacts() -> None:
    headers = ["First Name", "Middle Name", "Last Name", "Nickname", "File As", "Organization Name",
               "Organization Title", "Birthday", "Notes", "Labels", "E-mail 1 - Label", "E-mail 1 - Value",
               "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label",
               "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street",
               "Address 1 - City", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
               "Website 1 - Label", "Website 1 - Value"]  # fmt: skip

    assert _mapped(headers) == {
        "First Name": "first_name", "Last Name": "last_name", "File As": "name",
        "Organization Name": "company_name", "Organization Title": "job_title", "Birthday": "birth_date",
        "Notes": "description", "Labels": "tags", "E-mail 1 - Value": "email", "E-mail 2 - Value": "email",
        "Phone 1 - Value": "phone", "Phone 2 - Value": "phone", "Address 1 - Street": "address.street",
        "Address 1 - City": "address.city", "Address 1 - Region": "address.province",
        "Address 1 - Postal Code": "address.postal_code", "Address 1 - Country": "address.country",
        "Website 1 - Value": "website",
    }  # fmt: skip


def test_google_contacts_older_format() -> None:
    headers = ["Name", "Given Name", "Family Name", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value",
               "Phone 1 - Type", "Phone 1 - Value", "Organization 1 - Name", "Organization 1 - Title"]  # fmt: skip

    assert _mapped(headers) == {
        "Name": "name", "Given Name": "first_name", "Family Name": "last_name", "Group Membership": "tags",
        "E-mail 1 - Value": "email", "Phone 1 - Value": "phone", "Organization 1 - Name": "company_name",
        "Organization 1 - Title": "job_title",
    }  # fmt: skip


def test_outlook() -> None:
    headers = ["Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
               "Business Street", "Business City", "Business State", "Business Postal Code",
               "Business Country/Region", "Home Street", "Business Fax", "Business Phone", "Business Phone 2",
               "Home Phone", "Mobile Phone", "E-mail Address", "E-mail 2 Address", "Web Page", "Birthday",
               "Categories", "Notes", "Gender"]  # fmt: skip

    assert _mapped(headers) == {
        "First Name": "first_name", "Last Name": "last_name", "Company": "company_name",
        "Job Title": "job_title",  # Outlook's "Title" is Mr or Ms: the job title wins
        "Business Street": "address.street", "Business City": "address.city", "Business State": "address.province",
        "Business Postal Code": "address.postal_code", "Business Country/Region": "address.country",
        "Business Fax": "phone:fax", "Business Phone": "phone:work", "Business Phone 2": "phone:work",
        "Home Phone": "phone:home", "Mobile Phone": "phone:mobile", "E-mail Address": "email",
        "E-mail 2 Address": "email", "Web Page": "website", "Birthday": "birth_date", "Categories": "tags",
        "Notes": "description", "Gender": "gender",
    }  # fmt: skip


def test_hubspot_contacts_and_companies() -> None:
    contacts = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
                "Company Name", "Job Title", "Lifecycle Stage", "Lead Status", "Contact owner", "Street Address",
                "City", "State/Region", "Postal Code", "Country/Region", "Create Date"]  # fmt: skip
    companies = ["Record ID", "Company name", "Company Domain Name", "Phone Number", "City", "State/Region",
                 "Number of Employees", "Company owner", "Lifecycle Stage"]  # fmt: skip

    assert _mapped(contacts, "lead") == {
        "First Name": "first_name", "Last Name": "last_name", "Email": "email", "Phone Number": "phone",
        "Mobile Phone Number": "phone:mobile", "Company Name": "company_name", "Job Title": "job_title",
        "Lifecycle Stage": "lifecycle_stage", "Lead Status": "lead_status", "Contact owner": "owner",
        "Street Address": "address.street", "City": "address.city", "State/Region": "address.province",
        "Postal Code": "address.postal_code", "Country/Region": "address.country",
    }  # fmt: skip
    assert _mapped(companies, "company") == {
        "Company name": "name", "Company Domain Name": "website", "Phone Number": "phone", "City": "address.city",
        "State/Region": "address.province", "Number of Employees": "size", "Company owner": "owner",
        "Lifecycle Stage": "lifecycle_stage",
    }  # fmt: skip


def test_salesforce_report_and_data_loader() -> None:
    report = ["Salutation", "First Name", "Last Name", "Title", "Account Name", "Mailing Street", "Mailing City",
              "Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country", "Phone", "Mobile", "Fax",
              "Email", "Contact Owner", "Lead Source", "Birthdate", "Description"]  # fmt: skip
    data_loader = ["FirstName", "LastName", "MobilePhone", "Email", "MailingCity", "Title"]

    assert _mapped(report) == {
        "First Name": "first_name", "Last Name": "last_name", "Title": "job_title", "Account Name": "company_name",
        "Mailing Street": "address.street", "Mailing City": "address.city",
        "Mailing State/Province": "address.province", "Mailing Zip/Postal Code": "address.postal_code",
        "Mailing Country": "address.country", "Phone": "phone", "Mobile": "phone:mobile", "Fax": "phone:fax",
        "Email": "email", "Contact Owner": "owner", "Lead Source": "source", "Birthdate": "birth_date",
        "Description": "description",
    }  # fmt: skip
    assert _mapped(data_loader) == {
        "FirstName": "first_name", "LastName": "last_name", "MobilePhone": "phone:mobile", "Email": "email",
        "MailingCity": "address.city", "Title": "job_title",
    }  # fmt: skip


def test_odoo_in_english_and_persian() -> None:
    english = ["Name", "Related Company", "Job Position", "Email", "Phone", "Mobile", "Street", "City", "State",
               "Zip", "Country", "Tags", "Website", "Salesperson", "Tax ID"]  # fmt: skip
    persian = ["نام", "شرکت", "سمت شغلی", "ایمیل", "تلفن", "موبایل", "خیابان", "شهر", "استان", "کد پستی", "کشور",
               "برچسب‌ها", "وب‌سایت", "فروشنده"]  # fmt: skip

    assert _mapped(english) == {
        "Name": "name", "Related Company": "company_name", "Job Position": "job_title", "Email": "email",
        "Phone": "phone", "Mobile": "phone:mobile", "Street": "address.street", "City": "address.city",
        "State": "address.province", "Zip": "address.postal_code", "Country": "address.country", "Tags": "tags",
        "Website": "website", "Salesperson": "owner",
    }  # fmt: skip
    assert _mapped(english, "company")["Tax ID"] == "economic_code"
    # Odoo's Persian "نام" is the whole name: no "نام خانوادگی" beside it
    assert _mapped(persian) == {
        "نام": "name", "شرکت": "company_name", "سمت شغلی": "job_title", "ایمیل": "email", "تلفن": "phone",
        "موبایل": "phone:mobile", "خیابان": "address.street", "شهر": "address.city", "استان": "address.province",
        "کد پستی": "address.postal_code", "کشور": "address.country", "برچسب‌ها": "tags", "وب‌سایت": "website",
        "فروشنده": "owner",
    }  # fmt: skip


def test_persian_spreadsheet_with_arabic_letters() -> None:
    headers = ["نام", "نام خانوادگي", "شماره همراه", "کد ملي", "استان", "شهر", "شغل", "تاريخ تولد", "ستون عجیب"]

    assert recognise(headers, "person") == {
        "نام": "first_name", "نام خانوادگي": "last_name", "شماره همراه": "phone:mobile", "کد ملي": "national_id",
        "استان": "address.province", "شهر": "address.city", "شغل": "occupation", "تاريخ تولد": "birth_date",
        "ستون عجیب": "",
    }  # fmt: skip
    assert recognise(["نام شرکت", "شناسه ملی", "کد اقتصادی"], "company") == {
        "نام شرکت": "name", "شناسه ملی": "company_national_id", "کد اقتصادی": "economic_code",
    }  # fmt: skip


@pytest.mark.django_db
def test_custom_fields_by_key_or_either_label() -> None:
    CustomFieldFactory(kind="person", key="loyalty_card", label="کارت وفاداری", label_en="Loyalty card")
    CustomFieldFactory(kind="person", key="shoe_size", label="سایز کفش", label_en="Shoe size")
    CustomFieldFactory(kind="company", key="branch_count", label="تعداد شعب", label_en="Branches")
    from peyvand.contacts.custom_fields import active_fields

    mapping = recognise(["Loyalty Card", "سایز کفش", "branch_count", "shoe_size"], "person", active_fields("person"))

    # A custom field takes one column: the first that names it.
    assert mapping == {"Loyalty Card": "custom.loyalty_card", "سایز کفش": "custom.shoe_size", "branch_count": "",
                       "shoe_size": ""}  # fmt: skip
