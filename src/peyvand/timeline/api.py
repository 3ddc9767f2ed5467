"""The timeline API: interactions (pushed by call centres, websites and tills, or read back), a party's
timeline and the channels. Thin: the same access rules, forms, services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Action
from peyvand.common.api import ERROR_RESPONSES, ApiError, PageOut, PageQuery, paginate
from peyvand.contacts.access import visible_parties
from peyvand.contacts.models import ContactPoint, Party
from peyvand.contacts.normalize import ContactPointIn, contact_point_keys
from peyvand.timeline import access, selectors, services
from peyvand.timeline.forms import InteractionForm
from peyvand.timeline.models import Channel, Interaction
from peyvand.timeline.schemas import (
    ChannelOut,
    InteractionIn,
    InteractionOut,
    InteractionPatch,
    InteractionQuery,
    TimelineOut,
    TimelineQuery,
)

router = Router(tags=["Timeline"])
_FORM_FIELDS = ("channel", "kind", "direction", "occurred_at", "subject", "content", "duration_seconds", "cost")


def _actor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _cleaned(form: InteractionForm) -> dict[str, Any]:
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError({name: list(errors) for name, errors in form.errors.as_data().items()})


def _channel(key: str | None) -> Channel | None:
    """A channel by key for a filter; an unknown key is a wrong input (422)."""
    if not key:
        return None
    channel = Channel.objects.filter(key=key).first()
    if channel is None:
        raise ValidationError({"channel": [_("There is no channel with this key.")]})
    return channel


def _party_to_log_with(actor: User, payload: InteractionIn) -> Party:
    """The party by id, or the one party the actor may see with the phone number or email address sent."""
    if payload.party_id is not None:
        return access.access_party_for_logging(actor, payload.party_id)
    if not access.can_log(actor):
        raise PermissionDenied
    if payload.phone:
        field, point = "phone", ContactPointIn(kind=ContactPoint.Kind.PHONE, value=payload.phone)
    elif payload.email:
        field, point = "email", ContactPointIn(kind=ContactPoint.Kind.EMAIL, value=payload.email)
    else:
        raise ValidationError({"party_id": [_("Send party_id, or a phone number or email address to find the customer by.")]})  # fmt: skip
    try:
        key = contact_point_keys(point).key
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    matches = Party.objects.filter(contact_points__kind=point.kind, contact_points__key=key)
    found = list(visible_parties(actor, matches).distinct().order_by("pk")[:2])
    if not found:
        message = _("No customer you may see has this phone number.") if field == "phone" else _("No customer you may see has this email address.")  # fmt: skip
        raise ValidationError({field: [message]})
    if len(found) > 1:
        raise ValidationError({field: [_("Several customers have this; send party_id to choose one.")]})
    return found[0]


@router.post("/interactions", response={200: InteractionOut, 201: InteractionOut, **ERROR_RESPONSES})
def interaction_create(request: HttpRequest, payload: InteractionIn) -> Status[Interaction]:
    """Log an interaction: from the web, a call centre, a website or a store's till.

    The customer is `party_id`, or else the one customer you may see with this `phone` (any format)
    or `email`; none or several is a 422 naming the field. With `source_system` and `external_id`,
    sending the same interaction again answers 200 with the one already logged and changes nothing
    (201 when it is new). Needs `interactions:create` and a view of the customer.
    """
    actor = _actor(request)
    party = _party_to_log_with(actor, payload)
    form = InteractionForm({name: getattr(payload, name) for name in _FORM_FIELDS},
                           channels=list(selectors.channel_list()))  # fmt: skip
    data = _cleaned(form)
    interaction, created = services.interaction_push(
        actor=actor, party=party, channel=data["channel"], kind=data["kind"], direction=data["direction"],
        occurred_at=data["occurred_at"], subject=data["subject"], content=data["content"],
        duration_seconds=data["duration_seconds"], cost=data["cost"], source_system=payload.source_system.strip(),
        external_id=payload.external_id.strip(),
    )  # fmt: skip
    if not created:
        if not access.visible_interactions(actor).filter(pk=interaction.pk).exists():
            raise ApiError(
                409, "conflict", _("This external_id was already used for an interaction out of your reach.")
            )
        interaction = access.access_interaction(actor, interaction.pk)
    return Status(201 if created else 200, interaction)


@router.get("/interactions", response={200: PageOut[InteractionOut], **ERROR_RESPONSES})
def interaction_list(request: HttpRequest, filters: Query[InteractionQuery], page: Query[PageQuery]) -> Any:
    """Interactions of the customers you may see, newest first (needs a view scope on interactions)."""
    actor = _actor(request)
    if not access.can_see_interactions(actor):
        raise PermissionDenied
    found = selectors.interaction_list(actor=actor, filters=selectors.InteractionFilters(
        party_id=filters.party_id, channel=_channel(filters.channel), kind=filters.kind or "",
        owner_id=filters.owner_id, since=filters.since, until=filters.until,
    ))  # fmt: skip
    return paginate(found, ordering="-occurred_at", page=page)


@router.get("/interactions/{interaction_id}", response={200: InteractionOut, **ERROR_RESPONSES})
def interaction_detail(request: HttpRequest, interaction_id: int) -> Interaction:
    """One interaction of a customer you may see; out of your reach is 404."""
    return access.access_interaction(_actor(request), interaction_id)


@router.patch("/interactions/{interaction_id}", response={200: InteractionOut, **ERROR_RESPONSES})
def interaction_update(request: HttpRequest, interaction_id: int, payload: InteractionPatch) -> Interaction:
    """Change an interaction; only what is sent changes. Needs `interactions:edit` on its staff member or team."""
    actor = _actor(request)
    interaction = access.access_interaction(actor, interaction_id, Action.EDIT)
    changes = payload.changes()
    current = {"channel": interaction.channel.key, "kind": interaction.kind, "direction": interaction.direction,
               "occurred_at": interaction.occurred_at, "subject": interaction.subject, "content": interaction.content,
               "duration_seconds": interaction.duration_seconds, "cost": interaction.cost}  # fmt: skip
    form = InteractionForm({**current, **changes}, channels=list(selectors.channel_list()), interaction=interaction)
    data = _cleaned(form)
    services.interaction_update(actor=actor, interaction=interaction,
                                **{name: data[name] for name in _FORM_FIELDS})  # fmt: skip
    return interaction


@router.delete("/interactions/{interaction_id}", response={204: None, **ERROR_RESPONSES})
def interaction_delete(request: HttpRequest, interaction_id: int) -> Status[None]:
    """Delete an interaction; the customer's figures are recounted. Needs `interactions:delete` on it."""
    actor = _actor(request)
    interaction = access.access_interaction(actor, interaction_id, Action.DELETE)
    services.interaction_delete(actor=actor, interaction=interaction)
    return Status(204, None)


@router.get("/parties/{party_id}/timeline", response={200: TimelineOut, **ERROR_RESPONSES})
def party_timeline(request: HttpRequest, party_id: int, query: Query[TimelineQuery]) -> Any:
    """A customer's timeline, newest first: interactions and the changes to the record (sensitive
    values never shown), merged; page on with `next_cursor`."""
    actor = _actor(request)
    party = access.access_party_for_timeline(actor, party_id)
    if query.kind and query.kind not in [*Interaction.Kind.values, selectors.CHANGES_ONLY]:
        choices = ", ".join([*Interaction.Kind.values, selectors.CHANGES_ONLY])
        raise ValidationError({"kind": [_("Choose one of: %(choices)s.") % {"choices": choices}]})
    try:
        page = selectors.party_timeline(actor=actor, party=party, channel=_channel(query.channel),
                                        kind=query.kind or None, include_changes=query.include_changes,
                                        cursor=query.cursor, limit=query.limit)  # fmt: skip
    except selectors.InvalidTimelineCursor:
        message = _("This cursor is not valid here. Start again from the first page.")
        raise ApiError(400, "bad_request", message, [("cursor", message)]) from None
    return {"items": page.entries, "next_cursor": page.next_cursor}


@router.get("/channels", response={200: list[ChannelOut], **ERROR_RESPONSES})
def channel_list(request: HttpRequest, include_inactive: bool = False) -> list[Channel]:
    """The channels, in their order: what `channel` of an interaction may be. A short list, not paged."""
    return list(selectors.channel_list(include_inactive=include_inactive))
