"""What regrouping reads: a location's groups, their members' latest levels, the timetable.

A member's commitments in the coming weeks are the lessons of their other groups and
their placements on fixed weekdays. Clashes are found as the scheduling services find
them: only lessons that are given count (not cancelled, not on a closure day of the
group's location, see :mod:`~kvds_desktop.services.scheduling.free_days`); two lessons
clash when they overlap in time on one date
(:func:`~kvds_desktop.services.scheduling.common.clock_overlap`, as the candidate check
of :mod:`~kvds_desktop.services.scheduling.conflicts`); a placement takes its whole
weekdays (its ``days``, read with ``parse_days``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import Connection, and_, func, or_, select

from kvds_desktop.domain.enums import Level, level_rank
from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.regroup.bands import band_range
from kvds_desktop.services.scheduling.common import (
    ASSESSMENT,
    CANDIDATE,
    GROUP,
    LOCATION,
    MEMBERSHIP,
    TABLES,
    active_on,
    clock_overlap,
    load_closed_days,
    parse_days,
)
from kvds_desktop.services.scheduling.lesson_rows import lessons_between
from kvds_desktop.store.database import Database

PLACEMENT = TABLES["placement"]
LEVELS = frozenset(level.value for level in Level)
CHUNK = 900  # SQLite allows 999 bound parameters in one statement


@dataclass(frozen=True)
class Location:
    """The location whose groups are regrouped."""

    id: int
    uid: str
    name: str


@dataclass(frozen=True)
class GroupInfo:
    """A group of the location that runs on the reference date."""

    id: int
    uid: str
    name: str
    level_band: str
    band: tuple[int, int] | None  # steps on the level ladder; None: no readable band
    capacity: int
    end: date | None
    members: int  # current members


@dataclass(frozen=True)
class MemberInfo:
    """A current member of one of the location's groups, with their latest levels."""

    candidate_id: int
    candidate_uid: str
    name: str
    sort_key: str
    group_id: int
    levels: dict[str, str] = field(hash=False)  # skill -> latest level
    fixed: bool  # leaving the group already, or in more than one group here: not moved

    @property
    def ranks(self) -> dict[str, int]:
        """The latest levels as steps on the ladder."""
        return {skill: level_rank(level) for skill, level in self.levels.items()}


@dataclass(frozen=True)
class Clash:
    """Why a candidate cannot follow a group's lessons: the first date it clashes."""

    day: date
    placement: bool  # True: a placement on that weekday; False: a lesson of another group
    other_group: str  # the other group's name (empty for a placement)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def find_location(db: Database, location: str) -> Location:
    """The location named ``location`` (any case) or with that uid.

    Raises:
        UserError: no location has that name or uid (the known names are given).
    """
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(LOCATION.c.id, LOCATION.c.uid, LOCATION.c.name).order_by(LOCATION.c.name)
        ).all()
    wanted = " ".join(location.split()).casefold()
    for lid, uid, name in rows:
        if uid == location.strip() or name.casefold() == wanted:
            return Location(lid, uid, name)
    if not rows:
        raise UserError(N_("There are no locations yet."))
    raise UserError(
        N_("No location is called {name}. The locations are: {names}."),
        name=location,
        names=", ".join(row[2] for row in rows),
    )


def location_groups(conn: Connection, location_id: int, today: date) -> list[GroupInfo]:
    """The location's groups that run on ``today``, by name, with their member counts."""
    counts: dict[int, int] = dict(
        conn.execute(
            select(MEMBERSHIP.c.group_id, func.count())
            .select_from(MEMBERSHIP.join(GROUP, GROUP.c.id == MEMBERSHIP.c.group_id))
            .where(and_(GROUP.c.location_id == location_id, active_on(MEMBERSHIP, today)))
            .group_by(MEMBERSHIP.c.group_id)
        ).all()
    )
    rows = conn.execute(
        select(
            GROUP.c.id, GROUP.c.uid, GROUP.c.name, GROUP.c.level_band, GROUP.c.capacity,
            GROUP.c.end_date,
        )
        .where(and_(GROUP.c.location_id == location_id, active_on(GROUP, today)))
        .order_by(GROUP.c.name)
    )  # fmt: skip
    return [
        GroupInfo(gid, uid, name, band or "", band_range(band or ""), capacity, end,
                  int(counts.get(gid, 0)))
        for gid, uid, name, band, capacity, end in rows
    ]  # fmt: skip


def latest_levels(
    conn: Connection, candidate_ids: Sequence[int], today: date
) -> dict[int, dict[str, str]]:
    """Per candidate: per skill, the level of the latest assessment up to ``today``."""
    latest: dict[tuple[int, str], tuple[date, int, str]] = {}
    for ids in _chunks(sorted(set(candidate_ids))):
        rows = conn.execute(
            select(
                ASSESSMENT.c.candidate_id, ASSESSMENT.c.skill, ASSESSMENT.c.assessed_on,
                ASSESSMENT.c.id, ASSESSMENT.c.level,
            ).where(and_(ASSESSMENT.c.candidate_id.in_(ids), ASSESSMENT.c.assessed_on <= today))
        )  # fmt: skip
        for cid, skill, on, aid, level in rows:
            key = (cid, skill)
            if level in LEVELS and (key not in latest or latest[key][:2] < (on, aid)):
                latest[key] = (on, aid, level)
    levels: dict[int, dict[str, str]] = defaultdict(dict)
    for (cid, skill), (_on, _aid, level) in sorted(latest.items()):
        levels[cid][skill] = level
    return dict(levels)


def current_members(conn: Connection, groups: Sequence[GroupInfo], today: date) -> list[MemberInfo]:
    """The members of ``groups`` on ``today`` with their latest levels, by group and name.

    A member whose membership already has an end date, or who is in more than one of
    these groups, is ``fixed``: regrouping counts them but does not move them.
    """
    ids = [g.id for g in groups]
    if not ids:
        return []
    rows = conn.execute(
        select(
            MEMBERSHIP.c.group_id, MEMBERSHIP.c.end_date, CANDIDATE.c.id, CANDIDATE.c.uid,
            CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam,
        )
        .select_from(MEMBERSHIP.join(CANDIDATE, CANDIDATE.c.id == MEMBERSHIP.c.candidate_id))
        .where(and_(MEMBERSHIP.c.group_id.in_(ids), active_on(MEMBERSHIP, today)))
    ).all()  # fmt: skip
    per_candidate: dict[int, int] = defaultdict(int)
    for row in rows:
        per_candidate[row[2]] += 1
    levels = latest_levels(conn, list(per_candidate), today)
    order = {gid: index for index, gid in enumerate(ids)}
    members = [
        MemberInfo(
            candidate_id=cid, candidate_uid=uid, name=display_name(first, tussen, last),
            sort_key=sort_name(first, tussen, last), group_id=gid,
            levels=levels.get(cid, {}), fixed=end is not None or per_candidate[cid] > 1,
        )
        for gid, end, cid, uid, first, tussen, last in rows
    ]  # fmt: skip
    return sorted(members, key=lambda m: (order[m.group_id], m.sort_key, m.candidate_uid))


_Lesson = tuple[date, time, time]


class Timetable:
    """The given lessons of every group in a window, and candidates' commitments in it."""

    def __init__(self, db: Database, start: date, end: date, candidate_ids: Iterable[int]):
        """Read the window ``start``..``end`` for the candidates ``candidate_ids``."""
        self.start, self.end = start, end
        self.lessons: dict[int, list[_Lesson]] = defaultdict(list)
        self._on_day: dict[tuple[int, date], list[tuple[time, time]]] = defaultdict(list)
        self._memberships: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
        self._placements: dict[int, list[tuple[date, date | None, frozenset[int]]]] = defaultdict(
            list
        )
        rows = lessons_between(db, start, end)
        with db.engine.connect() as conn:
            groups = {
                r[0]: (r[1], r[2], r[3])
                for r in conn.execute(
                    select(GROUP.c.uid, GROUP.c.id, GROUP.c.location_id, GROUP.c.name)
                )
            }
            self.names = {gid: name for gid, _loc, name in groups.values()}
            closed = load_closed_days(conn, start, end)
            self._read_commitments(conn, sorted(set(candidate_ids)))
        for lesson in rows:
            gid, location_id, _name = groups[lesson.group_uid]
            if not lesson.cancelled and not closed.is_closed(location_id, lesson.lesson_date):
                self.lessons[gid].append((lesson.lesson_date, lesson.start, lesson.end))
                self._on_day[(gid, lesson.lesson_date)].append((lesson.start, lesson.end))

    def _read_commitments(self, conn: Connection, ids: Sequence[int]) -> None:
        for chunk in _chunks(ids):
            for cid, gid, first, last in conn.execute(
                select(
                    MEMBERSHIP.c.candidate_id, MEMBERSHIP.c.group_id, MEMBERSHIP.c.start_date,
                    MEMBERSHIP.c.end_date,
                ).where(
                    and_(
                        MEMBERSHIP.c.candidate_id.in_(chunk),
                        MEMBERSHIP.c.start_date <= self.end,
                        or_(MEMBERSHIP.c.end_date.is_(None), MEMBERSHIP.c.end_date >= self.start),
                    )
                )
            ):  # fmt: skip
                self._memberships[cid].append((gid, first, last))
            for cid, first, last, days in conn.execute(
                select(
                    PLACEMENT.c.candidate_id, PLACEMENT.c.start_date, PLACEMENT.c.end_date,
                    PLACEMENT.c.days,
                ).where(
                    and_(
                        PLACEMENT.c.candidate_id.in_(chunk),
                        PLACEMENT.c.start_date <= self.end,
                        or_(PLACEMENT.c.end_date.is_(None), PLACEMENT.c.end_date >= self.start),
                    )
                )
            ):  # fmt: skip
                weekdays = parse_days(days or "")
                if weekdays:
                    self._placements[cid].append((first, last, weekdays))

    def _placement_on(self, candidate_id: int, day: date) -> bool:
        return any(
            first <= day and (last is None or day <= last) and day.isoweekday() in weekdays
            for first, last, weekdays in self._placements.get(candidate_id, ())
        )

    def _busy(
        self, candidate_id: int, day: date, leaving: int, target: int
    ) -> Iterator[tuple[int, time, time]]:
        """Lessons on ``day`` of the candidate's other groups (not ``leaving``, ``target``)."""
        for gid, first, last in self._memberships.get(candidate_id, ()):
            if gid in (leaving, target) or day < first or (last is not None and day > last):
                continue
            for start, end in self._on_day.get((gid, day), ()):
                yield gid, start, end

    def clash(self, candidate_id: int, leaving: int, target: int, first_day: date) -> Clash | None:
        """The first clash of the group ``target``'s lessons with a candidate's commitments.

        Only lessons from ``first_day`` on count, and the lessons of the group the
        candidate is ``leaving`` are no commitment. None when nothing clashes.
        """
        for day, start, end in sorted(self.lessons.get(target, ())):
            if day < first_day:
                continue
            if self._placement_on(candidate_id, day):
                return Clash(day, True, "")
            for gid, other_start, other_end in self._busy(candidate_id, day, leaving, target):
                if clock_overlap(start, end, other_start, other_end):
                    return Clash(day, False, self.names.get(gid, ""))
        return None
