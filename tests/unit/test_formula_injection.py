"""Formula injection: exported text that looks like a formula stays text in Excel and Calc.

Candidates whose names and notes start with ``=``, ``+``, ``-`` or ``@`` are imported
the normal way, exported as CSV and XLSX, and the files are checked as text, as read
back by openpyxl, as opened by LibreOffice (when installed), and as imported by the app
again (the export must still round-trip).
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kvds_desktop.exchange.attendance_export import _write as write_table
from kvds_desktop.exchange.candidate_export import export_candidates
from kvds_desktop.exchange.cells import is_formula_like, safe_text, unquote_text
from kvds_desktop.exchange.tabular import read_table
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidate_import import commit_import, preview_import
from kvds_desktop.services.candidates.commands import update_candidate
from kvds_desktop.services.offline import workbook
from kvds_desktop.services.offline.workbook_read import read_workbook
from kvds_desktop.services.scheduling import find_group, group_members
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Location
from tests.fixtures.candidate_files import convert_with_libreoffice, soffice
from tests.fixtures.libreoffice import LibreOffice, requires_soffice

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 28)
PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]
HEADER = "klantnummer;voornamen;achternaam;telefoon;aandachtspunten"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A database with candidates whose first names and notes are formula payloads."""
    database = Database.open(tmp_path / "x.sqlite", create=True)
    with database.session() as session:
        session.add(Location(name="Druten", municipality="Druten"))
    source = tmp_path / "in.csv"
    lines = [HEADER] + [
        f'{2000 + i};"{payload}";Test{i};+31 6 1234567{i};"{payload}"'
        for i, payload in enumerate(PAYLOADS)
    ]
    source.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    preview = preview_import(database, source, today=TODAY)
    assert not preview.rejected, preview.rejected
    commit_import(database, preview, actor="coordinator", device="pc", now=NOW)
    yield database
    database.close()


def _csv_cells(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")  # keep a CR inside a cell
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_no_csv_cell_can_be_taken_for_a_formula(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    export_candidates(db, out)
    header, *rows = _csv_cells(out)
    assert len(rows) == len(PAYLOADS)
    for row in rows:
        assert not any(is_formula_like(cell) for cell in row), row
    first, notes = header.index("voornamen"), header.index("aandachtspunten")
    assert sorted(row[first] for row in rows) == sorted("'" + p for p in PAYLOADS)
    assert sorted(row[notes] for row in rows) == sorted("'" + p for p in PAYLOADS)
    phone = header.index("telefoon")
    assert all(row[phone].startswith("'+31") for row in rows)


def test_the_csv_export_still_imports_unchanged(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    export_candidates(db, out)
    table = read_table(out)
    first = table.headers.index("voornamen")
    assert sorted(row.values[first] for row in table.rows) == sorted(p.strip() for p in PAYLOADS)
    preview = preview_import(db, out, today=TODAY)
    assert not preview.new and not preview.changed and not preview.rejected
    assert len(preview.unchanged) == len(PAYLOADS)


def test_xlsx_cells_are_text_not_formulas(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "export.xlsx"
    export_candidates(db, out)
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    sheet = load_workbook(out).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    first = header.index("voornamen") + 1
    cells = [sheet.cell(row, first) for row in range(2, sheet.max_row + 1)]
    assert sorted(str(c.value) for c in cells) == sorted(PAYLOADS)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    preview = preview_import(db, out, today=TODAY)  # and it imports back unchanged
    assert len(preview.unchanged) == len(PAYLOADS) and not preview.changed


@requires_soffice
def test_libreoffice_shows_the_xlsx_text(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "export.xlsx"
    export_candidates(db, out)
    converted = LibreOffice(tmp_path / "lo").convert(out, "csv", tmp_path / "converted")
    rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8"), newline="")))
    first = rows[0].index("voornamen")
    assert sorted(row[first] for row in rows[1:]) == sorted(PAYLOADS)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_csv_without_running_a_formula(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    export_candidates(db, out)
    book = load_workbook(convert_with_libreoffice(out, tmp_path / "lo"))
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    first = header.index("voornamen") + 1
    cells = [sheet.cell(row, first) for row in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "s" for c in cells), [(c.value, c.data_type) for c in cells]
    assert sorted(str(c.value).lstrip("'") for c in cells) == sorted(PAYLOADS)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_shared_table_writer_keeps_numbers_and_quotes_text(tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"table.{kind}"
    rows = [["=1+1", -2.5, 3, "@SUM(A1)", date(2026, 1, 2), "-", "plain", " =1", "\t=1",
             "\r+1", "'=1"]]  # fmt: skip
    write_table(kind, out, [f"h{i}" for i in range(len(rows[0]))], rows, "Sheet")
    if kind == "csv":
        assert _csv_cells(out)[1] == ["'=1+1", "-2,5", "3", "'@SUM(A1)", "2026-01-02", "'-",
                                      "plain", "' =1", "'\t=1", "'\r+1", "''=1"]  # fmt: skip
        return
    sheet = load_workbook(out).active
    assert sheet is not None
    cells = list(sheet[2])
    assert [c.value for c in cells[:4]] == ["=1+1", -2.5, 3, "@SUM(A1)"]
    assert [c.data_type for c in cells[:4]] == ["s", "n", "n", "s"]


@given(st.text(max_size=30))
def test_safe_text_is_undone_by_unquote_text_and_is_never_a_formula(text: str) -> None:
    safe = safe_text(text)
    assert not is_formula_like(safe)
    assert unquote_text(safe) == text


def test_a_teacher_workbook_keeps_a_formula_like_name_as_text(
    pilot_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "coordinator.sqlite"
    shutil.copy(pilot_file, path)
    coordinator = Database.open(path)
    try:
        group = find_group(coordinator, "DRU-A1")
        member = group_members(coordinator, group, date(2026, 11, 30))[0]
        update_candidate(coordinator, member.candidate_uid, {"voornamen": PAYLOADS[0]},
                         Actor("coordinator", "pc"), TODAY)  # fmt: skip
        export = workbook.export_workbook(coordinator, group_uid=group, week="2026-W49",
                                          language="en", actor=Actor("coordinator", "pc"),
                                          now=NOW)  # fmt: skip
    finally:
        coordinator.close()
    out = tmp_path / "werkmap.xlsx"
    out.write_bytes(export.data)
    names = [c for row in load_workbook(out).worksheets[0].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(PAYLOADS[0])]  # fmt: skip
    assert names and all(c.data_type == "s" for c in names)
    read = read_workbook(out)  # the layout check finds the name where it was written
    assert read.incoming.marks == ()
