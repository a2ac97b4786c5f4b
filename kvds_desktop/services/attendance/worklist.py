"""Which lessons to register: the lessons of a day, and past lessons not registered yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import and_, func, select

from kvds_desktop.services.attendance.common import GROUP, LESSON, MARK, MEMBERSHIP, TEACHER
from kvds_desktop.services.scheduling.common import active_on
from kvds_desktop.services.scheduling.lessons import LessonRow, lessons_between
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class UnregisteredRow:
    """A past lesson in which not every candidate on the roster has a mark."""

    lesson_uid: str
    lesson_date: date
    start: time
    group_name: str
    teacher_name: str
    teacher_id: int | None
    roster_size: int
    marked: int


def lessons_for_day(
    db: Database, day: date, *, teacher_id: int | None = None, location: str | None = None
) -> list[LessonRow]:
    """The lessons of ``day`` (cancelled ones too) by time and group.

    ``location`` is a location's name (any case); ``teacher_id`` keeps one teacher's.
    """
    rows = lessons_between(db, day, day, teacher_id=teacher_id)
    if location:
        wanted = location.strip().casefold()
        rows = [row for row in rows if row.location_name.casefold() == wanted]
    return rows


def unregistered_lessons(
    db: Database, *, until: date, since: date | None = None
) -> list[UnregisteredRow]:
    """Held lessons up to ``until`` (from ``since``) with roster members still unmarked.

    Sorted by teacher (lessons without a teacher last), then date, time and group; the
    coordinator's daily check.
    """
    roster = (
        select(func.count(func.distinct(MEMBERSHIP.c.candidate_id)))
        .where(and_(MEMBERSHIP.c.group_id == LESSON.c.group_id,
                    active_on(MEMBERSHIP, LESSON.c.lesson_date)))
        .correlate(LESSON)
        .scalar_subquery()
    )  # fmt: skip
    marked = (
        select(func.count(func.distinct(MARK.c.candidate_id)))
        .select_from(
            MARK.join(
                MEMBERSHIP,
                and_(MEMBERSHIP.c.candidate_id == MARK.c.candidate_id,
                     MEMBERSHIP.c.group_id == LESSON.c.group_id,
                     active_on(MEMBERSHIP, LESSON.c.lesson_date)),
            )
        )
        .where(MARK.c.lesson_id == LESSON.c.id)
        .correlate(LESSON)
        .scalar_subquery()
    )  # fmt: skip
    conditions = [LESSON.c.lesson_date <= until, LESSON.c.cancelled.is_(False)]
    if since is not None:
        conditions.append(LESSON.c.lesson_date >= since)
    inner = (
        select(
            LESSON.c.uid.label("uid"), LESSON.c.lesson_date.label("day"),
            LESSON.c.start_time.label("start"), GROUP.c.name.label("group_name"),
            TEACHER.c.name.label("teacher_name"), LESSON.c.teacher_id.label("teacher_id"),
            roster.label("roster"), marked.label("marked"),
        )
        .select_from(
            LESSON.join(GROUP, GROUP.c.id == LESSON.c.group_id).outerjoin(
                TEACHER, TEACHER.c.id == LESSON.c.teacher_id
            )
        )
        .where(and_(*conditions))
        .subquery()
    )  # fmt: skip
    query = (
        select(inner)
        .where(inner.c.marked < inner.c.roster)
        .order_by(
            inner.c.teacher_name.is_(None), inner.c.teacher_name, inner.c.day, inner.c.start,
            inner.c.group_name,
        )
    )  # fmt: skip
    with db.engine.connect() as conn:
        return [
            UnregisteredRow(
                lesson_uid=r.uid, lesson_date=r.day, start=r.start, group_name=r.group_name,
                teacher_name=r.teacher_name or "", teacher_id=r.teacher_id,
                roster_size=int(r.roster), marked=int(r.marked),
            )
            for r in conn.execute(query)
        ]  # fmt: skip
