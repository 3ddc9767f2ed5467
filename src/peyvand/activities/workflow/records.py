"""The kinds of record a hand-off or an approval request can point at, and what each needs.

A customer (``contacts.party``) and an activity (``activities.activity``) are registered here; an app
above this one (sales' deals and quotes, service's cases) registers its own with :func:`register`
from its ``shell.py``, and hand-offs and approvals work on it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.accounts import access as accounts_access
from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action, Scope
from peyvand.activities import access as activity_access
from peyvand.activities.models import Activity
from peyvand.contacts import access as party_access
from peyvand.contacts.models import Party
from peyvand.contacts.services import parties as party_services

if TYPE_CHECKING:
    from django.utils.functional import Promise


@dataclass(frozen=True)
class RecordType:
    """How hand-offs and approvals read, check and hand over one kind of record."""

    key: str  # the model's label_lower, as ContentType and the audit trail name it
    label: Promise | str
    # The record ``pk`` if the actor may ``action`` it: 404 out of sight, 403 seen but not allowed.
    fetch: Callable[[Any, Any, str], models.Model]
    # Whether a user may ``action`` a record already fetched.
    can: Callable[[User, Any, str], bool]
    # The permission module deciding whose records the actor may give to anyone (ALL) or to colleagues.
    module: Callable[[Any], str]
    title: Callable[[Any], str]
    url_name: str  # the record's page, taking its id
    party: Callable[[Any], Party | None]
    # Give the record to a user (its owner and, for an activity, its assignment), audited by the
    # record's own service; raises ValidationError with the service's reasons.
    hand_over: Callable[[User, Any, User], None]
    # Whether a user would see the record once handed to them.
    would_see: Callable[[User, Any], bool]

    def url(self, record: Any) -> str:
        return self.url_of(record.pk)

    def url_of(self, pk: Any) -> str:
        return reverse(self.url_name, args=[pk])


_TYPES: dict[str, RecordType] = {}


def register(record_type: RecordType) -> None:
    _TYPES[record_type.key] = record_type


def get(key: str) -> RecordType:
    """The registered kind of record ``key``; an unknown one is missing (404)."""
    try:
        return _TYPES[key]
    except KeyError:
        raise Http404 from None


def all_types() -> list[RecordType]:
    return list(_TYPES.values())


def key_of(related_type: ContentType) -> str:
    """A ContentType's key as records are registered ("contacts.party")."""
    return f"{related_type.app_label}.{related_type.model}"


def content_type_of(key: str) -> ContentType:
    """The ContentType of a registered key (Django caches it after the first lookup)."""
    return ContentType.objects.get_by_natural_key(*key.split("."))


def url_of(related_type: ContentType, pk: Any) -> str:
    """The page of the record; "" for a kind no longer registered."""
    kind = _TYPES.get(key_of(related_type))
    return kind.url_of(pk) if kind is not None else ""


# Customers ---------------------------------------------------------------------------------------
def _party_fetch(actor: Any, pk: Any, action: str) -> Party:
    return party_access.access_party(actor, pk, action, queryset=Party.objects.filter(erased_at__isnull=True))


def _party_hand_over(actor: User, party: Party, to_user: User) -> None:
    party_services.party_update(actor=actor, party=party, owner=to_user)


def _party_would_see(user: User, party: Party) -> bool:
    return party_access.would_reach(user, party, Action.VIEW, owner_id=user.pk, team_id=party.team_id)


register(RecordType(
    key="contacts.party", label=_("Customer"), fetch=_party_fetch, can=party_access.can_party,
    module=lambda party: party.module, title=lambda party: party.name,
    url_name="contacts:party_detail", party=lambda party: party,
    hand_over=_party_hand_over, would_see=_party_would_see,
))  # fmt: skip


# Activities --------------------------------------------------------------------------------------
def _activity_fetch(actor: Any, pk: Any, action: str) -> Activity:
    return activity_access.access_activity(actor, pk, action, queryset=Activity.objects.select_related("party"))


def _activity_hand_over(actor: User, activity: Activity, to_user: User) -> None:
    """The owner becomes ``to_user``, who takes the actor's place among the assignees (or joins
    them); the actor stays on it as a participant, to follow it."""
    from peyvand.activities import services

    assignees, participants, _parties = services.current_people(activity)
    if actor in assignees:
        assignees = [to_user if user == actor else user for user in assignees]
    if to_user not in assignees:
        assignees.append(to_user)
    assignees = list(dict.fromkeys(assignees))
    participants = [user for user in participants if user != to_user]
    if actor not in participants and actor != to_user:
        participants.append(actor)
    services.activity_update(actor=actor, activity=activity, handing_over=True, owner=to_user,
                             assignees=assignees, participant_users=participants)  # fmt: skip


def _activity_would_see(user: User, activity: Activity) -> bool:
    return activity_access.reaches(user, Action.VIEW, owner_id=user.pk, team_id=activity.team_id,
                                   staff=[user.pk])  # fmt: skip


register(RecordType(
    key="activities.activity", label=_("Activity"), fetch=_activity_fetch, can=activity_access.can_activity,
    module=lambda activity: activity_access.MODULE, title=lambda activity: activity.subject,
    url_name="activities:activity_detail",
    party=lambda activity: activity.party, hand_over=_activity_hand_over, would_see=_activity_would_see,
))  # fmt: skip


# Who a record may be handed to -------------------------------------------------------------------
def colleagues(actor: User, record_type: RecordType, record: Any) -> models.QuerySet[User]:
    """The active users ``actor`` may hand ``record`` to: anyone with the ALL scope of editing its
    module, otherwise the members of the actor's teams (and the teams below them)."""
    profile = accounts_access.profile_for(actor)
    users = User.objects.filter(is_active=True).exclude(pk=actor.pk)
    if profile.scope(record_type.module(record), Action.EDIT) == Scope.ALL:
        return users.order_by("username")
    if not profile.team_ids:
        return users.none()
    return users.filter(pk__in=User.objects.filter(teams__in=sorted(profile.team_ids)).values("pk")).order_by(
        "username"
    )
