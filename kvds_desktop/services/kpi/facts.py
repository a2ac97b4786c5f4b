"""The facts behind the indicators, read in a handful of bulk queries.

One query per table (candidates with their location, outflow, first PIP, latest level per
skill, passed exams, open signals, attendance aggregated per candidate and lesson times),
so the whole dashboard costs the same few queries however many slices it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from kvds_desktop.domain.enums import ExamResult
from kvds_desktop.services.attendance.common import lesson_hours
from kvds_desktop.services.scheduling.common import (
    ASSESSMENT,
    CANDIDATE,
    LESSON,
    LOCATION,
    MARK,
    TABLES,
)

OUTFLOW = TABLES["outflow"]
PIP = TABLES["pip_version"]
EXAM_PART = TABLES["exam_part"]
EXAM_ATTEMPT = TABLES["exam_attempt"]
SIGNAL = TABLES["signal_sent"]
STATUS = TABLES["attendance_status"]


@dataclass
class CandidateFacts:
    """What the indicators need to know about one candidate (internal, mutable)."""

    id: int
    uid: str
    municipality: str
    location: str
    law: str
    route: str | None
    target_level: str | None
    registration: date
    term_end: date | None
    outflow_day: date | None = None
    outflow_kind: str | None = None
    first_pip: date | None = None
    levels: dict[str, str] = field(default_factory=dict)  # skill -> latest level up to at
    exams_passed: int = 0
    signal_open: bool = False
    marked: int = 0
    present: int = 0
    hours_offered: float = 0.0
    hours_followed: float = 0.0
    at_target: dict[str, bool | None] = field(default_factory=dict)  # filled by compute


def load_facts(conn: Connection, at: date, start: date, end: date) -> list[CandidateFacts]:
    """Every candidate registered up to ``at`` (merged duplicates left out), with facts."""
    rows = conn.execute(
        select(
            CANDIDATE.c.id,
            CANDIDATE.c.uid,
            CANDIDATE.c.municipality,
            LOCATION.c.name,
            CANDIDATE.c.law,
            CANDIDATE.c.route,
            CANDIDATE.c.target_level,
            CANDIDATE.c.registration_date,
            CANDIDATE.c.term_end,
        )
        .select_from(CANDIDATE.outerjoin(LOCATION, LOCATION.c.id == CANDIDATE.c.location_id))
        .where(CANDIDATE.c.merged_into_id.is_(None), CANDIDATE.c.registration_date <= at)
    ).all()
    facts = {
        r.id: CandidateFacts(
            r.id,
            r.uid,
            r.municipality or "",
            r.name or "",
            r.law,
            r.route,
            r.target_level,
            r.registration_date,
            r.term_end,
        )
        for r in rows
    }
    _outflow(conn, facts, at)
    _first_pip(conn, facts, at)
    _levels(conn, facts, at)
    _exams(conn, facts, start, min(end, at))
    _signals(conn, facts, at)
    _attendance(conn, facts, start, min(end, at))
    return list(facts.values())


def _outflow(conn: Connection, facts: dict[int, CandidateFacts], at: date) -> None:
    """The first outflow on or before ``at``."""
    query = (
        select(OUTFLOW.c.candidate_id, OUTFLOW.c.outflow_date, OUTFLOW.c.kind)
        .where(OUTFLOW.c.outflow_date <= at)
        .order_by(OUTFLOW.c.outflow_date.desc(), OUTFLOW.c.id.desc())
    )
    for row in conn.execute(query):  # latest first, so the earliest is written last
        fact = facts.get(row.candidate_id)
        if fact is not None:
            fact.outflow_day, fact.outflow_kind = row.outflow_date, row.kind


def _first_pip(conn: Connection, facts: dict[int, CandidateFacts], at: date) -> None:
    query = (
        select(PIP.c.candidate_id, func.min(PIP.c.decision_date).label("first"))
        .where(PIP.c.decision_date <= at)
        .group_by(PIP.c.candidate_id)
    )
    for row in conn.execute(query):
        if (fact := facts.get(row.candidate_id)) is not None:
            fact.first_pip = row.first


def _levels(conn: Connection, facts: dict[int, CandidateFacts], at: date) -> None:
    """The latest assessed level per skill up to ``at``."""
    query = (
        select(ASSESSMENT.c.candidate_id, ASSESSMENT.c.skill, ASSESSMENT.c.level)
        .where(ASSESSMENT.c.assessed_on <= at)
        .order_by(ASSESSMENT.c.assessed_on, ASSESSMENT.c.id)
    )
    for row in conn.execute(query):  # oldest first: the latest wins
        if (fact := facts.get(row.candidate_id)) is not None:
            fact.levels[row.skill] = row.level


def _exams(conn: Connection, facts: dict[int, CandidateFacts], start: date, end: date) -> None:
    query = (
        select(EXAM_PART.c.candidate_id, func.count().label("n"))
        .select_from(EXAM_ATTEMPT.join(EXAM_PART, EXAM_PART.c.id == EXAM_ATTEMPT.c.exam_part_id))
        .where(
            EXAM_ATTEMPT.c.result == ExamResult.PASSED.value,
            EXAM_ATTEMPT.c.exam_date.between(start, end),
        )
        .group_by(EXAM_PART.c.candidate_id)
    )
    for row in conn.execute(query):
        if (fact := facts.get(row.candidate_id)) is not None:
            fact.exams_passed = int(row.n)


def _signals(conn: Connection, facts: dict[int, CandidateFacts], at: date) -> None:
    """A signal is open when it fired on or before ``at`` and was not sent by then."""
    query = (
        select(SIGNAL.c.candidate_id)
        .where(
            SIGNAL.c.fired_on <= at,
            or_(SIGNAL.c.sent_on.is_(None), SIGNAL.c.sent_on > at),
        )
        .distinct()
    )
    for row in conn.execute(query):
        if (fact := facts.get(row.candidate_id)) is not None:
            fact.signal_open = True


def _attendance(conn: Connection, facts: dict[int, CandidateFacts], start: date, end: date) -> None:
    """Marked lessons in the period, aggregated per candidate and lesson times."""
    query = (
        select(
            MARK.c.candidate_id,
            LESSON.c.start_time,
            LESSON.c.end_time,
            MARK.c.status_id,
            func.count().label("n"),
            func.coalesce(func.sum(MARK.c.minutes), 0).label("minutes"),
        )
        .select_from(MARK.join(LESSON, LESSON.c.id == MARK.c.lesson_id))
        .where(and_(LESSON.c.lesson_date.between(start, end), LESSON.c.cancelled.is_(False)))
        .group_by(MARK.c.candidate_id, LESSON.c.start_time, LESSON.c.end_time, MARK.c.status_id)
    )
    present = {r.id for r in conn.execute(select(STATUS.c.id).where(STATUS.c.counts_present))}
    for row in conn.execute(query):
        if (fact := facts.get(row.candidate_id)) is not None:
            _add_attendance(fact, row, row.status_id in present)


def _add_attendance(fact: CandidateFacts, row: Any, counts_present: bool) -> None:
    count = int(row.n)
    offered = count * lesson_hours(_time(row.start_time), _time(row.end_time))
    fact.marked += count
    fact.hours_offered += offered
    if counts_present:
        fact.present += count
        fact.hours_followed += max(0.0, offered - int(row.minutes or 0) / 60)


def _time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))
