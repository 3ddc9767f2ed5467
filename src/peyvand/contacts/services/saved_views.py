"""A user's saved views of the persons, companies and leads lists: named filters and a sort.

A saved view belongs to one user and only that user sees, opens, renames or deletes it. Its query
is the list's query string without the cursor, checked by the same filters as the list, so a view
that opens is a list that works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from peyvand.accounts import access
from peyvand.common.text import normalize_text
from peyvand.contacts.filters import NOT_FILTERS, parse_filters
from peyvand.contacts.models import Party, SavedView
from peyvand.contacts.models.parties import MODULE_OF_KIND
from peyvand.contacts.selectors.parties import SORTS

if TYPE_CHECKING:
    from peyvand.accounts.models import User

NAME_MAX_LENGTH = 100


def saved_view_list(*, actor: User, kind: str) -> QuerySet[SavedView]:
    """The actor's own views of ``kind``, by name."""
    if not access.can(actor, MODULE_OF_KIND[kind]):
        return SavedView.objects.none()
    return SavedView.objects.filter(user=actor, kind=kind).order_by("name", "pk")


def access_saved_view(actor: User, view_id: Any) -> SavedView:
    """One of the actor's own views; anyone else's is missing (404)."""
    try:
        return SavedView.objects.get(pk=view_id, user=actor)
    except (SavedView.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def clean_query(kind: str, query: str) -> str:
    """The view's query string: filters checked (``ValidationError`` by parameter), cursor and paging dropped."""
    params = QueryDict(query)
    filters = parse_filters(kind, params)
    kept = QueryDict(mutable=True)
    for name, values in filters.params.items():
        kept.setlist(name, values)
    sort = params.get("sort", "")
    if sort:
        if sort not in SORTS:
            raise ValidationError({"sort": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(SORTS)}]})
        kept["sort"] = sort
    assert not set(kept) & (NOT_FILTERS - {"sort"})
    return kept.urlencode()


def _clean_name(name: str) -> str:
    clean = normalize_text(name or "")
    if not clean:
        raise ValidationError({"name": [_("Give the view a name.")]})
    if len(clean) > NAME_MAX_LENGTH:
        raise ValidationError({"name": [_("Enter at most %(count)s characters.") % {"count": NAME_MAX_LENGTH}]})
    return clean


def _check_unique(actor: User, kind: str, name: str, *, exclude: int | None = None) -> None:
    taken = SavedView.objects.filter(user=actor, kind=kind, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": [_("You already have a view with this name.")]})


@transaction.atomic
def saved_view_create(*, actor: User, kind: str, name: str, query: str) -> SavedView:
    """Save the list's filters and sort under ``name``; the user's own display choice, not audited."""
    assert kind in Party.Kind.values, kind
    access.require(actor, MODULE_OF_KIND[kind])
    clean = _clean_name(name)
    cleaned_query = clean_query(kind, query)
    _check_unique(actor, kind, clean)
    return SavedView.objects.create(user=actor, kind=kind, name=clean, query=cleaned_query)


@transaction.atomic
def saved_view_rename(*, actor: User, view: SavedView, name: str) -> SavedView:
    assert view.user_id == actor.pk
    clean = _clean_name(name)
    _check_unique(actor, view.kind, clean, exclude=view.pk)
    view.name = clean
    view.save(update_fields=["name", "updated_at"])
    return view


@transaction.atomic
def saved_view_delete(*, actor: User, view: SavedView) -> None:
    assert view.user_id == actor.pk
    view.delete()
