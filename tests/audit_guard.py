"""A watch on every database the tests open: no write to personal data without an audit entry.

Every transaction that inserts, updates or deletes rows of a table about candidates (the
candidate itself, and every table with a ``candidate_id``) must also insert into
``audit_entry`` before it commits. The statements are read as they go to SQLite; rows that
triggers write (the month summary) are not statements and do not count. Generating demo
data and migrating the schema are the two writers that may go without: they mark their
connection with :func:`kvds_desktop.store.database.unaudited`.

``tests/conftest.py`` installs the watch for the whole test run and fails a test in whose
course a transaction broke the rule, naming the tables and the first statement; so every
mutating service function that some test calls is checked. Writes made by the tests
themselves to arrange their data (no ``kvds_desktop.services`` code on the stack) are not
the application's and are let through.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers the tables

_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)
DERIVED = frozenset({"attendance_month"})  # kept by triggers from the marks


def audited_tables() -> frozenset[str]:
    """The candidate and every table that holds a candidate_id."""
    tables = {"candidate"}
    for table in SQLModel.metadata.sorted_tables:
        if "candidate_id" in table.c:
            tables.add(table.name)
    return frozenset(tables - DERIVED)


@dataclass
class AuditWatch:
    """Collects the transactions that wrote personal data without an audit entry."""

    audited: frozenset[str] = field(default_factory=audited_tables)
    violations: list[str] = field(default_factory=list)

    def attach(self, engine: Engine) -> None:
        """Watch ``engine``'s connections."""
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._forget)

    def _statement(self, conn: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
        found = _WRITE.match(statement)
        if found is None:
            return
        service = _calling_service()
        if service is None:
            return  # a test arranging its data, not the application writing
        writes: dict[str, str] = conn.info.setdefault("kvds_writes", {})
        text = " ".join(statement.split())[:140]
        writes.setdefault(found.group(1).lower(), f"{service}: {text}")

    def _commit(self, conn: Connection) -> None:
        writes: dict[str, str] = conn.info.pop("kvds_writes", {})
        if conn.info.get("kvds_unaudited"):
            return
        personal = sorted(set(writes) & self.audited)
        if personal and "audit_entry" not in writes:
            first = writes[personal[0]]
            self.violations.append(f"wrote {', '.join(personal)} without an audit entry: {first}")

    def _forget(self, conn: Connection) -> None:
        conn.info.pop("kvds_writes", None)


def _calling_service() -> str | None:
    """The outermost function of kvds_desktop.services on the stack, if any."""
    frame = sys._getframe(2)
    found = None
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("kvds_desktop.services."):
            found = f"{module}.{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return found
