"""Database-wide jobs: what is in the file, backups and restore."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text

import kvds_desktop.store.models  # noqa: F401 - registers every table
from kvds_desktop.errors import N_, UserError
from kvds_desktop.store import backup as backups
from kvds_desktop.store import cipher, migrate
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class DatabaseInfo:
    """What a database file holds."""

    path: Path | str  # a file, or a server's address
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
    """Schema version, size (of the file, or of the database on the server) and row counts."""
    if db.path is None:
        with db.engine.connect() as conn:
            query = text("SELECT pg_database_size(current_database())")
            size = int(conn.execute(query).scalar_one())
        return DatabaseInfo(db.where, db.schema_version(), size, table_counts(db))
    size = sum(p.stat().st_size for p in (db.path, Path(f"{db.path}-wal")) if p.exists())
    return DatabaseInfo(db.path, db.schema_version(), size, table_counts(db))


def backup_to(db: Database, out: Path) -> Path:
    """Write a consistent copy of the open database to ``out`` (never over the database)."""
    if db.is_server:
        raise UserError(
            N_("The shared database {where} is backed up on its server by IT. For a copy in a "
               "file, use 'kvds migrate-store --from {where} --to FILE'."),
            where=db.where,
        )  # fmt: skip
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
    passphrase: str | None = None,
) -> Path | None:
    """Replace ``target`` by the backup ``source``; the current file is saved first.

    Returns the path of the safety copy of the replaced database (None when there was none).
    """
    source = Path(source).expanduser().resolve()
    target = Path(target).expanduser().resolve()
    if source == target:
        raise UserError(N_("The backup and the database are the same file. Choose another backup."))
    if passphrase and cipher.looks_encrypted(source):
        return _restore_encrypted(source, target, passphrase, safety_folder, now())
    backups.check_backup_file(source)
    safety: Path | None = None
    if target.exists() and target.stat().st_size > 0:
        safety = backups.safety_copy(target, safety_folder, reason="pre-restore", at=now())
    backups.restore(source, target)
    return safety


def _restore_encrypted(
    source: Path, target: Path, passphrase: str, safety_folder: Path, at: datetime
) -> Path | None:
    """An encrypted backup (checked with the passphrase) copied over the closed database."""
    cipher.schema_revision(source, passphrase)
    safety: Path | None = None
    try:
        if target.exists() and target.stat().st_size > 0:
            safety_folder.mkdir(parents=True, exist_ok=True)
            safety = safety_folder / f"kvds-{at:%Y%m%d-%H%M%S}-pre-restore.sqlite"
            shutil.copyfile(target, safety)
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(source, staged)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
    except OSError as exc:
        raise UserError(N_("The backup could not be put in place at {path}: {reason}"),
                        path=str(target), reason=exc.strerror or str(exc)) from exc  # fmt: skip
    return safety


def encrypt_database(path: Path, passphrase: str, *, backup_folder: Path) -> list[Path]:
    """Encrypt the (closed) plain database at ``path`` in place with ``passphrase``.

    The encrypted copy is made beside the file, checked with the passphrase, and then
    takes the file's place. Returns the automatic backups in ``backup_folder`` that are
    still plain text (the caller offers to delete them: they hold the same data).

    Raises:
        UserError: the file is encrypted already, the passphrase is too short, or the
            copy cannot be written.
    """
    path = Path(path).expanduser().resolve()
    if cipher.looks_encrypted(path):
        raise UserError(N_("The database {path} is encrypted already."), path=str(path))
    staged = path.with_name(path.name + ".encrypting")
    try:
        cipher.encrypt_file(path, staged, passphrase)
        cipher.schema_revision(staged, passphrase)  # opens with the new key
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise UserError(N_("The database could not be encrypted: {reason}"),
                        reason=exc.strerror or str(exc)) from exc  # fmt: skip
    plain = sorted(p for p in Path(backup_folder).glob("*.sqlite") if not cipher.looks_encrypted(p))
    return plain


def decrypt_copy(path: Path, passphrase: str, out: Path) -> Path:
    """Write a plain (unencrypted) copy of the encrypted database to ``out``."""
    out = Path(out).expanduser().resolve()
    if out == Path(path).expanduser().resolve():
        raise UserError(N_("The plain copy cannot overwrite the database itself. Choose "
                           "another file."))  # fmt: skip
    cipher.decrypt_file(Path(path), passphrase, out)
    return out
