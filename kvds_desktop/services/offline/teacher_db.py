"""The teacher's own database, built from a week pack on the teacher's laptop.

It is a normal KVDS database, so the register services (open_register, set_mark,
clear_mark, mark_rest_present) work on it unchanged: the same lesson and candidate
uids as at the coordinator, the pack's statuses, and placeholders where the schema
wants a value the pack does not carry (a provider, a municipality, a law). Its
``database_info`` says ``role = teacher`` and which pack, coordinator database, teacher,
week and device it belongs to.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Table, insert, update

from kvds_desktop.domain.enums import CandidateStatus, Law, ProviderKind
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.offline.pack_format import PackGroup, WeekPack
from kvds_desktop.services.offline.week_scope import INFO, ROLE_TEACHER, read_info
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    KIND,
    LESSON,
    LOCATION,
    MEMBERSHIP,
    PROVIDER,
    ROOM,
    TABLES,
    TEACHER,
    transaction,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.fileinfo import BUSY_TIMEOUT_SECONDS, inspect_file, require_sqlite
from kvds_desktop.store.models import new_uid

STATUS: Table = TABLES["attendance_status"]
PLACEHOLDER_PROVIDER = "KVDS"
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class TeacherInfo:
    """What a teacher database is for: the pack, its teacher and week, this laptop."""

    pack_uid: str
    teacher_name: str
    week: str
    coordinator_database_uid: str
    device_id: str


def teacher_info(db: Database) -> TeacherInfo | None:
    """The pack a teacher database holds; None for a coordinator database."""
    with db.engine.connect() as conn:
        return _info(conn)


def _info(conn: Connection) -> TeacherInfo | None:
    info = read_info(conn)
    if info.get("role") != ROLE_TEACHER:
        return None
    return TeacherInfo(
        pack_uid=info.get("pack_uid", ""),
        teacher_name=info.get("teacher_name", ""),
        week=info.get("week", ""),
        coordinator_database_uid=info.get("coordinator_database_uid", ""),
        device_id=info.get("device_id", ""),
    )


def require_teacher(conn: Connection) -> TeacherInfo:
    """The teacher information of the database on ``conn``.

    Raises:
        UserError: it is not a teacher database.
    """
    info = _info(conn)
    if info is None or not info.pack_uid or not info.device_id:
        raise UserError(
            N_(
                "This is not a teacher database. Marks files are made in the teacher app, "
                "from the database built from a week pack."
            )
        )
    return info


def teacher_database(pack: WeekPack, path: Path) -> Database:
    """Open the teacher database for ``pack`` at ``path``, building it the first time.

    A file that already holds this pack is opened as it is, so marks typed earlier
    stay. A new file is built next to ``path`` and moved into place when complete.

    Raises:
        UserError: the file holds another week pack, is a coordinator's database, or
            is not a KVDS database; StorageError when it cannot be written.
    """
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise UserError(N_("{path} is a folder, not a database file."), path=str(path))
    if path.exists() and path.stat().st_size > 0:
        _check_existing(path, pack)
        return Database.open_local(path)
    building = path.with_name(path.name + ".building")
    _remove(building)
    db = Database.open_local(building, create=True)
    try:
        _fill(db, pack)
    except BaseException:
        db.close()
        _remove(building)
        raise
    db.close()
    for suffix in SIDE_FILES:
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    os.replace(building, path)
    return Database.open_local(path)


def _remove(path: Path) -> None:
    for name in (str(path), *(f"{path}{suffix}" for suffix in SIDE_FILES)):
        Path(name).unlink(missing_ok=True)


def _check_existing(path: Path, pack: WeekPack) -> None:
    """Refuse an existing file unless it is the teacher database of this very pack."""
    require_sqlite(path)
    inspect_file(path)
    try:
        uri = f"{path.as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)) as conn:
            rows = dict(conn.execute("SELECT key, value FROM database_info").fetchall())
    except sqlite3.Error:
        rows = {}
    if rows.get("role") != ROLE_TEACHER:
        raise UserError(
            N_(
                "The file {path} is a coordinator's database, not a teacher database. "
                "Choose another file name for the teacher database."
            ),
            path=str(path),
        )
    if rows.get("pack_uid") != pack.pack_uid:
        raise UserError(
            N_(
                "The file {path} holds another week pack (week {week}). Choose another "
                "file name for this pack, or open that file to go on with its own week."
            ),
            path=str(path),
            week=rows.get("week", "?"),
        )


def _fill(db: Database, pack: WeekPack) -> None:
    """Write the pack into a new, empty database in one transaction."""
    with transaction(db) as conn:
        _write_info(conn, pack)
        locations = _insert_named(
            conn, LOCATION, sorted({g.location_name for g in pack.groups}),
            lambda name: {"uid": new_uid(), "name": name, "municipality": ""},
        )  # fmt: skip
        provider_id = _insert(conn, PROVIDER, {"uid": new_uid(), "name": PLACEHOLDER_PROVIDER,
                                               "kind": ProviderKind.LANGUAGE.value})  # fmt: skip
        teachers = _insert_named(
            conn, TEACHER, sorted({x.teacher_name for x in pack.lessons if x.teacher_name}),
            lambda name: {"uid": new_uid(), "name": name, "provider_id": provider_id},
        )  # fmt: skip
        kinds = {}
        for lesson in pack.lessons:
            if lesson.activity_code not in kinds:
                kinds[lesson.activity_code] = _insert(conn, KIND, {
                    "code": lesson.activity_code, "name_nl": lesson.activity_name_nl,
                    "name_en": lesson.activity_name_en, "category": "",
                })  # fmt: skip
        groups = {g.uid: _insert_group(conn, g, locations[g.location_name], pack)
                  for g in pack.groups}  # fmt: skip
        _insert_people(conn, pack, groups)
        location_of = {g.uid: locations[g.location_name] for g in pack.groups}
        rooms: dict[tuple[int, str], int] = {}
        for lesson in pack.lessons:
            room_id = None
            if lesson.room_name:
                key = (location_of[lesson.group_uid], lesson.room_name)
                if key not in rooms:
                    rooms[key] = _insert(conn, ROOM, {"uid": new_uid(), "location_id": key[0],
                                                      "name": key[1]})  # fmt: skip
                room_id = rooms[key]
            conn.execute(LESSON.insert().values(
                uid=lesson.uid, group_id=groups[lesson.group_uid], lesson_date=lesson.lesson_date,
                start_time=lesson.start, end_time=lesson.end,
                activity_kind_id=kinds[lesson.activity_code],
                teacher_id=teachers.get(lesson.teacher_name), room_id=room_id,
                online=lesson.online, cancelled=lesson.cancelled,
                cancel_reason=lesson.cancel_reason,
            ))  # fmt: skip
        conn.execute(STATUS.insert(), [
            {"code": s.code, "label_nl": s.label_nl, "label_en": s.label_en,
             "counts_present": s.counts_present, "counts_late": s.counts_late,
             "excused": s.excused, "needs_reason": s.needs_reason,
             "needs_minutes": s.needs_minutes, "teacher_may_use": s.teacher_may_use,
             "sort_order": s.sort_order, "active": s.active}
            for s in pack.statuses
        ])  # fmt: skip
        people = sorted({m.candidate_uid for g in pack.groups for m in g.members})
        conn.execute(insert(TABLES["audit_entry"]), [audit_row(
            Actor(pack.teacher_name or "teacher", socket.gethostname()), "offline.pack.open",
            "candidate", uid, new={"pack_uid": pack.pack_uid, "week": pack.week},
            at=pack.created_at,
        ) for uid in people])  # fmt: skip


def _write_info(conn: Connection, pack: WeekPack) -> None:
    conn.execute(update(INFO).where(INFO.c.key == "role").values(value=ROLE_TEACHER))
    conn.execute(INFO.insert(), [
        {"key": "pack_uid", "value": pack.pack_uid},
        {"key": "coordinator_database_uid", "value": pack.database_uid},
        {"key": "teacher_name", "value": pack.teacher_name},
        {"key": "week", "value": pack.week},
        {"key": "device_id", "value": str(uuid.uuid4())},
        {"key": "pack_created_at", "value": pack.created_at.isoformat()},
    ])  # fmt: skip


def _insert(conn: Connection, table: Table, values: dict[str, object]) -> int:
    key = conn.execute(table.insert().values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_named(
    conn: Connection, table: Table, names: list[str], values: Callable[[str], dict[str, object]]
) -> dict[str, int]:
    return {name: _insert(conn, table, values(name)) for name in names}


def _insert_group(conn: Connection, group: PackGroup, location_id: int, pack: WeekPack) -> int:
    first = min(
        [x.lesson_date for x in pack.lessons if x.group_uid == group.uid]
        + [m.start for m in group.members]
    )
    return _insert(conn, GROUP, {
        "uid": group.uid, "name": group.name, "location_id": location_id,
        "level_band": group.level_band, "start_date": first,
    })  # fmt: skip


def _insert_people(conn: Connection, pack: WeekPack, groups: dict[str, int]) -> None:
    """The candidates (name parts and neutral placeholders) and their memberships."""
    candidates: dict[str, int] = {}
    for group in pack.groups:
        for member in group.members:
            if member.candidate_uid not in candidates:
                candidates[member.candidate_uid] = _insert(conn, CANDIDATE, {
                    "uid": member.candidate_uid, "voornamen": member.voornamen,
                    "tussenvoegsel": member.tussenvoegsel, "achternaam": member.achternaam,
                    "municipality": "", "law": Law.NONE.value,
                    "registration_date": member.start,
                    "status": CandidateStatus.ACTIEF.value,
                })  # fmt: skip
            conn.execute(MEMBERSHIP.insert().values(
                uid=new_uid(), group_id=groups[group.uid],
                candidate_id=candidates[member.candidate_uid],
                start_date=member.start, end_date=member.end,
            ))  # fmt: skip
