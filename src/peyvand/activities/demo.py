"""The demo activities: a lived-in week of tasks, calls and meetings for each demo user.

``build_demo_activities`` runs after the customer file's and the timeline's demo (``peyvand demo``).
Each staff member gets, around the moment the demo is built, a few overdue items, today's calls and
meetings, the next days' work, tasks without a due time and some done last week (a done call or
meeting is on the customer's timeline), in their own language, about the customers they own. Every
timed one lies within working hours in Tehran (``working_time``), on the same side of the moment
as planned. All go through the services, so staff rows, reminders, notifications and the audit
trail are as in real use.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

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


# Working hours in Tehran: 08:00–18:00 from Saturday to Wednesday, Thursday mornings to 12:00,
# Friday off (Python's weekday: Monday is 0, so Saturday is 5).
TEHRAN = ZoneInfo("Asia/Tehran")
OPENING = dt.time(8)
CLOSING = {5: dt.time(18), 6: dt.time(18), 0: dt.time(18), 1: dt.time(18), 2: dt.time(18), 3: dt.time(12)}
SLOT = dt.timedelta(minutes=30)
# How far a time may move to find working hours: past a Friday and a Thursday afternoon, and more.
SEARCH_SLOTS = 7 * 48


def _slots(start: dt.datetime, length: dt.timedelta) -> list[dt.datetime]:
    """The half hours an activity of ``length`` from ``start`` occupies (a task, of no length, one)."""
    return [start + SLOT * step for step in range(max(1, -(-length // SLOT)))]


def _fits(start: dt.datetime, length: dt.timedelta, taken: set[dt.datetime]) -> bool:
    """Whether ``start`` (Tehran time, on a half hour) and ``length`` lie within one working day,
    clear of the user's other demo activities."""
    closing = CLOSING.get(start.weekday())
    if closing is None or start.time() < OPENING or start + length > start.replace(hour=closing.hour, minute=0):
        return False
    return taken.isdisjoint(_slots(start, length))


def working_time(
    target: dt.datetime, *, now: dt.datetime, length: dt.timedelta, taken: set[dt.datetime]
) -> dt.datetime:
    """The half hour of working time nearest ``target`` that keeps its place relative to ``now``:
    an earlier one for a time in the past (it stays overdue or done); for today's, a later one
    today, else the last free one left today, else the next working one; for a later day, a later one.
    The slots it occupies are added to ``taken``."""
    local = timezone.localtime(target, TEHRAN).replace(second=0, microsecond=0)
    floor = local - dt.timedelta(minutes=local.minute % 30)
    ceiling = floor if floor == local else floor + SLOT
    candidates: list[dt.datetime]
    if target < now:
        candidates = [floor - SLOT * step for step in range(SEARCH_SLOTS)]
    else:
        later = [ceiling + SLOT * step for step in range(SEARCH_SLOTS)]
        today = timezone.localtime(now, TEHRAN).date()
        earlier_today = [floor - SLOT * step for step in range(1, 48)]
        earlier_today = [moment for moment in earlier_today if moment > now and moment.date() == today]
        candidates = later
        if local.date() == today:  # today's stays today when working time is left after now
            candidates = [moment for moment in later if moment.date() == today] + earlier_today + later
    for start in candidates:
        if _fits(start, length, taken):
            taken.update(_slots(start, length))
            return start
    raise AssertionError(f"no working time near {target}")


@transaction.atomic
def build_demo_activities(*, now: dt.datetime | None = None) -> int:
    """Returns how many activities were made. Every timed one lies within working hours."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    now = now or timezone.now()
    made = 0
    users = list(User.objects.filter(username__in=DEMO_USERS, is_active=True).order_by("pk"))
    for user in users:
        persian = (user.language or "fa").startswith("fa")
        customers = list(Party.objects.filter(owner=user).order_by("pk")[:40]) or list(
            Party.objects.order_by("pk")[:40]
        )
        if not customers:
            continue
        taken: set[dt.datetime] = set()
        for kind, subject_fa, subject_en, hours, done, priority in PLAN:
            party = rng.choice(customers)
            is_task = kind == Activity.Kind.TASK
            length = dt.timedelta(minutes=30 if kind == Activity.Kind.CALL else 90)
            when = working_time(now + dt.timedelta(hours=hours + rng.uniform(-1, 1)), now=now,
                                length=dt.timedelta(0) if is_task else length, taken=taken)  # fmt: skip
            subject = (subject_fa if persian else subject_en).format(name=party)
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
            owner=user, assignees=[user], starts_at=_weekly_start(now),
            recurrence=Recurrence(frequency=Activity.Frequency.WEEKLY, calendar="jalali" if persian else "gregorian"),
        )  # fmt: skip
        made += 1 if weekly else 0
    return made


def _weekly_start(now: dt.datetime) -> dt.datetime:
    """The weekly sales meeting: next Saturday (a week on, on a Saturday) at ten, Tehran time."""
    local = timezone.localtime(now, TEHRAN)
    saturday = local.date() + dt.timedelta(days=(5 - local.weekday()) % 7 or 7)
    return dt.datetime.combine(saturday, dt.time(10), tzinfo=TEHRAN)
