"""The channels every business starts with (MISSION M2.1); administrators add, rename and price them."""

from django.db import migrations

# key, Persian name, English name, icon
DEFAULT_CHANNELS = [
    ("phone", "تلفن", "Phone", "phone"),
    ("email", "ایمیل", "Email", "email"),
    ("sms", "پیامک", "SMS", "sms"),
    ("website", "وب‌سایت", "Website", "website"),
    ("portal", "پرتال مشتریان", "Customer portal", "portal"),
    ("store", "مراجعه به فروشگاه یا شعبه", "Store or branch visit", "store"),
    ("field_sales", "بازدید کارشناس فروش", "Field sales visit", "field_sales"),
    ("after_sales", "کارشناس خدمات پس از فروش", "After-sales agent", "after_sales"),
    ("ivr", "پاسخگوی خودکار (IVR)", "Automatic answering (IVR)", "ivr"),
    ("kiosk", "کیوسک و خودپرداز", "Kiosk or ATM", "kiosk"),
    ("social", "شبکه‌های اجتماعی", "Social media", "social"),
    ("letter", "نامه", "Letter", "letter"),
]


def add_channels(apps, schema_editor):  # type: ignore[no-untyped-def]
    Channel = apps.get_model("timeline", "Channel")
    for order, (key, name, name_en, icon) in enumerate(DEFAULT_CHANNELS, start=1):
        Channel.objects.get_or_create(
            key=key,
            defaults={"name": name, "name_en": name_en, "icon": icon, "order": order * 10, "cost_per_contact": 0},
        )


def remove_unused_channels(apps, schema_editor):  # type: ignore[no-untyped-def]
    Channel = apps.get_model("timeline", "Channel")
    Interaction = apps.get_model("timeline", "Interaction")
    used = Interaction.objects.values("channel_id")
    Channel.objects.filter(key__in=[row[0] for row in DEFAULT_CHANNELS]).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]

    operations = [migrations.RunPython(add_channels, remove_unused_channels)]
