"""Django's password rules, worded in Peyvand's own catalogue so both languages read well."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peyvand.common.numbers import format_number


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self) -> str:
        return _("This password is too short: it needs at least %(count)s characters.") % {
            "count": format_number(self.min_length)
        }

    def get_help_text(self) -> str:
        return _("At least %(count)s characters.") % {"count": format_number(self.min_length)}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("This password is too much like the username, name or email."), code="password_too_similar"
            ) from None

    def get_help_text(self) -> str:
        return _("Not like your username, name or email.")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("This password is one of the most common ones; choose another."), code="password_too_common"
            ) from None

    def get_help_text(self) -> str:
        return _("Not a commonly used password.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("This password is only digits; add letters or signs."), code="password_entirely_numeric"
            ) from None

    def get_help_text(self) -> str:
        return _("Not digits only.")
