"""Week packs out to teachers, marks files back: both sealed with a passphrase.

The coordinator exports a week pack (:func:`export_pack`); the teacher app opens it
(:func:`open_pack`) into the teacher's own database (:func:`teacher_database`), where
marks are typed with the normal register services. The teacher app exports a marks
file (:func:`export_marks`) that the coordinator reads (:func:`read_marks`) into an
:class:`~kvds_desktop.services.offline.facts.IncomingFile` for the merge.

Each mark in a marks file carries the teacher database's own revision counter (how
many times that mark was written or cleared there), never a clock, and a fact uid
derived from what identifies it, so exporting twice gives the same uids for marks
that did not change.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.sealed import MARKS_KIND as SEALED_MARKS
from kvds_desktop.exchange.sealed import PACK_KIND, check_passphrase, seal, unseal
from kvds_desktop.services.attendance.common import (
    AUDIT,
    CANDIDATE,
    LESSON,
    MARK,
    MARK_TABLE,
    MAX_MINUTES,
    STATUS,
    mark_uid,
)
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline.facts import (
    MARKS_KIND,
    IncomingFile,
    IncomingMark,
    device_source,
    fact_uid,
)
from kvds_desktop.services.offline.pack_format import (
    PACK_VERSION,
    Fields,
    PackGroup,
    PackLesson,
    PackMember,
    PackStatus,
    WeekPack,
    pack_from_json,
    pack_to_json,
    parse_json,
)
from kvds_desktop.services.offline.teacher_db import (
    TeacherInfo,
    require_teacher,
    teacher_database,
    teacher_info,
)
from kvds_desktop.services.offline.week_scope import (
    WeekScope,
    load_week,
    record_sent,
    safe_file_part,
)
from kvds_desktop.services.scheduling.common import transaction
from kvds_desktop.store.database import Database

__all__ = [
    "MarksExport",
    "PackExport",
    "TeacherInfo",
    "WeekPack",
    "export_marks",
    "export_pack",
    "open_pack",
    "read_marks",
    "teacher_database",
    "teacher_info",
]

MARKS_FORMAT = "kvds-marks"
MARKS_VERSION = 1
PACK_SUFFIX = ".kvdspack"
MARKS_SUFFIX = ".kvdsmarks"
MARK_ACTIONS = ("attendance.mark", "attendance.change", "attendance.clear")


@dataclass(frozen=True)
class PackExport:
    """A sealed week pack, ready to be saved, with what it holds."""

    pack_uid: str
    data: bytes
    teacher_name: str
    group_names: tuple[str, ...]
    lesson_count: int
    candidate_count: int
    suggested_file_name: str


@dataclass(frozen=True)
class MarksExport:
    """A sealed marks file, ready to be saved.

    ``mark_count`` counts current marks; ``withdrawn_count`` the cleared ones the file
    reports as withdrawn.
    """

    data: bytes
    mark_count: int
    withdrawn_count: int
    suggested_file_name: str


def _week_pack(scope: WeekScope, pack_uid: str, teacher: str, now: datetime) -> WeekPack:
    return WeekPack(
        version=PACK_VERSION, pack_uid=pack_uid, database_uid=scope.database_uid,
        teacher_name=teacher[:120], week=scope.week.key, created_at=now,
        statuses=tuple(
            PackStatus(s.code, s.label_nl, s.label_en, s.counts_present, s.counts_late,
                       s.excused, s.needs_reason, s.needs_minutes, s.teacher_may_use, s.active,
                       s.sort_order)
            for s in scope.statuses
        ),
        groups=tuple(
            PackGroup(g.uid, g.name, g.location_name, g.level_band, tuple(
                PackMember(m.candidate_uid, m.voornamen, m.tussenvoegsel, m.achternaam,
                           m.start, m.end)
                for m in g.members
            ))
            for g in scope.groups
        ),
        lessons=tuple(
            PackLesson(x.uid, x.group_uid, x.lesson_date, x.start, x.end, x.activity_code,
                       x.activity_name_nl, x.activity_name_en, x.teacher_name, x.room_name,
                       x.online, x.cancelled, x.cancel_reason)
            for x in scope.lessons
        ),
    )  # fmt: skip


def export_pack(
    db: Database,
    *,
    week: str,
    teacher_id: int | None = None,
    group_uid: str | None = None,
    passphrase: str,
    actor: Actor,
    now: datetime,
) -> PackExport:
    """Seal the week pack of a teacher's lessons, or of all lessons of a group, in a week.

    Cancelled lessons are included and flagged. The roster holds each candidate's name
    parts and membership dates only. The export is recorded in ``sent_pack`` (with the
    lessons that take attendance) and audited as ``pack.export``, in one transaction.

    Raises:
        UserError: the week text is wrong; not exactly one of teacher and group is
            given; the teacher or group is unknown; there are no lessons that week; the
            passphrase is too short; the database is a teacher's database.
    """
    check_passphrase(passphrase)
    scope, owner = load_week(db, week, teacher_id=teacher_id, group_uid=group_uid)
    # A group's pack is for whoever teaches its lessons that week.
    teacher = owner if teacher_id is not None else (", ".join(scope.teacher_names()) or owner)
    pack_uid = str(uuid.uuid4())
    data = seal(pack_to_json(_week_pack(scope, pack_uid, teacher, now)), passphrase,
                kind=PACK_KIND)  # fmt: skip
    with transaction(db) as conn:
        record_sent(
            conn, pack_uid=pack_uid, kind="pack", teacher_name=teacher, scope=scope,
            actor=actor, now=now, action="pack.export",
            details={"lessons": len(scope.lessons), "candidates": scope.candidate_count},
        )  # fmt: skip
    return PackExport(
        pack_uid=pack_uid, data=data, teacher_name=teacher,
        group_names=tuple(g.name for g in scope.groups), lesson_count=len(scope.lessons),
        candidate_count=scope.candidate_count,
        suggested_file_name=f"weekpack-{scope.week.key}-{safe_file_part(owner)}{PACK_SUFFIX}",
    )  # fmt: skip


def open_pack(data: bytes, passphrase: str) -> WeekPack:
    """The week pack in a sealed file, checked field by field.

    Raises:
        UserError: not a week pack; a marks file; the passphrase is wrong; the file
            was changed or damaged; made by a newer version; incomplete.
    """
    return pack_from_json(unseal(data, passphrase, kind=PACK_KIND))


# --- marks files ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    lesson_uid: str
    candidate_uid: str
    status_code: str
    reason: str
    minutes: int | None
    note: str
    revision: int
    recorded_at: datetime | None


def _entries(conn: Connection) -> list[_Entry]:
    """Every current mark, and a withdrawal for each mark cleared and not set again."""
    audits = conn.execute(
        select(AUDIT.c.record_uid, AUDIT.c.action, AUDIT.c.at)
        .where(AUDIT.c.table_name == MARK_TABLE, AUDIT.c.action.in_(MARK_ACTIONS))
        .order_by(AUDIT.c.id)
    ).all()
    revisions = Counter(str(r[0]) for r in audits)
    last = {str(r[0]): (str(r[1]), r[2]) for r in audits}
    current = conn.execute(
        select(
            MARK.c.uid, LESSON.c.uid, CANDIDATE.c.uid, STATUS.c.code, MARK.c.reason,
            MARK.c.minutes, MARK.c.note, MARK.c.recorded_at,
        ).select_from(
            MARK.join(LESSON, LESSON.c.id == MARK.c.lesson_id)
            .join(CANDIDATE, CANDIDATE.c.id == MARK.c.candidate_id)
            .join(STATUS, STATUS.c.id == MARK.c.status_id)
        )
    ).all()  # fmt: skip
    entries = [
        _Entry(str(r[1]), str(r[2]), str(r[3]), str(r[4] or ""), r[5], str(r[6] or ""),
               max(1, revisions[str(r[0])]), r[7])
        for r in current
    ]  # fmt: skip
    marked = {str(r[0]) for r in current}
    cleared = {uid for uid, (action, _at) in last.items()
               if action == "attendance.clear" and uid not in marked}  # fmt: skip
    if cleared:
        lessons = [str(u) for u in conn.execute(select(LESSON.c.uid)).scalars()]
        candidates = [str(u) for u in conn.execute(select(CANDIDATE.c.uid)).scalars()]
        for lesson in lessons:
            for candidate in candidates:
                uid = mark_uid(lesson, candidate)
                if uid in cleared:
                    entries.append(
                        _Entry(lesson, candidate, "", "", None, "", revisions[uid], last[uid][1])
                    )
    return sorted(entries, key=lambda e: (e.lesson_uid, e.candidate_uid))


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_marks(teacher_db: Database, *, passphrase: str, now: datetime) -> MarksExport:
    """Seal every mark of a teacher database, with withdrawals of cleared marks.

    ``now`` is the laptop's clock and only informs the coordinator.

    Raises:
        UserError: the database is not a teacher database; the passphrase is too short.
    """
    check_passphrase(passphrase)
    with teacher_db.engine.connect() as conn:
        info = require_teacher(conn)
        entries = _entries(conn)
    source = device_source(info.pack_uid, info.device_id)
    document = {
        "format": MARKS_FORMAT, "version": MARKS_VERSION, "pack_uid": info.pack_uid,
        "database_uid": info.coordinator_database_uid, "teacher_name": info.teacher_name,
        "device_id": info.device_id, "week": info.week, "exported_at": now.isoformat(),
        "marks": [
            {"uid": fact_uid(source, e.lesson_uid, e.candidate_uid, e.revision),
             "lesson_uid": e.lesson_uid, "candidate_uid": e.candidate_uid,
             "status_code": e.status_code, "reason": e.reason, "minutes": e.minutes,
             "note": e.note, "revision": e.revision, "recorded_at": _stamp(e.recorded_at)}
            for e in entries
        ],
    }  # fmt: skip
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    withdrawn = sum(1 for e in entries if not e.status_code)
    return MarksExport(
        data=seal(payload, passphrase, kind=SEALED_MARKS),
        mark_count=len(entries) - withdrawn,
        withdrawn_count=withdrawn,
        suggested_file_name=(
            f"marks-{info.week}-{safe_file_part(info.teacher_name)}{MARKS_SUFFIX}"
        ),
    )


def _marks_error(detail: str) -> UserError:
    return UserError(
        N_(
            "This marks file cannot be used: it is incomplete or was not made by KVDS "
            "Desktop ({detail}). Ask the teacher to export the marks again."
        ),
        detail=detail,
    )


def _incoming_mark(f: Fields, source: str) -> IncomingMark:
    mark = IncomingMark(
        uid=f.uid("uid"), lesson_uid=f.uid("lesson_uid"), candidate_uid=f.uid("candidate_uid"),
        status_code=f.text("status_code", 2), reason=f.text("reason", 30),
        minutes=f.integer("minutes", 1, MAX_MINUTES, optional=True), note=f.text("note", 200),
        revision=int(f.integer("revision", 0, 10**9) or 0),
        recorded_at=f.stamp("recorded_at", optional=True),
    )  # fmt: skip
    if mark.uid != fact_uid(source, mark.lesson_uid, mark.candidate_uid, mark.revision):
        raise _marks_error(f"uid {mark.uid}")
    return mark


def read_marks(data: bytes, passphrase: str, *, file_name: str) -> IncomingFile:
    """The marks in a sealed marks file, for the merge.

    Raises:
        UserError: not a marks file; a week pack; the passphrase is wrong; the file was
            changed or damaged; made by a newer version; a field is wrong or missing.
    """
    top = Fields(parse_json(unseal(data, passphrase, kind=SEALED_MARKS), _marks_error), "",
                 _marks_error)  # fmt: skip
    if top.text("format", 40) != MARKS_FORMAT:
        raise _marks_error("format")
    if top.integer("version", 1, 10**6) != MARKS_VERSION:
        raise UserError(
            N_(
                "This marks file was made by a newer version of KVDS Desktop. Install the "
                "newest version to import it."
            )
        )
    pack_uid, device_id = top.uid("pack_uid"), top.text("device_id", 80, empty=False)
    source = device_source(pack_uid, device_id)
    marks = tuple(_incoming_mark(m, source) for m in top.items("marks"))
    if len({(m.lesson_uid, m.candidate_uid) for m in marks}) != len(marks):
        raise _marks_error("marks")
    return IncomingFile(
        kind=MARKS_KIND, file_name=file_name, sha256=hashlib.sha256(data).hexdigest(),
        database_uid=top.uid("database_uid"), pack_uid=pack_uid, source_key=source,
        source_label=top.text("teacher_name", 120), device_id=device_id,
        exported_at=top.stamp("exported_at"), marks=marks,
    )  # fmt: skip
