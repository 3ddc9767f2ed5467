"""The report's navigation entry, for who may see activities (registered from ``activities/shell.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peyvand.activities import panels
from peyvand.common.registry import NavItem, shell

shell.add_nav(NavItem(key="activity_report", label=_("Activity report"), url_name="activities:report",
                      icon="tasks", order=57, visible=panels.may_see))  # fmt: skip
