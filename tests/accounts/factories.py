from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from peyvand.accounts import services
from peyvand.accounts.models import Role, Team, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Team.Kind.DEPARTMENT

    @classmethod
    def _create(cls, model_class: type[Team], *args: Any, **kwargs: Any) -> Team:
        return services.team_create(actor=None, name=kwargs["name"], kind=kwargs["kind"], parent=kwargs.get("parent"))


class RoleFactory(DjangoModelFactory):
    """``grants`` is ``{(module, action): scope}``; ``sensitive_fields`` a list of ``(module, field)``."""

    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    is_administrator = False
    requires_two_factor = False

    @classmethod
    def _create(cls, model_class: type[Role], *args: Any, **kwargs: Any) -> Role:
        return services.role_create(
            actor=None,
            name=kwargs["name"],
            is_administrator=kwargs["is_administrator"],
            requires_two_factor=kwargs["requires_two_factor"],
            grants=kwargs.get("grants", {}),
            sensitive_fields=kwargs.get("sensitive_fields", ()),
        )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sara"
    last_name = "Ahmadi"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    language = User.Language.ENGLISH
    password = DEFAULT_PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return services.user_create(
            actor=None,
            username=kwargs["username"],
            password=kwargs["password"],
            first_name=kwargs["first_name"],
            last_name=kwargs["last_name"],
            email=kwargs["email"],
            language=kwargs["language"],
            roles=kwargs.get("roles", ()),
            teams=kwargs.get("teams", ()),
            is_active=kwargs.get("is_active", True),
        )


def with_two_factor(user: User) -> str:
    """Turn two-factor login on for ``user`` as confirming the setup would; returns the secret."""
    from peyvand.accounts import authentication

    secret = authentication.new_totp_secret()
    authentication.two_factor_enable(user=user, secret=secret)
    return secret
