"""Headline figures for the pages of the main window.

Each figure is a count over the database on a reference date; the pages show
them beside the description of what the page is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import Select
from sqlmodel import col

from kvds_desktop.domain.enums import ENDED_STATUSES
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import (
    Assessment,
    AttendanceMark,
    Candidate,
    ExamAttempt,
    Group,
    Lesson,
    Location,
    Opportunity,
    Outflow,
    Placement,
    TimetableSlot,
)


@dataclass(frozen=True)
class Figures:
    """Counts that describe the database on one date."""

    reference: date
    locations: dict[str, int]  # active candidates per location name
    candidates_total: int
    candidates_active: int
    groups_running: int
    timetable_slots: int
    lessons_this_week: int
    marks_total: int
    marks_this_week: int
    assessments: int
    exam_attempts: int
    opportunities_open: int
    placements_current: int  # of candidates still in the programme
    outflows_total: int
    outflows_this_year: int

    @property
    def is_empty(self) -> bool:
        """Whether the database holds no candidates at all."""
        return self.candidates_total == 0


def _count(db: Database, query: Select[Any]) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def figures(db: Database, reference: date) -> Figures:
    """Compute the headline figures on ``reference``."""
    monday = reference - timedelta(days=reference.weekday())
    sunday = monday + timedelta(days=6)
    active = col(Candidate.status).not_in([s.value for s in ENDED_STATUSES])
    per_location: dict[str, int] = {}
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(col(Location.name), func.count(col(Candidate.id)))
            .select_from(Location)
            .join(Candidate, and_(col(Candidate.location_id) == Location.id, active), isouter=True)
            .group_by(col(Location.name))
            .order_by(col(Location.name))
        )
        per_location = {str(name): int(n) for name, n in rows}
    this_week = col(Lesson.lesson_date).between(monday, sunday)
    running = and_(
        col(Group.start_date) <= reference,
        or_(col(Group.end_date).is_(None), col(Group.end_date) >= reference),
    )
    current_placement = and_(
        col(Placement.start_date) <= reference,
        or_(col(Placement.end_date).is_(None), col(Placement.end_date) >= reference),
    )
    year_start = date(reference.year, 1, 1)
    return Figures(
        reference=reference,
        locations=per_location,
        candidates_total=_count(db, select(func.count()).select_from(Candidate)),
        candidates_active=_count(db, select(func.count()).select_from(Candidate).where(active)),
        groups_running=_count(db, select(func.count()).select_from(Group).where(running)),
        timetable_slots=_count(db, select(func.count()).select_from(TimetableSlot)),
        lessons_this_week=_count(db, select(func.count()).select_from(Lesson).where(this_week)),
        marks_total=_count(db, select(func.count()).select_from(AttendanceMark)),
        marks_this_week=_count(
            db,
            select(func.count())
            .select_from(AttendanceMark)
            .join(Lesson, col(Lesson.id) == AttendanceMark.lesson_id)
            .where(this_week),
        ),
        assessments=_count(db, select(func.count()).select_from(Assessment)),
        exam_attempts=_count(db, select(func.count()).select_from(ExamAttempt)),
        opportunities_open=_count(
            db, select(func.count()).select_from(Opportunity).where(col(Opportunity.active))
        ),
        placements_current=_count(
            db,
            select(func.count())
            .select_from(Placement)
            .join(Candidate, col(Candidate.id) == Placement.candidate_id)
            .where(current_placement, active),
        ),
        outflows_total=_count(db, select(func.count()).select_from(Outflow)),
        outflows_this_year=_count(
            db,
            select(func.count())
            .select_from(Outflow)
            .where(col(Outflow.outflow_date).between(year_start, reference)),
        ),
    )
