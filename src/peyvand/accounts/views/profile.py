"""The user's own account: preferences, password, two-factor login and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from peyvand.accounts import access, authentication, services
from peyvand.accounts.forms import (
    ApiTokenCreateForm,
    NotificationPreferencesForm,
    OneTimeCodeForm,
    PasswordChangeForm,
    PreferencesForm,
    TwoFactorDisableForm,
    token_action_choices,
)
from peyvand.accounts.models import ApiToken, User
from peyvand.accounts.permissions import describe_action
from peyvand.common.http import client_address

# A secret offered for two-factor login stays in the session until the user confirms a code.
_PENDING_TOTP_SESSION_KEY = "peyvand_pending_totp_secret"
# The plain value of a new token, kept only until the page after the creation shows it.
_NEW_TOKEN_SESSION_KEY = "peyvand_new_api_token"  # noqa: S105  (a session key, not a secret)
HTTP_TOO_MANY_REQUESTS = 429


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _locked_out_message() -> str:
    return _("Too many wrong passwords. For your safety, this is paused for a while; try again later.")


def _refused_as_locked_out(request: HttpRequest, form: PasswordChangeForm | TwoFactorDisableForm) -> bool:
    """Validate a form that asks for the current password, counting a wrong one as a failed login.

    True when the user has had too many failures and the form must be refused unchecked.
    """
    user, address = _user(request), client_address(request)
    if authentication.refuse_if_locked_out(user.get_username(), address):
        form.add_error(None, _locked_out_message())
        return True
    if not form.is_valid() and form.has_wrong_current_password():
        authentication.record_failure(user.get_username(), address, reason="current_password")
    return False


# Preferences ----------------------------------------------------------------------------------
@login_required
def preferences_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PreferencesForm.for_user(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(user=user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language,
                            max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")  # fmt: skip
        return response
    context = {
        "form": form,
        "teams": list(user.teams.order_by("path")),
        "roles": list(user.roles.order_by("name")),
        # Saved by its own address (accounts:notification_preferences), so either form may fail alone.
        "notification_form": NotificationPreferencesForm(user),
        "section": "profile",
    }
    return render(request, "accounts/profile.html", context)


# Password -------------------------------------------------------------------------------------
@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordChangeForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if _refused_as_locked_out(request, form):
            status = HTTP_TOO_MANY_REQUESTS
        elif form.is_valid():
            services.user_set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
            # The service ended every session; this one carries on under the new password.
            authentication.keep_current_session(request, user)
            messages.success(request, _("Your password was changed. Your other sessions have been logged out."))
            return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form, "section": "password"}, status=status)


# Two-factor login -----------------------------------------------------------------------------
def _two_factor_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"section": "two_factor", "required_by_role": access.profile_for(request.user).requires_two_factor, **extra}


@never_cache
@login_required
@sensitive_post_parameters("code", "password")
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.has_two_factor:
        context = _two_factor_context(request, disable_form=TwoFactorDisableForm(user))
        return render(request, "accounts/two_factor_enabled.html", context)
    secret = request.session.get(_PENDING_TOTP_SESSION_KEY)
    if not secret:
        secret = request.session[_PENDING_TOTP_SESSION_KEY] = authentication.new_totp_secret()
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = authentication.totp_step(secret, form.cleaned_data["code"])
        if step is not None:
            authentication.two_factor_enable(user=user, secret=secret, confirmed_step=step)
            del request.session[_PENDING_TOTP_SESSION_KEY]
            messages.success(
                request, _("Two-factor login is on. From now on you will be asked for a code when you log in.")
            )
            return redirect("accounts:two_factor_setup")
        form.add_error("code", _("This code is not correct. Enter the code your app shows now."))
    context = _two_factor_context(
        request, form=form, qr_code=authentication.provisioning_qr_svg(user, secret),
        # In groups of four, as authenticator apps show and accept it.
        secret_groups=[secret[start : start + 4] for start in range(0, len(secret), 4)],
    )  # fmt: skip
    return render(request, "accounts/two_factor_setup.html", context)


@require_POST
@login_required
@sensitive_post_parameters("password")
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_two_factor:
        return redirect("accounts:two_factor_setup")
    if access.profile_for(user).requires_two_factor:
        messages.error(request, _("Two-factor login cannot be turned off: a role of yours requires it."))
        return redirect("accounts:two_factor_setup")
    form = TwoFactorDisableForm(user, request.POST)
    status = 200
    if _refused_as_locked_out(request, form):
        status = HTTP_TOO_MANY_REQUESTS
    elif form.is_valid():
        authentication.two_factor_disable(actor=user, user=user)
        messages.success(request, _("Two-factor login is off. You log in with your password only."))
        return redirect("accounts:two_factor_setup")
    context = _two_factor_context(request, disable_form=form)
    return render(request, "accounts/two_factor_enabled.html", context, status=status)


# API tokens -----------------------------------------------------------------------------------
@never_cache
@login_required
def token_list_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenCreateForm(request.POST or None, action_choices=token_action_choices(user))
    if request.method == "POST" and form.is_valid():
        expires_at = timezone.now() + dt.timedelta(days=form.cleaned_data["expires_in_days"])
        token, plain = services.api_token_create(
            actor=user, name=form.cleaned_data["name"], expires_at=expires_at,
            allowed_actions=form.cleaned_data["allowed_actions"],
        )  # fmt: skip
        request.session[_NEW_TOKEN_SESSION_KEY] = {"name": token.name, "value": plain}
        return redirect("accounts:token_list")
    new_token = None if request.method == "POST" else request.session.pop(_NEW_TOKEN_SESSION_KEY, None)
    context = {
        "form": form,
        "tokens": [
            (token, [describe_action(code) for code in token.allowed_actions])
            for token in ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
        ],
        "new_token": new_token,
        "now": timezone.now(),
        "section": "tokens",
    }
    return render(request, "accounts/token_list.html", context)


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.api_token_revoke(actor=user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked; it no longer works.") % {"name": token.name})
    return redirect("accounts:token_list")
