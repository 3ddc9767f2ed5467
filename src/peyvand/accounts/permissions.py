"""The vocabulary of access: modules, actions and scopes, and the registry of modules.

Each app registers the modules it brings (``register_module``) from its ``AppConfig.ready``;
roles grant, per module, each action with a scope. Sensitive fields are declared per module and
shown only to roles granted them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")


class Scope(models.IntegerChoices):
    NONE = 0, _("None")
    OWN = 1, _("Own records")
    TEAM = 2, _("Own team and the teams below it")
    ALL = 3, _("All")


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    actions: tuple[str, ...] = tuple(Action.values)
    sensitive_fields: dict[str, str | Promise] = field(default_factory=dict)
    # Whether records carry an owner and a team, so that OWN and TEAM scopes mean something.
    scoped: bool = True


_modules: dict[str, Module] = {}


def register_module(module: Module) -> None:
    _modules[module.key] = module


def modules() -> list[Module]:
    return list(_modules.values())


def get_module(key: str) -> Module:
    return _modules[key]


def describe_action(code: str) -> str:
    """``"users:view"`` as a person reads it: "Users: View" (in the active language)."""
    module_key, _separator, action = code.partition(":")
    module = _modules.get(module_key)
    module_label = str(module.label) if module else module_key
    action_label = str(Action(action).label) if action in Action.values else action
    return f"{module_label}: {action_label}"
