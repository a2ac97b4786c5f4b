"""What the scheduling services share: tables, ISO weeks, closed days, checks and audit rows.

The services read and write with SQLAlchemy Core on these tables (plain tuples, no
ORM object per row), so a year of lessons for hundreds of groups stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata
from kvds_desktop.errors import N_, UserError
from kvds_desktop.store.database import Database

TABLES = SQLModel.metadata.tables
LESSON: Table = TABLES["lesson"]
SLOT: Table = TABLES["timetable_slot"]
GROUP: Table = TABLES["study_group"]
MEMBERSHIP: Table = TABLES["group_membership"]
CLOSURE: Table = TABLES["closure"]
LOCATION: Table = TABLES["location"]
ROOM: Table = TABLES["room"]
TEACHER: Table = TABLES["teacher"]
KIND: Table = TABLES["activity_kind"]
MARK: Table = TABLES["attendance_mark"]
CANDIDATE: Table = TABLES["candidate"]
PROVIDER: Table = TABLES["provider"]
ASSESSMENT: Table = TABLES["assessment"]
AUDIT: Table = TABLES["audit_entry"]

MAX_PERIOD_DAYS = 5 * 366


def iso_week_dates(iso_year: int, iso_week: int) -> list[date]:
    """Monday to Sunday of an ISO week.

    Raises:
        UserError: the week does not exist (week 53 of a year with 52 weeks, ...).
    """
    try:
        monday = date.fromisocalendar(iso_year, iso_week, 1)
    except ValueError:
        raise UserError(
            N_("Week {week} of {year} does not exist."), week=iso_week, year=iso_year
        ) from None
    return [monday + timedelta(days=offset) for offset in range(7)]


def parse_iso_week(text: str) -> tuple[int, int]:
    """``(year, week)`` from ``2026-W49``, ``2026W49`` or ``2026-49``.

    Raises:
        ValueError: the text is not an existing ISO week.
    """
    cleaned = text.strip().upper().replace("W", "-").replace("--", "-")
    year_text, _, week_text = cleaned.partition("-")
    if not (year_text.isdigit() and week_text.isdigit() and len(year_text) == 4):
        raise ValueError(f"not an ISO week (2026-W49): {text!r}")
    year, week = int(year_text), int(week_text)
    date.fromisocalendar(year, week, 1)  # raises ValueError for a week that does not exist
    return year, week


def days(start: date, end: date) -> Iterator[date]:
    """Every date from ``start`` to ``end``, both included."""
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def first_weekday(start: date, end: date | None, weekday: int) -> date | None:
    """The first date from ``start`` on (up to ``end``) that falls on ISO ``weekday``."""
    day = start + timedelta(days=(weekday - start.isoweekday()) % 7)
    return day if end is None or day <= end else None


def clock_overlap(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    """Whether two times of day overlap (touching ends do not)."""
    return a_start < b_end and b_start < a_end


def minutes_between(earlier_end: time, later_start: time) -> int:
    """Whole minutes from one time of day to a later one (negative when they overlap)."""
    return (later_start.hour * 60 + later_start.minute) - (
        earlier_end.hour * 60 + earlier_end.minute
    )


def hhmm(value: time) -> str:
    """A time of day as ``09:30``."""
    return value.strftime("%H:%M")


def period_window(
    starts: Iterable[date | None], ends: Iterable[date | None]
) -> tuple[date, date | None] | None:
    """The intersection of several date windows (None: open); None when it is empty."""
    lo = max((d for d in starts if d is not None), default=date.min)
    his = [d for d in ends if d is not None]
    hi = min(his) if his else None
    if hi is not None and hi < lo:
        return None
    return lo, hi


def check_period(start: date, end: date) -> None:
    """Refuse a period that ends before it starts or spans more than five years."""
    if end < start:
        raise UserError(N_("The period ends before it starts."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise UserError(N_("Choose a period of at most five years."))


def check_times(start: time, end: time) -> None:
    """Refuse a lesson or slot that does not end after it starts."""
    if end <= start:
        raise UserError(
            N_("A lesson must end after it starts ({start}–{end})."),
            start=hhmm(start),
            end=hhmm(end),
        )


def parse_days(text: str) -> frozenset[int]:
    """ISO weekdays from ``"1,2,3"`` (anything else in the text is ignored)."""
    found = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit() and 1 <= int(part) <= 7:
            found.add(int(part))
    return frozenset(found)


@dataclass(frozen=True)
class GroupFacts:
    """The columns of a group the services need."""

    id: int
    uid: str
    name: str
    location_id: int
    start: date
    end: date | None
    capacity: int


def load_group(conn: Connection, uid: str) -> GroupFacts:
    """The group with ``uid``.

    Raises:
        UserError: no such group (it was deleted, or the list is stale).
    """
    row = conn.execute(
        select(
            GROUP.c.id,
            GROUP.c.uid,
            GROUP.c.name,
            GROUP.c.location_id,
            GROUP.c.start_date,
            GROUP.c.end_date,
            GROUP.c.capacity,
        ).where(GROUP.c.uid == uid)
    ).first()
    if row is None:
        raise UserError(N_("This group no longer exists; refresh the list."))
    return GroupFacts(*row)


def check_room(conn: Connection, room_id: int | None, location_id: int) -> None:
    """Refuse a room that does not exist or is at another location than the group."""
    if room_id is None:
        return
    row = conn.execute(select(ROOM.c.name, ROOM.c.location_id).where(ROOM.c.id == room_id)).first()
    if row is None:
        raise UserError(N_("This room does not exist; refresh the list."))
    if row.location_id != location_id:
        location = conn.execute(
            select(LOCATION.c.name).where(LOCATION.c.id == location_id)
        ).scalar()
        raise UserError(
            N_("Room {room} is not at the group's location {location}."),
            room=row.name,
            location=location or "",
        )


def check_kind(conn: Connection, kind_id: int) -> None:
    """Refuse an activity kind that does not exist."""
    if conn.execute(select(KIND.c.id).where(KIND.c.id == kind_id)).first() is None:
        raise UserError(N_("This activity kind does not exist; refresh the list."))


def check_teacher(conn: Connection, teacher_id: int | None) -> None:
    """Refuse a teacher that does not exist."""
    if teacher_id is None:
        return
    if conn.execute(select(TEACHER.c.id).where(TEACHER.c.id == teacher_id)).first() is None:
        raise UserError(N_("This teacher does not exist; refresh the list."))


class ClosedDays:
    """The closure days of every location within a period, with their names."""

    def __init__(self, rows: Iterable[tuple[int | None, date, date, str]], start: date, end: date):
        self._days: dict[int | None, dict[date, str]] = {}
        for location_id, first, last, name in rows:
            target = self._days.setdefault(location_id, {})
            for day in days(max(first, start), min(last, end)):
                target.setdefault(day, name)

    def closure(self, location_id: int | None, day: date) -> str | None:
        """The name of the closure on ``day`` at a location (or at all), else None."""
        name = self._days.get(None, {}).get(day)
        if name is None and location_id is not None:
            name = self._days.get(location_id, {}).get(day)
        return name

    def is_closed(self, location_id: int | None, day: date) -> bool:
        """Whether ``day`` is closed at the location (or at every location)."""
        return self.closure(location_id, day) is not None


def load_closed_days(conn: Connection, start: date, end: date) -> ClosedDays:
    """The closures that touch ``start``..``end``."""
    rows = conn.execute(
        select(CLOSURE.c.location_id, CLOSURE.c.date_from, CLOSURE.c.date_to, CLOSURE.c.name)
        .where(and_(CLOSURE.c.date_from <= end, CLOSURE.c.date_to >= start))
        .order_by(CLOSURE.c.date_from)
    )
    return ClosedDays(((r[0], r[1], r[2], r[3]) for r in rows), start, end)


def active_on(table: Table, day_column: Any) -> Any:
    """SQL: a membership of ``table`` is active on the date in ``day_column``."""
    return and_(
        table.c.start_date <= day_column,
        or_(table.c.end_date.is_(None), table.c.end_date >= day_column),
    )


def write_audit(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert audit rows in one executemany."""
    if rows:
        conn.execute(AUDIT.insert(), rows)


@contextmanager
def transaction(db: Database) -> Iterator[Connection]:
    """One unit of work on a Core connection: committed at the end, rolled back on error.

    Storage errors (locked, disk full, read-only) become StorageError, as with
    :meth:`Database.session`.
    """
    with db.session() as session:
        yield session.connection()
