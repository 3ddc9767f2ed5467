"""The words the synthetic data is made of: names, cities, company name parts.

Persian names carry a Latin transliteration, which the generator uses for e-mail addresses and
usernames. ZWNJ (U+200C, نیم‌فاصله) is written as ``\\u200c`` so that it can be seen.
"""

from __future__ import annotations

# (Persian, Latin) pairs; half male, half female.
PERSIAN_FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("محمد", "mohammad"), ("علی", "ali"), ("حسین", "hossein"), ("رضا", "reza"), ("مهدی", "mahdi"),
    ("امیر", "amir"), ("حسن", "hasan"), ("مصطفی", "mostafa"), ("سعید", "saeed"), ("مجید", "majid"),
    ("احمد", "ahmad"), ("جواد", "javad"), ("حمید", "hamid"), ("محسن", "mohsen"), ("وحید", "vahid"),
    ("سجاد", "sajjad"), ("میلاد", "milad"), ("علیرضا", "alireza"), ("محمدرضا", "mohammadreza"),
    ("امیرحسین", "amirhossein"), ("ابوالفضل", "abolfazl"), ("مرتضی", "morteza"), ("یوسف", "yousef"),
    ("کاظم", "kazem"), ("داوود", "davood"), ("بهرام", "bahram"), ("بهروز", "behrooz"), ("فرهاد", "farhad"),
    ("کامران", "kamran"), ("کیوان", "keyvan"), ("آرش", "arash"), ("بابک", "babak"), ("پویا", "pouya"),
    ("پیمان", "peyman"), ("سینا", "sina"), ("نیما", "nima"), ("شهرام", "shahram"), ("فرزاد", "farzad"),
    ("مسعود", "masoud"), ("ناصر", "naser"), ("هادی", "hadi"), ("یاسر", "yaser"), ("ایمان", "iman"),
    ("بردیا", "bardia"), ("پارسا", "parsa"), ("سهیل", "soheil"), ("سامان", "saman"), ("کوروش", "kourosh"),
    ("اکبر", "akbar"), ("عباس", "abbas"),
    ("فاطمه", "fatemeh"), ("زهرا", "zahra"), ("مریم", "maryam"), ("زینب", "zeynab"), ("سارا", "sara"),
    ("نگار", "negar"), ("نرگس", "narges"), ("مهسا", "mahsa"), ("مینا", "mina"), ("الهام", "elham"),
    ("لیلا", "leila"), ("شیرین", "shirin"), ("فرشته", "fereshteh"), ("سمیه", "somayeh"), ("معصومه", "masoumeh"),
    ("طاهره", "tahereh"), ("سپیده", "sepideh"), ("نازنین", "nazanin"), ("نیلوفر", "niloufar"),
    ("پریسا", "parisa"), ("پرستو", "parastoo"), ("ریحانه", "reyhaneh"), ("کوثر", "kowsar"), ("هستی", "hasti"),
    ("آیدا", "aida"), ("بهاره", "bahareh"), ("رویا", "roya"), ("سحر", "sahar"), ("شیوا", "shiva"),
    ("ساناز", "sanaz"), ("ترانه", "taraneh"), ("مهناز", "mahnaz"), ("آزاده", "azadeh"), ("الناز", "elnaz"),
    ("فریبا", "fariba"), ("ژیلا", "zhila"), ("گلاره", "gelareh"), ("هانیه", "hanieh"), ("یاسمن", "yasaman"),
    ("ستاره", "setareh"), ("مرضیه", "marzieh"), ("نسرین", "nasrin"), ("عاطفه", "atefeh"),
    ("محدثه", "mohaddeseh"), ("فائزه", "faezeh"), ("کیمیا", "kimia"), ("یلدا", "yalda"), ("مهتاب", "mahtab"),
    ("ملیکا", "melika"), ("نیکی", "niki"),
)  # fmt: skip

# Family names; about a quarter are compounds written with ZWNJ, as careful typists write them.
PERSIAN_LAST_NAMES: tuple[tuple[str, str], ...] = (
    ("رضایی", "rezaei"), ("احمدی", "ahmadi"), ("محمدی", "mohammadi"), ("حسینی", "hosseini"),
    ("کریمی", "karimi"), ("موسوی", "mousavi"), ("جعفری", "jafari"), ("کاظمی", "kazemi"), ("رحیمی", "rahimi"),
    ("صادقی", "sadeghi"), ("قاسمی", "ghasemi"), ("هاشمی", "hashemi"), ("ابراهیمی", "ebrahimi"), ("نوری", "nouri"),
    ("اکبری", "akbari"), ("عباسی", "abbasi"), ("طاهری", "taheri"), ("زارعی", "zarei"), ("مرادی", "moradi"),
    ("یوسفی", "yousefi"), ("سلیمانی", "soleimani"), ("فتحی", "fathi"), ("باقری", "bagheri"), ("شریفی", "sharifi"),
    ("امینی", "amini"), ("عزیزی", "azizi"), ("نجفی", "najafi"), ("میرزایی", "mirzaei"), ("صالحی", "salehi"),
    ("بهرامی", "bahrami"), ("اسدی", "asadi"), ("خسروی", "khosravi"), ("رستمی", "rostami"), ("فرهادی", "farhadi"),
    ("جلالی", "jalali"), ("کامرانی", "kamrani"), ("سبحانی", "sobhani"), ("توکلی", "tavakoli"),
    ("شیرازی", "shirazi"), ("تهرانی", "tehrani"), ("اصفهانی", "esfahani"), ("تبریزی", "tabrizi"),
    ("کرمانی", "kermani"), ("یزدی", "yazdi"), ("قزوینی", "ghazvini"), ("رشتی", "rashti"), ("مشهدی", "mashhadi"),
    ("کاشانی", "kashani"), ("همدانی", "hamedani"), ("اردبیلی", "ardabili"),
    ("حسین\u200cزاده", "hosseinzadeh"), ("علی\u200cپور", "alipour"), ("ملک\u200cزاده", "malekzadeh"),
    ("رضایی\u200cنژاد", "rezaeinejad"), ("کریم\u200cخانی", "karimkhani"), ("عبدالله\u200cزاده", "abdollahzadeh"),
    ("قلی\u200cپور", "gholipour"), ("حسن\u200cزاده", "hasanzadeh"), ("نقی\u200cزاده", "naghizadeh"),
    ("تقی\u200cپور", "taghipour"), ("مهدی\u200cزاده", "mahdizadeh"), ("محمدی\u200cفر", "mohammadifar"),
    ("امینی\u200cفر", "aminifar"), ("صالح\u200cپور", "salehpour"), ("کاظم\u200cپور", "kazempour"),
    ("رحیم\u200cزاده", "rahimzadeh"), ("عظیمی\u200cنیا", "azimiania"), ("شاه\u200cحسینی", "shahhosseini"),
    ("آل\u200cاحمد", "aleahmad"), ("نیک\u200cنام", "niknam"), ("خوش\u200cنویس", "khoshnevis"),
    ("دوست\u200cمحمدی", "doostmohammadi"), ("پاک\u200cنیا", "paknia"),
    ("میرحسینی", "mirhosseini"), ("فرهمند", "farahmand"), ("سپهری", "sepehri"), ("پارسانژاد", "parsanejad"),
    ("خلیلی", "khalili"), ("نادری", "naderi"), ("وکیلی", "vakili"), ("شجاعی", "shojaei"), ("بابایی", "babaei"),
    ("فراهانی", "farahani"), ("قربانی", "ghorbani"), ("حیدری", "heydari"), ("مختاری", "mokhtari"),
    ("رنجبر", "ranjbar"), ("کیانی", "kiani"), ("منصوری", "mansouri"), ("نظری", "nazari"), ("شکوهی", "shokouhi"),
    ("افشار", "afshar"), ("دهقان", "dehghan"), ("بهشتی", "beheshti"), ("ایزدی", "izadi"), ("روحانی", "rouhani"),
    ("یگانه", "yeganeh"), ("جعفرزاده", "jafarzadeh"), ("کریمیان", "karimian"), ("اسماعیلی", "esmaeili"),
)  # fmt: skip

ENGLISH_FIRST_NAMES: tuple[str, ...] = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
    "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
    "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
    "Kenneth", "Dorothy", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Timothy", "Deborah",
    "Ronald", "Stephanie", "Edward", "Rebecca", "Jason", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia",
    "Jacob", "Kathleen", "Gary", "Amy", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Anna",
    "Stephen", "Brenda", "Larry", "Pamela", "Justin", "Emma", "Scott", "Nicole", "Brandon", "Helen",
    "Benjamin", "Samantha", "Samuel", "Katherine", "Gregory", "Christine", "Alexander", "Debra", "Frank", "Rachel",
    "Patrick", "Carolyn", "Raymond", "Janet", "Jack", "Catherine", "Dennis", "Maria", "Jerry", "Heather",
)  # fmt: skip

ENGLISH_LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
    "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "O'Brien",
)  # fmt: skip

# Reserved names (RFC 2606, RFC 6761): no benchmark can ever mail a real person.
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org", "mail.example", "inbox.test")

# Iranian mobile prefixes (after the leading 0) that libphonenumber knows as mobile numbers.
MOBILE_PREFIXES: tuple[str, ...] = (
    "912", "912", "912", "935", "936", "937", "938", "939", "919", "910", "911", "913", "914", "915",
    "916", "917", "918", "901", "902", "903", "905", "990", "991", "921", "922", "930", "933", "934",
)  # fmt: skip

BRANCH_CITIES: tuple[str, ...] = (
    "تهران", "اصفهان", "مشهد", "شیراز", "تبریز", "کرج", "اهواز", "قم", "کرمانشاه", "رشت", "یزد", "کرمان",
)  # fmt: skip
DEPARTMENT_NAMES: tuple[str, ...] = ("فروش", "پشتیبانی", "بازاریابی", "Key accounts", "خدمات پس از فروش", "مالی")
GROUP_NAMES: tuple[str, ...] = (
    "فروش میدانی", "تله\u200cمارکتینگ", "فروش سازمانی", "Online sales", "مرکز تماس", "نصب و راه\u200cاندازی",
)  # fmt: skip

COMPANY_PREFIXES_PERSIAN: tuple[str, ...] = (
    "پارس", "آریا", "البرز", "زاگرس", "خزر", "سپهر", "نوین", "پیشرو", "آینده\u200cسازان", "ایده\u200cپردازان",
    "راهبرد", "افق", "کیان", "ماهان", "تابان", "درخشان", "پویا", "نیک", "سپید", "آسمان", "مهر", "آفتاب",
    "ستاره", "کوثر", "پردیس", "آرمان", "نگین", "دنا", "سهند", "دماوند",
)  # fmt: skip
COMPANY_ACTIVITIES_PERSIAN: tuple[str, ...] = (
    "فولاد", "داده\u200cپردازی", "بازرگانی", "صنایع غذایی", "تجهیزات پزشکی", "حمل و نقل", "پتروشیمی", "نساجی",
    "مهندسی", "ساختمان", "نرم\u200cافزار", "دارو", "کشت و صنعت", "لوازم خانگی", "الکترونیک", "انرژی",
    "بسته\u200cبندی", "چاپ و نشر", "بیمه", "سرمایه\u200cگذاری",
)  # fmt: skip
COMPANY_LEGAL_FORMS_PERSIAN: tuple[str, ...] = ("سهامی خاص", "سهامی عام", "با مسئولیت محدود", "تعاونی", "تضامنی")

COMPANY_PREFIXES_ENGLISH: tuple[str, ...] = (
    "Pars", "Aria", "Caspian", "Zagros", "Alborz", "Atlas", "Summit", "Northwind", "Bluewater", "Crescent",
    "Silverline", "Evergreen", "Keystone", "Horizon", "Meridian", "Pioneer", "Sterling", "Vertex", "Harbor", "Granite",
)  # fmt: skip
COMPANY_ACTIVITIES_ENGLISH: tuple[str, ...] = (
    "Steel", "Data Systems", "Trading", "Foods", "Medical Equipment", "Logistics", "Petrochemicals", "Textiles",
    "Engineering", "Construction", "Software", "Pharmaceuticals", "Agro Industries", "Home Appliances",
    "Electronics", "Energy", "Packaging", "Publishing", "Insurance", "Investment",
)  # fmt: skip
COMPANY_LEGAL_FORMS_ENGLISH: tuple[str, ...] = ("Ltd", "Ltd.", "LLC", "Inc.", "Co.", "Co. Ltd", "PJSC", "Group")

# The customer file ------------------------------------------------------------------------------
# Job titles of persons, (Persian, English): a person's title is written in their own language.
JOB_TITLES: tuple[tuple[str, str], ...] = (
    ("مدیر عامل", "Chief executive"), ("مدیر خرید", "Purchasing manager"), ("کارشناس خرید", "Buyer"),
    ("مدیر مالی", "Finance manager"), ("حسابدار", "Accountant"), ("مدیر فنی", "Technical director"),
    ("کارشناس فروش", "Sales executive"), ("مدیر بازرگانی", "Commercial manager"), ("مهندس ناظر", "Site engineer"),
    ("مدیر انبار", "Warehouse manager"), ("کارشناس فناوری اطلاعات", "IT specialist"), ("مدیر منابع انسانی", "HR manager"),
    ("مسئول دفتر", "Office manager"), ("مدیر تولید", "Production manager"), ("کارشناس کنترل کیفیت", "Quality engineer"),
)  # fmt: skip

# Sources, categories and tags an administrator keeps: (Persian, English).
SOURCES: tuple[tuple[str, str], ...] = (
    ("وب‌سایت", "Website"), ("معرفی مشتریان", "Referral"), ("نمایشگاه", "Exhibition"), ("تماس سرد", "Cold call"),
    ("شبکه‌های اجتماعی", "Social media"), ("تبلیغات", "Advertising"),
)  # fmt: skip
# (Persian, English, record type or "" for every type)
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("عمده‌فروش", "Wholesale", "company"), ("خرده‌فروش", "Retail", ""), ("سازمان دولتی", "Government", "company"),
    ("مشتری کلیدی", "Key account", ""), ("پیمانکار", "Contractor", "company"), ("مصرف‌کننده نهایی", "End user", "person"),
)  # fmt: skip
TAGS: tuple[str, ...] = (
    "VIP", "مشتری وفادار", "نیاز به پیگیری", "بدحساب", "نمایشگاه 1403", "newsletter", "عمده", "شریک تجاری",
    "قرارداد سالانه", "Key account", "تهران", "export",
)  # fmt: skip

# Relationship types: key, Persian, English, inverse Persian, inverse English, symmetric, from kind, to kind.
RELATIONSHIP_TYPES: tuple[tuple[str, str, str, str, str, bool, str, str], ...] = (
    ("works_at", "کار می‌کند در", "works at", "کارمند", "employs", False, "person", "company"),
    ("parent_of", "شرکت مادر", "parent company of", "شرکت تابعه", "subsidiary of", False, "company", "company"),
    ("spouse", "همسر", "spouse", "", "", True, "person", "person"),
    ("family", "خویشاوند", "family", "", "", True, "person", "person"),
    ("referred_by", "معرفی‌شده توسط", "referred by", "معرف", "referred", False, "", ""),
    ("partner", "شریک تجاری", "partner", "", "", True, "", ""),
    ("supplier_of", "تأمین‌کننده‌ی", "supplier of", "مشتری", "customer of", False, "company", "company"),
    ("competitor", "رقیب", "competitor", "", "", True, "company", "company"),
)  # fmt: skip

# Cities by province (contacts.geography keys), with streets people write in addresses.
CITIES: tuple[tuple[str, str], ...] = (
    ("tehran", "تهران"), ("tehran", "تهران"), ("tehran", "تهران"), ("tehran", "شهریار"), ("isfahan", "اصفهان"),
    ("isfahan", "کاشان"), ("khorasan-razavi", "مشهد"), ("fars", "شیراز"), ("azarbaijan-east", "تبریز"),
    ("alborz", "کرج"), ("khuzestan", "اهواز"), ("qom", "قم"), ("kermanshah", "کرمانشاه"), ("gilan", "رشت"),
    ("yazd", "یزد"), ("kerman", "کرمان"), ("mazandaran", "ساری"), ("hamadan", "همدان"), ("markazi", "اراک"),
)  # fmt: skip
STREETS: tuple[str, ...] = (
    "خیابان ولیعصر", "خیابان انقلاب", "بلوار کشاورز", "خیابان آزادی", "خیابان امام خمینی", "بلوار میرداماد",
    "خیابان شریعتی", "خیابان مطهری", "بلوار چمران", "خیابان فردوسی", "میدان ونک", "خیابان بهار",
)  # fmt: skip
# Landline area codes (without the trunk 0) by province, for companies' switchboards.
AREA_CODES: dict[str, str] = {
    "tehran": "21", "isfahan": "31", "khorasan-razavi": "51", "fars": "71", "azarbaijan-east": "41", "alborz": "26",
    "khuzestan": "61", "qom": "25", "kermanshah": "83", "gilan": "13", "yazd": "35", "kerman": "34",
    "mazandaran": "11", "hamadan": "81", "markazi": "86",
}  # fmt: skip
