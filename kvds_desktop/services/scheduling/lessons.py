"""Lessons: generation from the timetable, and changes to a single lesson.

A single lesson can be cancelled (with a reason) and restored, moved to another day,
time or room, or added by hand. A lesson with attendance marks is evidence and is
neither cancelled nor moved. Moving a lesson that came from the timetable unties it
from its slot and leaves a cancelled copy at the original time ("verplaatst naar
..."), so generating again neither moves it back nor adds the original again.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import Connection, exists, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import (
    GROUP,
    LESSON,
    LOCATION,
    MARK,
    GroupFacts,
    check_kind,
    check_room,
    check_teacher,
    check_times,
    hhmm,
    load_closed_days,
    load_group,
    transaction,
    write_audit,
)
from kvds_desktop.services.scheduling.generation import GenerationReport, generate_lessons
from kvds_desktop.services.scheduling.lesson_rows import (
    LessonRow,
    lessons_between,
    lessons_for_group_week,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

MAX_REASON = 200

__all__ = [
    "GenerationReport",
    "LessonRow",
    "add_lesson",
    "cancel_lesson",
    "generate_lessons",
    "lessons_between",
    "lessons_for_group_week",
    "move_lesson",
    "restore_lesson",
]


def _load(conn: Connection, uid: str) -> tuple[dict[str, Any], bool]:
    """The lesson's columns and whether it has attendance marks."""
    marked = exists().where(MARK.c.lesson_id == LESSON.c.id)
    row = conn.execute(select(LESSON, marked.label("marked")).where(LESSON.c.uid == uid)).first()
    if row is None:
        raise UserError(N_("This lesson no longer exists; refresh the week."))
    values = dict(row._mapping)
    return values, bool(values.pop("marked"))


def _group_of(conn: Connection, group_id: int) -> GroupFacts:
    uid = conn.execute(select(GROUP.c.uid).where(GROUP.c.id == group_id)).scalar_one()
    return load_group(conn, str(uid))


def _check_day(conn: Connection, group: GroupFacts, day: date) -> None:
    """Refuse a day outside the group's period or on a closure of its location."""
    if day < group.start:
        raise UserError(
            N_("{group} starts on {start}; {date} lies before it."),
            group=group.name,
            start=group.start.isoformat(),
            date=day.isoformat(),
        )
    if group.end is not None and day > group.end:
        raise UserError(
            N_("{group} runs until {end}; {date} lies after it."),
            group=group.name,
            end=group.end.isoformat(),
            date=day.isoformat(),
        )
    _check_open(conn, group, day)


def _check_open(conn: Connection, group: GroupFacts, day: date) -> None:
    """Refuse a closure day of the group's location."""
    closure = load_closed_days(conn, day, day).closure(group.location_id, day)
    if closure is not None:
        location = conn.execute(
            select(LOCATION.c.name).where(LOCATION.c.id == group.location_id)
        ).scalar()
        raise UserError(
            N_("{location} is closed on {date} ({closure}); choose another day."),
            location=location or "",
            date=day.isoformat(),
            closure=closure,
        )


def cancel_lesson(db: Database, uid: str, reason: str, actor: Actor) -> None:
    """Cancel a lesson, saying why (the reason shows on the week and in calendars).

    Raises:
        UserError: no reason, the lesson is gone, or it has attendance marks.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise UserError(N_("Say why the lesson is cancelled."))
    if len(reason) > MAX_REASON:
        raise UserError(N_("The reason is too long: at most {count} characters."), count=MAX_REASON)
    with transaction(db) as conn:
        lesson, marked = _load(conn, uid)
        if marked:
            raise UserError(N_("This lesson has attendance marks; it cannot be cancelled."))
        old = {"cancelled": lesson["cancelled"], "cancel_reason": lesson["cancel_reason"]}
        new = {"cancelled": True, "cancel_reason": reason}
        if old == new:
            return
        conn.execute(LESSON.update().where(LESSON.c.uid == uid).values(**new))
        write_audit(conn, [audit_row(actor, "lesson.cancel", "lesson", uid, old=old, new=new)])


def restore_lesson(db: Database, uid: str, actor: Actor) -> None:
    """Give a cancelled lesson after all (nothing happens when it was not cancelled).

    Raises:
        UserError: the lesson is gone, or its location is closed that day.
    """
    with transaction(db) as conn:
        lesson, _marked = _load(conn, uid)
        if not lesson["cancelled"]:
            return
        _check_open(conn, _group_of(conn, lesson["group_id"]), lesson["lesson_date"])
        conn.execute(
            LESSON.update().where(LESSON.c.uid == uid).values(cancelled=False, cancel_reason="")
        )
        old = {"cancelled": True, "cancel_reason": lesson["cancel_reason"]}
        new = {"cancelled": False, "cancel_reason": ""}
        write_audit(conn, [audit_row(actor, "lesson.restore", "lesson", uid, old=old, new=new)])


def move_lesson(
    db: Database,
    uid: str,
    *,
    new_date: date,
    start: time,
    end: time,
    room_id: int | None = None,
    actor: Actor,
) -> None:
    """Move a lesson to another day and time, and to ``room_id`` (None: keep its room).

    The lesson keeps its uid (calendars update the event). When it came from the
    timetable, a cancelled copy stays at the original time.

    Raises:
        UserError: the times are wrong; the lesson is gone, cancelled or has attendance
            marks; the day is outside the group's period or a closure day; the room
            is at another location.
    """
    check_times(start, end)
    with transaction(db) as conn:
        lesson, marked = _load(conn, uid)
        if marked:
            raise UserError(N_("This lesson has attendance marks; it cannot be moved."))
        if lesson["cancelled"]:
            raise UserError(N_("A cancelled lesson cannot be moved; restore it first."))
        group = _group_of(conn, lesson["group_id"])
        room = lesson["room_id"] if room_id is None else room_id
        check_room(conn, room, group.location_id)
        new = {"lesson_date": new_date, "start_time": start, "end_time": end, "room_id": room}
        old = {key: lesson[key] for key in new}
        if old == new:
            return
        _check_day(conn, group, new_date)
        audit = []
        conn.execute(LESSON.update().where(LESSON.c.uid == uid).values(slot_id=None, **new))
        if lesson["slot_id"] is not None:
            copy = {k: v for k, v in lesson.items() if k != "id"}
            copy["uid"] = new_uid()
            copy["cancelled"] = True
            copy["cancel_reason"] = f"verplaatst naar {new_date:%d-%m-%Y} {hhmm(start)}"
            conn.execute(LESSON.insert().values(**copy))
            audit.append(
                audit_row(actor, "lesson.moved_from", "lesson", copy["uid"], new={"moved_to": uid})
            )
        audit.append(audit_row(actor, "lesson.move", "lesson", uid, old=old, new=new))
        write_audit(conn, audit)


def add_lesson(
    db: Database,
    *,
    group_uid: str,
    lesson_date: date,
    start: time,
    end: time,
    activity_kind_id: int,
    teacher_id: int | None,
    room_id: int | None,
    online: bool,
    actor: Actor,
) -> str:
    """Add a one-off lesson to a group (not from the timetable); return its uid.

    Raises:
        UserError: the times are wrong; the group, activity kind or teacher does not
            exist; the day is outside the group's period or a closure day; the room
            is at another location.
    """
    check_times(start, end)
    with transaction(db) as conn:
        group = load_group(conn, group_uid)
        check_kind(conn, activity_kind_id)
        check_teacher(conn, teacher_id)
        check_room(conn, room_id, group.location_id)
        _check_day(conn, group, lesson_date)
        uid = new_uid()
        values: dict[str, Any] = {
            "uid": uid, "group_id": group.id, "slot_id": None, "lesson_date": lesson_date,
            "start_time": start, "end_time": end, "activity_kind_id": activity_kind_id,
            "teacher_id": teacher_id, "room_id": room_id, "online": online, "cancelled": False,
            "cancel_reason": "",
        }  # fmt: skip
        conn.execute(LESSON.insert().values(**values))
        new = {k: v for k, v in values.items() if k not in ("uid", "cancelled", "cancel_reason")}
        write_audit(conn, [audit_row(actor, "lesson.add", "lesson", uid, new=new)])
        return uid
