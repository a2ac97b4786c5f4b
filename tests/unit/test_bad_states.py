"""Bad states around the database file: a second instance, a vanished or replaced file,
a backup folder that cannot be written, a full disk, a network drive."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, text

from kvds_desktop.errors import DatabaseGone, DatabaseInUse, DiskFull
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates import add_note, candidate_rows
from kvds_desktop.store.backup import BackupPolicy
from kvds_desktop.store.database import Database
from kvds_desktop.store.lock import filesystem_type, on_network_drive

ACTOR = Actor("coördinator", "laptop-druten")
NOW = datetime(2026, 11, 28, 9, 0)


@pytest.fixture
def db_file(pilot_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "kvds.sqlite"
    shutil.copy(pilot_file, path)
    return path


def _first_uid(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT uid FROM candidate ORDER BY id LIMIT 1")).scalar())


@pytest.mark.sqlite_only
def test_a_second_instance_is_told_the_database_is_in_use(db_file: Path) -> None:
    first = Database.open(db_file, exclusive=True, now=lambda: NOW)
    try:
        with pytest.raises(DatabaseInUse) as caught:
            Database.open(db_file, exclusive=True)
        assert "already open" in str(caught.value) and "2026-11-28T09:00" in str(caught.value)
        Database.open(db_file).close()  # a reader without the lock (the CLI) still may
    finally:
        first.close()
    Database.open(db_file, exclusive=True).close()  # free again once the first closed


@pytest.mark.sqlite_only
def test_the_lock_of_a_killed_process_is_free_at_once(db_file: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from kvds_desktop.store.database import Database
        db = Database.open(Path({str(db_file)!r}), exclusive=True)
        print("open", flush=True)
        time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseInUse):
            Database.open(db_file, exclusive=True)
    finally:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    Database.open(db_file, exclusive=True).close()


@pytest.mark.sqlite_only
def test_a_removed_file_is_not_recreated_and_nothing_is_written(db_file: Path) -> None:
    db = Database.open(db_file)
    uid = _first_uid(db)
    db_file.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    try:
        with pytest.raises(DatabaseGone) as caught:
            add_note(db, uid, "na het gesprek", ACTOR)
        assert "was removed" in str(caught.value) and "Restore the latest backup" in str(
            caught.value
        )
        assert not db_file.exists()
    finally:
        db.close()


@pytest.mark.sqlite_only
def test_a_replaced_file_is_not_written_into(db_file: Path, tmp_path: Path) -> None:
    db = Database.open(db_file)
    other = tmp_path / "other.sqlite"
    Database.open(other, create=True).close()
    before = other.read_bytes()
    try:
        os.replace(other, db_file)
        with pytest.raises(DatabaseGone) as caught:
            candidate_rows(db, date(2026, 11, 28))
        assert "was replaced" in str(caught.value)
        assert db_file.read_bytes() == before
    finally:
        db.close()


@pytest.mark.sqlite_only
def test_a_backup_folder_that_cannot_be_written_does_not_stop_the_work(
    db_file: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    db = Database.open(db_file, backups=BackupPolicy(blocked / "backups", daily=True))
    try:
        problem = db.report.backup_problem
        assert problem is not None and "could not be written" in str(problem)
        add_note(db, _first_uid(db), "gewoon doorwerken", ACTOR)
    finally:
        db.close()


@pytest.mark.sqlite_only
def test_a_full_disk_during_an_import_leaves_the_database_as_it_was(
    db_file: Path, tmp_path: Path
) -> None:
    from kvds_desktop.services.scheduling.closures import import_closures_csv

    db = Database.open(db_file)
    with db.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
        closures = conn.execute(text("SELECT count(*) FROM closure")).scalar_one()

    @event.listens_for(db.engine, "connect")
    def _no_room(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    rows = ["van;tot;naam;soort;locatie"]
    rows += [f"2027-{m:02d}-{d:02d};2027-{m:02d}-{d:02d};Studiedag {m}-{d} {'x' * 180};"
             "studiedag;" for m in range(1, 13) for d in range(1, 28)]  # fmt: skip
    csv_file = tmp_path / "sluitingsdagen.csv"
    csv_file.write_text("\n".join(rows), encoding="utf-8")
    try:
        with pytest.raises(DiskFull) as caught:
            import_closures_csv(db, csv_file, ACTOR)
        assert "is full" in str(caught.value)
        event.remove(db.engine, "connect", _no_room)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM closure")).scalar_one() == closures
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        assert csv_file.exists()  # the file the coordinator chose is untouched
    finally:
        db.close()


MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw 0 0
//fileserver/kvds /mnt/gemeente cifs rw 0 0
server:/export /home/coordinator/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/usb\\040stick vfat rw 0 0
"""


def test_a_network_drive_is_recognised() -> None:
    assert filesystem_type(Path("/mnt/gemeente/kvds.sqlite"), MOUNTS) == "cifs"
    assert on_network_drive(Path("/mnt/gemeente/kvds.sqlite"), MOUNTS)
    assert on_network_drive(Path("/home/coordinator/nfs/a/kvds.sqlite"), MOUNTS)
    assert not on_network_drive(Path("/home/coordinator/kvds.sqlite"), MOUNTS)
    assert not on_network_drive(Path("/mnt/usb stick/kvds.sqlite"), MOUNTS)
    assert not on_network_drive(Path("/mnt/gemeentehuis/kvds.sqlite"), MOUNTS)
    assert on_network_drive(Path("//fileserver/kvds/kvds.sqlite"), MOUNTS)
