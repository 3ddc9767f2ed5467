"""The form of an erasure, shared by the page and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peyvand.common.text import search_key
from peyvand.contacts.models import Party
from peyvand.contacts.services.privacy import REASON_MAX_LENGTH


class PartyEraseForm(forms.Form):
    """Why the person's data is erased and, on the page, their name typed again to confirm."""

    reason = forms.CharField(
        label=_("Why is this person's data erased?"), max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “Asked by email on 12 Mehr; request number 45.” Kept in the audit trail."),
        error_messages={"required": _("Say why this person's data is erased.")},
    )  # fmt: skip
    confirm_name = forms.CharField(label=_("Type the person's name to confirm"), max_length=300)

    def __init__(self, *args: Any, party: Party, with_confirmation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.party = party
        if not with_confirmation:  # the API's caller has already chosen the record by its id
            del self.fields["confirm_name"]
        else:
            self.fields["confirm_name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if search_key(typed) != search_key(self.party.name):
            raise forms.ValidationError(_("This is not the name on the record. Type it exactly as shown above."))
        return typed
