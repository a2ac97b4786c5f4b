"""Summary tables the database keeps itself, with triggers.

``attendance_month`` holds, per candidate, month (of the lesson date) and status, the
number of marks, the marked lessons' minutes and the minutes late or left early, over the
lessons held (not cancelled). Triggers on ``attendance_mark`` (insert, delete, update) and
on ``lesson`` (a new date, new times, cancelled or restored, deleted) keep it equal to the
marks, whichever code writes them: the attendance services, the offline merge, the demo,
a merge of duplicates. ``check_attendance_months`` compares it with the marks.

The triggers are written for SQLite; another database gets its own in the migration that
adds it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

_MINUTES = "(CAST(substr({t}, 1, 2) AS INTEGER) * 60 + CAST(substr({t}, 4, 2) AS INTEGER))"


def _length(lesson: str) -> str:
    """SQL for the length of ``lesson`` (an alias or OLD/NEW) in minutes, never negative."""
    end = _MINUTES.format(t=f"{lesson}.end_time")
    start = _MINUTES.format(t=f"{lesson}.start_time")
    return f"max(0, {end} - {start})"


def _add_mark(mark: str, sign: str) -> str:
    """Add (sign '+') or take away ('-') one mark row ``mark`` (OLD or NEW)."""
    return f"""
    INSERT INTO attendance_month
        (candidate_id, month, status_id, marks, offered_minutes, short_minutes)
    SELECT {mark}.candidate_id, substr(l.lesson_date, 1, 7), {mark}.status_id,
           {sign}1, {sign}{_length("l")}, {sign}coalesce({mark}.minutes, 0)
    FROM lesson AS l WHERE l.id = {mark}.lesson_id AND NOT l.cancelled
    ON CONFLICT (candidate_id, status_id, month) DO UPDATE SET
        marks = marks + excluded.marks,
        offered_minutes = offered_minutes + excluded.offered_minutes,
        short_minutes = short_minutes + excluded.short_minutes;
    """


def _add_lesson(lesson: str, sign: str) -> str:
    """Add or take away every mark of lesson ``lesson`` (OLD or NEW) with its values."""
    return f"""
    INSERT INTO attendance_month
        (candidate_id, month, status_id, marks, offered_minutes, short_minutes)
    SELECT m.candidate_id, substr({lesson}.lesson_date, 1, 7), m.status_id,
           {sign}1, {sign}{_length(lesson)}, {sign}coalesce(m.minutes, 0)
    FROM attendance_mark AS m WHERE m.lesson_id = {lesson}.id AND NOT {lesson}.cancelled
    ON CONFLICT (candidate_id, status_id, month) DO UPDATE SET
        marks = marks + excluded.marks,
        offered_minutes = offered_minutes + excluded.offered_minutes,
        short_minutes = short_minutes + excluded.short_minutes;
    """


_TIDY = "DELETE FROM attendance_month WHERE marks = 0;"

SQLITE_TRIGGERS: dict[str, str] = {
    "attendance_month_mark_insert": f"""
        CREATE TRIGGER attendance_month_mark_insert AFTER INSERT ON attendance_mark
        BEGIN {_add_mark("NEW", "+")} END""",
    "attendance_month_mark_delete": f"""
        CREATE TRIGGER attendance_month_mark_delete AFTER DELETE ON attendance_mark
        BEGIN {_add_mark("OLD", "-")} {_TIDY} END""",
    "attendance_month_mark_update": f"""
        CREATE TRIGGER attendance_month_mark_update
        AFTER UPDATE OF candidate_id, lesson_id, status_id, minutes ON attendance_mark
        BEGIN {_add_mark("OLD", "-")} {_add_mark("NEW", "+")} {_TIDY} END""",
    "attendance_month_lesson_update": f"""
        CREATE TRIGGER attendance_month_lesson_update
        AFTER UPDATE OF lesson_date, start_time, end_time, cancelled ON lesson
        BEGIN {_add_lesson("OLD", "-")} {_add_lesson("NEW", "+")} {_TIDY} END""",
    "attendance_month_lesson_delete": f"""
        CREATE TRIGGER attendance_month_lesson_delete AFTER DELETE ON lesson
        BEGIN {_add_lesson("OLD", "-")} {_TIDY} END""",
}

_SUMMED = f"""
    SELECT m.candidate_id, substr(l.lesson_date, 1, 7), m.status_id,
           count(*), sum({_length("l")}), sum(coalesce(m.minutes, 0))
    FROM attendance_mark AS m JOIN lesson AS l ON l.id = m.lesson_id
    WHERE NOT l.cancelled
    GROUP BY m.candidate_id, substr(l.lesson_date, 1, 7), m.status_id
"""
_COLUMNS = "candidate_id, month, status_id, marks, offered_minutes, short_minutes"


def create_triggers(conn: Connection) -> None:
    """Create the triggers that keep the summaries (SQLite)."""
    for sql in SQLITE_TRIGGERS.values():
        conn.execute(text(sql))


def drop_triggers(conn: Connection) -> None:
    """Drop the summary triggers (for a downgrade)."""
    for name in SQLITE_TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def rebuild_attendance_months(conn: Connection) -> None:
    """Fill ``attendance_month`` anew from the marks (migration, repair)."""
    conn.execute(text("DELETE FROM attendance_month"))
    conn.execute(text(f"INSERT INTO attendance_month ({_COLUMNS}) {_SUMMED}"))


def check_attendance_months(conn: Connection) -> list[tuple[object, ...]]:
    """The rows where the summary and the marks disagree (empty when all is well)."""
    query = f"""
        WITH fresh AS ({_SUMMED}), kept AS (SELECT {_COLUMNS} FROM attendance_month)
        SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh)
        UNION ALL SELECT * FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept)
    """
    return [tuple(row) for row in conn.execute(text(query))]
