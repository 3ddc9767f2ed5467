"""Regressions found in the review of the customer file: escaping, bad input, access, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.contacts.models import DuplicateCandidate, Party
from peyvand.contacts.services.parties import party_update
from peyvand.contacts.services.relationships import relationship_create
from peyvand.contacts.services.saved_views import saved_view_create
from tests.contacts.factories import (
    CompanyFactory,
    CustomFieldFactory,
    LeadFactory,
    PersonFactory,
    RelationshipTypeFactory,
)
from tests.timeline.factories import InteractionFactory

pytestmark = pytest.mark.django_db

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>alert(1)</script>'
PAYLOADS = (IMG, SCRIPT, "<script>", "onerror=alert(1)>")
HTMX = {"HX-Request": "true"}


def _assert_escaped(response: Any) -> None:
    assert response.status_code == 200, (response.status_code, response.request["PATH_INFO"])
    content = response.content.decode()
    for payload in PAYLOADS:
        assert payload not in content, (payload, response.request["PATH_INFO"])


# Escaping ------------------------------------------------------------------------------------------
def test_a_hostile_name_note_subject_and_content_are_escaped_on_every_page(
    admin_user: User, admin_client: Client
) -> None:
    # Given records whose every free text is a script
    person = PersonFactory(first_name=IMG, last_name="Karimi " + SCRIPT, phones=["0912 123 4567"], tags=[IMG],
                           occupation=SCRIPT, job_title=IMG)  # fmt: skip
    twin = PersonFactory(first_name=IMG, last_name="Karimi " + SCRIPT, phones=["0912 123 4567"])
    company = CompanyFactory(name="Karimi Co " + IMG)
    lead = LeadFactory(first_name=IMG, last_name="Karimi", company_name="Karimi Co " + SCRIPT)
    relationship_create(actor=None, from_party=person, to_party=company, type=RelationshipTypeFactory(), note=SCRIPT)
    party_update(actor=admin_user, party=person, fields={"description": IMG, "interests": SCRIPT})
    party_update(actor=admin_user, party=person, fields={"first_name": SCRIPT})
    interaction = InteractionFactory(party=person, subject=IMG, content=SCRIPT + "\n" + IMG)
    saved_view_create(actor=admin_user, kind=Party.Kind.PERSON, name=IMG, query="")
    CustomFieldFactory(kind=Party.Kind.PERSON, key="colour", label=IMG, label_en=IMG, help_text=IMG)
    first, second = sorted((person.pk, twin.pk))
    candidate, _created = DuplicateCandidate.objects.get_or_create(
        first_id=first, second_id=second, defaults={"kind": Party.Kind.PERSON, "reason": "phone"}
    )

    # When every page that shows them opens
    pages = [
        reverse("contacts:person_list"),
        reverse("contacts:company_list"),
        reverse("contacts:lead_list"),
        reverse("contacts:person_list") + "?name=Karimi",
        reverse("contacts:party_detail", args=[person.pk]),
        reverse("contacts:party_detail", args=[company.pk]),
        reverse("contacts:party_detail", args=[lead.pk]),
        reverse("contacts:party_edit", args=[person.pk]),
        reverse("contacts:party_delete", args=[person.pk]),
        reverse("contacts:relationship_create", args=[person.pk]) + "?q=Karimi",
        reverse("contacts:party_picker") + "?q=Karimi",
        reverse("contacts:duplicate_list"),
        reverse("contacts:duplicate_compare", args=[candidate.pk]),
        reverse("contacts:caller_id") + "?number=09121234567",
        reverse("contacts:lead_convert", args=[lead.pk]) + "?company_mode=existing&q=Karimi",
        reverse("contacts:party_erase", args=[person.pk]),
        reverse("contacts:tag_list"),
        reverse("search") + "?q=Karimi",
        reverse("timeline:party_timeline", args=[person.pk]),
        reverse("timeline:interaction_detail", args=[interaction.pk]),
        reverse("timeline:interaction_edit", args=[interaction.pk]),
        reverse("timeline:interaction_delete", args=[interaction.pk]),
    ]
    # Then none shows the scripts as markup
    for url in pages:
        _assert_escaped(admin_client.get(url))
    for url in (reverse("search") + "?q=Karimi", reverse("timeline:party_timeline", args=[person.pk]),
                reverse("contacts:party_picker") + "?q=Karimi"):  # fmt: skip
        _assert_escaped(admin_client.get(url, headers=HTMX))
    # And the search dropdown did find them (the test looked at results, not at an empty page)
    dropdown = admin_client.get(reverse("search") + "?q=Karimi", headers=HTMX).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in dropdown
    assert reverse("contacts:party_detail", args=[person.pk]) in dropdown
    # And the graph draws the company's name as text
    detail = admin_client.get(reverse("contacts:party_detail", args=[person.pk])).content.decode()
    assert "relationship-graph" in detail
    assert "Karimi Co &lt;img src=x" in detail
    # And the caller-ID page offered the two
    caller = admin_client.get(reverse("contacts:caller_id") + "?number=09121234567").content.decode()
    assert caller.count('class="caller-card"') == 2
    assert dt.date.today()  # the pages above rendered today's dates without error


# Bad input never crashes a page or an operation --------------------------------------------------
HUGE = "99999999999999999999999"
BAD_VALUES = ("abc", "", "-1", "0", "1.5", "99999999999999999999999", "1403/13/40", "۱۲۳", "a\x00b", "[]", "%")
QUERY_NAMES = (
    "q", "cursor", "sort", "exclude", "survivor", "number", "area_code", "kind", "view", "format", "channel",
    "owner", "team", "tag", "source", "category", "stage", "province", "created_from", "created_to",
    "last_contact_from", "cf_colour", "cf_amount_min", "cf_born_max", "company_mode", "company_id", "name",
    "name_op", "has_phone", "limit", "party_id", "owner_id", "since", "until", "include_changes", "kinds",
)  # fmt: skip


def _probe_world(admin_user: User) -> dict[str, Any]:
    from peyvand.contacts.models import Tag
    from peyvand.timeline.models import Channel
    from tests.contacts.factories import CustomFieldFactory as Field

    Field(kind=Party.Kind.PERSON, key="colour", field_type="choice", choices=[{"value": "red", "label": "قرمز"}])
    Field(kind=Party.Kind.PERSON, key="amount", field_type="money")
    Field(kind=Party.Kind.PERSON, key="born", field_type="date")
    person = PersonFactory(phones=["0912 123 4567"], tags=["VIP"], owner=admin_user)
    twin = PersonFactory(first_name=person.first_name, last_name=person.last_name, phones=["0912 123 4567"])
    company = CompanyFactory()
    lead = LeadFactory()
    relationship = relationship_create(actor=None, from_party=person, to_party=company, type=RelationshipTypeFactory())
    interaction = InteractionFactory(party=person)
    first, second = sorted((person.pk, twin.pk))
    candidate, _created = DuplicateCandidate.objects.get_or_create(
        first_id=first, second_id=second, defaults={"kind": Party.Kind.PERSON, "reason": "phone"}
    )
    view = saved_view_create(actor=admin_user, kind=Party.Kind.PERSON, name="Mine", query="")
    return {"person": person, "company": company, "lead": lead, "relationship": relationship,
            "interaction": interaction, "candidate": candidate, "view": view, "tag": Tag.objects.get(),
            "channel": Channel.objects.filter(is_active=True).first()}  # fmt: skip


def _page_urls(world: dict[str, Any]) -> list[str]:
    person, company, lead = world["person"].pk, world["company"].pk, world["lead"].pk
    return [
        reverse("contacts:person_list"), reverse("contacts:company_list"), reverse("contacts:lead_list"),
        reverse("contacts:party_export", args=["persons"]),
        reverse("contacts:party_create", args=["person"]), reverse("contacts:party_detail", args=[person]),
        reverse("contacts:party_edit", args=[person]), reverse("contacts:party_edit", args=[company]),
        reverse("contacts:party_delete", args=[lead]), reverse("contacts:relationship_create", args=[person]),
        reverse("contacts:party_picker"), reverse("contacts:duplicate_list"),
        reverse("contacts:duplicate_compare", args=[world["candidate"].pk]),
        reverse("contacts:lead_convert", args=[lead]), reverse("contacts:lead_convert", args=[person]),
        reverse("contacts:caller_id"), reverse("contacts:personal_data_export", args=[person]),
        reverse("contacts:party_erase", args=[person]), reverse("contacts:settings_home"),
        reverse("contacts:tag_list"), reverse("contacts:tag_edit", args=[world["tag"].pk]),
        reverse("contacts:tag_merge", args=[world["tag"].pk]), reverse("contacts:settings_list", args=["sources"]),
        reverse("search"),
        reverse("timeline:party_timeline", args=[person]), reverse("timeline:party_timeline", args=[company]),
        reverse("timeline:interaction_detail", args=[world["interaction"].pk]),
        reverse("timeline:interaction_edit", args=[world["interaction"].pk]),
        reverse("timeline:channel_list"), reverse("timeline:channel_create"),
        reverse("timeline:channel_edit", args=[world["channel"].pk]),
    ]  # fmt: skip


POST_URLS = (
    ("contacts:party_bulk", ["persons"]), ("contacts:saved_view_create", ["persons"]),
    ("contacts:relationship_create", "person"), ("contacts:duplicate_merge", "candidate"),
    ("contacts:lead_convert", "lead"), ("contacts:party_create", ["lead"]), ("contacts:party_edit", "person"),
    ("contacts:saved_view_rename", "view"), ("timeline:interaction_create", "person"),
    ("timeline:interaction_edit", "interaction"), ("contacts:tag_merge", "tag"), ("contacts:tag_edit", "tag"),
    ("contacts:settings_create", ["sources"]), ("timeline:channel_create", []),
)  # fmt: skip
POST_NAMES = (
    "ids", "action", "owner", "team", "tags", "query", "name", "next_query", "reading", "other", "note", "survivor",
    "field_first_name", "company_mode", "company_id", "create_person", "lifecycle_stage", "first_name", "last_name",
    "gender", "income_band", "birth_date", "national_id", "source", "category", "custom_colour", "custom_amount",
    "custom_born", "points-TOTAL_FORMS", "points-0-kind", "points-0-value", "addresses-TOTAL_FORMS",
    "addresses-0-province", "addresses-0-postal_code", "log-channel", "log-kind", "log-occurred_at", "channel",
    "kind", "occurred_at", "duration_seconds", "cost", "into", "label", "order", "add_row",
)  # fmt: skip


def _failures(client: Client, method: str, url: str, data: dict[str, Any]) -> list[str]:
    try:
        response = client.generic(method, url, data=data) if method != "GET" else client.get(url, data)
    except Exception as error:
        return [f"{method} {url} {data!r}: {type(error).__name__}: {error}"]
    if response.status_code >= 500:
        return [f"{method} {url} {data!r}: {response.status_code}"]
    return []


ID_NAMES = ("cursor", "exclude", "survivor", "view", "owner", "team", "tag", "source", "category", "company_id",
            "party_id", "owner_id", "ids", "other", "into", "field_first_name")  # fmt: skip


def test_no_page_crashes_on_bad_query_parameters(admin_user: User, admin_client: Client) -> None:
    # Given records of every kind and a page for each of them
    world = _probe_world(admin_user)
    failures: list[str] = []
    # When each page is asked with every parameter wrong at once, then with each id alone too large
    for url in _page_urls(world):
        for value in BAD_VALUES:
            failures += _failures(admin_client, "GET", url, dict.fromkeys(QUERY_NAMES, value))
        for name in set(ID_NAMES) & set(QUERY_NAMES):
            failures += _failures(admin_client, "GET", url, {name: HUGE})
    # Then none answers with a server error
    assert failures == [], "\n".join(failures)


def test_no_form_crashes_on_bad_posted_values(admin_user: User, admin_client: Client) -> None:
    from urllib.parse import urlencode

    # Given records of every kind and the forms that change them
    world = _probe_world(admin_user)
    failures: list[str] = []
    # When each form is posted every field wrong at once, then each id alone too large
    for name, args in POST_URLS:
        url = reverse(name, args=args if isinstance(args, list) else [world[args].pk])
        bodies = [dict.fromkeys(POST_NAMES, value) for value in ("abc", HUGE, "a\x00b", "1403/13/40", "۱۲۳")]
        bodies += [{field: HUGE} for field in set(ID_NAMES) & set(POST_NAMES)]
        for body in bodies:
            for action in ("assign", "tag", "delete") if "bulk" in url else ("",):
                data = urlencode({**body, "action": action, "confirmed": "1", "owner": body.get("owner", "none")})
                try:
                    response = admin_client.post(url, data, content_type="application/x-www-form-urlencoded")
                except Exception as error:
                    failures.append(f"POST {url} {body!r} {action}: {type(error).__name__}: {error}")
                    continue
                if response.status_code >= 500:
                    failures.append(f"POST {url} {body!r}: {response.status_code}")
        world = world if Party.objects.filter(pk=world["person"].pk).exists() else _probe_world(admin_user)
    # Then none answers with a server error
    assert failures == [], "\n".join(failures)


# Query counts do not grow with rows ---------------------------------------------------------------
def _count(client: Client, url: str, **extra: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _grow(admin_user: User, hub: Party, company: Party, size: int, start: int) -> None:
    from peyvand.contacts.models import Tag

    works_at = RelationshipTypeFactory()
    for index in range(start, size):
        other = PersonFactory(last_name=f"Karimi {index}", phones=[f"0912 000 {1000 + index}"],
                              emails=[f"k{index}@example.com"], tags=[f"tag {index}"], owner=admin_user)  # fmt: skip
        relationship_create(actor=None, from_party=other, to_party=company, type=works_at, note=f"note {index}")
        InteractionFactory(party=hub, subject=f"call {index}", owner=admin_user)
        PersonFactory(last_name=f"Twin {index}", phones=["0912 555 0000"])
        party_update(actor=admin_user, party=hub, fields={"occupation": f"job {index}"},
                     tags=[tag.name for tag in Tag.objects.all()[:index + 1]])  # fmt: skip
        first, second = sorted((other.pk, hub.pk))
        DuplicateCandidate.objects.get_or_create(first_id=first, second_id=second,
                                                 defaults={"kind": Party.Kind.PERSON, "reason": "name"})  # fmt: skip


def test_pages_and_api_lists_cost_the_same_with_more_rows(admin_user: User, admin_client: Client) -> None:
    # Given a customer, a company and a few related records; then more of them
    hub = PersonFactory(last_name="Karimi hub", phones=["0912 999 0000"], owner=admin_user)
    company = CompanyFactory(name="Karimi Co")
    urls = {
        "persons": reverse("contacts:person_list"),
        "companies": reverse("contacts:company_list"),
        "hub page": reverse("contacts:party_detail", args=[hub.pk]),
        "company page": reverse("contacts:party_detail", args=[company.pk]),
        "timeline": reverse("timeline:party_timeline", args=[hub.pk]),
        "duplicates": reverse("contacts:duplicate_list"),
        "picker": reverse("contacts:party_picker") + "?q=Karimi",
        "search": reverse("search") + "?q=Karimi",
        "caller id": reverse("contacts:caller_id") + "?number=09125550000",
        "api persons": "/api/v1/persons",
        "api hub": f"/api/v1/parties/{hub.pk}",
        "api company": f"/api/v1/parties/{company.pk}",
        "api timeline": f"/api/v1/parties/{hub.pk}/timeline",
        "api interactions": "/api/v1/interactions",
        "api search": "/api/v1/search?q=Karimi",
        "api caller id": "/api/v1/caller-id?number=09125550000",
        "api duplicates": "/api/v1/duplicates?kind=person",
    }
    _grow(admin_user, hub, company, 2, 0)
    small = {name: _count(admin_client, url) for name, url in urls.items()}
    # When there are three times as many rows
    _grow(admin_user, hub, company, 6, 2)
    large = {name: _count(admin_client, url) for name, url in urls.items()}
    # Then every page and list costs what it cost before
    assert large == small


API_GETS = [
    f"/api/v1/persons?tag={HUGE}", f"/api/v1/persons?team={HUGE}&source={HUGE}&category={HUGE}",
    "/api/v1/persons?owner=abc&tag=abc&created_from=1403/13/40", "/api/v1/persons?cursor=abc&limit=abc",
    "/api/v1/persons?sort=bad&stage=bad&province=bad", "/api/v1/companies?name=a%00b&city=a%00b",
    f"/api/v1/leads/export?tag={HUGE}", "/api/v1/persons/export?format=pdf", f"/api/v1/parties/{HUGE}",
    "/api/v1/parties/abc", "/api/v1/search?q=a%00b", "/api/v1/search?q=%00%00&kinds=a%00b",
    "/api/v1/caller-id?number=a%00b&area_code=a%00b", "/api/v1/caller-id?number=%DB%B0%DB%B9%DB%B1%DB%B2",
    "/api/v1/saved-views?kind=a%00b", "/api/v1/custom-fields?kind=bad", "/api/v1/duplicates?kind=bad&cursor=a%00b",
    f"/api/v1/parties/{HUGE}/timeline",
]  # fmt: skip


@pytest.mark.parametrize("url", API_GETS)
def test_wrong_api_parameters_answer_without_a_server_error(admin_client: Client, url: str) -> None:
    PersonFactory(phones=["0912 123 4567"])
    response = admin_client.get(url)
    assert response.status_code in (200, 400, 404, 422), (response.status_code, response.content)


def test_a_huge_id_in_a_list_filter_is_a_field_error_on_the_page(admin_client: Client) -> None:
    # Given a person
    PersonFactory(last_name="Karimi")
    # When the list is filtered by a tag id no 64-bit id can be
    response = admin_client.get(reverse("contacts:person_list"), {"tag": HUGE})
    # Then the page shows the filter's error, and no rows
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Select a valid choice. {HUGE} is not one of the available choices." in content
    assert "Karimi" not in content


def test_a_huge_id_in_a_bulk_action_is_refused_and_changes_nothing(admin_user: User, admin_client: Client) -> None:
    # Given a person
    person = PersonFactory()
    # When a bulk delete names them and an id no record can have
    response = admin_client.post("/api/v1/parties/bulk", {"action": "delete", "ids": [person.pk, int(HUGE)]},
                                 content_type="application/json")  # fmt: skip
    # Then the impossible id is refused, the person deleted
    assert response.status_code == 200, response.content
    assert response.json() == {"changed": [person.pk], "unchanged": [], "refused": [int(HUGE)], "out_of_sight": []}
    page = admin_client.post(reverse("contacts:party_bulk", args=["persons"]),
                             {"action": "delete", "confirmed": "1", "ids": [HUGE]})  # fmt: skip
    assert page.status_code == 302


def test_a_null_character_in_a_relationship_is_a_field_error(admin_client: Client) -> None:
    person, company = PersonFactory(), CompanyFactory()
    RelationshipTypeFactory()
    url = f"/api/v1/parties/{person.pk}/relationships"
    for body in ({"type": "works\x00at", "to_party_id": company.pk}, {"type": "works_at", "to_party_id": company.pk,
                                                                        "note": "a\x00b"}):  # fmt: skip
        response = admin_client.post(url, body, content_type="application/json")
        assert response.status_code == 422, response.content
        assert response.json()["error"]["fields"][0]["message"] == "Null characters are not allowed."
    assert not person.relationships_from.exists()


def test_a_contact_point_of_an_unknown_kind_is_a_field_error(admin_client: Client) -> None:
    # When a lead is posted with a phone row whose kind is not one of the choices
    response = admin_client.post(reverse("contacts:party_create", args=["lead"]), {
        "last_name": "Moradi", "lifecycle_stage": "lead", "points-TOTAL_FORMS": "1", "points-INITIAL_FORMS": "0",
        "points-0-kind": "pigeon", "points-0-value": "0912 123 4567", "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
    })  # fmt: skip
    # Then the form comes back with the row's error, and nothing is created
    assert response.status_code == 422
    assert "Select a valid choice. pigeon is not one of the available choices." in response.content.decode()
    assert not Party.objects.exists()
