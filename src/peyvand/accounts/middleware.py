from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from peyvand.accounts import access
from peyvand.accounts.audit import current_address
from peyvand.common.http import client_address


class UserPreferencesMiddleware:
    """Activates the user's language and remembers the client address for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_address.set(client_address(request))
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            response = self.get_response(request)
        finally:
            current_address.reset(token)
        return response


class SecondFactorRequiredMiddleware:
    """A user whose role requires two-factor login and who has not set it up may only set it up."""

    allowed_prefixes = ("/accounts/two-factor/", "/accounts/logout/", "/accounts/language/", "/static/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.has_two_factor
            and not request.path.startswith(self.allowed_prefixes)
            and access.profile_for(user).requires_two_factor
        ):
            return HttpResponseRedirect(reverse("accounts:two_factor_setup"))
        return self.get_response(request)
