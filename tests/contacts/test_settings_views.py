"""Customer settings: lists, custom fields with choices, tags; administrators only; audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.models import AuditEvent
from peyvand.contacts.models import Category, CustomField, Party, RelationshipType, Source, Tag
from tests.accounts.factories import UserFactory
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_defaults_are_there_in_both_languages() -> None:
    assert list(Source.objects.values_list("name_en", flat=True)) == [
        "Website", "Referral", "Exhibition", "Phone call", "Social media", "Walk-in", "Advertising",
    ]  # fmt: skip
    works_at = RelationshipType.objects.get(key="works_at")
    assert (works_at.name, works_at.inverse_name_en, works_at.from_kind, works_at.to_kind) == (
        "کار می‌کند در", "employs", "person", "company",
    )  # fmt: skip
    assert RelationshipType.objects.filter(is_symmetric=True).count() == 4


def test_only_administrators_reach_the_settings(client: Client) -> None:
    client.force_login(UserFactory())

    assert client.get(reverse("contacts:settings_home")).status_code == 403


def test_a_custom_field_with_choices_is_created_and_audited(admin_client: Client) -> None:
    response = admin_client.post(reverse("contacts:settings_create", args=["custom-fields"]), {
        "kind": "person", "key": "tier", "label": "سطح", "label_en": "Tier", "field_type": "choice",
        "choices_text": "gold | طلایی | Gold\nsilver | نقره‌ای", "order": "10", "is_active": "on",
    })  # fmt: skip

    field = CustomField.objects.get()
    assert response.status_code == 302
    assert field.choices == [{"value": "gold", "label": "طلایی", "label_en": "Gold"},
                             {"value": "silver", "label": "نقره‌ای", "label_en": ""}]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="contacts.customfield", kind="create").count() == 1


def test_a_choice_field_needs_choices_and_its_key_cannot_change(admin_client: Client) -> None:
    url = reverse("contacts:settings_create", args=["custom-fields"])
    response = admin_client.post(url, {"kind": "person", "key": "tier", "label": "سطح", "field_type": "choice",
                                       "order": "10"})  # fmt: skip
    assert response.status_code == 422
    assert "Give at least one choice." in response.content.decode()

    field = CustomField.objects.create(kind="person", key="size", label="اندازه")
    admin_client.post(reverse("contacts:settings_edit", args=["custom-fields", field.pk]),
                      {"kind": "company", "key": "renamed", "label": "اندازه‌ی جدید", "field_type": "text", "order": "5"})  # fmt: skip
    field.refresh_from_db()
    assert (field.key, field.kind, field.label) == ("size", "person", "اندازه‌ی جدید")


def test_deactivating_keeps_the_entry_and_audits(admin_client: Client) -> None:
    category = Category.objects.create(name="دولتی", name_en="Government")

    admin_client.post(reverse("contacts:settings_toggle", args=["categories", category.pk]), {"is_active": "0"})

    category.refresh_from_db()
    assert category.is_active is False
    assert AuditEvent.objects.get(object_type="contacts.category").changes == {"is_active": [True, False]}


def test_merging_tags_moves_their_records(admin_client: Client) -> None:
    first, second = PersonFactory(tags=["vip"]), PersonFactory(tags=["vip", "Gold"])
    vip, gold = Tag.objects.get(name="vip"), Tag.objects.get(name="Gold")

    response = admin_client.post(reverse("contacts:tag_merge", args=[vip.pk]), {"into": gold.pk})

    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Gold"]
    assert set(Party.objects.filter(tags=gold).values_list("pk", flat=True)) == {first.pk, second.pk}


def test_renaming_a_tag_to_another_tags_name_is_refused(admin_client: Client) -> None:
    PersonFactory(tags=["VIP", "Gold"])
    gold = Tag.objects.get(name="Gold")

    response = admin_client.post(reverse("contacts:tag_edit", args=[gold.pk]), {"name": "vip", "color": "#aa0000"})

    assert response.status_code == 422
    assert "Another tag already has this name; merge the two instead." in response.content.decode()
    assert Tag.objects.get(pk=gold.pk).name == "Gold"


def test_the_settings_appear_in_the_navigation_for_administrators(admin_client: Client) -> None:
    body = admin_client.get(reverse("home")).content.decode()

    assert f'href="{reverse("contacts:settings_home")}"' in body


def test_the_lists_cost_a_fixed_number_of_queries(admin_client: Client, django_assert_num_queries: object) -> None:
    for index in range(5):
        PersonFactory(tags=[f"tag {index}"])
    admin_client.get(reverse("contacts:tag_list"))

    with django_assert_num_queries(7):  # type: ignore[operator]
        assert admin_client.get(reverse("contacts:tag_list")).status_code == 200
