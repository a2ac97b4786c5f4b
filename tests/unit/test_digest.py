"""The klantmanager digest: one file per klantmanager with their candidates, no BSN."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from kvds_desktop.domain.enums import ENDED_STATUSES
from kvds_desktop.errors import UserError
from kvds_desktop.exchange.digest_export import HEADERS, digest_file_name
from kvds_desktop.services.attendance import ensure_default_rules
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.digest import digests, write_digests
from kvds_desktop.store.database import Database

START, END = date(2026, 11, 1), date(2026, 11, 28)


@pytest.fixture
def pilot(pilot_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, copy)
    database = Database.open(copy)
    yield database
    database.close()


def _expected(db: Database) -> tuple[dict[str, set[str]], set[str]]:
    """Klantnummers in progress per digest file name, and every BSN."""
    ended = ", ".join(f"'{s.value}'" for s in ENDED_STATUSES)
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT k.name, k.municipality, c.klantnummer FROM candidate c "
            "JOIN klantmanager k ON k.id = c.klantmanager_id "
            f"WHERE c.merged_into_id IS NULL AND c.status NOT IN ({ended})"
        )).all()  # fmt: skip
        bsns = {b for (b,) in conn.execute(text("SELECT bsn FROM candidate WHERE bsn IS NOT NULL"))}
    expected: dict[str, set[str]] = {}
    for name, municipality, klantnummer in rows:
        key = digest_file_name(name, municipality, START, END, "csv")
        expected.setdefault(key, set()).add(klantnummer)
    return expected, bsns


def test_one_csv_per_klantmanager_with_their_candidates(
    pilot: Database, reference_date: date, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    paths = write_digests(pilot, start=START, end=END, out_dir=out, language="nl", fmt="csv",
                          today=reference_date)  # fmt: skip
    expected, bsns = _expected(pilot)
    assert len(paths) > 1
    assert sorted(p.name for p in paths) == sorted(p.name for p in out.iterdir())
    for path in paths:
        assert all(ch.isalnum() or ch in "-." for ch in path.name)
        content = path.read_text(encoding="utf-8-sig")
        records = list(csv.reader(content.splitlines(), delimiter=";"))
        assert tuple(records[0]) == HEADERS
        found = {record[0] for record in records[1:]}
        # in-progress candidates of this klantmanager, plus those who flowed out in the period
        assert expected.get(path.name, set()) <= found
        assert not any(b in content for b in bsns)
    everyone = set().union(*expected.values())
    written = set()
    for path in paths:
        lines = path.read_text(encoding="utf-8-sig").splitlines()[1:]
        written |= {line.split(";")[0] for line in lines}
    assert everyone <= written


def test_digest_rows_belong_to_one_klantmanager(pilot: Database, reference_date: date) -> None:
    ensure_default_rules(pilot, Actor("coördinator", "laptop-druten"))
    result = digests(pilot, start=START, end=END, language="en", today=reference_date)
    with pilot.engine.connect() as conn:
        owner = dict(conn.execute(text(
            "SELECT c.uid, k.name FROM candidate c JOIN klantmanager k ON k.id = c.klantmanager_id"
        )).all())  # fmt: skip
    seen: set[str] = set()
    for digest in result:
        for row in digest.rows:
            assert owner[row.candidate_uid] == digest.klantmanager
            assert row.candidate_uid not in seen
            seen.add(row.candidate_uid)
            assert row.hours_followed <= row.hours_offered + 1e-9
            assert len(row.levels) == 4
    assert any(row.signals for d in result for row in d.rows)


def test_xlsx_and_bad_format(pilot: Database, reference_date: date, tmp_path: Path) -> None:
    paths = write_digests(pilot, start=START, end=END, out_dir=tmp_path, language="nl",
                          fmt="XLSX", today=reference_date)  # fmt: skip
    workbook = load_workbook(paths[0], read_only=True)  # read-only keeps the file open
    try:
        sheet = workbook.active
        assert sheet is not None
        header = next(sheet.iter_rows(max_row=1, values_only=True))
    finally:
        workbook.close()
    assert tuple(header) == HEADERS
    with pytest.raises(UserError):
        write_digests(pilot, start=START, end=END, out_dir=tmp_path, language="nl", fmt="doc",
                      today=reference_date)  # fmt: skip
    with pytest.raises(UserError):
        write_digests(pilot, start=END, end=START, out_dir=tmp_path, language="nl", fmt="csv",
                      today=reference_date)  # fmt: skip
    with pytest.raises(UserError):
        write_digests(pilot, start=START, end=END, out_dir=tmp_path / "missing", language="nl",
                      fmt="csv", today=reference_date)  # fmt: skip


def test_the_pdf_lists_the_same_candidates_as_the_table_and_no_bsn(
    pilot: Database, reference_date: date, tmp_path: Path
) -> None:
    tables, pdfs = tmp_path / "csv", tmp_path / "pdf"
    tables.mkdir()
    pdfs.mkdir()
    for folder, fmt in ((tables, "csv"), (pdfs, "pdf")):
        write_digests(pilot, start=START, end=END, out_dir=folder, language="nl", fmt=fmt,
                      today=reference_date)  # fmt: skip
    _expected_numbers, bsns = _expected(pilot)
    csv_files = sorted(tables.iterdir())
    assert [p.stem for p in csv_files] == sorted(p.stem for p in pdfs.iterdir())
    for table in csv_files:
        records = list(csv.reader(table.read_text("utf-8-sig").splitlines(), delimiter=";"))[1:]
        reader = PdfReader(pdfs / f"{table.stem}.pdf")
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert "Overzicht voor de klantmanager" in text
        assert "1 november 2026 tot en met 28 november 2026" in text
        assert f"{len(records)} kandidat" in text
        for record in records:
            assert record[0] in text and record[1] in text  # klantnummer, name
        assert not any(b in text for b in bsns)
