"""Generating lessons from the weekly timetable, and regenerating them after a change.

A weekly slot gives at most one lesson per ISO week: on its weekday, within its own
validity and the group's period, unless the group's location is closed that day.
Generation compares what the timetable asks for with the lessons there are, week by
week and slot by slot:

- a week without a lesson of the slot gets one (also in the past, e.g. for a slot
  whose validity was moved back);
- a future lesson (after ``today``) without attendance marks that no longer matches
  its slot (day, times, activity, teacher, room, online, group) is brought in line, so
  it keeps its uid and calendars update it instead of adding a second event;
- a future lesson without marks that is no longer wanted (slot ended, closure day) is
  deleted;
- when a slot moves to a weekday that has already passed this week, this week's
  lesson still to come stays as it was: the change holds from next week on;
- a lesson with attendance marks, and any lesson on or before ``today``, is never
  touched.

A lesson moved by hand is no longer tied to its slot (see :func:`lessons.move_lesson`);
a cancelled copy at the original time keeps generation from adding it again.
Everything is read and written with Core statements in bulk, in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, exists, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import (
    GROUP,
    LESSON,
    MARK,
    SLOT,
    check_period,
    load_closed_days,
    period_window,
    transaction,
    write_audit,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

CHUNK = 10_000
FIELDS = ("group_id", "lesson_date", "start_time", "end_time", "activity_kind_id", "teacher_id",
          "room_id", "online")  # fmt: skip


@dataclass(frozen=True)
class GenerationReport:
    """What a generation did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept_with_attendance: int = 0  # lessons that differ from the timetable but have marks
    skipped_closure: int = 0  # slot dates on a closed day


class _Slot(NamedTuple):
    id: int
    group_id: int
    weekday: int
    start: time
    end: time
    kind_id: int
    teacher_id: int | None
    room_id: int | None
    online: bool
    valid_from: date
    valid_to: date | None


class _Lesson(NamedTuple):
    id: int
    uid: str
    slot_id: int
    group_id: int
    lesson_date: date
    start_time: time
    end_time: time
    activity_kind_id: int
    teacher_id: int | None
    room_id: int | None
    online: bool
    has_marks: bool

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FIELDS)


def _expected(slot: _Slot, day: date) -> tuple[Any, ...]:
    return (slot.group_id, day, slot.start, slot.end, slot.kind_id, slot.teacher_id,
            slot.room_id, slot.online)  # fmt: skip


@dataclass
class _Plan:
    today: date
    start: date
    end: date
    inserts: list[dict[str, Any]]
    updates: list[tuple[_Lesson, tuple[Any, ...]]]
    deletes: list[_Lesson]
    kept: int = 0
    skipped: int = 0

    def drop(self, lesson: _Lesson) -> None:
        """A lesson that should not be there: delete it if that is allowed."""
        if lesson.lesson_date <= self.today:
            return
        if lesson.has_marks:
            self.kept += 1
        else:
            self.deletes.append(lesson)

    def week(self, slot: _Slot, day: date | None, found: list[_Lesson]) -> None:
        """Bring one slot's week in line: ``day`` is its wanted date (None: no lesson)."""
        if day is None:
            for lesson in found:
                if self.start <= lesson.lesson_date <= self.end:
                    self.drop(lesson)
            return
        wanted = _expected(slot, day)
        match = next((x for x in found if x.values() == wanted), None)
        if match is not None:
            for lesson in found:
                if lesson is not match:
                    self.drop(lesson)
            return
        fixed = [x for x in found if x.lesson_date <= self.today or x.has_marks]
        free = [x for x in found if x not in fixed]
        if fixed:  # the week's lesson happened already or has marks: it stays as it is
            self.kept += sum(1 for x in fixed if x.lesson_date > self.today)
            for lesson in free:
                self.drop(lesson)
        elif free:
            free.sort(key=lambda x: (x.lesson_date != day, x.lesson_date))
            if day > self.today:
                self.updates.append((free[0], wanted))
            # else: the timetable's day this week has passed; the lesson still to come
            # this week stays as planned, and the change holds from next week on.
            for lesson in free[1:]:
                self.drop(lesson)
        else:
            self.inserts.append(
                {
                    "uid": new_uid(), "group_id": slot.group_id, "slot_id": slot.id,
                    "lesson_date": day, "start_time": slot.start, "end_time": slot.end,
                    "activity_kind_id": slot.kind_id, "teacher_id": slot.teacher_id,
                    "room_id": slot.room_id, "online": slot.online, "cancelled": False,
                    "cancel_reason": "",
                }
            )  # fmt: skip


def _groups(conn: Connection, group_uids: Collection[str] | None) -> dict[int, Any]:
    query = select(
        GROUP.c.id, GROUP.c.uid, GROUP.c.location_id, GROUP.c.start_date, GROUP.c.end_date
    )
    if group_uids is not None:
        query = query.where(GROUP.c.uid.in_(list(group_uids)))
    groups = {row.id: row for row in conn.execute(query)}
    if group_uids is not None and len(groups) < len(set(group_uids)):
        raise UserError(N_("This group no longer exists; refresh the list."))
    return groups


def _slots(conn: Connection, group_ids: list[int] | None) -> list[_Slot]:
    query = select(
        SLOT.c.id, SLOT.c.group_id, SLOT.c.weekday, SLOT.c.start_time, SLOT.c.end_time,
        SLOT.c.activity_kind_id, SLOT.c.teacher_id, SLOT.c.room_id, SLOT.c.online,
        SLOT.c.valid_from, SLOT.c.valid_to,
    )  # fmt: skip
    if group_ids is not None:
        query = query.where(SLOT.c.group_id.in_(group_ids))
    return [_Slot(*row) for row in conn.execute(query)]


def _lessons(
    conn: Connection, group_ids: list[int] | None, first: date, last: date
) -> dict[int, dict[tuple[int, int], list[_Lesson]]]:
    """Slot lessons from ``first`` to ``last``, per slot id and ISO (year, week)."""
    marked = exists().where(MARK.c.lesson_id == LESSON.c.id)
    query = select(
        LESSON.c.id, LESSON.c.uid, LESSON.c.slot_id, LESSON.c.group_id, LESSON.c.lesson_date,
        LESSON.c.start_time, LESSON.c.end_time, LESSON.c.activity_kind_id, LESSON.c.teacher_id,
        LESSON.c.room_id, LESSON.c.online, marked,
    ).where(
        and_(LESSON.c.slot_id.is_not(None), LESSON.c.lesson_date.between(first, last))
    )  # fmt: skip
    if group_ids is not None:
        own_slots = select(SLOT.c.id).where(SLOT.c.group_id.in_(group_ids))
        query = query.where(LESSON.c.slot_id.in_(own_slots))
    found: dict[int, dict[tuple[int, int], list[_Lesson]]] = defaultdict(lambda: defaultdict(list))
    for row in conn.execute(query):
        values: tuple[Any, ...] = (*row[:11], bool(row[11]))
        lesson = _Lesson(*values)
        year, week, _ = lesson.lesson_date.isocalendar()
        found[lesson.slot_id][(year, week)].append(lesson)
    return found


def generate_lessons(
    db: Database,
    *,
    start: date,
    end: date,
    group_uids: Collection[str] | None = None,
    actor: Actor | None = None,
    today: date,
) -> GenerationReport:
    """Create, update and delete lessons so that ``start``..``end`` follows the timetable.

    Args:
        start, end: the period (both included).
        group_uids: only these groups (None: every group).
        actor: who asked, for the audit trail (None: the logged-in user).
        today: lessons after this day may be changed or removed; others never are.

    Raises:
        UserError: the period is wrong, or a group does not exist.
    """
    check_period(start, end)
    actor = actor or Actor.current()
    first = start - timedelta(days=start.weekday())
    last = end + timedelta(days=6 - end.weekday())
    with transaction(db) as conn:
        groups = _groups(conn, group_uids)
        group_ids = None if group_uids is None else list(groups)
        slots = _slots(conn, group_ids)
        closed = load_closed_days(conn, start, end)
        existing = _lessons(conn, group_ids, first, last)
        plan = _Plan(today, start, end, [], [], [])
        for slot in slots:
            group = groups[slot.group_id]
            window = period_window(
                (slot.valid_from, group.start_date, start), (slot.valid_to, group.end_date, end)
            )
            found = existing.pop(slot.id, {})
            weeks: dict[tuple[int, int], date | None] = {}
            for key in found:
                day = date.fromisocalendar(key[0], key[1], slot.weekday)
                if start <= day <= end:
                    weeks[key] = None
            if window is not None:
                lo, hi = window
                day = lo + timedelta(days=(slot.weekday - lo.isoweekday()) % 7)
                while hi is not None and day <= hi:
                    year, week, _ = day.isocalendar()
                    if closed.is_closed(group.location_id, day):
                        plan.skipped += 1
                        weeks[(year, week)] = None
                    else:
                        weeks[(year, week)] = day
                    day += timedelta(days=7)
            for key, wanted in weeks.items():
                plan.week(slot, wanted, found.get(key, []))
        _write(conn, plan, actor, start, end, group_uids)
    return GenerationReport(
        created=len(plan.inserts),
        updated=len(plan.updates),
        deleted=len(plan.deletes),
        kept_with_attendance=plan.kept,
        skipped_closure=plan.skipped,
    )


def _write(
    conn: Connection,
    plan: _Plan,
    actor: Actor,
    start: date,
    end: date,
    group_uids: Collection[str] | None,
) -> None:
    audit: list[dict[str, Any]] = []
    if plan.deletes:
        ids = [lesson.id for lesson in plan.deletes]
        for at in range(0, len(ids), CHUNK):
            conn.execute(LESSON.delete().where(LESSON.c.id.in_(ids[at : at + CHUNK])))
        for lesson in plan.deletes:
            old = dict(zip(FIELDS, lesson.values(), strict=True))
            audit.append(
                audit_row(actor, "lesson.regenerate_delete", "lesson", lesson.uid, old=old)
            )
    if plan.updates:
        statement = (
            LESSON.update()
            .where(LESSON.c.id == bindparam("_id"))
            .values({name: bindparam(f"_{name}") for name in FIELDS})
        )
        params = []
        for lesson, wanted in plan.updates:
            values = dict(zip(FIELDS, wanted, strict=True))
            params.append({"_id": lesson.id, **{f"_{k}": v for k, v in values.items()}})
            old = dict(zip(FIELDS, lesson.values(), strict=True))
            changed = {k: v for k, v in values.items() if old[k] != v}
            audit.append(
                audit_row(
                    actor,
                    "lesson.regenerate",
                    "lesson",
                    lesson.uid,
                    old={k: old[k] for k in changed},
                    new=changed,
                )
            )
        conn.execute(statement, params)
    for at in range(0, len(plan.inserts), CHUNK):
        conn.execute(LESSON.insert(), plan.inserts[at : at + CHUNK])
    summary = {
        "start": start,
        "end": end,
        "groups": "all" if group_uids is None else len(set(group_uids)),
        "created": len(plan.inserts),
        "updated": len(plan.updates),
        "deleted": len(plan.deletes),
        "kept_with_attendance": plan.kept,
    }
    audit.append(audit_row(actor, "lessons.generate", "lesson", "", new=summary))
    write_audit(conn, audit)
