"""The relationship types and customer sources every installation starts with.

Administrators rename, reorder or deactivate them on the customer settings pages; rows they have
already changed are left alone if this runs again.
"""

from typing import Any

from django.db import migrations

# (key, Persian, English, inverse Persian, inverse English, symmetric, from kind, to kind)
RELATIONSHIP_TYPES = (
    ("works_at", "کار می‌کند در", "works at", "کارفرمای", "employs", False, "person", "company"),
    ("parent_of", "شرکت مادر", "parent company of", "زیرمجموعه‌ی", "subsidiary of", False, "company", "company"),
    ("spouse", "همسر", "spouse", "", "", True, "person", "person"),
    ("family", "خویشاوند", "family", "", "", True, "", ""),
    ("referred_by", "معرفی‌شده از طرف", "referred by", "معرف", "referred", False, "", ""),
    ("partner", "شریک", "partner", "", "", True, "", ""),
    ("supplier_of", "تأمین‌کننده‌ی", "supplier of", "مشتری", "customer of", False, "", ""),
    ("competitor", "رقیب", "competitor", "", "", True, "company", "company"),
)

SOURCES = (
    ("وب‌سایت", "Website"),
    ("معرفی", "Referral"),
    ("نمایشگاه", "Exhibition"),
    ("تماس تلفنی", "Phone call"),
    ("شبکه‌های اجتماعی", "Social media"),
    ("مراجعه‌ی حضوری", "Walk-in"),
    ("تبلیغات", "Advertising"),
)


def add_defaults(apps: Any, schema_editor: Any) -> None:
    relationship_type = apps.get_model("contacts", "RelationshipType")
    source = apps.get_model("contacts", "Source")
    for order, (key, name, name_en, inverse, inverse_en, symmetric, from_kind, to_kind) in enumerate(
        RELATIONSHIP_TYPES, start=1
    ):
        relationship_type.objects.get_or_create(key=key, defaults={
            "name": name, "name_en": name_en, "inverse_name": inverse, "inverse_name_en": inverse_en,
            "is_symmetric": symmetric, "from_kind": from_kind, "to_kind": to_kind, "order": order * 10,
        })  # fmt: skip
    for order, (name, name_en) in enumerate(SOURCES, start=1):
        if not source.objects.filter(name_en=name_en).exists():
            source.objects.create(name=name, name_en=name_en, order=order * 10)


def remove_defaults(apps: Any, schema_editor: Any) -> None:
    apps.get_model("contacts", "Source").objects.filter(name_en__in=[row[1] for row in SOURCES]).delete()
    relationship_type = apps.get_model("contacts", "RelationshipType")
    relationship = apps.get_model("contacts", "Relationship")
    used = set(relationship.objects.values_list("type__key", flat=True))
    relationship_type.objects.filter(key__in=[row[0] for row in RELATIONSHIP_TYPES]).exclude(key__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
