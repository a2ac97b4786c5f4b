"""The pilot's candidates as planned lives: registration, route, progress, pause, outflow.

Plans are drawn first and only then written, observed at ``today``: whatever a plan
says after ``today`` is left out (a planned outflow after today means the candidate is
still active). The first cohorts reproduce the evaluation's table: on 17 December 2020
Druten had 30 candidates of whom 10 had flowed out, Wijchen 24 of whom 8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import Doelgroep, Law, Level, OutflowKind, Route
from kvds_desktop.services.demo.attendance import WEAK, AttendanceProfile, pick_profile
from kvds_desktop.services.demo.reference import FIRST_LESSON_DAY, LocationRef
from kvds_desktop.services.demo.writer import DemoWriter

EVALUATION_DAY = date(2020, 12, 17)
WI2021_START = date(2022, 1, 1)
MONTH = 30.44  # days
# location key -> (candidates on the evaluation day, of whom flowed out, first batch)
PILOT_TABLE: dict[str, tuple[int, int, int]] = {"DRU": (30, 10, 13), "WIJ": (24, 8, 11)}
# location key -> newcomers per year (housing quota) after the evaluation
YEARLY_INFLOW: dict[str, float] = {"DRU": 15.0, "WIJ": 32.0}
PARTICIPATION_PER_YEAR = 2.0
# Outflows before the evaluation: the report names plasterer, courier, bakery, catering
# and home-care work, plus education.
EARLY_OUTFLOWS: dict[str, tuple[tuple[OutflowKind, str], ...]] = {
    "DRU": (
        (OutflowKind.BETAALD_WERK, "stukadoor"), (OutflowKind.BETAALD_WERK, "bezorger"),
        (OutflowKind.BETAALD_WERK, "bakkerijmedewerker"),
        (OutflowKind.BETAALD_WERK, "medewerker horeca"),
        (OutflowKind.BETAALD_WERK, "thuiszorgmedewerker"),
        (OutflowKind.BETAALD_WERK_ONDERSTEUNING, "schoonmaker"),
        (OutflowKind.OPLEIDING_STUDIEFINANCIERING, ""),
        (OutflowKind.OPLEIDING_STUDIEFINANCIERING, ""), (OutflowKind.BBL, "leerling stukadoor"),
        (OutflowKind.VERHUISD, ""),
    ),
    "WIJ": (
        (OutflowKind.BETAALD_WERK, "koerier"), (OutflowKind.BETAALD_WERK, "medewerker horeca"),
        (OutflowKind.BETAALD_WERK, "thuiszorgmedewerker"),
        (OutflowKind.BETAALD_WERK, "bakkerijmedewerker"),
        (OutflowKind.OPLEIDING_STUDIEFINANCIERING, ""),
        (OutflowKind.WERKERVARINGSPLAATS, "orderpicker"), (OutflowKind.BBL, "stukadoor"),
        (OutflowKind.VERHUISD, ""),
    ),
}  # fmt: skip
OUTFLOW_MIX: dict[str, tuple[tuple[OutflowKind, int], ...]] = {
    "work": (
        (OutflowKind.BETAALD_WERK, 40), (OutflowKind.BETAALD_WERK_ONDERSTEUNING, 10),
        (OutflowKind.BBL, 8), (OutflowKind.OPLEIDING_STUDIEFINANCIERING, 10),
        (OutflowKind.WERKERVARINGSPLAATS, 6), (OutflowKind.VRIJWILLIGERSWERK, 4),
        (OutflowKind.VERHUISD, 6), (OutflowKind.ONTHEFFING, 4), (OutflowKind.GESTOPT, 5),
        (OutflowKind.OVERIG, 3),
    ),
    "onderwijs": (
        (OutflowKind.OPLEIDING_STUDIEFINANCIERING, 80), (OutflowKind.BBL, 10),
        (OutflowKind.BETAALD_WERK, 10),
    ),
    "z": (
        (OutflowKind.VRIJWILLIGERSWERK, 25), (OutflowKind.GESTOPT, 10),
        (OutflowKind.ONTHEFFING, 10), (OutflowKind.VERHUISD, 15),
        (OutflowKind.WERKERVARINGSPLAATS, 15), (OutflowKind.BETAALD_WERK_ONDERSTEUNING, 15),
        (OutflowKind.OVERIG, 10),
    ),
    "participatie": (
        (OutflowKind.BETAALD_WERK, 40), (OutflowKind.VRIJWILLIGERSWERK, 30),
        (OutflowKind.GESTOPT, 20), (OutflowKind.VERHUISD, 10),
    ),
}  # fmt: skip
PAUSE_REASONS = ("zwangerschapsverlof", "medische behandeling", "familieomstandigheden")
EXTENSION_REASONS = ("ziekte", "zwangerschap", "onvoldoende lesaanbod door lockdown")
LEVELS = tuple(Level)
A1, A2, B1 = LEVELS.index(Level.A1), LEVELS.index(Level.A2), LEVELS.index(Level.B1)


def band_of(level: float) -> str:
    """The group band of a (fractional) level index: alfa, a1, a2 or b1."""
    if level < A1:
        return "alfa"
    if level < A2:
        return "a1"
    return "a2" if level < B1 else "b1"


@dataclass
class PipPlan:
    """One PIP version."""

    day: date
    route: Route
    target: Level
    reason: str


@dataclass
class CandidatePlan:
    """A candidate's whole planned life in the programme."""

    location: LocationRef
    registration: date
    law: Law
    doelgroep: Doelgroep
    route: Route
    target: int
    start_level: float
    months_per_level: float
    active_from: date
    obligation_start: date | None = None
    lbt: tuple[date, str] | None = None
    pips: list[PipPlan] = field(default_factory=list)
    extension: tuple[date, int, str] | None = None
    pause: tuple[date, date, str] | None = None
    outflow_day: date | None = None
    outflow_kind: OutflowKind | None = None
    function_hint: str = ""
    profile: AttendanceProfile | None = None
    ladder: int = 2
    id: int = 0

    @property
    def intake(self) -> date:
        """The intake interview, a week or two after registration."""
        return self.registration + timedelta(days=3 + self.registration.toordinal() % 8)

    def level_at(self, day: date) -> float:
        """The overall language level index on ``day`` (rising, capped at the target)."""
        months = max(0, (day - self.active_from).days) / MONTH
        return min(float(self.target), self.start_level + months / self.months_per_level)

    def band_changes(self) -> list[tuple[date, str]]:
        """The days on which the candidate moves up to a group of the next band."""
        changes: list[tuple[date, str]] = []
        for boundary in (A1, A2, B1):
            if self.start_level < boundary <= self.target:
                months = (boundary - self.start_level) * self.months_per_level
                day = self.active_from + timedelta(days=max(1, round(months * MONTH)))
                if not changes or day > changes[-1][0]:
                    changes.append((day, band_of(boundary)))
        return changes

    def term_start(self) -> date | None:
        """Start of the integration term (Wi2021: day after the first PIP)."""
        if self.law is Law.WI2021 and self.pips:
            return rules.term_start(self.pips[0].day)
        return self.obligation_start if self.law is Law.WI2013 else None


def weekday_between(w: DemoWriter, first: date, last: date) -> date:
    """A random weekday from ``first`` to ``last``."""
    span = max(0, (last - first).days)
    for _ in range(10):
        day = first + timedelta(days=w.rng.randint(0, span))
        if day.weekday() < 5:
            return day
    day = first
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _months(w: DemoWriter, low: float, high: float) -> timedelta:
    return timedelta(days=round(w.rng.uniform(low, high) * MONTH))


def _new_plan(
    w: DemoWriter, loc: LocationRef, registration: date, doelgroep: Doelgroep
) -> CandidatePlan:
    rng = w.rng
    law = Law.WI2021 if registration >= WI2021_START else Law.WI2013
    if doelgroep is Doelgroep.PARTICIPATIE:
        law = Law.NONE
    active_from = max(FIRST_LESSON_DAY, registration + timedelta(days=rng.randint(14, 35)))
    start = rng.choices((0.0, 1.0, 2.0, 3.0, 4.0), weights=(10, 8, 8, 40, 34))[0]
    plan = CandidatePlan(
        location=loc, registration=registration, law=law, doelgroep=doelgroep,
        route=Route.WI2013, target=A2, start_level=start + rng.uniform(0, 0.6),
        months_per_level=rng.uniform(6.0, 11.0), active_from=active_from,
        profile=pick_profile(w), ladder=rng.randint(1, 3),
    )  # fmt: skip
    if law is Law.NONE:
        plan.route, plan.start_level = Route.PARTICIPATIE, rng.uniform(A1, A2 + 0.5)
    elif law is Law.WI2013:
        plan.obligation_start = registration - timedelta(days=rng.randint(30, 700))
    else:
        _plan_wi2021(w, plan)
    return plan


def _plan_wi2021(w: DemoWriter, plan: CandidatePlan) -> None:
    rng = w.rng
    reg = plan.registration
    plan.obligation_start = max(WI2021_START, reg - timedelta(days=rng.randint(0, 45)))
    route = rng.choices((Route.B1, Route.ONDERWIJS, Route.Z), weights=(70, 12, 18))[0]
    outcome = {Route.B1: "B1-route haalbaar", Route.ONDERWIJS: "onderwijsroute haalbaar"}
    plan.lbt = (reg + timedelta(days=rng.randint(7, 28)), outcome.get(route, "Z-route geadviseerd"))
    in_time = rng.random() < 0.92
    first_pip = reg + timedelta(days=rng.randint(30, 70) if in_time else rng.randint(71, 120))
    target = {Route.B1: Level.B1, Route.ONDERWIJS: Level.B1, Route.Z: Level.A1}[route]
    plan.pips.append(PipPlan(first_pip, route, target, "eerste PIP"))
    plan.route, plan.target = route, LEVELS.index(target)
    if route is Route.Z:
        plan.start_level = rng.uniform(0.0, 1.5)
    elif route is Route.ONDERWIJS:
        plan.start_level = rng.uniform(A1, A2 + 0.6)
    term = rules.term_start(first_pip)
    r = rng.random()
    if route is Route.B1 and r < 0.06 and plan.start_level < A1:
        day = term + _months(w, 6, 17)
        plan.pips.append(PipPlan(day, Route.Z, Level.A1, "schakelen naar Z-route"))
        plan.route, plan.target = Route.Z, A1
    elif route is Route.B1 and r < 0.2:
        day = term + _months(w, 18, 30)
        reason = "afschalen naar A2 (ruim 600 uur les gevolgd)"
        plan.pips.append(PipPlan(day, Route.B1, Level.A2, reason))
        plan.target = A2
    elif r < 0.24:
        day = term + _months(w, 3, 20)
        plan.pips.append(PipPlan(day, route, target, "verhuizing binnen de gemeente"))


def _plan_outflow(w: DemoWriter, plan: CandidatePlan, not_before: date | None = None) -> None:
    rng = w.rng
    mix_key = {Route.ONDERWIJS: "onderwijs", Route.Z: "z", Route.PARTICIPATIE: "participatie"}
    kinds = OUTFLOW_MIX[mix_key.get(plan.route, "work")]
    plan.outflow_kind = rng.choices([k for k, _ in kinds], weights=[n for _, n in kinds])[0]
    low, high = {
        Route.ONDERWIJS: (10, 26), Route.Z: (24, 40), Route.PARTICIPATIE: (6, 18),
        Route.B1: (18, 40),
    }.get(plan.route, (12, 42))  # fmt: skip
    if plan.outflow_kind is OutflowKind.VERHUISD:
        low, high = 3, 14
    day = plan.active_from + _months(w, low, high)
    if not_before is not None and day < not_before:
        day = not_before + timedelta(days=rng.randint(10, 120))
    plan.outflow_day = weekday_between(w, day, day + timedelta(days=6))


def _plan_extras(w: DemoWriter, plan: CandidatePlan) -> None:
    rng = w.rng
    end = plan.outflow_day
    stay = (end - plan.active_from).days / MONTH if end else 48.0
    if stay >= 12 and rng.random() < 0.1:
        start = plan.active_from + _months(w, 4, stay - 7)
        length = timedelta(days=rng.randint(60, 150))
        plan.pause = (start, start + length, rng.choice(PAUSE_REASONS))
    term = plan.term_start()
    if term is not None and plan.law is not Law.NONE and rng.random() < 0.1:
        decided = max(term + _months(w, 24, 33), plan.active_from + _months(w, 2, 6))
        if end is None or decided < end:
            plan.extension = (decided, rng.choice((6, 12)), rng.choice(EXTENSION_REASONS))
    if plan.outflow_kind is OutflowKind.GESTOPT:
        plan.profile = WEAK


def _evaluation_cohort(w: DemoWriter, key: str, loc: LocationRef) -> list[CandidatePlan]:
    """The candidates registered before the evaluation, exactly as in its table."""
    rng = w.rng
    total, flowed_out, first_batch = PILOT_TABLE[key]
    cohort: list[CandidatePlan] = []
    for n in range(total):
        if n < first_batch:
            reg = weekday_between(w, date(2019, 6, 3), date(2019, 6, 21))
        else:
            reg = weekday_between(w, date(2019, 8, 19), EVALUATION_DAY - timedelta(days=7))
        cohort.append(_new_plan(w, loc, reg, Doelgroep.STATUSHOUDER))
    cohort.sort(key=lambda p: p.registration)
    eligible = [p for p in cohort if p.registration <= date(2020, 6, 30)]
    chosen = sorted(rng.sample(range(len(eligible)), flowed_out))
    hints = list(EARLY_OUTFLOWS[key])
    rng.shuffle(hints)
    for index, (kind, hint) in zip(chosen, hints, strict=True):
        plan = eligible[index]
        plan.outflow_day = weekday_between(
            w, plan.active_from + timedelta(days=120), EVALUATION_DAY
        )
        plan.outflow_kind, plan.function_hint = kind, hint
    for plan in cohort:
        if plan.outflow_day is None:  # the ones who flowed out get no pause or extension
            _plan_outflow(w, plan, not_before=EVALUATION_DAY + timedelta(days=1))
            _plan_extras(w, plan)
    return cohort


def _later_cohorts(w: DemoWriter, key: str, loc: LocationRef, today: date) -> list[CandidatePlan]:
    """Newcomers after the evaluation (housing quota) and a few participation candidates."""
    rng = w.rng
    cohort: list[CandidatePlan] = []
    day = EVALUATION_DAY + timedelta(days=1)
    while day <= today:
        if day.weekday() < 5:
            if rng.random() < YEARLY_INFLOW[key] / 260:
                doelgroep = Doelgroep.STATUSHOUDER
                if day >= WI2021_START and rng.random() < 0.1:
                    doelgroep = Doelgroep.GEZINSMIGRANT
                cohort.append(_new_plan(w, loc, day, doelgroep))
            if rng.random() < PARTICIPATION_PER_YEAR / 260:
                cohort.append(_new_plan(w, loc, day, Doelgroep.PARTICIPATIE))
        day += timedelta(days=1)
    for plan in cohort:
        _plan_outflow(w, plan)
        _plan_extras(w, plan)
    return cohort


def plan_pilot(
    w: DemoWriter, today: date, locations: dict[str, LocationRef]
) -> list[CandidatePlan]:
    """Plan every candidate registered from the pilot's start up to ``today``.

    Candidates get their ids in order of registration.
    """
    plans: list[CandidatePlan] = []
    for key, loc in locations.items():
        plans += _evaluation_cohort(w, key, loc)
        plans += _later_cohorts(w, key, loc, today)
    plans = [p for p in plans if p.registration <= today]
    plans.sort(key=lambda p: (p.registration, p.location.key))
    for plan in plans:
        plan.id = w.next_id("candidate")
    return plans
