"""Login (password, then the one-time code when the user has one), logout and language."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from peyvand.accounts import audit, authentication, services
from peyvand.accounts.forms import LoginForm, OneTimeCodeForm
from peyvand.accounts.middleware import client_address
from peyvand.accounts.models import AuditEvent, User
from peyvand.accounts.password_reset import QueuedPasswordResetForm

_PENDING_SESSION_KEY = "peyvand_pending_login"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("home")


def _complete_login(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(_PENDING_SESSION_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    authentication.record_login(user, client_address(request))
    response = HttpResponseRedirect(_next_url(request))
    response.set_cookie("peyvand_language", user.language, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    locked_out = False
    if request.method == "POST" and form.is_valid():
        outcome = authentication.check_password_login(
            request, form.cleaned_data["username"], form.cleaned_data["password"], client_address(request)
        )
        locked_out = outcome.locked_out
        if outcome.user is not None:
            if outcome.user.has_two_factor:
                request.session[_PENDING_SESSION_KEY] = outcome.user.pk
                request.session.cycle_key()
                return redirect(f"{reverse('accounts:login_code')}?next={_next_url(request)}")
            return _complete_login(request, outcome.user)
        if locked_out:
            form.add_error(None, _("Too many failed attempts. For your safety, logging in is paused for a while; try again later or ask an administrator."))
        else:
            form.add_error(None, _("The username or password is not correct."))
    status = 429 if locked_out else 200
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)


@sensitive_post_parameters("code")
def login_code_view(request: HttpRequest) -> HttpResponse:
    pending_id = request.session.get(_PENDING_SESSION_KEY)
    user = User.objects.filter(pk=pending_id, is_active=True).first() if pending_id else None
    if user is None:
        return redirect("accounts:login")
    form = OneTimeCodeForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and form.is_valid():
        if authentication.is_locked_out(user.get_username(), address):
            form.add_error(None, _("Too many failed attempts. For your safety, logging in is paused for a while; try again later or ask an administrator."))
        else:
            secret = authentication.totp_secret_of(user)
            if secret and authentication.totp_matches(secret, form.cleaned_data["code"]):
                return _complete_login(request, user)
            authentication.record_failure(user.get_username(), address, reason="one_time_code")
            form.add_error("code", _("This code is not correct or has expired. Enter the code your app shows now."))
    return render(request, "accounts/login_code.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(actor=request.user, kind=AuditEvent.Kind.LOGOUT, instance=request.user)
    logout(request)
    return redirect("accounts:login")


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Switch the language; for a logged-in user the choice is kept on their account."""
    language = request.POST.get("language", "")
    if language not in dict(User.Language.choices):
        language = "fa"
    if request.user.is_authenticated:
        user: User = request.user  # type: ignore[assignment]
        services.user_update_preferences(user=user, language=language, digits=user.digits, theme=user.theme)
    response = HttpResponseRedirect(_next_url(request))
    response.set_cookie("peyvand_language", language, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response


class PeyvandPasswordResetView(PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = QueuedPasswordResetForm


class PeyvandPasswordResetConfirmView(PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        services.user_set_password(actor=None, user=form.user, password=form.cleaned_data["new_password1"], reset=True)
        return HttpResponseRedirect(self.get_success_url())
