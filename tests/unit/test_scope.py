"""Role and municipality hold in the services, on a file and on a PostgreSQL server.

A region's database holds Druten's and Wijchen's candidates; a Druten job coach sees and
changes Druten's only, a municipality user changes nothing, and on a server only the
users the coordinator added get in (the first one to connect becomes the coordinator).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel, col

from kvds_desktop.domain.access import Role, Scope
from kvds_desktop.domain.search import search
from kvds_desktop.errors import UserError
from kvds_desktop.exchange.candidate_export import export_candidates
from kvds_desktop.services import candidates as svc
from kvds_desktop.services import users
from kvds_desktop.services.access import Access, AccessRefused, attach, current_access
from kvds_desktop.services.access_guard import AccessDenied
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.kpi import compute_kpis
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import AppUser, AuditEntry, CandidateNote

TODAY = date(2026, 11, 28)
ME = Actor("coordinator", "laptop")
CANDIDATE = SQLModel.metadata.tables["candidate"]
PEOPLE = (("Amal", "Druten"), ("Bashir", "Druten"), ("Chaimae", "Wijchen"))
ROLE_NUMBERS = itertools.count(1)


def _fill(db: Database) -> dict[str, str]:
    uids = {}
    for name, municipality in PEOPLE:
        values = {"voornamen": name, "achternaam": "Haddad", "municipality": municipality,
                  "law": "wi2021", "registration_date": date(2026, 10, 1)}  # fmt: skip
        uids[name] = svc.create_candidate(db, values, ME, TODAY)
        svc.add_note(db, uids[name], f"first note about {name}", ME)
    return uids


@pytest.fixture
def region(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A database with two Druten candidates and one Wijchen candidate, and its uids."""
    path = tmp_path / "region.sqlite"
    db = Database.open(path, create=True)
    try:
        return path, _fill(db)
    finally:
        db.close()


def _as(path: Path, role: Role, municipality: str | None) -> Database:
    db = Database.open(path)
    attach(db, Access("someone", role, Scope.of(municipality)))
    return db


def _notes(path: Path) -> list[str]:
    db = Database.open(path)
    try:
        with db.session() as session:
            return sorted(session.execute(select(col(CandidateNote.text))).scalars())
    finally:
        db.close()


def test_a_druten_job_coach_sees_only_druten(region: tuple[Path, dict[str, str]],
                                             tmp_path: Path) -> None:  # fmt: skip
    path, uids = region
    db = _as(path, Role.JOB_COACH, "Druten")
    try:
        rows = svc.candidate_rows(db, TODAY)
        assert sorted(r.name for r in rows) == ["Amal Haddad", "Bashir Haddad"]
        assert search("Chaimae", [r.key for r in rows]) == []
        assert search("Amal", [r.key for r in rows])
        with pytest.raises(UserError):
            svc.find_candidate(db, uids["Chaimae"])
        with pytest.raises(UserError):
            svc.candidate_detail(db, uids["Chaimae"], TODAY)
        assert svc.candidate_detail(db, uids["Amal"], TODAY).notes
        out = tmp_path / "export.csv"
        assert export_candidates(db, out) == 2
        with out.open(encoding="utf-8-sig") as handle:
            assert "Wijchen" not in handle.read()
        kpis = compute_kpis(db, at=TODAY, start=date(2026, 1, 1), end=TODAY)
        assert kpis.figure("candidates_started").count == 2
        assert [g.name for g in kpis.per_municipality] == ["Druten"]
        with db.engine.connect() as conn:  # Core, as the services read
            assert conn.execute(select(func.count()).select_from(CANDIDATE)).scalar() == 2
    finally:
        db.close()


def test_a_druten_job_coach_cannot_change_wijchen_or_the_record(
    region: tuple[Path, dict[str, str]],
) -> None:
    path, uids = region
    db = _as(path, Role.JOB_COACH, "Druten")
    try:
        svc.add_note(db, uids["Amal"], "met the employer", ME)  # a job coach's own work
        with pytest.raises(UserError):
            svc.add_note(db, uids["Chaimae"], "not mine", ME)
        with pytest.raises(AccessDenied, match="may not change candidates"):
            svc.update_candidate(db, uids["Amal"], {"phone": "0612345678"}, ME, TODAY)
        with pytest.raises(AccessDenied), db.engine.begin() as conn:
            conn.execute(update(CANDIDATE).values(phone="0600000000"))
    finally:
        db.close()
    notes = _notes(path)
    assert "met the employer" in notes and "not mine" not in notes


def test_a_druten_coordinator_keeps_to_druten(region: tuple[Path, dict[str, str]]) -> None:
    path, uids = region
    db = _as(path, Role.COORDINATOR, "Druten")
    try:
        svc.update_candidate(db, uids["Amal"], {"phone": "0612345678"}, ME, TODAY)
        with pytest.raises(AccessDenied, match="only change candidates of Druten"):
            svc.update_candidate(db, uids["Bashir"], {"municipality": "Wijchen"}, ME, TODAY)
        with pytest.raises(AccessDenied):
            new = {"voornamen": "Dina", "achternaam": "Saleh", "municipality": "Wijchen",
                   "law": "wi2021", "registration_date": date(2026, 10, 1)}  # fmt: skip
            svc.create_candidate(db, new, ME, TODAY)
        with db.engine.begin() as conn:  # a Core UPDATE reaches Druten's rows only
            conn.execute(update(CANDIDATE).values(city="Nijmegen"))
    finally:
        db.close()
    full = Database.open(path)
    try:
        rows = {r.name: r.municipality for r in svc.candidate_rows(full, TODAY)}
        assert rows == {"Amal Haddad": "Druten", "Bashir Haddad": "Druten",
                        "Chaimae Haddad": "Wijchen"}  # fmt: skip
        with full.engine.connect() as conn:
            cities = dict(conn.execute(select(CANDIDATE.c.voornamen, CANDIDATE.c.city)).all())
        assert cities == {"Amal": "Nijmegen", "Bashir": "Nijmegen", "Chaimae": ""}
    finally:
        full.close()


def test_a_municipality_user_reads_and_changes_nothing(
    region: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, uids = region
    before = _notes(path)
    db = _as(path, Role.MUNICIPALITY, "Wijchen")
    try:
        assert [r.name for r in svc.candidate_rows(db, TODAY)] == ["Chaimae Haddad"]
        with pytest.raises(AccessDenied):
            svc.add_note(db, uids["Chaimae"], "a klantmanager's note", ME)
        with pytest.raises(AccessDenied):
            svc.update_candidate(db, uids["Chaimae"], {"phone": "0612345678"}, ME, TODAY)
        with pytest.raises(AccessDenied), db.engine.begin() as conn:
            conn.execute(text("DELETE FROM candidate_note"))
        # reading and exporting is theirs (the export is audited)
        assert export_candidates(db, tmp_path / "wijchen.csv", actor="km", device="pc") == 1
    finally:
        db.close()
    assert _notes(path) == before


def test_a_teacher_writes_notes_but_not_the_record(region: tuple[Path, dict[str, str]]) -> None:
    path, uids = region
    db = _as(path, Role.TEACHER, None)
    try:
        assert len(svc.candidate_rows(db, TODAY)) == 3  # every municipality
        svc.add_note(db, uids["Chaimae"], "did well in class", ME)
        with pytest.raises(AccessDenied, match="your role is teacher"):
            svc.change_status(db, uids["Chaimae"], "actief", TODAY, "", ME, TODAY)
    finally:
        db.close()
    assert "did well in class" in _notes(path)


def test_a_file_is_the_local_coordinator(region: tuple[Path, dict[str, str]]) -> None:
    path, _uids = region
    db = Database.open(path)
    try:
        if db.is_server:
            pytest.skip("about files; the server run is tested below")
        access = attach(db)
        assert access.role is Role.COORDINATOR and access.scope.everything
        assert not db.session_hooks  # nothing to enforce: the suite runs unchanged
        assert len(svc.candidate_rows(db, TODAY)) == 3
    finally:
        db.close()


# --- a PostgreSQL server: real server logins ---------------------------------------------


@pytest.fixture
def logins(pg_url: str) -> Iterator[list[str]]:
    """Makes server roles that may use the ``pg_url`` database; dropped afterwards."""
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    made: list[str] = []
    yield made
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f"DROP OWNED BY {name}"))
            conn.execute(text(f"DROP ROLE {name}"))
    admin.dispose()


def _login(pg_url: str, made: list[str]) -> str:
    """A new server role allowed to use the database; returns its URL."""
    name = f"kvdsu_{os.getpid()}_{next(ROLE_NUMBERS)}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {name} LOGIN"))
        made.append(name)
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {name}"))
    admin.dispose()
    return make_url(pg_url).set(username=name).render_as_string(hide_password=False)


def _role_name(url: str) -> str:
    return str(make_url(url).username)


def test_server_bootstrap_then_only_added_users(pg_url: str, logins: list[str]) -> None:
    first_url, second_url = _login(pg_url, logins), _login(pg_url, logins)
    first = Database.connect(first_url)
    try:
        access = attach(first)
        assert access.login == _role_name(first_url)
        assert access.role is Role.COORDINATOR and access.scope.everything
        _fill(first)
        with first.session() as session:
            assert session.execute(select(func.count()).select_from(AppUser)).scalar() == 1
            actions = session.execute(select(col(AuditEntry.action))).scalars().all()
            assert "user.bootstrap" in actions
    finally:
        first.close()
    second = Database.connect(second_url)
    try:
        with pytest.raises(AccessRefused, match="kvds users add"):
            current_access(second)
    finally:
        second.close()
    first = Database.connect(first_url)
    try:
        attach(first)
        users.add_user(first, _role_name(second_url), "job_coach", ME, municipality="druten")
    finally:
        first.close()
    second = Database.connect(second_url)
    try:
        access = attach(second)
        assert access.role is Role.JOB_COACH and access.municipality == "Druten"
        rows = svc.candidate_rows(second, TODAY)
        assert sorted(r.name for r in rows) == ["Amal Haddad", "Bashir Haddad"]
        kpis = compute_kpis(second, at=TODAY, start=date(2026, 1, 1), end=TODAY)
        assert kpis.figure("candidates_started").count == 2
        wijchen = next(uid for uid in _uids(first_url) if uid[1] == "Wijchen")[0]
        with pytest.raises(UserError):
            svc.candidate_detail(second, wijchen, TODAY)
        with pytest.raises(UserError):
            svc.add_note(second, wijchen, "not mine", ME)
        with pytest.raises(AccessDenied):
            svc.update_candidate(second, rows[0].uid, {"phone": "0612345678"}, ME, TODAY)
    finally:
        second.close()


def _uids(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        found = [(str(u), str(m)) for u, m in
                 conn.execute(select(CANDIDATE.c.uid, CANDIDATE.c.municipality))]  # fmt: skip
    engine.dispose()
    return found


def test_server_refuses_a_removed_user(pg_url: str, logins: list[str]) -> None:
    boss_url, other_url = _login(pg_url, logins), _login(pg_url, logins)
    boss = Database.connect(boss_url)
    try:
        attach(boss)
        users.add_user(boss, _role_name(other_url), "teacher", ME)
        users.remove_user(boss, _role_name(other_url), ME)
    finally:
        boss.close()
    other = Database.connect(other_url)
    try:
        with pytest.raises(AccessRefused, match="was removed"):
            attach(other)
    finally:
        other.close()
