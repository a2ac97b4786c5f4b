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
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from operator import attrgetter

from kvds_desktop.domain.enums import Law, OutflowKind, Route
from kvds_desktop.domain.progress import EXAM_SKILLS
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
_JUDGED = tuple(f"judged_{skill}" for skill in _SKILLS)  # active with a target
_REACHED = tuple(f"at_target_{skill}" for skill in _SKILLS)
_KIND_GROUP: dict[str, str] = {
    kind: key for key, kinds in OUTFLOW_GROUPS.items() for kind in kinds
}  # fmt: skip


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


Tags = dict[int, tuple[str, ...]]


def tag_facts(facts: Facts, at: date, start: date, end: date) -> Tags:
    """Per candidate the lists it belongs to; the same in every slice, so found once."""
    last = min(end, at)
    horizon = at + timedelta(days=DEADLINE_DAYS)
    pip_cutoff = at - timedelta(days=PIP_DAYS)
    tags: Tags = {}
    for f in facts:
        found: list[str] = []
        if start <= f.registration <= last:
            found.append("candidates_new")
            if f.law == Law.WI2021 and (f.first_pip is not None or f.registration <= pip_cutoff):
                found.append("pip_due")
                if f.first_pip is not None and f.first_pip <= f.registration + timedelta(
                    days=PIP_DAYS
                ):
                    found.append("pip_in_time")
        if f.outflow_day is not None:
            found.append("out")
            found.append(_KIND_GROUP.get(f.outflow_kind or "", "outflow_other"))
            if start <= f.outflow_day <= last:
                found.append("candidates_ended")
            if (f.outflow_day - f.registration).days <= GOAL_DAYS:
                found.append("outflow_within_goal")
            if counts_toward_target(f.outflow_kind, f.outflow_day, at):
                found.append("target_progress")
        else:
            found.append("active")
            if f.signal_open:
                found.append("signals_open")
            if f.term_end is not None and at < f.term_end <= horizon:
                found.append("deadlines_coming")
            for index, ok in enumerate(f.at_target):
                if ok is not None:
                    found.append(_JUDGED[index])
                    if ok:
                        found.append(_REACHED[index])
        if f.marked:
            found.append("marked")
        if f.exams_passed:
            found.append("exams_passed")
        tags[f.id] = tuple(found)
    return tags


def figures_of(
    facts: Facts, at: date, start: date, end: date, tags: Tags | None = None
) -> tuple[Figure, ...]:
    """Every indicator over ``facts`` (candidates registered up to ``at``).

    One pass sorts the candidates into the lists each figure counts (``tags``, found once
    per computation by :func:`tag_facts`); the figures are read off those lists.
    """
    tags = tags if tags is not None else tag_facts(facts, at, start, end)
    lists: dict[str, list[CandidateFacts]] = defaultdict(list)
    municipalities: set[str] = set()
    for fact in facts:
        municipalities.add(fact.municipality)
        for tag in tags[fact.id]:
            lists[tag].append(fact)
    out, active, started = lists["out"], lists["active"], len(facts)
    figures = [
        _count("candidates_started", facts),
        _count("candidates_active", active),
        _count("candidates_new", lists["candidates_new"]),
        _count("candidates_ended", lists["candidates_ended"]),
        _count("outflow_total", out),
        _share("outflow_share", out, started),
    ]
    figures += [_share(key, lists[key], started) for key in (*OUTFLOW_GROUPS, "outflow_other")]
    days = [(f.outflow_day - f.registration).days for f in out]  # type: ignore[operator]
    figures += [
        _measure("outflow_days_median", statistics.median(days) if days else 0.0, DAYS, out),
        _measure("outflow_days_average", statistics.fmean(days) if days else 0.0, DAYS, out),
        _share("outflow_within_goal", lists["outflow_within_goal"], len(out), goal=GOAL_DAYS),
    ]
    figures += _attendance(lists["marked"])
    figures.append(_count("signals_open", lists["signals_open"]))
    for index, skill in enumerate(_SKILLS):
        base = len(lists[_JUDGED[index]])
        figures.append(_share(f"at_target_{skill}", lists[_REACHED[index]], base))
    figures.append(_count("exams_passed", lists["exams_passed"]))
    figures.append(
        _share("pip_in_time", lists["pip_in_time"], len(lists["pip_due"]), days=PIP_DAYS)
    )
    figures.append(_count("deadlines_coming", lists["deadlines_coming"], days=DEADLINE_DAYS))
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
    target = target_of(municipalities)
    figures.append(_share("target_progress", lists["target_progress"], target, target=target))
    return tuple(figures)


def _attendance(marked: Facts) -> list[Figure]:
    lessons = sum(f.marked for f in marked)
    rate = sum(f.present for f in marked) / lessons if lessons else 0.0
    return [
        _measure("attendance_rate", rate, RATE, marked, lessons),
        _measure("hours_offered", sum(f.hours_offered for f in marked), HOURS, marked),
        _measure("hours_followed", sum(f.hours_followed for f in marked), HOURS, marked),
    ]


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _groups(
    facts: Facts,
    key: Callable[[CandidateFacts], str],
    at: date,
    start: date,
    end: date,
    tags: Tags,
) -> tuple[KpiGroup, ...]:
    slices: dict[str, list[CandidateFacts]] = {}
    for fact in facts:
        slices.setdefault(key(fact), []).append(fact)
    return tuple(
        KpiGroup(name, figures_of(members, at, start, end, tags))
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
    tags = tag_facts(facts, at, start, end)
    return KpiSet(
        reference=at,
        start=start,
        end=end,
        scope=scope,
        figures=figures_of(facts, at, start, end, tags),
        per_municipality=_groups(facts, lambda f: f.municipality, at, start, end, tags),
        per_location=_groups(facts, lambda f: f.location, at, start, end, tags),
        per_cohort=_groups(facts, lambda f: _quarter(f.registration), at, start, end, tags),
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
