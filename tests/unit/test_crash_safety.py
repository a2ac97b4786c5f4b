"""SQLite's atomic, durable commits kept up to the user: the ``kvds`` command killed at random.

A copy of the pilot database gets marks and imports of real marks files from the real
command in child processes, killed with SIGKILL at seeded random moments (a short run
of CRASH_KILLS kills; bench/bench_crash.py does 200). Afterwards every acknowledged
write is there and nothing is broken or half-written. The second test damages a copy of
the result on purpose, to show that the checks find each kind of damage.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from tests.crash_support import Attempt, CrashResult, Outcome, run_crash_trial, verify

CRASH_KILLS = 15
SEED = 20261128

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (not on Windows)"),
    pytest.mark.slow,  # each kill costs a start of the command: about 45 s of CPU in all
    pytest.mark.sqlite_only,  # SQLite's own journal and the file after a kill
]


@pytest.fixture(scope="module")
def trial(pilot_file: Path, tmp_path_factory: pytest.TempPathFactory) -> CrashResult:
    """One short crash trial on a copy of the pilot database."""
    folder = tmp_path_factory.mktemp("crash")
    db = folder / "coordinator.sqlite"
    shutil.copy(pilot_file, db)
    return run_crash_trial(db, CRASH_KILLS, SEED, folder)


def test_random_kills_lose_no_acknowledged_write_and_break_nothing(trial: CrashResult) -> None:
    assert trial.kills == CRASH_KILLS
    assert trial.failures == []  # no run failed on its own, not even after a kill
    assert trial.integrity_errors == []  # integrity_check, foreign keys, attendance_month
    assert trial.lost_writes == []
    assert trial.half_written == []
    assert trial.acknowledged_marks >= 1 and trial.acknowledged_imports >= 1
    assert trial.ok


def test_the_checks_find_every_kind_of_damage(trial: CrashResult, tmp_path: Path) -> None:
    """A copy of the result, damaged on purpose, and a write the driver was told of falsely."""
    assert trial.world is not None
    copy = tmp_path / "damaged.sqlite"
    with closing(sqlite3.connect(trial.world.db)) as source, closing(sqlite3.connect(copy)) as dest:
        source.backup(dest)
    damage = (
        # One fact of an imported file gone, its audit entry kept: half an import.
        "DELETE FROM mark_fact WHERE id = (SELECT max(id) FROM mark_fact)",
        # Marks changed with no audit entry: the register and the trail disagree.
        "UPDATE attendance_mark SET note = 'sneaked' WHERE note LIKE 'crash-%'",
        # A merged mark no longer what its facts say, its audit not changed with it.
        "UPDATE attendance_mark SET status_id = (SELECT id FROM attendance_status WHERE "
        "code = 'M') WHERE id = (SELECT max(id) FROM attendance_mark WHERE origin = 'merged')",
        # The summary no longer what the marks add up to.
        "UPDATE attendance_month SET marks = marks + 1 "
        "WHERE candidate_id = (SELECT min(candidate_id) FROM attendance_month)",
    )
    with closing(sqlite3.connect(copy)) as conn:
        for statement in damage:
            assert conn.execute(statement).rowcount > 0, statement
        conn.commit()
    ghost = Attempt(10_000, "mark", key=trial.world.mark_keys[0], status="Z", note="never-written")
    told = Outcome(ghost, killed=False, acknowledged=True, returncode=0, delay=0.0, stderr="")

    result = verify(replace(trial.world, db=copy), [*trial.outcomes, told])

    assert not result.ok
    assert any("never-written" in line for line in result.lost_writes)
    assert any("sneaked" in line for line in result.lost_writes)
    assert any("facts but the audit says" in line for line in result.half_written)
    assert any("its audit says" in line for line in result.half_written)
    assert any("its facts" in line for line in result.half_written)
    assert any("attendance_month" in line for line in result.integrity_errors)
