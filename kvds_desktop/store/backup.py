"""Backups with SQLite's online backup API: daily, before migrations, on request.

Backups rotate (the newest ``keep`` are kept) and can be restored over the
working database after the file has been checked.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from kvds_desktop.errors import N_, NotAKvdsDatabase, UserError
from kvds_desktop.store import cipher
from kvds_desktop.store.classify import classify
from kvds_desktop.store.fileinfo import inspect_file, require_sqlite

_NAME = re.compile(r"^kvds-(\d{8}-\d{6})-([a-z-]+)\.sqlite$")


@dataclass(frozen=True)
class BackupPolicy:
    """Where automatic backups go and how many are kept."""

    folder: Path
    keep: int = 10
    daily: bool = True


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live database into ``target`` consistently, via a temporary file."""
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        if cipher.is_encrypted_connection(source):
            cipher.export_into(source, partial, None)  # the copy keeps the database's key
        else:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        error = classify(exc, target)
        if error is None:
            raise UserError(
                N_("The backup {path} could not be written: {reason}"),
                path=str(target),
                reason=str(exc),
            ) from exc
        raise error from exc


def backup_engine(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the engine's database to ``target``."""
    raw = engine.raw_connection()
    try:
        copy_database(raw.driver_connection, target)  # type: ignore[arg-type]
    finally:
        raw.close()
    return target


class Backups:
    """The rotating set of automatic backups in one folder."""

    def __init__(self, policy: BackupPolicy) -> None:
        self.policy = policy

    def list(self) -> list[Path]:
        """Automatic backups, oldest first."""
        if not self.policy.folder.is_dir():
            return []
        return sorted(p for p in self.policy.folder.iterdir() if _NAME.match(p.name))

    def create(self, engine: Engine, db_path: Path, *, reason: str, at: datetime) -> Path:
        """Make a backup now and drop the oldest beyond ``keep``."""
        del db_path  # the engine knows its file; kept for symmetry with restore
        target = self.policy.folder / f"kvds-{at:%Y%m%d-%H%M%S}-{reason}.sqlite"
        backup_engine(engine, target)
        self.prune()
        return target

    def daily(self, engine: Engine, db_path: Path, *, at: datetime) -> Path | None:
        """Make the day's backup unless one was made already today."""
        today = f"{at:%Y%m%d}"
        for existing in self.list():
            match = _NAME.match(existing.name)
            if match and match.group(1).startswith(today):
                return None
        return self.create(engine, db_path, reason="daily", at=at)

    def prune(self) -> None:
        """Delete the oldest automatic backups beyond the number to keep."""
        for old in self.list()[: -self.policy.keep]:
            with contextlib.suppress(OSError):
                old.unlink()


def check_backup_file(path: Path) -> str:
    """Check that ``path`` is a KVDS database this version can open; return its schema.

    The file is opened read-only and never changed.
    """
    if not path.is_file():
        raise UserError(N_("The backup file {path} does not exist."), path=str(path))
    require_sqlite(path)
    revision = inspect_file(path)
    if revision is None:
        raise NotAKvdsDatabase(
            N_("The file {path} is not a KVDS database. Choose another file."), path=str(path)
        )
    return revision


def restore(source: Path, target: Path) -> None:
    """Replace the database at ``target`` by the backup ``source`` (checked first)."""
    check_backup_file(source)
    staged = target.with_name(target.name + ".restoring")
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy_database(src, staged)
    finally:
        src.close()
    try:
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(staged, target)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise UserError(
            N_("The backup could not be put in place at {path}: {reason}"),
            path=str(target),
            reason=exc.strerror or str(exc),
        ) from exc


def safety_copy(path: Path, folder: Path, *, reason: str, at: datetime) -> Path:
    """Copy the file at ``path`` aside before it is replaced, even when it is damaged."""
    target = folder / f"kvds-{at:%Y%m%d-%H%M%S}-{reason}.sqlite"
    try:
        src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy_database(src, target)
        finally:
            src.close()
    except (sqlite3.Error, UserError):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        except OSError as exc:
            raise UserError(
                N_("The current database could not be saved aside before restoring: {reason}"),
                reason=exc.strerror or str(exc),
            ) from exc
    return target
