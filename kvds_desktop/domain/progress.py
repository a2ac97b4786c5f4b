"""Language progress as pure rules: targets per route, a simple forecast, afschalen.

The forecast is deliberately simple, so it can be explained on screen in one sentence:
a straight line through the candidate's levels on a skill (least squares over the
assessments of the last two years, levels counted as steps on the scale Alfa A, Alfa B,
Alfa C, A1, A2, B1, B2, C1), extended until it reaches the target. With fewer than two
assessments at different dates, or no progress on the line, there is no forecast: the
screen says so instead of guessing. No rise over at least half a year is "no progress";
over a shorter span it is "too few measurements".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kvds_desktop.domain.enums import (
    LEVEL_ORDER,
    ExamPartKind,
    ExamResult,
    Exemption,
    Law,
    Level,
    ModuleKind,
    Route,
    Skill,
    level_rank,
)
from kvds_desktop.errors import N_

EXAM_SKILLS: tuple[Skill, ...] = (Skill.LEZEN, Skill.LUISTEREN, Skill.SPREKEN, Skill.SCHRIJVEN)
AFSCHALEN_MIN_HOURS = 600.0  # hours of lessons followed before B1 parts may go to A2
FORECAST_WINDOW_DAYS = 730  # only the last two years of assessments shape the line
DAYS_PER_YEAR = 365.25
STALL_MIN_DAYS = 180  # no rise over a shorter span is not yet called "no progress"


def target_for_route(route: str | None, override: str | None = None) -> Level | None:
    """The target level of a route; a target set in the PIP wins.

    B1-route: B1 (A2 after afschalen, which the PIP records as its target); Z-route:
    about A1; onderwijsroute: B1 (the schakeltraject aims higher, B1 is the exam level);
    Wi2013: A2, the language exam level of that law. None when the route is unknown.
    """
    if override:
        try:
            return Level(override)
        except ValueError:
            pass
    targets = {
        Route.B1: Level.B1,
        Route.ONDERWIJS: Level.B1,
        Route.Z: Level.A1,
        Route.WI2013: Level.A2,
    }
    try:
        return targets.get(Route(route)) if route else None
    except ValueError:
        return None


@dataclass(frozen=True)
class LevelPoint:
    """A level measured on a date."""

    day: date
    level: str


class Outlook(StrEnum):
    """How a skill stands against its target and the term end."""

    REACHED = "reached"  # the latest level is at or above the target
    ON_TRACK = "on_track"  # forecast before the term end
    LATE = "late"  # forecast after the term end
    STALLED = "stalled"  # no progress on the line: the target is not reached this way
    UNKNOWN = "unknown"  # too few assessments to draw a line
    NO_TARGET = "no_target"  # the route has no language target


@dataclass(frozen=True)
class Forecast:
    """The outlook of one skill: where it stands, where the line goes, and when."""

    skill: str
    latest: str | None
    target: str | None
    outlook: Outlook
    reach_date: date | None  # when the line reaches the target (None: not forecast)
    steps_per_year: float | None  # the slope of the line
    points: int  # assessments the line was drawn through


def _line(points: Sequence[LevelPoint]) -> tuple[float, float] | None:
    """Least-squares (intercept, slope per day) through the points; None if undefined."""
    if len(points) < 2:
        return None
    origin = points[0].day
    xs = [(p.day - origin).days for p in points]
    ys = [float(level_rank(p.level)) for p in points]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    intercept = mean_y - slope * mean_x
    return intercept, slope  # x counted in days from the first point


def forecast_skill(
    skill: str,
    points: Sequence[LevelPoint],
    target: str | None,
    term_end: date | None,
    today: date,
) -> Forecast:
    """The outlook of one skill from its assessments up to ``today``.

    ``points`` may be in any order; points after ``today`` or with an unknown level are
    ignored. The latest level is the one of the latest date.
    """
    known = sorted(
        (p for p in points if p.day <= today and p.level in {lv.value for lv in LEVEL_ORDER}),
        key=lambda p: p.day,
    )
    latest = known[-1].level if known else None
    if target is None:
        return Forecast(skill, latest, None, Outlook.NO_TARGET, None, None, len(known))
    if latest is not None and level_rank(latest) >= level_rank(target):
        return Forecast(skill, latest, target, Outlook.REACHED, known[-1].day, None, len(known))
    recent = [p for p in known if (today - p.day).days <= FORECAST_WINDOW_DAYS]
    line = _line(recent)
    if line is None:
        return Forecast(skill, latest, target, Outlook.UNKNOWN, None, None, len(recent))
    intercept, slope = line
    per_year = slope * DAYS_PER_YEAR
    if slope <= 0:
        if (recent[-1].day - recent[0].day).days < STALL_MIN_DAYS:
            # Two tests a few months apart at the same level say little yet.
            return Forecast(skill, latest, target, Outlook.UNKNOWN, None, per_year, len(recent))
        return Forecast(skill, latest, target, Outlook.STALLED, None, per_year, len(recent))
    days_from_origin = (level_rank(target) - intercept) / slope
    reach = recent[0].day + timedelta(days=max(0, round(days_from_origin)))
    reach = max(reach, today)
    outlook = Outlook.LATE if term_end is not None and reach > term_end else Outlook.ON_TRACK
    return Forecast(skill, latest, target, outlook, reach, per_year, len(recent))


def can_afschalen(hours_followed: float, hours_in_person: float) -> bool:
    """Whether B1 exam parts may be lowered to A2: 600 hours followed, half in person."""
    return hours_followed >= AFSCHALEN_MIN_HOURS and hours_in_person * 2 >= hours_followed


def spread(levels: Sequence[str]) -> int:
    """The steps between the highest and the lowest of ``levels`` (0 for none or one)."""
    ranks = [level_rank(level) for level in levels if level]
    return max(ranks) - min(ranks) if ranks else 0


LANGUAGE_EXAM_PARTS: tuple[ExamPartKind, ...] = (
    ExamPartKind.LEZEN,
    ExamPartKind.LUISTEREN,
    ExamPartKind.SPREKEN,
    ExamPartKind.SCHRIJVEN,
)


def exam_parts_for(law: str | None, route: str | None) -> tuple[ExamPartKind, ...]:
    """The exam parts a candidate must do under ``law`` on ``route``.

    Wi2013: the four language parts (at A2), KNM and ONA; Wi2021 B1-route: the four
    language parts, KNM, MAP and PVT; onderwijsroute: KNM and PVT; Z-route: MAP and PVT.
    A Wi2021 candidate without a route (no PIP yet) and one without a duty have none.
    """
    if law == Law.WI2013.value:
        return (*LANGUAGE_EXAM_PARTS, ExamPartKind.KNM, ExamPartKind.ONA)
    if law != Law.WI2021.value:
        return ()
    knm, map_, pvt = ExamPartKind.KNM, ExamPartKind.MAP, ExamPartKind.PVT
    by_route = {
        Route.B1.value: (*LANGUAGE_EXAM_PARTS, knm, map_, pvt),
        Route.ONDERWIJS.value: (knm, pvt),
        Route.Z.value: (map_, pvt),
    }
    return by_route.get(route or "", ())


def exam_part_target(
    part: str, law: str | None, route: str | None, override: str | None = None
) -> Level | None:
    """The level a language exam part is taken at (Wi2013: A2); None for other parts."""
    if part not in {p.value for p in LANGUAGE_EXAM_PARTS}:
        return None
    return target_for_route(Route.WI2013.value if law == Law.WI2013.value else route, override)


def labour_module_for(law: str | None, route: str | None) -> ModuleKind | None:
    """The labour-market module of a candidate: ONA (Wi2013), MAP (Wi2021 B1 and Z), or None."""
    if law == Law.WI2013.value:
        return ModuleKind.ONA
    if law == Law.WI2021.value and route in {Route.B1.value, Route.Z.value}:
        return ModuleKind.MAP
    return None


# How bad an outlook is for the question "will this candidate reach the target in time?"
# (higher is worse); NO_TARGET stands apart: there is nothing to reach.
OUTLOOK_SEVERITY: dict[Outlook, int] = {
    Outlook.NO_TARGET: -1,
    Outlook.REACHED: 0,
    Outlook.ON_TRACK: 1,
    Outlook.UNKNOWN: 2,
    Outlook.STALLED: 3,
    Outlook.LATE: 4,
}


def worst_outlook(outlooks: Sequence[Outlook | str]) -> Outlook:
    """The worst of ``outlooks``: LATE > STALLED > UNKNOWN > ON_TRACK > REACHED.

    NO_TARGET when there are none, or when none has a target.
    """
    return max((Outlook(o) for o in outlooks), key=OUTLOOK_SEVERITY.__getitem__,
               default=Outlook.NO_TARGET)  # fmt: skip


# What an outlook is called on screen and in exports (message ids, translated at display;
# the same words as kvds_desktop.reports.progress_words.outlook_text).
OUTLOOK_LABEL: dict[str, str] = {
    Outlook.REACHED: N_("target reached"),
    Outlook.ON_TRACK: N_("on course"),
    Outlook.LATE: N_("late"),
    Outlook.STALLED: N_("no progress"),
    Outlook.UNKNOWN: N_("too few measurements"),
    Outlook.NO_TARGET: N_("no language target"),
}


class ExamStatus(StrEnum):
    """Where an exam part stands."""

    NOT_STARTED = "not_started"
    PLANNED = "planned"  # an attempt without a result yet
    PASSED = "passed"
    NOT_PASSED = "not_passed"  # attempts, none passed, none planned
    VRIJSTELLING = "vrijstelling"
    ONTHEFFING = "ontheffing"


def exam_status(exemption: str, results: Sequence[str]) -> ExamStatus:
    """The status of an exam part from its exemption and the results of its attempts."""
    if exemption in {Exemption.VRIJSTELLING.value, Exemption.ONTHEFFING.value}:
        return ExamStatus(exemption)
    if ExamResult.PASSED.value in results:
        return ExamStatus.PASSED
    if ExamResult.PENDING.value in results:
        return ExamStatus.PLANNED
    return ExamStatus.NOT_PASSED if results else ExamStatus.NOT_STARTED
