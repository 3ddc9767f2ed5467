"""party_list and party_page: what the actor may see, in every sort, page after page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.http import QueryDict

from peyvand.accounts.models import User
from peyvand.accounts.permissions import Scope
from peyvand.contacts.filters import parse_filters
from peyvand.contacts.models import Party
from peyvand.contacts.selectors.parties import SORTS, party_list, party_page, primary_point
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _user(scope: int, *modules: str, **kwargs: object) -> User:
    grants = {(module, "view"): scope for module in modules}
    return UserFactory(roles=[RoleFactory(grants=grants)], **kwargs)


def test_each_scope_narrows_the_list() -> None:
    # Given a branch with a sub-team, and records owned inside and outside it
    branch = TeamFactory(name="Tehran")
    desk = TeamFactory(name="Desk", parent=branch)
    other = TeamFactory(name="Isfahan")
    own = _user(Scope.OWN, "persons", teams=[branch])
    team = _user(Scope.TEAM, "persons", teams=[branch])
    everyone = _user(Scope.ALL, "persons")
    PersonFactory(first_name="Own", last_name="X", owner=own, team=branch)
    PersonFactory(first_name="Desk", last_name="X", team=desk)
    PersonFactory(first_name="Other", last_name="X", team=other)
    CompanyFactory(name="A company", owner=own)

    def names(actor: User) -> list[str]:
        return list(party_list(actor=actor, kind=Party.Kind.PERSON).values_list("name", flat=True))

    assert names(own) == ["Own X"]
    assert names(team) == ["Desk X", "Own X"]
    assert names(everyone) == ["Desk X", "Other X", "Own X"]
    assert list(party_list(actor=own, kind=Party.Kind.COMPANY)) == []  # no grant on companies


def test_filters_apply_inside_the_scope_only() -> None:
    own = _user(Scope.OWN, "leads")
    LeadFactory(first_name="Mine", last_name="X", owner=own, lead_status="contacted")
    LeadFactory(first_name="Theirs", last_name="X", lead_status="contacted")

    filters = parse_filters(Party.Kind.LEAD, QueryDict("lead_status=contacted"))

    assert [party.name for party in party_list(actor=own, kind=Party.Kind.LEAD, filters=filters)] == ["Mine X"]


@pytest.mark.parametrize("sort", list(SORTS))
def test_deep_pages_list_every_row_once_in_order(sort: str) -> None:
    # Given rows whose sort keys repeat (same name, same time), so the id must break the ties
    actor = _user(Scope.ALL, "persons")
    moments = [dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=index // 3) for index in range(23)]
    for index, moment in enumerate(moments):
        person = PersonFactory(first_name="Same" if index % 2 else "Other", last_name="Name")
        Party.objects.filter(pk=person.pk).update(created_at=moment, active_at=moments[-1 - index])
    expected = list(party_list(actor=actor, kind=Party.Kind.PERSON, sort=sort).values_list("pk", flat=True))

    # When the list is read five rows at a time to the end
    seen: list[int] = []
    cursor = None
    for _page_number in range(10):
        page = party_page(actor=actor, kind=Party.Kind.PERSON, sort=sort, cursor=cursor, limit=5)
        seen += [party.pk for party in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    # Then every row came once, in the sort's order
    assert len(expected) == 23
    assert seen == expected


def test_a_page_prefetches_what_the_row_shows(django_assert_num_queries: Callable) -> None:
    actor = _user(Scope.ALL, "persons")
    profile_owner = UserFactory(username="owner")
    for number in range(7):
        PersonFactory(first_name="P", last_name=str(number), owner=profile_owner, tags=["VIP", "B2B"],
                      phones=["0912 000 0000", "021 8888 0000"], emails=[f"p{number}@example.com"])  # fmt: skip
    from peyvand.accounts.access import profile_for

    profile_for(actor)

    # One query for the rows with owner and team, one for phones and emails, one for tags
    with django_assert_num_queries(3):
        page = party_page(actor=actor, kind=Party.Kind.PERSON, limit=5)
        rows = [(party.owner.username, primary_point(party, "phone").value, primary_point(party, "email").value,
                 sorted(tag.name for tag in party.list_tags)) for party in page.items]  # fmt: skip

    assert rows[0] == ("owner", "0912 000 0000", "p0@example.com", ["B2B", "VIP"])
    assert len(rows) == 5
