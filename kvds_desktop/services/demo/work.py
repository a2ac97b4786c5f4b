"""Work: organisations and their opportunities, work profiles, placements and outflow.

Candidates do volunteer work on their days without lessons, some get an internship or
a trial placement, and outflow to work or education is followed up at 1, 3, 6 and 12
months.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import BenefitAfterOutflow, OutflowKind, PlacementKind
from kvds_desktop.services.demo.candidates import WORK_OUTFLOWS, WrittenCandidate
from kvds_desktop.services.demo.names import (
    EDUCATION_PROGRAMMES,
    FUNCTIONS,
    ORGANISATIONS,
    STREETS,
    VOLUNTEER_ORGANISATIONS,
)
from kvds_desktop.services.demo.reference import ascii_slug, dutch_name
from kvds_desktop.services.demo.writer import DemoWriter

SCHOOL = ("ROC Rivor (mbo-opleidingen)", "onderwijs", "Tiel")
EMPLOYER_KINDS = (
    PlacementKind.STAGE,
    PlacementKind.WERKERVARINGSPLAATS,
    PlacementKind.PROEFPLAATSING,
    PlacementKind.BETAALD_WERK,
)
TITLES: dict[PlacementKind, str] = {
    PlacementKind.VRIJWILLIGERSWERK: "Vrijwilliger {0}",
    PlacementKind.STAGE: "Stage {0}",
    PlacementKind.WERKERVARINGSPLAATS: "Werkervaringsplaats {0}",
    PlacementKind.PROEFPLAATSING: "Proefplaatsing {0}",
    PlacementKind.BETAALD_WERK: "Vacature {0}",
    PlacementKind.OPLEIDING: "{0}",
}
CONTRACTS: dict[OutflowKind, tuple[str, ...]] = {
    OutflowKind.BETAALD_WERK: ("jaarcontract", "uitzendcontract", "vast contract",
                               "0-urencontract"),
    OutflowKind.BETAALD_WERK_ONDERSTEUNING: ("jaarcontract met loonkostensubsidie",),
    OutflowKind.BBL: ("BBL-leerarbeidsovereenkomst",),
    OutflowKind.WERKERVARINGSPLAATS: ("werkervaringsplaats, 6 maanden",),
    OutflowKind.VRIJWILLIGERSWERK: ("vrijwilligersovereenkomst",),
}  # fmt: skip
ENDED_NOTES: dict[OutflowKind, str] = {
    OutflowKind.VERHUISD: "verhuisd naar een andere gemeente; dossier overgedragen",
    OutflowKind.ONTHEFFING: "ontheffing van de inburgeringsplicht (medisch)",
    OutflowKind.GESTOPT: "gestopt met het traject",
    OutflowKind.OVERIG: "inburgering afgerond, verder begeleid door de klantmanager",
}
COUNTRIES = {"Syrische": "Syrië", "Eritrese": "Eritrea", "Afghaanse": "Afghanistan",
             "Turkse": "Turkije", "Somalische": "Somalië", "Nederlandse": "Nederland"}  # fmt: skip
EDUCATION = ("6 jaar basisschool", "middelbare school, niet afgerond", "middelbare school",
             "beroepsopleiding in het land van herkomst", "universiteit, diploma niet erkend",
             "geen onderwijs gevolgd")  # fmt: skip
HISTORY = ("bouwvakker", "kapper", "kok in een restaurant", "boer", "naaister", "chauffeur",
           "verkoper in een winkel", "onderwijzer", "huisvrouw", "monteur")  # fmt: skip


@dataclass
class OrgRef:
    """A written organisation and its opportunities by kind."""

    id: int
    name: str
    sector: str
    city: str
    volunteer: bool
    opportunities: dict[PlacementKind, list[int]] = field(default_factory=dict)


def write_organisations(w: DemoWriter, first: date, today: date) -> list[OrgRef]:
    """Write the fictional employers, volunteer organisations and the school."""
    rng = w.rng
    orgs: list[OrgRef] = []
    for index, (name, sector, city) in enumerate((*ORGANISATIONS, SCHOOL)):
        org = OrgRef(w.next_id("organisation"), name, sector, city, name in VOLUNTEER_ORGANISATIONS)
        orgs.append(org)
        first_name, tussen, last = dutch_name(w)
        w.add(
            "organisation",
            {
                "id": org.id, "uid": w.uid(), "name": name, "sector": sector,
                "address": f"{rng.choice(STREETS)} {rng.randint(1, 120)}", "city": city,
                "contact_name": " ".join(p for p in (first_name, tussen, last) if p),
                "contact_email": f"info@{ascii_slug(name)[:24]}.example",
                "phone": f"024-{rng.randint(3_000_000, 3_999_999)}",
                "kind": "vrijwilligers" if org.volunteer else (
                    "onderwijs" if org.sector == "onderwijs" else "werkgever"),
                "active": True,
            },
        )  # fmt: skip
        if org.sector == "onderwijs":
            kinds = [PlacementKind.OPLEIDING, PlacementKind.OPLEIDING]
        elif org.volunteer:
            kinds = [PlacementKind.VRIJWILLIGERSWERK] * rng.randint(1, 2)
        else:
            kinds = [EMPLOYER_KINDS[index % 4], EMPLOYER_KINDS[(index + 1) % 4]]
        for kind in kinds:
            _write_opportunity(w, org, kind, first, today)
    return orgs


PHYSICAL_SECTORS = frozenset({"bouw", "logistiek", "groen", "schoonmaak", "productie", "zorg"})


def _skill_levels(rng: Any, kind: PlacementKind) -> str:
    """Now and then a minimum per skill on top of the overall one (speaking for contact)."""
    if kind is PlacementKind.OPLEIDING or rng.random() < 0.6:
        return ""
    return rng.choice(("spreken=a2", "spreken=a2,luisteren=a2", "lezen=a1", "spreken=b1"))


def _write_opportunity(
    w: DemoWriter, org: OrgRef, kind: PlacementKind, first: date, today: date
) -> None:
    rng = w.rng
    if kind is PlacementKind.OPLEIDING:
        title = rng.choice(EDUCATION_PROGRAMMES)
    else:
        title = TITLES[kind].format(rng.choice(FUNCTIONS.get(org.sector, ("medewerker",))))
    start = first + timedelta(days=rng.randint(0, max(1, (today - first).days)))
    end = start + timedelta(days=rng.randint(180, 720)) if rng.random() < 0.4 else None
    opp_id = w.next_id("opportunity")
    org.opportunities.setdefault(kind, []).append(opp_id)
    # Requirements added later draw from their own generator, so the rest of the demo
    # (groups, marks, levels) stays exactly as it was for the same seed.
    extra = random.Random(f"opportunity-{opp_id}")
    w.add(
        "opportunity",
        {
            "id": opp_id, "uid": w.uid(), "organisation_id": org.id, "kind": kind.value,
            "title": title, "sector": org.sector, "city": org.city,
            "days": ",".join(str(d) for d in sorted(rng.sample(range(1, 6), 2))),
            "hours_per_week": rng.choice((8, 12, 16, 24, 32)),
            "required_level": rng.choice((None, "a1", "a2", "a2", "b1")),
            "driving_licence_required": rng.random() < 0.1, "start_date": start,
            "end_date": end, "places": rng.randint(1, 3), "active": end is None or end >= today,
            "skill_levels": _skill_levels(extra, kind), "certificates": "VCA"
            if extra.random() < 0.08 else "",
            "physical_work": org.sector in PHYSICAL_SECTORS and extra.random() < 0.6,
            "description": "",
        },
    )  # fmt: skip


def _employer(w: DemoWriter, orgs: list[OrgRef], hint: str) -> tuple[OrgRef, str]:
    rng = w.rng
    sectors = [s for s, functions in FUNCTIONS.items() if hint in functions]
    employers = [o for o in orgs if not o.volunteer and o.sector in FUNCTIONS]
    if sectors:
        employers = [o for o in employers if o.sector == sectors[0]] or employers
    org = rng.choice(employers)
    return org, hint or rng.choice(FUNCTIONS[org.sector])


def write_outflow(
    w: DemoWriter, done: WrittenCandidate, orgs: list[OrgRef], today: date
) -> OrgRef | None:
    """Write the outflow of an ended candidate and its follow-ups; return the employer."""
    rng = w.rng
    plan = done.plan
    if not done.ended or plan.outflow_day is None or plan.outflow_kind is None:
        return None
    kind, day = plan.outflow_kind, plan.outflow_day
    employer: OrgRef | None = None
    name = function = contract = note = ""
    hours: int | None = None
    benefit = BenefitAfterOutflow.FULL
    if kind in WORK_OUTFLOWS or kind is OutflowKind.VRIJWILLIGERSWERK:
        if kind is OutflowKind.VRIJWILLIGERSWERK:
            employer = rng.choice([o for o in orgs if o.volunteer])
            function = rng.choice(FUNCTIONS[employer.sector])
            hours = rng.randint(8, 16)
        else:
            employer, function = _employer(w, orgs, plan.function_hint)
            hours = rng.choice((16, 20, 24, 28, 32, 36, 38))
        name, contract = employer.name, rng.choice(CONTRACTS[kind])
        if kind is OutflowKind.BETAALD_WERK:
            benefit = BenefitAfterOutflow.NONE if hours >= 28 else BenefitAfterOutflow.PARTIAL
        elif kind in (OutflowKind.BETAALD_WERK_ONDERSTEUNING, OutflowKind.BBL):
            benefit = BenefitAfterOutflow.PARTIAL
    elif kind is OutflowKind.OPLEIDING_STUDIEFINANCIERING:
        employer = next(o for o in orgs if o.sector == "onderwijs")
        name, function, benefit = (
            employer.name,
            rng.choice(EDUCATION_PROGRAMMES),
            BenefitAfterOutflow.NONE,
        )
    else:
        note = ENDED_NOTES.get(kind, "")
    outflow_id = w.next_id("outflow")
    w.add(
        "outflow",
        {
            "id": outflow_id, "uid": w.uid(), "candidate_id": plan.id, "kind": kind.value,
            "outflow_date": day, "employer": name, "function": function,
            "hours_per_week": hours, "contract": contract, "benefit_after": benefit.value,
            "note": note,
        },
    )  # fmt: skip
    if employer is not None:
        _write_follow_ups(w, outflow_id, day, today, 0.05 if kind in WORK_OUTFLOWS else 0.02)
    return employer


def _write_follow_ups(
    w: DemoWriter, outflow_id: int, day: date, today: date, fall_back: float
) -> None:
    rng = w.rng
    still_out = True
    for month in (1, 3, 6, 12):
        due = rules.add_months(day, month)
        checked = due + timedelta(days=rng.randint(0, 10))
        if checked > today:
            checked_on, result = None, None
        else:
            still_out = still_out and rng.random() >= fall_back
            checked_on, result = checked, still_out
        w.add(
            "outflow_follow_up",
            {
                "id": w.next_id("outflow_follow_up"), "uid": w.uid(), "outflow_id": outflow_id,
                "month": month, "due_date": due, "checked_on": checked_on, "still_out": result,
                "note": "" if result is not False else "terug in de uitkering",
                "benefit": "" if result is None else ("geen" if result else "volledig"),
            },
        )  # fmt: skip


def _placement(
    w: DemoWriter, candidate_id: int, org: OrgRef, kind: PlacementKind, start: date,
    end: date | None, days: str, hours: int | None, note: str = "",
) -> None:  # fmt: skip
    options = org.opportunities.get(kind, [])
    w.add(
        "placement",
        {
            "id": w.next_id("placement"), "uid": w.uid(), "candidate_id": candidate_id,
            "opportunity_id": w.rng.choice(options) if options else None,
            "organisation_id": org.id, "kind": kind.value, "start_date": start,
            "end_date": end, "days": days, "hours_per_week": hours,
            "wage_subsidy": kind is PlacementKind.BETAALD_WERK and "subsidie" in note,
            "note": note, "stage": "geplaatst",
        },
    )  # fmt: skip


def write_placements(
    w: DemoWriter, done: WrittenCandidate, orgs: list[OrgRef], free_days: str, today: date,
    employer: OrgRef | None,
) -> None:  # fmt: skip
    """Volunteer work on free days, an internship for some, the job or school at outflow."""
    days = free_days or "3,5"
    busy_until = _placements_during(w, done, orgs, days, today)
    plan = done.plan
    if employer is None or plan.outflow_day is None or plan.outflow_kind is None:
        return
    outflow, day = plan.outflow_kind, plan.outflow_day
    if outflow is OutflowKind.OPLEIDING_STUDIEFINANCIERING:
        _placement(w, plan.id, employer, PlacementKind.OPLEIDING, day, None, "1,2,3,4,5", None)
    elif outflow is OutflowKind.VRIJWILLIGERSWERK:
        _placement(w, plan.id, employer, PlacementKind.VRIJWILLIGERSWERK, day, None, days, 12)
    elif outflow is OutflowKind.WERKERVARINGSPLAATS:
        end = day + timedelta(days=182)
        _placement(w, plan.id, employer, PlacementKind.WERKERVARINGSPLAATS, day,
                   end if end <= today else None, "1,2,3,4", 24)  # fmt: skip
    else:
        trial = day - timedelta(days=w.rng.randint(42, 70))
        if w.rng.random() < 0.4 and (busy_until is None or trial > busy_until):
            _placement(w, plan.id, employer, PlacementKind.PROEFPLAATSING, trial,
                       day - timedelta(days=1), days, 16, "met behoud van uitkering")  # fmt: skip
        notes = {
            OutflowKind.BBL: "BBL-traject",
            OutflowKind.BETAALD_WERK_ONDERSTEUNING: "met subsidie",
        }
        note = notes.get(outflow, "")
        _placement(
            w, plan.id, employer, PlacementKind.BETAALD_WERK, day, None, "1,2,3,4,5", 32, note
        )


def _placements_during(
    w: DemoWriter, done: WrittenCandidate, orgs: list[OrgRef], days: str, today: date
) -> date | None:
    """Volunteer work and an internship while in the programme; return the last end."""
    rng = w.rng
    plan = done.plan
    until = min(today, (plan.outflow_day or today) - timedelta(days=1))

    def clip(end: date) -> date | None:
        return end if end <= until else (until if done.ended else None)

    hours = 4 * (days.count(",") + 1)
    busy_until: date | None = None
    cursor = plan.active_from + timedelta(days=rng.randint(120, 240))
    if cursor < until and plan.level_at(cursor) >= 2 and rng.random() < 0.55:
        end = cursor + timedelta(days=rng.randint(90, 360))
        volunteer = rng.choice([o for o in orgs if o.volunteer])
        busy_until = clip(end)
        _placement(w, plan.id, volunteer, PlacementKind.VRIJWILLIGERSWERK, cursor, busy_until,
                   days, hours)  # fmt: skip
        cursor = end + timedelta(days=rng.randint(14, 60))
    if cursor < until and rng.random() < 0.3:
        kind = rng.choice((PlacementKind.STAGE, PlacementKind.WERKERVARINGSPLAATS))
        org = rng.choice([o for o in orgs if o.opportunities.get(kind)] or orgs)
        busy_until = clip(cursor + timedelta(days=rng.randint(60, 180)))
        _placement(w, plan.id, org, kind, cursor, busy_until, days, hours)
    return busy_until


def write_work_profile(w: DemoWriter, done: WrittenCandidate, free_days: str, today: date) -> None:
    """A work profile (GGM Werk) for most active candidates and half of the others."""
    rng = w.rng
    plan = done.plan
    if plan.active_from > today or rng.random() > (0.5 if done.ended else 0.85):
        return
    consent = rng.random() < 0.4
    country = COUNTRIES.get(done.person.nationality, "")
    w.add(
        "work_profile",
        {
            "id": w.next_id("work_profile"), "uid": w.uid(), "candidate_id": plan.id,
            "available_days": free_days, "hours_per_week": rng.choice((8, 12, 16, 20, 24, 32)),
            "available_from": plan.active_from + timedelta(days=rng.randint(60, 200)),
            "transport": rng.choice(("fiets", "fiets", "ov", "auto", "lopen")),
            "max_travel_minutes": rng.choice((30, 45, 45, 60, 60)),
            "driving_licence": rng.random() < 0.15,
            "flexibility": rng.choice(("", "ook avonden", "geen weekenden", "ook zaterdag")),
            "education_summary": rng.choice(EDUCATION), "education_country": country,
            "education_years": rng.randint(0, 16),
            "work_history": f"{rng.choice(HISTORY)} in {country or 'land van herkomst'}",
            "work_years": rng.randint(0, 20),
            "certificates": rng.choice(("", "", "VCA basis", "EHBO", "rijbewijs B")),
            "sector_wishes": ", ".join(rng.sample(sorted(FUNCTIONS), rng.randint(1, 2))),
            "employer_consent": consent,
            "consent_date": min(today, plan.active_from + timedelta(days=rng.randint(30, 120)))
            if consent else None,
        },
    )  # fmt: skip
