from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "peyvand.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from peyvand.contacts import shell  # noqa: F401  (registers modules, navigation, search)
