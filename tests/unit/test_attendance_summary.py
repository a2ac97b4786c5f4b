"""The month summary of marks that the database keeps, and the dashboard's use of it."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from kvds_desktop.services.kpi import facts as kpi_facts
from kvds_desktop.store import summaries
from kvds_desktop.store.backup import BackupPolicy
from kvds_desktop.store.database import Database

SAVED = Path(__file__).parents[1] / "migrations" / "databases" / "schema_0006.sqlite"


@pytest.fixture
def db(pilot_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    database = Database.open(path)
    yield database
    database.close()


def _days(day: date, last: date) -> Iterator[date]:
    while day <= last:
        yield day
        day += timedelta(days=1)


@given(
    start=st.dates(date(2018, 1, 1), date(2028, 12, 31)),
    length=st.integers(0, 800),
)
def test_the_plan_counts_every_day_of_the_period_once(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    months, spans = kpi_facts.plan_months(start, end)
    counted: Counter[date] = Counter()
    if months is not None:
        first, last = months
        assert first.day == 1 and last.day == 1
        counted.update(_days(first, kpi_facts._month_end(last)))
    for sign, span_start, span_end in spans:
        assert span_start <= span_end
        for day in _days(span_start, span_end):
            counted[day] += sign
    assert {day for day, n in counted.items() if n} == set(_days(start, end))
    assert all(n in (0, 1) for n in counted.values())
    assert (
        sum(span_end.toordinal() - span_start.toordinal() + 1 for _, span_start, span_end in spans)
        <= 32
    )


def test_the_pilot_summary_agrees_with_its_marks(db: Database) -> None:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM attendance_month")).scalar_one()
        assert rows > 100
        assert summaries.check_attendance_months(conn) == []


def test_an_older_database_gets_its_summary_when_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(SAVED, path)
    db = Database.open(path, backups=BackupPolicy(tmp_path / "backups", daily=False))
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT sum(marks) FROM attendance_month")).scalar_one() == 1
            assert summaries.check_attendance_months(conn) == []
    finally:
        db.close()


# One change to the marks or lessons, as any code might make it: (kind, pick, value).
CHANGES = st.lists(
    st.tuples(
        st.sampled_from(
            ["insert", "delete", "status", "minutes", "move", "times", "cancel", "drop", "shift"]
        ),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=12,
)


def _pick(conn: Connection, columns: str, table: str, n: int) -> tuple[object, ...] | None:
    count = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    if not count:
        return None
    row = conn.execute(
        text(f"SELECT {columns} FROM {table} ORDER BY id LIMIT 1 OFFSET :n"), {"n": n % count}
    ).one()
    return tuple(row)


def _apply(conn: Connection, kind: str, n: int, value: int) -> None:
    mark = _pick(conn, "id, lesson_id, candidate_id", "attendance_mark", n)
    lesson = _pick(conn, "id, lesson_date", "lesson", n)
    status = _pick(conn, "id", "attendance_status", value)
    assert mark and lesson and status
    if kind == "insert":
        candidate = _pick(conn, "id", "candidate", value)
        assert candidate
        conn.execute(  # unless that uid, or a mark of that candidate in that lesson, exists
            text(
                "INSERT INTO attendance_mark (uid, lesson_id, candidate_id, status_id,"
                " reason, minutes, note, recorded_by, recorded_at, source, origin)"
                " SELECT CAST(:uid AS VARCHAR), :lesson, :cand, :status, '', :minutes, '', 'test',"
                " '2026-01-01 00:00:00', '', 'local' WHERE NOT EXISTS (SELECT 1 FROM"
                " attendance_mark WHERE uid = :uid"
                " OR (lesson_id = :lesson AND candidate_id = :cand))"
            ),
            {
                "uid": f"test-{n}-{value}",
                "lesson": lesson[0],
                "cand": candidate[0],
                "status": status[0],
                "minutes": value % 40 or None,
            },
        )
    elif kind == "delete":
        conn.execute(text("DELETE FROM attendance_mark WHERE id = :id"), {"id": mark[0]})
    elif kind == "status":
        conn.execute(
            text("UPDATE attendance_mark SET status_id = :s WHERE id = :id"),
            {"s": status[0], "id": mark[0]},
        )
    elif kind == "minutes":
        conn.execute(
            text("UPDATE attendance_mark SET minutes = :m WHERE id = :id"),
            {"m": value % 90 or None, "id": mark[0]},
        )
    elif kind == "shift":  # a mark moved to another lesson (a candidate merge does this)
        conn.execute(  # unless the candidate has a mark in that lesson already
            text(
                "UPDATE attendance_mark SET lesson_id = :l WHERE id = :id AND NOT EXISTS ("
                "SELECT 1 FROM attendance_mark AS o WHERE o.lesson_id = :l"
                " AND o.candidate_id = attendance_mark.candidate_id"
                " AND o.id != attendance_mark.id)"
            ),
            {"l": lesson[0], "id": mark[0]},
        )
    elif kind == "move":  # the lesson moves to another date, possibly another month
        day = date.fromisoformat(str(lesson[1])[:10]) + timedelta(days=value % 90 - 45)
        conn.execute(  # unless its slot has a lesson on that date already
            text(
                "UPDATE lesson SET lesson_date = :d WHERE id = :id AND NOT EXISTS ("
                "SELECT 1 FROM lesson AS o WHERE o.slot_id = lesson.slot_id"
                " AND o.lesson_date = :d AND o.id != lesson.id)"
            ),
            {"d": day.isoformat(), "id": lesson[0]},
        )
    elif kind == "times":
        conn.execute(
            text("UPDATE lesson SET start_time = :a, end_time = :b WHERE id = :id"),
            {"a": f"{8 + value % 4:02d}:30:00.000000", "b": "12:15:00.000000", "id": lesson[0]},
        )
    elif kind == "cancel":
        conn.execute(
            text("UPDATE lesson SET cancelled = NOT cancelled WHERE id = :id"), {"id": lesson[0]}
        )
    elif kind == "drop":  # a lesson deleted with its marks, in either order
        first, then = "attendance_mark", "lesson"
        if conn.dialect.name == "sqlite":
            conn.execute(text("PRAGMA defer_foreign_keys = ON"))  # checked at commit: never here
            if value % 2:
                first, then = then, first
        else:  # PostgreSQL checks each reference at once: the lesson can only go after its marks
            conn.execute(text("DELETE FROM mark_conflict WHERE lesson_id = :id"), {"id": lesson[0]})
        for table in (first, then):
            column = "id" if table == "lesson" else "lesson_id"
            conn.execute(text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": lesson[0]})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=CHANGES)
def test_any_change_to_marks_or_lessons_keeps_the_summary_equal(
    db: Database, changes: list[tuple[str, int, int]]
) -> None:
    with db.engine.connect() as conn:
        transaction = conn.begin()
        try:
            for kind, n, value in changes:
                _apply(conn, kind, n, value)
            assert summaries.check_attendance_months(conn) == []
        finally:
            transaction.rollback()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2019, 1, 1), date(2026, 11, 28)),
        (date(2020, 3, 17), date(2020, 12, 17)),
        (date(2020, 3, 2), date(2020, 3, 29)),
        (date(2020, 3, 10), date(2020, 3, 12)),
        (date(2020, 2, 1), date(2020, 2, 29)),
        (date(2020, 5, 28), date(2020, 7, 3)),
    ],
)
def test_the_dashboard_counts_the_same_marks_as_the_marks_themselves(
    db: Database, start: date, end: date
) -> None:
    at = date(2026, 11, 28)
    with db.engine.connect() as conn:
        via_summary = {f.id: f for f in kpi_facts.load_facts(conn, at, start, end)}
        direct = {f.id: f for f in kpi_facts.load_facts(conn, at, start, end)}
        for fact in direct.values():
            fact.marked = fact.present = fact.short_minutes = 0
            fact.hours_offered = fact.present_hours = 0.0
        present = [
            r[0]
            for r in conn.execute(text("SELECT id FROM attendance_status WHERE counts_present"))
        ]
        kpi_facts._marks_between(conn, direct, present, start, end)
    assert sum(f.marked for f in direct.values()) > 0
    for key, fact in direct.items():
        other = via_summary[key]
        assert (other.marked, other.present, other.short_minutes) == (
            fact.marked,
            fact.present,
            fact.short_minutes,
        )
        assert other.hours_offered == pytest.approx(fact.hours_offered)
        assert other.hours_followed == pytest.approx(fact.hours_followed)
