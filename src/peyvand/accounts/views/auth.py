"""Login (password, then the one-time code when the user has one), logout, language, password reset."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView, PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from peyvand.accounts import authentication, services
from peyvand.accounts.forms import LoginForm, OneTimeCodeForm
from peyvand.accounts.models import User
from peyvand.accounts.password_reset import QueuedPasswordResetForm
from peyvand.common.http import client_address

# Between the password and the one-time code the session holds who is logging in, since when,
# and a fingerprint of their password: a password change in between ends the half-done login.
_PENDING_SESSION_KEY = "peyvand_pending_login"
PENDING_LOGIN_SECONDS = 5 * 60
HTTP_TOO_MANY_REQUESTS = 429


def _locked_out_message() -> str:
    return _(
        "Too many failed attempts. For your safety, logging in is paused for a while; "
        "try again later or ask an administrator."
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")


def _complete_login(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(_PENDING_SESSION_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    authentication.record_login(user, client_address(request))
    response = HttpResponseRedirect(_next_url(request))
    _set_language_cookie(response, user.language)
    return response


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(_PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_LOGIN_SECONDS:
        return None
    user = User.objects.filter(pk=int(pending.get("user", 0)), is_active=True).first()
    if user is None or not constant_time_compare(pending.get("hash", ""), user.get_session_auth_hash()):
        return None
    return user


@never_cache
@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = authentication.check_password_login(
            request, form.cleaned_data["username"], form.cleaned_data["password"], client_address(request)
        )
        if outcome.user is not None:
            user: User = outcome.user
            if not user.has_two_factor:
                return _complete_login(request, user)
            request.session.cycle_key()
            request.session[_PENDING_SESSION_KEY] = {
                "user": user.pk, "since": time.time(), "hash": user.get_session_auth_hash(),
            }  # fmt: skip
            return redirect(f"{reverse('accounts:login_code')}?{urlencode({'next': _next_url(request)})}")
        if outcome.locked_out:
            status = HTTP_TOO_MANY_REQUESTS
            form.add_error(None, _locked_out_message())
        else:
            form.add_error(None, _("The username or password is not correct."))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)


@never_cache
@sensitive_post_parameters("code")
def login_code_view(request: HttpRequest) -> HttpResponse:
    """The second step of a login: the code of the user's authenticator app."""
    user = _pending_user(request)
    if user is None:
        request.session.pop(_PENDING_SESSION_KEY, None)
        return redirect("accounts:login")
    form = OneTimeCodeForm(request.POST or None)
    address = client_address(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        if authentication.refuse_if_locked_out(user.get_username(), address):
            status = HTTP_TOO_MANY_REQUESTS
            form.add_error(None, _locked_out_message())
        else:
            if authentication.use_login_code(user, form.cleaned_data["code"]):
                return _complete_login(request, user)
            authentication.record_failure(user.get_username(), address, reason="one_time_code")
            form.add_error(
                "code",
                _("This code is not correct, has expired or was already used. Enter the code your app shows now."),
            )
    return render(request, "accounts/login_code.html", {"form": form, "next": _next_url(request)}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        user: User = request.user
        authentication.record_logout(user, client_address(request))
    logout(request)
    return redirect("accounts:login")


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Switch the language; for a logged-in user the choice is kept on their account."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_next_url(request))
    if language not in User.Language.values:
        return response
    if request.user.is_authenticated:
        user: User = request.user
        services.user_update_preferences(user=user, language=language, digits=user.digits, theme=user.theme)
    _set_language_cookie(response, language)
    return response


class PeyvandPasswordResetView(PasswordResetView):
    """Asks for an email address; the page reads the same whether or not an account has it."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = QueuedPasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        # Past the hourly allowance the page reads the same but no email goes out, so nobody can
        # flood an inbox or learn anything from the answer.
        if authentication.password_reset_allowed(form.cleaned_data["email"], client_address(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PeyvandPasswordResetConfirmView(PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        assert isinstance(form, SetPasswordForm)
        # Through the service: it writes the audit event and ends every session of the user.
        services.user_set_password(actor=None, user=form.user, password=form.cleaned_data["new_password1"], reset=True)
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())
