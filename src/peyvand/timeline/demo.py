"""The demo timeline: months of interactions with the demo customers, on every channel.

``build_demo_timeline`` runs after the customer file's demo (``peyvand demo``). It prices the
channels as an administrator would, then logs each customer's calls, emails, visits, messages and
pushed events through ``interaction_log``, so every party's figures and tallies per channel, and
the audit trail, are what real use writes. A few key accounts have a long timeline, most customers
a handful of interactions, leads one or two. The text is in the language of the staff member who
logged it. Draws come from a seeded random generator; times run up to the moment the demo is built.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.contacts.models import Party
from peyvand.timeline.models import Channel
from peyvand.timeline.services import channel_update, interaction_log

SEED = 1404
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))

# Cost per contact in Rial, as a business would reckon it.
CHANNEL_COSTS = {
    "phone": 45_000, "email": 2_000, "sms": 3_500, "website": 1_000, "portal": 1_000, "store": 150_000,
    "field_sales": 2_500_000, "after_sales": 400_000, "ivr": 8_000, "kiosk": 5_000, "social": 10_000, "letter": 80_000,
}  # fmt: skip
CHANNEL_WEIGHTS = {
    "phone": 30, "email": 14, "sms": 10, "website": 5, "portal": 4, "store": 7, "field_sales": 5, "after_sales": 6,
    "ivr": 7, "kiosk": 3, "social": 5, "letter": 2,
}  # fmt: skip
# Interactions on these channels come from another system, with its own id.
PUSHED_BY = {"ivr": "call-centre", "website": "website", "portal": "portal", "kiosk": "kiosk"}

# channel: (kind, direction, Persian subject, Persian content, English subject, English content)
TEMPLATES: dict[str, Sequence[tuple[str, str, str, str, str, str]]] = {
    "phone": (
        ("call", "inbound", "پیگیری سفارش {order}",
         "مشتری درباره‌ی زمان ارسال سفارش {order} پرسید. گفتم تا {days} روز کاری به دستش می‌رسد.",
         "Order {order} follow-up", "Asked when order {order} will arrive. Told them within {days} working days."),
        ("call", "outbound", "معرفی {product}",
         "{product} و شرایط فروش اقساطی را توضیح دادم. خواست کاتالوگ برایش ایمیل شود.",
         "Introducing {product}", "Walked them through {product} and the instalment plan. They want the catalogue by email."),
        ("request", "inbound", "استعلام قیمت {product}",
         "برای {count} عدد {product} قیمت خواست؛ پیش‌فاکتور تا فردا فرستاده می‌شود.",
         "Price inquiry: {product}", "Asked the price of {count} × {product}; the quote goes out tomorrow."),
        ("complaint", "inbound", "گله از تأخیر ارسال",
         "سفارش {order} هنوز نرسیده و مشتری ناراضی است. موضوع را به واحد ارسال ارجاع دادم و قرار شد امروز خبر بدهند.",
         "Complaint: late delivery", "Order {order} has not arrived and they are unhappy. Passed it to shipping, who will call back today."),
        ("call", "outbound", "هماهنگی جلسه",
         "برای جلسه‌ی معرفی محصولات جدید، {weekday} ساعت ۱۰ در دفتر {city} هماهنگ شد.",
         "Setting up a meeting", "Booked the new-products meeting for {weekday_en} at 10:00 at the {city_en} office."),
        ("note", "internal", "یادداشت پس از تماس",
         "تصمیم خرید با مدیر مالی است؛ تماس بعدی بعد از بستن بودجه‌ی فصل.",
         "Note after the call", "The finance manager decides; call again once the quarter's budget is set."),
    ),
    "email": (
        ("email", "outbound", "پیش‌فاکتور {product}",
         "پیش‌فاکتور {count} عدد {product} به مبلغ {amount} ریال، با اعتبار یک هفته، فرستاده شد.",
         "Quote for {product}", "Sent the quote for {count} × {product}, {amount} Rial, valid for a week."),
        ("email", "inbound", "درخواست فهرست قیمت",
         "فهرست قیمت جدید و شرایط تخفیف خرید عمده را خواسته است.",
         "Price list request", "They asked for the new price list and the terms for bulk orders."),
        ("email", "outbound", "پیش‌نویس قرارداد",
         "پیش‌نویس قرارداد سالانه برای بررسی واحد حقوقی‌شان فرستاده شد.",
         "Draft contract", "Sent the draft annual contract for their legal team to review."),
        ("email", "inbound", "تأیید دریافت کالا",
         "دریافت محموله‌ی سفارش {order} را تأیید کرده‌اند؛ یک کارتن آسیب دیده بود.",
         "Delivery confirmed", "They confirmed order {order} arrived; one carton was damaged."),
    ),
    "sms": (
        ("message", "outbound", "کد تخفیف", "کد تخفیف {code} برای خرید بعدی فرستاده شد.",
         "Discount code", "Sent discount code {code} for their next purchase."),
        ("message", "outbound", "یادآوری قرار", "یادآوری جلسه‌ی {weekday} در دفتر {city}.",
         "Reminder", "Reminder of {weekday_en}'s meeting at the {city_en} office."),
        ("message", "inbound", "پاسخ پیامکی", "با پیامک تأیید کرد که سفارش {order} را تحویل گرفته است.",
         "Text reply", "Confirmed by text that order {order} was delivered."),
    ),
    "website": (
        ("request", "inbound", "فرم تماس وب‌سایت", "درخواست تماس برای مشاوره درباره‌ی {product}.",
         "Website contact form", "Asked to be called back about {product}."),
        ("purchase", "inbound", "خرید اینترنتی {order}", "{count} عدد {product} به مبلغ {amount} ریال از فروشگاه اینترنتی خرید.",
         "Online order {order}", "Bought {count} × {product} in the web shop, {amount} Rial."),
    ),
    "portal": (
        ("request", "inbound", "درخواست در پرتال مشتریان", "نسخه‌ی فاکتور سفارش {order} را از پرتال خواست.",
         "Portal request", "Asked in the portal for a copy of the invoice of order {order}."),
        ("other", "inbound", "تغییر نشانی ارسال", "نشانی ارسال را در پرتال به‌روز کرد.",
         "Delivery address changed", "Updated their delivery address in the portal."),
    ),
    "store": (
        ("visit", "inbound", "مراجعه به شعبه‌ی {city}", "{product} را از نزدیک دید و خرید را به هفته‌ی بعد موکول کرد.",
         "Visit to the {city_en} branch", "Looked at {product} in person and put off buying until next week."),
        ("purchase", "inbound", "خرید حضوری", "{count} عدد {product} را نقدی از شعبه‌ی {city} خرید.",
         "In-store purchase", "Bought {count} × {product} in cash at the {city_en} branch."),
    ),
    "field_sales": (
        ("visit", "outbound", "بازدید از منزل برای برآورد",
         "برای نصب {product} از منزل بازدید و اندازه‌گیری کردم؛ برآورد هزینه تا فردا فرستاده می‌شود.",
         "Home visit for an estimate", "Visited their home to measure for the {product}; the estimate goes out tomorrow."),
        ("meeting", "outbound", "جلسه با واحد خرید",
         "جلسه‌ی معرفی {product} با مدیر خرید برگزار شد؛ یک نمونه برای آزمایش گذاشتیم.",
         "Meeting with purchasing", "Presented {product} to the purchasing manager and left a sample for testing."),
        ("visit", "outbound", "بازدید از کارخانه", "از خط تولیدشان در {city} بازدید کردم؛ به {product} برای توسعه‌ی خط نیاز دارند.",
         "Site visit", "Toured their production line in {city_en}; they need {product} for the new line."),
    ),
    "after_sales": (
        ("request", "inbound", "درخواست تعمیر {product}",
         "{product} روشن نمی‌شود. کارشناس فنی تا {days} روز دیگر مراجعه می‌کند.",
         "Repair request: {product}", "The {product} will not start. A technician will visit within {days} days."),
        ("call", "outbound", "نظرسنجی پس از نصب", "رضایت از نصب {product} را پرسیدم؛ نمره‌ی {count} از ۱۰ داد.",
         "After-installation survey", "Asked how the {product} installation went; they gave {count} out of 10."),
        ("complaint", "inbound", "شکایت از کیفیت قطعات", "از کیفیت قطعات یدکی سفارش {order} ناراضی است و تعویض خواست.",
         "Complaint about parts", "Unhappy with the spare parts of order {order}; asked for a replacement."),
    ),
    "ivr": (
        ("call", "inbound", "تماس با پاسخگوی خودکار", "گزینه‌ی {option} را انتخاب کرد: وضعیت سفارش {order}.",
         "Automatic answering call", "Chose option {option}: status of order {order}."),
        ("call", "inbound", "استعلام مانده‌ی حساب", "مانده‌ی حسابش را از پاسخگوی خودکار شنید.",
         "Balance inquiry", "Listened to their account balance on the automatic line."),
    ),
    "kiosk": (
        ("purchase", "inbound", "پرداخت در کیوسک", "{amount} ریال بابت فاکتور سفارش {order} پرداخت کرد.",
         "Kiosk payment", "Paid {amount} Rial for the invoice of order {order}."),
        ("other", "inbound", "گرفتن نوبت", "از کیوسک شعبه‌ی {city} نوبت خدمات پس از فروش گرفت.",
         "Queue ticket", "Took an after-sales ticket at the {city_en} branch kiosk."),
    ),
    "social": (
        ("message", "inbound", "پیام در اینستاگرام", "قیمت و موجودی {product} را پرسید.",
         "Instagram message", "Asked about the price and stock of {product}."),
        ("message", "outbound", "پاسخ در تلگرام", "مشخصات فنی {product} و نشانی فروشگاه اینترنتی را فرستادم.",
         "Telegram reply", "Sent the specifications of {product} and the web shop's address."),
    ),
    "letter": (
        ("other", "outbound", "کارت تبریک نوروز", "کارت تبریک نوروز همراه با کاتالوگ بهار فرستاده شد.",
         "Nowruz card", "Sent a Nowruz greeting card with the spring catalogue."),
        ("other", "outbound", "نامه‌ی پیشنهاد همکاری", "نامه‌ی پیشنهاد همکاری سال آینده برای مدیرعامل فرستاده شد.",
         "Letter proposing cooperation", "Sent the letter proposing next year's cooperation to the chief executive."),
        ("other", "inbound", "درخواست تمدید قرارداد", "درخواست کتبی تمدید قرارداد شماره‌ی {order} رسید.",
         "Request to renew", "A written request arrived to renew contract {order}."),
    ),
}  # fmt: skip
# What only a company is told or asks (by English subject); persons and leads get the rest.
FOR_COMPANIES = frozenset({
    "Note after the call", "Price list request", "Draft contract", "Meeting with purchasing", "Site visit",
    "Letter proposing cooperation", "Request to renew",
})  # fmt: skip
PRODUCTS = (
    ("یخچال ساید بای ساید", "side-by-side fridge"), ("کولر گازی", "air conditioner"), ("پکیج دیواری", "wall boiler"),
    ("لپ‌تاپ", "laptop"), ("چاپگر لیزری", "laser printer"), ("کاشی و سرامیک", "ceramic tiles"),
    ("لوله‌ی پلی‌اتیلن", "polyethylene pipe"), ("دستگاه کارت‌خوان", "card reader"),
    ("نرم‌افزار حسابداری", "accounting software"), ("پنل خورشیدی", "solar panel"),
)  # fmt: skip
CITIES = (("تهران", "Tehran"), ("اصفهان", "Isfahan"), ("مشهد", "Mashhad"), ("شیراز", "Shiraz"), ("تبریز", "Tabriz"))
WEEKDAYS = (("شنبه", "Saturday"), ("یکشنبه", "Sunday"), ("دوشنبه", "Monday"), ("سه‌شنبه", "Tuesday"),
            ("چهارشنبه", "Wednesday"))  # fmt: skip
DURATIONS = {"call": (40, 900), "meeting": (1800, 5400), "visit": (900, 3600)}
KEY_ACCOUNTS = 3  # the first Persian companies: long timelines


def _how_many(rng: random.Random, party: Party, index: int) -> int:
    if party.kind == Party.Kind.COMPANY and index < KEY_ACCOUNTS:
        return rng.randrange(35, 50)
    if party.kind == Party.Kind.LEAD:
        return 0 if party.lead_status == "new" and rng.random() < 0.5 else rng.randrange(1, 3)
    base = {"customer": (3, 9), "former_customer": (2, 4), "prospect": (1, 4), "subscriber": (1, 3)}
    low, high = base.get(party.lifecycle_stage, (1, 3))
    if party.kind == Party.Kind.COMPANY:
        low, high = low * 3 // 2, high * 3 // 2
    return rng.randrange(low, high)


def _office_hours(rng: random.Random, moment: dt.datetime) -> dt.datetime:
    """The same day, between 08:30 and 18:30 in Tehran; Fridays move to Saturday."""
    local = moment.astimezone(TEHRAN)
    if local.weekday() == 4:  # Friday
        local += dt.timedelta(days=1)
    minutes = rng.randrange(8 * 60 + 30, 18 * 60 + 30)
    local = local.replace(hour=minutes // 60, minute=minutes % 60, second=rng.randrange(60), microsecond=0)
    return local.astimezone(dt.UTC)


def _values(rng: random.Random) -> dict[str, Any]:
    product, city, weekday = rng.choice(PRODUCTS), rng.choice(CITIES), rng.choice(WEEKDAYS)
    return {
        "order": rng.randrange(10_000, 99_999), "product_fa": product[0], "product_en": product[1],
        "city": city[0], "city_en": city[1], "weekday": weekday[0], "weekday_en": weekday[1],
        "amount": f"{rng.randrange(5, 900) * 1_000_000:,}", "days": rng.randrange(2, 8),
        "code": f"PV{rng.randrange(1000, 9999)}", "option": rng.randrange(1, 6), "count": rng.randrange(2, 11),
    }  # fmt: skip


@transaction.atomic
def build_demo_timeline() -> int:
    """Log the demo customers' interactions; returns how many. Registered as a demo builder."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not a secret)
    now = timezone.now()
    users = {user.username: user for user in User.objects.filter(email__endswith="@demo.peyvand.local")}
    admin = users.get("admin")
    colleagues = [users[name] for name in ("agent", "manager", "rep2") if name in users]
    channels = {channel.key: channel for channel in Channel.objects.filter(is_active=True)}
    for key, cost in CHANNEL_COSTS.items():
        if key in channels and channels[key].cost_per_contact != cost:
            channels[key] = channel_update(actor=admin, channel=channels[key], cost_per_contact=cost)
    keys = [key for key in CHANNEL_WEIGHTS if key in channels]
    weights = [CHANNEL_WEIGHTS[key] for key in keys]
    logged = 0
    pushed = 0
    companies_seen = 0
    for party in Party.objects.select_related("owner").order_by("pk"):
        index = companies_seen if party.kind == Party.Kind.COMPANY else -1
        companies_seen += party.kind == Party.Kind.COMPANY
        wanted = _how_many(rng, party, index)
        start = max(party.created_at, now - dt.timedelta(days=270))
        span = (now - start).total_seconds()
        moments = sorted(_office_hours(rng, start + dt.timedelta(seconds=rng.uniform(0, span))) for _ in range(wanted))
        for moment in moments:
            if moment > now or moment < party.created_at:
                continue
            # Every channel appears early on, then each in proportion to how much it is used.
            key = keys[logged] if logged < len(keys) else rng.choices(keys, weights=weights)[0]
            owner = party.owner if party.owner is not None and rng.random() < 0.75 else rng.choice(colleagues)
            choices = [entry for entry in TEMPLATES[key] if party.is_company or entry[4] not in FOR_COMPANIES]
            kind, direction, subject_fa, content_fa, subject_en, content_en = rng.choice(choices)
            values = _values(rng)
            english = owner is not None and owner.language == "en"
            values["product"] = values["product_en"] if english else values["product_fa"]
            subject = (subject_en if english else subject_fa).format_map(values)
            content = (content_en if english else content_fa).format_map(values)
            duration = DURATIONS.get(kind)
            source_system = PUSHED_BY.get(key, "")
            if source_system:
                pushed += 1
            interaction_log(
                actor=owner, party=party, channel=channels[key], kind=kind, direction=direction, occurred_at=moment,
                subject=subject, content=content, duration_seconds=rng.randrange(*duration) if duration else None,
                owner=owner, source_system=source_system, external_id=f"demo-{pushed}" if source_system else "",
            )  # fmt: skip
            logged += 1
    return logged
