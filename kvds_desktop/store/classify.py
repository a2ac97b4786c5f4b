"""Sort database errors into those a person can act on and those that are bugs.

SQLite reports its conditions as message texts; this module is the one place
that reads them and turns them into :mod:`kvds_desktop.errors` classes.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from kvds_desktop.errors import (
    N_,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    NotADatabase,
    StorageError,
)

_PATTERNS: tuple[tuple[tuple[str, ...], type[StorageError], str], ...] = (
    (
        ("database is locked", "database table is locked", "database schema is locked"),
        DatabaseLocked,
        N_(
            "The database {path} is in use by another program or another KVDS window. "
            "Close the other program and try again."
        ),
    ),
    (
        ("database or disk is full", "no space left"),
        DiskFull,
        N_(
            "The disk that holds {path} is full. Nothing was saved of this last step; "
            "free some space and try again."
        ),
    ),
    (
        ("readonly database", "read-only", "unable to open database file"),
        DatabaseReadOnly,
        N_(
            "The database {path} cannot be written: the file or its folder is read-only. "
            "Copy it to a folder you can write to, or ask your administrator for access."
        ),
    ),
    (
        ("file is not a database", "file is encrypted or is not a database"),
        NotADatabase,
        N_("The file {path} is not a KVDS database. Choose another file."),
    ),
    (
        ("malformed", "disk i/o error", "corrupt"),
        DatabaseCorrupt,
        N_(
            "The database {path} is damaged. Restore the most recent backup "
            "(File > Restore a backup, or 'kvds restore')."
        ),
    ),
)


def classify(exc: BaseException, path: Path | str) -> StorageError | None:
    """Return the storage error that ``exc`` stands for, or None when it is a bug."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(original).lower()
    for needles, error_class, message in _PATTERNS:
        if any(needle in text for needle in needles):
            return error_class(message, path=str(path))
    if isinstance(original, OSError) and original.errno == 28:  # ENOSPC
        return DiskFull(_PATTERNS[1][2], path=str(path))
    return None
