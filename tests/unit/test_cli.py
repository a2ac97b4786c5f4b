"""The `kvds` command as a script or a person would call it (real database files)."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from kvds_desktop.cli import main
from kvds_desktop.paths import AppPaths
from kvds_desktop.store import migrate

REF = "2026-11-28"


def run(paths: AppPaths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--today", REF, *argv], paths=paths, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_init_then_info_json(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "new.sqlite"
    assert run(app_paths, "--db", str(db), "init")[0] == 0
    code, out, err = run(app_paths, "--db", str(db), "info", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema_version"] == migrate.head_revision()
    assert data["counts"]["candidate"] == 0
    assert "attendance_mark" in data["counts"]


@pytest.mark.sqlite_only
def test_init_refuses_an_existing_database(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "kvds.sqlite"
    run(app_paths, "--db", str(db), "init")
    code, _, err = run(app_paths, "--lang", "en", "--db", str(db), "init")
    assert code == 1
    assert "exists already" in err


def test_a_typo_in_the_path_creates_nothing(tmp_path: Path, app_paths: AppPaths) -> None:
    typo = tmp_path / "kvsd.sqlite"
    code, out, err = run(app_paths, "--lang", "en", "--db", str(typo), "info")
    assert code == 1
    assert out == ""
    assert err.startswith("kvds: There is no database at")
    assert err.count("\n") == 1
    assert not typo.exists()


def test_errors_speak_dutch_by_default(tmp_path: Path, app_paths: AppPaths) -> None:
    code, _, err = run(app_paths, "--db", str(tmp_path / "geen.sqlite"), "info")
    assert code == 1
    assert "Er is geen database" in err


def test_not_a_database_exits_1_and_leaves_the_file(tmp_path: Path, app_paths: AppPaths) -> None:
    path = tmp_path / "lijst.csv"
    path.write_bytes(b"klantnummer;naam\n1;Yusuf\n")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, _, err = run(app_paths, "--lang", "en", "--db", str(path), "info")
    assert code == 1
    assert "is not a KVDS database" in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_wrong_usage_exits_2(app_paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(app_paths, "frobnicate")[0] == 2
    assert run(app_paths, "demo", "--scale", "huge")[0] == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.sqlite_only
def test_backup_and_restore_round_trip(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "kvds.sqlite"
    backup = tmp_path / "copy.sqlite"
    run(app_paths, "--db", str(db), "init")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO location (uid, name, municipality, address, postcode, city) "
            "VALUES ('u1', 'Druten', 'Druten', '', '', '')"
        )
    conn.close()
    code, out, _ = run(app_paths, "--db", str(db), "backup", "--out", str(backup), "--json")
    assert code == 0 and json.loads(out)["backup"] == str(backup)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM location")
    conn.close()
    code, out, err = run(app_paths, "--db", str(db), "restore", str(backup), "--json")
    assert code == 0, err
    saved = json.loads(out)["previous_saved_as"]
    assert saved and Path(saved).exists()
    code, out, _ = run(app_paths, "--db", str(db), "info", "--json")
    assert json.loads(out)["counts"]["location"] == 1


@pytest.mark.sqlite_only
def test_restore_of_a_wrong_file_leaves_the_database(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "kvds.sqlite"
    run(app_paths, "--db", str(db), "init")
    wrong = tmp_path / "photo.jpg"
    wrong.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    code, _, err = run(app_paths, "--lang", "en", "--db", str(db), "restore", str(wrong))
    assert code == 1
    assert "not a KVDS database" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


@pytest.mark.sqlite_only
def test_backup_never_overwrites_the_database(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "kvds.sqlite"
    run(app_paths, "--db", str(db), "init")
    code, _, err = run(app_paths, "--lang", "en", "--db", str(db), "backup", "--out", str(db))
    assert code == 1
    assert "cannot overwrite" in err


def test_demo_then_info(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "demo.sqlite"
    code, out, err = run(app_paths, "--db", str(db), "demo", "--json")
    assert code == 0, err
    assert json.loads(out)["counts"]["candidate"] > 54
    code, out, _ = run(app_paths, "--db", str(db), "info", "--json")
    counts = json.loads(out)["counts"]
    assert counts["location"] == 2
    assert counts["attendance_mark"] > 1000
    code, _, err = run(app_paths, "--lang", "en", "--db", str(db), "demo")
    assert code == 1
    assert "already holds data" in err


@pytest.mark.sqlite_only
def test_newer_schema_and_read_only_files_exit_1_untouched(
    tmp_path: Path, app_paths: AppPaths
) -> None:
    newer = tmp_path / "newer.sqlite"
    run(app_paths, "--db", str(newer), "init")
    conn = sqlite3.connect(newer)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    before = hashlib.sha256(newer.read_bytes()).hexdigest()
    code, _, err = run(app_paths, "--lang", "en", "--db", str(newer), "info")
    assert code == 1 and "newer version of KVDS Desktop" in err and err.count("\n") == 1
    assert hashlib.sha256(newer.read_bytes()).hexdigest() == before

    locked = tmp_path / "readonly.sqlite"
    run(app_paths, "--db", str(locked), "init")
    before = hashlib.sha256(locked.read_bytes()).hexdigest()
    locked.chmod(0o444)
    try:
        code, _, err = run(app_paths, "--lang", "en", "--db", str(locked), "info")
    finally:
        locked.chmod(0o644)
    assert code == 1 and "read-only" in err
    assert hashlib.sha256(locked.read_bytes()).hexdigest() == before
