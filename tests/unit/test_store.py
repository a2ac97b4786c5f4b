"""The store opens, protects and migrates database files (real SQLite files, no mocks)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from kvds_desktop.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    NotADatabase,
    NotAKvdsDatabase,
    StorageError,
)
from kvds_desktop.store import fileinfo, migrate
from kvds_desktop.store.backup import BackupPolicy, Backups
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Location


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "kvds.sqlite", create=True)
    yield database
    database.close()


def test_new_database_is_migrated_to_head(db: Database) -> None:
    assert db.report.created
    assert db.schema_version() == migrate.head_revision()


@pytest.mark.sqlite_only
def test_pragmas_are_set_on_every_connection(db: Database) -> None:
    for _ in range(2):
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL


def test_foreign_keys_are_enforced(db: Database) -> None:
    # SQLite says "FOREIGN KEY constraint failed", PostgreSQL "violates foreign key constraint".
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO room (uid, location_id, name, capacity) "
                "VALUES ('x', 999, 'Lokaal 1', 10)"
            )
        )


def test_tables_match_the_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []


def test_missing_file_is_refused_without_creating_it(tmp_path: Path) -> None:
    path = tmp_path / "typo.sqlite"
    with pytest.raises(DatabaseMissing) as info:
        Database.open(path)
    assert not path.exists()
    assert "typo.sqlite" in str(info.value)


@pytest.mark.sqlite_only
def test_text_file_is_not_a_database_and_stays_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("klantnummer;achternaam\n1;Haddad\n", encoding="utf-8")
    before = digest(path)
    with pytest.raises(NotADatabase):
        Database.open(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


@pytest.mark.sqlite_only
def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    before = digest(path)
    with pytest.raises(NotAKvdsDatabase):
        Database.open(path)
    assert digest(path) == before


@pytest.mark.sqlite_only
def test_read_only_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "kvds.sqlite"
    Database.open(path, create=True).close()
    before = digest(path)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(DatabaseReadOnly):
            Database.open(path)
        assert digest(path) == before
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.sqlite_only
def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "kvds.sqlite"
    Database.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseTooNew) as info:
        Database.open(path)
    assert "9999_from_the_future" in str(info.value)
    assert digest(path) == before


@pytest.mark.sqlite_only
def test_locked_database_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kvds.sqlite"
    Database.open(path, create=True).close()
    monkeypatch.setattr(fileinfo, "BUSY_TIMEOUT_SECONDS", 0.1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked) as info:
            Database.open(path)
        assert "another program" in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.sqlite_only
def test_full_disk_during_a_write_is_reported_and_rolled_back(db: Database) -> None:
    with db.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
    with pytest.raises(DiskFull), db.session() as session:
        session.connection().exec_driver_sql(f"PRAGMA max_page_count={pages}")
        for n in range(2000):
            session.add(Location(name=f"Locatie {n}", municipality="Druten", address="x" * 150))
            session.flush()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM location")).scalar_one() == 0


@pytest.mark.sqlite_only
def test_damaged_file_gives_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "kvds.sqlite"
    db = Database.open(path, create=True)
    db.close()
    data = bytearray(path.read_bytes())
    data[100 : 4096 * 3] = os.urandom(4096 * 3 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError) as info:
        Database.open(path)
    assert isinstance(info.value, DatabaseCorrupt | NotADatabase)


@pytest.mark.sqlite_only
def test_daily_backup_is_made_once_a_day_and_rotated(tmp_path: Path) -> None:
    path = tmp_path / "kvds.sqlite"
    policy = BackupPolicy(tmp_path / "backups", keep=3)
    Database.open(path, create=True, backups=policy).close()
    assert Backups(policy).list() == []  # a new database needs no backup
    for day in range(1, 6):
        for hour in (9, 14):
            moment = datetime(2026, 11, day, hour, 0, 0)
            Database.open(path, backups=policy, now=lambda m=moment: m).close()
    names = [p.name for p in Backups(policy).list()]
    assert names == [
        "kvds-20261103-090000-daily.sqlite",
        "kvds-20261104-090000-daily.sqlite",
        "kvds-20261105-090000-daily.sqlite",
    ]
    with sqlite3.connect(Backups(policy).list()[-1]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
