"""Writing planned candidates: the candidate row, status history, PIPs, extensions, notes.

Only what happened on or before ``today`` is written; the candidate's current status,
route and term follow from those rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import CandidateStatus, Law, OutflowKind
from kvds_desktop.services.demo.cohorts import CandidatePlan, PipPlan
from kvds_desktop.services.demo.people import PersonalData
from kvds_desktop.services.demo.reference import Person
from kvds_desktop.services.demo.writer import DemoWriter, local_to_utc

FINAL_STATUS: dict[OutflowKind, CandidateStatus] = {
    OutflowKind.VERHUISD: CandidateStatus.VERHUISD,
    OutflowKind.ONTHEFFING: CandidateStatus.ONTHEVEN,
    OutflowKind.GESTOPT: CandidateStatus.GESTOPT,
}
WORK_OUTFLOWS = frozenset(
    {
        OutflowKind.BETAALD_WERK,
        OutflowKind.BETAALD_WERK_ONDERSTEUNING,
        OutflowKind.BBL,
        OutflowKind.WERKERVARINGSPLAATS,
    }
)
NOTES: tuple[str, ...] = (
    "Intakegesprek gevoerd. Gemotiveerd, wil graag snel aan het werk.",
    "Intakegesprek gevoerd met tolk. Kinderopvang nog niet geregeld.",
    "Gesprek met klantmanager over vrijwilligerswerk op de vrije dagen.",
    "Voortgangsgesprek: spreken gaat goed, schrijven blijft achter.",
    "Afspraak gemaakt met jobcoach van het Werkbedrijf.",
    "Kandidaat geeft aan last te hebben van concentratieproblemen.",
    "Driegesprek met docent en klantmanager over aanwezigheid.",
)


@dataclass(frozen=True)
class WrittenCandidate:
    """What later stages need to know about a written candidate."""

    plan: CandidatePlan
    person: PersonalData
    status: CandidateStatus
    ended: bool


def final_status(kind: OutflowKind) -> CandidateStatus:
    """The status that ends a candidacy with an outflow of ``kind``."""
    return FINAL_STATUS.get(kind, CandidateStatus.UITGESTROOMD)


def status_history(plan: CandidatePlan, today: date) -> list[tuple[date, CandidateStatus, str]]:
    """The dated status changes of a candidate up to ``today``."""
    events = [
        (plan.registration, CandidateStatus.AANGEMELD, "aangemeld door de gemeente"),
        (plan.intake, CandidateStatus.INTAKE, "intakegesprek"),
        (plan.active_from, CandidateStatus.ACTIEF, "gestart in een groep"),
    ]
    if plan.pause is not None:
        start, end, reason = plan.pause
        events.append((start, CandidateStatus.GEPAUZEERD, reason))
        events.append((end + timedelta(days=1), CandidateStatus.ACTIEF, "hervat na pauze"))
    if plan.outflow_day is not None and plan.outflow_kind is not None:
        kind = plan.outflow_kind
        events.append((plan.outflow_day, final_status(kind), f"uitstroom: {kind.value}"))
    return [event for event in events if event[0] <= today]


def write_candidate(
    w: DemoWriter,
    plan: CandidatePlan,
    person: PersonalData,
    klantnummer: str,
    klantmanager: Person,
    coordinator: str,
    today: date,
) -> WrittenCandidate:
    """Write one candidate with its history; return its state on ``today``."""
    rng = w.rng
    history = status_history(plan, today)
    last_day = plan.outflow_day if plan.outflow_day is not None else today
    pips = [p for p in plan.pips if p.day <= min(today, last_day)]
    extension = plan.extension if plan.extension and plan.extension[0] <= today else None
    route, target = _route_and_target(plan, pips)
    term_start = None
    if plan.law is Law.WI2013:
        term_start = plan.obligation_start
    elif plan.law is Law.WI2021 and pips:
        term_start = rules.term_start(pips[0].day)
    term_end = None
    if term_start is not None:
        term_end = rules.term_end(term_start, extension[1] if extension else 0)
    status = history[-1][1]
    ended = plan.outflow_day is not None and plan.outflow_day <= today
    lbt = plan.lbt if plan.lbt and plan.lbt[0] <= today else None
    w.add(
        "candidate",
        {
            "id": plan.id, "uid": w.uid(), "klantnummer": klantnummer, **person.columns(),
            "municipality": plan.location.municipality,
            "location_id": plan.location.id, "klantmanager_id": klantmanager.id,
            "law": plan.law.value, "doelgroep": plan.doelgroep.value, "route": route,
            "target_level": target, "registration_date": plan.registration,
            "obligation_start": plan.obligation_start,
            "lbt_date": lbt[0] if lbt else None, "lbt_outcome": lbt[1] if lbt else "",
            "term_start": term_start, "term_end": term_end, "status": status.value,
            "participatieladder": _ladder(plan, ended, today),
            "merged_into_id": None,
            "created_at": local_to_utc(plan.registration, time(9, 0)),
            "updated_at": local_to_utc(history[-1][0], time(16, 0)),
        },
    )  # fmt: skip
    for day, change, reason in history:
        w.add(
            "candidate_status_change",
            {
                "id": w.next_id("candidate_status_change"), "uid": w.uid(),
                "candidate_id": plan.id, "status": change.value, "effective_date": day,
                "reason": reason, "recorded_by": coordinator,
                "recorded_at": local_to_utc(day, time(10, rng.randint(0, 59))),
            },
        )  # fmt: skip
    for version, pip in enumerate(pips, start=1):
        w.add(
            "pip_version",
            {
                "id": w.next_id("pip_version"), "uid": w.uid(), "candidate_id": plan.id,
                "version": version, "decision_date": pip.day, "route": pip.route.value,
                "target_level": pip.target.value, "reason": pip.reason,
            },
        )  # fmt: skip
    if extension is not None:
        decided, months, reason = extension
        w.add(
            "term_extension",
            {
                "id": w.next_id("term_extension"), "uid": w.uid(), "candidate_id": plan.id,
                "decided_on": decided, "months": months, "reason": reason,
            },
        )  # fmt: skip
    _write_notes(w, plan, coordinator, min(today, last_day))
    return WrittenCandidate(plan, person, status, ended)


def _route_and_target(plan: CandidatePlan, pips: list[PipPlan]) -> tuple[str | None, str | None]:
    if plan.law is Law.WI2021:
        if not pips:
            return None, None
        return pips[-1].route.value, pips[-1].target.value
    if plan.law is Law.WI2013:
        return plan.route.value, "a2"
    return plan.route.value, None


def _ladder(plan: CandidatePlan, ended: bool, today: date) -> int:
    if ended and plan.outflow_kind in WORK_OUTFLOWS:
        return 6 if plan.outflow_kind is OutflowKind.BETAALD_WERK else 5
    months = (today - plan.active_from).days / 30.44
    return min(4, plan.ladder + (1 if months > 12 else 0))


def _write_notes(w: DemoWriter, plan: CandidatePlan, author: str, until: date) -> None:
    rng = w.rng
    if rng.random() < 0.45:
        return
    days = [plan.intake, plan.active_from + timedelta(days=rng.randint(30, 400))]
    for index, day in enumerate(days[: rng.randint(1, 2)]):
        if day > until:
            break
        w.add(
            "candidate_note",
            {
                "id": w.next_id("candidate_note"), "uid": w.uid(), "candidate_id": plan.id,
                "written_at": local_to_utc(day, time(14, rng.randint(0, 59))), "author": author,
                "text": NOTES[rng.randint(0, 1)] if index == 0 else rng.choice(NOTES[2:]),
            },
        )  # fmt: skip
