"""Forms of the administration pages: users, teams, roles and the audit trail's filters.

Forms only read and check what was typed; the views hand the cleaned values to the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts import access, selectors
from peyvand.accounts.models import AuditEvent, Role, Team, User
from peyvand.accounts.permissions import Action, Module, Scope, modules
from peyvand.common.forms import LocalDateField


class TeamChoiceField(forms.ModelChoiceField):
    """Teams shown as a tree: each name indented by its depth."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class TeamMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


# Users ----------------------------------------------------------------------------------------
class UserFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=100,
                             widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or username")}))  # fmt: skip
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams"))
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=Role.objects.none(), required=False, empty_label=_("All roles")
    )
    active = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Active and inactive")), ("yes", _("Active")), ("no", _("Inactive"))],
    )  # fmt: skip

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = selectors.team_options(actor=actor)  # type: ignore[attr-defined]
        self.fields["role"].queryset = selectors.role_options(actor=actor)  # type: ignore[attr-defined]

    def selector_filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        is_active = {"yes": True, "no": False}.get(data.get("active") or "")
        return {
            "search": data.get("search", ""),
            "team": data.get("team"),
            "role": data.get("role"),
            "is_active": is_active,
        }


def _is_administrator_user(user: User) -> bool:
    return user.is_superuser or user.roles.filter(is_administrator=True).exists()


class UserForm(forms.Form):
    """A user's details and memberships. ``user`` is ``None`` when creating one.

    Roles are offered to administrators only; the email address to those who may see it; the
    teams to those within the actor's scope (memberships outside it are kept as they are).
    """

    username = forms.CharField(label=_("Username"), max_length=150,
                               help_text=_("Letters, digits and @ . + - _ only; used to log in."))  # fmt: skip
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices, initial=User.Language.PERSIAN)
    is_active = forms.BooleanField(label=_("Active (may log in)"), required=False, initial=True)
    roles = forms.ModelMultipleChoiceField(label=_("Roles"), queryset=Role.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    teams = TeamMultipleChoiceField(label=_("Teams"), queryset=Team.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple)  # fmt: skip
    password1 = forms.CharField(
        label=_("Password"), strip=False, required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to let the user choose one through “Forgot your password?”."),
    )  # fmt: skip
    password2 = forms.CharField(label=_("Password again"), strip=False, required=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))  # fmt: skip

    def __init__(self, *args: Any, actor: User, user: User | None = None, **kwargs: Any) -> None:
        self.actor, self.user = actor, user
        if user is not None:
            kwargs.setdefault("initial", {
                "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
                "email": user.email, "language": user.language, "is_active": user.is_active,
                "roles": list(user.roles.all()), "teams": list(user.teams.all()),
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        action = Action.CREATE if user is None else Action.EDIT
        if access.scope_of(actor, "users", action) == Scope.ALL:
            self.allowed_teams: QuerySet[Team] = Team.objects.order_by("path")
        else:
            self.allowed_teams = Team.objects.filter(pk__in=sorted(access.profile_for(actor).team_ids)).order_by("path")
        self.fields["teams"].queryset = self.allowed_teams  # type: ignore[attr-defined]
        if access.is_administrator(actor):
            self.fields["roles"].queryset = Role.objects.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["roles"]
        if not access.can_see_field(actor, "users", "email"):
            del self.fields["email"]
        if user is not None:
            del self.fields["username"], self.fields["password1"], self.fields["password2"]
            if user.pk == actor.pk and not access.is_administrator(actor):
                # Joining a team widens every team-scoped grant one holds: nobody grants it to themselves.
                self.fields["teams"].disabled = True
                self.fields["teams"].help_text = _("Ask an administrator to change your own teams.")

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        for validator in User._meta.get_field("username").validators:
            validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Another user already has this username."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.user is None:
            self._check_teams_in_reach(cleaned)
            self._check_password(cleaned)
        else:
            self._check_administration_remains(cleaned)
        return cleaned

    def _check_teams_in_reach(self, cleaned: dict[str, Any]) -> None:
        # Someone who manages only their own teams' users would lose sight of a user outside them.
        if access.scope_of(self.actor, "users", Action.CREATE) < Scope.ALL and not cleaned.get("teams"):
            self.add_error("teams", _("Choose at least one of your teams, or you will not see this user afterwards."))

    def _check_password(self, cleaned: dict[str, Any]) -> None:
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if not first and not second:
            return
        if first != second:
            self.add_error("password2", _("The two passwords do not match."))
            return
        candidate = User(username=cleaned.get("username", ""), first_name=cleaned.get("first_name", ""),
                         last_name=cleaned.get("last_name", ""), email=cleaned.get("email", ""))  # fmt: skip
        try:
            password_validation.validate_password(str(first), candidate)
        except forms.ValidationError as error:
            self.add_error("password1", error)

    def _check_administration_remains(self, cleaned: dict[str, Any]) -> None:
        assert self.user is not None
        if self.user.pk == self.actor.pk and not cleaned.get("is_active", True):
            self.add_error("is_active", _("You cannot deactivate your own account."))
            return
        roles = cleaned.get("roles")
        stays_administrator = cleaned.get("is_active", False) and (
            self.user.is_superuser
            or (
                any(role.is_administrator for role in roles) if roles is not None else _is_administrator_user(self.user)
            )
        )
        if (
            not stays_administrator
            and _is_administrator_user(self.user)
            and not selectors.other_administrators_exist(excluding_user=self.user)
        ):
            self.add_error(None, _("This is the last active administrator. Make someone else an administrator first, so that someone can still manage access."))  # fmt: skip

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``services.user_create`` or ``services.user_update``."""
        data = self.cleaned_data
        names = ["first_name", "last_name", "email", "language", "is_active"]
        arguments = {name: data[name] for name in names if name in self.fields}
        arguments["teams"] = self._teams_to_save()
        if "roles" in self.fields:
            arguments["roles"] = list(data["roles"])
        if self.user is None:
            arguments.update(username=data["username"], password=data.get("password1") or None)
        return arguments

    def _teams_to_save(self) -> list[Team]:
        chosen = list(self.cleaned_data["teams"])
        if self.user is None:
            return chosen
        allowed = {team.pk for team in self.allowed_teams}
        return chosen + [team for team in self.user.teams.all() if team.pk not in allowed]


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("New password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())  # fmt: skip
    password2 = forms.CharField(label=_("New password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second:
            if first != second:
                self.add_error("password2", _("The two passwords do not match."))
            else:
                try:
                    password_validation.validate_password(str(first), self.user)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


# Teams ----------------------------------------------------------------------------------------
class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices, initial=Team.Kind.DEPARTMENT)
    parent = TeamChoiceField(label=_("Parent team"), queryset=Team.objects.order_by("path"), required=False,
                             empty_label=_("— (a top-level team)"))  # fmt: skip
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        self.team = team
        if team is not None:
            kwargs.setdefault("initial", {"name": team.name, "kind": team.kind, "parent": team.parent,
                                          "is_active": team.is_active})  # fmt: skip
        super().__init__(*args, **kwargs)
        if team is None:
            del self.fields["is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name, parent = cleaned.get("name"), cleaned.get("parent")
        if name:
            siblings = Team.objects.filter(parent=parent, name__iexact=name.strip())
            if self.team is not None:
                siblings = siblings.exclude(pk=self.team.pk)
            if siblings.exists():
                self.add_error("name", _("Another team with this name is already there."))
        return cleaned


# Roles ----------------------------------------------------------------------------------------
SCOPE_CHOICES = [(scope.value, scope.label) for scope in Scope]
UNSCOPED_CHOICES = [(Scope.NONE.value, _("No")), (Scope.ALL.value, _("Yes"))]


@dataclass(frozen=True)
class GrantRow:
    """One row of the grant matrix: a module, a cell per action column, its sensitive fields."""

    module: Module
    cells: list[forms.BoundField | None]
    sensitive_fields: list[forms.BoundField]


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_administrator = forms.BooleanField(label=_("Administrator"), required=False,
                                          help_text=_("Administrators may do everything, everywhere."))  # fmt: skip
    requires_two_factor = forms.BooleanField(
        label=_("Requires two-factor login"), required=False,
        help_text=_("Users holding this role must set up and use a one-time code to log in."),
    )  # fmt: skip

    def __init__(self, *args: Any, role: Role | None = None, **kwargs: Any) -> None:
        self.role = role
        self.grant_fields: dict[str, tuple[str, str]] = {}
        self.sensitive_field_fields: dict[str, tuple[str, str]] = {}
        initial: dict[str, Any] = {}
        if role is not None:
            initial = {"name": role.name, "description": role.description,
                       "is_administrator": role.is_administrator, "requires_two_factor": role.requires_two_factor}  # fmt: skip
            initial.update({f"grant__{g.module}__{g.action}": g.scope for g in role.grants.all()})
            initial.update({f"field__{g.module}__{g.field}": True for g in role.field_grants.all()})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for module in modules():
            for action in module.actions:
                name = f"grant__{module.key}__{action}"
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{module.label}: {Action(action).label}", coerce=int, initial=Scope.NONE,
                    required=False,
                    choices=SCOPE_CHOICES if module.scoped else UNSCOPED_CHOICES,
                )  # fmt: skip
                self.grant_fields[name] = (module.key, action)
            for field_name, field_label in module.sensitive_fields.items():
                name = f"field__{module.key}__{field_name}"
                self.fields[name] = forms.BooleanField(label=str(field_label), required=False)
                self.sensitive_field_fields[name] = (module.key, field_name)

    def action_columns(self) -> list[tuple[str, str]]:
        present = {action for module in modules() for action in module.actions}
        return [(str(value), str(label)) for value, label in Action.choices if value in present]

    def matrix(self) -> list[GrantRow]:
        columns = [value for value, _label in self.action_columns()]
        return [
            GrantRow(
                module=module,
                cells=[
                    self[f"grant__{module.key}__{action}"] if action in module.actions else None for action in columns
                ],
                sensitive_fields=[self[f"field__{module.key}__{name}"] for name in module.sensitive_fields],
            )
            for module in modules()
        ]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        others = Role.objects.filter(name__iexact=name)
        if self.role is not None:
            others = others.exclude(pk=self.role.pk)
        if others.exists():
            raise forms.ValidationError(_("Another role already has this name."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            self.role is not None
            and self.role.is_administrator
            and not cleaned.get("is_administrator")
            and not selectors.other_administrators_exist(excluding_role=self.role)
        ):
            self.add_error("is_administrator", _("No other active user is an administrator. Make someone else an administrator first, so that someone can still manage access."))  # fmt: skip
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``services.role_create`` or ``services.role_update``."""
        data = self.cleaned_data
        return {
            "name": data["name"], "description": data["description"],
            "is_administrator": data["is_administrator"], "requires_two_factor": data["requires_two_factor"],
            "grants": {key: data[name] for name, key in self.grant_fields.items() if data[name]},
            "sensitive_fields": sorted(key for name, key in self.sensitive_field_fields.items() if data[name]),
        }  # fmt: skip


# Audit trail ----------------------------------------------------------------------------------
class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), required=False, choices=[("", _("Everything")), *AuditEvent.Kind.choices])
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    date_from = LocalDateField(label=_("From"), required=False)
    date_to = LocalDateField(label=_("To"), required=False)
    search = forms.CharField(label=_("Text"), required=False, max_length=100,
                             widget=forms.TextInput(attrs={"type": "search"}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All")), *selectors.audit_record_types()]  # type: ignore[attr-defined]

    def clean_actor(self) -> int | None:
        username = self.cleaned_data["actor"].strip()
        if not username:
            return None
        pk: int | None = User.objects.filter(username__iexact=username).values_list("pk", flat=True).first()
        if pk is None:
            raise forms.ValidationError(_("No user has this username."))
        return pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def selector_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.audit_event_list``."""
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        return {
            "kind": data.get("kind", ""), "actor_id": data.get("actor"), "object_type": data.get("object_type", ""),
            "object_id": data.get("object_id", "").strip(), "search": data.get("search", "").strip(),
            "since": _start_of(start) if start else None, "until": _start_of(end + dt.timedelta(days=1)) if end else None,
        }  # fmt: skip


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
