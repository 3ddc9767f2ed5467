"""The workflow's forms, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Role, User
from peyvand.activities.workflow.services import MAX_NOTE


def _user_label(user: User) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _user_label(obj)


class HandoffForm(forms.Form):
    to_user = UserChoiceField(label=_("Hand to"), queryset=User.objects.none(),
                              empty_label=_("Choose a colleague"))  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "data-mentions": ""}),
                           help_text=_("What they need to know. Name other colleagues with @username to tell them too."))  # fmt: skip

    def __init__(self, *args: Any, colleagues: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = colleagues  # type: ignore[attr-defined]


class ApprovalRequestForm(forms.Form):
    subject = forms.CharField(label=_("What is to be approved"), max_length=200,
                              widget=forms.TextInput(attrs={"dir": "auto"}),
                              help_text=_("For example: a discount on the annual contract, or longer payment terms."))  # fmt: skip
    details = forms.CharField(label=_("Details"), required=False, max_length=MAX_NOTE,
                              widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "data-mentions": ""}))  # fmt: skip
    approver = UserChoiceField(label=_("Approver"), queryset=User.objects.none(), required=False,
                               empty_label=_("A person…"))  # fmt: skip
    approver_role = forms.ModelChoiceField(label=_("or anyone holding the role"), queryset=Role.objects.none(),
                                           required=False, empty_label=_("A role…"))  # fmt: skip

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = User.objects.filter(is_active=True).exclude(pk=actor.pk).order_by("username")  # type: ignore[attr-defined]
        self.fields["approver_role"].queryset = Role.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("approver")) == bool(data.get("approver_role")):
            self.add_error("approver", _("Choose either a person or a role to approve it."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_NOTE,
                              widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
                              help_text=_("Required when you reject: say why."))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why you reject it."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "data-mentions": ""}),
                           help_text=_("Name colleagues with @username to tell them."))  # fmt: skip
