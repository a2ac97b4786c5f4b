"""Demo data for an empty database (``kvds demo``).

Two scales: ``pilot`` is a fictional dataset modelled on the pilot "Klaar voor de
Start" in Druten and Wijchen (2019 up to today), ``large`` is a benchmark dataset
(thousands of candidates, hundreds of groups, a million attendance marks). Everything
is drawn from one seeded random stream, so the same seed and the same ``today`` give
identical data; the generator never reads the clock.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.demo.large import build_large
from kvds_desktop.services.demo.pilot import build_pilot
from kvds_desktop.services.demo.writer import DemoCancelled, DemoWriter
from kvds_desktop.store import summaries
from kvds_desktop.store.database import Database
from kvds_desktop.store.server import align_sequences

__all__ = ["SCALES", "DemoCancelled", "DemoSummary", "accepts_demo", "generate_demo"]

SCALES = ("pilot", "large")


@dataclass(frozen=True)
class DemoSummary:
    """What a generation wrote: rows per table, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _holds_data(conn: Connection) -> bool:
    for name in ("candidate", "study_group", "lesson"):
        table = SQLModel.metadata.tables[name]
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            return True
    return False


def accepts_demo(db: Database) -> bool:
    """Whether demo data can go into ``db`` (no candidates, groups or lessons yet)."""
    with db.engine.connect() as conn:
        return not _holds_data(conn)


def _refuse_non_empty(conn: Connection, db: Database) -> None:
    if _holds_data(conn):
        raise UserError(
            N_(
                "The database {path} already holds data; demo data goes only into an "
                "empty database. Create a new one with 'kvds --db NEW init'."
            ),
            path=db.where,
        )


def generate_demo(
    db: Database,
    *,
    scale: str = "pilot",
    seed: int = 2019,
    today: date,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Fill an empty database with fictional demo data, in one transaction.

    Args:
        db: an opened, migrated database without candidates.
        scale: ``"pilot"`` (realistic, a few hundred candidates) or ``"large"``
            (benchmark: at least 5,000 candidates, 300 groups, 1,000,000 marks).
        seed: seed of the random stream; the same seed and ``today`` give the same data.
        today: the day the data is seen from; lessons run four weeks beyond it, marks
            and outcomes stop at it.
        progress: called now and then with a fraction from 0 to 1 and a stage id.
        cancelled: polled between chunks; when it returns True, generation stops.

    Returns:
        The rows written per table and the seconds taken.

    Raises:
        UserError: the database already holds candidates, groups or lessons.
        DemoCancelled: ``cancelled()`` returned True; nothing was written.
        StorageError: the database could not be written (locked, disk full, ...).
        ValueError: an unknown scale.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown demo scale {scale!r}; choose one of {', '.join(SCALES)}")
    started = time.perf_counter()
    try:
        with db.engine.begin() as conn:
            _refuse_non_empty(conn, db)
            # a bulk load: the month summary is made once at the end, not row by row
            summaries.drop_triggers(conn)
            writer = DemoWriter(conn, random.Random(seed), progress, cancelled)
            writer.check_cancelled()
            if scale == "pilot":
                build_pilot(writer, today)
            else:
                build_large(writer, today)
            writer.flush()
            counts = dict(sorted(writer.counts.items()))
            _write_audit(writer, scale, seed, today, counts)
            writer.flush()
            summaries.rebuild_attendance_months(conn)
            summaries.create_triggers(conn)
            align_sequences(conn)
    except DBAPIError as exc:
        error = db.classify(exc)
        if error is None:
            raise
        raise error from exc
    if progress is not None:
        progress(1.0, "done")
    return DemoSummary(dict(sorted(writer.counts.items())), time.perf_counter() - started)


def _write_audit(w: DemoWriter, scale: str, seed: int, today: date, counts: dict[str, int]) -> None:
    w.add(
        "audit_entry",
        {
            "id": w.next_id("audit_entry"),
            "uid": w.uid(),
            "at": datetime.combine(today, clock(12, 0), tzinfo=UTC),
            "actor": "demo",
            "device": "",
            "action": "demo.generate",
            "table_name": "*",
            "record_uid": "",
            "old_values": "",
            "new_values": json.dumps(
                {"scale": scale, "seed": seed, "today": today.isoformat(), "counts": counts},
                sort_keys=True,
            ),
            "result": "ok",
        },
    )
