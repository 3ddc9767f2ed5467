from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "peyvand.timeline"
    label = "timeline"
    verbose_name = _("Timeline")

    def ready(self) -> None:
        from peyvand.timeline import shell  # noqa: F401  (registers the module and the customer-page panels)
