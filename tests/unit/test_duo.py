"""The DUO monthly contract file for Wi2013 candidates, on a copy of the pilot (March 2020)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.domain import bsn
from kvds_desktop.errors import UserError
from kvds_desktop.exchange.duo_export import HEADERS, NO_BSN, problem_rows, write_duo_file
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.duo import duo_contract_rows, export_duo
from kvds_desktop.store.database import Database

MONTH = (2020, 3)
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ME = Actor("coördinator", "laptop-druten")


@pytest.fixture
def pilot(pilot_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, copy)
    database = Database.open(copy)
    yield database
    database.close()


def _laws(db: Database) -> dict[str, str]:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT uid, law FROM candidate")).all())


def test_rows_are_wi2013_candidates_in_a_course(pilot: Database, reference_date: date) -> None:
    rows = duo_contract_rows(pilot, month=MONTH, today=reference_date)
    assert rows
    laws = _laws(pilot)
    assert {laws[r.candidate_uid] for r in rows} == {"wi2013"}
    for row in rows:
        assert row.course_kind in {"NT2", "ONA"}
        assert row.start_date <= date(2020, 3, 31)
        assert row.end_date is None or row.end_date >= date(2020, 3, 1)
        assert row.hours_bought > 0
        assert 0 <= row.ona_hours <= row.hours_attended <= row.hours_bought
        assert bool(row.problem) != bsn.is_valid(row.bsn)


def test_file_name_and_content(pilot: Database, reference_date: date, tmp_path: Path) -> None:
    rows = duo_contract_rows(pilot, month=MONTH, today=reference_date)
    out = write_duo_file(rows, tmp_path, " 12345 ", date(2020, 4, 2))
    assert out == tmp_path / "12345Aanlevering20200402.csv"
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(raw.decode("utf-8").splitlines(), delimiter=";"))
    assert tuple(records[0]) == HEADERS
    body = records[1:]
    good = [r for r in rows if not r.problem]
    assert len(body) == len(good)
    first = good[0]
    assert body[0][:3] == [first.bsn, first.course_kind, first.start_date.isoformat()]
    assert body[0][4] == f"{first.hours_bought:.2f}".replace(".", ",")
    assert all(bsn.is_valid(record[0]) for record in body)


@pytest.mark.parametrize("bow", ["", "12a45", "BOW123", "1234567890123", "12 34"])
def test_bad_bow_number(tmp_path: Path, bow: str) -> None:
    with pytest.raises(UserError) as caught:
        write_duo_file([], tmp_path, bow, date(2020, 4, 2))
    assert "BOW" in caught.value.message_id
    assert not list(tmp_path.iterdir())


def test_candidate_without_bsn_is_reported(
    pilot: Database, reference_date: date, tmp_path: Path
) -> None:
    rows = duo_contract_rows(pilot, month=MONTH, today=reference_date)
    target = next(r for r in rows if not r.problem)
    with pilot.engine.begin() as conn:
        conn.execute(
            text("UPDATE candidate SET bsn = NULL WHERE uid = :u"), {"u": target.candidate_uid}
        )
    rows = duo_contract_rows(pilot, month=MONTH, today=reference_date)
    missing = next(r for r in rows if r.candidate_uid == target.candidate_uid)
    assert missing.problem == NO_BSN and missing.bsn == ""
    assert missing in problem_rows(rows)
    result = export_duo(pilot, rows=rows, month=MONTH, bow="12345", out_dir=tmp_path,
                        today=reference_date, actor=ME, now=NOW)  # fmt: skip
    assert missing in result.problems
    assert result.written == len(rows) - len(result.problems)
    assert target.klantnummer not in result.path.read_text(encoding="utf-8")
    with pilot.engine.connect() as conn:
        action = conn.execute(
            text("SELECT new_values FROM audit_entry WHERE action = 'export.duo'")
        ).scalar_one()
    assert '"with_bsn": true' in action and result.path.name in action


def test_month_checks(pilot: Database, reference_date: date) -> None:
    with pytest.raises(UserError):
        duo_contract_rows(pilot, month=(2020, 13), today=reference_date)
    with pytest.raises(UserError):
        duo_contract_rows(pilot, month=(2026, 12), today=reference_date)
