"""Every saved database of a past schema opens, migrates and keeps its data."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from kvds_desktop.store import migrate
from kvds_desktop.store.backup import BackupPolicy, Backups
from kvds_desktop.store.database import Database

pytestmark = pytest.mark.sqlite_only  # saved files, upgraded in place with a backup

SAVED = sorted((Path(__file__).parent / "databases").glob("schema_*.sqlite"))


def test_there_is_a_saved_database_for_the_newest_schema() -> None:
    assert f"schema_{migrate.head_revision()}.sqlite" in {p.name for p in SAVED}


@pytest.mark.parametrize("saved", SAVED, ids=lambda p: p.stem)
def test_upgrade_keeps_every_row(saved: Path, tmp_path: Path) -> None:
    path = tmp_path / "kvds.sqlite"
    shutil.copyfile(saved, path)
    revision = saved.stem.removeprefix("schema_")
    policy = BackupPolicy(tmp_path / "backups", daily=False)
    db = Database.open(path, backups=policy)
    try:
        assert db.schema_version() == migrate.head_revision()
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
            name = conn.execute(text("SELECT achternaam FROM candidate")).scalar_one()
            marks = conn.execute(text("SELECT count(*) FROM attendance_mark")).scalar_one()
        assert name == "Haddad"
        assert marks == 1
        made = Backups(policy).list()
        if revision != migrate.head_revision():
            assert len(made) == 1 and "pre-migration" in made[0].name
        else:
            assert made == []
    finally:
        db.close()


def test_a_failing_migration_leaves_the_file_at_its_old_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kvds.sqlite"
    shutil.copyfile(SAVED[0], path)
    real_upgrade = migrate.upgrade

    def upgrade_then_fail(connection: Connection) -> None:
        real_upgrade(connection)
        raise RuntimeError("power cut in the middle of a migration")

    monkeypatch.setattr(migrate, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        Database.open(path, backups=BackupPolicy(tmp_path / "backups", daily=False))
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert version == SAVED[0].stem.removeprefix("schema_")
    assert "import_baseline" not in tables
