"""The party form: fields by kind, owner and team by scope, sensitive and custom fields."""

from __future__ import annotations

from typing import Any

import pytest

from peyvand.accounts.permissions import Scope
from peyvand.contacts.forms import PartyEditor, PartyForm, split_tags
from peyvand.contacts.models import CustomField
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.contacts.factories import CustomFieldFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _user(scope: Scope, team: Any, *, sensitive: bool = False) -> Any:
    grants = {(module, action): scope for module in ("persons", "companies", "leads")
              for action in ("view", "create", "edit", "delete")}  # fmt: skip
    fields = [("persons", name) for name in ("national_id", "birth_date", "income_band")] if sensitive else ()
    return UserFactory(roles=[RoleFactory(grants=grants, sensitive_fields=fields)], teams=[team])


def test_each_kind_has_its_own_fields() -> None:
    actor = _user(Scope.ALL, TeamFactory())

    person = set(PartyForm(actor=actor, kind="person").fields)
    company = set(PartyForm(actor=actor, kind="company").fields)
    lead = set(PartyForm(actor=actor, kind="lead").fields)

    assert {"first_name", "gender", "education"} <= person
    assert "company_national_id" not in person
    assert {"name", "company_national_id", "economic_code", "size"} <= company
    assert "first_name" not in company
    assert {"company_name", "lead_status"} <= lead


def test_owners_and_teams_follow_the_scope() -> None:
    sales, other = TeamFactory(name="Sales"), TeamFactory(name="Other")
    own, team, everything = _user(Scope.OWN, sales), _user(Scope.TEAM, sales), _user(Scope.ALL, sales)
    outsider = UserFactory(username="outsider", teams=[other])

    def owners(actor: Any) -> set[str]:
        return set(PartyForm(actor=actor, kind="person").fields["owner"].queryset.values_list("username", flat=True))

    assert owners(own) == {own.username}
    assert outsider.username not in owners(team)
    assert {own.username, team.username} <= owners(team)
    assert outsider.username in owners(everything)
    assert list(PartyForm(actor=team, kind="person").fields["team"].queryset) == [sales]


def test_sensitive_fields_only_for_granted_roles_and_never_on_companies() -> None:
    sales = TeamFactory()
    granted = _user(Scope.ALL, sales, sensitive=True)

    assert {"national_id", "birth_date", "income_band"} <= set(PartyForm(actor=granted, kind="person").fields)
    assert "national_id" not in PartyForm(actor=_user(Scope.ALL, sales), kind="person").fields
    assert "national_id" not in PartyForm(actor=granted, kind="company").fields


@pytest.mark.parametrize(
    ("field_type", "form_class"),
    [(CustomField.Type.TEXT, "CharField"), (CustomField.Type.DATE, "LocalDateField"),
     (CustomField.Type.CHOICE, "ChoiceField"), (CustomField.Type.MULTIPLE_CHOICE, "MultipleChoiceField"),
     (CustomField.Type.YES_NO, "ChoiceField"), (CustomField.Type.MONEY, "CharField")],
)  # fmt: skip
def test_custom_fields_become_form_fields_with_their_labels(field_type: str, form_class: str) -> None:
    CustomFieldFactory(key="extra", label="اضافه", label_en="Extra", field_type=field_type,
                       choices=[{"value": "a", "label": "الف", "label_en": "A"}])  # fmt: skip

    field = PartyForm(actor=_user(Scope.ALL, TeamFactory()), kind="person").fields["custom_extra"]

    assert (type(field).__name__, field.label) == (form_class, "Extra")


def test_a_service_error_lands_on_its_field() -> None:
    sales = TeamFactory()
    actor = _user(Scope.ALL, sales, sensitive=True)
    editor = PartyEditor(actor=actor, kind="person", data={
        "last_name": "Karimi", "lifecycle_stage": "prospect", "owner": actor.pk, "national_id": "0499370898",
        "points-TOTAL_FORMS": "0", "points-INITIAL_FORMS": "0", "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
    })  # fmt: skip

    assert editor.is_valid()
    assert editor.save() is None
    assert editor.form.errors == {"national_id": ["This national ID's check digit does not match: please check it."]}


def test_an_edit_form_starts_from_the_record() -> None:
    sales = TeamFactory()
    actor = _user(Scope.ALL, sales)
    CustomFieldFactory(key="vip", field_type=CustomField.Type.YES_NO)
    person = PersonFactory(first_name="Sara", tags=["VIP", "Gold"], custom={"vip": "yes"}, team=sales)

    form = PartyForm(actor=actor, kind="person", party=person)

    assert (form.initial["first_name"], form.initial["team"], form.initial["custom_vip"]) == ("Sara", sales.pk, "yes")
    assert sorted(split_tags(form.initial["tags"])) == ["Gold", "VIP"]


def test_tags_split_on_latin_and_persian_commas() -> None:
    assert split_tags("VIP، طلایی ,  wholesale;;") == ["VIP", "طلایی", "wholesale"]
