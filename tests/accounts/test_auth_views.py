"""Logging in and out, the one-time code step, lockout, language, sessions and password reset."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResult
from django_tasks.signals import task_enqueued
from pytest_django.fixtures import Settings as SettingsWrapper

from peyvand.accounts import services
from peyvand.accounts.models import AuditEvent, LoginFailure, User
from tests.accounts.factories import DEFAULT_PASSWORD, RoleFactory, UserFactory, with_two_factor

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
CODE_URL = "/accounts/login/code/"
LOGOUT_URL = "/accounts/logout/"
ADDRESS = "198.51.100.7"
WRONG_CREDENTIALS = "The username or password is not correct."
LOCKED_OUT = "Too many failed attempts. For your safety, logging in is paused for a while"
NEW_PASSWORD = "a-brand-new-pass-phrase"


def _log_in(client: Client, username: str, password: str = DEFAULT_PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra}, REMOTE_ADDR=ADDRESS)


def _logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _is_logged_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def _age_failures(settings: SettingsWrapper) -> None:
    past = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
    LoginFailure.objects.update(at=past)


# The login page -------------------------------------------------------------------------------
def test_login_page_renders_in_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(0):
        response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert '<input type="text" name="username"' in response.content.decode()


def test_the_right_password_logs_in_and_audits_the_address(client: Client) -> None:
    user = UserFactory(username="sara")

    response = _log_in(client, "sara")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in_user_id(client) == str(user.pk)
    assert response.cookies["peyvand_language"].value == "en"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN)
    assert (event.actor_id, event.address, event.object_id) == (user.pk, ADDRESS, str(user.pk))


def test_a_wrong_password_is_refused_and_audited(client: Client) -> None:
    UserFactory(username="sara")

    response = _log_in(client, "sara", "not-the-password")

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.content.decode()
    assert _logged_in_user_id(client) is None
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert (event.actor_id, event.actor_label, event.address, event.changes) == (
        None, "sara", ADDRESS, {"reason": "password"},
    )  # fmt: skip
    assert LoginFailure.objects.filter(username="sara", address=ADDRESS).count() == 1


def test_an_unknown_username_reads_like_a_wrong_password(client: Client) -> None:
    response = _log_in(client, "nobody")

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, actor_label="nobody").count() == 1


def test_an_inactive_user_cannot_log_in(client: Client) -> None:
    UserFactory(username="sara", is_active=False)

    response = _log_in(client, "sara")

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.content.decode()
    assert _logged_in_user_id(client) is None


# Lockout --------------------------------------------------------------------------------------
def test_after_the_limit_the_right_password_is_refused(client: Client, settings: SettingsWrapper) -> None:
    # Given as many wrong passwords as the limit allows
    UserFactory(username="sara")
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        assert _log_in(client, "sara", "guess").status_code == 200

    # When the right password comes
    response = _log_in(client, "sara")

    # Then it is refused with 429 and a clear message, and the refusal is audited
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert _logged_in_user_id(client) is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).count() == 0
    locked = AuditEvent.objects.get(kind=AuditEvent.Kind.LOCKED_OUT)
    assert (locked.actor_label, locked.address) == ("sara", ADDRESS)


def test_the_address_limit_works_across_usernames(client: Client, settings: SettingsWrapper) -> None:
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    UserFactory(username="sara")
    for username in ("ali", "bahar", "cyrus"):
        _log_in(client, username, "guess")

    refused = _log_in(client, "sara")
    elsewhere = client.post(LOGIN_URL, {"username": "sara", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="192.0.2.50")

    assert refused.status_code == 429
    assert elsewhere.status_code == 302


def test_the_lock_lifts_when_the_window_passes(client: Client, settings: SettingsWrapper) -> None:
    user = UserFactory(username="sara")
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        _log_in(client, "sara", "guess")
    assert _log_in(client, "sara").status_code == 429

    _age_failures(settings)
    response = _log_in(client, "sara")

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)


def test_a_login_forgets_earlier_failures(client: Client, settings: SettingsWrapper) -> None:
    UserFactory(username="sara")
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT - 1):
        _log_in(client, "sara", "guess")

    assert _log_in(client, "sara").status_code == 302

    assert LoginFailure.objects.filter(username="sara").count() == 0


# Two-factor login -----------------------------------------------------------------------------
def test_with_two_factor_the_password_leads_to_the_code_step(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(username="sara")
    secret = with_two_factor(user)

    response = _log_in(client, "sara", next="/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"] == f"{CODE_URL}?next=%2Faccounts%2Fprofile%2F"
    assert _logged_in_user_id(client) is None
    with django_assert_max_num_queries(3):
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()

    done = client.post(CODE_URL, {"code": pyotp.TOTP(secret).now(), "next": "/accounts/profile/"}, REMOTE_ADDR=ADDRESS)

    assert done.status_code == 302
    assert done["Location"] == "/accounts/profile/"
    assert _logged_in_user_id(client) == str(user.pk)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN, actor=user, address=ADDRESS).count() == 1


def test_a_code_works_only_once(client: Client) -> None:
    # Given a user who logged in with the code their app shows now
    user = UserFactory(username="sara")
    secret = with_two_factor(user)
    code = pyotp.TOTP(secret).now()
    _log_in(client, "sara")
    assert client.post(CODE_URL, {"code": code}, REMOTE_ADDR=ADDRESS).status_code == 302
    client.post(LOGOUT_URL)

    # When someone who saw the code tries it again within its 30 seconds
    _log_in(client, "sara")
    response = client.post(CODE_URL, {"code": code}, REMOTE_ADDR=ADDRESS)

    # Then it is refused
    assert response.status_code == 200
    assert _logged_in_user_id(client) is None
    assert LoginFailure.objects.filter(username="sara").count() == 1


def test_a_wrong_code_counts_as_a_failure(client: Client) -> None:
    user = UserFactory(username="sara")
    secret = with_two_factor(user)
    _log_in(client, "sara")
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 500_000) % 1_000_000:06d}"

    response = client.post(CODE_URL, {"code": wrong}, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 200
    assert "This code is not correct, has expired or was already used." in response.content.decode()
    assert _logged_in_user_id(client) is None
    assert LoginFailure.objects.filter(username="sara").count() == 1
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.changes == {"reason": "one_time_code"}


def test_wrong_codes_lock_out_even_the_right_code(client: Client, settings: SettingsWrapper) -> None:
    user = UserFactory(username="sara")
    secret = with_two_factor(user)
    _log_in(client, "sara")
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        client.post(CODE_URL, {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})

    response = client.post(CODE_URL, {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_the_code_step_without_a_password_goes_back_to_login(client: Client) -> None:
    response = client.get(CODE_URL)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL


def test_a_password_change_between_the_steps_ends_the_half_done_login(client: Client) -> None:
    user = UserFactory(username="sara")
    secret = with_two_factor(user)
    _log_in(client, "sara")

    services.user_set_password(actor=None, user=user, password=NEW_PASSWORD)
    response = client.post(CODE_URL, {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert _logged_in_user_id(client) is None


def test_a_role_requiring_two_factor_sends_every_page_to_the_setup(client: Client) -> None:
    # Given a user whose role requires two-factor login, who has not set it up
    UserFactory(username="sara", roles=[RoleFactory(name="Cashiers", requires_two_factor=True)])
    assert _log_in(client, "sara").status_code == 302
    setup_url = reverse("accounts:two_factor_setup")

    # Then every other page sends them to the setup, which explains why
    for url in ("/", "/search/?q=ab", "/accounts/profile/", "/accounts/password/", "/accounts/tokens/"):
        response = client.get(url)
        assert (url, response.status_code, response["Location"]) == (url, 302, setup_url)
    page = client.get(setup_url)
    assert page.status_code == 200
    assert "A role of yours requires two-factor login." in page.content.decode()


def test_a_role_requiring_two_factor_lets_the_user_in_once_set_up(client: Client) -> None:
    user = UserFactory(username="sara", roles=[RoleFactory(requires_two_factor=True)])
    client.force_login(user)
    with_two_factor(user)

    assert client.get("/").status_code == 200


# Sessions -------------------------------------------------------------------------------------
def test_changing_a_users_roles_ends_their_session(client: Client, admin_user: User) -> None:
    user = UserFactory(username="sara")
    client.force_login(user)
    assert _is_logged_in(client)

    services.user_update(actor=admin_user, user=user, roles=[RoleFactory(name="Sales")])
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/"


def test_changing_a_users_name_keeps_their_session(client: Client, admin_user: User) -> None:
    user = UserFactory(username="sara")
    client.force_login(user)

    services.user_update(actor=admin_user, user=user, first_name="Sarah")

    assert _is_logged_in(client)


def test_logout_is_post_only_and_audited(client: Client) -> None:
    user = UserFactory(username="sara")
    client.force_login(user)

    refused = client.get("/accounts/logout/")
    assert refused.status_code == 405
    assert _is_logged_in(client)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGOUT).count() == 0

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert not _is_logged_in(client)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGOUT)
    assert (event.actor_id, event.object_id) == (user.pk, str(user.pk))


# Language -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("en", "ltr")])
def test_the_language_switch_is_kept_on_the_account(client: Client, language: str, direction: str) -> None:
    user = UserFactory(language="en" if language == "fa" else "fa")
    client.force_login(user)

    response = client.post("/accounts/language/", {"language": language, "next": "/accounts/profile/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.language == language
    page = client.get("/accounts/profile/")
    assert f'<html lang="{language}" dir="{direction}"' in page.content.decode()


def test_the_language_switch_works_before_logging_in(client: Client) -> None:
    client.post("/accounts/language/", {"language": "en", "next": LOGIN_URL})
    assert '<html lang="en" dir="ltr"' in client.get(LOGIN_URL).content.decode()

    client.post("/accounts/language/", {"language": "fa", "next": LOGIN_URL})
    assert '<html lang="fa" dir="rtl"' in client.get(LOGIN_URL).content.decode()


def test_an_unknown_language_changes_nothing(client: Client) -> None:
    user = UserFactory(language="en")
    client.force_login(user)

    response = client.post("/accounts/language/", {"language": "xx", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"


def test_the_language_switch_is_post_only(client: Client) -> None:
    assert client.get("/accounts/language/?language=en").status_code == 405


# Redirects after login ------------------------------------------------------------------------
def test_a_local_next_is_followed(client: Client) -> None:
    UserFactory(username="sara")

    response = _log_in(client, "sara", next="/accounts/tokens/")

    assert response["Location"] == "/accounts/tokens/"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example/x", "https://evil.example/accounts/"])
def test_an_outside_next_is_ignored(client: Client, target: str) -> None:
    UserFactory(username="sara")

    page = client.get(LOGIN_URL, {"next": target})
    response = _log_in(client, "sara", next=target)
    language = client.post("/accounts/language/", {"language": "en", "next": target})

    assert 'name="next" value="/"' in page.content.decode()
    assert response["Location"] == "/"
    assert language["Location"] == "/"


# Password reset -------------------------------------------------------------------------------
def test_password_reset_end_to_end(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    # Given a user logged in elsewhere who has forgotten their password
    user = UserFactory(username="sara", email="sara@example.com")
    elsewhere = Client()
    elsewhere.force_login(user)

    # When they ask for a link (the address typed in another case)
    with django_assert_max_num_queries(0):
        form_page = client.get("/accounts/password-reset/")
    assert form_page.status_code == 200
    enqueued: list[str] = []

    def note(sender: object, task_result: TaskResult, **kwargs: object) -> None:
        enqueued.append(task_result.task.name)

    task_enqueued.connect(note)
    try:
        asked = client.post("/accounts/password-reset/", {"email": "Sara@Example.com"})
    finally:
        task_enqueued.disconnect(note)

    # Then the queued task has sent one email with a link
    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/password-reset/sent/"
    sent_page = client.get(asked["Location"])
    assert "Check your email" in sent_page.content.decode()
    assert enqueued == ["send_email"]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sara@example.com"]
    assert email.subject == "Choose a new password for Peyvand"
    assert "Your username, in case you have forgotten it: sara" in email.body
    match = re.search(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)", email.body)
    assert match is not None

    # When they follow the link and choose a new password
    link = client.get(match.group(1))
    assert link.status_code == 302
    with django_assert_max_num_queries(4):
        form = client.get(link["Location"])
    assert "Choose a new password" in form.content.decode()
    saved = client.post(link["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # Then the password is set, the old sessions have ended and the reset is audited
    assert saved.status_code == 302
    assert saved["Location"] == "/accounts/password-reset/complete/"
    assert "Your password was set" in client.get(saved["Location"]).content.decode()
    assert not _is_logged_in(elsewhere)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET, object_id=str(user.pk)).count() == 1
    assert _log_in(client, "sara", NEW_PASSWORD).status_code == 302
    assert _log_in(Client(), "sara", DEFAULT_PASSWORD).status_code == 200

    # And the link does not work twice
    reused = client.get(match.group(1), follow=True)
    assert "This link does not work" in reused.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing(client: Client) -> None:
    UserFactory(username="sara", email="sara@example.com")

    response = client.post("/accounts/password-reset/", {"email": "someone@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_emails_are_limited_per_hour(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    # Given an allowance of two reset emails an hour
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 2
    UserFactory(username="sara", email="sara@example.com")

    # When someone asks three times for the same address
    answers = [client.post("/accounts/password-reset/", {"email": "sara@example.com"}) for _ in range(3)]

    # Then every answer reads the same, but only two emails go out
    assert [answer["Location"] for answer in answers] == ["/accounts/password-reset/sent/"] * 3
    assert len(mail.outbox) == 2


def test_password_reset_limit_per_address_covers_every_email(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 1
    UserFactory(username="sara", email="sara@example.com")
    UserFactory(username="reza", email="reza@example.com")
    UserFactory(username="mina", email="mina@example.com")

    client.post("/accounts/password-reset/", {"email": "sara@example.com"}, REMOTE_ADDR="10.1.1.1")
    client.post("/accounts/password-reset/", {"email": "reza@example.com"}, REMOTE_ADDR="10.1.1.1")
    client.post("/accounts/password-reset/", {"email": "mina@example.com"}, REMOTE_ADDR="10.1.1.2")

    assert [message.to for message in mail.outbox] == [["sara@example.com"], ["mina@example.com"]]


def test_the_reset_pages_work_for_a_logged_in_user_too(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.get("/accounts/password-reset/")

    assert response.status_code == 200
    assert "Enter the email address of your account." in response.content.decode()
    assert 'name="email"' in response.content.decode()


def test_a_broken_reset_link_says_so(client: Client) -> None:
    user = UserFactory()

    response = client.get(f"/accounts/password-reset/{user.pk}/not-a-token/")

    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()
    assert "Ask for a new link" in response.content.decode()


def test_a_reset_password_must_pass_the_validators(client: Client) -> None:
    UserFactory(username="sara", email="sara@example.com")
    client.post("/accounts/password-reset/", {"email": "sara@example.com"})
    match = re.search(r"http://testserver(\S+)", mail.outbox[0].body)
    assert match is not None
    form_url = client.get(match.group(1))["Location"]

    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    assert "This password is too short: it needs at least 10 characters." in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET).count() == 0
