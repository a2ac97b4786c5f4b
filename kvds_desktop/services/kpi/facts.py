"""The facts behind the indicators, read in a handful of bulk queries.

One query per table (candidates with their location, outflow, first PIP, latest level per
skill, passed exams, open signals, attendance aggregated per candidate and lesson times),
so the whole dashboard costs the same few queries however many slices it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Connection, and_, case, func, or_, select

from kvds_desktop.domain.enums import ExamResult, level_rank
from kvds_desktop.domain.progress import EXAM_SKILLS, target_for_route
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
MONTH = TABLES["attendance_month"]


@dataclass(slots=True)
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
    # per exam skill (EXAM_SKILLS order) whether the latest level reaches the target; None
    # without a target; filled for the active candidates only
    at_target: tuple[bool | None, ...] = ()
    exams_passed: int = 0
    signal_open: bool = False
    marked: int = 0
    present: int = 0
    hours_offered: float = 0.0
    present_hours: float = 0.0  # the offered hours of the lessons marked present
    short_minutes: int = 0  # minutes late or left early in those lessons

    @property
    def hours_followed(self) -> float:
        """Hours present, less the minutes late or left early."""
        return max(0.0, self.present_hours - self.short_minutes / 60)


def load_facts(conn: Connection, at: date, start: date, end: date) -> list[CandidateFacts]:
    """Every candidate registered up to ``at`` (merged duplicates left out), with facts.

    Sorted by uid, so every list filtered from it is too.
    """
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
        .order_by(CANDIDATE.c.uid)
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
    """The latest level per skill up to ``at`` of candidates active on ``at``.

    Only the active are judged against their target, so only their latest rows are read.

    An assessment is the latest when no other of the same candidate and skill up to ``at``
    is later (or as late with a higher id); ``ix_assessment_latest`` answers that.
    """
    newer = ASSESSMENT.alias("newer")
    later = (
        select(newer.c.id)
        .where(
            newer.c.candidate_id == ASSESSMENT.c.candidate_id,
            newer.c.skill == ASSESSMENT.c.skill,
            newer.c.assessed_on <= at,
            or_(
                newer.c.assessed_on > ASSESSMENT.c.assessed_on,
                and_(
                    newer.c.assessed_on == ASSESSMENT.c.assessed_on,
                    newer.c.id > ASSESSMENT.c.id,
                ),
            ),
        )
        .exists()
    )
    gone = (
        select(OUTFLOW.c.id)
        .where(OUTFLOW.c.candidate_id == ASSESSMENT.c.candidate_id, OUTFLOW.c.outflow_date <= at)
        .exists()
    )
    query = select(ASSESSMENT.c.candidate_id, ASSESSMENT.c.skill, ASSESSMENT.c.level).where(
        ASSESSMENT.c.assessed_on <= at, ~gone, ~later
    )
    latest = {(candidate_id, skill): level for candidate_id, skill, level in conn.execute(query)}
    for fact in facts.values():
        if fact.outflow_day is None:
            fact.at_target = at_target(fact, latest)


SKILLS: tuple[str, ...] = tuple(skill.value for skill in EXAM_SKILLS)


def at_target(fact: CandidateFacts, latest: dict[tuple[int, str], str]) -> tuple[bool | None, ...]:
    """Per skill whether the latest level reaches the target; None without a target.

    One flat lookup for everyone, no dictionary per candidate: the facts of six thousand
    candidates are then few objects for Python's collector to walk.
    """
    target = target_for_route(fact.route, fact.target_level)
    if target is None:
        return (None,) * len(SKILLS)
    needed = level_rank(target)
    return tuple(
        (level := latest.get((fact.id, skill))) is not None and level_rank(level) >= needed
        for skill in SKILLS
    )


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
    """Marked lessons held in the period, per candidate.

    The months the period touches come from ``attendance_month`` (kept by the database);
    a month the period covers in part is either read from the marks for the days inside,
    or taken whole less the marks of the days outside, whichever has fewer days.
    """
    present = [r.id for r in conn.execute(select(STATUS.c.id).where(STATUS.c.counts_present))]
    months, corrections = plan_months(start, end)
    for sign, first, last in corrections:
        _marks_between(conn, facts, present, first, last, sign)
    if months is None:
        return
    counted = MONTH.c.status_id.in_(present)
    query = (
        select(
            MONTH.c.candidate_id,
            func.sum(MONTH.c.marks),
            func.sum(MONTH.c.offered_minutes),
            func.sum(case((counted, MONTH.c.marks), else_=0)),
            func.sum(case((counted, MONTH.c.offered_minutes), else_=0)),
            func.sum(case((counted, MONTH.c.short_minutes), else_=0)),
        )
        .where(MONTH.c.month.between(months[0].strftime("%Y-%m"), months[1].strftime("%Y-%m")))
        .group_by(MONTH.c.candidate_id)
    )
    for candidate_id, *sums in conn.execute(query):
        if (fact := facts.get(candidate_id)) is not None:
            marks, offered, present_marks, present_offered, short = map(int, sums)
            _add(fact, marks, offered / 60, present_marks, present_offered / 60, short)


Span = tuple[int, date, date]


def plan_months(start: date, end: date) -> tuple[tuple[date, date] | None, list[Span]]:
    """The whole months to read from the summary and the days to add (+1) or take away (-1).

    The first result is the first days of the first and last month (None: no month); the
    second the spans of days read from the marks, with their sign. A month the period
    covers in part costs at most half a month of marks.
    """
    first, last = start.replace(day=1), end.replace(day=1)
    if first == last:
        inside = (end - start).days + 1
        if inside <= _month_end(end).day - inside:
            return None, [(1, start, end)]
        outside = [
            (-1, first, start - timedelta(days=1)),
            (-1, end + timedelta(days=1), _month_end(end)),
        ]
        return (first, first), [s for s in outside if s[1] <= s[2]]
    spans: list[Span] = []
    if start.day > 1:
        if _month_end(start).day - start.day + 1 < start.day - 1:
            spans.append((1, start, _month_end(start)))
            first = _month_end(start) + timedelta(days=1)
        else:
            spans.append((-1, first, start - timedelta(days=1)))
    if end != _month_end(end):
        if end.day < _month_end(end).day - end.day:
            spans.append((1, last, end))
            last = (last - timedelta(days=1)).replace(day=1)
        else:
            spans.append((-1, end + timedelta(days=1), _month_end(end)))
    return ((first, last) if first <= last else None), spans


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _marks_between(
    conn: Connection,
    facts: dict[int, CandidateFacts],
    present: list[int],
    start: date,
    end: date,
    sign: int = 1,
) -> None:
    """Add (sign 1) or take away (-1) the marked lessons held from ``start`` to ``end``."""
    counted = MARK.c.status_id.in_(present)
    query = (
        select(
            MARK.c.candidate_id,
            LESSON.c.start_time,
            LESSON.c.end_time,
            func.count(),
            func.sum(case((counted, 1), else_=0)),
            func.sum(case((counted, func.coalesce(MARK.c.minutes, 0)), else_=0)),
        )
        .select_from(MARK.join(LESSON, LESSON.c.id == MARK.c.lesson_id))
        .where(and_(LESSON.c.lesson_date.between(start, end), LESSON.c.cancelled.is_(False)))
        .group_by(MARK.c.candidate_id, LESSON.c.start_time, LESSON.c.end_time)
    )
    for candidate_id, begins, ends, marks, present_marks, short in conn.execute(query):
        if (fact := facts.get(candidate_id)) is not None:
            hours = lesson_hours(_time(begins), _time(ends))
            marks, present_marks = sign * int(marks), sign * int(present_marks)
            _add(
                fact, marks, marks * hours, present_marks, present_marks * hours, sign * int(short)
            )


def _add(
    fact: CandidateFacts, marks: int, hours: float, present: int, present_hours: float, short: int
) -> None:
    """Count ``marks`` marks of ``hours`` hours, of which ``present`` present with
    ``present_hours`` hours and ``short`` minutes late or left early."""
    fact.marked += marks
    fact.hours_offered += hours
    fact.present += present
    fact.present_hours += present_hours
    fact.short_minutes += short


def _time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))
