"""Reading lessons: the week of a group, or every lesson of a teacher, room or candidate.

Rows are plain frozen dataclasses with names already joined in, so the week grid, the
printed overview and the calendar export need no further queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import and_, exists, select

from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    KIND,
    LESSON,
    LOCATION,
    MARK,
    MEMBERSHIP,
    ROOM,
    SLOT,
    TEACHER,
    active_on,
    iso_week_dates,
)
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class LessonRow:
    """One lesson with everything a screen or a calendar shows of it."""

    uid: str
    id: int
    group_uid: str
    group_name: str
    location_name: str
    lesson_date: date
    start: time
    end: time
    activity_code: str
    activity_name_nl: str
    activity_name_en: str
    teacher_id: int | None
    teacher_name: str
    room_id: int | None
    room_name: str
    online: bool
    cancelled: bool
    cancel_reason: str
    slot_uid: str | None  # None: added or moved by hand
    has_attendance: bool


def lessons_between(
    db: Database,
    start: date,
    end: date,
    *,
    group_uid: str | None = None,
    teacher_id: int | None = None,
    room_id: int | None = None,
    candidate_uid: str | None = None,
) -> list[LessonRow]:
    """Lessons from ``start`` to ``end`` (cancelled ones too), by date, time and group.

    Filters combine: a group's, a teacher's, a room's lessons, and the lessons of the
    groups a candidate belonged to on each lesson's date.
    """
    marked = exists().where(MARK.c.lesson_id == LESSON.c.id)
    joined = (
        LESSON.join(GROUP, GROUP.c.id == LESSON.c.group_id)
        .join(LOCATION, LOCATION.c.id == GROUP.c.location_id)
        .join(KIND, KIND.c.id == LESSON.c.activity_kind_id)
        .outerjoin(TEACHER, TEACHER.c.id == LESSON.c.teacher_id)
        .outerjoin(ROOM, ROOM.c.id == LESSON.c.room_id)
        .outerjoin(SLOT, SLOT.c.id == LESSON.c.slot_id)
    )
    query = (
        select(
            LESSON.c.uid,
            LESSON.c.id,
            GROUP.c.uid,
            GROUP.c.name,
            LOCATION.c.name,
            LESSON.c.lesson_date,
            LESSON.c.start_time,
            LESSON.c.end_time,
            KIND.c.code,
            KIND.c.name_nl,
            KIND.c.name_en,
            LESSON.c.teacher_id,
            TEACHER.c.name,
            LESSON.c.room_id,
            ROOM.c.name,
            LESSON.c.online,
            LESSON.c.cancelled,
            LESSON.c.cancel_reason,
            SLOT.c.uid,
            marked,
        )
        .select_from(joined)
        .where(LESSON.c.lesson_date.between(start, end))
        .order_by(LESSON.c.lesson_date, LESSON.c.start_time, GROUP.c.name, LESSON.c.id)
    )
    conditions: list[Any] = []
    if group_uid is not None:
        conditions.append(GROUP.c.uid == group_uid)
    if teacher_id is not None:
        conditions.append(LESSON.c.teacher_id == teacher_id)
    if room_id is not None:
        conditions.append(LESSON.c.room_id == room_id)
    if candidate_uid is not None:
        candidate_id = select(CANDIDATE.c.id).where(CANDIDATE.c.uid == candidate_uid)
        conditions.append(
            exists().where(
                and_(
                    MEMBERSHIP.c.group_id == LESSON.c.group_id,
                    MEMBERSHIP.c.candidate_id == candidate_id.scalar_subquery(),
                    active_on(MEMBERSHIP, LESSON.c.lesson_date),
                )
            )
        )
    if conditions:
        query = query.where(and_(*conditions))
    with db.engine.connect() as conn:
        return [
            LessonRow(
                uid=r[0],
                id=r[1],
                group_uid=r[2],
                group_name=r[3],
                location_name=r[4],
                lesson_date=r[5],
                start=r[6],
                end=r[7],
                activity_code=r[8],
                activity_name_nl=r[9],
                activity_name_en=r[10],
                teacher_id=r[11],
                teacher_name=r[12] or "",
                room_id=r[13],
                room_name=r[14] or "",
                online=bool(r[15]),
                cancelled=bool(r[16]),
                cancel_reason=r[17] or "",
                slot_uid=r[18],
                has_attendance=bool(r[19]),
            )
            for r in conn.execute(query)
        ]


def lessons_for_group_week(
    db: Database, group_uid: str, iso_year: int, iso_week: int
) -> list[LessonRow]:
    """A group's lessons in one ISO week, Monday to Sunday.

    Raises:
        UserError: the week does not exist.
    """
    week = iso_week_dates(iso_year, iso_week)
    return lessons_between(db, week[0], week[-1], group_uid=group_uid)
