"""The report's navigation entry, for who may see activities (registered from ``activities/shell.py``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peyvand.activities import panels
from peyvand.common.registry import NavItem, shell


def _may_see(request: HttpRequest) -> bool:
    return panels.may_see(request)


shell.add_nav(NavItem(key="activity_report", label=_("Activity report"), url_name="activities:report",
                      icon="tasks", order=57, visible=_may_see))  # fmt: skip
