"""Attendance on the large dataset: opening a register, a group's year, exporting every mark.

On a copy of the large demo database: the register of the past lesson with the most
marks is opened 20 times (median, ms; target under 100 ms), the figures of the group
with the most lessons are computed for the year up to ``TODAY``, and every mark is
exported to CSV by the application (streaming) and, for scale, by the ``sqlite3``
command-line tool running the same join in the same run.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

SQLITE_QUERY = (
    "SELECT l.lesson_date, k.code, l.start_time, l.end_time, g.name, c.klantnummer, "
    "c.voornamen, c.tussenvoegsel, c.achternaam, s.label_nl, m.reason, m.minutes, "
    "m.recorded_by, m.recorded_at, m.source FROM attendance_mark m "
    "JOIN lesson l ON l.id = m.lesson_id JOIN study_group g ON g.id = l.group_id "
    "JOIN activity_kind k ON k.id = l.activity_kind_id JOIN candidate c ON c.id = m.candidate_id "
    "JOIN attendance_status s ON s.id = m.status_id "
    "WHERE l.lesson_date BETWEEN '{start}' AND '{end}' "
    "ORDER BY l.lesson_date, l.start_time, g.name, m.id"
)


def run() -> dict[str, object]:
    """Time the register, a group's year of figures and the export of every mark."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.exchange.attendance_export import export_attendance_detail
    from kvds_desktop.services import attendance as att
    from kvds_desktop.store.database import Database

    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-attendance-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        db = Database.open(path)
        try:
            with db.engine.connect() as conn:
                marks = int(conn.execute(text("SELECT count(*) FROM attendance_mark")).scalar_one())
                lesson_uid, roster = conn.execute(
                    text(
                        "SELECT l.uid, count(*) AS n FROM attendance_mark m "
                        "JOIN lesson l ON l.id = m.lesson_id WHERE l.lesson_date <= :today "
                        "GROUP BY l.id ORDER BY n DESC, l.id LIMIT 1"
                    ),
                    {"today": TODAY.isoformat()},
                ).one()
                group_uid, group_lessons = conn.execute(
                    text(
                        "SELECT g.uid, count(*) AS n FROM lesson l "
                        "JOIN study_group g ON g.id = l.group_id "
                        "WHERE l.lesson_date BETWEEN :start AND :today "
                        "GROUP BY g.id ORDER BY n DESC, g.id LIMIT 1"
                    ),
                    {
                        "start": (TODAY - timedelta(days=364)).isoformat(),
                        "today": TODAY.isoformat(),
                    },
                ).one()
                first, last = conn.execute(
                    text("SELECT min(lesson_date), max(lesson_date) FROM lesson")
                ).one()
            times = []
            for _ in range(20):
                started = time.perf_counter()
                _header, rows = att.open_register(db, lesson_uid)
                times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            figures = att.figures_for_group(db, group_uid, TODAY - timedelta(days=364), TODAY)
            figures_s = time.perf_counter() - started
            out = folder / "marks.csv"
            started = time.perf_counter()
            exported = export_attendance_detail(db, out, start=_day(first), end=_day(last))
            export_s = time.perf_counter() - started
        finally:
            db.close()
        cli = _sqlite_cli(path, folder / "marks-sqlite3.csv", str(first), str(last))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "name": "attendance_large",
        "marks": marks,
        "register_roster": len(rows),
        "register_marks": int(roster),
        "open_register_median_ms": round(statistics.median(times), 2),
        "open_register_max_ms": round(max(times), 2),
        "group_year_lessons": int(group_lessons),
        "group_year_members": len(figures),
        "figures_group_year_s": round(figures_s, 3),
        "export_csv_rows": exported,
        "export_csv_s": round(export_s, 2),
        **cli,
    }


def _day(value: object):  # type: ignore[no-untyped-def]
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _sqlite_cli(path: Path, out: Path, first: str, last: str) -> dict[str, object]:
    sqlite3 = shutil.which("sqlite3")
    if sqlite3 is None:
        return {"sqlite3_cli": "missing (apt-get install -y sqlite3)"}
    query = SQLITE_QUERY.format(start=first, end=last)
    started = time.perf_counter()
    with out.open("wb") as handle:
        subprocess.run(
            [sqlite3, "-csv", "-separator", ";", str(path), query], stdout=handle, check=True
        )
    seconds = time.perf_counter() - started
    with out.open("rb") as handle:
        rows = sum(1 for _ in handle)
    return {"sqlite3_cli_rows": rows, "sqlite3_cli_s": round(seconds, 2)}


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
