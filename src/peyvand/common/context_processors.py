from typing import Any

from django.http import HttpRequest
from django.utils import translation

from peyvand.common.registry import shell as shell_registry


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: direction, theme and the navigation."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "theme": getattr(user, "theme", "auto") if authenticated else request.COOKIES.get("peyvand_theme", "auto"),
        "navigation": shell_registry.nav_for(request) if authenticated else [],
    }
