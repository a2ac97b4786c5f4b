"""Language assessments, exam parts with attempts, and ONA / MAP / PVT progress.

Levels rise over time along each candidate's planned progress; speaking runs a little
ahead of the other skills and writing behind. Exams follow once a skill reaches its
target level.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from kvds_desktop.domain.enums import (
    MAP_THEMES,
    AssessmentMethod,
    ExamPartKind,
    ExamResult,
    Exemption,
    Law,
    Level,
    ModuleKind,
    OutflowKind,
    Route,
    Skill,
)
from kvds_desktop.services.demo.candidates import WrittenCandidate
from kvds_desktop.services.demo.cohorts import LEVELS, MONTH, CandidatePlan
from kvds_desktop.services.demo.writer import DemoWriter

SKILLS: tuple[tuple[Skill, float], ...] = (
    (Skill.SPREKEN, 0.35), (Skill.LUISTEREN, 0.2), (Skill.LEZEN, 0.0), (Skill.SCHRIJVEN, -0.45),
)  # fmt: skip
LANGUAGE_PARTS = (ExamPartKind.LEZEN, ExamPartKind.LUISTEREN, ExamPartKind.SPREKEN,
                  ExamPartKind.SCHRIJVEN)  # fmt: skip
ONA_CARDS = 8
EXAM_LOOKAHEAD = timedelta(days=42)


def _parts(plan: CandidatePlan, target: str | None) -> list[ExamPartKind]:
    if plan.law is Law.WI2013:
        return [*LANGUAGE_PARTS, ExamPartKind.KNM, ExamPartKind.ONA]
    if plan.law is not Law.WI2021 or target is None:
        return []
    if plan.route is Route.B1:
        return [*LANGUAGE_PARTS, ExamPartKind.KNM, ExamPartKind.MAP, ExamPartKind.PVT]
    if plan.route is Route.ONDERWIJS:
        return [ExamPartKind.KNM, ExamPartKind.PVT]
    return [ExamPartKind.MAP, ExamPartKind.PVT]


def write_assessments(
    w: DemoWriter, plan: CandidatePlan, until: date, assessors: list[str]
) -> None:
    """Measured levels per skill: a placement test at intake, then every 4 to 6 months."""
    rng = w.rng
    if plan.law is Law.NONE:
        return
    best: dict[Skill, int] = {}
    day, method = plan.intake, AssessmentMethod.PLACEMENT_TEST
    while day <= until:
        assessor = rng.choice(assessors)
        for skill, offset in SKILLS:
            value = plan.level_at(day) + offset + rng.uniform(-0.3, 0.3)
            index = max(best.get(skill, 0), min(len(LEVELS) - 2, max(0, math.floor(value))))
            best[skill] = index
            w.add(
                "assessment",
                {
                    "id": w.next_id("assessment"), "uid": w.uid(), "candidate_id": plan.id,
                    "skill": skill.value, "level": LEVELS[index].value, "assessed_on": day,
                    "method": method.value, "assessor": assessor, "note": "",
                },
            )  # fmt: skip
        day += timedelta(days=rng.randint(120, 180))
        method = rng.choice((AssessmentMethod.PROGRESS_TEST, AssessmentMethod.OBSERVATION))


def _reach_day(plan: CandidatePlan, level: float, w: DemoWriter) -> date:
    months = max(0.0, (level - plan.start_level) * plan.months_per_level)
    return plan.active_from + timedelta(days=round(months * MONTH) + w.rng.randint(30, 90))


def write_exams(w: DemoWriter, done: WrittenCandidate, target: str | None, today: date) -> None:
    """Exam parts of the candidate's law and route, exemptions, and the attempts so far."""
    rng = w.rng
    plan = done.plan
    start = plan.term_start() if plan.law is Law.WI2021 else plan.active_from
    if start is None or start > today:
        return
    end = min(today, plan.outflow_day or today)
    exempt_all = plan.outflow_kind is OutflowKind.ONTHEFFING and done.ended
    for part in _parts(plan, target):
        exemption, exempt_day, reason = Exemption.NONE, None, ""
        if exempt_all and plan.outflow_day is not None:
            exemption, exempt_day = Exemption.ONTHEFFING, plan.outflow_day
            reason = "medische ontheffing na advies van de arts"
        elif part is ExamPartKind.KNM and rng.random() < 0.05:
            exemption, exempt_day = Exemption.VRIJSTELLING, start + timedelta(days=30)
            reason = "eerder behaald certificaat KNM"
        elif part is ExamPartKind.SCHRIJVEN and plan.start_level < 1 and rng.random() < 0.3:
            exemption, exempt_day = Exemption.ONTHEFFING, start + timedelta(days=600)
            reason = "ontheffing na aantoonbare inspanning"
            if exempt_day > end:
                exemption, exempt_day, reason = Exemption.NONE, None, ""
        part_target = target if part in LANGUAGE_PARTS else None
        part_id = w.next_id("exam_part")
        w.add(
            "exam_part",
            {
                "id": part_id, "uid": w.uid(), "candidate_id": plan.id, "part": part.value,
                "target_level": part_target, "exemption": exemption.value,
                "exemption_date": exempt_day, "exemption_reason": reason,
            },
        )  # fmt: skip
        if exemption is Exemption.NONE:
            _write_attempts(w, plan, part, part_id, part_target, start, end, today)


def _write_attempts(
    w: DemoWriter,
    plan: CandidatePlan,
    part: ExamPartKind,
    part_id: int,
    target: str | None,
    start: date,
    end: date,
    today: date,
) -> None:
    rng = w.rng
    if target is not None:
        day = _reach_day(plan, LEVELS.index(Level(target)), w)
    elif part is ExamPartKind.KNM:
        day = start + timedelta(days=rng.randint(240, 480))
    elif part is ExamPartKind.PVT:
        day = pvt_day(plan, start)
    else:  # ONA / MAP: after the module is done
        day = module_done_day(plan, start)
    if target is not None and plan.level_at(day) < LEVELS.index(Level(target)):
        return
    chance = 0.97 if part is ExamPartKind.PVT else 0.75
    while True:
        if day > end:
            if day <= today + EXAM_LOOKAHEAD and end == today:
                _attempt(w, part_id, day, ExamResult.PENDING, None)
            return
        passed = rng.random() < chance
        below = LEVELS[LEVELS.index(Level(target)) - 1].value if target else None
        result = ExamResult.PASSED if passed else ExamResult.FAILED
        _attempt(w, part_id, day, result, target if passed else below)
        if passed:
            return
        chance = 0.85
        day += timedelta(days=rng.randint(60, 120))


def _attempt(w: DemoWriter, part_id: int, day: date, result: ExamResult, level: str | None) -> None:
    w.add(
        "exam_attempt",
        {
            "id": w.next_id("exam_attempt"), "uid": w.uid(), "exam_part_id": part_id,
            "exam_date": day, "result": result.value, "score": None, "level": level,
        },
    )  # fmt: skip


def pvt_day(plan: CandidatePlan, start: date) -> date:
    """The day of the participation statement (3 to 9 months after the start)."""
    return start + timedelta(days=90 + plan.registration.toordinal() % 180)


def module_done_day(plan: CandidatePlan, start: date) -> date:
    """The day the ONA or MAP module is complete (about 16 months after the start)."""
    return start + timedelta(days=480 + plan.registration.toordinal() % 90)


def write_modules(w: DemoWriter, plan: CandidatePlan, until: date, target: str | None) -> None:
    """ONA result cards (Wi2013), MAP themes (Wi2021) and the PVT, item by item."""
    rng = w.rng
    if plan.law is Law.WI2013:
        module, items, hours_item, hours_goal = ModuleKind.ONA, ONA_CARDS, "praktijkuren", 64
        names = [f"resultaatkaart {n}" for n in range(1, ONA_CARDS + 1)]
        start = plan.active_from
    elif plan.law is Law.WI2021 and target is not None and plan.route is not Route.ONDERWIJS:
        module, items, hours_item, hours_goal = ModuleKind.MAP, len(MAP_THEMES), "praktijkuren", 40
        names = list(MAP_THEMES)
        start = plan.term_start() or plan.active_from
    else:
        return
    done = module_done_day(plan, start)
    step = (done - start) / (items + 1)
    for index, name in enumerate(names[:items], start=1):
        day = start + step * index
        if day > until:
            break
        hours = 0.0 if module is ModuleKind.ONA else float(rng.randint(4, 8))
        _module_row(w, plan.id, module, name, hours, day)
    worked = min(hours_goal + rng.randint(0, 12), max(0, (until - start).days) // 10)
    if worked > 0:
        finished = done if done <= until and worked >= hours_goal else None
        _module_row(w, plan.id, module, hours_item, float(worked), finished)
    if module is ModuleKind.MAP and done <= until:
        _module_row(w, plan.id, module, "eindgesprek", 1.0, done)
    if plan.law is Law.WI2021 and target is not None:
        signed = pvt_day(plan, start)
        if signed <= until:
            _module_row(w, plan.id, ModuleKind.PVT, "participatieverklaring", 8.0, signed)


def _module_row(
    w: DemoWriter, candidate_id: int, module: ModuleKind, item: str, hours: float, day: date | None
) -> None:
    w.add(
        "module_progress",
        {
            "id": w.next_id("module_progress"), "uid": w.uid(), "candidate_id": candidate_id,
            "module": module.value, "item": item, "hours": hours, "completed_on": day,
            "note": "",
        },
    )  # fmt: skip
