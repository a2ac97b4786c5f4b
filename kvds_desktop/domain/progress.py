"""Language progress as pure rules: targets per route, a simple forecast, afschalen.

The forecast is deliberately simple, so it can be explained on screen in one sentence:
a straight line through the candidate's levels on a skill (least squares over the
assessments of the last two years, levels counted as steps on the scale Alfa A, Alfa B,
Alfa C, A1, A2, B1, B2, C1), extended until it reaches the target. With fewer than two
assessments at different dates, or no progress on the line, there is no forecast: the
screen says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kvds_desktop.domain.enums import LEVEL_ORDER, Level, Route, Skill, level_rank

EXAM_SKILLS: tuple[Skill, ...] = (Skill.LEZEN, Skill.LUISTEREN, Skill.SPREKEN, Skill.SCHRIJVEN)
AFSCHALEN_MIN_HOURS = 600.0  # hours of lessons followed before B1 parts may go to A2
FORECAST_WINDOW_DAYS = 730  # only the last two years of assessments shape the line
DAYS_PER_YEAR = 365.25


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
