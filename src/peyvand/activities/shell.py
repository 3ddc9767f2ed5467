"""What the activities app adds to the shell: its permission module and its part in the customer
file's erasures. (Its pages, "my page" panels and the calendar come later.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peyvand.accounts.permissions import Module, register_module
from peyvand.activities import hooks
from peyvand.contacts.registry import customer_file

register_module(Module(key="activities", label=_("Activities")))

# Registered under the app's label, not a model's, so that the customer's own activities also go
# through the erasure's generic scrub of rows pointing at the customer.
customer_file.erasure_handlers["activities"] = hooks.erase_activity_texts
customer_file.personal_data_providers["activities"] = hooks.personal_data
