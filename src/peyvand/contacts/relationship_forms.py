"""The small form that links a party to another from the customer page, and its party picker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peyvand.contacts.access import access_party
from peyvand.contacts.models import Party, RelationshipType
from peyvand.contacts.selectors.search import party_search

if TYPE_CHECKING:
    from peyvand.contacts.access import Actor

PICKER_LIMIT = 10
FORWARD, INVERSE = "f", "i"


def readings(party: Party, types: list[RelationshipType]) -> list[tuple[str, str]]:
    """Each way a type reads from this party's side: "works at" (it is the first end), "employs" (the second)."""
    choices = []
    for each in types:
        if each.from_kind in ("", party.kind):
            choices.append((f"{each.pk}:{FORWARD}", each.label))
        if not each.is_symmetric and each.to_kind in ("", party.kind):
            choices.append((f"{each.pk}:{INVERSE}", each.inverse_label))
    return choices


def picker_results(actor: Actor, query: str, *, exclude: int | None = None) -> list[Party]:
    """Visible parties found by what was typed (the beginnings of the words of a name, or a phone)."""
    if len(query.strip()) < 2:
        return []
    hits = party_search(actor=actor, query=query, limit=PICKER_LIMIT + 1)
    return [hit.party for hit in hits if hit.party.pk != exclude][:PICKER_LIMIT]


class RelationshipForm(forms.Form):
    reading = forms.ChoiceField(label=pgettext_lazy("customer record", "Relationship"))
    other = forms.IntegerField(label=_("Related record"), min_value=1, widget=forms.HiddenInput,
                               error_messages={"required": _("Choose a record from the search results.")})  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, data: Any = None, *, party: Party, types: list[RelationshipType], actor: Actor | None = None,
                 query: str = "") -> None:  # fmt: skip
        super().__init__(data)
        self.party, self.actor, self.types = party, actor, {each.pk: each for each in types}
        reading = self.fields["reading"]
        assert isinstance(reading, forms.ChoiceField)
        reading.choices = readings(party, types)
        self.query = query
        self.results = picker_results(actor, query, exclude=party.pk) if actor is not None and query else []

    def clean_reading(self) -> tuple[RelationshipType, bool]:
        type_id, _separator, direction = self.cleaned_data["reading"].partition(":")
        return self.types[int(type_id)], direction == FORWARD

    def clean_other(self) -> Party:
        assert self.actor is not None
        try:
            return access_party(self.actor, self.cleaned_data["other"])
        except (Http404, PermissionDenied):
            raise forms.ValidationError(_("Choose a record from the search results.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "reading" in data:
            data["type"] = data["reading"][0]
        return data

    def ends(self) -> tuple[Party, Party]:
        """(from_party, to_party) as the chosen reading puts them."""
        _type, forward = self.cleaned_data["reading"]
        other = self.cleaned_data["other"]
        return (self.party, other) if forward else (other, self.party)

    def chosen(self) -> Party | None:
        """The related record already picked (kept when the form comes back with an error)."""
        return self.cleaned_data.get("other") if hasattr(self, "cleaned_data") else None
