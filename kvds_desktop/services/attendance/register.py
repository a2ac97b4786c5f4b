"""The lesson register: the roster of a lesson with its real marks, and writing marks.

Every mark is written in its own transaction before the call returns (nothing waits for
a Save button), says who recorded it, when and from where, and every change is audited
old -> new under the mark's uid, which stays the same when the mark changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.common import (
    CANDIDATE,
    GROUP,
    KIND,
    LESSON,
    LOCATION,
    MARK,
    MARK_TABLE,
    MAX_MINUTES,
    MEMBERSHIP,
    REASONS,
    STATUS,
    TEACHER,
    LessonFacts,
    MarkRow,
    load_candidate_id,
    load_lesson,
    mark_uid,
    person_name,
    person_sort_key,
)
from kvds_desktop.services.attendance.history import HistoryRow, mark_history
from kvds_desktop.services.attendance.worklist import (
    UnregisteredRow,
    lessons_for_day,
    unregistered_lessons,
)
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import active_on, transaction, write_audit
from kvds_desktop.store.database import Database

__all__ = [
    "HistoryRow",
    "LessonHeader",
    "MarkChange",
    "MarkRow",
    "RegisterRow",
    "UnregisteredRow",
    "clear_mark",
    "lessons_for_day",
    "mark_history",
    "mark_rest_present",
    "open_register",
    "set_mark",
    "unregistered_lessons",
]

MAX_NOTE = 200


@dataclass(frozen=True)
class LessonHeader:
    """The lesson a register belongs to."""

    uid: str
    group_name: str
    location_name: str
    lesson_date: date
    start: time
    end: time
    activity_name_nl: str
    activity_name_en: str
    teacher_name: str
    cancelled: bool


@dataclass(frozen=True)
class RegisterRow:
    """One candidate in a register, with the current mark (None: not marked yet)."""

    candidate_uid: str
    candidate_id: int
    name: str
    klantnummer: str
    mark: MarkRow | None


@dataclass(frozen=True)
class MarkChange:
    """A mark before and after a change (None: no mark), enough to undo it."""

    candidate_uid: str
    before: MarkRow | None
    after: MarkRow | None


_MARK_COLUMNS = (
    MARK.c.uid,
    MARK.c.status_id,
    STATUS.c.code,
    MARK.c.reason,
    MARK.c.minutes,
    MARK.c.note,
    MARK.c.recorded_by,
    MARK.c.recorded_at,
    MARK.c.source,
)


def _mark(r: Any, offset: int = 0) -> MarkRow | None:
    if r[offset] is None:
        return None
    return MarkRow(
        uid=str(r[offset]),
        status_id=int(r[offset + 1]),
        status_code=str(r[offset + 2]),
        reason=str(r[offset + 3] or ""),
        minutes=r[offset + 4],
        note=str(r[offset + 5] or ""),
        recorded_by=str(r[offset + 6] or ""),
        recorded_at=r[offset + 7],
        source=str(r[offset + 8] or ""),
    )


def _header(conn: Connection, lesson_uid: str) -> tuple[LessonHeader, int, int, date]:
    row = conn.execute(
        select(
            LESSON.c.uid, GROUP.c.name, LOCATION.c.name, LESSON.c.lesson_date,
            LESSON.c.start_time, LESSON.c.end_time, KIND.c.name_nl, KIND.c.name_en,
            TEACHER.c.name, LESSON.c.cancelled, LESSON.c.id, LESSON.c.group_id,
        )
        .select_from(
            LESSON.join(GROUP, GROUP.c.id == LESSON.c.group_id)
            .join(LOCATION, LOCATION.c.id == GROUP.c.location_id)
            .join(KIND, KIND.c.id == LESSON.c.activity_kind_id)
            .outerjoin(TEACHER, TEACHER.c.id == LESSON.c.teacher_id)
        )
        .where(LESSON.c.uid == lesson_uid)
    ).first()  # fmt: skip
    if row is None:
        raise UserError(N_("This lesson no longer exists; refresh the list."))
    header = LessonHeader(
        uid=row[0], group_name=row[1], location_name=row[2], lesson_date=row[3], start=row[4],
        end=row[5], activity_name_nl=row[6], activity_name_en=row[7],
        teacher_name=row[8] or "", cancelled=bool(row[9]),
    )  # fmt: skip
    return header, int(row[10]), int(row[11]), row[3]


def _roster(conn: Connection, lesson_id: int, group_id: int, day: date) -> list[RegisterRow]:
    members = select(MEMBERSHIP.c.candidate_id).where(
        and_(MEMBERSHIP.c.group_id == group_id, active_on(MEMBERSHIP, day))
    )
    marked = select(MARK.c.candidate_id).where(MARK.c.lesson_id == lesson_id)
    query = (
        select(
            CANDIDATE.c.uid, CANDIDATE.c.id, CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel,
            CANDIDATE.c.achternaam, CANDIDATE.c.klantnummer, *_MARK_COLUMNS,
        )
        .select_from(
            CANDIDATE.outerjoin(
                MARK, and_(MARK.c.candidate_id == CANDIDATE.c.id, MARK.c.lesson_id == lesson_id)
            ).outerjoin(STATUS, STATUS.c.id == MARK.c.status_id)
        )
        .where(or_(CANDIDATE.c.id.in_(members), CANDIDATE.c.id.in_(marked)))
    )  # fmt: skip
    rows = sorted(
        conn.execute(query).all(), key=lambda r: (person_sort_key(r[2], r[3], r[4]), r[1])
    )
    return [
        RegisterRow(
            candidate_uid=r[0],
            candidate_id=int(r[1]),
            name=person_name(r[2], r[3], r[4]),
            klantnummer=r[5] or "",
            mark=_mark(r, 6),
        )
        for r in rows
    ]


def open_register(db: Database, lesson_uid: str) -> tuple[LessonHeader, list[RegisterRow]]:
    """The lesson and its roster on the lesson date (plus anyone marked), by name.

    Each row carries the real current mark, or None; never a default in its place.

    Raises:
        UserError: the lesson no longer exists.
    """
    with db.engine.connect() as conn:
        header, lesson_id, group_id, day = _header(conn, lesson_uid)
        return header, _roster(conn, lesson_id, group_id, day)


def _current(conn: Connection, lesson_id: int, candidate_id: int) -> MarkRow | None:
    row = conn.execute(
        select(*_MARK_COLUMNS)
        .select_from(MARK.join(STATUS, STATUS.c.id == MARK.c.status_id))
        .where(and_(MARK.c.lesson_id == lesson_id, MARK.c.candidate_id == candidate_id))
    ).first()
    return _mark(row) if row is not None else None


def _status(conn: Connection, code: str) -> Any:
    row = conn.execute(
        select(
            STATUS.c.id, STATUS.c.code, STATUS.c.needs_reason, STATUS.c.needs_minutes,
            STATUS.c.active,
        ).where(func.upper(STATUS.c.code) == code.strip().upper())
    ).first()  # fmt: skip
    if row is None or not row.active:
        raise UserError(N_("There is no active attendance status with code {code}."), code=code)
    return row


def _is_member(conn: Connection, lesson: LessonFacts, candidate_id: int) -> bool:
    return (
        conn.execute(
            select(MEMBERSHIP.c.id).where(
                and_(
                    MEMBERSHIP.c.group_id == lesson.group_id,
                    MEMBERSHIP.c.candidate_id == candidate_id,
                    active_on(MEMBERSHIP, lesson.lesson_date),
                )
            )
        ).first()
        is not None
    )


def _check_open(lesson: LessonFacts) -> None:
    if lesson.cancelled:
        raise UserError(N_("This lesson was cancelled; it takes no attendance."))


def _validated(
    status: Any, reason: str, minutes: int | None, note: str
) -> tuple[str, int | None, str]:
    reason = (reason or "").strip()
    if status.needs_reason and not reason:
        raise UserError(N_("Choose a reason for status {code}."), code=status.code)
    if reason and reason not in REASONS:
        raise UserError(
            N_("Unknown reason {reason}; choose one of: {reasons}."),
            reason=reason,
            reasons=", ".join(REASONS),
        )
    if status.needs_minutes:
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            raise UserError(
                N_("Status {code} needs the minutes late or left early (1 to {max})."),
                code=status.code,
                max=MAX_MINUTES,
            )
    else:
        minutes = None
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise UserError(N_("A note can be at most {max} characters."), max=MAX_NOTE)
    return reason, minutes, note


def set_mark(
    db: Database,
    *,
    lesson_uid: str,
    candidate_uid: str,
    status_code: str,
    reason: str = "",
    minutes: int | None = None,
    note: str = "",
    actor: Actor,
    source: str = "",
    origin: str = "local",
    now: datetime,
) -> MarkChange:
    """Record or change a candidate's mark in a lesson, committed before returning.

    A first mark is audited as ``attendance.mark``, a change as ``attendance.change``
    (old -> new); the mark keeps its uid. Setting the same values again changes nothing.
    ``origin`` says how the value came: ``local`` (typed here), ``merged`` (every file
    agreed) or ``resolved`` (a conflict the coordinator decided).

    Raises:
        UserError: unknown or inactive status; a reason or the minutes missing or out
            of range; the lesson is cancelled or gone; the candidate was not in the
            group on the lesson date (and has no mark in it).
    """
    with transaction(db) as conn:
        lesson = load_lesson(conn, lesson_uid)
        _check_open(lesson)
        candidate_id = load_candidate_id(conn, candidate_uid)
        status = _status(conn, status_code)
        reason, minutes, note = _validated(status, reason, minutes, note)
        before = _current(conn, lesson.id, candidate_id)
        if before is None and not _is_member(conn, lesson, candidate_id):
            raise UserError(N_("This candidate was not in the group on the lesson date."))
        values = {
            "status_id": int(status.id), "reason": reason, "minutes": minutes, "note": note,
            "recorded_by": actor.name[:120], "recorded_at": now,
            "source": (source or actor.device)[:200], "origin": origin,
        }  # fmt: skip
        if before is not None and (
            (before.status_id, before.reason, before.minutes, before.note)
            == (values["status_id"], reason, minutes, note)
        ):
            return MarkChange(candidate_uid, before, before)
        after = MarkRow(
            uid=before.uid if before else mark_uid(lesson_uid, candidate_uid),
            status_id=int(status.id), status_code=str(status.code), reason=reason,
            minutes=minutes, note=note, recorded_by=str(values["recorded_by"]),
            recorded_at=now, source=str(values["source"]),
        )  # fmt: skip
        if before is None:
            conn.execute(
                MARK.insert().values(
                    uid=after.uid, lesson_id=lesson.id, candidate_id=candidate_id, **values
                )
            )
            entry = audit_row(actor, "attendance.mark", MARK_TABLE, after.uid,
                              new=_audited(after, lesson_uid, candidate_uid), at=now)  # fmt: skip
        else:
            conn.execute(MARK.update().where(MARK.c.uid == before.uid).values(**values))
            entry = audit_row(actor, "attendance.change", MARK_TABLE, after.uid,
                              old=before.audit_values(), new=after.audit_values(),
                              at=now)  # fmt: skip
        write_audit(conn, [entry])
    return MarkChange(candidate_uid, before, after)


def _audited(mark: MarkRow, lesson_uid: str, candidate_uid: str) -> dict[str, Any]:
    return {**mark.audit_values(), "lesson": lesson_uid, "candidate": candidate_uid}


def clear_mark(
    db: Database, *, lesson_uid: str, candidate_uid: str, actor: Actor, now: datetime
) -> MarkChange:
    """Remove a candidate's mark from a lesson (audited ``attendance.clear``).

    Clearing a lesson without a mark changes nothing.

    Raises:
        UserError: the lesson or the candidate no longer exists.
    """
    with transaction(db) as conn:
        lesson = load_lesson(conn, lesson_uid)
        candidate_id = load_candidate_id(conn, candidate_uid)
        before = _current(conn, lesson.id, candidate_id)
        if before is None:
            return MarkChange(candidate_uid, None, None)
        conn.execute(MARK.delete().where(MARK.c.uid == before.uid))
        write_audit(
            conn,
            [audit_row(actor, "attendance.clear", MARK_TABLE, before.uid,
                       old=_audited(before, lesson_uid, candidate_uid), at=now)],
        )  # fmt: skip
    return MarkChange(candidate_uid, before, None)


def mark_rest_present(
    db: Database, *, lesson_uid: str, actor: Actor, now: datetime, status_code: str = "A"
) -> list[MarkChange]:
    """Mark everyone on the roster without a mark with ``status_code``, in one transaction.

    Raises:
        UserError: the lesson is cancelled or gone; the status is unknown, inactive, or
            needs a reason or minutes.
    """
    with transaction(db) as conn:
        lesson = load_lesson(conn, lesson_uid)
        _check_open(lesson)
        status = _status(conn, status_code)
        if status.needs_reason or status.needs_minutes:
            raise UserError(
                N_("Status {code} needs a reason or minutes; set it one candidate at a time."),
                code=status.code,
            )
        unmarked = conn.execute(
            select(CANDIDATE.c.id, CANDIDATE.c.uid)
            .select_from(MEMBERSHIP.join(CANDIDATE, CANDIDATE.c.id == MEMBERSHIP.c.candidate_id))
            .where(
                and_(
                    MEMBERSHIP.c.group_id == lesson.group_id,
                    active_on(MEMBERSHIP, lesson.lesson_date),
                    ~CANDIDATE.c.id.in_(
                        select(MARK.c.candidate_id).where(MARK.c.lesson_id == lesson.id)
                    ),
                )
            )
            .distinct()
        ).all()
        source = actor.device[:200]
        changes, marks, audits = [], [], []
        for candidate_id, candidate_uid in unmarked:
            after = MarkRow(
                uid=mark_uid(lesson_uid, candidate_uid), status_id=int(status.id),
                status_code=str(status.code), reason="", minutes=None, note="",
                recorded_by=actor.name[:120], recorded_at=now, source=source,
            )  # fmt: skip
            marks.append(
                {
                    "uid": after.uid, "lesson_id": lesson.id, "candidate_id": candidate_id,
                    "status_id": after.status_id, "reason": "", "minutes": None, "note": "",
                    "recorded_by": after.recorded_by, "recorded_at": now, "source": source,
                    "origin": "local",
                }
            )  # fmt: skip
            audits.append(
                audit_row(actor, "attendance.mark", MARK_TABLE, after.uid,
                          new=_audited(after, lesson_uid, candidate_uid), at=now)
            )  # fmt: skip
            changes.append(MarkChange(candidate_uid, None, after))
        if marks:
            conn.execute(MARK.insert(), marks)
            write_audit(conn, audits)
    return changes
