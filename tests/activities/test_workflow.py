"""Internal workflow: handing a customer or an activity to a colleague, asking for an approval and
deciding it, notes with @mentions; each on the record's history, the audit trail and the bell."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from peyvand.accounts.models import AuditEvent, Notification, User
from peyvand.activities.models import ActivityAssignee, ActivityParticipant
from peyvand.activities.workflow import services
from peyvand.activities.workflow.models import ActivityNote, ApprovalRequest, Handoff
from peyvand.contacts.services.privacy import party_erase
from peyvand.timeline.selectors import party_timeline
from tests.accounts.factories import RoleFactory, TeamFactory, UserFactory
from tests.activities.factories import TaskFactory
from tests.contacts.factories import PersonFactory

pytestmark = pytest.mark.django_db

EVERYTHING = ("view", "create", "edit", "delete", "export")


def _person_role(scope: int, name: str = "") -> Any:
    grants = {(module, action): scope for module in ("persons", "companies", "leads", "activities", "interactions")
              for action in EVERYTHING}  # fmt: skip
    return RoleFactory(name=name or f"scope {scope}", grants=grants)


@pytest.fixture
def office() -> dict[str, Any]:
    """Sara and Reza sell in Tehran with the OWN scope; Maryam manages them (ALL); Kian is in Isfahan."""
    tehran, isfahan = TeamFactory(name="Tehran"), TeamFactory(name="Isfahan")
    rep, manager = _person_role(1, "Sales rep"), _person_role(3, "Sales manager")
    return {
        "sara": UserFactory(username="sara", roles=[rep], teams=[tehran], first_name="Sara", last_name="Ahmadi"),
        "reza": UserFactory(username="reza", roles=[rep], teams=[tehran], first_name="Reza", last_name="Nikoo"),
        "kian": UserFactory(username="kian", roles=[rep], teams=[isfahan]),
        "maryam": UserFactory(username="maryam", roles=[manager], teams=[tehran], first_name="Maryam"),
        "manager_role": manager, "tehran": tehran,
    }  # fmt: skip


def _customer(owner: User, team: Any, name: str = "Parsa") -> Any:
    return PersonFactory(first_name=name, last_name="Karimi", owner=owner, team=team)


# Hand-offs ---------------------------------------------------------------------------------------
def test_handing_a_customer_to_a_teammate_makes_them_its_owner_tells_them_and_is_on_its_timeline(office: Any) -> None:
    sara, reza = office["sara"], office["reza"]
    customer = _customer(sara, office["tehran"])

    handoff, told = services.handoff_create(actor=sara, record_type="contacts.party", record_id=customer.pk,
                                            to_user=reza, note="Wants a quote by Sunday; ask @maryam about price.")  # fmt: skip

    customer.refresh_from_db()
    assert customer.owner == reza
    assert (handoff.from_user, handoff.to_user, handoff.party) == (sara, reza, customer)
    note = Notification.objects.get(recipient=reza, kind="handoff")
    assert "Sara Ahmadi" in note.title
    assert note.url == reverse("contacts:party_detail", args=[customer.pk])
    # Maryam, mentioned, may see every customer: she is told too
    assert [user.username for user in told.told] == ["maryam"]
    assert Notification.objects.filter(recipient=office["maryam"], kind="mention").count() == 1
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.HANDOFF)
    assert (event.object_type, event.object_id, event.actor) == ("contacts.party", str(customer.pk), sara)
    assert event.changes["handed_to"] == ["Sara Ahmadi", "Reza Nikoo"]
    # The customer's timeline, read by Reza (now its owner), shows the hand-off with its note
    entries = party_timeline(actor=reza, party=customer).entries
    kinds = [entry.event.kind for entry in entries if entry.event is not None]
    assert AuditEvent.Kind.HANDOFF in kinds


def test_a_hand_off_to_someone_outside_ones_teams_or_to_oneself_is_refused_and_changes_nothing(office: Any) -> None:
    sara = office["sara"]
    customer = _customer(sara, office["tehran"])

    for to_user, field in ((office["kian"], "to_user"), (sara, "to_user")):
        with pytest.raises(ValidationError) as refused:
            services.handoff_create(actor=sara, record_type="contacts.party", record_id=customer.pk, to_user=to_user)
        assert field in refused.value.message_dict

    customer.refresh_from_db()
    assert customer.owner == sara
    assert not Handoff.objects.exists()
    assert not Notification.objects.filter(kind="handoff").exists()


def test_a_customer_one_may_not_edit_cannot_be_handed_on(office: Any) -> None:
    customer = _customer(office["reza"], office["tehran"])
    with pytest.raises(Http404):  # Sara (OWN) does not see Reza's customer at all
        services.handoff_create(actor=office["sara"], record_type="contacts.party", record_id=customer.pk,
                                to_user=office["maryam"])  # fmt: skip


def test_handing_an_activity_on_gives_it_to_the_colleague_and_keeps_the_giver_following_it(office: Any) -> None:
    sara, reza = office["sara"], office["reza"]
    task = TaskFactory(actor=sara, owner=sara, team=office["tehran"], assignees=[sara], subject="Send the quote")

    services.handoff_create(actor=sara, record_type="activities.activity", record_id=task.pk, to_user=reza,
                            note="I am on leave tomorrow")  # fmt: skip

    task.refresh_from_db()
    assert task.owner == reza
    assignees = set(
        ActivityAssignee.objects.filter(activity=task, is_assignee=True).values_list("user__username", flat=True)
    )
    assert assignees == {"reza"}
    assert ActivityParticipant.objects.filter(activity=task, user=sara).exists()  # still on it, to follow it
    # Reza is told once, by the hand-off (not again as a new assignee)
    assert list(Notification.objects.filter(recipient=reza).values_list("kind", flat=True)) == ["handoff"]


# Approvals ---------------------------------------------------------------------------------------
def test_an_approval_asked_of_a_role_reaches_its_holders_and_the_decision_comes_back(office: Any) -> None:
    sara, maryam = office["sara"], office["maryam"]
    customer = _customer(sara, office["tehran"])

    approval, _told = services.approval_request_create(
        actor=sara, record_type="contacts.party", record_id=customer.pk, subject="12% discount",
        details="They order 40 licences", approver_role=office["manager_role"],
    )  # fmt: skip

    assert approval.status == ApprovalRequest.Status.PENDING
    asked = Notification.objects.get(recipient=maryam, kind="approval_request")
    assert "12% discount" in asked.title
    assert asked.url == reverse("workflow:approval_detail", args=[approval.pk])

    services.approval_decide(actor=maryam, approval=approval, approve=True, comment="Only this quarter")

    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.comment) == ("approved", maryam, "Only this quarter")
    decided = Notification.objects.get(recipient=sara, kind="approval_decision")
    assert "approved" in decided.title
    kinds = list(AuditEvent.objects.filter(object_type="contacts.party", object_id=str(customer.pk))
                 .order_by("pk").values_list("kind", flat=True))  # fmt: skip
    assert kinds[-2:] == [AuditEvent.Kind.APPROVAL_REQUESTED, AuditEvent.Kind.APPROVAL_APPROVED]


def test_a_rejection_needs_a_reason_and_a_request_is_decided_once(office: Any) -> None:
    sara, maryam = office["sara"], office["maryam"]
    customer = _customer(sara, office["tehran"])
    approval, _told = services.approval_request_create(actor=sara, record_type="contacts.party",
                                                       record_id=customer.pk, subject="Free delivery",
                                                       approver=maryam)  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        services.approval_decide(actor=maryam, approval=approval, approve=False, comment="  ")
    assert "comment" in refused.value.message_dict
    approval.refresh_from_db()
    assert approval.is_pending

    services.approval_decide(actor=maryam, approval=approval, approve=False, comment="Not for this size")
    with pytest.raises(ValidationError):  # decided: nobody may decide it again
        services.approval_decide(actor=maryam, approval=ApprovalRequest.objects.get(pk=approval.pk), approve=True)
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "rejected"


def test_one_may_not_approve_ones_own_request_nor_ask_someone_who_cannot_see_the_record(office: Any) -> None:
    sara = office["sara"]
    customer = _customer(sara, office["tehran"])

    with pytest.raises(ValidationError) as refused:
        services.approval_request_create(actor=sara, record_type="contacts.party", record_id=customer.pk,
                                         subject="Discount", approver=sara)  # fmt: skip
    assert "approver" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # Reza (OWN) does not see Sara's customer
        services.approval_request_create(actor=sara, record_type="contacts.party", record_id=customer.pk,
                                         subject="Discount", approver=office["reza"])  # fmt: skip
    assert "may not see" in refused.value.message_dict["approver"][0]
    approval, _told = services.approval_request_create(actor=sara, record_type="contacts.party",
                                                       record_id=customer.pk, subject="Discount",
                                                       approver=office["maryam"])  # fmt: skip
    with pytest.raises(ValidationError):
        services.approval_decide(actor=sara, approval=approval, approve=True)
    assert ApprovalRequest.objects.get().is_pending


def test_only_whoever_asked_withdraws_a_waiting_request(office: Any) -> None:
    sara, maryam = office["sara"], office["maryam"]
    customer = _customer(sara, office["tehran"])
    approval, _told = services.approval_request_create(actor=sara, record_type="contacts.party",
                                                       record_id=customer.pk, subject="Discount", approver=maryam)  # fmt: skip
    with pytest.raises(ValidationError):
        services.approval_withdraw(actor=maryam, approval=approval)
    services.approval_withdraw(actor=sara, approval=approval)
    assert ApprovalRequest.objects.get().status == "withdrawn"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.APPROVAL_CANCELLED, object_id=str(customer.pk)).exists()


# Notes and mentions ------------------------------------------------------------------------------
def test_a_note_on_an_activity_tells_those_it_mentions_who_may_see_it_and_names_the_others(office: Any) -> None:
    sara = office["sara"]
    task = TaskFactory(actor=sara, owner=sara, team=office["tehran"], assignees=[sara])

    note, told = services.activity_note_add(actor=sara, activity=task,
                                            text="@Maryam please check; @kian FYI; me: @sara; mail a@reza.ir")  # fmt: skip

    assert ActivityNote.objects.get() == note
    assert [user.username for user in told.told] == ["maryam"]  # case does not matter
    assert [user.username for user in told.not_told] == ["kian"]  # Kian (OWN, Isfahan) may not see it
    assert Notification.objects.filter(kind="mention").count() == 1  # not Sara herself, not the email's "reza"
    mention = Notification.objects.get(kind="mention")
    assert mention.recipient == office["maryam"]
    assert mention.url == reverse("activities:activity_detail", args=[task.pk])


def test_an_empty_note_is_refused(office: Any) -> None:
    task = TaskFactory(actor=office["sara"], owner=office["sara"], assignees=[office["sara"]])
    with pytest.raises(ValidationError):
        services.activity_note_add(actor=office["sara"], activity=task, text="   ")
    assert not ActivityNote.objects.exists()


def test_a_timeline_note_that_mentions_a_colleague_tells_them_once(office: Any) -> None:
    from peyvand.timeline import services as timeline_services
    from tests.timeline.factories import channel

    sara, maryam = office["sara"], office["maryam"]
    customer = _customer(sara, office["tehran"])
    interaction = timeline_services.interaction_log(
        actor=sara, party=customer, channel=channel("phone"), kind="note", direction="internal",
        occurred_at=customer.created_at, subject="Price", content="@maryam can we go lower?",
    )  # fmt: skip
    assert Notification.objects.filter(recipient=maryam, kind="mention").count() == 1

    # Editing the note without a new mention tells nobody again
    timeline_services.interaction_update(actor=sara, interaction=interaction, content="@maryam can we go 5% lower?")
    assert Notification.objects.filter(recipient=maryam, kind="mention").count() == 1


def test_an_erasure_cuts_the_persons_name_out_of_hand_offs_requests_and_notes(office: Any) -> None:
    sara, maryam = office["sara"], office["maryam"]
    customer = _customer(sara, office["tehran"], name="Golnaz")
    other = _customer(sara, office["tehran"], name="Omid")
    task = TaskFactory(actor=sara, owner=sara, team=office["tehran"], assignees=[sara])
    services.activity_note_add(actor=sara, activity=task, text="Golnaz Karimi called about it")
    services.approval_request_create(actor=sara, record_type="contacts.party", record_id=other.pk,
                                     subject="Discount like Golnaz Karimi got", approver=maryam)  # fmt: skip

    party_erase(actor=maryam, party=customer, reason="Asked by the person")

    assert "Golnaz" not in ActivityNote.objects.get().text
    assert "Golnaz" not in ApprovalRequest.objects.get().subject


# Pages -------------------------------------------------------------------------------------------
def _login(client: Any, user: User) -> None:
    client.force_login(user)


def test_the_approver_approves_from_the_page_and_the_requester_sees_the_decision(client: Any, office: Any) -> None:
    sara, maryam = office["sara"], office["maryam"]
    customer = _customer(sara, office["tehran"])
    _login(client, sara)
    response = client.post(f"{reverse('workflow:approval_create')}?type=contacts.party&id={customer.pk}",
                           {"subject": "10% off", "details": "", "approver": maryam.pk})  # fmt: skip
    approval = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:approval_detail", args=[approval.pk])

    _login(client, maryam)
    page = client.get(reverse("workflow:approval_list"))
    assert "10% off" in page.content.decode()
    response = client.post(
        reverse("workflow:approval_decide", args=[approval.pk]), {"decision": "reject", "comment": ""}
    )
    assert response.status_code == 422
    assert "Say why you reject it." in response.content.decode()
    response = client.post(reverse("workflow:approval_decide", args=[approval.pk]),
                           {"decision": "approve", "comment": "Fine"})  # fmt: skip
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().status == "approved"


def test_asking_without_an_approver_shows_the_error_and_keeps_what_was_typed(client: Any, office: Any) -> None:
    customer = _customer(office["sara"], office["tehran"])
    _login(client, office["sara"])
    response = client.post(f"{reverse('workflow:approval_create')}?type=contacts.party&id={customer.pk}",
                           {"subject": "Longer payment terms", "details": "60 days"})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose either a person or a role to approve it." in body
    assert "Longer payment terms" in body
    assert not ApprovalRequest.objects.exists()


def test_an_unknown_record_type_is_missing(client: Any, office: Any) -> None:
    _login(client, office["sara"])
    assert client.get(f"{reverse('workflow:approval_create')}?type=sales.deal&id=1").status_code == 404
    assert client.get(f"{reverse('workflow:handoff_create')}?type=contacts.party&id=x").status_code == 404


def test_the_hand_off_page_offers_only_teammates_and_hands_over(client: Any, office: Any) -> None:
    sara, reza = office["sara"], office["reza"]
    customer = _customer(sara, office["tehran"])
    _login(client, sara)
    url = f"{reverse('workflow:handoff_create')}?type=contacts.party&id={customer.pk}"
    body = client.get(url).content.decode()
    assert "reza" in body
    assert "kian" not in body
    response = client.post(url, {"to_user": reza.pk, "note": "All yours"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.owner == reza


def test_a_note_posted_with_htmx_comes_back_in_the_notes(client: Any, office: Any) -> None:
    sara = office["sara"]
    task = TaskFactory(actor=sara, owner=sara, team=office["tehran"], assignees=[sara])
    _login(client, sara)
    response = client.post(reverse("workflow:activity_note_create", args=[task.pk]), {"text": "Called, no answer @reza"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="mention"' in body
    assert "Called, no answer" in body
    response = client.post(reverse("workflow:activity_note_create", args=[task.pk]), {"text": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_the_approvals_list_and_an_activitys_page_cost_the_same_queries_however_many_rows(
    client: Any, office: Any, django_assert_num_queries: Any
) -> None:
    sara, maryam = office["sara"], office["maryam"]
    task = TaskFactory(actor=sara, owner=sara, team=office["tehran"], assignees=[sara])

    def add(count: int) -> None:
        for number in range(count):
            customer = _customer(sara, office["tehran"], name=f"C{number}")
            services.approval_request_create(actor=sara, record_type="contacts.party", record_id=customer.pk,
                                             subject=f"Discount {number}", approver=maryam)  # fmt: skip
            services.approval_request_create(actor=sara, record_type="activities.activity", record_id=task.pk,
                                             subject=f"Overtime {number}", approver=maryam)  # fmt: skip
            services.activity_note_add(actor=sara, activity=task, text=f"note {number}")

    add(1)
    _login(client, maryam)
    client.get(reverse("workflow:approval_list"))  # warm the content types
    with django_assert_num_queries(7) as first:
        client.get(reverse("workflow:approval_list"))
    add(4)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("workflow:approval_list"))
    detail = reverse("activities:activity_detail", args=[task.pk])
    client.get(detail)
    with django_assert_num_queries(14) as page:
        client.get(detail)
    add(3)
    with django_assert_num_queries(len(page.captured_queries)):
        client.get(detail)


# Demo --------------------------------------------------------------------------------------------
def test_the_demo_leaves_approvals_waiting_for_the_manager_and_a_hand_off_to_a_rep() -> None:
    from peyvand.accounts.demo import build_demo_organisation
    from peyvand.activities.workflow.demo import build_demo_workflow

    build_demo_organisation()
    users = {user.username: user for user in User.objects.all()}
    for owner in ("rep", "rep", "rep2", "rep2"):
        PersonFactory(owner=users[owner], team=users[owner].teams.first())

    assert build_demo_workflow() == 4

    waiting = ApprovalRequest.objects.filter(approver=users["manager"], status="pending")
    assert waiting.count() == 2
    assert ApprovalRequest.objects.filter(status="approved").count() == 1
    assert Handoff.objects.get().to_user == users["rep"]
    assert Notification.objects.filter(recipient=users["manager"], kind="mention").exists()


def test_typing_an_at_sign_offers_active_colleagues_by_username_or_name(client: Any, office: Any) -> None:
    UserFactory(username="rezvan", first_name="رضوان", is_active=False)
    _login(client, office["sara"])
    url = reverse("accounts:mention_users")

    def offered(text: str) -> list[str]:
        return [user["username"] for user in client.get(url, {"q": text}).json()["users"]]

    assert offered("re") == ["reza"]  # not the inactive Rezvan
    assert offered("@MAR") == ["maryam"]
    assert offered("Nikoo") == ["reza"]  # by name too
    assert offered("") == []


# Snoozing one's reminder from the activity's page -------------------------------------------------
def test_snoozing_from_the_page_moves_ones_own_reminder_and_says_when(client: Any, office: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from peyvand.activities.models import Reminder

    sara = office["sara"]
    task = TaskFactory(actor=sara, owner=sara, assignees=[sara], reminder_minutes=30,
                       due_at=timezone.now() + dt.timedelta(minutes=20))  # fmt: skip
    _login(client, sara)
    page = client.get(reverse("activities:activity_detail", args=[task.pk])).content.decode()
    assert "Remind me again in" in page

    before = timezone.now()
    response = client.post(reverse("activities:reminder_snooze", args=[task.pk]), {"minutes": "60"}, follow=True)

    reminder = Reminder.objects.get(activity=task, user=sara)
    assert reminder.sent_at is None
    assert dt.timedelta(minutes=59) < reminder.remind_at - before < dt.timedelta(minutes=61)
    assert "You will be reminded again" in response.content.decode()
    refused = client.post(reverse("activities:reminder_snooze", args=[task.pk]), {"minutes": "x"}, follow=True)
    assert "Enter a number from 1 to" in refused.content.decode()


def test_my_page_lists_what_waits_for_the_approver_and_what_was_handed_to_them(client: Any, office: Any) -> None:
    sara, maryam = office["sara"], office["maryam"]
    customer = _customer(sara, office["tehran"])
    services.approval_request_create(actor=sara, record_type="contacts.party", record_id=customer.pk,
                                     subject="Longer payment terms", approver=maryam)  # fmt: skip
    task = TaskFactory(actor=maryam, owner=maryam, team=office["tehran"], assignees=[maryam], subject="Renewal call")
    services.handoff_create(actor=maryam, record_type="activities.activity", record_id=task.pk, to_user=sara,
                            note="Over to you")  # fmt: skip

    _login(client, maryam)
    page = client.get("/").content.decode()
    start = page.index('id="my-approvals"')
    assert "Longer payment terms" in page[start:]
    assert "Sara Ahmadi" in page[start : start + 2000]

    _login(client, sara)
    page = client.get("/").content.decode()
    handed = page[page.index('id="my-handoffs"') :]
    assert "Renewal call" in handed
    assert "Over to you" in handed
