"""Encryption at rest: the database and its backups unreadable without the passphrase."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.errors import DatabaseEncrypted, UserError, WrongDatabasePassphrase
from kvds_desktop.paths import AppPaths
from kvds_desktop.services import maintenance
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates import add_note
from kvds_desktop.store import cipher
from kvds_desktop.store.backup import BackupPolicy
from kvds_desktop.store.database import Database
from tests.cli_support import run_cli

# Encryption is a property of the file (SQLCipher): nothing of it is on a server.
pytestmark = pytest.mark.sqlite_only

SECRET = "Klaar voor de Start 2026"


def _counts(path: Path, passphrase: str | None = None) -> dict[str, int]:
    db = Database.open(path, passphrase=passphrase)
    try:
        with db.engine.connect() as conn:
            names = [r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))]  # fmt: skip
            return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()
                    for n in names}  # fmt: skip
    finally:
        db.close()


@pytest.fixture
def plain(pilot_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "kvds.sqlite"
    shutil.copy(pilot_file, path)
    return path


def _full_names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT voornamen || ' ' || achternaam FROM candidate LIMIT 40")
        return [r[0] for r in rows if len(r[0]) >= 10]  # long enough never to occur by chance
    finally:
        conn.close()


def test_encrypting_keeps_every_row_and_hides_every_name(plain: Path, tmp_path: Path) -> None:
    before, names = _counts(plain), _full_names(plain)
    old_backups = tmp_path / "backups"
    old_backups.mkdir()
    shutil.copy(plain, old_backups / "kvds-20261101-090000-daily.sqlite")
    left = maintenance.encrypt_database(plain, SECRET, backup_folder=old_backups)
    assert [p.name for p in left] == ["kvds-20261101-090000-daily.sqlite"]
    data = plain.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert names and not any(name.encode() in data for name in names)
    assert _counts(plain, SECRET) == before
    with pytest.raises(DatabaseEncrypted, match="passphrase"):
        Database.open(plain)
    with pytest.raises(WrongDatabasePassphrase):
        Database.open(plain, passphrase="klaar voor de start 2026")  # capitals count
    copy = maintenance.decrypt_copy(plain, SECRET, tmp_path / "plain-copy.sqlite")
    assert copy.read_bytes().startswith(b"SQLite format 3")
    assert _counts(copy) == before


def test_backups_of_an_encrypted_database_stay_encrypted(plain: Path, tmp_path: Path) -> None:
    maintenance.encrypt_database(plain, SECRET, backup_folder=tmp_path / "none")
    folder = tmp_path / "backups"
    db = Database.open(plain, passphrase=SECRET, backups=BackupPolicy(folder, daily=True),
                       now=lambda: datetime(2026, 11, 28, 9, 0))  # fmt: skip
    try:
        uid = db.engine.connect().execute(text("SELECT uid FROM candidate LIMIT 1")).scalar_one()
        add_note(db, uid, "Na de ziekmelding gebeld", Actor("coördinator", "laptop"))
        by_hand = maintenance.backup_to(db, tmp_path / "handmatig.sqlite")
    finally:
        db.close()
    daily = db.report.backup
    assert daily is not None
    for backup in (daily, by_hand):
        assert cipher.looks_encrypted(backup)
        assert b"ziekmelding" not in backup.read_bytes()
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(backup).execute("SELECT count(*) FROM candidate").fetchone()
    assert _counts(by_hand, SECRET)["candidate_note"] == _counts(plain, SECRET)["candidate_note"]
    saved = maintenance.restore_from(daily, plain, safety_folder=tmp_path / "aside",
                                     passphrase=SECRET)  # fmt: skip
    assert saved is not None and cipher.looks_encrypted(saved)
    assert (
        _counts(plain, SECRET)["candidate_note"] == _counts(by_hand, SECRET)["candidate_note"] - 1
    )


def test_a_new_database_can_be_encrypted_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "nieuw.sqlite"
    Database.open(path, create=True, passphrase=SECRET).close()
    assert cipher.looks_encrypted(path)
    assert cipher.schema_revision(path, SECRET) is not None
    with pytest.raises(UserError, match="at least 8"):
        maintenance.encrypt_database(tmp_path / "x.sqlite", "kort", backup_folder=tmp_path)


def test_the_command_line_asks_for_the_passphrase_file(
    plain: Path, tmp_path: Path, app_paths: AppPaths
) -> None:
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    code, out, _err = run_cli(app_paths, plain, "encrypt", "--new-passphrase-file", str(secret))
    assert code == 0 and "now encrypted" in out
    code, _out, err = run_cli(app_paths, plain, "kpi", "--at", "2020-12-17")
    assert code == 1 and "encrypted" in err
    code, out, _err = run_cli(app_paths, plain, "--db-passphrase-file", str(secret), "--json",
                              "kpi", "--at", "2020-12-17", "--from", "2019-01-01",
                              "--to", "2020-12-17")  # fmt: skip
    assert code == 0 and '"candidates_started"' in out
