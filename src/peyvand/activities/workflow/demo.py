"""The demo's internal workflow: approval requests waiting for the sales manager and one already
decided, and a customer handed from one representative to the other with a note, in each user's
language. Everything goes through the services, so notifications, timelines and the audit trail are
as in real use. Runs after the demo activities (``peyvand demo``)."""

from __future__ import annotations

from django.db import transaction

from peyvand.accounts.models import User
from peyvand.activities.workflow import services
from peyvand.contacts.models import Party


def _customers_of(user: User, count: int) -> list[Party]:
    return list(Party.objects.filter(owner=user, erased_at__isnull=True).order_by("pk")[:count])


@transaction.atomic
def build_demo_workflow() -> int:
    """Returns how many requests and hand-offs it made (none when the demo users are missing)."""
    users = {user.username: user for user in User.objects.filter(username__in=("manager", "rep", "rep2"))}
    if len(users) < 3:
        return 0
    manager, rep, rep2 = users["manager"], users["rep"], users["rep2"]
    made = 0
    english = _customers_of(rep, 3)
    persian = _customers_of(rep2, 3)
    if len(english) >= 2:
        services.approval_request_create(
            actor=rep, record_type="contacts.party", record_id=english[0].pk, subject="12% discount on the annual plan",
            details="They would order 40 licences if we meet last year's price.", approver=manager,
        )  # fmt: skip
        decided, _told = services.approval_request_create(
            actor=rep, record_type="contacts.party", record_id=english[1].pk, subject="Free delivery to Karaj",
            details="", approver=manager,
        )  # fmt: skip
        services.approval_decide(actor=manager, approval=decided, approve=True, comment="Fine for this order only.")
        made += 2
    if len(persian) >= 2:
        services.approval_request_create(
            actor=rep2, record_type="contacts.party", record_id=persian[0].pk, subject="تمدید مهلت پرداخت به ۶۰ روز",
            details="مشتری قدیمی است و تا حالا دیر پرداخت نکرده.", approver=manager,
        )  # fmt: skip
        services.handoff_create(
            actor=rep2, record_type="contacts.party", record_id=persian[1].pk, to_user=rep,
            note="From next week I am on the Isfahan project; they want a quote by Sunday. @manager knows the price.",
        )  # fmt: skip
        made += 2
    return made
