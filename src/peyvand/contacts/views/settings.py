"""Customer settings, for administrators: categories, sources, relationship types, custom fields, tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts.access import require_administrator
from peyvand.accounts.models import User
from peyvand.common.pagination import InvalidCursor, keyset_page
from peyvand.contacts.models import Category, CustomField, RelationshipType, Source, Tag
from peyvand.contacts.services import lists as services
from peyvand.contacts.settings_forms import (
    CategoryForm,
    CustomFieldForm,
    RelationshipTypeForm,
    SourceForm,
    TagForm,
    TagMergeForm,
)

TEMPLATES = "contacts/settings"
TAG_PAGE_SIZE = 50


@dataclass(frozen=True)
class ListSetting:
    key: str
    title: str | Promise
    singular: str | Promise
    model: type[models.Model]
    form: type[forms.ModelForm[Any]]
    columns: tuple[str, ...]
    description: str | Promise


LISTS: dict[str, ListSetting] = {
    setting.key: setting
    for setting in (
        ListSetting("categories", pgettext_lazy("customer record", "Categories"), pgettext_lazy("customer record", "category"), Category, CategoryForm,
                    ("name", "name_en", "kind", "order"),
                    gettext_lazy("Classes of customer: wholesale, retail, government…")),
        ListSetting("sources", gettext_lazy("Sources"), gettext_lazy("source"), Source, SourceForm,
                    ("name", "name_en", "order"), gettext_lazy("Where customers come from.")),
        ListSetting("relationship-types", pgettext_lazy("customer record", "Relationship types"),
                    pgettext_lazy("customer record", "relationship type"),
                    RelationshipType, RelationshipTypeForm,
                    ("name", "inverse_name", "name_en", "inverse_name_en", "from_kind", "to_kind", "order"),
                    pgettext_lazy("customer record", "The links of the relationship map, read one way and back.")),
        ListSetting("custom-fields", gettext_lazy("Custom fields"), gettext_lazy("custom field"), CustomField,
                    CustomFieldForm, ("label", "label_en", "kind", "key", "field_type", "is_required", "order"),
                    gettext_lazy("Fields you add to persons, companies or leads.")),
    )
}  # fmt: skip


def _actor(request: HttpRequest) -> User:
    require_administrator(request.user)
    return request.user  # type: ignore[return-value]


def _setting(list_name: str) -> ListSetting:
    setting = LISTS.get(list_name)
    if setting is None:
        raise Http404
    return setting


def _tabs(current: str) -> dict[str, Any]:
    tabs = [{"key": key, "label": setting.title, "url": reverse("contacts:settings_list", args=[key])}
            for key, setting in LISTS.items()]  # fmt: skip
    tabs.append({"key": "tags", "label": _("Tags"), "url": reverse("contacts:tag_list")})
    return {"settings_tabs": tabs, "current_tab": current}


def _cells(entry: models.Model, columns: tuple[str, ...]) -> list[str]:
    cells = []
    for name in columns:
        display = getattr(entry, f"get_{name}_display", None)
        value = display() if display is not None else getattr(entry, name)
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        cells.append(str(value) if value not in (None, "") else "—")
    return cells


@login_required
@require_safe
def settings_home_view(request: HttpRequest) -> HttpResponse:
    _actor(request)
    sections = [{"setting": setting, "count": setting.model._default_manager.count(),
                 "url": reverse("contacts:settings_list", args=[key])} for key, setting in LISTS.items()]  # fmt: skip
    return render(request, f"{TEMPLATES}/home.html", {"sections": sections, "tag_count": Tag.objects.count(),
                                                      **_tabs("")})  # fmt: skip


@login_required
@require_safe
def settings_list_view(request: HttpRequest, list_name: str) -> HttpResponse:
    _actor(request)
    setting = _setting(list_name)
    entries = list(setting.model._default_manager.all()[:500])
    headers = [getattr(setting.model._meta.get_field(name), "verbose_name", name) for name in setting.columns]
    rows = [{"entry": entry, "cells": _cells(entry, setting.columns)} for entry in entries]
    return render(request, f"{TEMPLATES}/list.html",
                  {"setting": setting, "headers": headers, "rows": rows, **_tabs(setting.key)})  # fmt: skip


def _save(request: HttpRequest, setting: ListSetting, entry: models.Model | None) -> HttpResponse:
    actor = _actor(request)
    form = setting.form(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.list_entry_save(actor=actor, entry=form.instance)
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                form.add_error(field if field in form.fields else None, texts)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved})
            return redirect("contacts:settings_list", setting.key)
    status = 422 if request.method == "POST" else 200
    return render(request, f"{TEMPLATES}/form.html",
                  {"setting": setting, "form": form, "entry": entry, **_tabs(setting.key)}, status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_create_view(request: HttpRequest, list_name: str) -> HttpResponse:
    _actor(request)
    return _save(request, _setting(list_name), None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_edit_view(request: HttpRequest, list_name: str, pk: int) -> HttpResponse:
    _actor(request)
    setting = _setting(list_name)
    return _save(request, setting, get_object_or_404(setting.model, pk=pk))


@login_required
@require_POST
def settings_toggle_view(request: HttpRequest, list_name: str, pk: int) -> HttpResponse:
    """Deactivate an entry (no longer offered; records keep it) or bring it back."""
    actor = _actor(request)
    setting = _setting(list_name)
    entry = get_object_or_404(setting.model, pk=pk)
    is_active = request.POST.get("is_active") == "1"
    services.list_entry_set_active(actor=actor, entry=entry, is_active=is_active)  # type: ignore[arg-type]
    text = _("“%(name)s” is in use again.") if is_active else _("“%(name)s” is no longer offered.")
    messages.success(request, text % {"name": entry})
    return redirect("contacts:settings_list", setting.key)


# Tags -----------------------------------------------------------------------------------------------
@login_required
@require_safe
def tag_list_view(request: HttpRequest) -> HttpResponse:
    _actor(request)
    tags = Tag.objects.annotate(record_count=Count("parties"))
    try:
        page = keyset_page(tags, ordering="key", cursor=request.GET.get("cursor"), limit=TAG_PAGE_SIZE)
    except InvalidCursor:
        page = keyset_page(tags, ordering="key", cursor=None, limit=TAG_PAGE_SIZE)
    return render(request, f"{TEMPLATES}/tag_list.html", {"page": page, **_tabs("tags")})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tag_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    tag = get_object_or_404(Tag, pk=pk)
    form = TagForm(request.POST or None, initial={"name": tag.name, "color": tag.color})
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_update(actor=actor, tag=tag, name=form.cleaned_data["name"], color=form.cleaned_data["color"])
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                form.add_error(field, texts)
        else:
            messages.success(request, _("The tag “%(name)s” was saved.") % {"name": tag.name})
            return redirect("contacts:tag_list")
    status = 422 if request.method == "POST" else 200
    return render(request, f"{TEMPLATES}/tag_form.html", {"tag": tag, "form": form, **_tabs("tags")}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tag_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    tag = get_object_or_404(Tag, pk=pk)
    form = TagMergeForm(request.POST or None, tag=tag)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        moved = services.tag_merge(actor=actor, tag=tag, into=into)
        messages.success(request, _("“%(tag)s” was merged into “%(into)s” (%(count)s records).")
                         % {"tag": tag.name, "into": into.name, "count": moved})  # fmt: skip
        return redirect("contacts:tag_list")
    status = 422 if request.method == "POST" else 200
    return render(request, f"{TEMPLATES}/tag_merge.html", {"tag": tag, "form": form, **_tabs("tags")}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tag_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    tag = get_object_or_404(Tag, pk=pk)
    if request.method != "POST":
        return render(request, f"{TEMPLATES}/tag_delete.html", {"tag": tag, **_tabs("tags")})
    services.tag_delete(actor=actor, tag=tag)
    messages.success(request, _("The tag “%(name)s” was deleted.") % {"name": tag.name})
    return redirect("contacts:tag_list")


urlpatterns: list[URLPattern] = [
    path("settings/", settings_home_view, name="settings_home"),
    path("settings/tags/", tag_list_view, name="tag_list"),
    path("settings/tags/<int:pk>/", tag_edit_view, name="tag_edit"),
    path("settings/tags/<int:pk>/merge/", tag_merge_view, name="tag_merge"),
    path("settings/tags/<int:pk>/delete/", tag_delete_view, name="tag_delete"),
    path("settings/<slug:list_name>/", settings_list_view, name="settings_list"),
    path("settings/<slug:list_name>/new/", settings_create_view, name="settings_create"),
    path("settings/<slug:list_name>/<int:pk>/", settings_edit_view, name="settings_edit"),
    path("settings/<slug:list_name>/<int:pk>/active/", settings_toggle_view, name="settings_toggle"),
]
