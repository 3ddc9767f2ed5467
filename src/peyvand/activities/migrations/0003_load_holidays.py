"""Load the holidays file shipped with Peyvand (1404-1406); a newer one is loaded with
``peyvand load_holidays`` or on the administrators' holidays page."""

import json
from pathlib import Path

import jdatetime
from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "data" / "iran_holidays.json"


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    holiday_model = apps.get_model("activities", "Holiday")
    rows = json.loads(FILE.read_text(encoding="utf-8"))["holidays"]
    known = set(holiday_model.objects.values_list("date", flat=True))
    new = []
    for row in rows:
        year, month, day = (int(part) for part in row["date"].split("/"))
        date = jdatetime.date(year, month, day).togregorian()
        if date not in known:
            new.append(holiday_model(date=date, name_fa=row["name_fa"], name_en=row["name_en"],
                                     is_official=row.get("is_official", True)))  # fmt: skip
    holiday_model.objects.bulk_create(new)


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("activities", "Holiday").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_holiday")]

    operations = [migrations.RunPython(load, unload)]
