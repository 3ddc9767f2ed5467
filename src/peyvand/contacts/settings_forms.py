"""The forms of the customer settings pages: list entries, custom fields with their choices, tags."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from peyvand.common.text import normalize_text
from peyvand.contacts.models import Category, CustomField, RelationshipType, Source, Tag

CHOICE_SEPARATOR = "|"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LATIN = {"dir": "ltr"}


class CategoryForm(forms.ModelForm[Category]):
    class Meta:
        model = Category
        fields = ["name", "name_en", "kind", "order", "is_active"]
        widgets = {"name_en": forms.TextInput(attrs=LATIN)}


class SourceForm(forms.ModelForm[Source]):
    class Meta:
        model = Source
        fields = ["name", "name_en", "order", "is_active"]
        widgets = {"name_en": forms.TextInput(attrs=LATIN)}


class RelationshipTypeForm(forms.ModelForm[RelationshipType]):
    class Meta:
        model = RelationshipType
        fields = ["key", "name", "name_en", "inverse_name", "inverse_name_en", "is_symmetric", "from_kind", "to_kind",
                  "order", "is_active"]  # fmt: skip
        widgets = {"key": forms.TextInput(attrs=LATIN), "name_en": forms.TextInput(attrs=LATIN),
                   "inverse_name_en": forms.TextInput(attrs=LATIN)}  # fmt: skip
        help_texts = {
            "key": _("Used in the API and imports; cannot be changed later."),
            "inverse_name": _("How the link reads from the other side: “works at” reads back as “employs”."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["key"].disabled = True


class CustomFieldForm(forms.ModelForm[CustomField]):
    choices_text = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 5, "class": "auto-dir"}),
        help_text=_("For choice fields: one choice a line, as “value | Persian label | English label”, for example "
                    "“gold | طلایی | Gold”. The value is what the API and imports use."),
    )  # fmt: skip

    class Meta:
        model = CustomField
        fields = ["kind", "key", "label", "label_en", "field_type", "is_required", "help_text", "order", "is_active"]
        widgets = {"key": forms.TextInput(attrs=LATIN), "label_en": forms.TextInput(attrs=LATIN)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Stored values are keyed and typed by these: changing them would strand what is stored.
            for name in ("kind", "key", "field_type"):
                self.fields[name].disabled = True
            self.fields["key"].help_text = _("Used in the API, imports and exports; cannot be changed later.")
            self.initial["choices_text"] = "\n".join(
                f" {CHOICE_SEPARATOR} ".join([str(choice["value"]), choice.get("label", ""), choice.get("label_en", "")])
                .rstrip(f" {CHOICE_SEPARATOR}")
                for choice in self.instance.choices
            )  # fmt: skip

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        return key.replace("-", "_").lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        field_type = data.get("field_type") or self.instance.field_type
        choices = self._parse_choices(data.get("choices_text") or "")
        if field_type in (CustomField.Type.CHOICE, CustomField.Type.MULTIPLE_CHOICE):
            if not choices and "choices_text" not in self.errors:
                self.add_error("choices_text", _("Give at least one choice."))
            self.instance.choices = choices
        else:
            self.instance.choices = []
        return data

    def _parse_choices(self, text: str) -> list[dict[str, str]]:
        choices: list[dict[str, str]] = []
        seen: set[str] = set()
        for number, line in enumerate(text.splitlines(), start=1):
            parts = [normalize_text(part) for part in line.split(CHOICE_SEPARATOR)]
            if not any(parts):
                continue
            value = slugify(parts[0], allow_unicode=True).replace("-", "_") or parts[0]
            label = parts[1] if len(parts) > 1 and parts[1] else parts[0]
            english = parts[2] if len(parts) > 2 else ""
            if value in seen:
                self.add_error("choices_text", _("Line %(number)s repeats the value “%(value)s”.")
                               % {"number": number, "value": value})  # fmt: skip
                continue
            seen.add(value)
            choices.append({"value": value, "label": label, "label_en": english})
        return choices


class TagForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    color = forms.CharField(label=_("Colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"}))

    def clean_color(self) -> str:
        color: str = self.cleaned_data["color"]
        if not _COLOUR.match(color):
            raise forms.ValidationError(_("Enter a colour such as #0f766e."))
        return color.lower()


class TagMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Tag.objects.none(), empty_label=None)

    def __init__(self, *args: Any, tag: Tag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        into = self.fields["into"]
        assert isinstance(into, forms.ModelChoiceField)
        into.queryset = Tag.objects.exclude(pk=tag.pk).order_by("name")
