from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from peyvand.common.registry import NavItem
from peyvand.common.registry import shell as shell_registry


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: direction, theme and the navigation."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    navigation = shell_registry.nav_for(request) if authenticated else []
    return {
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "theme": getattr(user, "theme", "auto") if authenticated else request.COOKIES.get("peyvand_theme", "auto"),
        "navigation": navigation,
        "current_nav": _current(request, navigation),
    }


def _current(request: HttpRequest, navigation: list[NavItem]) -> str:
    """The entry whose address is the longest beginning of this page's ("" for none); home only on itself."""
    best, best_length = "", 0
    for item in navigation:
        path = reverse(item.url_name)
        matches = request.path == path or (path != "/" and request.path.startswith(path))
        if matches and len(path) > best_length:
            best, best_length = item.key, len(path)
    return best
