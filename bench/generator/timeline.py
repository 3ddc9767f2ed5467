"""Interactions: three years of touchpoints on every channel, skewed as a real customer base is.

Each party has a weight, its expected number of interactions (``customers.profiles``): most have
a few, one customer in a hundred is a key account with over a thousand, and a handful of companies
have tens of thousands. The interactions fill the period in time order; each slot goes to a party
drawn in proportion to the weights, so every party's interactions are spread over the years.

Two streams make that cheap to keep consistent: ``interaction_slots`` draws only when and with
whom, and ``interaction_figures`` runs through it once to give each party's count, first and last
contact before any row is written (the loader writes parties before their interactions);
``interactions`` runs through the same slots again and draws the rest of each row from a stream
of its own.
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
from bench.generator.customers import PARTY_KINDS, PERIOD_END, PERIOD_START, owner_candidates, profiles

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
# Office hours in Tehran (UTC+03:30), 08:00 to 20:00; the period starts and ends at Tehran midnight.
TEHRAN_OFFSET_US = 3 * HOUR_US + HOUR_US // 2
OFFICE_OPENS_US = 8 * HOUR_US
OFFICE_HOURS_US = 12 * HOUR_US
PERIOD_START_US = (PERIOD_START - EPOCH) // dt.timedelta(microseconds=1)
PERIOD_US = (PERIOD_END - PERIOD_START) // dt.timedelta(microseconds=1)
# An interaction is logged by the party's owner this often, otherwise by a colleague.
OWNER_LOGS_SHARE = 0.7


def moment(microseconds: int) -> dt.datetime:
    """Microseconds since 1970 (UTC) as an aware datetime."""
    return EPOCH + dt.timedelta(microseconds=microseconds)


@dataclass(frozen=True)
class ActivityPlan:
    """Who the interactions go to: the parties' cumulative weights and their owners (user keys)."""

    scale: float
    seed: int
    cumulative: list[float]  # cumulative[i]: the weights of parties 1…i+1
    owners: array  # owners[i]: the key of party i+1's owner in ``users``

    @property
    def parties(self) -> int:
        return len(self.cumulative)

    @property
    def total_weight(self) -> float:
        return self.cumulative[-1] if self.cumulative else 0.0


def activity_plan(*, scale: float = 1.0, seed: int = DEFAULT_SEED, users: Sequence[Mapping[str, Any]]) -> ActivityPlan:
    """The weights of every party, persons then companies then leads (their party numbers' order)."""
    cumulative: list[float] = []
    owners = array("l")
    total = 0.0
    for kind in PARTY_KINDS:
        for profile in profiles(kind, scale=scale, seed=seed, users=users):
            total += profile["weight"]
            cumulative.append(total)
            owners.append(profile["owner_key"])
    return ActivityPlan(scale=scale, seed=seed, cumulative=cumulative, owners=owners)


def interaction_slots(plan: ActivityPlan) -> Iterator[tuple[int, int]]:
    """``(occurred_at, party)`` in time order: microseconds since 1970 (UTC) and a party number.

    Slot ``i`` of ``n`` sits at a random point of the ``i``-th ``n``-th of the period, moved into
    that day's office hours in Tehran.
    """
    rng = random_stream(plan.seed, "interaction-slots")
    total = count("interactions", plan.scale)
    if not plan.parties or plan.total_weight <= 0:
        return
    cumulative, total_weight, last = plan.cumulative, plan.total_weight, plan.parties - 1
    for index in range(total):
        offset = int(PERIOD_US * ((index + rng.random()) / total))
        day, within = divmod(PERIOD_START_US + offset + TEHRAN_OFFSET_US, DAY_US)
        at = day * DAY_US + OFFICE_OPENS_US + within * OFFICE_HOURS_US // DAY_US - TEHRAN_OFFSET_US
        party = min(bisect.bisect_right(cumulative, rng.random() * total_weight), last) + 1
        yield at, party


@dataclass(frozen=True)
class Figures:
    """Per party (index = party number - 1): its interactions, first and last (microseconds), 0 when none."""

    counts: array
    first: array
    last: array

    def of(self, party: int) -> tuple[int, int, int]:
        index = party - 1
        return self.counts[index], self.first[index], self.last[index]


def interaction_figures(plan: ActivityPlan) -> Figures:
    counts = array("l", itertools.repeat(0, plan.parties))
    first = array("q", itertools.repeat(0, plan.parties))
    last = array("q", itertools.repeat(0, plan.parties))
    for at, party in interaction_slots(plan):
        index = party - 1
        if not counts[index]:
            first[index] = at
        counts[index] += 1
        last[index] = at
    return Figures(counts=counts, first=first, last=last)


# The rows ---------------------------------------------------------------------------------------
# Channel keys (the timeline's default channels) and how often each is used.
CHANNEL_SHARES: tuple[tuple[str, int], ...] = (
    ("phone", 30), ("email", 12), ("sms", 12), ("website", 6), ("portal", 5), ("store", 7), ("field_sales", 4),
    ("after_sales", 6), ("ivr", 9), ("kiosk", 3), ("social", 4), ("letter", 2),
)  # fmt: skip
# Interactions on these channels are pushed by another system, with its own id.
PUSHED_BY = {"ivr": "call-centre", "website": "website", "portal": "portal", "kiosk": "kiosk"}

# Per channel: (kind, direction, weight, Persian subject, Persian content, English subject, English content).
# Placeholders: {order} {product} {amount} {days} {city} {code} {option} {count}.
TEMPLATES: dict[str, tuple[tuple[str, str, int, str, str, str, str], ...]] = {
    "phone": (
        ("call", "inbound", 5, "پیگیری سفارش {order}", "مشتری درباره‌ی زمان ارسال سفارش {order} پرسید. قرار شد تا {days} روز کاری ارسال شود.",
         "Order {order} follow-up", "The customer asked when order {order} ships. We promised it within {days} working days."),
        ("call", "outbound", 4, "تماس برای معرفی {product}", "{product} و شرایط پرداخت اقساطی معرفی شد. مشتری خواست کاتالوگ برایش ایمیل شود.",
         "Call about {product}", "Presented {product} and the instalment terms. The customer asked for the catalogue by email."),
        ("request", "inbound", 2, "استعلام قیمت {product}", "استعلام قیمت {count} عدد {product}؛ پیش‌فاکتور تا فردا ارسال می‌شود.",
         "Price inquiry: {product}", "Asked for the price of {count} × {product}; the quote goes out tomorrow."),
        ("complaint", "inbound", 1, "شکایت از تأخیر ارسال", "سفارش {order} هنوز نرسیده است. موضوع به واحد ارسال ارجاع شد.",
         "Complaint: late delivery", "Order {order} has not arrived yet. Passed on to the shipping team."),
    ),
    "email": (
        ("email", "outbound", 4, "پیش‌فاکتور {product}", "پیش‌فاکتور {count} عدد {product} به مبلغ {amount} ریال ارسال شد.",
         "Quote for {product}", "Sent the quote for {count} × {product}, {amount} Rial in total."),
        ("email", "inbound", 3, "درخواست کاتالوگ", "مشتری کاتالوگ محصولات و فهرست قیمت جدید را خواست.",
         "Catalogue request", "The customer asked for the product catalogue and the new price list."),
        ("email", "outbound", 2, "ارسال قرارداد", "پیش‌نویس قرارداد سالانه برای بررسی واحد حقوقی مشتری ارسال شد.",
         "Contract sent", "Sent the draft annual contract for the customer's legal team to review."),
    ),
    "sms": (
        ("message", "outbound", 5, "کد تخفیف", "کد تخفیف {code} برای خرید بعدی ارسال شد.",
         "Discount code", "Sent discount code {code} for the next purchase."),
        ("message", "outbound", 4, "یادآوری قرار ملاقات", "یادآوری جلسه‌ی {days} روز دیگر در دفتر {city}.",
         "Meeting reminder", "Reminder of the meeting in {days} days at the {city} office."),
        ("message", "inbound", 1, "پاسخ پیامک", "مشتری با پیامک تأیید کرد که سفارش {order} را تحویل گرفته است.",
         "Text reply", "The customer confirmed by text that order {order} was delivered."),
    ),
    "website": (
        ("request", "inbound", 3, "فرم تماس وب‌سایت", "درخواست تماس برای مشاوره درباره‌ی {product}.",
         "Website contact form", "Asked to be called back about {product}."),
        ("purchase", "inbound", 2, "خرید اینترنتی {order}", "خرید {count} عدد {product} از فروشگاه اینترنتی به مبلغ {amount} ریال.",
         "Online order {order}", "Bought {count} × {product} in the web shop, {amount} Rial."),
    ),
    "portal": (
        ("request", "inbound", 3, "درخواست در پرتال مشتریان", "درخواست نسخه‌ی فاکتور سفارش {order} از پرتال ثبت شد.",
         "Portal request", "Asked in the portal for a copy of the invoice of order {order}."),
        ("other", "inbound", 2, "به‌روزرسانی اطلاعات", "مشتری نشانی ارسال خود را در پرتال تغییر داد.",
         "Details updated", "The customer changed their delivery address in the portal."),
    ),
    "store": (
        ("visit", "inbound", 3, "مراجعه به شعبه‌ی {city}", "مشتری از {product} بازدید کرد و خرید را به هفته‌ی بعد موکول کرد.",
         "Visit to the {city} branch", "Looked at {product} and put off buying until next week."),
        ("purchase", "inbound", 3, "خرید حضوری", "خرید نقدی {count} عدد {product} در شعبه‌ی {city}.",
         "In-store purchase", "Bought {count} × {product} in cash at the {city} branch."),
    ),
    "field_sales": (
        ("meeting", "outbound", 3, "جلسه با واحد خرید", "جلسه‌ی معرفی {product} با مدیر خرید؛ نمونه برای آزمایش گذاشته شد.",
         "Meeting with purchasing", "Presented {product} to the purchasing manager; left a sample for testing."),
        ("visit", "outbound", 2, "بازدید از کارگاه مشتری", "بازدید از خط تولید در {city} و بررسی نیاز به {product}.",
         "Visit to the customer's site", "Toured the production line in {city} and looked at their need for {product}."),
    ),
    "after_sales": (
        ("request", "inbound", 3, "درخواست تعمیر {product}", "دستگاه {product} روشن نمی‌شود. کارشناس فنی تا {days} روز دیگر مراجعه می‌کند.",
         "Repair request: {product}", "The {product} will not start. A technician visits within {days} days."),
        ("call", "outbound", 2, "نظرسنجی پس از نصب", "رضایت مشتری از نصب {product} پرسیده شد؛ امتیاز {count} از ۱۰.",
         "After-installation survey", "Asked how the {product} installation went; scored {count} out of 10."),
        ("complaint", "inbound", 1, "شکایت از کیفیت", "مشتری از کیفیت قطعات یدکی سفارش {order} ناراضی است.",
         "Complaint about quality", "The customer is unhappy with the spare parts of order {order}."),
    ),
    "ivr": (
        ("call", "inbound", 4, "تماس با پاسخگوی خودکار", "گزینه‌ی {option} انتخاب شد: پیگیری وضعیت سفارش {order}.",
         "Automatic answering call", "Chose option {option}: status of order {order}."),
        ("call", "inbound", 2, "استعلام مانده‌ی حساب", "مانده‌ی حساب از طریق پاسخگوی خودکار شنیده شد.",
         "Balance inquiry", "Listened to the account balance on the automatic answering line."),
    ),
    "kiosk": (
        ("purchase", "inbound", 2, "پرداخت در کیوسک", "پرداخت {amount} ریال بابت فاکتور سفارش {order}.",
         "Kiosk payment", "Paid {amount} Rial for the invoice of order {order}."),
        ("other", "inbound", 1, "دریافت نوبت", "نوبت خدمات پس از فروش از کیوسک شعبه‌ی {city} گرفته شد.",
         "Queue ticket", "Took an after-sales ticket at the {city} branch kiosk."),
    ),
    "social": (
        ("message", "inbound", 3, "پیام در اینستاگرام", "پرسش درباره‌ی قیمت و موجودی {product}.",
         "Instagram message", "Asked about the price and stock of {product}."),
        ("message", "outbound", 1, "پاسخ در تلگرام", "مشخصات فنی {product} و لینک فروشگاه فرستاده شد.",
         "Telegram reply", "Sent the specifications of {product} and the shop link."),
    ),
    "letter": (
        ("other", "outbound", 2, "نامه‌ی رسمی همکاری", "نامه‌ی پیشنهاد همکاری سال ۱۴۰۴ برای مدیرعامل ارسال شد.",
         "Letter proposing cooperation", "Sent the letter proposing next year's cooperation to the chief executive."),
        ("other", "inbound", 1, "نامه‌ی درخواست تمدید قرارداد", "درخواست کتبی تمدید قرارداد شماره‌ی {order}.",
         "Letter asking to renew", "A written request to renew contract {order}."),
    ),
}  # fmt: skip
PRODUCTS: tuple[tuple[str, str], ...] = (
    ("یخچال ساید بای ساید", "side-by-side fridge"), ("کولر گازی", "air conditioner"), ("پکیج دیواری", "wall boiler"),
    ("لپ‌تاپ", "laptop"), ("چاپگر لیزری", "laser printer"), ("کاشی و سرامیک", "ceramic tiles"),
    ("لوله‌ی پلی‌اتیلن", "polyethylene pipe"), ("روغن موتور", "engine oil"), ("دستگاه کارت‌خوان", "card reader"),
    ("نرم‌افزار حسابداری", "accounting software"), ("ورق فولادی", "steel sheet"), ("پنل خورشیدی", "solar panel"),
)  # fmt: skip
CITIES: tuple[tuple[str, str], ...] = (
    ("تهران", "Tehran"), ("اصفهان", "Isfahan"), ("مشهد", "Mashhad"), ("شیراز", "Shiraz"), ("تبریز", "Tabriz"),
    ("کرج", "Karaj"), ("رشت", "Rasht"), ("یزد", "Yazd"),
)  # fmt: skip
DURATIONS: dict[str, tuple[int, int]] = {  # seconds, by kind
    "call": (30, 900),
    "meeting": (900, 5400),
    "visit": (600, 3600),
}


def interactions(plan: ActivityPlan, *, users: Sequence[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """``{"index", "party", "occurred_at", "channel", "kind", "direction", "subject", "content",
    "duration_seconds", "owner_key", "team_key", "source_system", "external_id"}``, in time order.

    ``channel`` is a channel key; ``owner_key`` indexes ``users`` (the party's owner most often,
    otherwise a colleague), ``team_key`` is that user's first team. The text is in the language
    of the user who logged it.
    """
    rng = random_stream(plan.seed, "interactions")
    colleagues = owner_candidates(users)
    channels, channel_weights = zip(*CHANNEL_SHARES, strict=True)
    cumulative_channels = list(itertools.accumulate(channel_weights))
    templates = {
        channel: (list(entries), list(itertools.accumulate(entry[2] for entry in entries)))
        for channel, entries in TEMPLATES.items()
    }
    for index, (at, party) in enumerate(interaction_slots(plan)):
        owner = users[plan.owners[party - 1]] if rng.random() < OWNER_LOGS_SHARE else rng.choice(colleagues)
        channel = rng.choices(channels, cum_weights=cumulative_channels)[0]
        entries, cumulative = templates[channel]
        kind, direction, _weight, subject_fa, content_fa, subject_en, content_en = rng.choices(
            entries, cum_weights=cumulative
        )[0]
        persian = owner["language"] == "fa"
        values = _values(rng, persian)
        subject, content = (subject_fa, content_fa) if persian else (subject_en, content_en)
        duration = DURATIONS.get(kind)
        source_system = PUSHED_BY.get(channel, "")
        yield {
            "index": index, "party": party, "occurred_at": moment(at), "channel": channel, "kind": kind,
            "direction": direction, "subject": subject.format_map(values), "content": content.format_map(values),
            "duration_seconds": rng.randint(*duration) if duration else None,
            "owner_key": owner["key"], "team_key": owner["team_keys"][0],
            "source_system": source_system, "external_id": f"{source_system}-{index + 1}" if source_system else "",
        }  # fmt: skip


def _values(rng: random.Random, persian: bool) -> dict[str, Any]:
    product = rng.choice(PRODUCTS)
    city = rng.choice(CITIES)
    return {
        "order": f"{rng.randrange(10_000, 99_999)}",
        "product": product[0] if persian else product[1],
        "city": city[0] if persian else city[1],
        "amount": f"{rng.randrange(5, 5_000) * 100_000:,}",
        "days": rng.randrange(2, 8),
        "code": f"PV{rng.randrange(1000, 9999)}",
        "option": rng.randrange(1, 6),
        "count": rng.randrange(1, 11),
    }
