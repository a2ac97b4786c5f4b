"""Two coordinators editing one record at once: the later save is stopped and explained.

Each test opens the same database twice, as two people on two laptops would: two
Database objects on one SQLite file, and two connections to one PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from kvds_desktop.errors import UserError
from kvds_desktop.services import candidates as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.conflicts import EditConflict, when_text
from kvds_desktop.services.scheduling import groups
from kvds_desktop.services.work import organisations as orgs
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Candidate, Location

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
ANNA = Actor("anna", "laptop-druten")
BERT = Actor("bert", "laptop-wijchen")
Pair = tuple[Database, Database]


@pytest.fixture(params=["sqlite", "postgresql"])
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    """Anna's and Bert's database objects on one shared database."""
    if request.param == "sqlite":
        first = Database.open(tmp_path / "kvds.sqlite", create=True)
        second = Database.open(tmp_path / "kvds.sqlite")
    else:
        url = request.getfixturevalue("pg_url")
        first, second = Database.connect(url), Database.connect(url)
    yield first, second
    second.close()
    first.close()


def _candidate(db: Database) -> str:
    values = {
        "voornamen": "Amal",
        "achternaam": "Haddad",
        "municipality": "Druten",
        "law": "wi2021",
        "registration_date": date(2026, 10, 1),
        "phone": "06-11111111",
    }
    return svc.create_candidate(db, values, ANNA, TODAY)


def _version(db: Database, table: str, uid: str) -> int:
    with db.engine.connect() as conn:
        query = text(f"SELECT version FROM {table} WHERE uid = :uid")
        return int(conn.execute(query, {"uid": uid}).scalar_one())


def _audit(db: Database, uid: str) -> list[tuple[str, str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT actor, action FROM audit_entry WHERE record_uid = :uid ORDER BY id"),
            {"uid": uid},
        )
        return [(str(a), str(b)) for a, b in rows]


def test_a_new_record_starts_at_version_one_and_each_save_bumps_it(two: Pair) -> None:
    a, _b = two
    uid = _candidate(a)
    detail = svc.candidate_detail(a, uid, TODAY)
    assert detail.version == _version(a, "candidate", uid) == 1
    svc.update_candidate(
        a, uid, {"phone": "06-22222222"}, ANNA, TODAY, expected_version=1, loaded=detail.values
    )
    assert svc.candidate_detail(a, uid, TODAY).version == 2
    # saving what is stored already writes nothing, so it cannot clash either
    assert (
        svc.update_candidate(
            a, uid, {"phone": "06-22222222"}, ANNA, TODAY, expected_version=1, loaded=detail.values
        )
        == {}
    )


def test_the_later_save_is_stopped_and_names_the_earlier_one(two: Pair) -> None:
    a, b = two
    uid = _candidate(a)
    anna_sees = svc.candidate_detail(a, uid, TODAY)
    bert_sees = svc.candidate_detail(b, uid, TODAY)
    svc.update_candidate(
        a,
        uid,
        {"phone": "06-33333333", "city": "Druten"},
        ANNA,
        TODAY,
        expected_version=anna_sees.version,
        loaded=anna_sees.values,
    )
    with pytest.raises(EditConflict) as caught:
        svc.update_candidate(
            b,
            uid,
            {"phone": "06-44444444", "email": "amal@example.nl"},
            BERT,
            TODAY,
            expected_version=bert_sees.version,
            loaded=bert_sees.values,
        )
    conflict = caught.value
    assert isinstance(conflict, UserError)
    assert (conflict.who, conflict.device, conflict.version) == ("anna", "laptop-druten", 2)
    assert conflict.when is not None
    assert conflict.params == {"who": "anna", "when": when_text(conflict.when)}
    assert "anna changed this record on" in str(conflict)
    found = {d.field: (d.theirs, d.yours, d.you_changed) for d in conflict.differences}
    assert found == {
        "phone": ("06-33333333", "06-44444444", True),
        "city": ("Druten", "", False),  # Bert did not touch it: Anna's value stays
    }
    # nothing of Bert's was written, Anna's change stands
    stored = svc.candidate_detail(a, uid, TODAY)
    assert (stored.values["phone"], stored.values["email"], stored.version) == (
        "06-33333333",
        "",
        2,
    )
    assert _audit(a, uid) == [("anna", "candidate.create"), ("anna", "candidate.update")]


def test_keep_my_changes_saves_on_top_of_theirs_with_the_new_version(two: Pair) -> None:
    a, b = two
    uid = _candidate(a)
    bert_sees = svc.candidate_detail(b, uid, TODAY)
    svc.update_candidate(
        a, uid, {"phone": "06-33333333", "city": "Druten"}, ANNA, TODAY, expected_version=1
    )
    mine = {"phone": "06-44444444", "email": "amal@example.nl"}
    with pytest.raises(EditConflict) as caught:
        svc.update_candidate(
            b, uid, mine, BERT, TODAY, expected_version=bert_sees.version, loaded=bert_sees.values
        )
    old = svc.update_candidate(
        b, uid, mine, BERT, TODAY, expected_version=caught.value.version, loaded=bert_sees.values
    )
    assert old == {"phone": "06-33333333", "email": ""}
    stored = svc.candidate_detail(b, uid, TODAY)
    assert (stored.values["phone"], stored.values["email"], stored.values["city"]) == (
        "06-44444444",
        "amal@example.nl",
        "Druten",  # Anna's town stays, Bert's fields win
    )
    assert stored.version == 3
    assert _audit(a, uid) == [
        ("anna", "candidate.create"),
        ("anna", "candidate.update"),
        ("bert", "candidate.update"),
    ]


def test_an_old_version_cannot_be_replayed_after_keeping_mine(two: Pair) -> None:
    a, b = two
    uid = _candidate(a)
    svc.update_candidate(a, uid, {"phone": "06-33333333"}, ANNA, TODAY, expected_version=1)
    svc.update_candidate(b, uid, {"phone": "06-44444444"}, BERT, TODAY, expected_version=2)
    with pytest.raises(EditConflict, match="bert changed this record"):
        svc.update_candidate(a, uid, {"phone": "06-55555555"}, ANNA, TODAY, expected_version=2)


def test_take_theirs_is_a_reload_that_shows_their_version(two: Pair) -> None:
    a, b = two
    uid = _candidate(a)
    bert_sees = svc.candidate_detail(b, uid, TODAY)
    svc.update_candidate(a, uid, {"phone": "06-33333333"}, ANNA, TODAY, expected_version=1)
    with pytest.raises(EditConflict):
        svc.update_candidate(
            b, uid, {"phone": "06-44444444"}, BERT, TODAY, expected_version=bert_sees.version
        )
    again = svc.candidate_detail(b, uid, TODAY)
    assert (again.values["phone"], again.version) == ("06-33333333", 2)
    svc.update_candidate(
        b,
        uid,
        {"email": "amal@example.nl"},
        BERT,
        TODAY,
        expected_version=again.version,
        loaded=again.values,
    )
    assert svc.candidate_detail(a, uid, TODAY).version == 3


def _once_before_flush(action: Callable[[], object]) -> Callable[[Session, Any, Any], None]:
    done: list[bool] = []

    def hook(session: Session, _context: Any, _instances: Any) -> None:
        if not done and any(isinstance(o, Candidate) for o in session.dirty):
            done.append(True)
            action()

    return hook


def test_a_save_that_lands_between_check_and_write_is_a_conflict_not_a_crash(two: Pair) -> None:
    a, b = two
    uid = _candidate(a)
    # Anna's check passes (version 1); Bert's save commits before Anna's UPDATE is sent.
    hook = _once_before_flush(
        lambda: svc.update_candidate(
            b, uid, {"phone": "06-44444444"}, BERT, TODAY, expected_version=1
        )
    )
    event.listen(Session, "before_flush", hook)
    try:
        with pytest.raises(EditConflict) as caught:
            svc.update_candidate(
                a,
                uid,
                {"phone": "06-33333333"},
                ANNA,
                TODAY,
                expected_version=1,
                loaded={"phone": "06-11111111"},
            )
    finally:
        event.remove(Session, "before_flush", hook)
    assert (caught.value.who, caught.value.version) == ("bert", 2)
    assert [(d.field, d.theirs, d.yours) for d in caught.value.differences] == [
        ("phone", "06-44444444", "06-33333333")
    ]
    assert svc.candidate_detail(a, uid, TODAY).values["phone"] == "06-44444444"
    assert _audit(a, uid)[-1] == ("bert", "candidate.update")  # Anna's entry rolled back


def test_a_one_shot_save_without_a_version_still_catches_a_race(two: Pair) -> None:
    a, b = two
    uid = _candidate(a)
    hook = _once_before_flush(
        lambda: svc.update_candidate(b, uid, {"city": "Wijchen"}, BERT, TODAY)
    )
    event.listen(Session, "before_flush", hook)
    try:
        with pytest.raises(EditConflict):
            svc.update_candidate(a, uid, {"phone": "06-33333333"}, ANNA, TODAY)
    finally:
        event.remove(Session, "before_flush", hook)
    svc.update_candidate(a, uid, {"phone": "06-33333333"}, ANNA, TODAY)  # no check: saved
    assert svc.candidate_detail(a, uid, TODAY).version == 3


def test_organisations_and_opportunities_use_the_same_check(two: Pair) -> None:
    a, b = two
    org = orgs.save_organisation(
        a, {"name": "Bakkerij De Korenbloem", "city": "Druten"}, actor=ANNA, now=NOW
    )
    loaded = {"name": "Bakkerij De Korenbloem", "city": "Druten", "phone": ""}
    orgs.save_organisation(
        a, {"city": "Wijchen"}, actor=ANNA, now=NOW, uid=org, expected_version=1, loaded=loaded
    )
    assert _version(a, "organisation", org) == 2
    with pytest.raises(EditConflict) as caught:
        orgs.save_organisation(
            b,
            {"phone": "024-1234567"},
            actor=BERT,
            now=NOW,
            uid=org,
            expected_version=1,
            loaded=loaded,
        )
    assert caught.value.who == "anna"
    assert [(d.field, d.theirs, d.yours, d.you_changed) for d in caught.value.differences] == [
        ("city", "Wijchen", "Druten", False)
    ]
    orgs.save_organisation(
        b,
        {"phone": "024-1234567"},
        actor=BERT,
        now=NOW,
        uid=org,
        expected_version=caught.value.version,
        loaded=loaded,
    )
    assert _version(a, "organisation", org) == 3

    job = orgs.save_opportunity(
        a, {"organisation_uid": org, "kind": "stage", "title": "Stage"}, actor=ANNA, now=NOW
    )
    orgs.save_opportunity(a, {"places": 3}, actor=ANNA, now=NOW, uid=job, expected_version=1)
    with pytest.raises(EditConflict):
        orgs.save_opportunity(
            b, {"places": 4}, actor=BERT, now=NOW, uid=job, expected_version=1, loaded={"places": 1}
        )
    orgs.deactivate_organisation(a, org, actor=ANNA, now=NOW)  # closes the opportunity too
    assert (_version(a, "organisation", org), _version(a, "opportunity", job)) == (4, 3)


def test_a_core_update_that_loses_the_race_is_a_conflict(two: Pair) -> None:
    a, b = two
    org = orgs.save_organisation(a, {"name": "Kringloop Wijchen"}, actor=ANNA, now=NOW)
    done: list[bool] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not done and statement.lstrip().upper().startswith("UPDATE ORGANISATION"):
            done.append(True)
            orgs.save_organisation(b, {"city": "Wijchen"}, actor=BERT, now=NOW, uid=org)

    event.listen(a.engine, "before_cursor_execute", before)
    try:
        with pytest.raises(EditConflict) as caught:
            orgs.save_organisation(
                a,
                {"city": "Beuningen"},
                actor=ANNA,
                now=NOW,
                uid=org,
                expected_version=1,
                loaded={"city": ""},
            )
    finally:
        event.remove(a.engine, "before_cursor_execute", before)
    assert (caught.value.who, caught.value.version) == ("bert", 2)
    assert [(d.field, d.theirs, d.yours) for d in caught.value.differences] == [
        ("city", "Wijchen", "Beuningen")
    ]


def test_groups_use_the_same_check(two: Pair) -> None:
    a, b = two
    with a.session() as session:
        place = Location(name="Druten", municipality="Druten")
        session.add(place)
        session.flush()
        assert place.id is not None
        location = place.id
    start = date(2026, 9, 1)
    gid = groups.save_group(
        a, uid=None, name="DRU-A1", location_id=location, start=start, actor=ANNA
    )
    groups.save_group(
        a,
        uid=gid,
        name="DRU-A1",
        location_id=location,
        start=start,
        capacity=12,
        actor=ANNA,
        expected_version=1,
    )
    with pytest.raises(EditConflict) as caught:
        groups.save_group(
            b,
            uid=gid,
            name="DRU-A1",
            location_id=location,
            start=start,
            capacity=14,
            actor=BERT,
            expected_version=1,
            loaded={"capacity": 16},
        )
    assert (caught.value.who, caught.value.table) == ("anna", "study_group")
    assert [(d.field, d.theirs, d.yours) for d in caught.value.differences] == [
        ("capacity", 12, 14)
    ]
    assert _version(b, "study_group", gid) == 2


def test_a_record_removed_meanwhile_is_said_plainly(two: Pair) -> None:
    a, b = two
    org = orgs.save_organisation(a, {"name": "Kringloop Wijchen"}, actor=ANNA, now=NOW)
    with b.engine.begin() as conn:
        conn.execute(text("UPDATE organisation SET version = 5, uid = 'elsewhere'"))
    with pytest.raises(UserError, match="no longer exists"):
        orgs.save_organisation(
            a, {"city": "Wijchen"}, actor=ANNA, now=NOW, uid=org, expected_version=1
        )
