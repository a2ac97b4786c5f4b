"""Conflicts in the lessons of a period.

A teacher or a room in two lessons at once; a candidate in two lessons at once
through two groups (on a date both memberships hold); a teacher at two locations on
one day without the travel time between the lessons; a lesson on a closure day; a
teacher outside their available days or hours. Cancelled lessons never conflict.

The lessons are read once, sorted by teacher, date and start, and swept in Python:
a year of lessons of hundreds of groups takes well under a few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum
from itertools import groupby
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select

from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import N_
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    LESSON,
    LOCATION,
    MEMBERSHIP,
    ROOM,
    TEACHER,
    check_period,
    clock_overlap,
    hhmm,
    load_closed_days,
    minutes_between,
    parse_days,
    period_window,
)
from kvds_desktop.store.database import Database

MAX_NAMES = 6


class ConflictKind(StrEnum):
    """What kind of conflict."""

    TEACHER_DOUBLE = "teacher_double"
    ROOM_DOUBLE = "room_double"
    CANDIDATE_DOUBLE = "candidate_double"
    TRAVEL = "travel"
    CLOSURE = "closure"
    TEACHER_UNAVAILABLE = "teacher_unavailable"


@dataclass(frozen=True)
class Conflict:
    """One conflict, with a message id and its parameters for the user's language.

    ``lesson_uids`` name the lessons involved; a conflict a slot would cause (from
    :func:`timetable.slot_conflicts_preview`) names the other slots in ``slot_uids``
    instead, and its ``lesson_date`` is the first day it would happen.
    """

    kind: ConflictKind
    lesson_date: date
    message_id: str
    params: dict[str, Any] = field(hash=False)
    lesson_uids: tuple[str, ...]
    slot_uids: tuple[str, ...] = ()

    def render(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of ``gettext``."""
        return gettext(self.message_id).format(**self.params)


class _L(NamedTuple):
    uid: str
    day: date
    start: time
    end: time
    teacher_id: int | None
    room_id: int | None
    online: bool
    group_id: int


def names_text(names: Iterable[str]) -> str:
    """Up to six names joined with commas, then an ellipsis."""
    ordered = sorted(names)
    shown = ", ".join(ordered[:MAX_NAMES])
    return shown + (", …" if len(ordered) > MAX_NAMES else "")


def _pairs(items: Iterable[_L]) -> Iterator[tuple[_L, _L]]:
    """Pairs of lessons that overlap in time, from lessons of one day sorted by start."""
    active: list[_L] = []
    for item in items:
        active = [a for a in active if a.end > item.start]
        for other in active:
            yield other, item
        active.append(item)


class _Finder:
    def __init__(self, db: Database, start: date, end: date, travel_minutes: int) -> None:
        self.travel_minutes = travel_minutes
        self.found: list[Conflict] = []
        with db.engine.connect() as conn:
            self.lessons = [
                _L(*row)
                for row in conn.execute(
                    select(
                        LESSON.c.uid,
                        LESSON.c.lesson_date,
                        LESSON.c.start_time,
                        LESSON.c.end_time,
                        LESSON.c.teacher_id,
                        LESSON.c.room_id,
                        LESSON.c.online,
                        LESSON.c.group_id,
                    )
                    .where(
                        and_(
                            LESSON.c.cancelled.is_(False), LESSON.c.lesson_date.between(start, end)
                        )
                    )
                    .order_by(LESSON.c.teacher_id, LESSON.c.lesson_date, LESSON.c.start_time)
                )
            ]
            self.groups = {
                r.id: (r.name, r.location_id)
                for r in conn.execute(select(GROUP.c.id, GROUP.c.name, GROUP.c.location_id))
            }
            self.locations = {
                r[0]: r[1] for r in conn.execute(select(LOCATION.c.id, LOCATION.c.name))
            }
            self.rooms = {r[0]: r[1] for r in conn.execute(select(ROOM.c.id, ROOM.c.name))}
            self.teachers = {
                r.id: r
                for r in conn.execute(
                    select(
                        TEACHER.c.id,
                        TEACHER.c.name,
                        TEACHER.c.available_days,
                        TEACHER.c.available_from,
                        TEACHER.c.available_until,
                    )
                )
            }
            self.closed = load_closed_days(conn, start, end)
            self.memberships = self._membership_pairs(conn, start, end)

    def add(
        self, kind: ConflictKind, day: date, message: str, uids: tuple[str, ...], **params: Any
    ) -> None:
        self.found.append(Conflict(kind, day, message, {"date": day.isoformat(), **params}, uids))

    def group(self, lesson: _L) -> str:
        return str(self.groups[lesson.group_id][0])

    def location(self, lesson: _L) -> str:
        return str(self.locations.get(self.groups[lesson.group_id][1], ""))

    def teacher_checks(self) -> None:
        for (teacher_id, _day), same_day in groupby(
            (x for x in self.lessons if x.teacher_id is not None),
            key=lambda x: (x.teacher_id, x.day),
        ):
            lessons = list(same_day)
            teacher = self.teachers[teacher_id]
            for a, b in _pairs(lessons):
                self.add(
                    ConflictKind.TEACHER_DOUBLE, a.day,
                    N_("{teacher} teaches {group} and {other_group} at the same time on {date} "
                       "({start}–{end})."),
                    (a.uid, b.uid), teacher=teacher.name, group=self.group(a),
                    other_group=self.group(b), start=hhmm(b.start), end=hhmm(min(a.end, b.end)),
                )  # fmt: skip
            self._travel(teacher.name, lessons)
            self._availability(teacher, lessons)

    def _travel(self, teacher: str, lessons: list[_L]) -> None:
        previous: _L | None = None
        for lesson in (x for x in lessons if not x.online):
            if previous is not None:
                gap = minutes_between(previous.end, lesson.start)
                there, here = self.groups[previous.group_id][1], self.groups[lesson.group_id][1]
                if there != here and 0 <= gap < self.travel_minutes:
                    self.add(
                        ConflictKind.TRAVEL, lesson.day,
                        N_("{teacher} teaches in {location} until {end} and in {other_location} "
                           "from {start} on {date}: less than {minutes} minutes to travel."),
                        (previous.uid, lesson.uid), teacher=teacher,
                        location=self.location(previous), other_location=self.location(lesson),
                        end=hhmm(previous.end), start=hhmm(lesson.start),
                        minutes=self.travel_minutes,
                    )  # fmt: skip
            if previous is None or lesson.end > previous.end:
                previous = lesson

    def _availability(self, teacher: Any, lessons: list[_L]) -> None:
        available = parse_days(teacher.available_days or "")
        for lesson in lessons:
            if (
                lesson.day.isoweekday() not in available
                or lesson.start < teacher.available_from
                or lesson.end > teacher.available_until
            ):
                self.add(
                    ConflictKind.TEACHER_UNAVAILABLE, lesson.day,
                    N_("{teacher} is not available for the lesson of {group} on {date} "
                       "({start}–{end})."),
                    (lesson.uid,), teacher=teacher.name, group=self.group(lesson),
                    start=hhmm(lesson.start), end=hhmm(lesson.end),
                )  # fmt: skip

    def room_checks(self) -> None:
        booked = sorted(
            (x for x in self.lessons if x.room_id is not None and not x.online),
            key=lambda x: (x.room_id, x.day, x.start),
        )
        for (room_id, _day), same_day in groupby(booked, key=lambda x: (x.room_id, x.day)):
            for a, b in _pairs(same_day):
                self.add(
                    ConflictKind.ROOM_DOUBLE, a.day,
                    N_("Room {room} is booked for {group} and {other_group} at the same time on "
                       "{date} ({start}–{end})."),
                    (a.uid, b.uid), room=self.rooms.get(room_id, ""), group=self.group(a),
                    other_group=self.group(b), start=hhmm(b.start), end=hhmm(min(a.end, b.end)),
                )  # fmt: skip

    def closure_checks(self) -> None:
        for lesson in self.lessons:
            name = self.closed.closure(self.groups[lesson.group_id][1], lesson.day)
            if name is not None:
                self.add(
                    ConflictKind.CLOSURE, lesson.day,
                    N_("{group} has a lesson on {date}, but {location} is closed: {closure}."),
                    (lesson.uid,), group=self.group(lesson), location=self.location(lesson),
                    closure=name,
                )  # fmt: skip

    @staticmethod
    def _membership_pairs(
        conn: Any, start: date, end: date
    ) -> dict[tuple[int, int], list[tuple[int, date, date]]]:
        """Per pair of groups: candidates in both, with the days both memberships hold."""
        m1, m2 = MEMBERSHIP.alias("m1"), MEMBERSHIP.alias("m2")
        far = date(9999, 12, 31)

        def touches(m: Any) -> Any:
            return and_(m.c.start_date <= end, or_(m.c.end_date.is_(None), m.c.end_date >= start))

        rows = conn.execute(
            select(
                m1.c.candidate_id,
                m1.c.group_id,
                m2.c.group_id,
                m1.c.start_date,
                m2.c.start_date,
                m1.c.end_date,
                m2.c.end_date,
            )
            .select_from(
                m1.join(
                    m2, and_(m1.c.candidate_id == m2.c.candidate_id, m1.c.group_id < m2.c.group_id)
                )
            )
            .where(touches(m1), touches(m2))
            .where(m1.c.start_date <= func.coalesce(m2.c.end_date, far))
            .where(m2.c.start_date <= func.coalesce(m1.c.end_date, far))
        )
        pairs: dict[tuple[int, int], list[tuple[int, date, date]]] = defaultdict(list)
        for cid, g1, g2, s1, s2, e1, e2 in rows:
            window = period_window((s1, s2, start), (e1, e2, end))
            if window is not None and window[1] is not None:
                pairs[(g1, g2)].append((cid, window[0], window[1]))
        return pairs

    def candidate_checks(self, db: Database) -> None:
        if not self.memberships:
            return
        by_group_day: dict[tuple[int, date], list[_L]] = defaultdict(list)
        days_of: dict[int, set[date]] = defaultdict(set)
        for lesson in self.lessons:
            by_group_day[(lesson.group_id, lesson.day)].append(lesson)
            days_of[lesson.group_id].add(lesson.day)
        found: list[tuple[_L, _L, list[int]]] = []
        for (g1, g2), windows in self.memberships.items():
            first = min(w[1] for w in windows)
            last = max(w[2] for w in windows)
            for day in sorted(d for d in days_of[g1] if first <= d <= last):
                others = by_group_day.get((g2, day))
                if not others:
                    continue
                who = [cid for cid, lo, hi in windows if lo <= day <= hi]
                if not who:
                    continue
                for a in by_group_day[(g1, day)]:
                    for b in others:
                        if clock_overlap(a.start, a.end, b.start, b.end):
                            found.append((a, b, who))
        names = self._candidate_names(db, {cid for _, _, who in found for cid in who})
        for a, b, who in found:
            self.add(
                ConflictKind.CANDIDATE_DOUBLE, a.day,
                N_("Candidates in both {group} and {other_group} have two lessons at once on "
                   "{date} ({start}–{end}): {names}."),
                (a.uid, b.uid), group=self.group(a), other_group=self.group(b),
                start=hhmm(max(a.start, b.start)), end=hhmm(min(a.end, b.end)),
                names=names_text(names[cid] for cid in who),
            )  # fmt: skip

    @staticmethod
    def _candidate_names(db: Database, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        with db.engine.connect() as conn:
            rows = conn.execute(
                select(
                    CANDIDATE.c.id, CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel,
                    CANDIDATE.c.achternaam,
                ).where(CANDIDATE.c.id.in_(sorted(ids)))
            )  # fmt: skip
            return {r[0]: display_name(r[1], r[2], r[3]) for r in rows}


ORDER = {kind: index for index, kind in enumerate(ConflictKind)}


def find_conflicts(
    db: Database, *, start: date, end: date, travel_minutes: int = 30
) -> list[Conflict]:
    """Every conflict in the lessons from ``start`` to ``end``, by date and kind.

    Raises:
        UserError: the period ends before it starts or is longer than five years.
    """
    check_period(start, end)
    finder = _Finder(db, start, end, max(0, travel_minutes))
    finder.teacher_checks()
    finder.room_checks()
    finder.closure_checks()
    finder.candidate_checks(db)
    return sorted(finder.found, key=lambda c: (c.lesson_date, ORDER[c.kind], c.lesson_uids))
