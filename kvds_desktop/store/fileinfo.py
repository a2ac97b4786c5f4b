"""Read what an existing file is, without changing a byte of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kvds_desktop.errors import N_, DatabaseTooNew, NotADatabase, NotAKvdsDatabase
from kvds_desktop.store import migrate
from kvds_desktop.store.classify import classify

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0


def has_sqlite_header(path: Path) -> bool:
    """Whether the file starts like an SQLite database (an empty file does not)."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def require_sqlite(path: Path) -> None:
    """Refuse a file that is not an SQLite database."""
    if not has_sqlite_header(path):
        raise NotADatabase(
            N_("The file {path} is not a KVDS database. Choose another file."), path=str(path)
        )


def inspect_file(path: Path) -> str | None:
    """Read the schema version of an existing file without changing a byte of it.

    Raises:
        NotAKvdsDatabase: an SQLite file with tables but no KVDS schema version.
        DatabaseTooNew: a schema version this application does not know.
    """
    uri = f"{path.as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            current = None
            if "alembic_version" in names:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                current = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        error = classify(exc, path)
        if error is None:
            raise
        raise error from exc
    if current is None and names:
        raise NotAKvdsDatabase(
            N_(
                "The file {path} is an SQLite database of another program, "
                "not of KVDS Desktop. Choose another file."
            ),
            path=str(path),
        )
    return check_revision(path, current)


def check_revision(path: Path, current: str | None) -> str | None:
    """``current`` when this version knows it (or None).

    Raises:
        DatabaseTooNew: a schema version this application does not know.
    """
    if current is not None and not migrate.is_known_revision(current):
        raise DatabaseTooNew(
            N_(
                "The database {path} was made by a newer version of KVDS Desktop "
                "(schema {found}). Install the newest version to open it; "
                "this version leaves the file untouched."
            ),
            path=str(path),
            found=current,
        )
    return current
