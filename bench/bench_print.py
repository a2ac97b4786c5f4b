"""Printing weekly group overviews on the large dataset: one group, then every group.

On a copy of the large demo database (312 groups at twelve locations), week 49 of
2026 is printed: the overview of one group (the first by name, timed over a few runs
after a warm-up), and the overviews of every group in one PDF. Each figure is also
given per printed page, against the target of 50 ms per group page.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

WEEK = (2026, 49)
RUNS = 5
TARGET_MS_PER_PAGE = 50.0


def _pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def run() -> dict[str, object]:
    """Time one group's overview and all groups' overviews of a week on the large dataset."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.i18n import Translator
    from kvds_desktop.services import printouts
    from kvds_desktop.services.audit import Actor
    from kvds_desktop.services.scheduling import group_rows
    from kvds_desktop.store.database import Database

    tr = Translator.for_language("nl")
    actor = Actor("bench", "bench")
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=UTC)
    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-print-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        db = Database.open(path)
        try:
            group = group_rows(db, TODAY)[0]

            def one() -> bytes:
                return printouts.week_overview_pdf(
                    db, group_uid=group.uid, week=WEEK, tr=tr, now=now, actor=actor
                )

            one()  # warm-up: fonts, first queries
            started = time.perf_counter()
            for _ in range(RUNS):
                data = one()
            one_ms = (time.perf_counter() - started) * 1000 / RUNS
            one_pages = _pages(data)
            calls: list[int] = []

            def progress(done: int, total: int) -> bool:
                calls.append(done)
                return True

            started = time.perf_counter()
            everything = printouts.all_groups_pdf(
                db, week=WEEK, tr=tr, now=now, progress=progress, actor=actor
            )
            all_s = time.perf_counter() - started
            started = time.perf_counter()
            again = printouts.all_groups_pdf(db, week=WEEK, tr=tr, now=now, actor=actor)
            again_s = time.perf_counter() - started
            all_pages = _pages(everything)
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    groups = len(calls) - 1
    return {
        "name": "print_week_large",
        "one_group_ms": round(one_ms, 1),
        "one_group_pages": one_pages,
        "one_group_ms_per_page": round(one_ms / one_pages, 1),
        "all_groups": groups,
        "all_groups_s": round(all_s, 2),
        "all_groups_pages": all_pages,
        "all_groups_ms_per_page": round(all_s * 1000 / all_pages, 1),
        "all_groups_again_s": round(again_s, 2),
        "all_groups_mb": round(len(everything) / 1e6, 2),
        "target_ms_per_page": TARGET_MS_PER_PAGE,
        "same_size_again": len(again) == len(everything),
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
