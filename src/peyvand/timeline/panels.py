"""The timeline's part of the customer page: the panel (quick log, filters, entries) and the header figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from peyvand.accounts import access as accounts_access
from peyvand.accounts.permissions import Action
from peyvand.common import calendar, numbers
from peyvand.contacts.access import can_any, can_party, visible_parties
from peyvand.contacts.models import Party
from peyvand.contacts.registry import Figure
from peyvand.timeline import access, selectors
from peyvand.timeline.forms import QuickLogForm, TimelineFilterForm
from peyvand.timeline.models import Channel, Interaction

PAGE_SIZE = 30
# The channel, kind and direction last used for a quick log, kept per user session.
LAST_CHOICE_KEY = "timeline_last_choice"
DEFAULT_CHOICE = {"channel": "phone", "kind": Interaction.Kind.CALL, "direction": Interaction.Direction.OUTBOUND}


def party_url(party_id: int) -> str:
    """The customer page, or (until the contacts app offers it) the party's full timeline page."""
    try:
        return reverse("contacts:party_detail", args=[party_id])
    except NoReverseMatch:
        return reverse("timeline:party_timeline", args=[party_id])


def visible(request: HttpRequest, party: Party) -> bool:
    return can_party(request.user, party, Action.VIEW)


def quick_log_form(request: HttpRequest, channels: list[Channel], data: Any = None) -> QuickLogForm:
    """The quick log form, preselected with what this user chose last (a call by phone at first)."""
    initial = {**DEFAULT_CHOICE, **request.session.get(LAST_CHOICE_KEY, {})}
    if initial["channel"] not in {channel.key for channel in channels} and channels:
        initial["channel"] = channels[0].key
    return QuickLogForm(data, channels=channels, initial=initial, prefix="log")


def remember_choice(request: HttpRequest, interaction: Interaction) -> None:
    request.session[LAST_CHOICE_KEY] = {"channel": interaction.channel.key, "kind": interaction.kind,
                                        "direction": interaction.direction}  # fmt: skip


def mark_permissions(request: HttpRequest, page: selectors.TimelinePage) -> None:
    """Tell each interaction whether the reader may edit or delete it (no query)."""
    for entry in page.entries:
        if entry.interaction is not None:
            entry.interaction.may_edit = access.can_interaction(request.user, entry.interaction, Action.EDIT)  # type: ignore[attr-defined]
            entry.interaction.may_delete = access.can_interaction(request.user, entry.interaction, Action.DELETE)  # type: ignore[attr-defined]


def next_page_url(party_id: int, page: selectors.TimelinePage, filters: dict[str, Any]) -> str:
    if not page.next_cursor:
        return ""
    query = {"cursor": page.next_cursor}
    if filters.get("channel") is not None:
        query["channel"] = filters["channel"].key
    if filters.get("kind"):
        query["kind"] = filters["kind"]
    return f"{reverse('timeline:party_timeline', args=[party_id])}?{urlencode(query)}"


def timeline_context(request: HttpRequest, party: Party, *, filter_data: Any = None, cursor: str | None = None,
                     log_form: QuickLogForm | None = None) -> dict[str, Any]:  # fmt: skip
    """What the panel and the timeline pages show: four queries (channels, interactions, changes and,
    for the quick log's owner team, none until posted)."""
    channels = list(selectors.channel_list())
    filter_form = TimelineFilterForm(filter_data or {}, channels=channels)
    filters = filter_form.values()
    page = selectors.party_timeline(actor=request.user, party=party, channel=filters["channel"], kind=filters["kind"],
                                    cursor=cursor, limit=PAGE_SIZE)  # fmt: skip
    mark_permissions(request, page)
    may_log = access.can_log(request.user)
    if may_log and log_form is None:
        log_form = quick_log_form(request, channels)
    return {
        "party": party,
        "page": page,
        "next_url": next_page_url(party.pk, page, filters),
        "filter_form": filter_form,
        "filtered": bool(filters["channel"] or filters["kind"]),
        "log_form": log_form if may_log else None,
        "may_see_interactions": access.can_see_interactions(request.user),
        "url": reverse("timeline:party_timeline", args=[party.pk]),
        "log_url": reverse("timeline:interaction_create", args=[party.pk]),
    }


def panel_context(request: HttpRequest, party: Party) -> dict[str, Any]:
    """The customer page's timeline panel; ``?timeline_channel=phone`` opens it filtered."""
    data = {"channel": request.GET.get("timeline_channel", ""), "kind": request.GET.get("timeline_kind", "")}
    return {"timeline": timeline_context(request, party, filter_data=data)}


def figures(request: HttpRequest, party: Party) -> list[Figure]:
    """First and last contact, the number of interactions and the contacts per channel (one query)."""
    if not access.can_see_interactions(request.user):
        return []
    digits = getattr(request.user, "digits", None)

    def when(value: Any) -> str:
        return numbers.shape_digits(calendar.format_date(value), digits) if value else _("Never")

    result = [
        Figure(label=_("First contact"), value=when(party.first_contact_at)),
        Figure(label=_("Last contact"), value=when(party.last_contact_at)),
        Figure(label=_("Interactions"), value=numbers.format_number(party.interaction_count, digits)),
    ]
    page_url = party_url(party.pk)
    for count in selectors.channel_counts(party=party):
        query = urlencode({"timeline_channel": count.channel.key})
        result.append(Figure(label=count.channel.label, value=numbers.format_number(count.count, digits),
                             url=f"{page_url}?{query}#timeline"))  # fmt: skip
    return result


# My page: recent interactions with my customers -----------------------------------------------------
MY_PAGE_LIMIT = 8


def may_see_my_interactions(request: HttpRequest) -> bool:
    return access.can_see_interactions(request.user) and can_any(request.user)


def my_interactions(*, actor: Any, limit: int = MY_PAGE_LIMIT) -> tuple[list[Interaction], bool]:
    """The latest ``limit`` interactions with the customers ``actor`` owns and may see, newest first,
    and whether there are more: two queries, each bounded however large the tables.

    The latest ``limit`` interactions are all on the ``limit`` customers contacted last, and none is
    older than the last of those contacts (each of the ``limit`` has one at its ``last_contact_at``);
    so the first query reads ``limit`` customers from the index (owner, last_contact_at), and the
    second only their interactions since then, from the index (party, occurred_at, id). A user with
    fewer contacted customers than ``limit`` has all their interactions read, newest first.
    """
    user_id = getattr(actor, "pk", None)
    if user_id is None or not access.can_see_interactions(actor):
        return [], False
    parties = list(
        visible_parties(actor, Party.objects.filter(owner_id=user_id, last_contact_at__isnull=False))
        .only("id", "kind", "name", "erased_at", "last_contact_at")
        .order_by("-last_contact_at")[: limit + 1]
    )
    if not parties:
        return [], False
    by_id = {party.pk: party for party in parties[:limit]}
    interactions = Interaction.objects.filter(party_id__in=list(by_id))
    if len(by_id) == limit:  # none older than the last of these customers' last contacts is among the latest
        interactions = interactions.filter(occurred_at__gte=min(party.last_contact_at for party in by_id.values()))
    rows = list(
        interactions
        .select_related("channel")
        .only("id", "party_id", "kind", "direction", "subject", "occurred_at", "channel__key", "channel__name",
              "channel__name_en", "channel__icon")
        .order_by("-occurred_at", "-id")[: limit + 1]
    )  # fmt: skip
    for interaction in rows:
        interaction.party = by_id[interaction.party_id]
    return rows[:limit], len(rows) > limit or len(parties) > limit


def my_page_context(request: HttpRequest) -> dict[str, Any]:
    """My page's "Recent interactions with my customers": two queries."""
    interactions, has_more = my_interactions(actor=request.user)
    more_url = ""
    if has_more and accounts_access.can(request.user, "persons"):
        more_url = f"{reverse('contacts:person_list')}?{urlencode({'owner': 'me', 'sort': '-active_at'})}"
    return {"interactions": interactions, "more_url": more_url}
