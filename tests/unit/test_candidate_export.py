"""Exporting candidates, and the `kvds import/export candidates` commands (real files)."""

from __future__ import annotations

import io
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from kvds_desktop.cli import main
from kvds_desktop.errors import UserError
from kvds_desktop.exchange.candidate_export import export_candidates
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.candidate_import import commit_import, preview_import
from kvds_desktop.services.maintenance import table_counts
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import AuditEntry, Candidate, Location
from tests.fixtures.candidate_files import (
    BSN_A,
    BSN_ZERO,
    EXPECTED_NEW,
    EXPECTED_REJECTED,
    REFERENCE,
    write_csv,
)

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
REF = REFERENCE.isoformat()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A database holding the messy export's valid rows, and one merged-away record."""
    database = Database.open(tmp_path / "x.sqlite", create=True)
    with database.session() as session:
        session.add(Location(name="Druten", municipality="Druten"))
    preview = preview_import(database, write_csv(tmp_path / "in.csv"), today=REFERENCE)
    commit_import(database, preview, actor="t", device="d", now=NOW)
    with database.session() as session:
        keep = session.exec(select(Candidate).where(col(Candidate.klantnummer) == "1002300")).one()
        session.add(
            Candidate(voornamen="Oud", achternaam="Record", municipality="Druten", law="wi2021",
                      registration_date=REFERENCE, merged_into_id=keep.id, phone="=1+1")
        )  # fmt: skip
        keep.aandachtspunten = '=HYPERLINK("x")'
        session.add(keep)
    yield database
    database.close()


def test_csv_export_for_excel(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "kandidaten.csv"
    assert export_candidates(db, out) == EXPECTED_NEW
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:4] == ["klantnummer", "voornamen", "tussenvoegsel", "achternaam"]
    assert "bsn" not in header and "geboortedatum" in header
    text = "\n".join(lines)
    assert "Amélie;;Benoît;1990-02-01;V" in text and "Çelik" in text
    assert BSN_A not in text and "Oud" not in text
    assert list(tmp_path.glob(".*.tmp")) == []

    export_candidates(db, out, include_bsn=True)
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].split(";")[1] == "bsn"
    assert any(f";{BSN_ZERO};" in row for row in rows)

    with db.session() as session:
        uid = session.exec(
            select(Candidate.uid).where(col(Candidate.klantnummer) == "1002301")
        ).one()
    assert export_candidates(db, out, uids=[uid]) == 1


def test_xlsx_export_has_typed_cells(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "kandidaten.xlsx"
    assert export_candidates(db, out, include_bsn=True) == EXPECTED_NEW
    workbook = load_workbook(out)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["klantnummer", "bsn"] and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("klantnummer")
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    amelie = rows["1002300"]
    assert amelie[0].data_type == "s" and rows["1002301"][1].value == BSN_ZERO
    birth = amelie[header.index("geboortedatum")]
    assert birth.value == datetime(1990, 2, 1) and birth.number_format == "yyyy-mm-dd"
    notes = amelie[header.index("aandachtspunten")]
    assert notes.data_type == "s" and notes.value == '=HYPERLINK("x")'
    workbook.close()


@pytest.mark.parametrize("name", ["terug.csv", "terug.xlsx"])
def test_an_export_imports_again_as_unchanged(db: Database, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    export_candidates(db, out, include_bsn=name.endswith("xlsx"))
    preview = preview_import(db, out, today=REFERENCE)
    assert (len(preview.new), len(preview.changed), len(preview.conflicts)) == (0, 0, 0)
    assert len(preview.unchanged) == EXPECTED_NEW and not preview.rejected
    assert preview.unknown_columns == []


def test_export_refuses_bad_targets_and_leaves_no_half_file(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"use a file name ending in \.csv or \.xlsx"):
        export_candidates(db, tmp_path / "kandidaten.pdf")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(UserError, match="is a folder"):
        export_candidates(db, folder)
    with pytest.raises(UserError, match="does not exist"):
        export_candidates(db, tmp_path / "nergens" / "k.csv")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes all")
def test_a_read_only_folder_is_explained(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UserError, match="read-only, or the file is open"):
            export_candidates(db, folder / "k.csv")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(os.name != "posix", reason="file size limits are POSIX")
def test_a_failed_write_keeps_the_old_file_and_no_temporary(db: Database, tmp_path: Path) -> None:
    import resource
    import signal

    out = tmp_path / "k.csv"
    out.write_text("vorige export\n", encoding="utf-8")
    # On a file: keeps the WAL index in place, so SQLite need not write (a server needs none).
    holder = sqlite3.connect(db.path) if db.path is not None else None
    if holder is not None:
        holder.execute("SELECT count(*) FROM candidate").fetchone()
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, limits[1]))  # a disk that fills up
    try:
        with pytest.raises(
            UserError, match=r"k\.csv cannot be written: (the disk is full|File too large)"
        ):
            export_candidates(db, out)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, previous)
        if holder is not None:
            holder.close()
    assert out.read_text(encoding="utf-8") == "vorige export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".k.csv")) == []


# --- the command line ---------------------------------------------------------------


def run(paths: AppPaths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--today", REF, "--lang", "en", *argv], paths=paths, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def empty_db(tmp_path: Path, app_paths: AppPaths) -> Path:
    path = tmp_path / "kvds.sqlite"
    assert run(app_paths, "--db", str(path), "init")[0] == 0
    return path


def counts(path: Path) -> dict[str, int]:
    database = Database.open(path)
    try:
        return table_counts(database)
    finally:
        database.close()


def test_cli_import_dry_run_then_import_then_again(
    tmp_path: Path, app_paths: AppPaths, empty_db: Path
) -> None:
    source = str(write_csv(tmp_path / "gemeente.csv"))
    before = counts(empty_db)
    code, out, err = run(app_paths, "--db", str(empty_db), "import", "candidates", source,
                         "--dry-run", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert (data["new"], data["changed"], data["unchanged"], data["committed"]) == (
        EXPECTED_NEW, 0, 0, False,
    )  # fmt: skip
    assert sorted({r["row"] for r in data["rejected"]}) == sorted(EXPECTED_REJECTED)
    assert data["conflicts"] == [] and data["unknown_columns"] == ["Interne code"]
    assert counts(empty_db) == before

    code, out, err = run(app_paths, "--db", str(empty_db), "import", "candidates", source,
                         "--json", "--actor", "Coördinator")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["committed"] is True and data["result"]["created"] == EXPECTED_NEW
    assert counts(empty_db)["candidate"] == EXPECTED_NEW
    database = Database.open(empty_db)
    with database.session() as session:
        # On a server the first connection also records its login as the first coordinator.
        entries = session.exec(select(AuditEntry).where(AuditEntry.action != "user.bootstrap"))
        actors = {a.actor for a in entries}
    database.close()
    assert actors == {"Coördinator"}

    code, out, err = run(app_paths, "--db", str(empty_db), "import", "candidates", source)
    assert code == 0, err
    assert f"0 new, 0 changed, {EXPECTED_NEW} unchanged, 4 rejected, 0 conflicts" in out
    assert "Row 4: the BSN 123456788 fails the 11-check." in out


def test_cli_import_refusals_exit_1(tmp_path: Path, app_paths: AppPaths, empty_db: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("klantnummer;voornamen;achternaam\nK1;;\n", encoding="utf-8")
    before = counts(empty_db)
    code, out, err = run(app_paths, "--db", str(empty_db), "import", "candidates", str(bad))
    assert code == 1 and "Row 2: the name is missing." in out
    assert err == f"kvds: The file {bad.name} has no valid row; nothing was imported.\n"
    assert run(app_paths, "--db", str(empty_db), "import", "candidates", str(bad),
               "--dry-run")[0] == 0  # fmt: skip
    junk = tmp_path / "lijst.xlsx"
    junk.write_bytes(os.urandom(500))
    code, _, err = run(app_paths, "--db", str(empty_db), "import", "candidates", str(junk))
    assert code == 1 and "is not a CSV or XLSX file" in err and err.count("\n") == 1
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Naam" = "schoenmaat"\n', encoding="utf-8")
    code, _, err = run(app_paths, "--db", str(empty_db), "import", "candidates", str(bad),
                       "--mapping", str(mapping))  # fmt: skip
    assert code == 1 and "unknown field schoenmaat" in err
    assert run(app_paths, "--db", str(empty_db), "import", "candidates")[0] == 2
    assert counts(empty_db) == before


def test_cli_export_and_round_trip(tmp_path: Path, app_paths: AppPaths, empty_db: Path) -> None:
    db = str(empty_db)
    run(app_paths, "--db", db, "import", "candidates", str(write_csv(tmp_path / "in.csv")))
    for name in ("uit.csv", "uit.xlsx"):
        out = tmp_path / name
        code, stdout, err = run(app_paths, "--db", db, "export", "candidates", "--out", str(out),
                                "--json")  # fmt: skip
        assert code == 0, err
        assert json.loads(stdout) == {
            "path": str(out), "format": name[-4:].strip("."), "rows": EXPECTED_NEW,
            "with_bsn": False,
        }  # fmt: skip
        code, stdout, err = run(app_paths, "--db", db, "import", "candidates", str(out), "--json")
        assert code == 0, err
        data = json.loads(stdout)
        assert (data["new"], data["changed"], data["unchanged"], data["conflicts"]) == (
            0, 0, EXPECTED_NEW, [],
        )  # fmt: skip
    code, stdout, _ = run(app_paths, "--db", db, "export", "candidates", "--out",
                          str(tmp_path / "bsn.csv"), "--with-bsn")  # fmt: skip
    assert code == 0 and f"{EXPECTED_NEW} candidates exported to" in stdout
    assert BSN_A in (tmp_path / "bsn.csv").read_text(encoding="utf-8-sig")
    code, _, err = run(app_paths, "--db", db, "export", "candidates", "--out",
                       str(tmp_path / "k.ods"))  # fmt: skip
    assert code == 1 and "use a file name ending in .csv or .xlsx" in err
    assert not (tmp_path / "k.ods").exists()


def test_a_target_locked_by_excel_is_explained(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file Excel holds open (simulated: root may write anything)."""
    out = tmp_path / "kandidaten.csv"
    out.write_text("vorige export\n", encoding="utf-8")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "The process cannot access the file", str(dst))

    before = {p.name for p in tmp_path.iterdir()}
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError, match="read-only, or the file is open"):
        export_candidates(db, out)
    assert out.read_text(encoding="utf-8") == "vorige export\n"
    assert {p.name for p in tmp_path.iterdir()} == before  # no temporary file left behind
