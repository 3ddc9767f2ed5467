"""The lists' filters: parameters in, the matching rows out, and clear messages for bad values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.contacts.filters import parse_filters
from peyvand.contacts.models import CustomField, Party, Source
from peyvand.contacts.selectors.parties import party_list
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, CustomFieldFactory, LeadFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return UserFactory(username="boss", roles=[RoleFactory(is_administrator=True)])


def _names(actor: User, query: str, kind: str = Party.Kind.PERSON) -> list[str]:
    filters = parse_filters(kind, QueryDict(query))
    return list(party_list(actor=actor, kind=kind, filters=filters).values_list("name", flat=True))


def _errors(query: str, kind: str = Party.Kind.PERSON) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        parse_filters(kind, QueryDict(query))
    return caught.value.message_dict


def test_name_contains_whatever_letters_were_typed(admin: User) -> None:
    # Given names written with Persian and Arabic letters
    PersonFactory(first_name="علی", last_name="کریمی")
    PersonFactory(first_name="Sara", last_name="Tehrani")

    # When a user types the Arabic ي and ك
    names = _names(admin, "name=كريم")

    # Then the Persian spelling is found
    assert names == ["علی کریمی"]


def test_name_equals_matches_the_whole_name_only(admin: User) -> None:
    PersonFactory(first_name="Sara", last_name="Karimi")
    PersonFactory(first_name="Sara", last_name="Karimian")

    assert _names(admin, "name=sara+karimi&name_op=equals") == ["Sara Karimi"]
    assert _names(admin, "name=sara+karimi") == ["Sara Karimi", "Sara Karimian"]


def test_filters_combine(admin: User) -> None:
    # Given customers and prospects, some in Tehran, some with a phone
    source = Source.objects.create(name="نمایشگاه", name_en="Exhibition")
    tehran = [{"province": "tehran", "city": "تهران"}]
    PersonFactory(first_name="A", last_name="One", lifecycle_stage="customer", addresses=tehran,
                  phones=["09121234567"], source=source)  # fmt: skip
    PersonFactory(first_name="B", last_name="Two", lifecycle_stage="customer", addresses=tehran)
    PersonFactory(first_name="C", last_name="Three", lifecycle_stage="prospect", addresses=tehran,
                  phones=["09121234568"], source=source)  # fmt: skip
    PersonFactory(first_name="D", last_name="Four", lifecycle_stage="customer", phones=["09121234569"], source=source)

    # When every condition is asked at once
    names = _names(admin, f"stage=customer&province=tehran&has_phone=yes&source={source.pk}")

    # Then only the row meeting all of them is listed
    assert names == ["A One"]
    # and "any of" within one filter
    assert _names(admin, "stage=customer&stage=prospect&province=tehran&has_phone=yes") == ["A One", "C Three"]
    assert _names(admin, "has_phone=no") == ["B Two"]
    assert _names(admin, "city=%D8%AA%D9%87%D8%B1%D8%A7%D9%86&has_email=no&stage=prospect") == ["C Three"]


def test_owner_me_none_and_team(admin: User) -> None:
    team = TeamFactory(name="North")
    colleague = UserFactory(username="colleague")
    PersonFactory(first_name="Mine", last_name="X", owner=admin)
    PersonFactory(first_name="Theirs", last_name="X", owner=colleague, team=team)
    PersonFactory(first_name="Nobody's", last_name="X")

    assert _names(admin, "owner=me") == ["Mine X"]
    assert _names(admin, "owner=none") == ["Nobody's X"]
    assert _names(admin, f"owner=me&owner={colleague.pk}") == ["Mine X", "Theirs X"]
    assert _names(admin, f"team={team.pk}") == ["Theirs X"]


def test_tags_match_any_of(admin: User) -> None:
    PersonFactory(first_name="V", last_name="Ip", tags=["VIP"])
    PersonFactory(first_name="W", last_name="Holesale", tags=["wholesale", "VIP"])
    PersonFactory(first_name="N", last_name="One", tags=["new"])
    from peyvand.contacts.models import Tag

    vip, new = Tag.objects.get(name="VIP"), Tag.objects.get(name="new")

    assert _names(admin, f"tag={vip.pk}") == ["V Ip", "W Holesale"]
    assert _names(admin, f"tag={vip.pk}&tag={new.pk}") == ["N One", "V Ip", "W Holesale"]


def test_created_range_reads_jalali_and_gregorian_dates(admin: User) -> None:
    # Given one person created on 1403/01/15 (2024-04-03) and one a month later
    early, late = PersonFactory(first_name="Early", last_name="X"), PersonFactory(first_name="Late", last_name="X")
    tehran_noon = dt.datetime(2024, 4, 3, 12, tzinfo=dt.UTC)
    Party.objects.filter(pk=early.pk).update(created_at=tehran_noon)
    Party.objects.filter(pk=late.pk).update(created_at=tehran_noon + dt.timedelta(days=30))

    # When the range is typed in Jalali with Persian digits, or in Gregorian
    jalali = _names(admin, "created_from=۱۴۰۳/۰۱/۱۵&created_to=۱۴۰۳/۰۱/۱۵")
    gregorian = _names(admin, "created_from=2024-04-10")

    assert jalali == ["Early X"]
    assert gregorian == ["Late X"]


def test_last_contact_range(admin: User) -> None:
    contacted = PersonFactory(first_name="Called", last_name="X")
    PersonFactory(first_name="Never", last_name="X")
    Party.objects.filter(pk=contacted.pk).update(last_contact_at=timezone.now())

    assert _names(admin, f"last_contact_from={timezone.localdate().isoformat()}") == ["Called X"]


def _custom_people(kind: str, field_type: str, values: dict[str, Any], **field: Any) -> CustomField:
    custom = CustomFieldFactory(kind=Party.Kind.PERSON, key=kind, field_type=field_type, **field)
    for name, value in values.items():
        PersonFactory(first_name=name, last_name="X", custom={kind: value} if value is not None else {})
    return custom


def test_custom_text_and_link_contain(admin: User) -> None:
    _custom_people("hobby", CustomField.Type.TEXT, {"Reader": "کتاب‌خوانی", "Runner": "دو", "Blank": None})
    CustomFieldFactory(kind=Party.Kind.PERSON, key="site", field_type=CustomField.Type.LINK)
    PersonFactory(first_name="Linked", last_name="X", custom={"site": "shop.example.ir"})

    assert _names(admin, "cf_hobby=کتاب") == ["Reader X"]
    assert _names(admin, "cf_site=EXAMPLE.ir") == ["Linked X"]


def test_custom_number_and_money_ranges(admin: User) -> None:
    _custom_people("score", CustomField.Type.NUMBER, {"Low": "2.5", "Mid": "10", "High": "120", "Blank": None})
    CustomFieldFactory(kind=Party.Kind.PERSON, key="budget", field_type=CustomField.Type.MONEY)
    PersonFactory(first_name="Rich", last_name="X", custom={"budget": "5,000,000"})
    PersonFactory(first_name="Modest", last_name="X", custom={"budget": "900000"})

    # Numbers compare as numbers, not as text ("120" > "10" > "2.5")
    assert _names(admin, "cf_score_min=3") == ["High X", "Mid X"]
    assert _names(admin, "cf_score_min=۲&cf_score_max=10") == ["Low X", "Mid X"]
    assert _names(admin, "cf_budget_min=1٬000٬000") == ["Rich X"]


def test_custom_date_range(admin: User) -> None:
    _custom_people("renewal", CustomField.Type.DATE, {"Spring": "1403/01/20", "Autumn": "2024-10-01"})

    assert _names(admin, "cf_renewal_min=1403/01/01&cf_renewal_max=1403/02/31") == ["Spring X"]
    assert _names(admin, "cf_renewal_min=2024-06-01") == ["Autumn X"]


def test_custom_choice_and_multiple_choice(admin: User) -> None:
    choices = [{"value": "gold", "label": "طلایی", "label_en": "Gold"},
               {"value": "silver", "label": "نقره‌ای", "label_en": "Silver"},
               {"value": "bronze", "label": "برنزی", "label_en": "Bronze"}]  # fmt: skip
    _custom_people("level", CustomField.Type.CHOICE, {"G": "gold", "S": "silver"}, choices=choices)
    CustomFieldFactory(kind=Party.Kind.PERSON, key="medals", field_type=CustomField.Type.MULTIPLE_CHOICE,
                       choices=choices)  # fmt: skip
    PersonFactory(first_name="Both", last_name="X", custom={"medals": ["gold", "silver"]})
    PersonFactory(first_name="Bronze", last_name="X", custom={"medals": ["bronze"]})

    assert _names(admin, "cf_level=gold") == ["G X"]
    assert _names(admin, "cf_level=gold&cf_level=silver") == ["G X", "S X"]
    assert _names(admin, "cf_medals=silver") == ["Both X"]
    assert _names(admin, "cf_medals=silver&cf_medals=bronze") == ["Both X", "Bronze X"]


def test_custom_yes_no(admin: User) -> None:
    _custom_people("newsletter", CustomField.Type.YES_NO, {"Yes": True, "No": False, "Unknown": None})

    assert _names(admin, "cf_newsletter=yes") == ["Yes X"]
    assert _names(admin, "cf_newsletter=no") == ["No X"]


def test_filters_of_another_kind_do_not_apply(admin: User) -> None:
    CompanyFactory(name="Pars", size="10-49")
    LeadFactory(first_name="L", last_name="X", company_name="Kavir Tile", lead_status="contacted")

    assert _names(admin, "size=10-49", Party.Kind.COMPANY) == ["Pars"]
    assert _names(admin, "company_name=kavir&lead_status=contacted", Party.Kind.LEAD) == ["L X"]


def test_bad_values_get_a_message_per_field() -> None:
    CustomFieldFactory(kind=Party.Kind.PERSON, key="score", field_type=CustomField.Type.NUMBER)

    errors = _errors("stage=vip&created_from=1403/13/01&cf_score_min=many&has_phone=maybe&owner=99999")

    assert errors == {
        "stage": ["Select a valid choice. vip is not one of the available choices."],
        "created_from": ["This date does not exist in the calendar."],
        "cf_score_min": ["Enter a number."],
        "has_phone": ["Select a valid choice. maybe is not one of the available choices."],
        "owner": ["Select a valid choice. 99999 is not one of the available choices."],
    }


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    assert _errors("created_from=2024-05-01&created_to=2024-04-01") == {
        "created_to": ["This date is before the start of the range."]
    }


def test_parameters_used_are_kept_for_the_audit_trail() -> None:
    filters = parse_filters(Party.Kind.PERSON, QueryDict("stage=customer&stage=lead&name=&sort=-name&name_op=contains"))

    assert filters.params == {"stage": ["customer", "lead"]}
