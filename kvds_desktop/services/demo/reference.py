"""Reference data of the demo: vocabularies, locations, providers, staff and closures.

Both scales share these builders. Attendance statuses and activity kinds that the
database already holds (by code) are reused instead of written twice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import holidays

from kvds_desktop.domain.enums import ActivityCategory, ClosureKind, ProviderKind
from kvds_desktop.services.demo.names import (
    DUTCH_FIRST_FEMALE,
    DUTCH_FIRST_MALE,
    DUTCH_SURNAMES,
)
from kvds_desktop.services.demo.writer import DemoWriter

# code, label_nl, label_en, present, late, excused, reason, minutes, teacher may use
STATUSES: tuple[tuple[str, str, str, bool, bool, bool, bool, bool, bool], ...] = (
    ("A", "aanwezig", "present", True, False, False, False, False, True),
    ("L", "te laat", "late", True, True, False, False, True, True),
    ("E", "eerder weg", "left early", True, False, False, False, True, True),
    ("M", "afwezig met bericht", "absent with notice", False, False, True, True, False, True),
    (
        "Z",
        "afwezig zonder bericht",
        "absent without notice",
        False,
        False,
        False,
        False,
        False,
        True,
    ),
    ("O", "ontheven / vrij", "exempted / leave", False, False, True, True, False, False),
)

# code, name_nl, name_en, category
ACTIVITY_KINDS: tuple[tuple[str, str, str, ActivityCategory], ...] = (
    ("NT2", "Nederlands als tweede taal", "Dutch as a second language", ActivityCategory.LANGUAGE),
    ("KNM", "Kennis van de Nederlandse maatschappij", "Knowledge of Dutch society",
     ActivityCategory.KNM),
    ("ONA", "Oriëntatie op de Nederlandse arbeidsmarkt", "Orientation on the Dutch labour market",
     ActivityCategory.ONA_MAP),
    ("MAP", "Module Arbeidsmarkt en Participatie", "Labour market and participation module",
     ActivityCategory.ONA_MAP),
    ("PVT", "Participatieverklaringstraject", "Participation statement course",
     ActivityCategory.PVT),
    ("ALFA", "Alfabetisering", "Literacy", ActivityCategory.ALFA),
    ("SENC", "Samenwerken en communiceren", "Working together and communicating",
     ActivityCategory.TRAINING),
    ("OSNW", "Op stap naar werk", "On the way to work", ActivityCategory.TRAINING),
    ("PART", "Participatie", "Participation", ActivityCategory.PARTICIPATION),
)  # fmt: skip

PROVIDERS: tuple[tuple[str, ProviderKind, str], ...] = (
    ("ROC Rivor", ProviderKind.LANGUAGE, "rivor.example"),
    ("Academie voor Zelfstandigheid", ProviderKind.TRAINING, "avz.example"),
    ("Werkbedrijf Rijk van Nijmegen", ProviderKind.EMPLOYER_SERVICES, "werkbedrijf.example"),
)

FIRST_LESSON_DAY = date(2019, 7, 1)


@dataclass(frozen=True)
class Person:
    """A member of staff: id and display name."""

    id: int
    name: str


@dataclass
class LocationRef:
    """A written location with its rooms."""

    key: str
    id: int
    name: str
    municipality: str
    rooms: list[int] = field(default_factory=list)


@dataclass
class Staff:
    """Providers and their teachers, by what they teach."""

    providers: dict[ProviderKind, int]
    language: list[Person]
    trainers: list[Person]
    coaches: list[Person]


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (for e-mail addresses)."""
    text = text.replace("ı", "i").replace("İ", "I")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def dutch_name(w: DemoWriter) -> tuple[str, str, str]:
    """A fictional Dutch (voornaam, tussenvoegsel, achternaam)."""
    pool = DUTCH_FIRST_MALE if w.rng.random() < 0.45 else DUTCH_FIRST_FEMALE
    tussen, last = w.rng.choice(DUTCH_SURNAMES)
    return w.rng.choice(pool), tussen, last


def staff_email(first: str, tussen: str, last: str, domain: str) -> str:
    """A work e-mail address like ``m.vandenberg@domain``."""
    return f"{ascii_slug(first)[:1]}.{ascii_slug(tussen + last)}@{domain}"


def write_statuses(w: DemoWriter) -> dict[str, int]:
    """Write the default attendance statuses; return ``{code: id}``."""
    ids = w.existing("attendance_status", "code")
    for order, (code, nl, en, present, late, excused, reason, minutes, teacher) in enumerate(
        STATUSES
    ):
        if code in ids:
            continue
        ids[code] = w.next_id("attendance_status")
        w.add(
            "attendance_status",
            {
                "id": ids[code], "code": code, "label_nl": nl, "label_en": en,
                "counts_present": present, "counts_late": late, "excused": excused,
                "needs_reason": reason, "needs_minutes": minutes, "teacher_may_use": teacher,
                "sort_order": (order + 1) * 10, "active": True,
            },
        )  # fmt: skip
    return ids


def write_activity_kinds(w: DemoWriter) -> dict[str, int]:
    """Write the activity kinds; return ``{code: id}``."""
    ids = w.existing("activity_kind", "code")
    for code, nl, en, category in ACTIVITY_KINDS:
        if code in ids:
            continue
        ids[code] = w.next_id("activity_kind")
        row = {"id": ids[code], "code": code, "name_nl": nl, "name_en": en}
        w.add("activity_kind", {**row, "category": category.value})
    return ids


def write_location(
    w: DemoWriter, key: str, name: str, municipality: str, postcode: str, rooms: list[str]
) -> LocationRef:
    """Write a location at a fictional address with its rooms."""
    loc = LocationRef(key, w.next_id("location"), name, municipality)
    w.add(
        "location",
        {
            "id": loc.id, "uid": w.uid(), "name": name, "municipality": municipality,
            "address": f"Startbaan {w.rng.randint(1, 40)}",
            "postcode": f"{postcode} {w.rng.choice('KLMNPRST')}{w.rng.choice('ABCDEGHJ')}",
            "city": municipality,
        },
    )  # fmt: skip
    for room in rooms:
        room_id = w.next_id("room")
        loc.rooms.append(room_id)
        row = {"id": room_id, "uid": w.uid(), "location_id": loc.id, "name": room}
        w.add("room", {**row, "capacity": 16})
    return loc


def write_staff(w: DemoWriter, language: int, trainers: int, coaches: int) -> Staff:
    """Write the three providers and their teachers, trainers and job coaches."""
    providers: dict[ProviderKind, int] = {}
    people: dict[ProviderKind, list[Person]] = {}
    seen: set[str] = set()
    wanted = {
        ProviderKind.LANGUAGE: language,
        ProviderKind.TRAINING: trainers,
        ProviderKind.EMPLOYER_SERVICES: coaches,
    }
    for name, kind, domain in PROVIDERS:
        pid = w.next_id("provider")
        providers[kind] = pid
        first, tussen, last = dutch_name(w)
        w.add(
            "provider",
            {
                "id": pid, "uid": w.uid(), "name": name, "kind": kind.value,
                "contact_name": " ".join(p for p in (first, tussen, last) if p),
                "contact_email": f"info@{domain}",
            },
        )  # fmt: skip
        people[kind] = []
        while len(people[kind]) < wanted[kind]:
            first, tussen, last = dutch_name(w)
            full = " ".join(p for p in (first, tussen, last) if p)
            if full in seen:
                continue
            seen.add(full)
            tid = w.next_id("teacher")
            people[kind].append(Person(tid, full))
            w.add(
                "teacher",
                {
                    "id": tid, "uid": w.uid(), "provider_id": pid, "name": full,
                    "email": staff_email(first, tussen, last, domain),
                    "phone": f"06-{w.rng.randint(10_000_000, 99_999_999)}",
                    "available_days": "1,2,3,4,5", "available_from": time(8, 30),
                    "available_until": time(17, 0), "active": True,
                },
            )  # fmt: skip
    return Staff(
        providers,
        people[ProviderKind.LANGUAGE],
        people[ProviderKind.TRAINING],
        people[ProviderKind.EMPLOYER_SERVICES],
    )


def write_klantmanagers(w: DemoWriter, municipality: str, count: int) -> list[Person]:
    """Write the municipal officers (klantmanager / inkomensconsulent) of a municipality."""
    officers: list[Person] = []
    domain = f"{ascii_slug(municipality)}.example"
    for _ in range(count):
        first, tussen, last = dutch_name(w)
        full = " ".join(p for p in (first, tussen, last) if p)
        kid = w.next_id("klantmanager")
        officers.append(Person(kid, full))
        w.add(
            "klantmanager",
            {
                "id": kid, "uid": w.uid(), "name": full,
                "email": staff_email(first, tussen, last, domain), "municipality": municipality,
            },
        )  # fmt: skip
    return officers


def christmas_holiday(year: int) -> tuple[date, date]:
    """The two-week Christmas school holiday starting on the Saturday before 25 December."""
    eve = date(year, 12, 24)
    start = eve - timedelta(days=(eve.weekday() - 5) % 7)
    return start, start + timedelta(days=15)


def summer_holiday(year: int) -> tuple[date, date]:
    """Three summer weeks without lessons (ISO weeks 30 to 32)."""
    return date.fromisocalendar(year, 30, 1), date.fromisocalendar(year, 32, 7)


def write_closures(
    w: DemoWriter, first: date, last: date, locations: list[LocationRef]
) -> dict[int, set[date]]:
    """Write public holidays, school holidays and a study day per location per year.

    Returns the closed days per location id (every day from ``first`` to ``last``
    on which no lesson may be given).
    """
    shared: set[date] = set()
    own: dict[int, set[date]] = {loc.id: set() for loc in locations}
    years = range(first.year, last.year + 1)

    def add(location_id: int | None, start: date, end: date, kind: ClosureKind, name: str) -> None:
        if end < first or start > last:
            return
        w.add(
            "closure",
            {
                "id": w.next_id("closure"), "uid": w.uid(), "location_id": location_id,
                "date_from": start, "date_to": end, "kind": kind.value, "name": name,
            },
        )  # fmt: skip
        target = shared if location_id is None else own[location_id]
        day = start
        while day <= end:
            target.add(day)
            day += timedelta(days=1)

    public = holidays.country_holidays("NL", years=years, language="nl")
    for day, name in sorted(public.items()):
        add(None, day, day, ClosureKind.PUBLIC_HOLIDAY, str(name))
    for year in years:
        add(None, *summer_holiday(year), ClosureKind.SCHOOL_HOLIDAY, f"Zomervakantie {year}")
        start, end = christmas_holiday(year)
        add(None, start, end, ClosureKind.SCHOOL_HOLIDAY, f"Kerstvakantie {year}-{year + 1}")
        for loc in locations:
            study_day = date(year, 10, 1) + timedelta(days=w.rng.randint(0, 20))
            while study_day.weekday() >= 5:
                study_day += timedelta(days=1)
            add(loc.id, study_day, study_day, ClosureKind.OWN, "Studiedag team")
    return {loc.id: shared | own[loc.id] for loc in locations}
