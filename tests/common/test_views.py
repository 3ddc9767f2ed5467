"""The shell's own pages: the home dashboard, global search and the error pages, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path

from peyvand.accounts.models import User
from tests.accounts.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_shows_the_account_panel_in_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: object
) -> None:
    user = UserFactory(first_name="Sara", roles=[RoleFactory(name="Sales representative")])
    client.force_login(user)

    # 8, and the "Waiting for you" panel's approvals to decide and hand-offs received (2)
    with django_assert_num_queries(10):  # type: ignore[operator]
        response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Welcome, Sara" in body
    assert "Sales representative" in body
    assert "Your organisation" not in body  # administrators only


def test_home_shows_administrators_the_organisation_panel(admin_client: Client) -> None:
    UserFactory(is_active=False)

    response = admin_client.get("/")

    body = response.content.decode()
    assert "Your organisation" in body
    panels = {panel["template"]: panel["data"] for panel in response.context["panels"]}
    assert panels["accounts/panels/organisation.html"]["inactive_users"] == 1


def test_persian_user_gets_a_right_to_left_page(client: Client) -> None:
    client.force_login(UserFactory(language=User.Language.PERSIAN))

    response = client.get("/")

    assert '<html lang="fa" dir="rtl"' in response.content.decode()


def test_english_user_gets_a_left_to_right_page(client: Client) -> None:
    client.force_login(UserFactory(language=User.Language.ENGLISH))

    response = client.get("/")

    assert '<html lang="en" dir="ltr"' in response.content.decode()


def test_theme_preference_is_applied(client: Client) -> None:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(theme=User.Theme.DARK)
    client.force_login(User.objects.get(pk=user.pk))

    response = client.get("/")

    assert 'data-theme="dark"' in response.content.decode()


def test_search_finds_users_for_those_who_may_see_them(admin_client: Client) -> None:
    UserFactory(username="negar", first_name="نگار", last_name="احمدی")

    response = admin_client.get("/search/", {"q": "نگار"})

    assert [result.title for result in response.context["results"]] == ["نگار احمدی"]


def test_search_written_with_arabic_letters_finds_persian_names(admin_client: Client) -> None:
    UserFactory(username="ali", first_name="علی", last_name="کریمی")

    response = admin_client.get("/search/", {"q": "علي"})

    assert [result.title for result in response.context["results"]] == ["علی کریمی"]


def test_search_shows_nothing_to_users_without_access(client: Client) -> None:
    UserFactory(username="negar", first_name="نگار")
    client.force_login(UserFactory(roles=[RoleFactory()]))

    response = client.get("/search/", {"q": "نگار"})

    assert response.context["results"] == []
    assert "Nothing found" in response.content.decode()


def test_search_needs_two_characters(admin_client: Client) -> None:
    response = admin_client.get("/search/", {"q": "a"})

    assert response.context["results"] == []


def test_missing_page_is_a_friendly_404_in_persian(client: Client) -> None:
    client.force_login(UserFactory(language=User.Language.PERSIAN))

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response.templates[0].name == "common/error.html"
    assert '<html lang="fa" dir="rtl"' in response.content.decode()


def test_missing_page_for_an_anonymous_visitor_offers_the_login(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert 'href="/accounts/login/"' in response.content.decode()


def _boom(request: object) -> None:
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]
handler500 = "django.views.defaults.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_says_nothing_was_half_saved() -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/boom/", headers={"accept-language": "en"})

    assert response.status_code == 500
    assert "Nothing you entered was half-saved" in response.content.decode()
