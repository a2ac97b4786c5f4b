"""What a week pack or a teacher workbook is made from: one ISO week of lessons.

Both exports read the same things from the coordinator's database: the lessons of a
teacher or a group in the week, their groups, the rosters with ONLY the name parts of
each candidate, and the statuses a teacher may use. Both record what was sent in
``sent_pack`` with an audit row. Nothing else about a candidate is read here, so
nothing else can end up in a file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.common import person_name, person_sort_key
from kvds_desktop.services.attendance.statuses import StatusRow, list_statuses
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    LOCATION,
    MEMBERSHIP,
    TABLES,
    TEACHER,
    parse_iso_week,
    write_audit,
)
from kvds_desktop.services.scheduling.lesson_rows import LessonRow, lessons_between
from kvds_desktop.store.database import Database

INFO: Table = TABLES["database_info"]
SENT_PACK: Table = TABLES["sent_pack"]
ROLE_COORDINATOR = "coordinator"
ROLE_TEACHER = "teacher"


@dataclass(frozen=True)
class Week:
    """An ISO week: its key (``2026-W49``), Monday and Sunday."""

    key: str
    monday: date
    sunday: date

    @property
    def days(self) -> list[date]:
        """Monday to Sunday."""
        return [self.monday + timedelta(days=offset) for offset in range(7)]


def parse_week(text: str) -> Week:
    """The ISO week written as ``2026-W49`` (``2026W49`` and ``2026-49`` too).

    Raises:
        UserError: the text is not an existing ISO week.
    """
    try:
        year, number = parse_iso_week(text or "")
    except ValueError:
        raise UserError(
            N_("{week} is not a week. Write the year and the week number, like 2026-W49."),
            week=text,
        ) from None
    monday = date.fromisocalendar(year, number, 1)
    return Week(f"{year}-W{number:02d}", monday, monday + timedelta(days=6))


@dataclass(frozen=True)
class RosterMember:
    """A candidate on a group's roster: the name parts and the membership dates only."""

    candidate_uid: str
    voornamen: str
    tussenvoegsel: str
    achternaam: str
    start: date
    end: date | None

    @property
    def name(self) -> str:
        """The name as the register shows it."""
        return person_name(self.voornamen, self.tussenvoegsel, self.achternaam)

    @property
    def sort_key(self) -> tuple[str, str]:
        """Sorted like the register: by surname, then first names."""
        return person_sort_key(
            self.voornamen, self.tussenvoegsel, self.achternaam
        ), self.candidate_uid

    def active_on(self, day: date) -> bool:
        """Whether the membership covers ``day``."""
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class GroupInfo:
    """A group of the week with its location and the roster of that week."""

    uid: str
    name: str
    location_name: str
    level_band: str
    members: tuple[RosterMember, ...]


@dataclass(frozen=True)
class WeekScope:
    """Everything an export of one week needs, read in one go."""

    week: Week
    database_uid: str
    lessons: tuple[LessonRow, ...]
    groups: tuple[GroupInfo, ...]
    statuses: tuple[StatusRow, ...]  # active statuses a teacher may use

    @property
    def open_lessons(self) -> tuple[LessonRow, ...]:
        """The lessons that take attendance (not cancelled)."""
        return tuple(lesson for lesson in self.lessons if not lesson.cancelled)

    @property
    def candidate_count(self) -> int:
        """Different candidates on the rosters."""
        return len({m.candidate_uid for g in self.groups for m in g.members})

    def teacher_names(self) -> list[str]:
        """The teachers of the lessons, in order of appearance."""
        return list(
            dict.fromkeys(lesson.teacher_name for lesson in self.lessons if lesson.teacher_name)
        )


def read_info(conn: Connection) -> dict[str, str]:
    """The ``database_info`` rows of a database as a dictionary."""
    return {str(key): str(value) for key, value in conn.execute(select(INFO.c.key, INFO.c.value))}


def coordinator_uid(conn: Connection) -> str:
    """The ``database_uid`` of a coordinator database.

    Raises:
        UserError: the database is a teacher's database (or has no identity).
    """
    info = read_info(conn)
    if info.get("role", ROLE_COORDINATOR) != ROLE_COORDINATOR or not info.get("database_uid"):
        raise UserError(
            N_(
                "This is a teacher's database. Week packs and workbooks are made from the "
                "coordinator's database; open that one."
            )
        )
    return info["database_uid"]


def teacher_name(conn: Connection, teacher_id: int) -> str:
    """The name of the teacher with ``teacher_id``.

    Raises:
        UserError: no such teacher.
    """
    name = conn.execute(select(TEACHER.c.name).where(TEACHER.c.id == teacher_id)).scalar()
    if name is None:
        raise UserError(N_("This teacher does not exist; refresh the list."))
    return str(name)


def _check_group(conn: Connection, group_uid: str) -> None:
    if conn.execute(select(GROUP.c.id).where(GROUP.c.uid == group_uid)).first() is None:
        raise UserError(N_("This group no longer exists; refresh the list."))


def _groups(conn: Connection, uids: Sequence[str], week: Week) -> tuple[GroupInfo, ...]:
    rows = conn.execute(
        select(GROUP.c.id, GROUP.c.uid, GROUP.c.name, LOCATION.c.name, GROUP.c.level_band)
        .select_from(GROUP.join(LOCATION, LOCATION.c.id == GROUP.c.location_id))
        .where(GROUP.c.uid.in_(list(uids)))
        .order_by(GROUP.c.name)
    ).all()
    members: dict[int, list[RosterMember]] = {int(r[0]): [] for r in rows}
    # Only the name parts: never BSN, birth date, klantnummer, address or phone.
    found = conn.execute(
        select(
            MEMBERSHIP.c.group_id, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
            CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam, MEMBERSHIP.c.start_date,
            MEMBERSHIP.c.end_date,
        )
        .select_from(MEMBERSHIP.join(CANDIDATE, CANDIDATE.c.id == MEMBERSHIP.c.candidate_id))
        .where(
            and_(
                MEMBERSHIP.c.group_id.in_(list(members)),
                MEMBERSHIP.c.start_date <= week.sunday,
                or_(MEMBERSHIP.c.end_date.is_(None), MEMBERSHIP.c.end_date >= week.monday),
            )
        )
    )  # fmt: skip
    for group_id, uid, voornamen, tussen, achternaam, start, end in found:
        members[int(group_id)].append(
            RosterMember(str(uid), voornamen or "", tussen or "", achternaam or "", start, end)
        )
    return tuple(
        GroupInfo(
            uid=str(r[1]), name=str(r[2]), location_name=str(r[3]), level_band=str(r[4] or ""),
            members=tuple(sorted(members[int(r[0])], key=lambda m: (m.sort_key, m.start))),
        )
        for r in rows
    )  # fmt: skip


def load_week(
    db: Database, week_text: str, *, teacher_id: int | None = None, group_uid: str | None = None
) -> tuple[WeekScope, str]:
    """The lessons of a teacher or of a group in an ISO week, with groups and rosters.

    Returns the scope and the name it was made for (the teacher's or the group's).

    Raises:
        UserError: the week text is wrong; not exactly one of teacher and group is
            given; the teacher or group is unknown; there are no lessons that week; the
            database is a teacher's database.
    """
    week = parse_week(week_text)
    if (teacher_id is None) == (group_uid is None):
        raise UserError(N_("Choose either a teacher or a group."))
    with db.engine.connect() as conn:
        database_uid = coordinator_uid(conn)
        if teacher_id is not None:
            owner = teacher_name(conn, teacher_id)
        else:
            assert group_uid is not None
            _check_group(conn, group_uid)
            owner = ""
    lessons = lessons_between(
        db, week.monday, week.sunday, teacher_id=teacher_id, group_uid=group_uid
    )
    if not lessons:
        raise UserError(
            N_("There are no lessons in week {week} for this choice. Choose another week."),
            week=week.key,
        )
    with db.engine.connect() as conn:
        groups = _groups(conn, list(dict.fromkeys(lesson.group_uid for lesson in lessons)), week)
    if not owner:
        owner = groups[0].name
    statuses = tuple(s for s in list_statuses(db, active_only=True) if s.teacher_may_use)
    if not statuses:
        raise UserError(
            N_("No active attendance status may be used by teachers. Check the statuses in "
               "Settings.")
        )  # fmt: skip
    return WeekScope(week, database_uid, tuple(lessons), groups, statuses), owner


def record_sent(
    conn: Connection,
    *,
    pack_uid: str,
    kind: str,
    teacher_name: str,
    scope: WeekScope,
    actor: Actor,
    now: datetime,
    action: str,
    details: dict[str, Any],
) -> None:
    """Write the ``sent_pack`` row and its audit row inside the caller's transaction."""
    group_names = ", ".join(g.name for g in scope.groups)
    conn.execute(
        SENT_PACK.insert().values(
            uid=pack_uid,
            kind=kind,
            teacher_name=teacher_name[:120],
            group_names=group_names[:400],
            week=scope.week.key,
            lesson_uids=json.dumps([lesson.uid for lesson in scope.open_lessons]),
            created_at=now,
            created_by=actor.name[:120],
        )
    )
    new = {"week": scope.week.key, "teacher": teacher_name, "groups": group_names, **details}
    write_audit(conn, [audit_row(actor, action, "sent_pack", pack_uid, new=new, at=now)])


def safe_file_part(text: str) -> str:
    """``text`` reduced to letters, digits, ``-`` and ``_`` for a file name."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", plain.strip()).strip("-")
    return cleaned[:60] or "kvds"
