"""Activities: the staff's tasks, calls and meetings, most of them done long ago, some around today.

Most activities (``history``) fill the three years the interactions cover, in time order, nearly
all done or cancelled, with a few forgotten ones still open (overdue for years, as every CRM has
them). The rest sit around the day of the load (``today``, Tehran): the last ``RECENT_DAYS`` days
(mostly done, some overdue), today's, the next days' and weeks' (open, fewer the further away),
and open tasks with no due time. "Now" is a parameter so that the same seed, scale and day give
the same rows; a load on another day moves the recent part with it, never its shape.

Owners are the users who own records (``customers.owner_candidates``), skewed as teams are: each
has a weight drawn once, so a few are several times as busy as most. Each activity is about a
customer most of the time: mostly one of its owner's own customers, otherwise any, both in
proportion to the customers' weights on the timeline (``timeline.activity_plan``), so the key
accounts have the most activities. One or two assignees (the owner, a colleague of the owner's
first team, or both); meetings invite colleagues and customers now and then; open dated
activities with a reminder remind each staff member (the loader writes those rows). Done calls and
meetings keep ``interaction`` empty: the timeline's interactions are generated on their own, and
linking them would change the customer file's figures.

A series (every week or every other week) is written as its occurrences: the first
holds nothing in ``series_key``, the others point at it, the earlier ones done and the last open,
as completing each occurrence leaves them (``services._create_next``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.generator.common import DEFAULT_SEED, count, random_stream
from bench.generator.customers import PERIOD_END, PERIOD_START, owner_candidates
from bench.generator.timeline import CITIES, EPOCH, PRODUCTS, ActivityPlan

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
RECENT_DAYS = 90
LATER_DAYS = 56  # open activities planned up to eight weeks ahead
# Each part's share of the activities; "history" takes what the others leave.
SHARES: tuple[tuple[str, float], ...] = (
    ("recent", 0.072), ("today", 0.00085), ("week", 0.0042), ("later", 0.01), ("undated", 0.015),
)  # fmt: skip
KINDS: tuple[tuple[str, int], ...] = (("task", 45), ("call", 35), ("meeting", 20))
PRIORITIES: tuple[tuple[str, int], ...] = (("low", 10), ("normal", 65), ("high", 20), ("urgent", 5))
CALL_OUTCOMES: tuple[tuple[str, int], ...] = (
    ("reached", 55), ("no_answer", 20), ("busy", 8), ("left_message", 12), ("wrong_number", 5),
)  # fmt: skip
REMINDER_MINUTES = (10, 15, 30, 60, 120, 1440)
SERIES_SHARE = 0.004  # of the activities, the first of a series
SERIES_LENGTH = (4, 16)
PARTY_SHARE = 0.75  # activities about a customer
OWN_CUSTOMER_SHARE = 0.8  # of those, one of the owner's own customers
OWNER_SIGMA = 0.9  # spread of the owners' weights (log-normal)

# Per kind: (Persian subject, English subject, Persian outcome, English outcome).
TEXTS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "task": (
        ("ارسال پیش‌فاکتور {product}", "Send the quote for {product}",
         "پیش‌فاکتور ارسال شد.", "Quote sent."),
        ("پیگیری پرداخت سفارش {order}", "Follow up the payment of order {order}",
         "مبلغ واریز شد.", "Paid."),
        ("به‌روزرسانی اطلاعات تماس مشتری", "Update the customer's contact details",
         "انجام شد.", "Done."),
        ("آماده‌سازی قرارداد سالانه", "Prepare the annual contract",
         "پیش‌نویس برای واحد حقوقی رفت.", "Draft sent to legal."),
        ("ارسال کاتالوگ {product}", "Send the {product} catalogue",
         "کاتالوگ ایمیل شد.", "Catalogue emailed."),
    ),
    "call": (
        ("تماس برای پیگیری سفارش {order}", "Call about order {order}",
         "مشتری از ارسال راضی بود.", "The customer is happy with the delivery."),
        ("تماس معرفی {product}", "Call to present {product}",
         "خواست هفته‌ی بعد دوباره تماس بگیریم.", "Asked us to call again next week."),
        ("نظرسنجی پس از خرید", "After-sales survey call",
         "امتیاز ۹ از ۱۰.", "Scored 9 out of 10."),
        ("تماس برای تمدید قرارداد", "Call about renewing the contract",
         "تمدید یک‌ساله پذیرفته شد.", "Agreed to renew for a year."),
    ),
    "meeting": (
        ("جلسه‌ی معرفی {product}", "Presentation of {product}",
         "نمونه برای آزمایش گذاشته شد.", "Left a sample to try."),
        ("بازدید از دفتر مشتری در {city}", "Visit to the customer's office in {city}",
         "نیازها فهرست شد.", "Listed their needs."),
        ("جلسه‌ی بررسی قرارداد", "Contract review meeting",
         "شرایط پرداخت توافق شد.", "Agreed the payment terms."),
        ("جلسه‌ی هفتگی فروش", "Weekly sales meeting",
         "گزارش هفته مرور شد.", "Went through the week's figures."),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class _Staff:
    """Who owns activities, how busy each is, and the customers each owns."""

    keys: list[int]  # owner candidates' user keys
    cumulative: list[float]  # their cumulative weights
    colleagues: dict[int, list[int]]  # user key -> the owner candidates of the same first team
    books: dict[int, tuple[array, array]]  # user key -> (party numbers, cumulative weights)


def activity_counts(scale: float) -> dict[str, int]:
    """How many activities each part holds at ``scale``, adding up to ``count("activities", scale)``."""
    total = count("activities", scale)
    counts = {name: int(total * share) for name, share in SHARES}
    return {"history": total - sum(counts.values()), **counts}


def owner_weights(*, seed: int = DEFAULT_SEED, users: Sequence[Mapping[str, Any]]) -> dict[int, float]:
    """Each owner candidate's weight (user key -> weight): log-normal, so a few are very busy."""
    rng = random_stream(seed, "activity-owners")
    return {user["key"]: rng.lognormvariate(0.0, OWNER_SIGMA) for user in owner_candidates(users)}


def _staff(seed: int, users: Sequence[Mapping[str, Any]], plan: ActivityPlan) -> _Staff:
    weights = owner_weights(seed=seed, users=users)
    keys = list(weights)
    cumulative = list(itertools.accumulate(weights[key] for key in keys))
    by_team: dict[int, list[int]] = {}
    for key in keys:
        by_team.setdefault(users[key]["team_keys"][0], []).append(key)
    colleagues = {key: [other for other in by_team[users[key]["team_keys"][0]] if other != key] for key in keys}
    books: dict[int, tuple[array, array]] = {key: (array("l"), array("d")) for key in keys}
    previous = 0.0
    for index, total in enumerate(plan.cumulative):
        book = books.get(plan.owners[index])
        if book is not None:
            numbers, sums = book
            numbers.append(index + 1)
            sums.append((sums[-1] if sums else 0.0) + total - previous)
        previous = total
    return _Staff(keys=keys, cumulative=cumulative, colleagues=colleagues, books=books)


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def _tehran_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=TEHRAN).astimezone(dt.UTC)


def default_now(today: dt.date) -> dt.datetime:
    """The moment the generator takes as "now" on ``today``: noon in Tehran."""
    return _tehran_midnight(today) + dt.timedelta(hours=12)


def _office_time(rng: random.Random, day: dt.date, kind: str) -> tuple[dt.datetime, bool]:
    """A time in that day's office hours in Tehran (quarter hours); a task may be all day (midnight)."""
    if kind == "task" and rng.random() < 0.15:
        return _tehran_midnight(day), True
    minutes = 8 * 60 + 15 * rng.randrange(0, 40)  # 08:00 to 17:45
    return _tehran_midnight(day) + dt.timedelta(minutes=minutes), False


def activities(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    users: Sequence[Mapping[str, Any]],
    plan: ActivityPlan,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Iterator[dict[str, Any]]:
    """The activities, numbered by ``key`` from 1: ``{"key", "kind", "subject", "description",
    "priority", "status", "outcome", "call_outcome", "due_at", "starts_at", "ends_at", "all_day",
    "at", "location", "direction", "owner_key", "created_by_key", "completed_by_key", "party",
    "completed_at", "created_at", "updated_at", "recurrence", "recurrence_interval",
    "recurrence_until", "recurrence_calendar", "series_key", "reminder_minutes", "assignee_keys",
    "participant_user_keys", "participant_parties", "participant_status", "part", "text"}``.

    User keys index ``users``; ``party`` is a party number or ``None``; ``participant_parties`` are
    party numbers; ``participant_status`` one answer for every participant. ``at`` is where the
    activity stands (its due or start time, else its creation); ``today`` is the Tehran day the
    recent part surrounds, ``now`` the moment before which today's activities may be done
    (default: today's noon in Tehran).
    """
    rng = random_stream(seed, "activities")
    now = now or default_now(today)
    staff = _staff(seed, users, plan)
    counts = activity_counts(scale)
    writer = _Writer(rng, users, staff, now)
    yield from writer.history(counts["history"])
    yield from writer.dated(counts["recent"], today - dt.timedelta(days=RECENT_DAYS), RECENT_DAYS, "recent")
    yield from writer.dated(counts["today"], today, 1, "today")
    yield from writer.dated(counts["week"], today + dt.timedelta(days=1), 7, "week")
    yield from writer.dated(counts["later"], today + dt.timedelta(days=8), LATER_DAYS - 7, "later")
    yield from writer.undated(counts["undated"], today)


class _Writer:
    """Draws the rows, numbering them as they go."""

    def __init__(self, rng: random.Random, users: Sequence[Mapping[str, Any]], staff: _Staff, now: dt.datetime) -> None:
        self.rng, self.users, self.staff, self.now = rng, users, staff, now
        self.key = 0

    # Parts -----------------------------------------------------------------------------------
    def history(self, total: int) -> Iterator[dict[str, Any]]:
        """``total`` activities in time order over the interactions' three years."""
        span = (PERIOD_END - PERIOD_START) // dt.timedelta(microseconds=1)
        written = 0
        while written < total:
            at = PERIOD_START + dt.timedelta(microseconds=int(span * ((written + self.rng.random()) / total)))
            day = at.astimezone(TEHRAN).date()
            for row in self._one(day, "history", limit=total - written):
                written += 1
                yield row

    def dated(self, total: int, first: dt.date, days: int, part: str) -> Iterator[dict[str, Any]]:
        written = 0
        while written < total:
            day = first + dt.timedelta(days=min(days - 1, days * written // total))
            for row in self._one(day, part, limit=total - written):
                written += 1
                yield row

    def undated(self, total: int, today: dt.date) -> Iterator[dict[str, Any]]:
        for index in range(total):
            created = _tehran_midnight(today - dt.timedelta(days=RECENT_DAYS - RECENT_DAYS * index // total))
            created += dt.timedelta(minutes=8 * 60 + self.rng.randrange(600))
            created = min(created, self.now - dt.timedelta(minutes=1))
            yield self._row("task", None, False, created, status="open", part="undated")

    # One activity (or a series) ----------------------------------------------------------------
    def _one(self, day: dt.date, part: str, *, limit: int) -> list[dict[str, Any]]:
        rng = self.rng
        kind = _weighted(rng, KINDS)
        if part == "history" and kind == "task" and rng.random() < 0.1:  # done without a due time
            created = _tehran_midnight(day) + dt.timedelta(minutes=8 * 60 + rng.randrange(600))
            return [self._row("task", None, False, created, status=self._status(part, created), part=part)]
        when, all_day = _office_time(rng, day, kind)
        if kind != "call" and limit > SERIES_LENGTH[1] and rng.random() < SERIES_SHARE:
            return self._series(kind, when, all_day, part, limit)
        return [self._row(kind, when, all_day, None, status=self._status(part, when), part=part)]

    def _status(self, part: str, when: dt.datetime) -> str:
        draw = self.rng.random()
        if when >= self.now or part in ("week", "later"):
            return "open" if draw < 0.98 else "cancelled"
        if part == "history":
            return "done" if draw < 0.87 else "cancelled" if draw < 0.97 else "open"
        if part == "recent":  # the last weeks: some still open, overdue
            return "done" if draw < 0.75 else "cancelled" if draw < 0.82 else "open"
        return "done" if draw < 0.7 else "open"  # today, before now

    def _series(self, kind: str, first: dt.datetime, all_day: bool, part: str, limit: int) -> list[dict[str, Any]]:
        """Weekly or monthly occurrences from ``first``: done (or now and then cancelled) up to now,
        then the next one open; no further ones (completing one creates the next)."""
        rng = self.rng
        interval = 1 if rng.random() < 0.75 else 2  # every week or every other week
        length = rng.randint(*SERIES_LENGTH)
        step = dt.timedelta(days=7 * interval)  # Tehran keeps no summer time: the same hour each week
        rows: list[dict[str, Any]] = []
        root_key = self.key + 1
        for number in range(length):
            when = first + step * number
            last = number == length - 1 or when >= self.now or (part == "history" and when >= PERIOD_END)
            status = "open" if last and part != "history" else ("done" if rng.random() < 0.9 else "cancelled")
            if last and part == "history":
                status = "open" if rng.random() < 0.1 else "cancelled"  # the series ended with the period
            row = self._row(kind, when, all_day, None, status=status, part=part,
                            repeats=("weekly", interval),
                            series_key=None if number == 0 else root_key, template=rows[0] if rows else None)  # fmt: skip
            rows.append(row)
            if last or len(rows) >= limit:
                break
        return rows

    def _row(self, kind: str, when: dt.datetime | None, all_day: bool, created: dt.datetime | None, *,
             status: str, part: str, repeats: tuple[str, int] | None = None, series_key: int | None = None,
             template: Mapping[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
        rng = self.rng
        self.key += 1
        if template is not None:  # a later occurrence: the series' people, customer and texts
            owner, party = template["owner_key"], template["party"]
            assignees, staff_guests, guests = (template["assignee_keys"], template["participant_user_keys"],
                                               template["participant_parties"])  # fmt: skip
            subject, description, location = template["subject"], template["description"], template["location"]
            text = template["text"]
            minutes, priority, direction = template["reminder_minutes"], template["priority"], template["direction"]
        else:
            owner = self._owner()
            party = self._party(owner) if rng.random() < PARTY_SHARE else None
            assignees = self._assignees(owner)
            staff_guests, guests = self._guests(kind, owner, party, assignees)
            persian = self.users[owner]["language"] == "fa"
            text = rng.choice(TEXTS[kind])
            values = _fill(rng, persian)
            subject = (text[0] if persian else text[1]).format_map(values)
            description = "" if rng.random() < 0.7 else subject
            location = (values["city"] if rng.random() < 0.6 else "") if kind == "meeting" else ""
            minutes = rng.choice(REMINDER_MINUTES) if when is not None and rng.random() < 0.5 else None
            priority = _weighted(rng, PRIORITIES)
            direction = ("outbound" if rng.random() < 0.8 else "inbound") if kind == "call" else ""
        persian = self.users[owner]["language"] == "fa"
        ends_at = None
        if kind == "meeting" and not all_day and when is not None:
            ends_at = when + dt.timedelta(minutes=rng.choice((30, 45, 60, 90, 120)))
        elif kind == "call" and when is not None and rng.random() < 0.3:
            ends_at = when + dt.timedelta(minutes=rng.choice((5, 10, 15, 30)))
        if created is None:
            assert when is not None
            created = when - dt.timedelta(minutes=rng.randrange(10, 14 * 24 * 60))
        created = min(created, self.now - dt.timedelta(minutes=rng.randrange(1, 600)))
        completed_at = completed_by = None
        outcome = call_outcome = ""
        if status == "done":
            moment = when or created
            completed_at = min(max(moment + dt.timedelta(minutes=rng.randrange(5, 240)), created), self.now)
            completed_by = rng.choice(assignees)
            outcome = (text[2] if persian else text[3]) if rng.random() < 0.7 else ""
            call_outcome = _weighted(rng, CALL_OUTCOMES) if kind == "call" else ""
        frequency, interval = repeats or ("none", 1)
        calendar = "jalali" if persian else "gregorian"
        answer = "accepted" if status == "done" else rng.choice(("needs_action", "accepted", "accepted", "declined"))
        return {
            "key": self.key, "kind": kind, "subject": subject, "description": description, "priority": priority,
            "status": status, "outcome": outcome, "call_outcome": call_outcome,
            "due_at": when if kind == "task" else None, "starts_at": when if kind != "task" else None,
            "ends_at": ends_at, "all_day": all_day, "at": when or created, "location": location,
            "direction": direction, "owner_key": owner, "created_by_key": owner, "completed_by_key": completed_by,
            "party": party, "completed_at": completed_at, "created_at": created,
            "updated_at": completed_at or created, "recurrence": frequency, "recurrence_interval": interval,
            "recurrence_until": None, "recurrence_calendar": calendar, "series_key": series_key,
            "reminder_minutes": minutes, "assignee_keys": assignees, "participant_user_keys": staff_guests,
            "participant_parties": guests, "participant_status": answer, "part": part, "text": text,
        }  # fmt: skip

    def _owner(self) -> int:
        staff = self.staff
        index = bisect.bisect_right(staff.cumulative, self.rng.random() * staff.cumulative[-1])
        return staff.keys[min(index, len(staff.keys) - 1)]

    def _party(self, owner: int) -> int | None:
        rng = self.rng
        numbers, sums = self.staff.books[owner]
        if not numbers or rng.random() >= OWN_CUSTOMER_SHARE:
            # any customer: pick an owner by weight and one of theirs
            other = self.staff.keys[rng.randrange(len(self.staff.keys))]
            numbers, sums = self.staff.books[other]
            if not numbers:
                return None
        index = bisect.bisect_right(sums, rng.random() * sums[-1])
        return int(numbers[min(index, len(numbers) - 1)])

    def _assignees(self, owner: int) -> list[int]:
        rng = self.rng
        colleagues = self.staff.colleagues[owner]
        draw = rng.random()
        if colleagues and draw < 0.12:
            return sorted({owner, rng.choice(colleagues)})
        if colleagues and draw < 0.2:
            return [rng.choice(colleagues)]  # given to a colleague
        return [owner]

    def _guests(self, kind: str, owner: int, party: int | None, assignees: list[int]) -> tuple[list[int], list[int]]:
        """A meeting's staff and customer participants (some meetings have them)."""
        rng = self.rng
        if kind != "meeting":
            return [], []
        colleagues = [key for key in self.staff.colleagues[owner] if key not in assignees]
        staff_guests = sorted(set(rng.sample(colleagues, min(len(colleagues), rng.randint(1, 3))))) \
            if colleagues and rng.random() < 0.3 else []  # fmt: skip
        guests = [party] if party is not None and rng.random() < 0.4 else []
        return staff_guests, guests


def _fill(rng: random.Random, persian: bool) -> dict[str, str]:
    product, city = rng.choice(PRODUCTS), rng.choice(CITIES)
    return {"product": product[0] if persian else product[1], "city": city[0] if persian else city[1],
            "order": f"{rng.randrange(10_000, 99_999)}"}  # fmt: skip


def micros(moment: dt.datetime) -> int:
    return (moment - EPOCH) // dt.timedelta(microseconds=1)
