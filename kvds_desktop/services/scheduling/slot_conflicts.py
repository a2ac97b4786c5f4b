"""The conflicts a weekly slot would cause, for the timetable editor to flag at once.

The slot is checked against the other slots of the same weekday whose validity (and
whose group's period) overlaps: the teacher or the room twice at once, candidates in
both groups in two lessons at once, a teacher at two locations without the travel
time between, and the teacher's available days and hours.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time
from typing import Any

from sqlalchemy import Connection, and_, select

from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import N_
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    MEMBERSHIP,
    ROOM,
    SLOT,
    TEACHER,
    clock_overlap,
    first_weekday,
    load_group,
    minutes_between,
    parse_days,
    period_window,
)
from kvds_desktop.services.scheduling.conflicts import Conflict, ConflictKind, names_text
from kvds_desktop.store.database import Database


def slot_conflicts_preview(
    db: Database,
    *,
    group_uid: str | None,
    weekday: int,
    start: time,
    end: time,
    activity_kind_id: int | None = None,
    teacher_id: int | None,
    room_id: int | None,
    online: bool,
    valid_from: date,
    valid_to: date | None,
    uid: str | None = None,
    travel_minutes: int = 30,
    today: date | None = None,
) -> list[Conflict]:
    """The conflicts a slot with these fields would cause in the weekly pattern.

    Checked against every other slot (not ``uid`` itself) on the same weekday whose
    validity, and whose group's period, overlaps this one's: the teacher or the room
    twice at once, candidates of both groups in two lessons at once, a teacher at two
    locations without ``travel_minutes`` between; and the teacher's available days and
    hours. With ``today``, only the overlap from today on counts. Without a group
    (``group_uid`` None) there is nothing to check yet. Each conflict's
    ``lesson_date`` is the first day it would happen.
    """
    del activity_kind_id  # the kind of activity never conflicts
    found: list[Conflict] = []
    if group_uid is None:  # no group chosen yet: nothing to compare
        return found
    with db.engine.connect() as conn:
        group = load_group(conn, group_uid)
        window = period_window((valid_from, group.start, today), (valid_to, group.end))
        if window is None or weekday not in range(1, 8) or end <= start:
            return []
        teacher = None
        if teacher_id is not None:
            teacher = conn.execute(select(TEACHER).where(TEACHER.c.id == teacher_id)).first()
        first_day = first_weekday(window[0], window[1], weekday)
        if teacher is not None and first_day is not None:
            available = parse_days(teacher.available_days or "")
            if (
                weekday not in available
                or start < teacher.available_from
                or end > teacher.available_until
            ):
                found.append(
                    Conflict(
                        ConflictKind.TEACHER_UNAVAILABLE, first_day,
                        N_("{teacher} is not available on this day or at this time (from {date} "
                           "on)."),
                        {"teacher": teacher.name, "date": first_day.isoformat()}, (),
                    )
                )  # fmt: skip
        shared = _shared_members(conn, group.id)
        for other in _other_slots(conn, weekday, uid):
            both = period_window(
                (window[0], other.valid_from, other.group_start),
                (window[1], other.valid_to, other.group_end),
            )
            day = None if both is None else first_weekday(both[0], both[1], weekday)
            if day is None or both is None:
                continue
            params = {"group": group.name, "other_group": other.group_name, "date": day.isoformat()}
            overlap = clock_overlap(start, end, other.start_time, other.end_time)
            same_teacher = teacher is not None and other.teacher_id == teacher_id
            if overlap and same_teacher:
                found.append(
                    Conflict(
                        ConflictKind.TEACHER_DOUBLE, day,
                        N_("{teacher} would teach {group} and {other_group} at the same time, "
                           "from {date} on."),
                        {**params, "teacher": other.teacher_name}, (), (other.uid,),
                    )
                )  # fmt: skip
            if (
                overlap
                and room_id is not None
                and not online
                and not other.online
                and (other.room_id == room_id)
            ):
                found.append(
                    Conflict(
                        ConflictKind.ROOM_DOUBLE, day,
                        N_("Room {room} would be booked for {group} and {other_group} at the "
                           "same time, from {date} on."),
                        {**params, "room": other.room_name}, (), (other.uid,),
                    )
                )  # fmt: skip
            if (
                not overlap and same_teacher and not online and not other.online
                and other.location_id != group.location_id
            ):  # fmt: skip
                gap = (
                    minutes_between(end, other.start_time)
                    if start < other.start_time
                    else minutes_between(other.end_time, start)
                )
                if gap < travel_minutes:
                    found.append(
                        Conflict(
                            ConflictKind.TRAVEL, day,
                            N_("{teacher} would have less than {minutes} minutes to travel "
                               "between {group} and {other_group}, from {date} on."),
                            {**params, "teacher": other.teacher_name, "minutes": travel_minutes},
                            (), (other.uid,),
                        )
                    )  # fmt: skip
            if overlap and other.group_id != group.id:
                conflict = _members_conflict(shared.get(other.group_id, []), both, weekday, params)
                if conflict is not None:
                    found.append(
                        Conflict(
                            conflict.kind, conflict.lesson_date, conflict.message_id,
                            conflict.params, (), (other.uid,),
                        )
                    )  # fmt: skip
    return sorted(found, key=lambda c: (c.lesson_date, c.kind.value, c.slot_uids))


def _other_slots(conn: Connection, weekday: int, uid: str | None) -> list[Any]:
    query = (
        select(
            SLOT.c.uid,
            SLOT.c.group_id,
            SLOT.c.start_time,
            SLOT.c.end_time,
            SLOT.c.teacher_id,
            SLOT.c.room_id,
            SLOT.c.online,
            SLOT.c.valid_from,
            SLOT.c.valid_to,
            GROUP.c.name.label("group_name"),
            GROUP.c.location_id,
            GROUP.c.start_date.label("group_start"),
            GROUP.c.end_date.label("group_end"),
            TEACHER.c.name.label("teacher_name"),
            ROOM.c.name.label("room_name"),
        )
        .select_from(
            SLOT.join(GROUP, GROUP.c.id == SLOT.c.group_id)
            .outerjoin(TEACHER, TEACHER.c.id == SLOT.c.teacher_id)
            .outerjoin(ROOM, ROOM.c.id == SLOT.c.room_id)
        )
        .where(SLOT.c.weekday == weekday)
        .order_by(GROUP.c.name, SLOT.c.start_time)
    )
    if uid is not None:
        query = query.where(SLOT.c.uid != uid)
    return list(conn.execute(query))


_Shared = tuple[str, date, date | None, date, date | None]


def _shared_members(conn: Connection, group_id: int) -> dict[int, list[_Shared]]:
    """Per other group: (name, own membership, other membership) of candidates in both."""
    own, other = MEMBERSHIP.alias("own"), MEMBERSHIP.alias("other")
    rows = conn.execute(
        select(
            other.c.group_id,
            CANDIDATE.c.voornamen,
            CANDIDATE.c.tussenvoegsel,
            CANDIDATE.c.achternaam,
            own.c.start_date,
            own.c.end_date,
            other.c.start_date,
            other.c.end_date,
        )
        .select_from(
            own.join(other, own.c.candidate_id == other.c.candidate_id).join(
                CANDIDATE, CANDIDATE.c.id == own.c.candidate_id
            )
        )
        .where(and_(own.c.group_id == group_id, other.c.group_id != group_id))
    )
    shared: dict[int, list[_Shared]] = defaultdict(list)
    for gid, first, tussen, last, s1, e1, s2, e2 in rows:
        shared[gid].append((display_name(first, tussen, last), s1, e1, s2, e2))
    return shared


def _members_conflict(
    members: list[_Shared], both: tuple[date, date | None], weekday: int, params: dict[str, Any]
) -> Conflict | None:
    names: set[str] = set()
    first: date | None = None
    for name, s1, e1, s2, e2 in members:
        window = period_window((both[0], s1, s2), (both[1], e1, e2))
        day = None if window is None else first_weekday(window[0], window[1], weekday)
        if day is not None:
            names.add(name)
            first = day if first is None else min(first, day)
    if first is None:
        return None
    return Conflict(
        ConflictKind.CANDIDATE_DOUBLE, first,
        N_("Candidates in both {group} and {other_group} would have two lessons at once, "
           "from {date} on: {names}."),
        {**params, "date": first.isoformat(), "names": names_text(names)}, (),
    )  # fmt: skip
