"""Checks on a marks file before the merge: where it comes from, and each mark in it.

A file from another database or for a pack this database never sent is refused as a
whole. Each mark is then sorted: already known (unchanged), about a lesson or a
candidate the database does not know (unknown), breaking the register's rules
(rejected, with the reason), or accepted. The register's own rules are reused, so a
mark a teacher sends is held to what the coordinator could type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.attendance import register
from kvds_desktop.services.attendance.common import (
    CANDIDATE,
    LESSON,
    MEMBERSHIP,
    STATUS,
    person_name,
)
from kvds_desktop.services.offline.facts import IncomingFile, IncomingMark
from kvds_desktop.services.offline.state import (
    FACT,
    INFO,
    SENT_PACK,
    IdKey,
    candidate_marked,
    chunks,
)

MAX_NOTE = 200


@dataclass(frozen=True)
class UnknownMark:
    """A mark for a lesson or a candidate this database does not know; not imported.

    ``problem`` is ``"lesson"`` or ``"candidate"``; ``why`` says it for people.
    """

    uid: str
    lesson_uid: str
    candidate_uid: str
    status_code: str
    problem: str
    why: UserError

    def render(self, tr: Translator) -> str:
        """Why the mark was not imported, in the language of ``tr``."""
        return self.why.render(tr.gettext)


@dataclass(frozen=True)
class RejectedMark:
    """A mark that breaks the register's rules; not imported.

    ``problem`` is one of ``cancelled``, ``status``, ``value`` (reason or minutes) or
    ``member``; ``why`` says it for people.
    """

    uid: str
    lesson_uid: str
    candidate_uid: str
    status_code: str
    lesson_date: date
    candidate_name: str
    problem: str
    why: UserError

    def render(self, tr: Translator) -> str:
        """The lesson date, the candidate and why the mark was refused, in ``tr``'s language."""
        return tr.gettext("{date}, {name}: {why}").format(
            date=tr.date(self.lesson_date),
            name=self.candidate_name,
            why=self.why.render(tr.gettext),
        )


@dataclass(frozen=True)
class LessonInfo:
    """The columns of a lesson the checks need."""

    id: int
    uid: str
    group_id: int
    lesson_date: date
    cancelled: bool


@dataclass(frozen=True)
class Accepted:
    """A mark that passed the checks, its values cleaned up, with its lesson and candidate."""

    mark: IncomingMark
    lesson: LessonInfo
    candidate_id: int


@dataclass(frozen=True)
class Checked:
    """The marks of one file, sorted by what the checks found."""

    accepted: tuple[Accepted, ...]
    unchanged: int
    unknown: tuple[UnknownMark, ...]
    rejected: tuple[RejectedMark, ...]


def database_uid_in(conn: Connection) -> str:
    """This database's identity, as packs and workbooks carry it.

    Raises:
        RuntimeError: the database has none (every migrated database has one).
    """
    value = conn.execute(select(INFO.c.value).where(INFO.c.key == "database_uid")).scalar()
    if not value:
        raise RuntimeError("database_info has no database_uid; was the database migrated?")
    return str(value)


def check_file(conn: Connection, incoming: IncomingFile) -> None:
    """Refuse a file made from another database or for a pack this database never sent.

    Raises:
        UserError: the file belongs to another database, or its pack is unknown.
    """
    if incoming.database_uid != database_uid_in(conn):
        raise UserError(
            N_(
                "The file {file} was made from another KVDS database; nothing was imported. "
                "Import it into the database the pack or workbook was made from."
            ),
            file=incoming.file_name,
        )
    known = conn.execute(select(SENT_PACK.c.id).where(SENT_PACK.c.uid == incoming.pack_uid))
    if known.first() is None:
        raise UserError(
            N_(
                "The file {file} answers a pack or workbook this database never sent; "
                "nothing was imported."
            ),
            file=incoming.file_name,
        )


def validate_value(status: Any, reason: str, minutes: int | None) -> tuple[str, int | None]:
    """The register's rules for a status with its reason and minutes, cleaned up.

    ``status`` needs ``code``, ``needs_reason`` and ``needs_minutes``.

    Raises:
        UserError: a reason is missing or unknown, or the minutes are missing or out of range.
    """
    reason, minutes, _ = register._validated(status, reason, minutes, "")
    return reason, minutes


def _existing_uids(conn: Connection, uids: list[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(uids):
        found.update(str(u) for u in conn.scalars(select(FACT.c.uid).where(FACT.c.uid.in_(part))))
    return found


def _lessons(conn: Connection, uids: list[str]) -> dict[str, LessonInfo]:
    found: dict[str, LessonInfo] = {}
    for part in chunks(uids):
        rows = conn.execute(
            select(LESSON.c.id, LESSON.c.uid, LESSON.c.group_id, LESSON.c.lesson_date,
                   LESSON.c.cancelled).where(LESSON.c.uid.in_(part))
        )  # fmt: skip
        for r in rows:
            found[str(r[1])] = LessonInfo(int(r[0]), str(r[1]), int(r[2]), r[3], bool(r[4]))
    return found


def _candidates(conn: Connection, uids: list[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for part in chunks(uids):
        rows = conn.execute(
            select(CANDIDATE.c.uid, CANDIDATE.c.id, CANDIDATE.c.voornamen,
                   CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam)
            .where(CANDIDATE.c.uid.in_(part))
        )  # fmt: skip
        for r in rows:
            found[str(r[0])] = (int(r[1]), person_name(r[2], r[3], r[4]))
    return found


def _memberships(
    conn: Connection, group_ids: list[int], candidate_ids: list[int]
) -> dict[tuple[int, int], list[tuple[date, date | None]]]:
    found: dict[tuple[int, int], list[tuple[date, date | None]]] = {}
    for part in chunks(candidate_ids):
        rows = conn.execute(
            select(MEMBERSHIP.c.group_id, MEMBERSHIP.c.candidate_id, MEMBERSHIP.c.start_date,
                   MEMBERSHIP.c.end_date)
            .where(and_(MEMBERSHIP.c.candidate_id.in_(part), MEMBERSHIP.c.group_id.in_(group_ids)))
        )  # fmt: skip
        for r in rows:
            found.setdefault((int(r[0]), int(r[1])), []).append((r[2], r[3]))
    return found


def _statuses(conn: Connection) -> dict[str, Any]:
    rows = conn.execute(
        select(STATUS.c.id, STATUS.c.code, STATUS.c.needs_reason, STATUS.c.needs_minutes,
               STATUS.c.active, STATUS.c.teacher_may_use)
    ).all()  # fmt: skip
    return {str(r.code).upper(): r for r in rows}


def _active(spans: list[tuple[date, date | None]], day: date) -> bool:
    return any(start <= day and (end is None or end >= day) for start, end in spans)


def _judged(
    mark: IncomingMark, lesson: LessonInfo, statuses: dict[str, Any], member: bool
) -> IncomingMark | tuple[str, UserError]:
    """The mark cleaned up (its status code as the database spells it), or why it is refused."""
    if lesson.cancelled:
        return "cancelled", UserError(N_("This lesson was cancelled; it takes no attendance."))
    note = (mark.note or "").strip()[:MAX_NOTE]
    code = (mark.status_code or "").strip()
    reason, minutes = "", None
    if code:  # empty: a withdrawal, the source claims nothing any more
        status = statuses.get(code.upper())
        if status is None or not status.active:
            return "status", UserError(
                N_("There is no active attendance status with code {code}."), code=code
            )
        if not status.teacher_may_use:
            return "status", UserError(
                N_("Status {code} is for the coordinator only; a teacher's file cannot use it."),
                code=status.code,
            )
        try:
            reason, minutes = validate_value(status, mark.reason, mark.minutes)
        except UserError as exc:
            return "value", exc
        code = str(status.code)
    if not member:
        return "member", UserError(N_("This candidate was not in the group on the lesson date."))
    return replace(mark, status_code=code, reason=reason, minutes=minutes, note=note)


def check_marks(conn: Connection, incoming: IncomingFile) -> Checked:
    """Sort the marks of a file into unchanged, unknown, rejected and accepted ones."""
    marks = incoming.marks
    known = _existing_uids(conn, sorted({m.uid for m in marks}))
    lessons = _lessons(conn, sorted({m.lesson_uid for m in marks}))
    people = _candidates(conn, sorted({m.candidate_uid for m in marks}))
    members = _memberships(
        conn, sorted({info.group_id for info in lessons.values()}),
        sorted({pid for pid, _ in people.values()}),
    )  # fmt: skip
    # a candidate with a mark in the lesson may be marked there, as in the register
    marked = candidate_marked(
        conn,
        ((lessons[m.lesson_uid].id, people[m.candidate_uid][0]) for m in marks
         if m.lesson_uid in lessons and m.candidate_uid in people),
    )  # fmt: skip
    statuses = _statuses(conn)
    accepted: list[Accepted] = []
    unknown: list[UnknownMark] = []
    rejected: list[RejectedMark] = []
    unchanged = 0
    seen: set[str] = set()
    for mark in marks:
        if mark.uid in known or mark.uid in seen:
            unchanged += 1
            continue
        seen.add(mark.uid)
        lesson = lessons.get(mark.lesson_uid)
        person = people.get(mark.candidate_uid)
        if lesson is None or person is None:
            unknown.append(_unknown(mark, lesson is None))
            continue
        key: IdKey = (lesson.id, person[0])
        member = key in marked or _active(
            members.get((lesson.group_id, person[0]), []), lesson.lesson_date
        )
        judged = _judged(mark, lesson, statuses, member)
        if isinstance(judged, tuple):
            rejected.append(
                RejectedMark(mark.uid, mark.lesson_uid, mark.candidate_uid, mark.status_code,
                             lesson.lesson_date, person[1], judged[0], judged[1])
            )  # fmt: skip
        else:
            accepted.append(Accepted(judged, lesson, person[0]))
    return Checked(tuple(accepted), unchanged, tuple(unknown), tuple(rejected))


def _unknown(mark: IncomingMark, lesson_missing: bool) -> UnknownMark:
    if lesson_missing:
        why = UserError(
            N_("The lesson of this mark ({lesson}) is not in this database; it was not imported."),
            lesson=mark.lesson_uid,
        )
    else:
        why = UserError(
            N_(
                "The candidate of this mark ({candidate}) is not in this database; it was not "
                "imported."
            ),
            candidate=mark.candidate_uid,
        )
    problem = "lesson" if lesson_missing else "candidate"
    return UnknownMark(mark.uid, mark.lesson_uid, mark.candidate_uid, mark.status_code, problem,
                       why)  # fmt: skip
