"""Moving a whole database between a file and a PostgreSQL server, and proving the copy.

The pilot demo goes from a file to the server and back to a new file: every table holds
the same rows, the database keeps its identity, the month summary stays true and the
server's id counters move on. ``kvds migrate-store`` does the same from the command line
and refuses, with a message and nothing changed, what it cannot do.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from kvds_desktop.cli import main
from kvds_desktop.errors import DatabaseMissing
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates.commands import create_candidate
from kvds_desktop.services.store_move import (
    CopyRefused,
    TargetNotEmpty,
    copy_database,
    fingerprints,
    tables,
)
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database
from kvds_desktop.store.server import ServerUnreachable
from kvds_desktop.store.summaries import check_attendance_months
from tests.pg_support import TestServer

ACTOR = Actor("coördinator", "laptop-druten")
TODAY = date(2026, 11, 28)
SECRET = "Klaar voor de Start 2026"


@pytest.fixture
def laptop(pilot_file: Path, tmp_path: Path) -> Path:
    """A coordinator's laptop database: a copy of the pilot demo."""
    path = tmp_path / "laptop.sqlite"
    shutil.copy(pilot_file, path)
    return path


@pytest.fixture
def moved(laptop: Path, pg_url: str) -> Iterator[tuple[Database, Database]]:
    """The laptop's database (open) and the server database it was copied into."""
    source = Database.open(laptop)
    target = Database.connect(pg_url)
    copy_database(source, target)
    yield source, target
    source.close()
    target.close()


def run(paths: AppPaths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--today", TODAY.isoformat(), "--lang", "en", *argv], paths=paths, out=out,
                err=err)  # fmt: skip
    return code, out.getvalue(), err.getvalue()


def new_candidate(db: Database, name: str = "Haddad") -> str:
    values = {"voornamen": "Amal", "achternaam": name, "municipality": "Druten",
              "law": "wi2021", "registration_date": date(2026, 10, 1)}  # fmt: skip
    return create_candidate(db, values, ACTOR, TODAY)


def small_database(path: Path, passphrase: str | None = None) -> Path:
    """A database with three candidates (made through the service, audited)."""
    db = Database.open(path, create=True, passphrase=passphrase)
    try:
        for name in ("Haddad", "Tesfay", "Yilmaz"):
            new_candidate(db, name)
    finally:
        db.close()
    return path


def _uid(db: Database) -> str:
    with db.engine.connect() as conn:
        query = text("SELECT value FROM database_info WHERE key = 'database_uid'")
        return str(conn.execute(query).scalar_one())


def _rows(db: Database, *, seeded: bool = False) -> int:
    with db.engine.connect() as conn:
        return sum(
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in tables()
            if seeded or t.name != "database_info"
        )


def _sorted_rows(path: Path) -> dict[str, list[str]]:
    """Every row of every KVDS table of a file, read by sqlite3 itself, in a fixed order."""
    raw = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        names = [r[0] for r in raw.execute(query)]
        return {name: sorted(repr(row) for row in raw.execute(f'SELECT * FROM "{name}"'))
                for name in sorted(names)}  # fmt: skip
    finally:
        raw.close()


@pytest.mark.sqlite_only  # the round trip ends in a file, read back with sqlite3
def test_the_pilot_goes_to_the_server_and_back_unchanged(
    laptop: Path, pg_url: str, tmp_path: Path
) -> None:
    source = Database.open(laptop)
    server = Database.connect(pg_url)
    offline = Database.open(tmp_path / "offline.sqlite", create=True)
    try:
        there = copy_database(source, server)
        back = copy_database(server, offline)
        assert there.rows == back.rows > 10_000
        assert all(t.same for t in there.tables + back.tables)
        assert fingerprints(source) == fingerprints(server) == fingerprints(offline)
    finally:
        for db in (source, server, offline):
            db.close()
    original, returned = _sorted_rows(laptop), _sorted_rows(tmp_path / "offline.sqlite")
    assert set(original) == set(returned)
    for name, rows in original.items():
        assert rows == returned[name], name
    assert len(original["candidate"]) > 50 and len(original["attendance_mark"]) > 1000


def test_the_moved_database_keeps_its_identity_and_its_summary_and_goes_on(
    moved: tuple[Database, Database],
) -> None:
    source, server = moved
    assert _uid(server) == _uid(source)  # teachers' offline packs still merge
    with server.engine.connect() as conn:
        assert check_attendance_months(conn) == []
        assert int(conn.execute(text("SELECT count(*) FROM attendance_month")).scalar_one()) > 0
        highest = int(conn.execute(text("SELECT max(id) FROM candidate")).scalar_one())
    before = fingerprints(server)
    with pytest.raises(TargetNotEmpty, match="already holds"):
        copy_database(source, server)
    assert fingerprints(server) == before
    uid = new_candidate(server)  # the server's id counters continue after the copied ids
    with server.engine.connect() as conn:
        new_id = conn.execute(text("SELECT id FROM candidate WHERE uid = :u"), {"u": uid}).scalar()
    assert new_id == highest + 1


def test_a_duplicate_merged_into_a_later_candidate_is_copied(tmp_path: Path, pg_url: str) -> None:
    source = Database.open(tmp_path / "merged.sqlite", create=True)
    people = migrate.METADATA.tables["candidate"]
    with source.engine.begin() as conn:
        conn.info["kvds_unaudited"] = "test setup"
        for number in (1, 2):
            conn.execute(people.insert().values(
                id=number, voornamen="Amal", achternaam="Haddad", municipality="Druten",
                law="wi2021", registration_date=date(2025, 1, number)))  # fmt: skip
        conn.execute(people.update().where(people.c.id == 1).values(merged_into_id=2))
    server = Database.connect(pg_url)
    try:
        report = copy_database(source, server)
        assert all(t.same for t in report.tables)
        with server.engine.connect() as conn:
            link = conn.execute(text("SELECT merged_into_id FROM candidate WHERE id = 1"))
            assert link.scalar() == 2
    finally:
        source.close()
        server.close()


@pytest.mark.sqlite_only  # the laptop file is spoilt with sqlite3 before the move
def test_a_refused_row_leaves_the_server_empty(laptop: Path, pg_url: str) -> None:
    with sqlite3.connect(laptop) as raw:  # SQLite keeps a NUL in a text; PostgreSQL cannot
        raw.execute("UPDATE candidate SET aandachtspunten = 'a' || char(0) || 'b' "
                    "WHERE id = (SELECT max(id) FROM candidate)")  # fmt: skip
    raw.close()
    source = Database.open(laptop)
    server = Database.connect(pg_url)
    own_uid = _uid(server)
    try:
        with pytest.raises(CopyRefused, match="candidate") as caught:
            copy_database(source, server)
        assert "Nothing was copied" in str(caught.value)
        assert _rows(server) == 0
        assert _uid(server) == own_uid
        with server.engine.connect() as conn:
            triggers = conn.execute(text(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")).scalar_one()  # fmt: skip
        assert triggers > 0  # the month summary's triggers are back with the rollback
    finally:
        source.close()
        server.close()


# --- the command line -------------------------------------------------------------------


def test_the_command_moves_a_laptop_to_the_server_and_back_to_a_new_file(
    laptop: Path, pg_url: str, tmp_path: Path, app_paths: AppPaths
) -> None:
    code, out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to", pg_url)
    assert code == 0, err
    assert out.startswith("Copied ") and "postgresql://" in out and "kvds@" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines()[2:-1]}
    assert set(lines) == {t.name for t in tables()}
    assert int(lines["candidate"][1]) > 50 and lines["candidate"][3] == "yes"
    assert out.rstrip().endswith("Every table holds the same rows on both sides.")
    code, _out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to", pg_url)
    assert code == 1 and err.startswith("kvds: The target") and "already holds" in err
    assert err.count("\n") == 1
    offline = tmp_path / "offline" / "kopie.sqlite"
    code, out, err = run(app_paths, "migrate-store", "--from", pg_url, "--to", str(offline),
                         "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["from"].startswith("postgresql://") and data["rows"] > 10_000
    assert all(t["same"] for t in data["tables"])
    checks = {t["table"]: (t["rows"], t["checksum"]) for t in data["tables"]}
    original, copy = Database.open(laptop), Database.open(offline)
    try:
        assert checks == fingerprints(original) == fingerprints(copy)
        assert _uid(copy) == _uid(original)
    finally:
        original.close()
        copy.close()


def test_an_encrypted_laptop_needs_its_passphrase(
    pg_url: str, tmp_path: Path, app_paths: AppPaths
) -> None:
    laptop = small_database(tmp_path / "versleuteld.sqlite", passphrase=SECRET)
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    code, _out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to", pg_url)
    assert code == 1 and "encrypted" in err
    code, out, err = run(app_paths, "--db-passphrase-file", str(secret), "migrate-store",
                         "--from", str(laptop), "--to", pg_url, "--json")  # fmt: skip
    assert code == 0, err
    counts = {t["table"]: t["rows"] for t in json.loads(out)["tables"]}
    assert counts["candidate"] == 3 and counts["audit_entry"] == 3


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("mysql://kvds@localhost/kvds", "is not a database address"),
        ("postgresql+psycopg://kvds@127.0.0.1:1/kvds", "cannot be reached"),
        ("postgresql+psycopg://kvds@127.0.0.1/", "names no database"),
    ],
)
def test_a_bad_server_address_is_told_and_nothing_is_made(
    laptop: Path, tmp_path: Path, app_paths: AppPaths, target: str, message: str
) -> None:
    code, out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to", target)
    assert code == 1 and out == ""
    assert err.startswith("kvds: ") and message in err and err.count("\n") == 1
    assert {p.name for p in tmp_path.iterdir()} <= {"home", "laptop.sqlite"}


def test_a_database_missing_on_the_server_is_told(
    laptop: Path, pg_server: TestServer, app_paths: AppPaths
) -> None:
    missing = pg_server.url("kvds_no_such_database")
    code, _out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to", missing)
    assert code == 1 and "does not exist on that server" in err
    with pytest.raises(DatabaseMissing):
        Database.connect(missing)
    with pytest.raises(ServerUnreachable):
        Database.connect("postgresql+psycopg://kvds@127.0.0.1:1/kvds")


def test_a_missing_or_foreign_source_is_refused_and_never_made(
    pg_url: str, tmp_path: Path, app_paths: AppPaths
) -> None:
    absent = tmp_path / "kvsd.sqlite"
    code, _out, err = run(app_paths, "migrate-store", "--from", str(absent), "--to", pg_url)
    assert code == 1 and err.startswith("kvds: There is no database at")
    assert not absent.exists()
    letter = tmp_path / "brief.txt"
    letter.write_text("Beste mevrouw,\n" * 20, encoding="utf-8")
    code, _out, err = run(app_paths, "migrate-store", "--from", str(letter), "--to", pg_url)
    assert code == 1 and "not a KVDS database" in err
    empty = tmp_path / "leeg.sqlite"
    empty.touch()
    code, _out, err = run(app_paths, "migrate-store", "--from", str(empty), "--to", pg_url)
    assert code == 1 and "is empty" in err and empty.stat().st_size == 0
    server = Database.connect(pg_url)
    try:
        assert _rows(server) == 0
    finally:
        server.close()


def test_the_same_database_on_both_sides_is_refused(laptop: Path, app_paths: AppPaths) -> None:
    code, _out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to",
                          str(laptop.parent / "." / laptop.name))  # fmt: skip
    assert code == 1 and "the same database" in err


@pytest.mark.sqlite_only  # about the target file: made new, refused when full, removed on failure
def test_a_file_target_is_new_or_an_empty_database(tmp_path: Path, app_paths: AppPaths) -> None:
    laptop = small_database(tmp_path / "laptop.sqlite")
    full = small_database(tmp_path / "full.sqlite")
    before = _sorted_rows(full)
    code, _out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to", str(full))
    assert code == 1 and "already holds" in err
    assert _sorted_rows(full) == before
    empty = tmp_path / "empty.sqlite"
    assert run(app_paths, "--db", str(empty), "init")[0] == 0
    code, _out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to", str(empty))
    assert code == 0, err
    assert fingerprints_of(empty) == fingerprints_of(laptop)
    with sqlite3.connect(laptop) as raw:  # a status change of a candidate that is not there
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("UPDATE candidate_status_change SET candidate_id = 999999 "
                    "WHERE id = (SELECT max(id) FROM candidate_status_change)")  # fmt: skip
    raw.close()
    broken_copy = tmp_path / "copy" / "kopie.sqlite"
    code, _out, err = run(app_paths, "migrate-store", "--from", str(laptop), "--to",
                          str(broken_copy))  # fmt: skip
    assert code == 1 and "refused a row of the table candidate_status_change" in err
    assert not broken_copy.exists()
    assert [p.name for p in broken_copy.parent.iterdir()] == []


def fingerprints_of(path: Path) -> dict[str, tuple[int, str]]:
    db = Database.open(path)
    try:
        return fingerprints(db)
    finally:
        db.close()
