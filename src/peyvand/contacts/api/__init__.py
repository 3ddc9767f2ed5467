"""The customer file's HTTP API: one router gathering a router per part."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Router

from peyvand.contacts.api import duplicates, imports, lists, privacy, records, search
from peyvand.contacts.services.parties import PartyErasedError

# Domain refusals the API answers with 409.
CONFLICTS: dict[type[Exception], str | Promise] = {
    PartyErasedError: _("This person's data was erased; the record cannot be changed.")
}

router = Router()
for part in (lists, records, search, imports, duplicates, privacy):
    router.add_router("/", part.router)
