"""The candidate service on real database files: list, record, changes, duplicates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.domain.search import search
from kvds_desktop.errors import UserError
from kvds_desktop.services import candidates as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.demo import generate_demo
from kvds_desktop.store.database import Database

TODAY = date(2026, 11, 28)
ME = Actor("coördinator", "laptop-druten")


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database.open(tmp_path_factory.mktemp("pilot") / "pilot.sqlite", create=True)
    generate_demo(db, scale="pilot", seed=2019, today=TODAY)
    yield db
    db.close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "kvds.sqlite", create=True)
    yield database
    database.close()


def new(db: Database, **overrides: object) -> str:
    values: dict[str, object] = {
        "voornamen": "Amal",
        "achternaam": "Haddad",
        "municipality": "Druten",
        "law": "wi2021",
        "registration_date": date(2026, 10, 1),
    }
    values.update(overrides)
    return svc.create_candidate(db, values, ME, TODAY)


def test_rows_of_the_pilot_have_names_groups_and_no_bsn(pilot: Database) -> None:
    rows = svc.candidate_rows(pilot, TODAY)
    assert len(rows) > 54
    assert [r.sort_name.casefold() for r in rows] == sorted(r.sort_name.casefold() for r in rows)
    active = [r for r in rows if r.status == "actief"]
    assert active and all(r.group for r in active[:10])
    assert not any(hasattr(r, "bsn") for r in rows)  # the list never carries the BSN
    assert any(r.deadlines for r in rows)


def test_search_over_the_pilot_finds_variants(pilot: Database) -> None:
    rows = svc.candidate_rows(pilot, TODAY)
    keys = [r.key for r in rows]
    mohammeds = {rows[i].name for i, _ in search("muhammad", keys)}
    spellings = {n.split()[0] for n in mohammeds}
    assert len(spellings & {"Mohammed", "Mohamed", "Muhammad", "Mohammad"}) >= 2


def test_detail_masks_the_bsn_and_reveal_is_audited(pilot: Database) -> None:
    with pilot.engine.connect() as conn:
        uid, full = conn.execute(
            text("SELECT uid, bsn FROM candidate WHERE bsn IS NOT NULL LIMIT 1")
        ).one()
    detail = svc.candidate_detail(pilot, uid, TODAY)
    assert detail.has_bsn and detail.bsn_masked.endswith(full[-3:])
    assert full not in detail.bsn_masked and "bsn" not in detail.values
    assert svc.reveal_bsn(pilot, uid, ME) == full
    with pilot.engine.connect() as conn:
        actor = conn.execute(
            text(
                "SELECT actor FROM audit_entry"
                " WHERE action='candidate.bsn_reveal' AND record_uid=:u"
            ),
            {"u": uid},
        ).scalar_one()
    assert actor == "coördinator"


def test_create_validates_every_field(db: Database) -> None:
    with pytest.raises(svc.Invalid) as info:
        new(
            db,
            voornamen="",
            bsn="123456789",
            email="amal@",
            postcode="12 AB",
            birth_date=date(2030, 1, 1),
        )
    fields = {p.field for p in info.value.problems}
    assert fields == {"voornamen", "bsn", "email", "postcode", "birth_date"}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM candidate")).scalar_one() == 0


def test_create_edit_and_audit(db: Database) -> None:
    uid = new(db, bsn="12345672", postcode="6651ab", klantnummer="1002300")  # lost its 0
    detail = svc.candidate_detail(db, uid, TODAY)
    assert detail.bsn_masked.endswith("672") and detail.values["postcode"] == "6651 AB"
    assert detail.status_history[0]["status"] == "aangemeld"
    old = svc.update_candidate(db, uid, {"phone": "06-12345678", "voornamen": "Amal"}, ME, TODAY)
    assert old == {"phone": ""}
    assert svc.update_candidate(db, uid, {"phone": "06-12345678"}, ME, TODAY) == {}
    with db.engine.connect() as conn:
        entry = conn.execute(
            text("SELECT old_values, new_values FROM audit_entry WHERE action='candidate.update'")
        ).one()
        created = conn.execute(
            text("SELECT new_values FROM audit_entry WHERE action='candidate.create'")
        ).scalar_one()
    assert json.loads(entry[1]) == {"phone": "06-12345678"}
    assert "012345672" not in created  # the BSN is masked in the audit trail
    with pytest.raises(UserError, match="already belongs"):
        new(db, klantnummer="1002300", voornamen="Other")


def test_status_lifecycle(db: Database) -> None:
    uid = new(db)
    with pytest.raises(UserError, match="cannot go from"):
        svc.change_status(db, uid, "uitgestroomd", TODAY, "werk", ME, TODAY)
    svc.change_status(db, uid, "actief", date(2026, 10, 5), "", ME, TODAY)
    with pytest.raises(UserError, match="why"):
        svc.change_status(db, uid, "gestopt", TODAY, " ", ME, TODAY)
    with pytest.raises(UserError, match="future"):
        svc.change_status(db, uid, "gepauzeerd", date(2026, 12, 1), "ziek", ME, TODAY)
    svc.change_status(db, uid, "uitgestroomd", TODAY, "betaald werk", ME, TODAY)
    history = svc.candidate_detail(db, uid, TODAY).status_history
    assert [h["status"] for h in history] == ["aangemeld", "actief", "uitgestroomd"]


def test_pip_starts_the_term_and_limits_route_switches(db: Database) -> None:
    uid = new(db, registration_date=date(2024, 1, 10))
    assert [d.kind.value for d in svc.candidate_detail(db, uid, TODAY).deadlines] == ["pip"]
    svc.add_pip_version(
        db,
        uid,
        decision_date=date(2024, 3, 1),
        route="b1",
        target_level="b1",
        reason="",
        actor=ME,
        today=TODAY,
    )
    detail = svc.candidate_detail(db, uid, TODAY)
    assert detail.term_start == date(2024, 3, 2) and detail.term_end == date(2027, 3, 1)
    with pytest.raises(UserError, match="18 months"):
        svc.add_pip_version(
            db,
            uid,
            decision_date=date(2026, 1, 5),
            route="z",
            target_level=None,
            reason="schakelen",
            actor=ME,
            today=TODAY,
        )
    svc.add_pip_version(
        db,
        uid,
        decision_date=date(2026, 1, 5),
        route="b1",
        target_level="a2",
        reason="afschalen",
        actor=ME,
        today=TODAY,
    )
    detail = svc.candidate_detail(db, uid, TODAY)
    assert detail.term_start == date(2024, 3, 2)  # a revision does not move the term
    assert [p["version"] for p in detail.pip_versions] == [1, 2]
    new_end = svc.extend_term(db, uid, months=6, reason="ziekte", decided_on=TODAY, actor=ME)
    assert new_end == date(2027, 9, 1)


def test_notes_and_work_profile(db: Database) -> None:
    uid = new(db)
    svc.add_note(db, uid, "Belt over kinderopvang", ME)
    with pytest.raises(UserError):
        svc.add_note(db, uid, "   ", ME)
    svc.save_work_profile(
        db,
        uid,
        {
            "available_days": "1,3",
            "hours_per_week": 16,
            "transport": "fiets",
            "employer_consent": True,
        },
        ME,
    )
    with pytest.raises(UserError, match="weekday"):
        svc.save_work_profile(db, uid, {"available_days": "ma,wo"}, ME)
    detail = svc.candidate_detail(db, uid, TODAY)
    assert detail.notes[0]["text"] == "Belt over kinderopvang"
    assert detail.work_profile["available_days"] == "1,3"
    assert detail.work_profile["consent_date"] is not None


def test_duplicates_are_flagged_and_merged_with_all_history(db: Database) -> None:
    first = new(db, voornamen="Mohammed", achternaam="Al-Khatib", birth_date=date(1990, 5, 1))
    second = new(
        db,
        voornamen="Muhammad",
        achternaam="Alkhatib",
        birth_date=date(1990, 5, 1),
        phone="0612345678",
        klantnummer="2001",
    )
    new(db, voornamen="Amal", achternaam="Haddad", birth_date=date(1990, 5, 1))
    pairs = svc.find_duplicates(db)
    assert len(pairs) == 1 and {pairs[0].first_uid, pairs[0].second_uid} == {first, second}
    svc.add_note(db, second, "Notitie bij het tweede dossier", ME)
    svc.merge_candidates(db, first, second, ME)
    merged = svc.candidate_detail(db, first, TODAY)
    assert merged.values["phone"] == "0612345678" and merged.values["klantnummer"] == "2001"
    assert [n["text"] for n in merged.notes] == ["Notitie bij het tweede dossier"]
    assert len(merged.status_history) == 2
    assert second not in {r.uid for r in svc.candidate_rows(db, TODAY)}
    assert svc.find_duplicates(db) == []


def test_not_a_duplicate_is_remembered(db: Database) -> None:
    a = new(db, voornamen="Yusuf", achternaam="Abdi", birth_date=date(1985, 2, 2))
    b = new(db, voornamen="Youssef", achternaam="Abdi", birth_date=date(1985, 2, 2))
    assert len(svc.find_duplicates(db)) == 1
    svc.mark_not_duplicate(db, a, b, ME)
    assert svc.find_duplicates(db) == []
