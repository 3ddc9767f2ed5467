"""The forms of the import wizard, shared with the API: upload, column mapping, duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peyvand.contacts.custom_fields import active_fields
from peyvand.contacts.imports import services
from peyvand.contacts.imports.columns import targets_for
from peyvand.contacts.models import ImportJob
from peyvand.contacts.models.lists import PartyKind


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Record type"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, UTF-16 or Windows-1256; comma, semicolon or tab), Excel (XLSX, first sheet) or "
                    "vCard (VCF). The first row holds the column headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.vcf,.vcard"}),
    )  # fmt: skip

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = services.importable_kinds(actor)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(value, label) for value, label in PartyKind.choices if value in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        services.check_upload(upload)
        return upload


def mapping_field_name(index: int) -> str:
    return f"column_{index}"


class ImportMappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or nothing."""

    def __init__(self, *args: Any, job: ImportJob, headers: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        self.headers = list(headers)
        groups: dict[str, list[tuple[str, str]]] = {}
        for target in targets_for(job.kind, active_fields(job.kind)):
            groups.setdefault(str(target.group), []).append((target.key, str(target.label)))
        choices: list[Any] = [("", _("Do not import")), *groups.items()]
        # For the template, which draws the selects itself (with htmx attributes).
        self.option_groups: list[tuple[str, list[tuple[str, str]]]] = [("", [("", str(_("Do not import")))]),
                                                                         *groups.items()]  # fmt: skip
        for index, header in enumerate(self.headers):
            self.fields[mapping_field_name(index)] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=job.mapping.get(header, "")
            )

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {header: data.get(mapping_field_name(index)) or "" for index, header in enumerate(self.headers)}

    def current_mapping(self) -> dict[str, str]:
        """What the form shows: the posted choices, or the job's own."""
        if not self.is_bound:
            return {header: self.job.mapping.get(header, "") for header in self.headers}
        return {header: self.data.get(mapping_field_name(index), "") for index, header in enumerate(self.headers)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.check_mapping(self.job.kind, self.headers, self.mapping())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                header = name.removeprefix("mapping.")
                field = mapping_field_name(self.headers.index(header)) if header in self.headers else None
                for message in messages:
                    self.add_error(field, message)
        return data


class ImportOptionsForm(forms.Form):
    on_duplicate = forms.ChoiceField(
        label=_("When a row matches an existing record"),
        choices=ImportJob.OnDuplicate.choices,
        widget=forms.RadioSelect,
        initial=ImportJob.OnDuplicate.SKIP,
        help_text=_("A row matches a record of the same type with the same mobile or phone number, email "
                    "address, national ID or company national ID. A row imported before is recognised and "
                    "left as it is, whatever you choose."),
    )  # fmt: skip
