"""The large dataset on PostgreSQL against SQLite, in the same run.

The large demo database (a SQLite file) is copied with ``copy_database`` into a new
database on a PostgreSQL server (rows and seconds of the copy are reported); then the
dashboard (``compute_kpis`` over the pilot's window, 5 runs), the register of the past
lesson with the most marks (``open_register``, 20 runs) and the matching proposal
(``propose_matches``, 3 runs) are timed on both stores: median and max, and the ratio
PostgreSQL / SQLite of the medians. Both stores must give the same answers.

The server is the one in ``KVDS_TEST_POSTGRES`` (its maintenance database's URL), or
``--postgres URL`` when run directly; the bench creates its own database there and
drops it at the end. Without a server it reports that it was skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

SERVER_ENV = "KVDS_TEST_POSTGRES"
RUNS = {"kpi": 5, "register": 20, "proposal": 3}


@contextmanager
def _server_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the server for this run; dropped afterwards."""
    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = f"kvds_bench_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


def _timed(work: Callable[[], Any], runs: int) -> tuple[Any, list[float]]:
    """The last result of ``runs`` calls, and each call's time in ms."""
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - began) * 1000)
    return result, times


def _busiest_lesson(db: Any, today: date) -> str:
    with db.engine.connect() as conn:
        return str(
            conn.execute(
                text(
                    "SELECT l.uid FROM attendance_mark m JOIN lesson l ON l.id = m.lesson_id "
                    "WHERE l.lesson_date <= :today GROUP BY l.id, l.uid "
                    "ORDER BY count(*) DESC, l.id LIMIT 1"
                ),
                {"today": today},
            ).scalar_one()
        )


def _measure(db: Any, lesson_uid: str) -> tuple[dict[str, list[float]], dict[str, object]]:
    """Times of the three operations on ``db``, and what they answered (to compare)."""
    from bench.datasets import TODAY
    from kvds_desktop.services import attendance as att
    from kvds_desktop.services.kpi import compute_kpis
    from kvds_desktop.services.work import proposal

    start = date(2019, 1, 1)
    kpis, kpi_ms = _timed(lambda: compute_kpis(db, at=TODAY, start=start, end=TODAY), RUNS["kpi"])
    register, register_ms = _timed(lambda: att.open_register(db, lesson_uid), RUNS["register"])
    matches, proposal_ms = _timed(lambda: proposal.propose_matches(db, today=TODAY),
                                  RUNS["proposal"])  # fmt: skip
    answers = {
        "figures": sorted((f.key, f.count, f.value, f.base) for f in kpis.figures),
        "register_rows": len(register[1]),
        "matches": len(matches.pairs),
        "total_score": round(matches.total_score, 3),
    }
    return {"kpi": kpi_ms, "register": register_ms, "proposal": proposal_ms}, answers


def run(postgres: str | None = None) -> dict[str, object]:
    """Copy the large dataset to PostgreSQL and time the three operations on both stores."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.services.store_move import copy_database
    from kvds_desktop.store.database import Database

    address = postgres or os.environ.get(SERVER_ENV)
    if not address:
        return {"name": "postgres_large", "skipped": f"no server: set {SERVER_ENV} or --postgres"}
    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-postgres-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        with _server_database(address) as url:
            local = Database.open(path)
            server = Database.connect(url)
            try:
                moved = copy_database(local, server)
                lesson_uid = _busiest_lesson(local, TODAY)
                sqlite_ms, sqlite_answers = _measure(local, lesson_uid)
                postgres_ms, postgres_answers = _measure(server, lesson_uid)
            finally:
                local.close()
                server.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result: dict[str, object] = {
        "name": "postgres_large",
        "server": f"{make_url(address).host}:{make_url(address).port or 5432}",
        "copy_rows": moved.rows,
        "copy_tables": len(moved.tables),
        "copy_s": round(moved.seconds, 1),
        "copy_same": all(t.same for t in moved.tables),
        "register_rows": sqlite_answers["register_rows"],
        "matches": sqlite_answers["matches"],
        "same_answers": sqlite_answers == postgres_answers,
    }
    for operation in RUNS:
        lite, pg = sqlite_ms[operation], postgres_ms[operation]
        result[f"{operation}_sqlite_median_ms"] = round(statistics.median(lite), 1)
        result[f"{operation}_sqlite_max_ms"] = round(max(lite), 1)
        result[f"{operation}_postgres_median_ms"] = round(statistics.median(pg), 1)
        result[f"{operation}_postgres_max_ms"] = round(max(pg), 1)
        result[f"{operation}_postgres_vs_sqlite"] = round(
            statistics.median(pg) / statistics.median(lite), 2
        )
    return result


if __name__ == "__main__":
    import argparse

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help=f"server URL (default: ${SERVER_ENV})")
    print(json.dumps(run(parser.parse_args().postgres), indent=2))
