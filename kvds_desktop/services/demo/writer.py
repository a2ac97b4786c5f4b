"""Buffered bulk writing for the demo generator.

Rows are plain dicts with every column of their table, keyed by preassigned integer
ids, and are written with SQLAlchemy Core ``insert(table)`` in chunks (executemany,
no RETURNING). Buffers are flushed in foreign-key order, so a child row never reaches
the database before its parent. Between chunks the writer asks whether the user
cancelled, and reports progress.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata

Row = dict[str, Any]
ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]

CHUNK_ROWS = 20_000
SOURCE = "demo"


class DemoCancelled(Exception):
    """The user cancelled the demo generation; nothing was written."""


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


_DST_CACHE: dict[int, tuple[date, date]] = {}


def local_to_utc(day: date, clock: time) -> datetime:
    """Turn a wall-clock time in the Netherlands into an aware UTC datetime.

    Summer time runs from the last Sunday of March to the last Sunday of October; the
    switch hour itself does not matter for lesson and office times.
    """
    bounds = _DST_CACHE.get(day.year)
    if bounds is None:
        bounds = (_last_sunday(day.year, 3), _last_sunday(day.year, 10))
        _DST_CACHE[day.year] = bounds
    offset = 2 if bounds[0] <= day < bounds[1] else 1
    return datetime.combine(day, clock, tzinfo=UTC) - timedelta(hours=offset)


def random_uid(rng: random.Random) -> str:
    """A version-4 UUID drawn from ``rng`` (so a seed gives the same identifiers)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class DemoWriter:
    """Owns the random stream, the id counters and the row buffers of one generation."""

    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        progress: ProgressFn | None = None,
        cancelled: CancelledFn | None = None,
    ) -> None:
        self.conn = conn
        self.rng = rng
        self._progress = progress
        self._cancelled = cancelled
        self._order: list[Table] = [
            t for t in SQLModel.metadata.sorted_tables if t.name != "alembic_version"
        ]
        self._tables = {t.name: t for t in self._order}
        self._next_id: dict[str, int] = {}
        self._buffers: dict[str, list[Row]] = {t.name: [] for t in self._order}
        self._checked: set[str] = set()
        self._buffered = 0
        self.counts: dict[str, int] = {}
        self._fraction = 0.0

    # --- identifiers ---------------------------------------------------------------

    def uid(self) -> str:
        """A version-4 UUID drawn from the seeded random stream."""
        return random_uid(self.rng)

    def next_id(self, table: str) -> int:
        """The next free integer key of ``table`` (counting on from rows already there)."""
        current = self._next_id.get(table)
        if current is None:
            column = self._tables[table].c.id
            current = int(
                self.conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one()
            )
        current += 1
        self._next_id[table] = current
        return current

    def existing(self, table: str, key: str) -> dict[str, int]:
        """Rows already in ``table`` as ``{key value: id}`` (for vocabularies to reuse)."""
        t = self._tables[table]
        result = self.conn.execute(select(t.c[key], t.c.id).order_by(t.c.id))
        return {str(k): int(i) for k, i in result}

    # --- buffering -----------------------------------------------------------------

    def add(self, table: str, row: Row) -> None:
        """Queue one complete row; flushes everything when the buffers are full.

        A parent row must be added before its children: a flush may come between.
        """
        self._buffers[table].append(row)
        self._buffered += 1
        if self._buffered >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write every buffered row, parents before children, then poll for cancel."""
        for table in self._order:
            rows = self._buffers[table.name]
            if not rows:
                continue
            self._check_columns(table, rows[0])
            for start in range(0, len(rows), CHUNK_ROWS):
                self.conn.execute(insert(table), rows[start : start + CHUNK_ROWS])
            self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
            self._buffers[table.name] = []
        self._buffered = 0
        self.check_cancelled()

    def _check_columns(self, table: Table, row: Row) -> None:
        if table.name in self._checked:
            return
        expected = {c.name for c in table.columns}
        optional = {c.name for c in table.columns if c.server_default is not None}  # version
        if set(row) - expected or expected - optional - set(row):
            missing = sorted(expected - optional - set(row))
            extra = sorted(set(row) - expected)
            raise RuntimeError(f"demo row for {table.name}: missing {missing}, unknown {extra}")
        self._checked.add(table.name)

    # --- progress and cancel ---------------------------------------------------------

    def check_cancelled(self) -> None:
        """Raise :class:`DemoCancelled` when the caller asks to stop."""
        if self._cancelled is not None and self._cancelled():
            raise DemoCancelled()

    def progress(self, fraction: float, stage: str) -> None:
        """Report progress (never backwards) and poll for cancel."""
        self._fraction = max(self._fraction, min(1.0, fraction))
        if self._progress is not None:
            self._progress(self._fraction, stage)
        self.check_cancelled()
