"""A municipality's scope over the pilot's real data: the register and the matching proposal.

The pilot holds candidates, groups, lessons, marks and opportunities of Druten and Wijchen.
A Druten job coach must meet Wijchen's candidates nowhere: not in a Wijchen lesson's
register, not in a Druten register, not in the matching proposal. On a SQLite file this
uses an explicit access; the PostgreSQL pass runs the same on the server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.domain.access import Role, Scope
from kvds_desktop.services import attendance as att
from kvds_desktop.services.access import Access, attach
from kvds_desktop.services.work import proposal
from kvds_desktop.store.database import Database
from tests.conftest import REFERENCE_DATE


@pytest.fixture(scope="module")
def pilot_copy(pilot_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scope") / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    return path


def _municipalities(db: Database) -> dict[str, str]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT uid, municipality FROM candidate"))
        return {uid: town for uid, town in rows}


def _busiest_lesson(db: Database, town: str) -> str:
    query = text(
        "SELECT l.uid FROM attendance_mark m JOIN lesson l ON l.id = m.lesson_id "
        "JOIN candidate c ON c.id = m.candidate_id WHERE c.municipality = :town "
        "AND l.lesson_date <= :today GROUP BY l.id, l.uid ORDER BY count(*) DESC, l.id LIMIT 1"
    )
    with db.engine.connect() as conn:
        return str(conn.execute(query, {"town": town, "today": REFERENCE_DATE}).scalar_one())


def test_a_druten_job_coach_meets_no_wijchen_candidate(pilot_copy: Path) -> None:
    everyone = Database.open(pilot_copy)
    try:
        towns = _municipalities(everyone)
        druten_lesson = _busiest_lesson(everyone, "Druten")
        wijchen_lesson = _busiest_lesson(everyone, "Wijchen")
        _header, wijchen_rows = att.open_register(everyone, wijchen_lesson)
        full = proposal.propose_matches(everyone, today=REFERENCE_DATE)
    finally:
        everyone.close()
    assert wijchen_rows and {towns[r.candidate_uid] for r in wijchen_rows} == {"Wijchen"}
    assert "Wijchen" in {towns[p.candidate_uid] for p in full.pairs}

    coach = Database.open(pilot_copy)
    try:
        attach(coach, Access("anna", Role.JOB_COACH, Scope.of("Druten")))
        _header, own_rows = att.open_register(coach, druten_lesson)
        try:
            _header, other_rows = att.open_register(coach, wijchen_lesson)
        except Exception as refused:  # a lesson of no candidate in scope may be refused
            assert "Traceback" not in str(refused)
            other_rows = []
        scoped = proposal.propose_matches(coach, today=REFERENCE_DATE)
    finally:
        coach.close()
    assert own_rows and {towns[r.candidate_uid] for r in own_rows} == {"Druten"}
    assert other_rows == []
    assert {towns[p.candidate_uid] for p in scoped.pairs} <= {"Druten"}
