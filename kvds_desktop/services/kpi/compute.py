"""The dashboard's indicators for a reference date and a period, per slice.

Definitions (``at`` the reference date, ``[start, end]`` the period, up to ``at``):

* *started*: registered on or before ``at`` (the evaluation's "candidates"); merged
  duplicates are left out. *active*: started and no outflow on or before ``at``.
  *new*: registered in the period. *ended*: an outflow in the period.
* *flowed out*: an outflow of any kind on or before ``at`` (the evaluation's "flowed out":
  on 17 December 2020 the pilot demo has Druten 30/10 and Wijchen 24/8, moves included).
  Per kind: work (betaald werk), work with support (betaald werk met ondersteuning),
  education (BBL, opleiding), volunteer (vrijwilligerswerk), other (the rest); each a count
  with the started candidates as base.
* *time to outflow*: days from registration to outflow, median and average, against the
  pilot goal of 547 days (1.5 years).
* *attendance*: marked lessons held in the period; rate = present / marked; hours offered
  are the marked lessons' hours, followed those present less minutes late/left early.
* *open signals*: candidates with an absence signal fired by ``at`` and not sent by then.
* *at target per skill*: active candidates with a target level (PIP, else their route's),
  whose latest level on the skill up to ``at`` reaches it.
* *exams passed*: candidates with a passed exam attempt in the period.
* *PIP within 10 weeks*: Wi2021 candidates registered in the period whose 70 days have
  passed by ``at`` or who have a PIP; in time when the first PIP is within 70 days.
* *deadlines coming*: active candidates whose term ends within 90 days after ``at``.
* *caseload*: fte needed for the active candidates at 5 fte per 100 inburgeraars.
* *target progress*: outflow to work or education in 2019-2021 toward the municipal
  targets (Wijchen 180, Druten 75) of the municipalities in scope.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from operator import attrgetter

from kvds_desktop.domain.enums import Law, OutflowKind, Route, level_rank
from kvds_desktop.domain.progress import EXAM_SKILLS, target_for_route
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.kpi.facts import CandidateFacts, load_facts
from kvds_desktop.services.kpi.figures import (
    COUNT,
    DAYS,
    FTE,
    HOURS,
    LABELS,
    RATE,
    SHARE,
    Figure,
    KpiGroup,
    KpiScope,
    KpiSet,
)
from kvds_desktop.services.kpi.targets import counts_toward_target, target_of
from kvds_desktop.store.database import Database

GOAL_DAYS = 547  # 1.5 years, the pilot's goal for the time on benefit
PIP_DAYS = 70
DEADLINE_DAYS = 90
FTE_PER_100 = 5.0
OUTFLOW_GROUPS: dict[str, frozenset[str]] = {
    "outflow_work": frozenset({OutflowKind.BETAALD_WERK}),
    "outflow_work_support": frozenset({OutflowKind.BETAALD_WERK_ONDERSTEUNING}),
    "outflow_education": frozenset({OutflowKind.BBL, OutflowKind.OPLEIDING_STUDIEFINANCIERING}),
    "outflow_volunteer": frozenset({OutflowKind.VRIJWILLIGERSWERK}),
}
Facts = Sequence[CandidateFacts]
_UID = attrgetter("uid")
_SKILLS: tuple[str, ...] = tuple(skill.value for skill in EXAM_SKILLS)


def _uids(facts: Iterable[CandidateFacts]) -> tuple[str, ...]:
    """The uids in the order of ``facts``: sorted, as ``load_facts`` sorts by uid."""
    return tuple(map(_UID, facts))


def _count(key: str, facts: Iterable[CandidateFacts], **params: str | int | float) -> Figure:
    uids = _uids(facts)
    return Figure(key, LABELS[key], float(len(uids)), COUNT, uids, None, tuple(params.items()))


def _share(
    key: str, facts: Iterable[CandidateFacts], base: int, **params: str | int | float
) -> Figure:
    uids = _uids(facts)
    value = len(uids) / base if base else 0.0
    return Figure(key, LABELS[key], value, SHARE, uids, base, tuple(params.items()))


def _measure(
    key: str, value: float, unit: str, facts: Iterable[CandidateFacts], base: int | None = None
) -> Figure:
    return Figure(key, LABELS[key], round(value, 2), unit, _uids(facts), base)


def _at_target(fact: CandidateFacts) -> dict[str, bool | None]:
    """Per skill whether the latest level reaches the target; None without a target."""
    target = target_for_route(fact.route, fact.target_level)
    if target is None:
        return dict.fromkeys(_SKILLS)
    needed = level_rank(target)
    return {
        skill: (level := fact.levels.get(skill)) is not None and level_rank(level) >= needed
        for skill in _SKILLS
    }


def figures_of(facts: Facts, at: date, start: date, end: date) -> tuple[Figure, ...]:
    """Every indicator over ``facts`` (candidates registered up to ``at``)."""
    last = min(end, at)
    out = [f for f in facts if f.outflow_day is not None]
    active = [f for f in facts if f.outflow_day is None]
    started = len(facts)
    figures = [
        _count("candidates_started", facts),
        _count("candidates_active", active),
        _count("candidates_new", (f for f in facts if start <= f.registration <= last)),
        _count("candidates_ended", (f for f in out if start <= f.outflow_day <= last)),  # type: ignore[operator]
        _count("outflow_total", out),
        _share("outflow_share", out, started),
    ]
    grouped: set[int] = set()
    for key, kinds in OUTFLOW_GROUPS.items():
        members = [f for f in out if f.outflow_kind in kinds]
        grouped.update(f.id for f in members)
        figures.append(_share(key, members, started))
    figures.append(_share("outflow_other", [f for f in out if f.id not in grouped], started))
    days = [(f.outflow_day - f.registration).days for f in out]  # type: ignore[operator]
    figures += [
        _measure("outflow_days_median", statistics.median(days) if days else 0.0, DAYS, out),
        _measure("outflow_days_average", statistics.fmean(days) if days else 0.0, DAYS, out),
        _share(
            "outflow_within_goal",
            (f for f, d in zip(out, days, strict=True) if d <= GOAL_DAYS),
            len(out),
            goal=GOAL_DAYS,
        ),
    ]
    figures += _attendance(facts)
    figures.append(_count("signals_open", (f for f in active if f.signal_open)))
    for skill in _SKILLS:
        judged = [(f, f.at_target[skill]) for f in active]
        with_target = [f for f, ok in judged if ok is not None]
        figures.append(
            _share(f"at_target_{skill}", (f for f, ok in judged if ok), len(with_target))
        )
    figures.append(_count("exams_passed", (f for f in facts if f.exams_passed)))
    figures.append(_pip_in_time(facts, at, start, last))
    horizon = at + timedelta(days=DEADLINE_DAYS)
    coming = (f for f in active if f.term_end is not None and at < f.term_end <= horizon)
    figures.append(_count("deadlines_coming", coming, days=DEADLINE_DAYS))
    fte = Figure(
        "caseload_fte",
        LABELS["caseload_fte"],
        round(len(active) * FTE_PER_100 / 100, 2),
        FTE,
        _uids(active),
        len(active),
        (("fte", FTE_PER_100),),
    )
    figures.append(fte)
    target = target_of({f.municipality for f in facts})
    toward = (f for f in out if counts_toward_target(f.outflow_kind, f.outflow_day, at))
    figures.append(_share("target_progress", toward, target, target=target))
    return tuple(figures)


def _attendance(facts: Facts) -> list[Figure]:
    marked = [f for f in facts if f.marked]
    lessons = sum(f.marked for f in marked)
    rate = sum(f.present for f in marked) / lessons if lessons else 0.0
    return [
        _measure("attendance_rate", rate, RATE, marked, lessons),
        _measure("hours_offered", sum(f.hours_offered for f in marked), HOURS, marked),
        _measure("hours_followed", sum(f.hours_followed for f in marked), HOURS, marked),
    ]


def _pip_in_time(facts: Facts, at: date, start: date, last: date) -> Figure:
    due = [
        f
        for f in facts
        if f.law == Law.WI2021
        and start <= f.registration <= last
        and (f.first_pip is not None or f.registration + timedelta(days=PIP_DAYS) <= at)
    ]
    in_time = (
        f
        for f in due
        if f.first_pip is not None and f.first_pip <= f.registration + timedelta(days=PIP_DAYS)
    )
    return _share("pip_in_time", in_time, len(due), days=PIP_DAYS)


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _groups(
    facts: Facts, key: Callable[[CandidateFacts], str], at: date, start: date, end: date
) -> tuple[KpiGroup, ...]:
    slices: dict[str, list[CandidateFacts]] = {}
    for fact in facts:
        slices.setdefault(key(fact), []).append(fact)
    return tuple(
        KpiGroup(name, figures_of(members, at, start, end))
        for name, members in sorted(slices.items())
    )


def _check(start: date, end: date, law: str | None, route: str | None) -> None:
    if start > end:
        raise UserError(
            N_("The period starts ({start}) after it ends ({end})."), start=start, end=end
        )
    if law is not None and law not in {m.value for m in Law}:
        raise UserError(N_("Unknown law: {law}."), law=law)
    if route is not None and route not in {m.value for m in Route}:
        raise UserError(N_("Unknown route: {route}."), route=route)


def _in_scope(fact: CandidateFacts, scope: KpiScope) -> bool:
    return (
        (scope.municipality is None or fact.municipality.lower() == scope.municipality.lower())
        and (scope.location is None or fact.location.lower() == scope.location.lower())
        and (scope.law is None or fact.law == scope.law)
        and (scope.route is None or fact.route == scope.route)
    )


def compute_kpis(
    db: Database,
    *,
    at: date,
    start: date,
    end: date,
    municipality: str | None = None,
    location: str | None = None,
    law: str | None = None,
    route: str | None = None,
) -> KpiSet:
    """The indicators on ``at`` over the period, in total, per municipality, location, cohort.

    Raises:
        UserError: the period runs backwards, or the law or route is unknown.
    """
    _check(start, end, law, route)
    scope = KpiScope(municipality, location, law, route)
    with db.engine.connect() as conn:
        everyone = load_facts(conn, at, start, end)
    facts = [f for f in everyone if _in_scope(f, scope)]
    for fact in facts:
        fact.at_target = _at_target(fact)
    return KpiSet(
        reference=at,
        start=start,
        end=end,
        scope=scope,
        figures=figures_of(facts, at, start, end),
        per_municipality=_groups(facts, lambda f: f.municipality, at, start, end),
        per_location=_groups(facts, lambda f: f.location, at, start, end),
        per_cohort=_groups(facts, lambda f: _quarter(f.registration), at, start, end),
    )


def figure_candidates(
    db: Database,
    figure_key: str,
    *,
    at: date,
    start: date,
    end: date,
    municipality: str | None = None,
    location: str | None = None,
    law: str | None = None,
    route: str | None = None,
) -> tuple[str, ...]:
    """The uids of the candidates behind one overall figure.

    Raises:
        UserError: an unknown figure, a backwards period, or an unknown law or route.
    """
    if figure_key not in LABELS:
        raise UserError(N_("Unknown figure: {key}."), key=figure_key)
    kpis = compute_kpis(
        db,
        at=at,
        start=start,
        end=end,
        municipality=municipality,
        location=location,
        law=law,
        route=route,
    )
    return kpis.figure(figure_key).candidate_uids
