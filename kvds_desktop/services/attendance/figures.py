"""Attendance figures of a candidate or a group over a period.

A lesson is *offered* to a candidate when it is held (not cancelled) in the period and
the candidate was in its group on that date, or has a mark in it. Hours come from the
lesson's start and end. A status that counts as present counts the lesson's hours as
*followed*, less the minutes late or left early recorded with the mark; an absence
counts them as excused or unexcused by its status; a lesson without a mark counts as
*unmarked* (pass an ``end`` up to today to leave future lessons out).

The database does the counting: one aggregate query per call, grouped by candidate,
activity category, online, lesson times and status, so a group's year is a few hundred
rows however many marks it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, union

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.common import (
    CANDIDATE,
    GROUP,
    KIND,
    LESSON,
    MARK,
    MEMBERSHIP,
    STATUS,
    lesson_hours,
    load_candidate_id,
    person_name,
    person_sort_key,
)
from kvds_desktop.services.scheduling.common import active_on, check_period
from kvds_desktop.store.database import Database

# Activity categories (kvds_desktop.domain.enums.ActivityCategory) whose followed hours
# count towards the Z-route counters.
Z_ROUTE_LANGUAGE_CATEGORIES = frozenset({"taal", "knm", "alfa"})
Z_ROUTE_PARTICIPATION_CATEGORIES = frozenset({"participatie", "training", "ona_map", "pvt"})


@dataclass
class AttendanceFigures:
    """One candidate's attendance over a period (hours as floats, rate 0..1)."""

    candidate_uid: str
    name: str
    lessons: int = 0
    present: int = 0
    late_count: int = 0
    excused_absences: int = 0
    unexcused_absences: int = 0
    unmarked: int = 0
    rate: float = 0.0  # present / marked lessons; 0.0 when nothing is marked
    hours_offered: float = 0.0
    hours_followed: float = 0.0
    hours_excused: float = 0.0
    hours_unexcused: float = 0.0
    by_category: dict[str, tuple[float, float]] = field(default_factory=dict)
    online_hours_followed: float = 0.0
    in_person_hours_followed: float = 0.0
    z_route_language_hours: float = 0.0
    z_route_participation_hours: float = 0.0

    @property
    def marked(self) -> int:
        """Lessons with a mark."""
        return self.present + self.excused_absences + self.unexcused_absences

    def _add(self, row: Any) -> None:
        count, hours = int(row.n), lesson_hours(row.start_time, row.end_time)
        offered = count * hours
        self.lessons += count
        self.hours_offered += offered
        followed = 0.0
        if row.status_id is None:
            self.unmarked += count
        elif row.counts_present:
            self.present += count
            self.late_count += count if row.counts_late else 0
            followed = max(0.0, offered - int(row.minutes or 0) / 60)
        elif row.excused:
            self.excused_absences += count
            self.hours_excused += offered
        else:
            self.unexcused_absences += count
            self.hours_unexcused += offered
        self.hours_followed += followed
        if row.online:
            self.online_hours_followed += followed
        else:
            self.in_person_hours_followed += followed
        category = str(row.category)
        was = self.by_category.get(category, (0.0, 0.0))
        self.by_category[category] = (was[0] + offered, was[1] + followed)
        if category in Z_ROUTE_LANGUAGE_CATEGORIES:
            self.z_route_language_hours += followed
        elif category in Z_ROUTE_PARTICIPATION_CATEGORIES:
            self.z_route_participation_hours += followed

    def _finish(self) -> AttendanceFigures:
        self.rate = self.present / self.marked if self.marked else 0.0
        return self


def _aggregate(conn: Connection, pairs: Any) -> dict[int, list[Any]]:
    """Per candidate id: the grouped rows of offered lessons with their marks."""
    p = pairs.subquery()
    query = (
        select(
            p.c.candidate_id, KIND.c.category, LESSON.c.online, LESSON.c.start_time,
            LESSON.c.end_time, MARK.c.status_id, STATUS.c.counts_present, STATUS.c.counts_late,
            STATUS.c.excused, func.count().label("n"),
            func.sum(func.coalesce(MARK.c.minutes, 0)).label("minutes"),
        )
        .select_from(
            p.join(LESSON, LESSON.c.id == p.c.lesson_id)
            .join(KIND, KIND.c.id == LESSON.c.activity_kind_id)
            .outerjoin(MARK, and_(MARK.c.lesson_id == p.c.lesson_id,
                                  MARK.c.candidate_id == p.c.candidate_id))
            .outerjoin(STATUS, STATUS.c.id == MARK.c.status_id)
        )
        .group_by(
            p.c.candidate_id, KIND.c.category, LESSON.c.online, LESSON.c.start_time,
            LESSON.c.end_time, MARK.c.status_id, STATUS.c.counts_present,
            STATUS.c.counts_late, STATUS.c.excused,
        )
    )  # fmt: skip
    grouped: dict[int, list[Any]] = {}
    for row in conn.execute(query):
        grouped.setdefault(int(row.candidate_id), []).append(row)
    return grouped


def _held(start: date, end: date) -> Any:
    return and_(LESSON.c.lesson_date.between(start, end), LESSON.c.cancelled.is_(False))


def _figures(
    conn: Connection, ids: list[int], grouped: dict[int, list[Any]]
) -> list[AttendanceFigures]:
    people = {
        int(r.id): r
        for r in conn.execute(
            select(
                CANDIDATE.c.id, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
                CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam,
            ).where(CANDIDATE.c.id.in_(ids))
        )
    }  # fmt: skip
    result = []
    for cid in sorted(
        people,
        key=lambda i: person_sort_key(
            people[i].voornamen, people[i].tussenvoegsel, people[i].achternaam
        ),
    ):
        r = people[cid]
        figures = AttendanceFigures(r.uid, person_name(r.voornamen, r.tussenvoegsel, r.achternaam))
        for row in grouped.get(cid, []):
            figures._add(row)
        result.append(figures._finish())
    return result


def figures_for_candidate(
    db: Database, candidate_uid: str, start: date, end: date
) -> AttendanceFigures:
    """A candidate's figures over ``start``..``end`` in every group.

    Raises:
        UserError: the candidate does not exist; the period is reversed or too long.
    """
    check_period(start, end)
    with db.engine.connect() as conn:
        cid = load_candidate_id(conn, candidate_uid)
        by_membership = (
            select(MEMBERSHIP.c.candidate_id, LESSON.c.id.label("lesson_id"))
            .select_from(
                MEMBERSHIP.join(
                    LESSON,
                    and_(LESSON.c.group_id == MEMBERSHIP.c.group_id,
                         active_on(MEMBERSHIP, LESSON.c.lesson_date)),
                )
            )
            .where(and_(MEMBERSHIP.c.candidate_id == cid, _held(start, end)))
        )  # fmt: skip
        by_mark = (
            select(MARK.c.candidate_id, MARK.c.lesson_id)
            .select_from(MARK.join(LESSON, LESSON.c.id == MARK.c.lesson_id))
            .where(and_(MARK.c.candidate_id == cid, _held(start, end)))
        )
        grouped = _aggregate(conn, union(by_membership, by_mark))
        return _figures(conn, [cid], grouped)[0]


def figures_for_group(
    db: Database, group_uid: str, start: date, end: date
) -> list[AttendanceFigures]:
    """The figures of every member of a group over a period, in the group's lessons.

    A member is anyone in the group for part of the period, or marked in its lessons;
    sorted by name.

    Raises:
        UserError: the group does not exist; the period is reversed or too long.
    """
    check_period(start, end)
    with db.engine.connect() as conn:
        gid = conn.execute(select(GROUP.c.id).where(GROUP.c.uid == group_uid)).scalar()
        if gid is None:
            raise UserError(N_("This group no longer exists; refresh the list."))
        by_membership = (
            select(MEMBERSHIP.c.candidate_id, LESSON.c.id.label("lesson_id"))
            .select_from(
                LESSON.join(
                    MEMBERSHIP,
                    and_(MEMBERSHIP.c.group_id == LESSON.c.group_id,
                         active_on(MEMBERSHIP, LESSON.c.lesson_date)),
                )
            )
            .where(and_(LESSON.c.group_id == gid, _held(start, end)))
        )  # fmt: skip
        by_mark = (
            select(MARK.c.candidate_id, MARK.c.lesson_id)
            .select_from(LESSON.join(MARK, MARK.c.lesson_id == LESSON.c.id))
            .where(and_(LESSON.c.group_id == gid, _held(start, end)))
        )
        grouped = _aggregate(conn, union(by_membership, by_mark))
        members = conn.execute(
            select(MEMBERSHIP.c.candidate_id).where(
                and_(
                    MEMBERSHIP.c.group_id == gid,
                    MEMBERSHIP.c.start_date <= end,
                    or_(MEMBERSHIP.c.end_date.is_(None), MEMBERSHIP.c.end_date >= start),
                )
            )
        ).scalars()
        ids = sorted({int(i) for i in members} | set(grouped))
        return _figures(conn, ids, grouped)
