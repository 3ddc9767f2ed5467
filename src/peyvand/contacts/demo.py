"""The demo customer file: persons, companies and leads in Persian and English, as a business keeps them.

``build_demo_customers`` runs after the demo organisation exists (``peyvand demo``). Every record
goes through the services (``party_create``, ``relationship_create``, ``list_entry_save``), so
search terms, contact-point keys, encrypted fields and the audit trail are what real use writes.
Draws come from a seeded random generator: every run builds the same file. Each record's creation
date is set back to when the business first met the customer, so that the months of interactions
the timeline's demo adds come after it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.common.identifiers import company_national_id_check_digit, national_id_check_digit
from peyvand.contacts.models import Category, ContactPoint, CustomField, Party, RelationshipType, Source
from peyvand.contacts.normalize import ContactPointIn
from peyvand.contacts.services.lists import list_entry_save
from peyvand.contacts.services.parties import party_create
from peyvand.contacts.services.relationships import relationship_create

SEED = 1404
DEMO_DOMAIN = "example.com"  # reserved (RFC 2606): the demo never mails anyone

# (Persian, Latin) — the Latin spelling makes e-mail addresses.
MEN = (
    ("علی", "ali"), ("محمد", "mohammad"), ("رضا", "reza"), ("حسین", "hossein"), ("مهدی", "mahdi"), ("امیر", "amir"),
    ("سعید", "saeed"), ("مجید", "majid"), ("حمید", "hamid"), ("محسن", "mohsen"), ("وحید", "vahid"), ("بهرام", "bahram"),
    ("فرهاد", "farhad"), ("کامران", "kamran"), ("آرش", "arash"), ("بابک", "babak"), ("پیمان", "peyman"),
    ("سینا", "sina"), ("نیما", "nima"), ("کوروش", "kourosh"), ("مسعود", "masoud"), ("هادی", "hadi"), ("ایمان", "iman"),
    ("پارسا", "parsa"), ("سهیل", "soheil"), ("داوود", "davood"), ("یوسف", "yousef"), ("جواد", "javad"),
)  # fmt: skip
WOMEN = (
    ("فاطمه", "fatemeh"), ("زهرا", "zahra"), ("مریم", "maryam"), ("سارا", "sara"), ("نگار", "negar"), ("نرگس", "narges"),
    ("مهسا", "mahsa"), ("مینا", "mina"), ("الهام", "elham"), ("لیلا", "leila"), ("شیرین", "shirin"),
    ("فرشته", "fereshteh"), ("سپیده", "sepideh"), ("نازنین", "nazanin"), ("نیلوفر", "niloufar"), ("پریسا", "parisa"),
    ("ریحانه", "reyhaneh"), ("آیدا", "aida"), ("بهاره", "bahareh"), ("رویا", "roya"), ("سحر", "sahar"),
    ("ساناز", "sanaz"), ("ترانه", "taraneh"), ("آزاده", "azadeh"), ("یاسمن", "yasaman"), ("ستاره", "setareh"),
)  # fmt: skip
FAMILY_NAMES = (
    ("رضایی", "rezaei"), ("احمدی", "ahmadi"), ("محمدی", "mohammadi"), ("حسینی", "hosseini"), ("کریمی", "karimi"),
    ("موسوی", "mousavi"), ("جعفری", "jafari"), ("کاظمی", "kazemi"), ("رحیمی", "rahimi"), ("صادقی", "sadeghi"),
    ("قاسمی", "ghasemi"), ("هاشمی", "hashemi"), ("ابراهیمی", "ebrahimi"), ("نوری", "nouri"), ("اکبری", "akbari"),
    ("طاهری", "taheri"), ("مرادی", "moradi"), ("یوسفی", "yousefi"), ("سلیمانی", "soleimani"), ("باقری", "bagheri"),
    ("شریفی", "sharifi"), ("امینی", "amini"), ("نجفی", "najafi"), ("میرزایی", "mirzaei"), ("صالحی", "salehi"),
    ("خسروی", "khosravi"), ("رستمی", "rostami"), ("جلالی", "jalali"), ("توکلی", "tavakoli"), ("شیرازی", "shirazi"),
    ("تهرانی", "tehrani"), ("کرمانی", "kermani"), ("یزدی", "yazdi"), ("کاشانی", "kashani"), ("حسین‌زاده", "hosseinzadeh"),
    ("علی‌پور", "alipour"), ("ملک‌زاده", "malekzadeh"), ("نیک‌نام", "niknam"), ("فرهمند", "farahmand"),
    ("سپهری", "sepehri"), ("نادری", "naderi"), ("وکیلی", "vakili"), ("قربانی", "ghorbani"), ("حیدری", "heydari"),
    ("کیانی", "kiani"), ("منصوری", "mansouri"), ("افشار", "afshar"), ("دهقان", "dehghan"), ("یگانه", "yeganeh"),
)  # fmt: skip
ENGLISH_MEN = ("James", "John", "Robert", "Michael", "David", "Daniel", "Thomas", "Paul", "Mark", "Andrew", "Peter")
ENGLISH_WOMEN = ("Mary", "Emma", "Sarah", "Laura", "Anna", "Helen", "Rachel", "Emily", "Claire", "Julia", "Kate")
ENGLISH_FAMILY_NAMES = ("Smith", "Miller", "Taylor", "Brown", "Wilson", "Clarke", "Walker", "Wright", "Hughes",
                        "Turner", "Cooper", "Bennett", "Foster", "Hayes", "Morgan")  # fmt: skip

# Persian companies: name, legal form, Latin name (for the website), province, city, area code.
PERSIAN_COMPANIES = (
    ("پارس فولاد سپاهان", "سهامی خاص", "parsfoolad", "isfahan", "اصفهان", "31"),
    ("داده‌پردازان نوین البرز", "سهامی خاص", "novindata", "tehran", "تهران", "21"),
    ("بازرگانی آریا تجارت خزر", "با مسئولیت محدود", "ariatejarat", "gilan", "رشت", "13"),
    ("صنایع غذایی مهرآفرین", "سهامی عام", "mehrafarinfood", "khorasan-razavi", "مشهد", "51"),
    ("تجهیزات پزشکی سپهر طب", "سهامی خاص", "sepehrteb", "tehran", "تهران", "21"),
    ("حمل و نقل بین‌المللی زاگرس بار", "سهامی خاص", "zagrosbar", "kermanshah", "کرمانشاه", "83"),
    ("کاشی و سرامیک کویر یزد", "سهامی عام", "kavirtile", "yazd", "یزد", "35"),
    ("نساجی بافت ماهان", "تعاونی", "mahantextile", "isfahan", "کاشان", "31"),
    ("مهندسی و ساختمان دنا سازه", "سهامی خاص", "denasazeh", "fars", "شیراز", "71"),
    ("رایان پیشرو", "با مسئولیت محدود", "rayanpishro", "tehran", "تهران", "21"),
    ("داروسازی کیمیا شفا", "سهامی عام", "kimiashafa", "tehran", "تهران", "21"),
    ("لوازم خانگی تابان", "سهامی خاص", "tabanhome", "alborz", "کرج", "26"),
    ("الکترونیک سهند", "سهامی خاص", "sahandelec", "azarbaijan-east", "تبریز", "41"),
    ("پخش سراسری آفتاب", "سهامی خاص", "aftabpakhsh", "tehran", "تهران", "21"),
    ("کشت و صنعت دشت سبز", "تعاونی", "dashtesabz", "khuzestan", "اهواز", "61"),
    ("صنایع شیمیایی خلیج نگین", "سهامی عام", "khalijnegin", "bushehr", "بوشهر", "77"),
    ("چاپ و نشر آینده‌سازان", "با مسئولیت محدود", "ayandehsazan", "qom", "قم", "25"),
    ("کارگزاری بیمه امید", "سهامی خاص", "omidbroker", "tehran", "تهران", "21"),
    ("بسته‌بندی ایده‌پردازان", "سهامی خاص", "idehpack", "markazi", "اراک", "86"),
    ("انرژی‌های نو آسمان", "سهامی خاص", "asemanenergy", "kerman", "کرمان", "34"),
    ("فروشگاه‌های زنجیره‌ای کوثر", "سهامی عام", "kowsarstores", "tehran", "تهران", "21"),
    ("مصالح ساختمانی سپید", "با مسئولیت محدود", "sepidmasaleh", "hamadan", "همدان", "81"),
    ("شیرینی و شکلات پردیس", "سهامی خاص", "pardischoco", "mazandaran", "ساری", "11"),
    ("ماشین‌سازی آرمان", "سهامی خاص", "armanmachine", "markazi", "اراک", "86"),
    ("خدمات رایانه‌ای افق", "با مسئولیت محدود", "ofoghit", "isfahan", "اصفهان", "31"),
    ("فرش دستباف نگین کاشان", "تعاونی", "neginrug", "isfahan", "کاشان", "31"),
    ("بازرگانی دماوند", "تضامنی", "damavandtrade", "tehran", "تهران", "21"),
    ("لبنیات کوهسار", "سهامی خاص", "koohsardairy", "fars", "شیراز", "71"),
)  # fmt: skip
# English companies: name, Latin slug, country, province or region, city.
ENGLISH_COMPANIES = (
    ("Caspian Logistics Ltd", "caspianlogistics", "IR", "gilan", "رشت"),
    ("Northwind Trading LLC", "northwind", "AE", "Dubai", "Dubai"),
    ("Atlas Medical Equipment Co.", "atlasmedical", "IR", "tehran", "تهران"),
    ("Bluewater Engineering Ltd", "bluewater", "IR", "hormozgan", "بندرعباس"),
    ("Silverline Software Inc.", "silverline", "IR", "tehran", "تهران"),
    ("Meridian Foods Co. Ltd", "meridianfoods", "TR", "Istanbul", "Istanbul"),
    ("Keystone Packaging Ltd", "keystonepack", "IR", "alborz", "کرج"),
    ("Horizon Energy Group", "horizonenergy", "AE", "Abu Dhabi", "Abu Dhabi"),
    ("Granite Construction LLC", "graniteconstruction", "IR", "isfahan", "اصفهان"),
    ("Sterling Insurance Brokers Ltd", "sterlingbrokers", "IR", "tehran", "تهران"),
    ("Vertex Electronics Inc.", "vertexelectronics", "IR", "azarbaijan-east", "تبریز"),
    ("Harbor Shipping Co.", "harborshipping", "IR", "bushehr", "بوشهر"),
)  # fmt: skip
# Cities people live in: province, city, area code.
HOME_CITIES = (
    ("tehran", "تهران", "21"), ("tehran", "تهران", "21"), ("tehran", "تهران", "21"), ("isfahan", "اصفهان", "31"),
    ("khorasan-razavi", "مشهد", "51"), ("fars", "شیراز", "71"), ("azarbaijan-east", "تبریز", "41"),
    ("alborz", "کرج", "26"), ("gilan", "رشت", "13"), ("yazd", "یزد", "35"), ("khuzestan", "اهواز", "61"),
    ("mazandaran", "ساری", "11"),
)  # fmt: skip
STREETS = ("خیابان ولیعصر", "خیابان انقلاب", "بلوار کشاورز", "خیابان آزادی", "بلوار میرداماد", "خیابان شریعتی",
           "خیابان مطهری", "بلوار چمران", "خیابان فردوسی", "خیابان بهار", "کوچه‌ی نسترن", "بلوار آزادگان")  # fmt: skip
JOB_TITLES = (
    ("مدیر عامل", "Chief executive"), ("مدیر خرید", "Purchasing manager"), ("کارشناس خرید", "Buyer"),
    ("مدیر مالی", "Finance manager"), ("حسابدار", "Accountant"), ("مدیر فنی", "Technical director"),
    ("مدیر بازرگانی", "Commercial manager"), ("مدیر انبار", "Warehouse manager"),
    ("کارشناس فناوری اطلاعات", "IT specialist"), ("مسئول دفتر", "Office manager"), ("مدیر تولید", "Production manager"),
)  # fmt: skip
OCCUPATIONS = (
    "پزشک",
    "مهندس عمران",
    "معلم",
    "وکیل",
    "حسابدار",
    "برنامه‌نویس",
    "فروشنده",
    "داروساز",
    "معمار",
    "کارمند بانک",
)
INTERESTS = ("کوهنوردی", "کتاب", "فوتبال", "سفر", "آشپزی", "عکاسی", "موسیقی سنتی", "باغبانی", "شنا")
PERSON_NOTES = (
    "مشتری قدیمی؛ خریدهایش را معمولاً آخر فصل انجام می‌دهد.",
    "ترجیح می‌دهد عصرها با او تماس گرفته شود.",
    "برای پرداخت اقساطی سؤال داشت؛ پیش از تماس بعدی شرایط را آماده کنید.",
    "از طرف یکی از مشتریان قدیمی معرفی شده است.",
    "",
    "",
)
LEAD_NOTES = (
    "در نمایشگاه صنعت ساختمان به غرفه‌ی ما آمد و کاتالوگ گرفت.",
    "فرم تماس وب‌سایت را پر کرده و قیمت عمده خواسته است.",
    "Met at the Tehran trade fair; wants a quote for next quarter.",
    "Asked for a demo of the service plan by email.",
    "از طریق اینستاگرام پیام داده و شماره‌اش را گذاشته است.",
    "",
)
TAGS_PERSON = ("مشتری وفادار", "VIP", "نیاز به پیگیری", "خبرنامه", "بدحساب")
TAGS_COMPANY = ("مشتری کلیدی", "قرارداد سالانه", "عمده", "صادرات", "VIP")
LEAD_COMPANIES = ("فروشگاه لوازم ورزشی المپیا", "کلینیک دندانپزشکی لبخند", "رستوران سنتی شهرزاد",
                  "دفتر معماری طرح نو", "آموزشگاه زبان پیشگامان", "")  # fmt: skip
LEAD_COMPANIES_ENGLISH = ("Greenleaf Cafe", "Brightstar Tutoring", "Oakwood Dental Clinic", "Riverside Bakery", "")
CHOICE_BRANCHES = [
    {"value": "tehran", "label": "شعبه‌ی تهران", "label_en": "Tehran branch"},
    {"value": "isfahan", "label": "شعبه‌ی اصفهان", "label_en": "Isfahan branch"},
    {"value": "mashhad", "label": "شعبه‌ی مشهد", "label_en": "Mashhad branch"},
    {"value": "online", "label": "فروشگاه اینترنتی", "label_en": "Online shop"},
]

PERSONS_PERSIAN = 125
PERSONS_ENGLISH = 25
LEADS = 30


@dataclass
class DemoCustomers:
    """What the demo made, for the timeline's demo and the tests."""

    persons: list[Party] = field(default_factory=list)
    companies: list[Party] = field(default_factory=list)
    leads: list[Party] = field(default_factory=list)


@dataclass(frozen=True)
class _Owners:
    persian: list[User]
    english: list[User]
    admin: User


def _owners() -> _Owners:
    users = {user.username: user for user in User.objects.filter(email__endswith="@demo.peyvand.local")}
    persian = [users[name] for name in ("rep2", "manager", "agent", "rep2", "manager") if name in users]
    english = [users[name] for name in ("rep", "rep", "manager") if name in users]
    admin = users.get("admin") or User.objects.filter(is_active=True).order_by("pk").first()
    assert admin is not None, "build the demo organisation first"
    assert persian, "build the demo organisation first"
    assert english, "build the demo organisation first"
    return _Owners(persian=persian, english=english, admin=admin)


def _national_id(rng: random.Random) -> str:
    first_nine = f"{rng.choice(('001', '002', '007', '044', '128', '227', '459', '069'))}{rng.randrange(10**6):06d}"
    return f"{first_nine}{national_id_check_digit(first_nine)}"


def _company_national_id(rng: random.Random) -> str:
    first_ten = f"10{rng.randrange(10**8):08d}"
    return f"{first_ten}{company_national_id_check_digit(first_ten)}"


def _mobile(rng: random.Random) -> str:
    """A mobile number written one of the ways people write them, Persian digits included."""
    prefix = rng.choice(("912", "912", "935", "936", "919", "901", "921", "990", "913", "915"))
    block, line = f"{rng.randrange(100, 1000)}", f"{rng.randrange(10000):04d}"
    text = rng.choice((f"0{prefix}{block}{line}", f"0{prefix} {block} {line}", f"+98 {prefix} {block} {line}",
                       f"0{prefix}-{block}-{line}", f"0098{prefix}{block}{line}"))  # fmt: skip
    if rng.random() < 0.2:
        text = text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    return text


def _landline(rng: random.Random, area_code: str) -> str:
    return f"0{area_code} {rng.choice('2345678')}{rng.randrange(10**6, 10**7)}"


def _address(rng: random.Random, province: str, city: str, label: str, *, country: str = "IR") -> dict[str, Any]:
    street = f"{rng.choice(STREETS)}، پلاک {rng.randrange(1, 300)}"
    if country != "IR":
        street = f"Office {rng.randrange(100, 900)}, Business Bay Tower"
    postal_code = f"{rng.randrange(1, 10)}{rng.randrange(10**9):09d}" if country == "IR" else ""
    return {"label": label, "country": country, "province": province, "city": city, "street": street,
            "postal_code": postal_code}  # fmt: skip


def _moment(rng: random.Random, now: dt.datetime, *, days_from: int, days_to: int) -> dt.datetime:
    return now - dt.timedelta(days=rng.uniform(days_from, days_to))


def _backdate(party: Party, created: dt.datetime) -> None:
    """The record as made when the business first met them; the last activity follows."""
    Party.objects.filter(pk=party.pk).update(created_at=created, updated_at=created, active_at=created)
    party.created_at = party.updated_at = party.active_at = created


def _lists(admin: User) -> dict[str, Any]:
    """Categories and custom fields an administrator set up; the sources come with the install."""
    categories = {}
    for key, (name, name_en, kind) in {
        "wholesale": ("عمده‌فروش", "Wholesale", Party.Kind.COMPANY),
        "retail": ("خرده‌فروش", "Retail", ""),
        "government": ("سازمان دولتی", "Government", Party.Kind.COMPANY),
        "key_account": ("مشتری کلیدی", "Key account", ""),
    }.items():
        categories[key] = list_entry_save(actor=admin, entry=Category(name=name, name_en=name_en, kind=kind))
    for kind in (Party.Kind.PERSON, Party.Kind.COMPANY):
        list_entry_save(actor=admin, entry=CustomField(
            kind=kind, key="customer_code", label="کد مشتری", label_en="Customer code", order=10,
            help_text="کد مشتری در نرم‌افزار حسابداری",
        ))  # fmt: skip
    list_entry_save(actor=admin, entry=CustomField(
        kind=Party.Kind.PERSON, key="preferred_branch", label="شعبه‌ی ترجیحی", label_en="Preferred branch",
        field_type=CustomField.Type.CHOICE, choices=CHOICE_BRANCHES, order=20,
    ))  # fmt: skip
    sources = {source.name_en: source for source in Source.objects.all()}
    return {"categories": categories, "sources": list(sources.values())}


@transaction.atomic
def build_demo_customers() -> DemoCustomers:
    """Forty companies, 150 persons, 30 leads, their relationships; registered as a demo builder."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not a secret)
    now = timezone.now()
    owners = _owners()
    lists = _lists(owners.admin)
    categories, sources = lists["categories"], lists["sources"]
    made = DemoCustomers()
    codes = iter(range(1001, 9999))

    # Companies ----------------------------------------------------------------------------------
    for index, (name, form, slug, province, city, area) in enumerate(PERSIAN_COMPANIES):
        owner = owners.persian[index % len(owners.persian)]
        stage = rng.choice(("customer", "customer", "customer", "prospect", "former_customer"))
        fields: dict[str, Any] = {
            "name": f"شرکت {name} ({form})" if index % 3 else f"{name} ({form})",
            "company_national_id": _company_national_id(rng), "lifecycle_stage": stage,
            "size": rng.choice(("10-49", "50-249", "250-999", "1000+", "1-9")),
            "category": rng.choice((categories["wholesale"], categories["key_account"], categories["retail"], None)),
            "source": rng.choice([*sources, None]), "preferred_channel": rng.choice(("phone", "email", "")),
        }  # fmt: skip
        fields["economic_code"] = fields["company_national_id"] if index % 2 else f"411{rng.randrange(10**9):09d}"
        if stage != "prospect":
            fields["custom"] = {"customer_code": f"C-{next(codes)}"}
        points = [ContactPointIn(kind="phone", value=_landline(rng, area), label="work", is_primary=True),
                  ContactPointIn(kind="email", value=f"info@{slug}.{DEMO_DOMAIN}", label="work"),
                  ContactPointIn(kind="website", value=f"https://www.{slug}.{DEMO_DOMAIN}")]  # fmt: skip
        if index % 4 == 0:
            points.append(ContactPointIn(kind="phone", value=_landline(rng, area), label="fax"))
        if index % 5 == 0:
            points.append(ContactPointIn(kind="social", value=f"@{slug}", network="instagram"))
        company = party_create(
            actor=owner, kind=Party.Kind.COMPANY, fields=fields, contact_points=points,
            addresses=[_address(rng, province, city, "work")],
            tags=rng.sample(TAGS_COMPANY, rng.choice((0, 1, 1, 2))),
        )  # fmt: skip
        _backdate(company, _moment(rng, now, days_from=300, days_to=900))
        made.companies.append(company)
    for index, (name, slug, country, region, city) in enumerate(ENGLISH_COMPANIES):
        owner = owners.english[index % len(owners.english)]
        fields = {"name": name, "lifecycle_stage": rng.choice(("customer", "prospect", "customer")),
                  "size": rng.choice(("10-49", "50-249", "250-999")), "preferred_channel": "email",
                  "source": rng.choice([*sources, None])}  # fmt: skip
        if country == "IR":
            fields["company_national_id"] = _company_national_id(rng)
            fields["economic_code"] = fields["company_national_id"]
        points = [ContactPointIn(kind="email", value=f"office@{slug}.{DEMO_DOMAIN}", label="work"),
                  ContactPointIn(kind="website", value=f"www.{slug}.{DEMO_DOMAIN}")]  # fmt: skip
        if country == "IR":
            points.insert(0, ContactPointIn(kind="phone", value=_landline(rng, "21"), label="work"))
        elif country == "AE":
            points.insert(0, ContactPointIn(kind="phone", value=f"+971 4 {rng.randrange(300, 399)} {rng.randrange(1000, 9999)}",
                                            label="work"))  # fmt: skip
        else:
            points.insert(0, ContactPointIn(kind="phone", value=f"+90 212 {rng.randrange(300, 399)} {rng.randrange(1000, 9999)}",
                                            label="work"))  # fmt: skip
        company = party_create(
            actor=owner, kind=Party.Kind.COMPANY, fields=fields, contact_points=points,
            addresses=[_address(rng, region, city, "work", country=country)],
        )  # fmt: skip
        _backdate(company, _moment(rng, now, days_from=300, days_to=900))
        made.companies.append(company)

    # Persons ------------------------------------------------------------------------------------
    persian_companies = made.companies[: len(PERSIAN_COMPANIES)]
    english_companies = made.companies[len(PERSIAN_COMPANIES) :]
    employers: list[tuple[Party, Party, str]] = []  # person, company, job title
    used_names: set[tuple[str, str]] = set()
    for index in range(PERSONS_PERSIAN + PERSONS_ENGLISH):
        persian = index < PERSONS_PERSIAN
        male = rng.random() < 0.5
        while True:
            if persian:
                first, first_latin = rng.choice(MEN if male else WOMEN)
                last, last_latin = rng.choice(FAMILY_NAMES)
            else:
                first = first_latin = rng.choice(ENGLISH_MEN if male else ENGLISH_WOMEN)
                last = last_latin = rng.choice(ENGLISH_FAMILY_NAMES)
            if (first, last) not in used_names:
                used_names.add((first, last))
                break
        owner = rng.choice(owners.persian if persian else owners.english)
        stage = rng.choice(
            ("customer", "customer", "customer", "prospect", "prospect", "subscriber", "former_customer")
        )
        fields = {
            "first_name": first, "last_name": last, "gender": "male" if male else "female", "lifecycle_stage": stage,
            "source": rng.choice([*sources, None, None]), "preferred_channel": rng.choice(("phone", "sms", "email", "")),
            "description": rng.choice(PERSON_NOTES) if persian else "",
            "category": rng.choice((categories["retail"], None, None)),
        }  # fmt: skip
        if persian and rng.random() < 0.35:
            fields["national_id"] = _national_id(rng)
        if rng.random() < 0.4:
            fields["birth_date"] = dt.date(rng.randrange(1960, 2002), rng.randrange(1, 13), rng.randrange(1, 29))
        if rng.random() < 0.3:
            fields["education"] = rng.choice(("diploma", "bachelor", "master", "doctorate", "associate"))
            fields["occupation"] = rng.choice(OCCUPATIONS) if persian else ""
            fields["income_band"] = rng.choice(("lower_middle", "middle", "upper_middle", "high"))
        if persian and rng.random() < 0.25:
            fields["interests"] = "، ".join(rng.sample(INTERESTS, 2))
        employer = None
        if rng.random() < 0.7:
            employer = rng.choice(english_companies if not persian and rng.random() < 0.8 else persian_companies)
            fields["job_title"] = rng.choice(JOB_TITLES)[0 if persian else 1]
        custom: dict[str, Any] = {}
        if stage in ("customer", "former_customer"):
            custom["customer_code"] = f"C-{next(codes)}"
        if rng.random() < 0.4:
            custom["preferred_branch"] = rng.choice(CHOICE_BRANCHES)["value"]
        if custom:
            fields["custom"] = custom
        points = [ContactPointIn(kind="phone", value=_mobile(rng), label="mobile")]
        if rng.random() < 0.25:
            points.append(ContactPointIn(kind="phone", value=_landline(rng, "21"), label="home"))
        if rng.random() < (0.6 if persian else 0.95):
            domain = rng.choice(("mail", "inbox", "post"))
            points.append(
                ContactPointIn(kind="email", value=f"{first_latin.lower()}.{last_latin.lower()}@{domain}.{DEMO_DOMAIN}")
            )
        if persian and rng.random() < 0.15:
            points.append(
                ContactPointIn(kind="social", value=f"@{first_latin}_{last_latin}{index}", network="telegram")
            )
        addresses = []
        if rng.random() < 0.5:
            province, city, _area = rng.choice(HOME_CITIES)
            addresses.append(_address(rng, province, city, "home"))
        person = party_create(
            actor=owner, kind=Party.Kind.PERSON, fields=fields, contact_points=points, addresses=addresses,
            tags=rng.sample(TAGS_PERSON, rng.choice((0, 0, 1, 1, 2))),
        )  # fmt: skip
        _backdate(person, _moment(rng, now, days_from=240, days_to=800))
        made.persons.append(person)
        if employer is not None:
            employers.append((person, employer, fields["job_title"]))

    # Leads --------------------------------------------------------------------------------------
    statuses = ("new", "new", "contacted", "contacted", "qualified", "unqualified")
    for index in range(LEADS):
        persian = index % 4 != 3
        if persian:
            first, first_latin = rng.choice(MEN + WOMEN)
            last, last_latin = rng.choice(FAMILY_NAMES)
        else:
            first = first_latin = rng.choice(ENGLISH_MEN + ENGLISH_WOMEN)
            last = last_latin = rng.choice(ENGLISH_FAMILY_NAMES)
        owner = rng.choice(owners.persian if persian else owners.english)
        fields = {"first_name": first, "last_name": last,
                  "company_name": rng.choice(LEAD_COMPANIES if persian else LEAD_COMPANIES_ENGLISH),
                  "lead_status": statuses[index % len(statuses)], "description": rng.choice(LEAD_NOTES),
                  "source": rng.choice(sources) if sources else None}  # fmt: skip
        points = [ContactPointIn(kind="phone", value=_mobile(rng), label="mobile")]
        if rng.random() < 0.5:
            points.append(ContactPointIn(kind="email", value=f"{first_latin.lower()}{index}@lead.{DEMO_DOMAIN}"))
        lead = party_create(actor=owner, kind=Party.Kind.LEAD, fields=fields, contact_points=points)
        _backdate(lead, _moment(rng, now, days_from=5, days_to=120))
        made.leads.append(lead)

    _duplicates(rng, made, owners)
    _relationships(rng, made, employers)
    return made


def _duplicates(rng: random.Random, made: DemoCustomers, owners: _Owners) -> None:
    """Two persons entered twice, as happens: another spelling, the same mobile in another format."""
    for original in made.persons[:2]:
        phone = original.contact_points.filter(kind=ContactPoint.Kind.PHONE).order_by("pk").first()
        assert phone is not None
        digits = phone.national_number
        copy = party_create(
            actor=owners.persian[0], kind=Party.Kind.PERSON,
            fields={"first_name": original.first_name.replace("ی", "ي").replace("ک", "ك"),
                    "last_name": original.last_name.replace("ی", "ي").replace("ک", "ك"), "lifecycle_stage": "prospect"},
            contact_points=[ContactPointIn(kind="phone", value=f"+98{digits}", label="mobile")],
        )  # fmt: skip
        _backdate(copy, _moment(rng, timezone.now(), days_from=10, days_to=60))
        made.persons.append(copy)


def _relationships(rng: random.Random, made: DemoCustomers, employers: Sequence[tuple[Party, Party, str]]) -> None:
    """Who works where, families and referrals, and how the companies deal with one another."""
    types = {relationship_type.key: relationship_type for relationship_type in RelationshipType.objects.all()}

    def link(key: str, first: Party, second: Party, note: str = "") -> None:
        if key in types and first.pk != second.pk:
            relationship_create(actor=None, from_party=first, to_party=second, type=types[key], note=note)

    for person, company, title in employers:
        link("works_at", person, company, title)
    persons = made.persons[:PERSONS_PERSIAN]
    men = [person for person in persons if person.gender == "male"]
    women = [person for person in persons if person.gender == "female"]
    for husband, wife in zip(rng.sample(men, 6), rng.sample(women, 6), strict=True):
        link("spouse", husband, wife)
    for key, wanted in (("family", 4), ("referred_by", 12)):
        chosen = rng.sample(persons, wanted * 2)
        for first, second in zip(chosen[::2], chosen[1::2], strict=True):
            link(key, first, second)
    for key, wanted in (("supplier_of", 8), ("competitor", 4), ("partner", 3), ("parent_of", 2)):
        chosen = rng.sample(made.companies, wanted * 2)
        for first, second in zip(chosen[::2], chosen[1::2], strict=True):
            link(key, first, second)
