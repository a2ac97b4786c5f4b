"""The dashboard's indicators on the large dataset (target: under 300 ms).

On a copy of the large demo database: ``compute_kpis`` for the whole dataset over the
pilot's target window up to TODAY (10 runs, median and max in ms), and once filtered to
one municipality.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path


def run() -> dict[str, object]:
    """Time the indicators on the large dataset."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.services.kpi import compute_kpis
    from kvds_desktop.store.database import Database

    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-kpi-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        db = Database.open(path)
        try:
            start = date(2019, 1, 1)
            runs = []
            for _ in range(10):
                began = time.perf_counter()
                kpis = compute_kpis(db, at=TODAY, start=start, end=TODAY)
                runs.append((time.perf_counter() - began) * 1000)
            name = kpis.per_municipality[0].name if kpis.per_municipality else None
            began = time.perf_counter()
            compute_kpis(db, at=TODAY, start=start, end=TODAY, municipality=name)
            filtered_ms = (time.perf_counter() - began) * 1000
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "name": "kpi_large",
        "candidates": kpis.figure("candidates_started").count,
        "municipalities": len(kpis.per_municipality),
        "cohorts": len(kpis.per_cohort),
        "compute_median_ms": round(statistics.median(runs), 1),
        "compute_max_ms": round(max(runs), 1),
        "filtered_ms": round(filtered_ms, 1),
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
