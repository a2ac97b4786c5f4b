"""Teachers offline on the large dataset: a week pack out, a marks file back in.

On a copy of the large demo database, for the teacher with the most lessons in ``WEEK``:
exporting the sealed week pack, opening it and building the teacher's database,
exporting the marks file after every lesson of that week is marked on the laptop (one
candidate per lesson absent, the rest present), and importing that file into the large
coordinator database, first (every mark new) and again (every mark known). Each figure
is in ms and includes the sealing or unsealing (scrypt, AES-GCM) it needs.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

WEEK = "2026-W49"
PASSPHRASE = "koffie met appeltaart"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def run() -> dict[str, object]:
    """Time a week pack's round trip for the busiest teacher of WEEK on the large dataset."""
    from bench.datasets import demo_database
    from kvds_desktop.services import attendance as att
    from kvds_desktop.services.audit import Actor
    from kvds_desktop.services.offline import merge, packs
    from kvds_desktop.services.offline.week_scope import parse_week
    from kvds_desktop.store.database import Database

    coordinator_actor = Actor("bench", "bench")
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    week = parse_week(WEEK)
    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-offline-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        db = Database.open(path)
        try:
            with db.engine.connect() as conn:
                teacher_id, teacher, week_lessons = conn.execute(
                    text(
                        "SELECT t.id, t.name, count(*) AS n FROM lesson l "
                        "JOIN teacher t ON t.id = l.teacher_id "
                        "WHERE l.lesson_date BETWEEN :monday AND :sunday "
                        "GROUP BY t.id ORDER BY n DESC, t.name LIMIT 1"
                    ),
                    {"monday": week.monday.isoformat(), "sunday": week.sunday.isoformat()},
                ).one()
                coordinator_marks = int(
                    conn.execute(text("SELECT count(*) FROM attendance_mark")).scalar_one()
                )
            started = time.perf_counter()
            sent = packs.export_pack(db, week=WEEK, teacher_id=int(teacher_id),
                                     passphrase=PASSPHRASE, actor=coordinator_actor,
                                     now=now)  # fmt: skip
            export_pack_ms = _ms(started)

            started = time.perf_counter()
            pack = packs.open_pack(sent.data, PASSPHRASE)
            open_pack_ms = _ms(started)
            started = time.perf_counter()
            laptop = packs.teacher_database(pack, folder / "laptop" / "teacher.sqlite")
            teacher_database_ms = _ms(started)
            try:
                teacher_actor = Actor(str(teacher), "laptop")
                started = time.perf_counter()
                for lesson in pack.lessons:
                    if lesson.cancelled:
                        continue
                    _header, rows = att.open_register(laptop, lesson.uid)
                    if rows:
                        att.set_mark(laptop, lesson_uid=lesson.uid,
                                     candidate_uid=rows[0].candidate_uid, status_code="Z",
                                     actor=teacher_actor, now=now)  # fmt: skip
                    att.mark_rest_present(laptop, lesson_uid=lesson.uid, actor=teacher_actor,
                                          now=now)  # fmt: skip
                mark_week_ms = _ms(started)
                started = time.perf_counter()
                marks = packs.export_marks(laptop, passphrase=PASSPHRASE, now=now)
                export_marks_ms = _ms(started)
            finally:
                laptop.close()

            timings = []
            reports = []
            for attempt in range(2):
                started = time.perf_counter()
                incoming = packs.read_marks(marks.data, PASSPHRASE, file_name="marks.kvdsmarks")
                report = merge.import_incoming(db, incoming, actor=coordinator_actor,
                                               now=now + timedelta(minutes=attempt))  # fmt: skip
                timings.append(_ms(started))
                reports.append(report)
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    first, again = reports
    return {
        "name": "offline_large",
        "week": WEEK,
        "teacher_lessons": int(week_lessons),
        "pack_lessons": sent.lesson_count,
        "pack_candidates": sent.candidate_count,
        "pack_bytes": len(sent.data),
        "coordinator_marks": coordinator_marks,
        "marks": marks.mark_count,
        "marks_bytes": len(marks.data),
        "export_pack_ms": export_pack_ms,
        "open_pack_ms": open_pack_ms,
        "teacher_database_ms": teacher_database_ms,
        "mark_week_ms": mark_week_ms,
        "export_marks_ms": export_marks_ms,
        "import_first_ms": timings[0],
        "import_first_imported": first.imported,
        "import_first_changed": first.changed_marks,
        "import_first_conflicts": len(first.conflicts),
        "import_repeat_ms": timings[1],
        "import_repeat_imported": again.imported,
        "import_repeat_changed": again.changed_marks,
        "import_repeat_unchanged": again.unchanged,
    }
