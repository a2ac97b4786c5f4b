"""Database-wide jobs: what is in the file, backups and restore."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

import kvds_desktop.store.models  # noqa: F401 - registers every table
from kvds_desktop.errors import N_, UserError
from kvds_desktop.store import backup as backups
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class DatabaseInfo:
    """What a database file holds."""

    path: Path
    schema_version: str
    size_bytes: int
    counts: dict[str, int]

    def as_json(self) -> dict[str, object]:
        """The info as plain JSON-ready data."""
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            "size_bytes": self.size_bytes,
            "counts": self.counts,
        }


def table_counts(db: Database) -> dict[str, int]:
    """The number of rows in every table of the schema, by table name."""
    counts: dict[str, int] = {}
    with db.engine.connect() as conn:
        for table in migrate.METADATA.sorted_tables:
            counts[table.name] = int(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            )
    return dict(sorted(counts.items()))


def info(db: Database) -> DatabaseInfo:
    """Schema version, file size and a count per table."""
    size = sum(p.stat().st_size for p in (db.path, Path(f"{db.path}-wal")) if p.exists())
    return DatabaseInfo(db.path, db.schema_version(), size, table_counts(db))


def backup_to(db: Database, out: Path) -> Path:
    """Write a consistent copy of the open database to ``out`` (never over the database)."""
    out = Path(out).expanduser().resolve()
    if out == db.path:
        raise UserError(N_("A backup cannot overwrite the database itself. Choose another file."))
    if out.is_dir():
        raise UserError(N_("{path} is a folder; give a file name for the backup."), path=str(out))
    return backups.backup_engine(db.engine, out)


def restore_from(
    source: Path,
    target: Path,
    *,
    safety_folder: Path,
    now: Callable[[], datetime] = datetime.now,
) -> Path | None:
    """Replace ``target`` by the backup ``source``; the current file is saved first.

    Returns the path of the safety copy of the replaced database (None when there was none).
    """
    source = Path(source).expanduser().resolve()
    target = Path(target).expanduser().resolve()
    if source == target:
        raise UserError(N_("The backup and the database are the same file. Choose another backup."))
    backups.check_backup_file(source)
    safety: Path | None = None
    if target.exists() and target.stat().st_size > 0:
        safety = backups.safety_copy(target, safety_folder, reason="pre-restore", at=now())
    backups.restore(source, target)
    return safety
