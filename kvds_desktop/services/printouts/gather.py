"""Reading what a printed week shows, for one group or many at once.

A handful of queries serve any number of groups (lessons, memberships, marks and
closures of the whole week), so printing every group of a large organisation costs
about as much per group as printing one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, or_, select

from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.reports.model import (
    Bilingual,
    ClosureItem,
    GroupWeek,
    LessonItem,
    MemberItem,
    StatusItem,
)
from kvds_desktop.services.attendance import list_statuses
from kvds_desktop.services.attendance.common import MARK, STATUS
from kvds_desktop.services.scheduling import LessonRow, iso_week_dates, lessons_between
from kvds_desktop.services.scheduling.closures import ClosureRow, list_closures
from kvds_desktop.services.scheduling.common import CANDIDATE, GROUP, LESSON, LOCATION, MEMBERSHIP
from kvds_desktop.store.database import Database

CHUNK = 900  # SQLite's limit on bound parameters, with room to spare


@dataclass(frozen=True)
class GroupHead:
    """The columns of a group a printed week needs."""

    id: int
    uid: str
    name: str
    level_band: str
    location_id: int
    location: str


def week_dates(week: tuple[int, int]) -> list[date]:
    """Monday to Sunday of ``(iso_year, iso_week)``.

    Raises:
        UserError: the week does not exist.
    """
    return iso_week_dates(*week)


def _heads(conn: Connection, where: Any, days: Sequence[date]) -> list[GroupHead]:
    rows = conn.execute(
        select(
            GROUP.c.id, GROUP.c.uid, GROUP.c.name, GROUP.c.level_band, GROUP.c.location_id,
            LOCATION.c.name,
        )
        .select_from(GROUP.join(LOCATION, LOCATION.c.id == GROUP.c.location_id))
        .where(where)
        .where(GROUP.c.start_date <= days[-1])
        .where(or_(GROUP.c.end_date.is_(None), GROUP.c.end_date >= days[0]))
        .order_by(LOCATION.c.name, GROUP.c.name)
    )  # fmt: skip
    return [GroupHead(r[0], r[1], r[2], r[3] or "", r[4], r[5]) for r in rows]


def group_head(db: Database, group_uid: str) -> GroupHead:
    """The group with ``group_uid`` (also when it does not run in the week).

    Raises:
        UserError: no such group.
    """
    with db.engine.connect() as conn:
        found = _heads(conn, GROUP.c.uid == group_uid, [date.min, date.max])
    if not found:
        raise UserError(N_("This group no longer exists; refresh the list."))
    return found[0]


def find_location(db: Database, location: str) -> tuple[int, str]:
    """The id and name of the location called ``location`` (any case) or with that uid.

    Raises:
        UserError: no location has that name (the names there are are given).
    """
    with db.engine.connect() as conn:
        rows = conn.execute(select(LOCATION.c.id, LOCATION.c.uid, LOCATION.c.name)).all()
    wanted = location.strip().casefold()
    match = [r for r in rows if r[2].casefold() == wanted or r[1] == location.strip()]
    if not match:
        raise UserError(
            N_("No location is called {name}. Locations: {names}."),
            name=location,
            names=", ".join(sorted(r[2] for r in rows)),
        )
    return int(match[0][0]), str(match[0][2])


def all_heads(
    db: Database, days: Sequence[date], location_id: int | None = None
) -> list[GroupHead]:
    """The groups that run in the week (at one location when given), by location and name."""
    where = GROUP.c.location_id == location_id if location_id is not None else GROUP.c.id > 0
    with db.engine.connect() as conn:
        return _heads(conn, where, days)


def lesson_item(row: LessonRow, present: int | None) -> LessonItem:
    """The printable form of a lesson row; ``present`` from the marks (None: no marks)."""
    return LessonItem(
        uid=row.uid, day=row.lesson_date, start=row.start, end=row.end,
        activity_code=row.activity_code,
        activity=Bilingual(row.activity_name_nl, row.activity_name_en),
        teacher=row.teacher_name, room=row.room_name, online=row.online,
        cancelled=row.cancelled, cancel_reason=row.cancel_reason, present=present,
    )  # fmt: skip


def _members(
    conn: Connection, group_ids: Sequence[int], days: Sequence[date]
) -> dict[int, list[MemberItem]]:
    """Per group: the candidates who belong to it on at least one day of the week, by name."""
    found: dict[int, dict[str, tuple[str, MemberItem]]] = defaultdict(dict)
    for start in range(0, len(group_ids), CHUNK):
        rows = conn.execute(
            select(
                MEMBERSHIP.c.group_id, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
                CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam, CANDIDATE.c.klantnummer,
                MEMBERSHIP.c.start_date, MEMBERSHIP.c.end_date,
            )
            .select_from(MEMBERSHIP.join(CANDIDATE, CANDIDATE.c.id == MEMBERSHIP.c.candidate_id))
            .where(MEMBERSHIP.c.group_id.in_(group_ids[start : start + CHUNK]))
            .where(MEMBERSHIP.c.start_date <= days[-1])
            .where(or_(MEMBERSHIP.c.end_date.is_(None), MEMBERSHIP.c.end_date >= days[0]))
            .where(CANDIDATE.c.merged_into_id.is_(None))
        )  # fmt: skip
        for gid, uid, first, middle, last, klantnummer, since, until in rows:
            known = found[gid].get(uid)
            if known is not None:  # two memberships in one week: keep the widest span
                old = known[1]
                since = min(since, old.since)
                until = None if until is None or old.until is None else max(until, old.until)
            member = MemberItem(
                uid=uid, name=display_name(first or "", middle, last or ""),
                short_id=klantnummer or uid[:8], since=since, until=until,
            )  # fmt: skip
            found[gid][uid] = (sort_name(first or "", middle, last or "").casefold(), member)
    return {
        gid: [member for _key, member in sorted(items.values(), key=lambda kv: (kv[0], kv[1].uid))]
        for gid, items in found.items()
    }


def _marks(
    conn: Connection, lesson_uids: Sequence[str]
) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Per candidate uid: lesson uid -> status code; per lesson uid: how many were present."""
    codes: dict[str, dict[str, str]] = defaultdict(dict)
    present: dict[str, int] = {}
    for start in range(0, len(lesson_uids), CHUNK):
        rows = conn.execute(
            select(LESSON.c.uid, CANDIDATE.c.uid, STATUS.c.code, STATUS.c.counts_present)
            .select_from(
                MARK.join(LESSON, LESSON.c.id == MARK.c.lesson_id)
                .join(CANDIDATE, CANDIDATE.c.id == MARK.c.candidate_id)
                .join(STATUS, STATUS.c.id == MARK.c.status_id)
            )
            .where(LESSON.c.uid.in_(lesson_uids[start : start + CHUNK]))
        )
        for lesson_uid, candidate_uid, code, counts in rows:
            codes[candidate_uid][lesson_uid] = code
            present[lesson_uid] = present.get(lesson_uid, 0) + (1 if counts else 0)
    return codes, present


def _closures(rows: Sequence[ClosureRow], location_id: int) -> tuple[ClosureItem, ...]:
    return tuple(
        ClosureItem(r.date_from, r.date_to, r.name)
        for r in rows
        if r.location_id is None or r.location_id == location_id
    )


def list_closures_at(
    db: Database, days: Sequence[date], location_id: int
) -> tuple[ClosureItem, ...]:
    """The closures touching ``days`` at a location (including those of every location)."""
    return _closures(list_closures(db, days[0], days[-1]), location_id)


def statuses(db: Database) -> tuple[StatusItem, ...]:
    """The active attendance statuses for the legend."""
    return tuple(StatusItem(s.code, Bilingual(s.label_nl, s.label_en)) for s in list_statuses(db))


def group_weeks(db: Database, heads: Sequence[GroupHead], week: tuple[int, int]) -> list[GroupWeek]:
    """The printed content of each group in ``heads`` for the ISO week ``week``.

    Raises:
        UserError: the week does not exist.
    """
    days = week_dates(week)
    only = heads[0].uid if len(heads) == 1 else None
    wanted = {head.uid for head in heads}
    lessons: dict[str, list[LessonRow]] = defaultdict(list)
    for row in lessons_between(db, days[0], days[-1], group_uid=only):
        if row.group_uid in wanted:
            lessons[row.group_uid].append(row)
    closures = list_closures(db, days[0], days[-1])
    legend = statuses(db)
    with db.engine.connect() as conn:
        members = _members(conn, [head.id for head in heads], days)
        codes, present = _marks(conn, [r.uid for rows in lessons.values() for r in rows])
    result = []
    for head in heads:
        group_members = tuple(
            MemberItem(m.uid, m.name, m.short_id, m.since, m.until, codes.get(m.uid, {}))
            for m in members.get(head.id, [])
        )
        result.append(
            GroupWeek(
                group_uid=head.uid, group_name=head.name, level_band=head.level_band,
                location=head.location, iso_year=week[0], iso_week=week[1], days=tuple(days),
                lessons=tuple(lesson_item(r, present.get(r.uid)) for r in lessons[head.uid]),
                members=group_members, closures=_closures(closures, head.location_id),
                statuses=legend,
            )
        )  # fmt: skip
    return result


__all__ = [
    "GroupHead",
    "all_heads",
    "find_location",
    "group_head",
    "group_weeks",
    "lesson_item",
    "list_closures_at",
    "statuses",
    "week_dates",
]
