"""The pilot-scale demo: a fictional "Klaar voor de Start" in Druten and Wijchen.

From the first lessons in July 2019 up to ``today`` (lessons four weeks beyond),
with the evaluation's cohorts, later Wi2013 and Wi2021 cohorts, and everything the
coordinator records about them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kvds_desktop.domain.enums import Doelgroep, Law, Level
from kvds_desktop.services.demo.attendance import write_marks
from kvds_desktop.services.demo.candidates import WrittenCandidate, write_candidate
from kvds_desktop.services.demo.cohorts import CandidatePlan, plan_pilot
from kvds_desktop.services.demo.people import PeopleFactory
from kvds_desktop.services.demo.pilot_groups import assign_members, write_pilot_groups
from kvds_desktop.services.demo.progress import write_assessments, write_exams, write_modules
from kvds_desktop.services.demo.reference import (
    FIRST_LESSON_DAY,
    LocationRef,
    Person,
    Staff,
    dutch_name,
    write_activity_kinds,
    write_closures,
    write_klantmanagers,
    write_location,
    write_staff,
    write_statuses,
)
from kvds_desktop.services.demo.timetable import GroupPlan, write_lessons
from kvds_desktop.services.demo.work import (
    OrgRef,
    write_organisations,
    write_outflow,
    write_placements,
    write_work_profile,
)
from kvds_desktop.services.demo.writer import DemoWriter

LOOKAHEAD = timedelta(weeks=4)
LOCKDOWNS = ((date(2020, 3, 16), date(2020, 5, 31)), (date(2020, 12, 16), date(2021, 2, 7)))
KLANTNUMMER_PREFIX = {"DRU": "D", "WIJ": "W"}


@dataclass
class PilotReference:
    """The written reference data the candidates, groups and lessons point to."""

    statuses: dict[str, int]
    kinds: dict[str, int]
    locations: dict[str, LocationRef]
    coordinators: dict[int, str]
    staff: Staff
    officers: dict[str, list[Person]]
    closed: dict[int, set[date]]
    orgs: list[OrgRef]


def build_pilot(w: DemoWriter, today: date) -> None:
    """Write the whole pilot dataset as seen on ``today``."""
    horizon = today + LOOKAHEAD
    w.progress(0.0, "reference")
    ref = _write_reference(w, today, horizon)
    w.progress(0.05, "candidates")
    plans = plan_pilot(w, today, ref.locations)
    written = _write_candidates(w, ref, plans, today)
    w.progress(0.12, "groups")
    groups = write_pilot_groups(w, ref.locations, ref.staff, ref.kinds)
    latest = assign_members(w, plans, groups, today, horizon)
    w.progress(0.18, "progress")
    assessors = _assessors(ref.locations, groups)
    for done in written:
        plan = done.plan
        until = min(today, plan.outflow_day or today)
        target = _current_target(done, today)
        write_assessments(w, plan, until, assessors[plan.location.key])
        write_exams(w, done, target, today)
        write_modules(w, plan, until, target)
    w.progress(0.25, "work")
    for done in written:
        group = latest.get(done.plan.id)
        free_days = group.free_days() if group is not None else ""
        employer = write_outflow(w, done, ref.orgs, today)
        write_placements(w, done, ref.orgs, free_days, today, employer)
        write_work_profile(w, done, free_days, today)
    w.flush()
    w.progress(0.3, "lessons")
    all_groups = [g for key in sorted(groups) for g in groups[key]]
    lessons = write_lessons(w, all_groups, ref.closed, horizon, online_periods=LOCKDOWNS)
    w.flush()
    write_marks(w, all_groups, lessons, ref.statuses, today, ref.coordinators, (0.4, 0.98))
    _write_costs(w, ref.locations, today)
    w.flush()


# Yearly costs per location for the business case: fictional round amounts of the order
# the evaluation discussed (housing was the expensive part), not real figures.
YEARLY_COSTS = (
    ("huisvesting", 60_000.0, "huur en facilitair beheer (voorbeeld)"),
    ("personeel", 95_000.0, "coördinator en jobcoach (voorbeeld)"),
    ("aanbieder", 120_000.0, "taal en trainingen, contract (voorbeeld)"),
)


def _write_costs(w: DemoWriter, locations: dict[str, LocationRef], today: date) -> None:
    """Costs per location and calendar year since the pilot began (no random draws)."""
    for loc in sorted(locations.values(), key=lambda x: x.id):
        share = 1.0 if loc.municipality == "Wijchen" else 0.6
        for year in range(2019, today.year + 1):
            first = date(year, 7, 1) if year == 2019 else date(year, 1, 1)
            last = min(date(year, 12, 31), today)
            for category, amount, note in YEARLY_COSTS:
                months = (last.year - first.year) * 12 + last.month - first.month + 1
                w.add(
                    "cost_entry",
                    {
                        "id": w.next_id("cost_entry"), "uid": w.uid(),
                        "municipality": loc.municipality, "location_id": loc.id,
                        "category": category, "period_start": first, "period_end": last,
                        "amount_eur": round(amount * share * months / 12, 2), "note": note,
                    },
                )  # fmt: skip


def _write_reference(w: DemoWriter, today: date, horizon: date) -> PilotReference:
    """Vocabularies, both locations, providers and staff, closures and organisations."""
    statuses = write_statuses(w)
    kinds = write_activity_kinds(w)
    locations = {
        "DRU": write_location(w, "DRU", "Druten", "Druten", "6651",
                              ["Lokaal 1", "Lokaal 2", "Praktijklokaal"]),
        "WIJ": write_location(w, "WIJ", "Wijchen", "Wijchen", "6602",
                              ["Lokaal A", "Lokaal B", "Lokaal C"]),
    }  # fmt: skip
    coordinators = {loc.id: " ".join(p for p in dutch_name(w) if p) for loc in locations.values()}
    staff = write_staff(w, language=6, trainers=4, coaches=3)
    officers = {
        "DRU": write_klantmanagers(w, "Druten", 2),  # inkomensconsulenten
        "WIJ": write_klantmanagers(w, "Wijchen", 3),  # klantmanagers
    }
    closed = write_closures(w, FIRST_LESSON_DAY, horizon, list(locations.values()))
    orgs = write_organisations(w, FIRST_LESSON_DAY, today)
    w.flush()
    return PilotReference(statuses, kinds, locations, coordinators, staff, officers, closed, orgs)


def _write_candidates(
    w: DemoWriter, ref: PilotReference, plans: list[CandidatePlan], today: date
) -> list[WrittenCandidate]:
    """Give every planned candidate a fictional person and write them."""
    people = PeopleFactory(w)
    written: list[WrittenCandidate] = []
    for plan in plans:
        key = plan.location.key
        dutch = plan.doelgroep is Doelgroep.PARTICIPATIE and w.rng.random() < 0.6
        person = people.person(plan.location.municipality, plan.registration, dutch=dutch)
        done = write_candidate(
            w, plan, person, people.klantnummer(KLANTNUMMER_PREFIX[key]),
            w.rng.choice(ref.officers[key]), ref.coordinators[plan.location.id], today,
        )  # fmt: skip
        written.append(done)
    return written


def _current_target(done: WrittenCandidate, today: date) -> str | None:
    """The target level of the latest PIP so far (Wi2013: A2; others: none)."""
    plan = done.plan
    if plan.law is Law.WI2013:
        return Level.A2.value
    until = min(today, plan.outflow_day or today)
    pips = [p for p in plan.pips if p.day <= until]
    return pips[-1].target.value if pips else None


def _assessors(
    locations: dict[str, LocationRef], groups: dict[str, list[GroupPlan]]
) -> dict[str, list[str]]:
    """The language teachers of each location, who assess levels."""
    return {
        key: sorted({slot.teacher.name for g in groups[key] for slot in g.slots[:3]})
        for key in locations
    }
