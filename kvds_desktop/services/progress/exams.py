"""Exam parts per candidate: which apply, their attempts, results and exemptions.

Which parts a candidate must do follows the law and the route (as the demo data
writes them): Wi2013 the four language parts at A2, KNM and ONA; Wi2021 B1-route the
four language parts, KNM, MAP and PVT; onderwijsroute KNM and PVT; Z-route MAP and PVT.
A part exists in the database once something is recorded for it (an attempt or an
exemption); the overview shows the applicable parts without a row as not started,
without writing anything. Attempts are numbered 1, 2, 3 ... by date.

Every change is validated first, written in one transaction and audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, Table, and_, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata
from kvds_desktop.domain.enums import ExamPartKind, ExamResult, Exemption, Level
from kvds_desktop.domain.progress import (
    LANGUAGE_EXAM_PARTS,
    ExamStatus,
    exam_part_target,
    exam_parts_for,
    exam_status,
)
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

TABLES = SQLModel.metadata.tables
CANDIDATE: Table = TABLES["candidate"]
PART: Table = TABLES["exam_part"]
ATTEMPT: Table = TABLES["exam_attempt"]

PART_RANK: dict[str, int] = {part.value: rank for rank, part in enumerate(ExamPartKind)}
E = TypeVar("E", bound=StrEnum)
MAX_SCORE = 1000.0  # scores are percentages or the 0-1000 scale of the Staatsexamen NT2


STATUS_TEXT: dict[ExamStatus, str] = {
    ExamStatus.NOT_STARTED: N_("not started"),
    ExamStatus.PLANNED: N_("exam planned"),
    ExamStatus.PASSED: N_("passed"),
    ExamStatus.NOT_PASSED: N_("not passed, attempts: {count}"),
    ExamStatus.VRIJSTELLING: N_("exempted (vrijstelling)"),
    ExamStatus.ONTHEFFING: N_("exempted (ontheffing)"),
}
RESULT_TEXT: dict[str, str] = {
    ExamResult.PENDING: N_("planned"),
    ExamResult.PASSED: N_("passed"),
    ExamResult.FAILED: N_("failed"),
}


@dataclass(frozen=True)
class ExamAttemptRow:
    """One attempt at an exam part; ``number`` counts the part's attempts by date."""

    uid: str
    number: int
    day: date
    result: str
    score: float | None
    level: str | None


@dataclass(frozen=True)
class ExamPartRow:
    """An exam part of a candidate with its exemption and attempts.

    ``uid`` is None for an applicable part that has no row yet (not started);
    ``applies`` is False for a stored part the current law and route no longer ask
    for (after a route switch).
    """

    uid: str | None
    part: str
    target_level: str | None
    exemption: str
    exemption_date: date | None
    exemption_reason: str
    attempts: tuple[ExamAttemptRow, ...]
    passed: bool
    status: ExamStatus
    status_text_id: str
    applies: bool = True

    @property
    def done(self) -> bool:
        """Passed or exempted: nothing left to do for this part."""
        return self.passed or self.exemption != Exemption.NONE.value

    @property
    def status_params(self) -> dict[str, Any]:
        """The parameters of :attr:`status_text_id` (attempts with a result)."""
        return {"count": sum(1 for a in self.attempts if a.result != ExamResult.PENDING.value)}


@dataclass(frozen=True)
class CandidateLaw:
    """What decides a candidate's exam parts and modules."""

    id: int
    uid: str
    law: str
    route: str | None
    target_level: str | None
    term_start: date | None


def part_target(person: CandidateLaw, part: str) -> str | None:
    """The level a language part is taken at (Wi2013: A2); None for other parts."""
    target = exam_part_target(part, person.law, person.route, person.target_level)
    return target.value if target is not None else None


def load_candidate_law(conn: Connection, candidate_uid: str) -> CandidateLaw:
    """The law, route and target of the candidate ``candidate_uid``.

    Raises:
        UserError: no such candidate.
    """
    columns = ("id", "uid", "law", "route", "target_level", "term_start")
    query = select(*(CANDIDATE.c[name] for name in columns)).where(CANDIDATE.c.uid == candidate_uid)
    row = conn.execute(query).first()
    if row is None:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    return CandidateLaw(int(row.id), row.uid, row.law, row.route, row.target_level, row.term_start)


class _NotStarted(NamedTuple):
    """Stands in for the row of a part that is not stored yet."""

    part: str
    target_level: str | None
    uid: None = None
    exemption: str = Exemption.NONE.value
    exemption_date: None = None
    exemption_reason: str = ""


def _part_row(stored: Any, attempts: list[Any], applies: bool) -> ExamPartRow:
    """The row of a stored part (or a :class:`_NotStarted`) with its attempts by date."""
    ordered = sorted(attempts, key=lambda a: (a.exam_date, a.id))
    rows = tuple(
        ExamAttemptRow(a.uid, number, a.exam_date, a.result, a.score, a.level)
        for number, a in enumerate(ordered, start=1)
    )
    status = exam_status(stored.exemption, [a.result for a in rows])
    return ExamPartRow(
        uid=stored.uid,
        part=stored.part,
        target_level=stored.target_level,
        exemption=stored.exemption,
        exemption_date=stored.exemption_date,
        exemption_reason=stored.exemption_reason,
        attempts=rows,
        passed=any(a.result == ExamResult.PASSED.value for a in rows),
        status=status,
        status_text_id=STATUS_TEXT[status],
        applies=applies,
    )


def _overview(conn: Connection, person: CandidateLaw) -> list[ExamPartRow]:
    parts = sorted(
        conn.execute(select(PART).where(PART.c.candidate_id == person.id)),
        key=lambda p: (PART_RANK.get(p.part, len(PART_RANK)), p.id),
    )
    attempts: dict[int, list[Any]] = {}
    if parts:
        query = select(ATTEMPT).where(ATTEMPT.c.exam_part_id.in_([p.id for p in parts]))
        for a in conn.execute(query):
            attempts.setdefault(int(a.exam_part_id), []).append(a)
    applicable = exam_parts_for(person.law, person.route)
    wanted = {p.value for p in applicable}
    rows, seen = [], set()
    for p in parts:
        if p.part in seen:  # a duplicate row (an old import): the first one counts
            continue
        seen.add(p.part)
        rows.append(_part_row(p, attempts.get(int(p.id), []), p.part in wanted))
    for kind in applicable:
        if kind.value not in seen:
            blank = _NotStarted(kind.value, part_target(person, kind.value))
            rows.append(_part_row(blank, [], True))
    return rows


def exam_overview(db: Database, candidate_uid: str) -> list[ExamPartRow]:
    """The exam parts of a candidate: stored parts first, then applicable parts not started.

    Raises:
        UserError: the candidate does not exist.
    """
    with db.engine.connect() as conn:
        person = load_candidate_law(conn, candidate_uid)
        return _overview(conn, person)


def choice(kind: type[E], value: str, message_id: str) -> E:
    """The member of the closed vocabulary ``kind`` named ``value`` (case and spaces ignored).

    Raises:
        UserError: ``message_id`` with ``{value}`` and ``{choices}``: not a member.
    """
    try:
        return kind(value.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise UserError(message_id, value=value, choices=choices) from None


def check_part(part: str) -> ExamPartKind:
    """The exam part named ``part``.

    Raises:
        UserError: not an exam part.
    """
    return choice(ExamPartKind, part, N_("Unknown exam part {value}; choose one of: {choices}."))


def _check_attempt(
    part: ExamPartKind, day: date, result: str, score: float | None, level: str | None, today: date
) -> tuple[ExamResult, str | None]:
    outcome = choice(
        ExamResult, result, N_("Unknown exam result {value}; choose one of: {choices}.")
    )
    if score is not None and not (math.isfinite(score) and 0 <= score <= MAX_SCORE):
        raise UserError(N_("A score lies between 0 and {max}."), max=int(MAX_SCORE))
    if level is not None:
        level = choice(Level, level, N_("Unknown level {value}; choose one of: {choices}.")).value
        if part not in LANGUAGE_EXAM_PARTS:
            raise UserError(
                N_("Only a language exam part (lezen, luisteren, spreken, schrijven) has a level.")
            )
    if outcome is not ExamResult.PENDING and day > today:
        raise UserError(
            N_("An exam result cannot lie in the future ({date}); record a planned exam as open."),
            date=day.isoformat(),
        )
    return outcome, level


def _part_query(person: CandidateLaw, part: ExamPartKind) -> Any:
    return (
        select(PART)
        .where(and_(PART.c.candidate_id == person.id, PART.c.part == part.value))
        .order_by(PART.c.id)
    )


def _stored_part(
    conn: Connection, person: CandidateLaw, part: ExamPartKind, actor: Actor, at: datetime | None
) -> Any:
    """The candidate's row of ``part``, created (and audited) if the part applies."""
    found = conn.execute(_part_query(person, part)).first()
    if found is not None:
        return found
    if part not in exam_parts_for(person.law, person.route):
        raise UserError(
            N_("The exam part {part} does not apply to this candidate's law and route."),
            part=part.value,
        )
    uid, target = new_uid(), part_target(person, part.value)
    conn.execute(
        PART.insert(),
        [{"uid": uid, "candidate_id": person.id, "part": part.value, "target_level": target,
          "exemption": Exemption.NONE.value, "exemption_date": None, "exemption_reason": ""}],
    )  # fmt: skip
    audited = {"candidate": person.uid, "part": part.value, "target_level": target}
    write_audit(conn, [audit_row(actor, "exam.part", "exam_part", uid, new=audited, at=at)])
    return conn.execute(_part_query(person, part)).first()


def _passed_on(row: ExamPartRow) -> str:
    return next(a.day.isoformat() for a in row.attempts if a.result == ExamResult.PASSED.value)


def record_exam_attempt(
    db: Database,
    *,
    candidate_uid: str,
    part: str,
    day: date,
    result: str,
    score: float | None = None,
    level: str | None = None,
    actor: Actor,
    today: date,
    now: datetime | None = None,
) -> ExamPartRow:
    """Record an attempt at an exam part (created if missing); returns the part.

    A planned attempt ("open") on the same date gets its result; audited as
    ``exam.attempt`` (new) or ``exam.result`` (a planned attempt's result).

    Raises:
        UserError: unknown candidate, part, result or level; a score out of range; a
            result in the future; the part does not apply, is exempted or passed
            already, or has a result on that date.
    """
    kind = check_part(part)
    outcome, level = _check_attempt(kind, day, result, score, level, today)
    with transaction(db) as conn:
        person = load_candidate_law(conn, candidate_uid)
        current = _row_of(conn, person, kind.value)
        if current.exemption != Exemption.NONE.value:
            raise UserError(
                N_("The exam part {part} is exempted ({exemption}); clear the exemption first."),
                part=kind.value,
                exemption=current.exemption,
            )
        if current.passed:
            raise UserError(
                N_("The exam part {part} was passed on {date}; no further attempt is needed."),
                part=kind.value,
                date=_passed_on(current),
            )
        same_day = next((a for a in current.attempts if a.day == day), None)
        if same_day is not None and same_day.result != ExamResult.PENDING.value:
            raise UserError(
                N_("The exam part {part} already has a result on {date}."),
                part=kind.value,
                date=day.isoformat(),
            )
        stored = _stored_part(conn, person, kind, actor, now)
        values = {"result": outcome.value, "score": score, "level": level}
        audited = {**values, "candidate": person.uid, "part": kind.value, "date": day}
        if same_day is not None:
            conn.execute(ATTEMPT.update().where(ATTEMPT.c.uid == same_day.uid).values(**values))
            old = {"result": same_day.result, "score": same_day.score, "level": same_day.level}
            entry = audit_row(actor, "exam.result", "exam_attempt", same_day.uid, old=old,
                              new=audited, at=now)  # fmt: skip
        else:
            uid = new_uid()
            conn.execute(
                ATTEMPT.insert(),
                [{"uid": uid, "exam_part_id": stored.id, "exam_date": day, **values}],
            )
            entry = audit_row(actor, "exam.attempt", "exam_attempt", uid, new=audited, at=now)
        write_audit(conn, [entry])
        return _row_of(conn, person, kind.value)


def delete_exam_attempt(
    db: Database, uid: str, *, actor: Actor, now: datetime | None = None
) -> ExamPartRow:
    """Remove an attempt (a mistake); audited as ``exam.attempt.delete``. Returns the part.

    Raises:
        UserError: the attempt does not exist.
    """
    with transaction(db) as conn:
        found = conn.execute(
            select(ATTEMPT, PART.c.part, CANDIDATE.c.uid.label("candidate_uid"))
            .join(PART, PART.c.id == ATTEMPT.c.exam_part_id)
            .join(CANDIDATE, CANDIDATE.c.id == PART.c.candidate_id)
            .where(ATTEMPT.c.uid == uid)
        ).first()
        if found is None:
            raise UserError(N_("This exam attempt no longer exists; refresh the list."))
        conn.execute(ATTEMPT.delete().where(ATTEMPT.c.id == found.id))
        old = {
            "candidate": found.candidate_uid, "part": found.part, "date": found.exam_date,
            "result": found.result, "score": found.score, "level": found.level,
        }  # fmt: skip
        write_audit(
            conn, [audit_row(actor, "exam.attempt.delete", "exam_attempt", uid, old=old, at=now)]
        )
        return _row_of(conn, load_candidate_law(conn, found.candidate_uid), found.part)


def _check_exemption(exemption: str, day: date, reason: str, today: date | None) -> Exemption:
    kind = choice(Exemption, exemption, N_("Unknown exemption {value}; choose one of: {choices}."))
    if kind is not Exemption.NONE:
        if not reason.strip():
            raise UserError(N_("Say why the exam part is exempted."))
        if today is not None and day > today:
            raise UserError(N_("The date of an exemption cannot lie in the future."))
    return kind


def set_exemption(
    db: Database,
    *,
    candidate_uid: str,
    part: str,
    exemption: str,
    day: date,
    reason: str,
    actor: Actor,
    today: date | None = None,
    now: datetime | None = None,
) -> ExamPartRow:
    """Record a vrijstelling or ontheffing of one exam part; ``geen`` clears it.

    The part is created if missing (when it applies). Audited as ``exam.exemption``.
    With ``today``, a date after it is refused.

    Raises:
        UserError: unknown candidate, part or exemption; no reason; a future date; the
            part does not apply or was passed already.
    """
    kind = check_part(part)
    chosen = _check_exemption(exemption, day, reason, today)
    with transaction(db) as conn:
        person = load_candidate_law(conn, candidate_uid)
        current = _row_of(conn, person, kind.value)
        if chosen.value == current.exemption == Exemption.NONE.value:
            return current  # nothing to clear
        if chosen is not Exemption.NONE and current.passed:
            raise UserError(
                N_("The exam part {part} was passed on {date}; it needs no exemption."),
                part=kind.value,
                date=_passed_on(current),
            )
        stored = _stored_part(conn, person, kind, actor, now)
        exempt = chosen is not Exemption.NONE
        new = {
            "exemption": chosen.value,
            "exemption_date": day if exempt else None,
            "exemption_reason": reason.strip() if exempt else "",
        }
        old = {key: getattr(stored, key) for key in new}
        conn.execute(PART.update().where(PART.c.id == stored.id).values(**new))
        audited = {**new, "candidate": person.uid, "part": kind.value}
        entry = audit_row(actor, "exam.exemption", "exam_part", stored.uid, old=old, new=audited,
                          at=now)  # fmt: skip
        write_audit(conn, [entry])
        return _row_of(conn, person, kind.value)


def _row_of(conn: Connection, person: CandidateLaw, part: str) -> ExamPartRow:
    """The overview row of ``part``, or a not-started row when the part does not apply."""
    found = [r for r in _overview(conn, person) if r.part == part]
    if found:
        return found[0]
    return _part_row(_NotStarted(part, part_target(person, part)), [], False)
