"""Attendance exports read back: detail and summary as CSV and XLSX, signals per klantmanager."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.attendance_export import (
    DETAIL_HEADERS,
    SUMMARY_HEADERS,
    export_attendance_detail,
    export_attendance_summary,
)
from kvds_desktop.services import attendance as att
from tests.unit.scheduling_world import ACTOR
from tests.unit.test_attendance_figures import AT, _figures_world, _signals_world
from tests.unit.test_attendance_world import MON_1, MON_2, AttendanceWorld, aw

__all__ = ["aw"]
BSN = "123456782"


def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and BSN.encode() not in raw
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_detail_csv_has_one_row_per_mark(aw: AttendanceWorld, tmp_path: Path) -> None:
    _figures_world(aw)
    out = tmp_path / "aanwezigheid.csv"
    assert export_attendance_detail(aw.db, out, start=MON_1, end=MON_2) == 5
    rows = _csv(out)
    assert tuple(rows[0]) == DETAIL_HEADERS
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["datum"] for r in body] == ["2026-09-07"] * 2 + ["2026-09-09"] * 2 + ["2026-09-14"]
    late = next(r for r in body if r["naam"] == "Amal Haddad" and r["datum"] == "2026-09-07")
    assert (late["status"], late["minuten"], late["klantnummer"]) == ("te laat", "30", "D001")
    assert late["les"] == "NT2 09:00–11:30" and late["groep"] == "DRU-A1"
    assert late["geregistreerd door"] == ACTOR.name and late["bron"] == ACTOR.device
    ill = next(r for r in body if r["datum"] == "2026-09-14")
    assert ill["reden"] == "ziek"
    assert export_attendance_detail(aw.db, out, start=MON_2, end=MON_2) == 1  # replaced


def test_summary_matches_the_figures(aw: AttendanceWorld, tmp_path: Path) -> None:
    _figures_world(aw)
    out = tmp_path / "overzicht.csv"
    assert export_attendance_summary(aw.db, out, start=MON_1, end=MON_2) == 3
    rows = _csv(out)
    assert tuple(rows[0]) == SUMMARY_HEADERS
    body = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    amal = body["Amal Haddad"]
    assert (amal["klantnummer"], amal["gemeente"], amal["klantmanager"]) == (
        "D001", "Druten", "Hanneke Dijkstra",
    )  # fmt: skip
    assert (amal["uren aangeboden"], amal["uren gevolgd"]) == ("7", "4")
    assert (amal["uren afwezig geoorloofd"], amal["uren afwezig ongeoorloofd"]) == ("2,5", "0")
    assert (amal["aanwezigheid %"], amal["te laat"]) == ("66,7", "1")
    assert body["Chaya Berhane"]["aanwezigheid %"] == ""  # nothing marked yet
    figures = {f.name: f for f in att.figures_for_group(aw.db, aw.group, MON_1, MON_2)}
    bilal = body["Bilal Nasser"]
    assert float(bilal["uren gevolgd"].replace(",", ".")) == figures["Bilal Nasser"].hours_followed


def test_xlsx_exports_read_back(aw: AttendanceWorld, tmp_path: Path) -> None:
    _figures_world(aw)
    detail, summary = tmp_path / "detail.xlsx", tmp_path / "summary.xlsx"
    assert export_attendance_detail(aw.db, detail, start=MON_1, end=MON_2) == 5
    assert export_attendance_summary(aw.db, summary, start=MON_1, end=MON_2) == 3
    workbook = load_workbook(detail, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert tuple(rows[0]) == DETAIL_HEADERS and len(rows) == 6
    assert rows[1][0].date().isoformat() == "2026-09-07"  # a real date cell
    assert all(BSN not in str(value) for row in rows for value in row)
    workbook = load_workbook(summary, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    amal = next(row for row in rows if row[1] == "Amal Haddad")
    assert amal[4:8] == (7, 4, 2.5, 0) and amal[8] == 66.7


def test_export_errors_are_clear(aw: AttendanceWorld, tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        export_attendance_detail(aw.db, tmp_path / "x.pdf", start=MON_1, end=MON_2)
    assert "csv or .xlsx" in caught.value.message_id
    with pytest.raises(UserError) as caught:
        export_attendance_detail(aw.db, tmp_path / "nope" / "x.csv", start=MON_1, end=MON_2)
    assert caught.value.message_id == "The folder {folder} does not exist."
    with pytest.raises(UserError) as caught:
        export_attendance_summary(aw.db, tmp_path / "x.csv", start=MON_2, end=MON_1)
    assert caught.value.message_id == "The period ends before it starts."
    assert list(tmp_path.glob("*.tmp")) == []


def test_signals_report_has_one_file_per_klantmanager(aw: AttendanceWorld, tmp_path: Path) -> None:
    _signals_world(aw)
    att.ensure_default_rules(aw.db, ACTOR)
    files = att.export_signals_per_klantmanager(aw.db, tmp_path, at=AT)
    assert [f.name for f in files] == ["signalen-2026-09-30-hanneke-dijkstra.csv"]
    rows = _csv(files[0])
    assert rows[0][:3] == ["datum", "klantnummer", "naam"]
    assert {(r[2], r[5]) for r in rows[1:]} == {
        ("Bilal Nasser", "rate"), ("Bilal Nasser", "unexcused"), ("Chaya Berhane", "rate"),
        ("Chaya Berhane", "consecutive"),
    }  # fmt: skip
    assert "2 unexcused absences in 4 weeks" in " ".join(r[6] for r in rows)
