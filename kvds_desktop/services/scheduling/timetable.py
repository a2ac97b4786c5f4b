"""The weekly timetable: the slots of the week grid and their editing.

A slot is a weekly lesson of a group (weekday, times, activity, teacher, room, in person
or online) valid from one date to another. After saving or deleting a slot, callers
generate the lessons for the future again (:func:`generation.generate_lessons`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import and_, exists, or_, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import (
    GROUP,
    KIND,
    LESSON,
    MARK,
    ROOM,
    SLOT,
    TEACHER,
    check_kind,
    check_room,
    check_teacher,
    check_times,
    load_group,
    transaction,
    write_audit,
)
from kvds_desktop.services.scheduling.slot_conflicts import slot_conflicts_preview
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid


@dataclass(frozen=True)
class SlotRow:
    """One weekly slot, with names joined in."""

    uid: str
    group_uid: str
    group_name: str
    weekday: int  # ISO weekday, Monday = 1
    start: time
    end: time
    activity_kind_id: int
    activity_code: str
    teacher_id: int | None
    teacher_name: str
    room_id: int | None
    room_name: str
    online: bool
    valid_from: date
    valid_to: date | None


def list_slots(
    db: Database,
    *,
    group_uid: str | None = None,
    teacher_id: int | None = None,
    room_id: int | None = None,
    on: date | None = None,
) -> list[SlotRow]:
    """The slots of a group, a teacher or a room (filters combine), valid ``on`` a date
    if given; by group, weekday and start."""
    query = (
        select(
            SLOT.c.uid,
            GROUP.c.uid,
            GROUP.c.name,
            SLOT.c.weekday,
            SLOT.c.start_time,
            SLOT.c.end_time,
            SLOT.c.activity_kind_id,
            KIND.c.code,
            SLOT.c.teacher_id,
            TEACHER.c.name,
            SLOT.c.room_id,
            ROOM.c.name,
            SLOT.c.online,
            SLOT.c.valid_from,
            SLOT.c.valid_to,
        )
        .select_from(
            SLOT.join(GROUP, GROUP.c.id == SLOT.c.group_id)
            .join(KIND, KIND.c.id == SLOT.c.activity_kind_id)
            .outerjoin(TEACHER, TEACHER.c.id == SLOT.c.teacher_id)
            .outerjoin(ROOM, ROOM.c.id == SLOT.c.room_id)
        )
        .order_by(GROUP.c.name, SLOT.c.weekday, SLOT.c.start_time, SLOT.c.valid_from)
    )
    if group_uid is not None:
        query = query.where(GROUP.c.uid == group_uid)
    if teacher_id is not None:
        query = query.where(SLOT.c.teacher_id == teacher_id)
    if room_id is not None:
        query = query.where(SLOT.c.room_id == room_id)
    if on is not None:
        query = query.where(
            and_(SLOT.c.valid_from <= on, or_(SLOT.c.valid_to.is_(None), SLOT.c.valid_to >= on))
        )
    with db.engine.connect() as conn:
        return [
            SlotRow(
                uid=r[0],
                group_uid=r[1],
                group_name=r[2],
                weekday=r[3],
                start=r[4],
                end=r[5],
                activity_kind_id=r[6],
                activity_code=r[7],
                teacher_id=r[8],
                teacher_name=r[9] or "",
                room_id=r[10],
                room_name=r[11] or "",
                online=bool(r[12]),
                valid_from=r[13],
                valid_to=r[14],
            )
            for r in conn.execute(query)
        ]


def _check_slot(
    weekday: int, start: time, end: time, valid_from: date, valid_to: date | None
) -> None:
    if weekday not in range(1, 8):
        raise UserError(N_("The weekday must be a number from 1 (Monday) to 7 (Sunday)."))
    check_times(start, end)
    if valid_to is not None and valid_to < valid_from:
        raise UserError(
            N_("The slot ends before it starts (valid from {start} to {end})."),
            start=valid_from.isoformat(),
            end=valid_to.isoformat(),
        )


def save_slot(
    db: Database,
    *,
    uid: str | None,
    group_uid: str,
    weekday: int,
    start: time,
    end: time,
    activity_kind_id: int,
    teacher_id: int | None,
    room_id: int | None,
    online: bool,
    valid_from: date,
    valid_to: date | None,
    actor: Actor,
) -> str:
    """Create a slot (``uid`` None) or change one; return its uid.

    Raises:
        UserError: a weekday outside 1-7, a slot that does not end after it starts or
            whose validity ends before it starts, a room at another location than the
            group, an unknown group, activity kind, teacher or slot.
    """
    _check_slot(weekday, start, end, valid_from, valid_to)
    with transaction(db) as conn:
        group = load_group(conn, group_uid)
        check_kind(conn, activity_kind_id)
        check_teacher(conn, teacher_id)
        check_room(conn, room_id, group.location_id)
        values: dict[str, Any] = {
            "group_id": group.id, "weekday": weekday, "start_time": start, "end_time": end,
            "activity_kind_id": activity_kind_id, "teacher_id": teacher_id, "room_id": room_id,
            "online": online, "valid_from": valid_from, "valid_to": valid_to,
        }  # fmt: skip
        if uid is None:
            uid = new_uid()
            conn.execute(SLOT.insert().values(uid=uid, **values))
            write_audit(conn, [audit_row(actor, "slot.add", "timetable_slot", uid, new=values)])
            return uid
        row = conn.execute(select(SLOT).where(SLOT.c.uid == uid)).mappings().first()
        if row is None:
            raise UserError(N_("This slot no longer exists; refresh the week."))
        old = {key: row[key] for key in values if row[key] != values[key]}
        if old:
            new = {key: values[key] for key in old}
            conn.execute(SLOT.update().where(SLOT.c.uid == uid).values(**new))
            write_audit(
                conn, [audit_row(actor, "slot.update", "timetable_slot", uid, old=old, new=new)]
            )
        return uid


def delete_slot(db: Database, uid: str, actor: Actor, *, today: date | None = None) -> str:
    """Remove a slot from the timetable; return its uid.

    A slot whose lessons all lie after ``today`` and have no attendance marks is deleted
    with them. Otherwise it is ended: valid until ``today`` (the day before its first
    future use), its future lessons without marks are deleted, and the lessons that
    happened, and any with marks, stay. ``today`` defaults to the computer's date.
    """
    today = today or date.today()
    with transaction(db) as conn:
        slot = conn.execute(select(SLOT).where(SLOT.c.uid == uid)).mappings().first()
        if slot is None:
            raise UserError(N_("This slot no longer exists; refresh the week."))
        marked = exists().where(MARK.c.lesson_id == LESSON.c.id)
        lessons = conn.execute(
            select(LESSON.c.id, LESSON.c.lesson_date, marked).where(LESSON.c.slot_id == slot["id"])
        ).all()
        kept = [day for _id, day, has_marks in lessons if day <= today or has_marks]
        if not kept:
            conn.execute(LESSON.delete().where(LESSON.c.slot_id == slot["id"]))
            conn.execute(SLOT.delete().where(SLOT.c.id == slot["id"]))
            old = {k: slot[k] for k in ("weekday", "start_time", "end_time", "valid_from")}
            new = {"lessons_removed": len(lessons)}
            write_audit(
                conn, [audit_row(actor, "slot.delete", "timetable_slot", uid, old=old, new=new)]
            )
            return uid
        last = max(today, slot["valid_from"])
        if slot["valid_to"] is not None:
            last = min(last, slot["valid_to"])
        remove = [i for i, day, has_marks in lessons if day > today and not has_marks]
        if remove:
            conn.execute(LESSON.delete().where(LESSON.c.id.in_(remove)))
        conn.execute(SLOT.update().where(SLOT.c.id == slot["id"]).values(valid_to=last))
        old = {"valid_to": slot["valid_to"]}
        new = {"valid_to": last, "lessons_removed": len(remove)}
        write_audit(conn, [audit_row(actor, "slot.end", "timetable_slot", uid, old=old, new=new)])
        return uid


__all__ = ["SlotRow", "delete_slot", "list_slots", "save_slot", "slot_conflicts_preview"]
