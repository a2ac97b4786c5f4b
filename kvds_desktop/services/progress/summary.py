"""Progress summaries: per candidate the target, the term end, the hours and a forecast per skill.

This answers, for one candidate, a group or everyone in progress, "who will not reach the
target level before the term ends, and why". The target is the latest PIP's streefniveau
(also kept on the candidate), else the route's level; the term end is the one the
candidates services keep on the candidate, extensions included; hours are the attendance
figures from the start of the term (the registration when the term has not started) up
to today. The forecasts are the shared rules of :mod:`kvds_desktop.domain.progress`.

Everything is read in a few bulk queries, so a group is a matter of milliseconds and
every candidate in progress a matter of seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kvds_desktop.domain.enums import ENDED_STATUSES, Law, Level, Skill
from kvds_desktop.domain.progress import (
    EXAM_SKILLS,
    Forecast,
    LevelPoint,
    Outlook,
    can_afschalen,
    forecast_skill,
    spread,
    target_for_route,
    worst_outlook,
)
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.progress_export import ProgressExportRow
from kvds_desktop.services.progress.levels import points_by_candidate
from kvds_desktop.services.progress.queries import (
    CandidateFacts,
    current_groups,
    group_header,
    hours_since_start,
    load_facts,
    selected_ids,
)
from kvds_desktop.services.scheduling.groups import group_members
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class CandidateProgress:
    """Where a candidate stands against the language target and the term end."""

    candidate_uid: str
    name: str
    klantnummer: str
    law: str
    route: str
    target: str | None  # a Level code; None when the route has no language target
    target_source: str  # "pip" (the PIP's or candidate's streefniveau) or "route"
    term_end: date | None
    hours_followed: float
    hours_in_person: float
    afschalen_possible: bool
    forecasts: tuple[Forecast, ...]  # one per exam skill, then gesprekken when assessed
    worst: Outlook  # over the exam skills
    groups: tuple[str, ...]  # current groups by name

    def forecast(self, skill: str) -> Forecast | None:
        """The forecast of ``skill`` (None when it is not shown)."""
        return next((f for f in self.forecasts if f.skill == skill), None)

    @property
    def at_risk(self) -> bool:
        """Whether the target will not be reached in time this way (late or stalled)."""
        return self.worst in (Outlook.LATE, Outlook.STALLED)


@dataclass(frozen=True)
class GroupProgress:
    """A group's current members with their progress, and the spread of their levels."""

    group_uid: str
    group_name: str
    location: str
    level_band: str
    rows: tuple[CandidateProgress, ...]  # current members, by name
    spread: dict[str, int] = field(hash=False)  # skill -> steps between latest levels

    @property
    def at_risk(self) -> tuple[CandidateProgress, ...]:
        """The members who will not reach their target before the term ends."""
        return tuple(row for row in self.rows if row.at_risk)


def _target(facts: CandidateFacts) -> tuple[str | None, str]:
    planned = facts.pip_target or facts.target_level
    target = target_for_route(facts.route, planned)
    from_plan = bool(planned) and target is not None and target.value == planned
    return (target.value if target else None), ("pip" if from_plan else "route")


def _progress(
    facts: CandidateFacts,
    points: dict[str, list[tuple[date, int, str]]],
    hours: tuple[float, float],
    groups: tuple[str, ...],
    today: date,
) -> CandidateProgress:
    target, source = _target(facts)
    skills = [*EXAM_SKILLS, *([Skill.GESPREKKEN] if points.get(Skill.GESPREKKEN) else [])]
    forecasts = tuple(
        forecast_skill(
            skill.value,
            [LevelPoint(day, level) for day, _id, level in points.get(skill.value, [])],
            target,
            facts.term_end,
            today,
        )
        for skill in skills
    )
    exam = [f.outlook for f in forecasts if f.skill != Skill.GESPREKKEN]
    followed, in_person = hours
    return CandidateProgress(
        candidate_uid=facts.uid,
        name=facts.name,
        klantnummer=facts.klantnummer,
        law=facts.law,
        route=facts.route,
        target=target,
        target_source=source,
        term_end=facts.term_end,
        hours_followed=round(followed, 2),
        hours_in_person=round(in_person, 2),
        afschalen_possible=(
            facts.law == Law.WI2021 and target == Level.B1 and can_afschalen(followed, in_person)
        ),
        forecasts=forecasts,
        worst=worst_outlook(exam) if target is not None else Outlook.NO_TARGET,
        groups=groups,
    )


def progress_rows(
    db: Database, *, today: date, candidate_uids: Sequence[str] | None = None
) -> list[CandidateProgress]:
    """The progress of the candidates ``candidate_uids`` (unknown uids are left out), or of
    everyone in progress (not ended, not merged) when None; sorted by name.
    """
    with db.engine.connect() as conn:
        ids = selected_ids(conn, candidate_uids, ENDED_STATUSES)
        facts = load_facts(conn, ids)
        hours = hours_since_start(conn, ids, today)
        groups = current_groups(conn, ids, today)
        points = points_by_candidate(conn, ids, today)
    ordered = sorted(facts.values(), key=lambda f: (f.sort_key, f.uid))
    return [
        _progress(f, points.get(f.id, {}), hours.get(f.id, (0.0, 0.0)), groups.get(f.id, ()),
                  today)
        for f in ordered
    ]  # fmt: skip


def candidate_progress(db: Database, candidate_uid: str, today: date) -> CandidateProgress:
    """The progress of one candidate.

    Raises:
        UserError: the candidate does not exist.
    """
    rows = progress_rows(db, today=today, candidate_uids=[candidate_uid])
    if not rows:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    return rows[0]


def group_progress(db: Database, group_uid: str, today: date) -> GroupProgress:
    """The progress of a group's members on ``today``, and the spread of their levels.

    Raises:
        UserError: the group does not exist.
    """
    members = group_members(db, group_uid, today)
    rows = progress_rows(db, today=today, candidate_uids=[m.candidate_uid for m in members])
    with db.engine.connect() as conn:
        name, location, band = group_header(conn, group_uid)
    by_skill: dict[str, list[str]] = {}
    for row in rows:
        for f in row.forecasts:
            if f.latest:
                by_skill.setdefault(f.skill, []).append(f.latest)
    return GroupProgress(
        group_uid=group_uid,
        group_name=name,
        location=location,
        level_band=band,
        rows=tuple(rows),
        spread={skill: spread(levels) for skill, levels in sorted(by_skill.items())},
    )


def export_row(row: CandidateProgress) -> ProgressExportRow:
    """What the progress export (:mod:`kvds_desktop.exchange.progress_export`) writes of a row."""
    return ProgressExportRow(
        klantnummer=row.klantnummer,
        name=row.name,
        law=row.law,
        route=row.route,
        target=row.target,
        term_end=row.term_end,
        hours_followed=row.hours_followed,
        hours_in_person=row.hours_in_person,
        afschalen_possible=row.afschalen_possible,
        worst=row.worst.value,
        forecasts=row.forecasts,
    )
