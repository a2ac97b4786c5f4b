"""Language progress on the large dataset: a group's progress, everyone's, and the export.

On a copy of the large demo database. When that dataset has no assessments, the benchmark
first adds them the way the pilot demo has them (each candidate's four exam skills from
registration on, every four to six months, rising slowly) with one bulk insert. Then:
the progress of the group with the most current members (20 runs, median and max in ms;
target well under 100 ms), the progress of every candidate in progress (3 runs, seconds;
target a few seconds), and the export of those rows to XLSX.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

LEVELS = ("alfa_a", "alfa_b", "alfa_c", "a1", "a2", "b1", "b2")
SKILLS = (("spreken", 0.35), ("luisteren", 0.2), ("lezen", 0.0), ("schrijven", -0.45))


def _add_assessments(db: Any, today: date) -> int:
    """Levels for every candidate with a route, as the pilot demo writes them; the count."""
    from kvds_desktop.services.scheduling.common import ASSESSMENT
    from kvds_desktop.store.models import new_uid

    rng = random.Random(1)
    rows: list[dict[str, Any]] = []
    with db.engine.connect() as conn:
        if conn.execute(text("SELECT count(*) FROM assessment")).scalar():
            return 0  # newer demo data has its own levels
        people = conn.execute(
            text("SELECT id, registration_date FROM candidate WHERE route IS NOT NULL")
        ).all()
    for cid, registered_text in people:
        registered = date.fromisoformat(str(registered_text))
        day = registered
        start, pace = rng.uniform(0, 3.5), rng.uniform(0.4, 1.6)  # level, steps a year
        method = "plaatsingstoets"
        while day <= today:
            years = (day - registered).days / 365.25
            for skill, offset in SKILLS:
                value = start + pace * years + offset + rng.uniform(-0.3, 0.3)
                level = LEVELS[min(len(LEVELS) - 1, max(0, int(value)))]
                rows.append({"uid": new_uid(), "candidate_id": cid, "skill": skill,
                             "level": level, "assessed_on": day, "method": method,
                             "assessor": "bench", "note": ""})  # fmt: skip
            day += timedelta(days=rng.randint(120, 180))
            method = "voortgangstoets"
    with db.session() as session:
        session.connection().execute(ASSESSMENT.insert(), rows)
    return len(rows)


def run() -> dict[str, object]:
    """Time a big group's progress, everyone's progress, and the export of everyone."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.exchange.progress_export import export_progress
    from kvds_desktop.services import progress
    from kvds_desktop.services.scheduling import group_rows
    from kvds_desktop.store.database import Database

    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-progress-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        db = Database.open(path)
        try:
            added = _add_assessments(db, TODAY)
            biggest = max(group_rows(db, TODAY), key=lambda g: (g.members_now, g.name))
            group_ms = []
            for _ in range(20):
                started = time.perf_counter()
                group = progress.group_progress(db, biggest.uid, TODAY)
                group_ms.append((time.perf_counter() - started) * 1000)
            all_s = []
            for _ in range(3):
                started = time.perf_counter()
                rows = progress.progress_rows(db, today=TODAY)
                all_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            written = export_progress(
                [progress.export_row(r) for r in rows], folder / "voortgang.xlsx", language="nl"
            )
            export_s = time.perf_counter() - started
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    outlooks = Counter(r.worst.value for r in rows)
    return {
        "name": "progress_large",
        "assessments_added": added,
        "group": biggest.name,
        "group_members": len(group.rows),
        "group_at_risk": len(group.at_risk),
        "group_progress_median_ms": round(statistics.median(group_ms), 2),
        "group_progress_max_ms": round(max(group_ms), 2),
        "candidates_in_progress": len(rows),
        "progress_rows_median_s": round(statistics.median(all_s), 2),
        "progress_rows_max_s": round(max(all_s), 2),
        "worst_outlooks": dict(sorted(outlooks.items())),
        "export_xlsx_rows": written,
        "export_xlsx_s": round(export_s, 2),
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
