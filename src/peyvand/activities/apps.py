from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "peyvand.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from peyvand.activities import shell  # noqa: F401  (registers the module and the customer-file hooks)
