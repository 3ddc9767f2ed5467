"""Forms of logging in and of the user's own account. They check input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peyvand.accounts import access, notifications
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, modules

TOKEN_LIFETIME_DAYS_DEFAULT = 90
TOKEN_LIFETIME_DAYS_MAX = 365


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))  # fmt: skip
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))  # fmt: skip


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "dir": "ltr"}),
    )  # fmt: skip


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices, widget=forms.RadioSelect)
    digits = forms.ChoiceField(label=_("Digits"), choices=User.Digits.choices, widget=forms.RadioSelect)
    theme = forms.ChoiceField(label=_("Theme"), choices=User.Theme.choices, widget=forms.RadioSelect)

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> PreferencesForm:
        return cls(data, initial={"language": user.language, "digits": user.digits, "theme": user.theme})


class NotificationPreferencesForm(forms.Form):
    """A check box per registered kind of notification: also send it by email (``email_<kind>``)."""

    def __init__(self, user: User, data: Any = None) -> None:
        super().__init__(data)
        for kind, wanted in notifications.email_preferences(user):
            self.fields[f"email_{kind.key}"] = forms.BooleanField(
                label=kind.label, help_text=kind.description, required=False, initial=wanted
            )

    def email_by_kind(self) -> dict[str, bool]:
        return {name.removeprefix("email_"): bool(value) for name, value in self.cleaned_data.items()}


class _CurrentPasswordMixin:
    """The user's current password, checked without writing anything (the view counts failures)."""

    user: User
    cleaned_data: dict[str, Any]
    current_password_field: str
    wrong_password_code = "password_incorrect"  # noqa: S105  (an error code, not a password)

    def _check_current_password(self) -> str:
        value: str = self.cleaned_data[self.current_password_field]
        if not self.user.check_password(value):
            raise forms.ValidationError(
                _("Your current password was entered incorrectly."), code=self.wrong_password_code
            )
        return value

    def has_wrong_current_password(self) -> bool:
        return self.has_error(self.current_password_field, self.wrong_password_code)  # type: ignore[attr-defined]


class PasswordChangeForm(_CurrentPasswordMixin, forms.Form):
    current_password_field = "old_password"  # noqa: S105  (a field name)
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))  # fmt: skip
    new_password1 = forms.CharField(label=_("New password"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=password_validation.password_validators_help_text_html())  # fmt: skip
    new_password2 = forms.CharField(label=_("New password again"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))  # fmt: skip

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        return self._check_current_password()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second:
            if first != second:
                self.add_error("new_password2", _("The two passwords do not match."))
            else:
                try:
                    password_validation.validate_password(str(first), self.user)
                except forms.ValidationError as error:
                    self.add_error("new_password1", error)
        return cleaned


class TwoFactorDisableForm(_CurrentPasswordMixin, forms.Form):
    current_password_field = "password"  # noqa: S105  (a field name)
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))  # fmt: skip

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        return self._check_current_password()


ActionChoices = list[tuple[str | Promise, list[tuple[str, str | Promise]]]]


def token_action_choices(user: User) -> ActionChoices:
    """The "module:action" pairs a token of ``user`` may be narrowed to, grouped by module.

    Only what the user may do is offered: a token never does more than its user.
    """
    action_labels = dict(Action.choices)
    groups: ActionChoices = []
    for module in modules():
        pairs: list[tuple[str, str | Promise]] = [
            (f"{module.key}:{action}", action_labels.get(action, action))
            for action in module.actions
            if access.can(user, module.key, action)
        ]
        if pairs:
            groups.append((module.label, pairs))
    return groups


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Say where the token is used, for example “accounting export”."))  # fmt: skip
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=TOKEN_LIFETIME_DAYS_MAX,
        initial=TOKEN_LIFETIME_DAYS_DEFAULT, widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )  # fmt: skip
    allowed_actions = forms.MultipleChoiceField(
        label=_("Limit the token to"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave everything unticked for a token that may do all that you may."),
    )  # fmt: skip

    def __init__(self, *args: Any, action_choices: ActionChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["allowed_actions"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = action_choices
