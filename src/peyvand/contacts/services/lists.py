"""The lists administrators keep: categories, sources, relationship types, custom fields and tags.

Every change is written in the audit trail with what changed. A list entry is deactivated rather
than deleted, so the records that use it keep their value; tags, created on the fly by staff, may
be renamed, recoloured, merged into another or deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from peyvand.accounts import audit
from peyvand.accounts.models import AuditEvent
from peyvand.common.text import normalize_text, search_key
from peyvand.contacts.models import Category, CustomField, Party, RelationshipType, Source, Tag

if TYPE_CHECKING:
    from peyvand.accounts.models import User

ListEntry = Category | Source | RelationshipType | CustomField
# The fields of each list the audit trail follows.
AUDITED: dict[type[models.Model], list[str]] = {
    Category: ["name", "name_en", "kind", "order", "is_active"],
    Source: ["name", "name_en", "order", "is_active"],
    RelationshipType: ["key", "name", "name_en", "inverse_name", "inverse_name_en", "is_symmetric", "from_kind",
                       "to_kind", "order", "is_active"],
    CustomField: ["kind", "key", "label", "label_en", "field_type", "choices", "is_required", "help_text", "order",
                  "is_active"],
}  # fmt: skip


@transaction.atomic
def list_entry_save(*, actor: User, entry: ListEntry) -> ListEntry:
    """Create or change a category, source, relationship type or custom field (``entry`` unsaved)."""
    fields = AUDITED[type(entry)]
    is_new = entry.pk is None
    before = {} if is_new else audit.snapshot(type(entry).objects.get(pk=entry.pk), fields)
    entry.full_clean()
    entry.save()
    changes = audit.diff(before, audit.snapshot(entry, fields))
    if is_new or changes:
        kind = AuditEvent.Kind.CREATE if is_new else AuditEvent.Kind.UPDATE
        audit.record(actor=actor, kind=kind, instance=entry, changes=changes)
    return entry


@transaction.atomic
def list_entry_set_active(*, actor: User, entry: ListEntry, is_active: bool) -> ListEntry:
    """Turn an entry off (no longer offered; records keep it) or back on."""
    if entry.is_active != is_active:
        entry.is_active = is_active
        entry.save(update_fields=["is_active", "updated_at"])
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=entry,
                     changes={"is_active": [not is_active, is_active]})  # fmt: skip
    return entry


# Tags -----------------------------------------------------------------------------------------------
def tag_key(name: str) -> str:
    """The comparable form of a tag's name, as ``parties.tags_by_name`` makes it."""
    clean = normalize_text(name)[:60]
    return search_key(clean)[:60] or clean.casefold()


@transaction.atomic
def tag_update(*, actor: User, tag: Tag, name: str, color: str) -> Tag:
    """Rename or recolour a tag; a name another tag already has is refused (merge them instead)."""
    name = normalize_text(name)[:60]
    if not name:
        raise ValidationError({"name": [_("Enter a name.")]})
    key = tag_key(name)
    if Tag.objects.filter(key=key).exclude(pk=tag.pk).exists():
        raise ValidationError({"name": [_("Another tag already has this name; merge the two instead.")]})
    before = audit.snapshot(tag, ["name", "color"])
    tag.name, tag.key, tag.color = name, key, color
    tag.save()
    changes = audit.diff(before, audit.snapshot(tag, ["name", "color"]))
    if changes:
        audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=tag, changes=changes)
    return tag


@transaction.atomic
def tag_merge(*, actor: User, tag: Tag, into: Tag) -> int:
    """Move every record tagged ``tag`` to ``into`` and delete ``tag``; returns how many records moved."""
    if tag.pk == into.pk:
        raise ValidationError({"into": [_("Choose another tag to merge into.")]})
    through = Party.tags.through
    already = through.objects.filter(tag=into).values("party_id")
    moved = through.objects.filter(tag=tag).exclude(party_id__in=already).update(tag=into)
    through.objects.filter(tag=tag).delete()
    audit.record(actor=actor, kind=AuditEvent.Kind.UPDATE, instance=into,
                 changes={"merged": [tag.name, into.name], "records": [0, moved]})  # fmt: skip
    audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, instance=tag, changes={"merged_into": ["", into.name]})
    tag.delete()
    return moved


@transaction.atomic
def tag_delete(*, actor: User, tag: Tag) -> None:
    """Delete a tag; the records keep everything else."""
    audit.record(actor=actor, kind=AuditEvent.Kind.DELETE, instance=tag)
    tag.delete()
