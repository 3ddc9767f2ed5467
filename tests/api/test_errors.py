"""Every error, whoever raises it, answers in the one format and leaks nothing."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError

from peyvand.accounts import api as accounts_api
from peyvand.accounts import services
from peyvand.accounts.models import Team, User
from tests.accounts.factories import UserFactory
from tests.api.helpers import BASE, ApiClient, create_token, error

pytestmark = pytest.mark.django_db

INVALID = "Some of the values sent are not valid."


@pytest.fixture
def api(admin_user: User) -> ApiClient:
    return ApiClient(token=create_token(admin_user))


def test_request_validation_names_each_input_by_its_dotted_path(api: ApiClient) -> None:
    count = User.objects.count()

    response = api.post("/users", {"username": 5, "roles": [1, "x"], "is_active": "maybe"})

    assert response.status_code == 422
    assert response.json() == error("validation_error", INVALID, [
        {"field": "username", "message": "Enter text."},
        {"field": "is_active", "message": "Enter true or false."},
        {"field": "roles.1", "message": "Enter a whole number."},
    ])  # fmt: skip
    assert User.objects.count() == count


def test_query_and_path_parameters_are_named_without_their_source(api: ApiClient) -> None:
    query = api.get("/users", {"limit": "many"})
    path = api.get("/users/abc")
    missing = api.post("/teams", {})

    assert query.json() == error("validation_error", INVALID, [{"field": "limit", "message": "Enter a whole number."}])
    assert path.json() == error("validation_error", INVALID, [{"field": "user_id", "message": "Enter a whole number."}])
    assert missing.json() == error(
        "validation_error", INVALID, [{"field": "name", "message": "This field is required."}]
    )


def test_a_missing_body_is_named_as_the_whole_body(api: ApiClient) -> None:
    response = api.post("/teams")

    assert response.json() == error("validation_error", INVALID, [{"field": "", "message": "This field is required."}])


def test_a_body_that_is_not_json_is_a_bad_request(api: ApiClient) -> None:
    response = api.client.post(f"{BASE}/teams", data="{not json", content_type="application/json",
                               headers=api.headers)  # fmt: skip

    assert (response.status_code, response.json()) == (400, error(
        "bad_request", "The request could not be read. Send a valid JSON body and well-formed parameters."
    ))  # fmt: skip


def test_a_validation_error_of_a_service_is_a_422_with_its_fields(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: object) -> None:
        raise ValidationError({"theme": ["Not in winter."], NON_FIELD_ERRORS: ["Preferences are frozen."]})

    monkeypatch.setattr(services, "user_update_preferences", refuse)

    response = api.patch("/me", {"theme": "dark"})

    assert (response.status_code, response.json()) == (422, error(
        "validation_error", "Preferences are frozen.", [{"field": "theme", "message": "Not in winter."}]
    ))  # fmt: skip


def test_a_validation_error_without_fields_keeps_its_message(api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kwargs: object) -> None:
        raise ValidationError("Preferences are frozen.")

    monkeypatch.setattr(services, "user_update_preferences", refuse)

    assert api.patch("/me", {"theme": "dark"}).json() == error("validation_error", "Preferences are frozen.")


def test_permission_denied_and_not_found(db: None) -> None:
    api = ApiClient(token=create_token(UserFactory()))

    denied, missing = api.get("/roles"), api.delete("/tokens/99999")

    assert (denied.status_code, denied.json()) == (
        403,
        error("permission_denied", "You do not have permission to do this."),
    )
    assert (missing.status_code, missing.json()) == (
        404,
        error("not_found", "This was not found, or it is out of your reach."),
    )


@pytest.mark.parametrize("path", ["/nothing-here", "/users/1/nothing", "/"])
def test_an_unknown_address_is_not_found_in_the_error_format(api: ApiClient, path: str) -> None:
    response = api.get(path)

    assert (response.status_code, response.json()) == (404, error("not_found", "This was not found, or it is out of your reach."))  # fmt: skip


def test_a_method_an_address_does_not_offer(api: ApiClient) -> None:
    response = api.send("PUT", "/me", {"theme": "dark"})

    assert (response.status_code, sorted(response["Allow"].split(", "))) == (405, ["GET", "PATCH"])
    assert response.json() == error("method_not_allowed", "This address does not accept this method.")


def test_a_unique_constraint_is_a_conflict(api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def collide(**kwargs: object) -> Team:
        raise IntegrityError("UNIQUE constraint failed: accounts_team.parent_id, accounts_team.name")

    monkeypatch.setattr(services, "team_create", collide)

    response = api.post("/teams", {"name": "Sales"})

    assert (response.status_code, response.json()) == (409, error(
        "conflict", "A record with these values already exists, or one it refers to is gone."
    ))  # fmt: skip


def test_an_unexpected_error_is_a_500_that_leaks_nothing(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(**kwargs: object) -> None:
        raise RuntimeError("password=hunter2 in /srv/peyvand/secret.py")

    monkeypatch.setattr(accounts_api.selectors, "role_list", explode)

    with caplog.at_level(logging.ERROR, logger="peyvand.api"):
        response = api.get("/roles")

    assert (response.status_code, response.json()) == (500, error(
        "server_error", "Something went wrong on the server. It has been logged; try again later."
    ))  # fmt: skip
    assert b"hunter2" not in response.content
    assert "hunter2" in caplog.text


@pytest.mark.parametrize("body", ["[]", '["dark"]', '"dark"', "5", "true", "null"])
def test_a_body_that_is_not_an_object_is_refused_as_a_whole(api: ApiClient, body: str) -> None:
    # Django Ninja's schemas once read any JSON value as an object whose fields all kept their defaults.
    response = api.client.patch(f"{BASE}/me", data=body, content_type="application/json", headers=api.headers)

    assert (response.status_code, response.json()) == (422, error(
        "validation_error", INVALID, [{"field": "", "message": "Enter an object."}]
    ))  # fmt: skip


def test_an_id_too_large_for_the_database_is_refused_before_any_query(api: ApiClient, admin_user: User) -> None:
    # 2**63 does not fit a BigAutoField; it used to reach the database and answer 500.
    too_large = {"field": "", "message": "Enter a number no greater than 9223372036854775807."}

    created = api.post("/users", {"username": "nima", "teams": [2**63]})
    changed = api.patch(f"/users/{admin_user.pk}", {"roles": [1, 2**63]})
    events = api.get("/audit", {"actor": 2**63})

    assert (created.status_code, created.json()) == (422, error("validation_error", INVALID, [{**too_large, "field": "teams.0"}]))  # fmt: skip
    assert (changed.status_code, changed.json()) == (422, error("validation_error", INVALID, [{**too_large, "field": "roles.1"}]))  # fmt: skip
    assert (events.status_code, events.json()) == (422, error("validation_error", INVALID, [{**too_large, "field": "actor"}]))  # fmt: skip
    assert not User.objects.filter(username="nima").exists()


def test_a_time_with_an_offset_the_database_cannot_store_is_compared_in_utc(admin_user: User) -> None:
    # PostgreSQL refuses offsets of 16 hours or more; ISO 8601 allows up to 24.
    response = ApiClient(token=create_token(admin_user)).get("/audit", {"since": "4895-03-02T20:30:00-16:20"})

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_time_outside_the_calendar_is_a_field_error(admin_user: User) -> None:
    response = ApiClient(token=create_token(admin_user)).get("/audit", {"until": "9999-12-31T23:00:00-10:00"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "until", "message": "This time is outside the calendar."}]
