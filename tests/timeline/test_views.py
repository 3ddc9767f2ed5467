"""The timeline's pages: the panel on the customer page, quick logging with htmx, load more, edit and
delete, and the administrators' channel pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.models import Party
from peyvand.timeline.models import Channel, Interaction
from tests.accounts.factories import RoleFactory, UserFactory
from tests.contacts.factories import PersonFactory
from tests.timeline.factories import InteractionFactory, channel

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 21, 9, 30, tzinfo=dt.UTC)
HTMX = {"HX-Request": "true"}


def _staff(language: str = User.Language.ENGLISH, scope: Scope = Scope.ALL) -> User:
    grants = {("persons", action): scope for action in ("view", "edit")}
    grants.update({("interactions", action): scope for action in ("view", "create", "edit", "delete")})
    return UserFactory(username="sara", first_name="Sara", last_name="Ahmadi", language=language,
                       roles=[RoleFactory(grants=grants)])  # fmt: skip


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _log(client: Client, party: Party, **values: str) -> Any:
    data = {"log-channel": "phone", "log-kind": "call", "log-direction": "outbound", "log-subject": "Called back",
            "log-content": "", "log-occurred_at": "", **{f"log-{name}": value for name, value in values.items()}}  # fmt: skip
    return client.post(reverse("timeline:interaction_create", args=[party.pk]), data, headers=HTMX)


def test_the_customer_page_shows_the_panel_with_its_entries_and_figures() -> None:
    # Given a customer with a call and a visit
    user = _staff()
    party = PersonFactory()
    InteractionFactory(party=party, occurred_at=T0, subject="Asked for the catalogue", owner=user)
    InteractionFactory(party=party, channel=channel("store"), kind="visit", occurred_at=T0 + dt.timedelta(days=1),
                       subject="Came to the showroom", content="Liked the blue tiles.\nWill call back.")  # fmt: skip

    # When the customer page opens
    response = _client(user).get(reverse("contacts:party_detail", args=[party.pk]))

    # Then the timeline panel is there, newest first, with the log form and the header figures
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="timeline"' in html
    assert 'id="timeline-log-form"' in html
    assert html.index("Came to the showroom") < html.index("Asked for the catalogue")
    assert "Liked the blue tiles.<br>Will call back." in html
    assert "Sara Ahmadi" in html
    figures = {str(figure.label): figure.value for figure in response.context["figures"]}
    assert {key: figures[key] for key in ("First contact", "Last contact", "Interactions", "Phone",
                                          "Store or branch visit")} == {
        "First contact": "2025-03-21", "Last contact": "2025-03-22", "Interactions": "2", "Phone": "1",
        "Store or branch visit": "1",
    }  # fmt: skip


def test_content_is_escaped_with_its_line_breaks_kept() -> None:
    user = _staff()
    party = PersonFactory()
    InteractionFactory(party=party, subject="<b>bold</b>", content="<script>alert(1)</script>\nsecond line")

    html = _client(user).get(reverse("timeline:party_timeline", args=[party.pk]), headers=HTMX).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert" not in html


def _queries(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers).status_code == 200
    return len(queries)


def test_the_customer_page_and_the_timeline_cost_the_same_queries_for_5_or_200_interactions() -> None:
    # Given two customers, one with 5 interactions and one with 200
    user = _staff()
    client = _client(user)
    short, long = PersonFactory(), PersonFactory()
    for party, count in ((short, 5), (long, 200)):
        Interaction.objects.bulk_create([
            Interaction(party=party, channel=channel("phone"), occurred_at=T0 - dt.timedelta(minutes=n),
                        subject=f"Call {n}", owner=user)
            for n in range(count)
        ])  # fmt: skip

    # Then their customer pages and timeline pages cost the same number of queries
    for name, headers in (("contacts:party_detail", {}), ("timeline:party_timeline", HTMX)):
        counts = [_queries(client, reverse(name, args=[party.pk]), **headers) for party in (short, long)]
        assert counts[0] == counts[1], name
    # session (2), the profile (3), the party (1), channels (1), interactions (1), changes (1)
    assert _queries(client, reverse("timeline:party_timeline", args=[long.pk]), **HTMX) == 9


def test_logging_with_htmx_answers_a_fresh_form_and_the_new_entry_for_the_top() -> None:
    # Given Sara on a customer's page
    user = _staff()
    client = _client(user)
    party = PersonFactory()

    # When she logs a visit
    response = _log(client, party, channel="store", kind="visit", direction="inbound", subject="Came in",
                    content="Bought grout")  # fmt: skip

    # Then it is logged, and the answer holds a fresh form (remembering her choices) and the entry to put on top
    assert response.status_code == 200
    interaction = Interaction.objects.get()
    assert (
        interaction.channel.key,
        interaction.kind,
        interaction.direction,
        interaction.subject,
        interaction.owner,
    ) == ("store", "visit", "inbound", "Came in", user)
    html = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#timeline-entries"' in html
    assert f'id="interaction-{interaction.pk}"' in html
    assert "The interaction was logged." in html
    assert '<option value="store" selected>' in html
    assert 'value="Came in"' not in html
    # And the next form on the page starts with the same choices
    page = client.get(reverse("contacts:party_detail", args=[party.pk])).content.decode()
    assert '<option value="visit" selected>' in page


def test_a_log_with_mistakes_keeps_what_was_typed_and_logs_nothing() -> None:
    client = _client(_staff())
    party = PersonFactory()

    response = _log(client, party, subject="", content="", occurred_at="1404/13/40 10:00")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Write a subject or some content." in html
    assert 'value="1404/13/40 10:00"' in html
    assert Interaction.objects.count() == 0


def test_a_persian_user_logs_in_jalali_and_reads_the_timeline_in_persian() -> None:
    # Given a Persian-speaking user
    client = _client(_staff(User.Language.PERSIAN))
    party = PersonFactory()

    # When she logs a call at 1 Farvardin 1404, 13:00 Tehran time, in Persian digits
    _log(client, party, occurred_at="۱۴۰۴/۰۱/۰۱ ۱۳:۰۰", subject="تماس درباره سفارش")

    # Then it is stored as that moment, and the timeline reads in Persian with a Jalali date
    assert Interaction.objects.get().occurred_at == T0
    html = client.get(reverse("timeline:party_timeline", args=[party.pk]), headers=HTMX).content.decode()
    assert "تلفن" in html
    assert "۱۴۰۴/۰۱/۰۱" in html
    assert "تماس درباره سفارش" in html


def test_without_htmx_logging_returns_to_the_customer_page() -> None:
    client = _client(_staff())
    party = PersonFactory()
    response = client.post(reverse("timeline:interaction_create", args=[party.pk]),
                           {"log-channel": "phone", "log-kind": "note", "log-direction": "internal",
                            "log-subject": "Prefers mornings"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:party_detail", args=[party.pk])
    assert Interaction.objects.get().subject == "Prefers mornings"


def test_load_more_and_filters_answer_the_next_entries() -> None:
    # Given 35 calls and a visit
    client = _client(_staff())
    party = PersonFactory()
    for n in range(35):
        InteractionFactory(party=party, occurred_at=T0 - dt.timedelta(minutes=n), subject=f"Call {n:02d}")
    InteractionFactory(party=party, channel=channel("store"), kind="visit", occurred_at=T0 - dt.timedelta(days=2),
                       subject="Showroom")  # fmt: skip
    url = reverse("timeline:party_timeline", args=[party.pk])

    # When the first page is read, then "more" as the last entry comes into view
    first = client.get(url, headers=HTMX)
    page = first.context["timeline"]["page"]
    more = client.get(first.context["timeline"]["next_url"], headers=HTMX)

    # Then the first page ends with the trigger and the next one continues where it stopped
    assert len(page.entries) == 30
    assert 'hx-trigger="revealed"' in first.content.decode()
    subjects = [entry.interaction.subject for entry in more.context["timeline"]["page"].entries if entry.interaction]
    assert subjects == ["Call 29", "Call 30", "Call 31", "Call 32", "Call 33", "Call 34", "Showroom"]
    # And a filter keeps only the visits
    visits = client.get(url, {"channel": "store"}, headers=HTMX).context["timeline"]["page"].entries
    assert [entry.interaction.subject for entry in visits] == ["Showroom"]  # type: ignore[union-attr]


def test_a_damaged_cursor_starts_from_the_top() -> None:
    client = _client(_staff())
    party = PersonFactory()
    InteractionFactory(party=party)
    response = client.get(reverse("timeline:party_timeline", args=[party.pk]), {"cursor": "forged"}, headers=HTMX)
    assert response.status_code == 200
    assert len(response.context["timeline"]["page"].entries) == 2


def test_edit_and_delete() -> None:
    user = _staff()
    client = _client(user)
    interaction = InteractionFactory(occurred_at=T0, owner=user, subject="Old")
    edit_url = reverse("timeline:interaction_edit", args=[interaction.pk])

    form = client.get(edit_url)
    saved = client.post(edit_url, {"channel": "email", "kind": "email", "direction": "outbound",
                                   "occurred_at": "2025-03-21 13:00", "subject": "New", "content": "",
                                   "duration_seconds": "", "cost": "۱۲٬۰۰۰"})  # fmt: skip

    assert form.status_code == 200
    assert saved.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.channel.key, interaction.subject, interaction.cost) == ("email", "New", 12_000)
    deleted = client.post(reverse("timeline:interaction_delete", args=[interaction.pk]), headers=HTMX)
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert Interaction.objects.count() == 0


def test_entries_offer_edit_and_delete_only_where_allowed() -> None:
    # Given a user who may edit only interactions they had
    user = UserFactory(roles=[RoleFactory(grants={("persons", "view"): Scope.ALL, ("interactions", "view"): Scope.OWN,
                                                  ("interactions", "edit"): Scope.OWN})])  # fmt: skip
    party = PersonFactory()
    mine = InteractionFactory(party=party, owner=user)
    other = InteractionFactory(party=party, owner=UserFactory())

    html = _client(user).get(reverse("timeline:party_timeline", args=[party.pk]), headers=HTMX).content.decode()

    assert reverse("timeline:interaction_edit", args=[mine.pk]) in html
    assert reverse("timeline:interaction_edit", args=[other.pk]) not in html
    assert "timeline:interaction_delete" not in html
    assert "/delete/" not in html


def test_an_administrator_keeps_the_channels_with_their_cost_in_rial() -> None:
    admin = UserFactory(username="admin", roles=[RoleFactory(is_administrator=True)])
    client = _client(admin)

    listed = client.get(reverse("timeline:channel_list"))
    created = client.post(reverse("timeline:channel_create"), {
        "name": "تلگرام", "name_en": "Telegram", "key": "telegram", "icon": "social",
        "cost_per_contact": "۱۵۰٬۰۰۰", "order": "200", "is_active": "on",
    })  # fmt: skip
    duplicate = client.post(reverse("timeline:channel_create"), {"name": "x", "key": "telegram", "icon": "social",
                                                                 "cost_per_contact": "0", "order": "1"})  # fmt: skip

    assert listed.status_code == 200
    assert "Kiosk or ATM" in listed.content.decode()
    assert created.status_code == 302
    telegram = Channel.objects.get(key="telegram")
    assert (telegram.cost_per_contact, telegram.name_en) == (150_000, "Telegram")
    assert duplicate.context["form"].errors == {"key": ["Another channel already has this key."]}
    edited = client.post(reverse("timeline:channel_edit", args=[telegram.pk]), {
        "name": "تلگرام", "name_en": "Telegram", "key": "telegram", "icon": "social", "cost_per_contact": "0",
        "order": "200",
    })  # fmt: skip
    assert edited.status_code == 302
    telegram.refresh_from_db()
    assert telegram.is_active is False
