"""Inserts that let the database's unique keys decide, written once for SQLite and PostgreSQL.

Two coordinators on one server database may write the same row at the same moment. A
check before the insert (SELECT, then INSERT) cannot see the other's row until it is
committed, so only a unique key can keep a row from being written twice.
:func:`insert_new` lets the key decide: a row whose key is there already (or is being
written by another transaction, which PostgreSQL waits for) is skipped, and the keys of
the rows actually written come back. SQLite and PostgreSQL spell ``INSERT ... ON
CONFLICT DO NOTHING`` alike; :func:`insert_for` picks the dialect's construct.

:func:`is_unique_violation` tells a broken unique key (someone else wrote the row first)
from the other integrity errors, which are bugs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

_UNIQUE_STATE = "23505"  # PostgreSQL's unique_violation
_SQLITE_UNIQUE = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


def insert_for(conn: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """The dialect's INSERT for ``table``, which knows ``on_conflict_do_nothing/_update``."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"no ON CONFLICT insert for the {conn.dialect.name} dialect")


def insert_new(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, key: str
) -> set[Any]:
    """Insert the rows whose unique column ``key`` is not taken; return the keys written.

    A row whose key another transaction is writing waits for it (PostgreSQL) and is
    skipped once that one commits. Rows are written in key order, so two transactions
    writing overlapping rows wait for each other in one order and cannot deadlock.
    """
    if not rows:
        return set()
    ordered = sorted(rows, key=lambda row: row[key])
    statement = (
        insert_for(conn, table)
        .on_conflict_do_nothing(index_elements=[table.c[key]])
        .returning(table.c[key])
    )
    return set(conn.execute(statement, ordered).scalars())


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` (a DBAPI error or its SQLAlchemy wrapper) is a broken unique key."""
    original = getattr(exc, "orig", None) or exc
    if getattr(original, "sqlstate", None) == _UNIQUE_STATE:
        return True
    if getattr(original, "sqlite_errorname", None) in _SQLITE_UNIQUE:
        return True
    return "UNIQUE constraint failed" in str(original)
