"""The large-scale demo: a benchmark dataset for the screens, reports and exports.

Twelve locations around Nijmegen with 13 rooms each hold 312 groups (one per room and
shift) over the year up to ``today``: at least 5,000 candidates and a million
attendance marks. Same structure as the pilot (statuses, activity kinds, closures,
slots, lessons, marks, status history, PIPs, outflow) without the extras.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, time, timedelta

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import (
    LEVEL_ORDER,
    AssessmentMethod,
    CandidateStatus,
    Law,
    OutflowKind,
    PlacementKind,
    ProviderKind,
    Route,
)
from kvds_desktop.services.demo.attendance import pick_profile, write_marks
from kvds_desktop.services.demo.candidates import final_status
from kvds_desktop.services.demo.names import DUTCH_SURNAMES, FUNCTIONS, STREETS, VILLAGES
from kvds_desktop.services.demo.people import PeopleFactory
from kvds_desktop.services.demo.reference import (
    LocationRef,
    Person,
    dutch_name,
    write_activity_kinds,
    write_closures,
    write_klantmanagers,
    write_location,
    write_staff,
    write_statuses,
)
from kvds_desktop.services.demo.timetable import (
    GroupPlan,
    Member,
    add_member,
    add_slot,
    write_group,
    write_lessons,
)
from kvds_desktop.services.demo.writer import DemoWriter, local_to_utc

MIN_CANDIDATES = 5_000
ROOMS = 13
LOOKAHEAD = timedelta(weeks=4)
LOCATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("DRU", "Druten", "Druten", "6651"),
    ("WIJ", "Wijchen", "Wijchen", "6602"),
    ("BEU", "Beuningen", "Beuningen", "6641"),
    ("HEU", "Heumen", "Heumen", "6581"),
    ("BED", "Berg en Dal", "Berg en Dal", "6561"),
    ("MOO", "Mook", "Mook en Middelaar", "6585"),
    ("WMW", "West Maas en Waal", "West Maas en Waal", "6658"),
    ("NYN", "Nijmegen-Noord", "Nijmegen", "6663"),
    ("NYC", "Nijmegen-Centrum", "Nijmegen", "6511"),
    ("NYD", "Nijmegen-Dukenburg", "Nijmegen", "6535"),
    ("NYL", "Nijmegen-Lindenholt", "Nijmegen", "6545"),
    ("NYO", "Nijmegen-Oost", "Nijmegen", "6522"),
)
DAY_PATTERNS = ((1, 2, 4), (1, 3, 4), (2, 3, 5), (1, 2, 3), (2, 4, 5), (1, 3, 5), (3, 4, 5))
BANDS = (("alfa", "Alfa A-Alfa C"), ("a1", "A1-A2"), ("a2", "A2-B1"), ("a2", "A2-B1"),
         ("b1", "B1"))  # fmt: skip
SECOND_BLOCK = {"alfa": ("KNM", "PART", "SENC"), "a1": ("KNM", "MAP", "SENC"),
                "a2": ("KNM", "MAP", "OSNW"), "b1": ("KNM", "MAP", "PVT")}  # fmt: skip
LEAVE_KINDS = (OutflowKind.BETAALD_WERK, OutflowKind.BETAALD_WERK, OutflowKind.VERHUISD,
               OutflowKind.OPLEIDING_STUDIEFINANCIERING, OutflowKind.GESTOPT,
               OutflowKind.BETAALD_WERK_ONDERSTEUNING)  # fmt: skip


@dataclass
class Seat:
    """One candidate's place in a group: joined, and left (outflow) if so."""

    group: GroupPlan
    start: date
    leave: date | None


def build_large(w: DemoWriter, today: date) -> None:
    """Write the benchmark dataset as seen on ``today``."""
    horizon = today + LOOKAHEAD
    first = today - timedelta(days=364 + today.weekday())  # a Monday about a year ago
    w.progress(0.0, "reference")
    statuses = write_statuses(w)
    kinds = write_activity_kinds(w)
    rooms = [f"Lokaal {n}" for n in range(1, ROOMS + 1)]
    locations = [
        write_location(w, key, name, municipality, postcode, rooms)
        for key, name, municipality, postcode in LOCATIONS
    ]
    coordinators = {loc.id: " ".join(p for p in dutch_name(w) if p) for loc in locations}
    staff = write_staff(w, language=len(locations) * ROOMS, trainers=4, coaches=3)
    officers: dict[str, list[Person]] = {}
    for loc in locations:
        if loc.municipality not in officers:
            officers[loc.municipality] = write_klantmanagers(w, loc.municipality, 2)
    closed = write_closures(w, first, horizon, locations)
    w.progress(0.02, "groups")
    groups = _write_groups(w, locations, staff.language, kinds, first, staff.providers)
    w.flush()

    w.progress(0.05, "candidates")
    seats = _plan_seats(w, groups, today)
    people = PeopleFactory(w)
    ids: list[int] = []  # per seat: the candidate's id
    for number, seat in enumerate(seats, start=1):
        ids.append(_write_candidate(w, seat, people, officers, coordinators, today))
        if number % 1000 == 0:
            w.progress(0.05 + 0.1 * number / len(seats), "candidates")
    w.flush()

    w.progress(0.15, "lessons")
    lessons = write_lessons(w, groups, closed, horizon, cancel_rate=0.008)
    w.flush()
    write_marks(w, groups, lessons, statuses, today, coordinators, (0.25, 0.98))
    w.flush()
    _write_work(w, seats, ids, today)  # last: the data above stays as it was
    w.flush()


def _write_groups(
    w: DemoWriter, locations: list[LocationRef], teachers: list[Person], kinds: dict[str, int],
    first: date, providers: dict[ProviderKind, int],
) -> list[GroupPlan]:  # fmt: skip
    """One group per room and shift at every location, each with six weekly slots."""
    groups: list[GroupPlan] = []
    for loc_index, loc in enumerate(locations):
        for room in range(ROOMS):
            teacher = teachers[loc_index * ROOMS + room]
            for shift_index, shift in enumerate(("am", "pm")):
                n = room * 2 + shift_index
                band, level_band = BANDS[n % len(BANDS)]
                group = GroupPlan(
                    id=w.next_id("study_group"), name=f"{loc.key}-{band.upper()}-{n + 1:02d}",
                    location=loc, band=band, level_band=level_band,
                    route="b1" if band == "b1" else "", room_id=loc.rooms[room], shift=shift,
                    days=DAY_PATTERNS[(loc_index + n) % len(DAY_PATTERNS)],
                    start=first + timedelta(weeks=n % 4), end=None, capacity=16,
                    provider_id=providers[ProviderKind.LANGUAGE],
                )  # fmt: skip
                write_group(w, group)
                first_kind = kinds["ALFA"] if band == "alfa" else kinds["NT2"]
                for weekday, second in zip(group.days, SECOND_BLOCK[band], strict=True):
                    add_slot(w, group, weekday, 0, first_kind, teacher)
                    add_slot(w, group, weekday, 1, kinds[second], teacher)
                groups.append(group)
    return groups


def _plan_seats(w: DemoWriter, groups: list[GroupPlan], today: date) -> list[Seat]:
    """Who joins which group when; a third leaves during the year and is replaced."""
    rng = w.rng
    seats: list[Seat] = []
    for index, group in enumerate(groups):
        for _ in range(13 + index % 4):
            start = group.start
            while True:
                leaves = rng.random() < (0.35 if start == group.start else 0.12)
                leave = None
                if leaves and (today - start).days > 60:
                    leave = start + timedelta(days=rng.randint(30, (today - start).days - 1))
                seats.append(Seat(group, start, leave))
                if leave is None:
                    break
                start = leave + timedelta(days=rng.randint(7, 21))
                if start > today:
                    break
    extra = 0
    while len(seats) < MIN_CANDIDATES:
        group = groups[extra % len(groups)]
        seats.append(Seat(group, group.start + timedelta(days=60 + extra % 30), None))
        extra += 1
    seats.sort(key=lambda s: (s.start, s.group.id))
    return seats


def _write_candidate(
    w: DemoWriter, seat: Seat, people: PeopleFactory, officers: dict[str, list[Person]],
    coordinators: dict[int, str], today: date,
) -> int:  # fmt: skip
    """Write one candidate with their history, group and levels; returns their id."""
    rng = w.rng
    loc = seat.group.location
    cid = w.next_id("candidate")
    registration = seat.start - timedelta(days=rng.randint(14, 60))
    law = Law.WI2021 if registration.year >= 2022 else Law.WI2013
    pip = registration + timedelta(days=rng.randint(30, 80))
    term_start = rules.term_start(pip) if law is Law.WI2021 and pip <= today else None
    route = Route.B1 if seat.group.band in ("a2", "b1") else rng.choice((Route.B1, Route.Z))
    if law is Law.WI2013:
        route, term_start = Route.WI2013, registration
    kind = rng.choice(LEAVE_KINDS) if seat.leave is not None else None
    history = [(registration, CandidateStatus.AANGEMELD), (seat.start, CandidateStatus.ACTIEF)]
    if seat.leave is not None and kind is not None:
        history.append((seat.leave, final_status(kind)))
    person = people.person(loc.municipality, registration)
    w.add(
        "candidate",
        {
            "id": cid, "uid": w.uid(), "klantnummer": people.klantnummer(loc.key[0]),
            **person.columns(), "municipality": loc.municipality, "location_id": loc.id,
            "klantmanager_id": rng.choice(officers[loc.municipality]).id, "law": law.value,
            "doelgroep": "statushouder",
            "route": route.value if term_start else None,
            "target_level": (_target(route) if term_start else None),
            "registration_date": registration,
            "obligation_start": registration, "lbt_date": None, "lbt_outcome": "",
            "term_start": term_start,
            "term_end": rules.term_end(term_start) if term_start else None,
            "status": history[-1][1].value, "participatieladder": rng.randint(1, 4),
            "merged_into_id": None,
            "created_at": local_to_utc(registration, time(9, 0)),
            "updated_at": local_to_utc(history[-1][0], time(16, 0)),
        },
    )  # fmt: skip
    coordinator = coordinators[loc.id]
    for day, status in history:
        w.add(
            "candidate_status_change",
            {
                "id": w.next_id("candidate_status_change"), "uid": w.uid(), "candidate_id": cid,
                "status": status.value, "effective_date": day, "reason": "",
                "recorded_by": coordinator, "recorded_at": local_to_utc(day, time(10, 0)),
            },
        )  # fmt: skip
    if term_start is not None and law is Law.WI2021:
        w.add(
            "pip_version",
            {
                "id": w.next_id("pip_version"), "uid": w.uid(), "candidate_id": cid, "version": 1,
                "decision_date": pip, "route": route.value,
                "target_level": _target(route), "reason": "eerste PIP",
            },
        )  # fmt: skip
    end = seat.leave - timedelta(days=1) if seat.leave is not None else None
    add_member(w, seat.group, Member(cid, seat.start, end, pick_profile(w)))
    _write_levels(w, cid, seat.group.band, seat.start, min(today, end or today), coordinator)
    if seat.leave is not None and kind is not None:
        w.add(
            "outflow",
            {
                "id": w.next_id("outflow"), "uid": w.uid(), "candidate_id": cid,
                "kind": kind.value, "outflow_date": seat.leave, "employer": "", "function": "",
                "hours_per_week": None, "contract": "", "benefit_after": "volledig", "note": "",
            },
        )  # fmt: skip
    return cid


# The level (on LEVEL_ORDER) a group's band starts from; a few candidates sit a band off,
# as happens when groups fill up, which the regrouping proposal can then put right.
BAND_BASE = {"alfa": 1.0, "a1": 3.0, "a2": 4.0, "b1": 5.0}
SKILL_OFFSETS = (("spreken", 0.35), ("luisteren", 0.2), ("lezen", 0.0), ("schrijven", -0.45))
MISFIT_SHARE = 0.08


def _write_levels(
    w: DemoWriter, cid: int, band: str, start: date, until: date, assessor: str
) -> None:
    """A placement test at the start, then a progress test every four to six months."""
    rng = w.rng
    base = BAND_BASE[band] + rng.uniform(-0.4, 0.4)
    if rng.random() < MISFIT_SHARE:
        base += rng.choice((-1.5, 1.5, 2.0))
    pace = rng.uniform(0.2, 1.1)  # steps a year
    top = len(LEVEL_ORDER) - 2
    day, method = start, AssessmentMethod.PLACEMENT_TEST
    best: dict[str, int] = {}
    while day <= until:
        grown = base + pace * (day - start).days / 365.25
        for skill, offset in SKILL_OFFSETS:
            value = grown + offset + rng.uniform(-0.3, 0.3)
            index = max(best.get(skill, 0), min(top, max(0, math.floor(value))))
            best[skill] = index
            w.add(
                "assessment",
                {
                    "id": w.next_id("assessment"), "uid": w.uid(), "candidate_id": cid,
                    "skill": skill, "level": LEVEL_ORDER[index].value, "assessed_on": day,
                    "method": method.value, "assessor": assessor, "note": "",
                },
            )  # fmt: skip
        day += timedelta(days=rng.randint(120, 180))
        method = AssessmentMethod.PROGRESS_TEST


def _target(route: Route) -> str:
    return {Route.Z: "a1", Route.WI2013: "a2"}.get(route, "b1")


# --- work: organisations with their opportunities, and work profiles to match --------

ORGANISATIONS = 400  # with 5 to 7 opportunities each: 2,400 opportunities
EMPLOYER_NOUNS = {"bouw": "Bouwbedrijf", "horeca": "Restaurant", "zorg": "Zorggroep",
                  "logistiek": "Transportbedrijf", "retail": "Winkelcentrum",
                  "groen": "Hoveniersbedrijf", "schoonmaak": "Schoonmaakbedrijf"}  # fmt: skip
VOLUNTEER_NOUNS = ("Buurthuis", "Kringloopwinkel", "Voedselbank", "Sportvereniging")
EMPLOYER_OFFERS = (PlacementKind.STAGE, PlacementKind.WERKERVARINGSPLAATS,
                   PlacementKind.PROEFPLAATSING, PlacementKind.BETAALD_WERK)  # fmt: skip
OFFER_TITLES = {PlacementKind.VRIJWILLIGERSWERK: "Vrijwilliger", PlacementKind.STAGE: "Stage",
                PlacementKind.WERKERVARINGSPLAATS: "Werkervaringsplaats",
                PlacementKind.PROEFPLAATSING: "Proefplaatsing",
                PlacementKind.BETAALD_WERK: "Vacature"}  # fmt: skip


def _write_work(w: DemoWriter, seats: list[Seat], ids: list[int], today: date) -> None:
    """Organisations in the candidates' places, their opportunities, and a work profile
    for nine in ten candidates still in a group and half of those who left."""
    rng = w.rng
    places = sorted({v for m in sorted({loc[2] for loc in LOCATIONS}) for v, _ in VILLAGES[m]})
    names: set[str] = set()
    for n in range(ORGANISATIONS):
        city, volunteer = places[n % len(places)], n % 5 == 0
        sector = rng.choice(sorted(FUNCTIONS))
        noun = rng.choice(VOLUNTEER_NOUNS) if volunteer else EMPLOYER_NOUNS[sector]
        name = (
            f"{noun} {rng.choice(STREETS) if volunteer else rng.choice(DUTCH_SURNAMES)[1]} {city}"
        )
        name = name if name not in names else f"{name} {n}"
        names.add(name)
        org_id = w.next_id("organisation")
        w.add(
            "organisation",
            {
                "id": org_id, "uid": w.uid(), "name": name, "sector": sector,
                "address": f"{rng.choice(STREETS)} {rng.randint(1, 120)}", "city": city,
                "contact_name": " ".join(p for p in dutch_name(w) if p),
                "contact_email": f"info{n}@{sector}.example", "phone": "",
                "kind": "vrijwilligers" if volunteer else "werkgever", "active": True,
            },
        )  # fmt: skip
        for _ in range(5 + n % 3):
            kind = PlacementKind.VRIJWILLIGERSWERK if volunteer else rng.choice(EMPLOYER_OFFERS)
            _write_offer(w, org_id, kind, sector, city, today)
    for seat, cid in zip(seats, ids, strict=True):
        if rng.random() < (0.9 if seat.leave is None else 0.5):
            _write_profile(w, cid, seat, today)


def _write_offer(
    w: DemoWriter, org_id: int, kind: PlacementKind, sector: str, city: str, today: date
) -> None:
    rng = w.rng
    start = today - timedelta(days=rng.randint(-30, 300))
    end = start + timedelta(days=rng.randint(180, 720)) if rng.random() < 0.3 else None
    w.add(
        "opportunity",
        {
            "id": w.next_id("opportunity"), "uid": w.uid(), "organisation_id": org_id,
            "kind": kind.value,
            "title": f"{OFFER_TITLES[kind]} {rng.choice(FUNCTIONS[sector])}", "sector": sector,
            "city": city, "days": ",".join(map(str, sorted(rng.sample(range(1, 6),
                                                                     rng.choice((1, 2, 2, 3)))))),
            "hours_per_week": rng.choice((4, 8, 12, 16, 24, 32)),
            "required_level": rng.choice((None, None, "a1", "a2", "b1")),
            "driving_licence_required": rng.random() < 0.08, "start_date": start,
            "end_date": end, "places": rng.randint(1, 3), "active": end is None or end >= today,
            "skill_levels": rng.choice(("", "", "", "spreken=a2", "lezen=a1,spreken=a2")),
            "certificates": "VCA" if rng.random() < 0.05 else "",
            "physical_work": sector in ("bouw", "groen", "logistiek") and rng.random() < 0.6,
            "description": "",
        },
    )  # fmt: skip


def _write_profile(w: DemoWriter, cid: int, seat: Seat, today: date) -> None:
    rng = w.rng
    w.add(
        "work_profile",
        {
            "id": w.next_id("work_profile"), "uid": w.uid(), "candidate_id": cid,
            "available_days": seat.group.free_days(),
            "hours_per_week": rng.choice((8, 12, 16, 20, 24, 32)),
            "available_from": min(today, seat.start + timedelta(days=rng.randint(30, 200))),
            "transport": rng.choice(("fiets", "fiets", "ov", "auto", "lopen")),
            "max_travel_minutes": rng.choice((30, 45, 45, 60, 60)),
            "driving_licence": rng.random() < 0.15, "flexibility": "",
            "education_summary": "", "education_country": "",
            "education_years": rng.randint(0, 16), "work_history": "",
            "work_years": rng.randint(0, 20),
            "certificates": rng.choice(("", "", "", "VCA basis", "EHBO")),
            "sector_wishes": ", ".join(rng.sample(sorted(FUNCTIONS), rng.randint(1, 2))),
            "employer_consent": False, "consent_date": None,
        },
    )  # fmt: skip
