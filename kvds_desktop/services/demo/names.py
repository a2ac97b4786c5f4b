"""Pools of fictional names, places and organisations for the demo data.

Every person and organisation made from these pools is fictional. The candidate pools
hold the transliteration variants that real registers contain (Mohammed / Mohamed /
Muhammad, Al Khatib / Alkhatib / Al-Khatib, Yusuf / Youssef ...) so that search and
matching screens have realistic material to work on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Background:
    """Name pools and demographics of one country of origin."""

    key: str
    nationality: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    share_male: float
    patronymic: bool  # surname is often the father's given name


# fmt: off
SYRIAN = Background(
    key="syria",
    nationality="Syrische",
    male=(
        "Mohammed", "Mohamed", "Muhammad", "Mohammad", "Ahmad", "Ahmed", "Abdulrahman",
        "Abdul Rahman", "Abdelrahman", "Omar", "Khaled", "Khalid", "Yusuf", "Youssef",
        "Yousef", "Ibrahim", "Mahmoud", "Mahmud", "Hassan", "Hussein", "Hussain", "Ali",
        "Bilal", "Fadi", "Rami", "Samer", "Tarek", "Tariq", "Ziad", "Anas", "Amjad",
        "Mustafa", "Moustafa", "Walid", "Majd", "Nizar", "Jamal", "Firas", "Hani",
        "Mohammed Ali", "Abdullah", "Abdallah",
    ),
    female=(
        "Fatima", "Fatma", "Aisha", "Aya", "Rania", "Rasha", "Lina", "Hiba", "Noor", "Nour",
        "Huda", "Reem", "Rim", "Dima", "Amal", "Maryam", "Mariam", "Zeinab", "Yasmin",
        "Yasmine", "Sara", "Sarah", "Lama", "Ghada", "Rana", "Nisreen", "Nesrin", "Hanan",
        "Salma", "Asmaa", "Asma", "Rawan", "Batoul",
    ),
    surnames=(
        "Al Khatib", "Alkhatib", "Al-Khatib", "Al Hassan", "Alhassan", "Al-Hasan", "Haddad",
        "Darwish", "Darwich", "Khoury", "Al Ahmad", "Alahmad", "Sabbagh", "Hamdan",
        "Al Ali", "Alali", "Kurdi", "Al Masri", "Almasri", "Ibrahim", "Youssef", "Yousef",
        "Hamoud", "Hammoud", "Shaheen", "Shahin", "Al Halabi", "Alhalabi", "Nasser",
        "Othman", "Osman", "Zein", "Al Zoubi", "Alzoubi", "Mansour", "Qassem", "Kassem",
        "Al Jasem", "Aljasem", "Suleiman", "Sleiman", "Barakat", "Hijazi", "Hegazi",
    ),
    share_male=0.6,
    patronymic=False,
)

ERITREAN = Background(
    key="eritrea",
    nationality="Eritrese",
    male=(
        "Tesfay", "Tesfaye", "Yonas", "Yohannes", "Johannes", "Kibrom", "Kidane", "Mehari",
        "Mihreteab", "Berhane", "Berhe", "Semere", "Filmon", "Habtom", "Dawit", "Mussie",
        "Merhawi", "Samuel", "Awet", "Tekle", "Biniam", "Bereket", "Goitom", "Henok",
        "Robel", "Aron", "Natnael", "Efrem",
    ),
    female=(
        "Helen", "Senait", "Saba", "Selam", "Rahel", "Luwam", "Hiwet", "Yordanos", "Feven",
        "Mebrat", "Tsega", "Tsegereda", "Almaz", "Freweyni", "Eden", "Winta", "Yohana",
        "Ruta", "Semhar", "Milen", "Abeba", "Elsa",
    ),
    surnames=(
        "Gebremedhin", "Ghebremedhin", "Gebremariam", "Ghebremariam", "Haile", "Tesfamariam",
        "Woldemichael", "Weldemichael", "Ghebreyesus", "Gebreyesus", "Habte", "Asfaha",
        "Okbay", "Zerai", "Negash", "Andemariam", "Tewelde", "Teweldemedhin", "Abraha",
        "Kahsay", "Kesete", "Ghirmay", "Girmay",
    ),
    share_male=0.65,
    patronymic=True,
)

AFGHAN = Background(
    key="afghanistan",
    nationality="Afghaanse",
    male=(
        "Ahmad", "Mohammad", "Mohammed", "Muhammad", "Abdul", "Ali", "Hamid", "Farid",
        "Jawad", "Karim", "Mustafa", "Nasir", "Naser", "Rahim", "Sayed", "Sayyed", "Wahid",
        "Zabihullah", "Ahmad Shah", "Mohammad Nabi", "Rohullah", "Ruhullah", "Hamidullah",
        "Sultan", "Shafiq", "Masoud", "Massoud", "Javid", "Jawid", "Omid",
    ),
    female=(
        "Fatima", "Zahra", "Maryam", "Marzia", "Mursal", "Nilofar", "Nilufar", "Parwana",
        "Parisa", "Shabnam", "Sima", "Soraya", "Zainab", "Zeinab", "Frishta", "Fereshta",
        "Hosai", "Madina", "Mahbooba", "Masooda", "Masuda", "Roya", "Sahar", "Tahmina",
    ),
    surnames=(
        "Ahmadi", "Ahmadzai", "Hakimi", "Hashimi", "Hashemi", "Karimi", "Mohammadi",
        "Muhammadi", "Nazari", "Noori", "Nuri", "Rahimi", "Rasuli", "Rasouli", "Sadat",
        "Safi", "Sharifi", "Stanikzai", "Wardak", "Yousufzai", "Yusufzai", "Haidari",
        "Haidary", "Jalali", "Azizi", "Amiri", "Popal", "Popalzai", "Sultani", "Faizi",
    ),
    share_male=0.55,
    patronymic=False,
)

TURKISH = Background(
    key="turkey",
    nationality="Turkse",
    male=(
        "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Huseyin", "Hasan", "İbrahim",
        "Yusuf", "Emre", "Murat", "Kemal", "Serkan", "Burak", "Osman", "Ömer", "Omer",
        "Fatih", "Enes", "Selim", "Tolga",
    ),
    female=(
        "Ayşe", "Ayse", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Merve",
        "Esra", "Büşra", "Busra", "Derya", "Gül", "Sevgi", "Songül", "Özlem", "Ozlem",
    ),
    surnames=(
        "Yılmaz", "Yilmaz", "Kaya", "Demir", "Şahin", "Sahin", "Çelik", "Celik", "Yıldız",
        "Yildiz", "Öztürk", "Ozturk", "Aydın", "Aydin", "Arslan", "Doğan", "Dogan",
        "Kılıç", "Kilic", "Aslan", "Koç", "Kurt", "Özdemir", "Ozdemir",
    ),
    share_male=0.55,
    patronymic=False,
)

SOMALI = Background(
    key="somalia",
    nationality="Somalische",
    male=(
        "Abdi", "Abdullahi", "Abdirahman", "Abdirahmaan", "Mohamed", "Mohamud", "Maxamed",
        "Ahmed", "Axmed", "Hassan", "Xasan", "Hussein", "Omar", "Cumar", "Ali", "Cali",
        "Yusuf", "Yuusuf", "Ismail", "Ismaaciil", "Said", "Farah", "Abdikarim", "Bashir",
    ),
    female=(
        "Fadumo", "Faadumo", "Hodan", "Hawa", "Xaawo", "Ifrah", "Sahra", "Sagal", "Amina",
        "Aamina", "Asha", "Ayaan", "Ubah", "Nimco", "Hibo", "Maryan", "Sucaad", "Deeqa",
        "Filsan", "Ladan",
    ),
    surnames=(
        "Mohamed", "Mohamud", "Maxamuud", "Ahmed", "Abdi", "Hassan", "Warsame", "Farah",
        "Jama", "Jaamac", "Osman", "Cismaan", "Ali", "Hersi", "Xirsi", "Nur", "Noor",
        "Aden", "Aadan", "Yusuf", "Dahir", "Daahir", "Ibrahim", "Omar", "Egal", "Guled",
    ),
    share_male=0.5,
    patronymic=True,
)

DUTCH_FIRST_MALE: tuple[str, ...] = (
    "Joost", "Peter", "Bas", "Wim", "Ruud", "Jeroen", "Hans", "Erik", "Niels", "Maarten",
    "Rob", "Gert-Jan", "Frank", "Stefan", "Thijs", "Koen", "Martijn", "Paul", "Rik", "Dirk",
)
DUTCH_FIRST_FEMALE: tuple[str, ...] = (
    "Marieke", "Sanne", "Ingrid", "Anouk", "Lotte", "Femke", "Esther", "Mirjam", "Karin",
    "Linda", "Monique", "Judith", "Ilse", "Petra", "Nicole", "Astrid", "Wendy", "Eline",
    "Hanneke", "Renske", "Miriam", "Carla",
)
# (tussenvoegsel, achternaam) pairs; common Dutch surnames, combined at random.
DUTCH_SURNAMES: tuple[tuple[str, str], ...] = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Bakker"), ("", "Visser"),
    ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("", "Bos"), ("", "Vos"),
    ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"),
    ("de", "Wit"), ("", "Dijkstra"), ("", "Verbeek"), ("van", "Dijk"), ("", "Kuipers"),
    ("", "Gerritsen"), ("", "Hermsen"), ("", "Arts"), ("", "Janssen"), ("", "Peeters"),
    ("", "Driessen"), ("", "Verhoeven"), ("van", "Beek"), ("", "Thijssen"), ("", "Gijsbers"),
    ("van", "Haren"), ("", "Lamers"), ("", "Rutten"), ("", "Kersten"), ("van", "Rijn"),
)

# Villages per municipality with their postcode area (letters are made up per address).
VILLAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "Druten": (
        ("Druten", "6651"), ("Druten", "6651"), ("Druten", "6652"), ("Afferden", "6654"),
        ("Deest", "6653"), ("Puiflijk", "6655"), ("Horssen", "6645"),
    ),
    "Wijchen": (
        ("Wijchen", "6601"), ("Wijchen", "6602"), ("Wijchen", "6603"), ("Wijchen", "6604"),
        ("Alverna", "6603"), ("Bergharen", "6617"), ("Batenburg", "6634"), ("Hernen", "6616"),
        ("Balgoij", "6621"),
    ),
    "Nijmegen": (("Nijmegen", "6511"), ("Nijmegen", "6525"), ("Nijmegen", "6541"),
                 ("Nijmegen", "6545"), ("Lent", "6663")),
    "Beuningen": (("Beuningen", "6641"), ("Ewijk", "6644"), ("Weurt", "6551")),
    "Heumen": (("Malden", "6581"), ("Heumen", "6582"), ("Overasselt", "6611")),
    "Berg en Dal": (("Groesbeek", "6561"), ("Ubbergen", "6574"), ("Millingen aan de Rijn", "6566")),
    "Mook en Middelaar": (("Mook", "6585"), ("Middelaar", "6586")),
    "West Maas en Waal": (("Beneden-Leeuwen", "6658"), ("Boven-Leeuwen", "6657")),
}

STREETS: tuple[str, ...] = (
    "Molenstraat", "Kerkstraat", "Dorpsstraat", "Julianastraat", "Lindelaan", "Eikenlaan",
    "Sportlaan", "Schoolstraat", "Waalstraat", "Maasdijk", "Populierenlaan", "Beukenlaan",
    "Kastanjelaan", "Meidoornstraat", "Vlierstraat", "Wilgenhof", "Irisstraat", "Tulpstraat",
    "Zonnebloemstraat", "Heggerank", "Bloemenhof", "Kampstraat", "Veldstraat", "Brinkstraat",
    "Bongerd", "Appelgaard", "Perenhof", "Notenlaan", "Rijnstraat", "IJsselstraat",
    "Merelstraat", "Lijsterstraat", "Zwaluwstraat", "Kievitstraat", "Reigerhof",
)

AANDACHTSPUNTEN: tuple[str, ...] = (
    "kinderopvang regelen",
    "psychische gezondheid",
    "vervoer",
    "schulden",
    "fysieke klachten",
    "gezinshereniging loopt",
    "mantelzorg voor familielid",
    "huisvesting onzeker",
    "laaggeletterd in eigen taal",
)

# (name, sector, city) of fictional local employers and volunteer organisations.
ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("Stukadoorsbedrijf Strak en Glad", "bouw", "Druten"),
    ("Aannemersbedrijf De Waalkant", "bouw", "Druten"),
    ("Bouwcombinatie Maas en Waal", "bouw", "Wijchen"),
    ("Eetcafé De Zandhoek", "horeca", "Wijchen"),
    ("Lunchroom Het Marktplein", "horeca", "Wijchen"),
    ("Partycentrum De Lindeboom", "horeca", "Druten"),
    ("Bakkerij Het Korenaartje", "horeca", "Wijchen"),
    ("Thuiszorg Land van Maas en Waal", "zorg", "Druten"),
    ("Zorgcentrum De Horstakker", "zorg", "Wijchen"),
    ("Pakketdienst Snel Bezorgd", "logistiek", "Nijmegen"),
    ("Distributiecentrum Wijchen-Noord", "logistiek", "Wijchen"),
    ("Supermarkt De Buurtmarkt", "retail", "Druten"),
    ("Bouwmarkt Klusgoed", "retail", "Wijchen"),
    ("Hoveniersbedrijf Groen Doen", "groen", "Druten"),
    ("Kwekerij De Appelhof", "groen", "Wijchen"),
    ("Schoonmaakbedrijf Glans", "schoonmaak", "Nijmegen"),
    ("Kringloopwinkel De Tweede Kans", "retail", "Wijchen"),
    ("Buurthuis De Ontmoeting", "zorg", "Druten"),
    ("Zorgboerderij De Hooiberg", "groen", "Druten"),
    ("Reparatiecafé De Gereedschapskist", "retail", "Wijchen"),
    ("Sportvereniging Waalboys", "horeca", "Druten"),
)

VOLUNTEER_ORGANISATIONS: frozenset[str] = frozenset(
    {
        "Kringloopwinkel De Tweede Kans",
        "Buurthuis De Ontmoeting",
        "Zorgboerderij De Hooiberg",
        "Reparatiecafé De Gereedschapskist",
        "Sportvereniging Waalboys",
    }
)

# Functions per sector for placements and outflow to work.
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "bouw": ("stukadoor", "leerling stukadoor", "bouwplaatsmedewerker", "tegelzetter"),
    "horeca": ("medewerker horeca", "keukenhulp", "bakkerijmedewerker", "afwasser"),
    "zorg": ("thuiszorgmedewerker", "helpende zorg", "medewerker huishoudelijke hulp"),
    "logistiek": ("bezorger", "koerier", "orderpicker", "magazijnmedewerker"),
    "retail": ("vakkenvuller", "kassamedewerker", "medewerker kringloop"),
    "groen": ("medewerker groenvoorziening", "medewerker kwekerij"),
    "schoonmaak": ("schoonmaker", "glazenwasser"),
}

EDUCATION_PROGRAMMES: tuple[str, ...] = (
    "mbo Helpende Zorg en Welzijn (niveau 2)",
    "mbo Logistiek medewerker (niveau 2)",
    "Entree-opleiding",
    "mbo Stukadoor (niveau 2)",
    "mbo Medewerker bakkerij (niveau 2)",
    "mbo Verzorgende IG (niveau 3)",
)
# fmt: on
