from django.db import migrations, models


def fill_search_names(apps, schema_editor):  # type: ignore[no-untyped-def]
    from peyvand.common.text import search_key

    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "first_name", "last_name", "username").iterator():
        User.objects.filter(pk=user.pk).update(
            search_name=search_key(f"{user.first_name} {user.last_name} {user.username}")
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_one_time_code_once_and_export_events")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_name",
            field=models.CharField(blank=True, editable=False, max_length=400),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
