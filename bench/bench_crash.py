"""Crash safety, the long run: the ``kvds`` command killed with SIGKILL 200 times.

On a copy of the pilot demo database, children of the real command record attendance
marks and import marks files (two teachers' week packs, three revisions each) and are
killed at seeded random moments (tests/crash_support.py); a quarter of the runs are left
to finish, for more acknowledged writes. Reported: kills, runs,
acknowledged writes, writes lost, integrity errors and half-written writes (all three
must be 0), runs that failed on their own, writes that committed just before their kill,
and seconds.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

KILLS = 200
SEED = 2026


def run() -> dict[str, object]:
    """Kill the command KILLS times and check the database."""
    from bench.datasets import demo_database
    from tests.crash_support import run_crash_trial

    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-crash-"))
    try:
        path = folder / "pilot.sqlite"
        shutil.copy(demo_database("pilot"), path)
        result = run_crash_trial(
            path, KILLS, SEED, folder, teachers=2, revisions=3, file_marks=200,
            unkilled_share=0.25,
        )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "name": "crash_kills",
        "kills": result.kills,
        "runs": result.runs,
        "acknowledged_writes": result.acknowledged,
        "acknowledged_marks": result.acknowledged_marks,
        "acknowledged_imports": result.acknowledged_imports,
        "committed_before_kill": result.committed_before_kill,
        "writes_lost": len(result.lost_writes),
        "integrity_errors": len(result.integrity_errors),
        "half_written": len(result.half_written),
        "failed_runs": len(result.failures),
        "problems": [
            *result.lost_writes,
            *result.integrity_errors,
            *result.half_written,
            *result.failures,
        ][:10],
        "prepare_seconds": result.prepare_seconds,
        "verify_seconds": result.verify_seconds,
        "seconds": result.seconds,
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
