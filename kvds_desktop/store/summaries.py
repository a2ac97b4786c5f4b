"""Summary tables the database keeps itself, with triggers.

``attendance_month`` holds, per candidate, month (of the lesson date) and status, the
number of marks, the marked lessons' minutes and the minutes late or left early, over the
lessons held (not cancelled). Triggers on ``attendance_mark`` (insert, delete, update) and
on ``lesson`` (a new date, new times, cancelled or restored, deleted) keep it equal to the
marks, whichever code writes them: the attendance services, the offline merge, the demo,
a merge of duplicates. ``check_attendance_months`` compares it with the marks.

The triggers are written once; the few spellings where SQLite and PostgreSQL differ (a
month of a date, minutes of a time, PostgreSQL's trigger functions) are chosen by dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class _Dialect:
    """The few SQL spellings that differ between SQLite and PostgreSQL."""

    minutes: str  # minutes since midnight of a time column {t}
    month: str  # 'YYYY-MM' of a date column {d}
    largest: str  # the larger of {a} and {b}


_SPELLINGS = {
    "sqlite": _Dialect(
        minutes="(CAST(substr({t}, 1, 2) AS INTEGER) * 60 + CAST(substr({t}, 4, 2) AS INTEGER))",
        month="substr({d}, 1, 7)",
        largest="max({a}, {b})",
    ),
    "postgresql": _Dialect(
        minutes="(CAST(EXTRACT(HOUR FROM {t}) AS INTEGER) * 60 "
        "+ CAST(EXTRACT(MINUTE FROM {t}) AS INTEGER))",
        month="to_char({d}, 'YYYY-MM')",
        largest="greatest({a}, {b})",
    ),
}


def _spelling(conn: Connection) -> _Dialect:
    return _SPELLINGS[conn.dialect.name]


def _length(sql: _Dialect, lesson: str) -> str:
    """SQL for the length of ``lesson`` (an alias or OLD/NEW) in minutes, never negative."""
    end = sql.minutes.format(t=f"{lesson}.end_time")
    start = sql.minutes.format(t=f"{lesson}.start_time")
    return sql.largest.format(a="0", b=f"{end} - {start}")


_UPSERT = """
    ON CONFLICT (candidate_id, status_id, month) DO UPDATE SET
        marks = attendance_month.marks + excluded.marks,
        offered_minutes = attendance_month.offered_minutes + excluded.offered_minutes,
        short_minutes = attendance_month.short_minutes + excluded.short_minutes;
"""


def _add_mark(sql: _Dialect, mark: str, sign: str) -> str:
    """Add (sign '+') or take away ('-') one mark row ``mark`` (OLD or NEW)."""
    return f"""
    INSERT INTO attendance_month
        (candidate_id, month, status_id, marks, offered_minutes, short_minutes)
    SELECT {mark}.candidate_id, {sql.month.format(d="l.lesson_date")}, {mark}.status_id,
           {sign}1, {sign}{_length(sql, "l")}, {sign}coalesce({mark}.minutes, 0)
    FROM lesson AS l WHERE l.id = {mark}.lesson_id AND NOT l.cancelled
    {_UPSERT}"""


def _add_lesson(sql: _Dialect, lesson: str, sign: str) -> str:
    """Add or take away every mark of lesson ``lesson`` (OLD or NEW) with its values."""
    return f"""
    INSERT INTO attendance_month
        (candidate_id, month, status_id, marks, offered_minutes, short_minutes)
    SELECT m.candidate_id, {sql.month.format(d=f"{lesson}.lesson_date")}, m.status_id,
           {sign}1, {sign}{_length(sql, lesson)}, {sign}coalesce(m.minutes, 0)
    FROM attendance_mark AS m WHERE m.lesson_id = {lesson}.id AND NOT {lesson}.cancelled
    {_UPSERT}"""


_TIDY = "DELETE FROM attendance_month WHERE marks = 0;"


@dataclass(frozen=True)
class _Trigger:
    name: str
    event: str  # e.g. "AFTER INSERT ON attendance_mark"
    body: Callable[[_Dialect], str]


_TRIGGERS = (
    _Trigger("attendance_month_mark_insert", "AFTER INSERT ON attendance_mark",
             lambda d: _add_mark(d, "NEW", "+")),
    _Trigger("attendance_month_mark_delete", "AFTER DELETE ON attendance_mark",
             lambda d: _add_mark(d, "OLD", "-") + _TIDY),
    _Trigger("attendance_month_mark_update",
             "AFTER UPDATE OF candidate_id, lesson_id, status_id, minutes ON attendance_mark",
             lambda d: _add_mark(d, "OLD", "-") + _add_mark(d, "NEW", "+") + _TIDY),
    _Trigger("attendance_month_lesson_update",
             "AFTER UPDATE OF lesson_date, start_time, end_time, cancelled ON lesson",
             lambda d: _add_lesson(d, "OLD", "-") + _add_lesson(d, "NEW", "+") + _TIDY),
    _Trigger("attendance_month_lesson_delete", "AFTER DELETE ON lesson",
             lambda d: _add_lesson(d, "OLD", "-") + _TIDY),
)  # fmt: skip
TRIGGER_NAMES = tuple(t.name for t in _TRIGGERS)


def _summed(sql: _Dialect) -> str:
    month = sql.month.format(d="l.lesson_date")
    return f"""
    SELECT m.candidate_id, {month}, m.status_id,
           count(*), sum({_length(sql, "l")}), sum(coalesce(m.minutes, 0))
    FROM attendance_mark AS m JOIN lesson AS l ON l.id = m.lesson_id
    WHERE NOT l.cancelled
    GROUP BY m.candidate_id, {month}, m.status_id
"""


_COLUMNS = "candidate_id, month, status_id, marks, offered_minutes, short_minutes"


def create_triggers(conn: Connection) -> None:
    """Create the triggers that keep the summaries (SQLite: one body; PostgreSQL: a function)."""
    sql = _spelling(conn)
    for trigger in _TRIGGERS:
        body = trigger.body(sql)
        if conn.dialect.name == "postgresql":
            conn.execute(
                text(
                    f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger "
                    f"LANGUAGE plpgsql AS $body$ BEGIN {body} RETURN NULL; END $body$"
                )
            )
            conn.execute(
                text(
                    f"CREATE TRIGGER {trigger.name} {trigger.event} "
                    f"FOR EACH ROW EXECUTE FUNCTION {trigger.name}()"
                )
            )
        else:
            conn.execute(text(f"CREATE TRIGGER {trigger.name} {trigger.event} BEGIN {body} END"))


def drop_triggers(conn: Connection) -> None:
    """Drop the summary triggers (for a downgrade, or a bulk load that rebuilds after)."""
    for trigger in _TRIGGERS:
        table = trigger.event.rsplit(" ON ", 1)[1]
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger.name} ON {table}"))
            conn.execute(text(f"DROP FUNCTION IF EXISTS {trigger.name}()"))
        else:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger.name}"))


def rebuild_attendance_months(conn: Connection) -> None:
    """Fill ``attendance_month`` anew from the marks (migration, repair)."""
    conn.execute(text("DELETE FROM attendance_month"))
    conn.execute(text(f"INSERT INTO attendance_month ({_COLUMNS}) {_summed(_spelling(conn))}"))


def check_attendance_months(conn: Connection) -> list[tuple[object, ...]]:
    """The rows where the summary and the marks disagree (empty when all is well)."""
    fresh = _summed(_spelling(conn))
    query = f"""
        WITH fresh AS ({fresh}), kept AS (SELECT {_COLUMNS} FROM attendance_month)
        SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) AS extra
        UNION ALL SELECT * FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) AS missing
    """
    return [tuple(row) for row in conn.execute(text(query))]
