"""Indexes for "my page": a user's own customers, newest first and by last contact.

- ``party_owner_created`` (owner, created_at, id): the "Assigned to me" panel's newest customers;
- ``party_owner_new_leads`` (owner, created_at) of leads still "new": the same panel's leads not yet
  contacted, however many other customers the user owns;
- ``party_owner_last_contact`` (owner, last_contact_at): the "Recent interactions with my customers"
  panel reads the user's customers by last contact and then their interactions.
"""

from django.db import migrations, models

INDEXES = [
    models.Index(fields=["owner", "created_at", "id"], name="party_owner_created"),
    models.Index(
        fields=["owner", "created_at"], name="party_owner_new_leads", condition=models.Q(kind="lead", lead_status="new")
    ),
    models.Index(fields=["owner", "last_contact_at"], name="party_owner_last_contact"),
]


class Migration(migrations.Migration):
    dependencies = [("contacts", "0003_byte_order_collation")]

    operations = [migrations.AddIndex(model_name="party", index=index) for index in INDEXES]
