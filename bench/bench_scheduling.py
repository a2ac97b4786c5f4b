"""Scheduling on the large dataset: a year of lessons for every group, and its conflicts.

On a copy of the large demo database (312 groups at twelve locations), the planned
lessons after ``TODAY`` are removed, the Dutch public holidays of the coming year are
added, and then three things are timed: generating every group's lessons for the next
365 days (bulk inserts in one transaction), generating them again (nothing to change:
the cost of checking a year against the timetable), and finding the conflicts in that
year.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text


def run() -> dict[str, object]:
    """Time generation and conflict detection for a year on a copy of the large dataset."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.services import scheduling as svc
    from kvds_desktop.services.audit import Actor
    from kvds_desktop.store.database import Database

    actor = Actor("bench", "bench")
    start, end = TODAY + timedelta(days=1), TODAY + timedelta(days=365)
    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-scheduling-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        db = Database.open(path)
        try:
            with db.session() as session:
                session.connection().execute(
                    text(
                        "DELETE FROM lesson WHERE lesson_date > :today AND NOT EXISTS "
                        "(SELECT 1 FROM attendance_mark m WHERE m.lesson_id = lesson.id)"
                    ),
                    {"today": TODAY.isoformat()},
                )
            svc.ensure_public_holidays(db, range(start.year, end.year + 1), actor)
            started = time.perf_counter()
            report = svc.generate_lessons(db, start=start, end=end, actor=actor, today=TODAY)
            generate_s = time.perf_counter() - started
            started = time.perf_counter()
            again = svc.generate_lessons(db, start=start, end=end, actor=actor, today=TODAY)
            regenerate_s = time.perf_counter() - started
            started = time.perf_counter()
            conflicts = svc.find_conflicts(db, start=start, end=end)
            conflicts_s = time.perf_counter() - started
            with db.engine.connect() as conn:
                groups = int(conn.execute(text("SELECT count(*) FROM study_group")).scalar_one())
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert again.created == again.updated == again.deleted == 0
    return {
        "name": "scheduling_large",
        "groups": groups,
        "generate_year_s": round(generate_s, 3),
        "lessons_created": report.created,
        "dates_skipped_for_closures": report.skipped_closure,
        "regenerate_year_unchanged_s": round(regenerate_s, 3),
        "conflicts_s": round(conflicts_s, 3),
        "conflicts_found": len(conflicts),
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
