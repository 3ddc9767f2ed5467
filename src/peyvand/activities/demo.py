"""The demo activities: a lived-in week of tasks, calls and meetings for each demo user.

``build_demo_activities`` runs after the customer file's and the timeline's demo (``peyvand demo``).
Each staff member gets, around the moment the demo is built, a few overdue items, today's calls and
meetings, the next days' work, tasks without a due time and some done last week (a done call or
meeting is on the customer's timeline), in their own language, about the customers they own. All go
through the services, so staff rows, reminders, notifications and the audit trail are as in real use.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.activities import services
from peyvand.activities.models import Activity
from peyvand.activities.rules import Recurrence
from peyvand.contacts.models import Party

SEED = 1405
DEMO_USERS = ("rep", "rep2", "manager", "agent", "admin")

# (kind, Persian subject, English subject, hours from now, done, priority)
PLAN: tuple[tuple[str, str, str, float, bool, str], ...] = (
    ("task", "ارسال پیش‌فاکتور به {name}", "Send the quote to {name}", -30, False, "high"),
    ("call", "پیگیری پرداخت {name}", "Follow up {name}'s payment", -5, False, "urgent"),
    ("call", "تماس معرفی محصولات تازه با {name}", "Call {name} about the new products", 2, False, "normal"),
    ("meeting", "جلسهٔ حضوری با {name}", "Meeting with {name}", 5, False, "normal"),
    ("task", "به‌روزرسانی نشانی {name}", "Update {name}'s address", 26, False, "low"),
    ("call", "تماس رضایت‌سنجی با {name}", "Satisfaction call with {name}", 50, False, "normal"),
    ("meeting", "نمایش محصول برای {name}", "Product demo for {name}", 74, False, "high"),
    ("task", "آماده کردن قرارداد {name}", "Prepare {name}'s contract", 120, False, "normal"),
    ("call", "تماس با {name} دربارهٔ سفارش", "Called {name} about the order", -50, True, "normal"),
    ("meeting", "بازدید از دفتر {name}", "Visited {name}'s office", -100, True, "normal"),
    ("task", "فرستادن کاتالوگ به {name}", "Sent the catalogue to {name}", -140, True, "low"),
)
UNDATED = (("بررسی فهرست مشتریان راکد", "Review the dormant customers"),
           ("نوشتن گزارش ماهانه", "Write the monthly report"))  # fmt: skip
OUTCOMES = ("قرار شد هفتهٔ بعد سفارش بدهد.", "Will order next week.")


def _hour(moment: dt.datetime) -> dt.datetime:
    return moment.replace(minute=0 if moment.minute < 30 else 30, second=0, microsecond=0)


@transaction.atomic
def build_demo_activities() -> int:
    """Returns how many activities were made."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    now = timezone.now()
    made = 0
    users = list(User.objects.filter(username__in=DEMO_USERS, is_active=True).order_by("pk"))
    for user in users:
        persian = (user.language or "fa").startswith("fa")
        customers = list(Party.objects.filter(owner=user).order_by("pk")[:40]) or list(
            Party.objects.order_by("pk")[:40]
        )
        if not customers:
            continue
        for kind, subject_fa, subject_en, hours, done, priority in PLAN:
            party = rng.choice(customers)
            when = _hour(now + dt.timedelta(hours=hours + rng.uniform(-1, 1)))
            subject = (subject_fa if persian else subject_en).format(name=party)
            is_task = kind == Activity.Kind.TASK
            length = dt.timedelta(minutes=30 if kind == Activity.Kind.CALL else 90)
            activity = services.activity_create(
                actor=None, kind=kind, subject=subject, priority=priority, party=party, owner=user,
                assignees=[user], reminder_minutes=15 if not done and hours > 0 else None,
                location=("دفتر مشتری" if persian else "Customer's office") if kind == "meeting" else "",
                recurrence=Recurrence(calendar="jalali" if persian else "gregorian"),
                due_at=when if is_task else None, starts_at=None if is_task else when,
                ends_at=None if is_task else when + length,
            )  # fmt: skip
            if done:
                services.activity_complete(actor=user, activity=activity, outcome=OUTCOMES[0 if persian else 1],
                                           call_outcome="reached" if kind == "call" else "")  # fmt: skip
            made += 1
        for subject_fa, subject_en in UNDATED:
            services.activity_create(actor=None, kind=Activity.Kind.TASK, subject=subject_fa if persian else subject_en,
                                     owner=user, assignees=[user])  # fmt: skip
            made += 1
        weekly = services.activity_create(
            actor=None, kind=Activity.Kind.MEETING, subject="جلسهٔ هفتگی فروش" if persian else "Weekly sales meeting",
            owner=user, assignees=[user], starts_at=_hour(now + dt.timedelta(days=(5 - now.weekday()) % 7 or 7)),
            recurrence=Recurrence(frequency=Activity.Frequency.WEEKLY, calendar="jalali" if persian else "gregorian"),
        )  # fmt: skip
        made += 1 if weekly else 0
    return made
