"""Attendance on the pilot demo: the real marks in a register, and the kvds commands."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.paths import AppPaths
from kvds_desktop.services import attendance as att
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run

TODAY = date(2026, 11, 28)


@pytest.fixture
def pilot(pilot_file: Path) -> Path:
    return pilot_file


@pytest.fixture
def copy(pilot: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot, target)
    return target


def _a_marked_lesson(path: Path) -> tuple[str, str, str]:
    """(lesson uid, a marked candidate's klantnummer, its status code) of a past lesson."""
    db = Database.open(path)
    try:
        with db.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT l.uid, c.klantnummer, s.code FROM attendance_mark m "
                    "JOIN lesson l ON l.id = m.lesson_id JOIN candidate c ON c.id = m.candidate_id "
                    "JOIN attendance_status s ON s.id = m.status_id "
                    "WHERE l.lesson_date = '2026-11-27' AND c.klantnummer IS NOT NULL "
                    "ORDER BY l.id, c.id LIMIT 1"
                )
            ).one()
    finally:
        db.close()
    return str(row[0]), str(row[1]), str(row[2])


def test_the_register_of_a_demo_lesson_shows_the_stored_marks(pilot: Path) -> None:
    db = Database.open(pilot)
    try:
        lesson = next(r for r in att.lessons_for_day(db, date(2026, 11, 27)) if not r.cancelled)
        header, rows = att.open_register(db, lesson.uid)
        with db.engine.connect() as conn:
            stored = dict(
                conn.execute(
                    text(
                        "SELECT c.uid, s.code FROM attendance_mark m "
                        "JOIN candidate c ON c.id = m.candidate_id "
                        "JOIN attendance_status s ON s.id = m.status_id "
                        "WHERE m.lesson_id = :lesson"
                    ),
                    {"lesson": lesson.id},
                ).all()
            )
    finally:
        db.close()
    assert header.uid == lesson.uid and rows
    shown = {r.candidate_uid: r.mark.status_code for r in rows if r.mark is not None}
    assert shown == stored  # the demo marks every member of a past lesson


def test_signals_on_the_demo_match_the_rules(app_paths: AppPaths, copy: Path) -> None:
    result = data(run(app_paths, copy, "--json", "signals"))
    assert result["at"] == "2026-11-28" and result["signals"]
    for signal in result["signals"]:
        assert signal["kind"] in ("rate", "consecutive", "unexcused")
        assert signal["message"] and signal["rule"]
        if signal["kind"] == "rate":
            assert signal["params"]["rate"] < signal["params"]["threshold"]
            assert signal["params"]["lessons"] >= signal["params"]["min_lessons"]
        else:
            assert signal["params"]["count"] >= signal["params"]["threshold"]


def test_attendance_mark_and_history(app_paths: AppPaths, copy: Path) -> None:
    lesson, klantnummer, code = _a_marked_lesson(copy)
    new = "Z" if code != "Z" else "A"
    result = data(run(app_paths, copy, "attendance", "mark", "--lesson", lesson, "--candidate",
                      klantnummer, "--status", new, "--json"))  # fmt: skip
    assert result["before"]["status"] == code and result["after"]["status"] == new
    assert result["after"]["uid"] == result["before"]["uid"]
    history = data(run(app_paths, copy, "attendance", "history", "--lesson", lesson,
                       "--candidate", klantnummer, "--json"))  # fmt: skip
    assert [(h["action"], h["old"]["status"], h["new"]["status"]) for h in history] == [
        ("attendance.change", code, new)
    ]
    code_, _out, err = run(app_paths, copy, "attendance", "mark", "--lesson", lesson,
                           "--candidate", klantnummer, "--status", "M")  # fmt: skip
    assert code_ == 1 and "reason" in err
    code_, _out, _err = run(app_paths, copy, "attendance", "mark", "--lesson", lesson)
    assert code_ == 2


def test_export_attendance_and_unregistered(
    app_paths: AppPaths, copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "detail.csv"
    result = data(run(app_paths, copy, "--json", "export", "attendance", "--from", "2026-11-01",
                      "--to", "2026-11-28", "--out", str(out)))  # fmt: skip
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert result["rows"] == len(rows) - 1 > 0
    summary = tmp_path / "summary.xlsx"
    result = data(run(app_paths, copy, "--json", "export", "attendance", "--summary", "--from",
                      "2026-11-01", "--to", "2026-11-28", "--out", str(summary)))  # fmt: skip
    assert result["summary"] and result["rows"] > 0 and summary.exists()
    assert isinstance(data(run(app_paths, copy, "--json", "unregistered")), list)
    statuses = data(run(app_paths, copy, "--json", "statuses"))
    assert [s["code"] for s in statuses] == ["A", "L", "E", "M", "Z", "O"]
    code, _out, _err = run(
        app_paths, copy, "export", "candidates", "--out", str(tmp_path / "c.csv")
    )
    assert code == 0  # the existing export kind still works
