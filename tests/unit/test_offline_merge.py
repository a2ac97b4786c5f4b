"""The merge of offline marks: facts, order independence, conflicts, provenance, receipts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kvds_desktop.errors import UserError
from kvds_desktop.services import attendance as att
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import merge
from kvds_desktop.services.offline.facts import (
    MARKS_KIND,
    WORKBOOK_KIND,
    IncomingFile,
    IncomingMark,
    device_source,
    fact_uid,
    workbook_source,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import SentPack
from tests.unit.test_attendance_world import MON_1, MON_2, NOW, WED_1, AttendanceWorld, build

COORDINATOR = Actor("coordinator", "office-pc")
LATER = NOW + timedelta(hours=1)
WEEK = "2026-W38"


@pytest.fixture
def aw(tmp_path: Path) -> Iterator[AttendanceWorld]:
    built = build(tmp_path)
    yield built
    built.world.close()


def send_pack(
    db: Database, lessons: list[str], *, teacher: str = "Anna", week: str = WEEK, kind: str = "pack"
) -> str:
    """Record a pack the coordinator sent; returns its uid."""
    with db.session() as session:
        pack = SentPack(kind=kind, teacher_name=teacher, group_names="DRU-A1", week=week,
                        lesson_uids=json.dumps(lessons))  # fmt: skip
        session.add(pack)
        session.flush()
        return pack.uid


def mark(
    source: str,
    lesson: str,
    candidate: str,
    code: str,
    *,
    revision: int = 0,
    reason: str = "",
    minutes: int | None = None,
    note: str = "",
) -> IncomingMark:
    """A fact as a source reports it; its uid follows from what it says."""
    return IncomingMark(
        uid=fact_uid(source, lesson, candidate, revision, code, reason, minutes),
        lesson_uid=lesson, candidate_uid=candidate, status_code=code, reason=reason,
        minutes=minutes, note=note, revision=revision,
        recorded_at=datetime(2026, 9, 7, 9, 5),  # a laptop clock without a zone
    )  # fmt: skip


def a_file(
    db: Database,
    pack: str,
    source: str,
    label: str,
    marks: list[IncomingMark],
    *,
    name: str | None = None,
    kind: str = MARKS_KIND,
) -> IncomingFile:
    """An incoming file of one source."""
    return IncomingFile(
        kind=kind, file_name=name or f"{label}.kvdsmarks", sha256="0" * 64,
        database_uid=merge.database_uid(db), pack_uid=pack, source_key=source,
        source_label=label, device_id=source.rsplit(":", 1)[-1], exported_at=None,
        marks=tuple(marks),
    )  # fmt: skip


def snapshot(db: Database) -> tuple[Any, ...]:
    """Marks (values, origin, note, source), open conflicts (claim sets) and fact uids."""
    with db.engine.connect() as conn:
        marks = conn.execute(
            text(
                "SELECT l.uid, c.uid, s.code, m.reason, m.minutes, m.origin, m.note, m.source "
                "FROM attendance_mark m JOIN lesson l ON l.id = m.lesson_id "
                "JOIN candidate c ON c.id = m.candidate_id "
                "JOIN attendance_status s ON s.id = m.status_id"
            )
        ).all()
        facts = {r[0] for r in conn.execute(text("SELECT uid FROM mark_fact"))}
    conflicts = {
        (c.lesson_uid, c.candidate_uid): frozenset(
            (k.key, k.fact_uid, k.status_code, k.reason, k.minutes) for k in c.claims
        )
        for c in merge.list_conflicts(db)
    }
    return sorted(tuple(r) for r in marks), conflicts, facts


def current(aw: AttendanceWorld, day: date, who: str) -> att.MarkRow | None:
    _, rows = att.open_register(aw.db, aw.lesson(day))
    return {r.candidate_uid: r.mark for r in rows}[aw.people[who]]


def origin(aw: AttendanceWorld, day: date, who: str) -> str | None:
    with aw.db.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT m.origin FROM attendance_mark m JOIN lesson l ON l.id = m.lesson_id "
                "JOIN candidate c ON c.id = m.candidate_id WHERE l.uid = :l AND c.uid = :c"
            ),
            {"l": aw.lesson(day), "c": aw.people[who]},
        ).scalar()


def count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def actions(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT action FROM audit_entry ORDER BY id"))]


class Two:
    """Two teachers' devices of one pack for the group's first lessons."""

    def __init__(self, aw: AttendanceWorld) -> None:
        self.aw = aw
        self.lessons = [aw.lesson(MON_1), aw.lesson(WED_1)]
        self.pack = send_pack(aw.db, self.lessons)
        self.anna = device_source(self.pack, "laptop-anna")
        self.bram = device_source(self.pack, "laptop-bram")

    def file(self, who: str, marks: list[tuple[Any, ...]], **kw: Any) -> IncomingFile:
        source = self.anna if who == "Anna" else self.bram
        facts = [
            mark(source, self.aw.lesson(day), self.aw.people[person], code, **extra)
            for day, person, code, extra in ((*m, {})[:4] for m in marks)
        ]
        return a_file(self.aw.db, self.pack, source, who, facts, **kw)

    def run(self, incoming: IncomingFile, at: datetime = NOW) -> merge.ImportReport:
        return merge.import_incoming(self.aw.db, incoming, actor=COORDINATOR, now=at)


@pytest.fixture
def two(aw: AttendanceWorld) -> Two:
    return Two(aw)


def test_the_database_has_an_identity(aw: AttendanceWorld) -> None:
    uid = merge.database_uid(aw.db)
    assert len(uid) == 36 and merge.database_uid(aw.db) == uid


def test_a_file_sets_merged_marks_with_provenance(two: Two) -> None:
    aw = two.aw
    late = (MON_1, "Bilal", "L", {"minutes": 15, "note": "bus"})
    report = two.run(two.file("Anna", [(MON_1, "Amal", "A"), late]))
    assert (report.imported, report.changed_marks, report.unchanged) == (2, 2, 0)
    assert report.conflicts == report.unknown == report.rejected == ()
    amal = current(aw, MON_1, "Amal")
    assert amal is not None and amal.status_code == "A"
    assert (amal.recorded_by, amal.source, amal.recorded_at) == ("Anna", "Anna", NOW)
    assert origin(aw, MON_1, "Amal") == "merged"
    bilal = current(aw, MON_1, "Bilal")
    assert bilal is not None and (bilal.minutes, bilal.note) == (15, "bus")
    facts = merge.provenance(aw.db, aw.lesson(MON_1), aw.people["Bilal"])
    assert [(f.key, f.label, f.status_code, f.minutes) for f in facts] == [
        (two.anna, "Anna", "L", 15)
    ]
    assert facts[0].recorded_at == datetime(2026, 9, 7, 9, 5, tzinfo=UTC)
    history = att.mark_history(aw.db, aw.lesson(MON_1), aw.people["Amal"])
    assert [h.action for h in history] == ["attendance.merge"]
    assert history[0].new["status"] == "A" and history[0].actor == COORDINATOR.name
    assert "attendance.import" in actions(aw.db)


def test_the_same_file_twice_changes_nothing(two: Two) -> None:
    incoming = two.file("Anna", [(MON_1, "Amal", "A"), (MON_1, "Bilal", "Z")])
    two.run(incoming)
    before = snapshot(two.aw.db)
    again = two.run(incoming, LATER)
    assert (again.imported, again.changed_marks, again.unchanged) == (0, 0, 2)
    assert again.conflicts == ()
    assert snapshot(two.aw.db) == before


def test_two_agreeing_teachers_share_the_mark(two: Two) -> None:
    two.run(two.file("Bram", [(MON_1, "Amal", "A", {"note": "from Bram"})]))
    two.run(two.file("Anna", [(MON_1, "Amal", "A", {"note": "from Anna"})]))
    amal = current(two.aw, MON_1, "Amal")
    assert amal is not None
    # the note and the recorder come from the smallest source key, whatever came first
    first = "Anna" if two.anna < two.bram else "Bram"
    assert amal.recorded_by == first and amal.note == f"from {first}"
    assert amal.source in ("Anna, Bram", "Bram, Anna")
    assert merge.list_conflicts(two.aw.db) == []


@pytest.mark.parametrize("anna_first", [True, False])
def test_two_files_give_the_same_result_in_either_order(tmp_path: Path, anna_first: bool) -> None:
    results = []
    for order in (anna_first, not anna_first):
        folder = tmp_path / str(order)
        folder.mkdir()
        world = build(folder)
        two = Two(world)
        anna = two.file("Anna", [(MON_1, "Amal", "A"), (MON_1, "Bilal", "Z"),
                                 (WED_1, "Chaya", "M", {"reason": "ziek"})])  # fmt: skip
        bram = two.file("Bram", [(MON_1, "Amal", "A"), (MON_1, "Bilal", "A"),
                                 (WED_1, "Chaya", "M", {"reason": "werk"})])  # fmt: skip
        for incoming in (anna, bram) if order else (bram, anna):
            two.run(incoming)
        state = snapshot(world.db)
        # fact uids and lesson uids differ between worlds: compare by name and value
        marks = sorted((r[2], r[5]) for r in state[0])
        conflicts = sorted(sorted((k[0] == two.anna, k[2], k[3]) for k in claims)
                           for claims in state[1].values())  # fmt: skip
        results.append((marks, conflicts, len(state[2])))
        assert current(world, MON_1, "Bilal") is None  # disagreement: no mark shown
        world.world.close()
    assert results[0] == results[1]
    assert results[0][0] == [("A", "merged")]
    assert len(results[0][1]) == 2


def test_disagreeing_files_open_a_conflict_reported_once(two: Two) -> None:
    two.run(two.file("Anna", [(MON_1, "Amal", "A")]))
    report = two.run(two.file("Bram", [(MON_1, "Amal", "Z")]))
    assert report.changed_marks == 1  # the merged mark of Anna is taken away
    assert current(two.aw, MON_1, "Amal") is None
    [conflict] = report.conflicts
    assert conflict.state == "open" and conflict.candidate_name == "Amal Haddad"
    assert conflict.group_name == "DRU-A1" and conflict.lesson_date == MON_1
    assert sorted((c.label, c.status_code) for c in conflict.claims) == [("Anna", "A"),
                                                                         ("Bram", "Z")]  # fmt: skip
    assert conflict.current is None
    assert two.run(two.file("Bram", [(MON_1, "Amal", "Z")])).conflicts == ()
    assert "attendance.conflict.open" in actions(two.aw.db)


def test_one_source_disagreeing_with_itself_is_a_conflict(two: Two) -> None:
    workbook = workbook_source(two.pack)
    lesson, amal = two.aw.lesson(MON_1), two.aw.people["Amal"]
    first = a_file(two.aw.db, two.pack, workbook, "Anna", [mark(workbook, lesson, amal, "A")],
                   kind=WORKBOOK_KIND)  # fmt: skip
    refilled = a_file(two.aw.db, two.pack, workbook, "Anna", [mark(workbook, lesson, amal, "Z")],
                      kind=WORKBOOK_KIND)  # fmt: skip
    two.run(first)
    report = two.run(refilled)
    [conflict] = report.conflicts
    assert sorted(c.status_code for c in conflict.claims) == ["A", "Z"]
    with pytest.raises(UserError, match="more than one value"):
        merge.resolve_conflict(two.aw.db, conflict.uid, keep=workbook, actor=COORDINATOR,
                               now=LATER)  # fmt: skip
    kept = next(c for c in conflict.claims if c.status_code == "Z")
    assert kept.fact_uid is not None
    merge.resolve_conflict(two.aw.db, conflict.uid, keep=kept.fact_uid, actor=COORDINATOR,
                           now=LATER)  # fmt: skip
    found = current(two.aw, MON_1, "Amal")
    assert found is not None and found.status_code == "Z"


def test_a_later_revision_settles_a_conflict_in_any_order(tmp_path: Path) -> None:
    states = []
    for n, order in enumerate(((0, 1, 2), (2, 0, 1), (1, 2, 0))):
        folder = tmp_path / str(n)
        folder.mkdir()
        world = build(folder)
        two = Two(world)
        files = [
            two.file("Anna", [(MON_1, "Amal", "A")]),
            two.file("Bram", [(MON_1, "Amal", "Z")]),
            two.file("Bram", [(MON_1, "Amal", "A", {"revision": 1})]),
        ]
        for index in order:
            two.run(files[index])
        amal = current(world, MON_1, "Amal")
        assert amal is not None and amal.status_code == "A"
        assert origin(world, MON_1, "Amal") == "merged"
        states.append((merge.list_conflicts(world.db, state=None), count(world.db, "mark_fact")))
        world.world.close()
    assert all(state == ([], 3) for state in states)


def test_a_withdrawal_removes_a_merged_mark_and_keeps_the_facts(two: Two) -> None:
    two.run(two.file("Anna", [(MON_1, "Amal", "A")]))
    report = two.run(two.file("Anna", [(MON_1, "Amal", "", {"revision": 1})]))
    assert report.changed_marks == 1 and current(two.aw, MON_1, "Amal") is None
    facts = merge.provenance(two.aw.db, two.aw.lesson(MON_1), two.aw.people["Amal"])
    assert [(f.revision, f.status_code) for f in facts] == [(0, "A"), (1, "")]
    history = att.mark_history(two.aw.db, two.aw.lesson(MON_1), two.aw.people["Amal"])
    assert [h.action for h in history] == ["attendance.merge", "attendance.merge"]
    assert history[1].old["status"] == "A" and history[1].new == {}


def test_a_withdrawal_settles_a_conflict(two: Two) -> None:
    two.run(two.file("Anna", [(MON_1, "Amal", "A")]))
    two.run(two.file("Bram", [(MON_1, "Amal", "Z")]))
    assert len(merge.list_conflicts(two.aw.db)) == 1
    two.run(two.file("Bram", [(MON_1, "Amal", "", {"revision": 1})]))
    assert merge.list_conflicts(two.aw.db, state=None) == []
    amal = current(two.aw, MON_1, "Amal")
    assert amal is not None and amal.status_code == "A"
    assert "attendance.conflict.settle" in actions(two.aw.db)


def test_a_file_disagreeing_with_my_mark_waits_and_keep_theirs(two: Two) -> None:
    aw = two.aw
    aw.mark(MON_1, "Amal", "Z", note="typed")
    report = two.run(two.file("Anna", [(MON_1, "Amal", "L", {"minutes": 10})]))
    [conflict] = report.conflicts
    assert [c.key for c in conflict.claims] == ["mine", two.anna]
    assert conflict.claims[0].label == "tester" and conflict.claims[0].fact_uid is None
    mine = current(aw, MON_1, "Amal")
    assert mine is not None and mine.status_code == "Z"  # my mark stays meanwhile
    assert conflict.current == mine
    with pytest.raises(UserError, match="not one of the claims"):
        merge.resolve_conflict(aw.db, conflict.uid, keep="Carla", actor=COORDINATOR, now=LATER)
    row = merge.resolve_conflict(aw.db, conflict.uid, keep="theirs", actor=COORDINATOR,
                                 now=LATER)  # fmt: skip
    assert (row.state, row.kept, row.resolved_by, row.resolved_at) == (
        "resolved",
        two.anna,
        COORDINATOR.name,
        LATER,
    )
    kept = current(aw, MON_1, "Amal")
    assert kept is not None and (kept.status_code, kept.minutes, kept.recorded_by) == (
        "L",
        10,
        "Anna",
    )
    assert origin(aw, MON_1, "Amal") == "resolved"
    history = att.mark_history(aw.db, aw.lesson(MON_1), aw.people["Amal"])
    assert history[-1].action == "attendance.resolve"
    assert history[-1].old["status"] == "Z" and history[-1].new["status"] == "L"
    assert history[-1].new["kept"] == two.anna and history[-1].new["conflict"] == conflict.uid
    with pytest.raises(UserError, match="resolved already"):
        merge.resolve_conflict(aw.db, conflict.uid, keep="mine", actor=COORDINATOR, now=LATER)
    assert merge.list_conflicts(aw.db) == []
    assert [c.uid for c in merge.list_conflicts(aw.db, state="resolved")] == [conflict.uid]
    # importing the file again, or another agreeing source, changes nothing
    assert two.run(two.file("Anna", [(MON_1, "Amal", "L", {"minutes": 10})])).changed_marks == 0
    assert merge.list_conflicts(aw.db) == []


def test_a_file_coming_round_to_my_mark_settles_the_conflict(two: Two) -> None:
    two.aw.mark(MON_1, "Amal", "Z")
    assert len(two.run(two.file("Anna", [(MON_1, "Amal", "A")])).conflicts) == 1
    report = two.run(two.file("Anna", [(MON_1, "Amal", "Z", {"revision": 1})]))
    assert report.conflicts == () and report.changed_marks == 0
    assert merge.list_conflicts(two.aw.db, state=None) == []
    assert origin(two.aw, MON_1, "Amal") == "local"


def test_keep_mine_by_label_is_audited_and_keeps_my_values(two: Two) -> None:
    aw = two.aw
    aw.mark(MON_1, "Amal", "Z")
    [conflict] = two.run(two.file("Anna", [(MON_1, "Amal", "A")])).conflicts
    with pytest.raises(UserError):
        merge.resolve_conflict(aw.db, "no-such-conflict", keep="mine", actor=COORDINATOR,
                               now=LATER)  # fmt: skip
    row = merge.resolve_conflict(aw.db, conflict.uid, keep="TESTER", actor=COORDINATOR,
                                 now=LATER)  # fmt: skip
    assert row.kept == "mine" and row.current is not None
    assert (row.current.status_code, row.current.recorded_by, row.current.recorded_at) == (
        "Z",
        "tester",
        NOW,
    )
    assert origin(aw, MON_1, "Amal") == "resolved"
    history = att.mark_history(aw.db, aw.lesson(MON_1), aw.people["Amal"])
    assert history[-1].action == "attendance.resolve" and history[-1].new["kept"] == "mine"
    # the same disagreement does not come back
    assert two.run(two.file("Anna", [(MON_1, "Amal", "A")])).conflicts == ()
    assert merge.list_conflicts(aw.db) == []


def test_a_new_different_fact_reopens_a_resolved_conflict(two: Two) -> None:
    aw = two.aw
    two.run(two.file("Anna", [(MON_1, "Amal", "A")]))
    [conflict] = two.run(two.file("Bram", [(MON_1, "Amal", "Z")])).conflicts
    with pytest.raises(UserError, match="disagree among themselves"):
        merge.resolve_conflict(aw.db, conflict.uid, keep="theirs", actor=COORDINATOR, now=LATER)
    merge.resolve_conflict(aw.db, conflict.uid, keep="bram", actor=COORDINATOR, now=LATER)
    amal = current(aw, MON_1, "Amal")
    assert amal is not None and amal.status_code == "Z"
    # a new fact that agrees with the decision changes nothing
    assert two.run(two.file("Bram", [(MON_1, "Amal", "Z", {"revision": 1})])).conflicts == ()
    # a new fact that differs reopens it; the resolved mark stays meanwhile
    report = two.run(two.file("Anna", [(MON_1, "Amal", "E", {"revision": 1, "minutes": 30})]))
    [reopened] = report.conflicts
    assert reopened.uid == conflict.uid and reopened.state == "open"
    assert reopened.kept == two.bram  # the last decision stays visible
    assert {c.key for c in reopened.claims} == {"mine", two.anna, two.bram}
    assert current(aw, MON_1, "Amal") == amal and report.changed_marks == 0
    # withdrawing the new fact again: back to the decision taken
    two.run(two.file("Anna", [(MON_1, "Amal", "", {"revision": 2})]))
    [back] = merge.list_conflicts(aw.db, state=None)
    assert back.state == "resolved" and back.kept == two.bram
    assert "attendance.conflict.reopen" in actions(aw.db)


def test_unknown_lessons_and_candidates_are_reported_not_stored(two: Two) -> None:
    aw = two.aw
    lesson, amal = aw.lesson(MON_1), aw.people["Amal"]
    marks = [
        mark(two.anna, "no-such-lesson", amal, "A"),
        mark(two.anna, lesson, "no-such-candidate", "A"),
        mark(two.anna, lesson, amal, "A"),
    ]
    report = two.run(a_file(aw.db, two.pack, two.anna, "Anna", marks))
    assert report.imported == 1
    assert [(u.problem, u.lesson_uid, u.candidate_uid) for u in report.unknown] == [
        ("lesson", "no-such-lesson", amal),
        ("candidate", lesson, "no-such-candidate"),
    ]
    assert "no-such-lesson" in str(report.unknown[0].why)
    assert count(aw.db, "mark_fact") == 1


def test_marks_breaking_the_rules_are_rejected_with_why(two: Two) -> None:
    aw = two.aw
    outsider = aw.world.candidate("Dina", "Outside", "D009")
    svc.cancel_lesson(aw.db, aw.lesson(MON_2), reason="ziek", actor=COORDINATOR)
    lesson = aw.lesson(MON_1)
    marks = [
        mark(two.anna, aw.lesson(MON_2), aw.people["Amal"], "A"),
        mark(two.anna, lesson, aw.people["Amal"], "Q"),
        mark(two.anna, lesson, aw.people["Bilal"], "M"),  # needs a reason
        mark(two.anna, lesson, aw.people["Chaya"], "L", minutes=900),
        mark(two.anna, lesson, outsider, "A"),
        mark(two.anna, aw.lesson(WED_1), aw.people["Amal"], "O", reason="overig"),
        mark(two.anna, aw.lesson(WED_1), aw.people["Bilal"], "a"),  # accepted, code cleaned
    ]
    report = two.run(a_file(aw.db, two.pack, two.anna, "Anna", marks))
    assert [r.problem for r in report.rejected] == [
        "cancelled", "status", "value", "value", "member", "status"]  # fmt: skip
    assert report.rejected[4].candidate_name == "Dina Outside"
    assert report.rejected[0].why.message_id.startswith("This lesson was cancelled")
    assert report.imported == 1 and count(aw.db, "mark_fact") == 1
    bilal = current(aw, WED_1, "Bilal")
    assert bilal is not None and bilal.status_code == "A"


def test_a_file_from_another_database_writes_nothing(two: Two) -> None:
    aw = two.aw
    audits = count(aw.db, "audit_entry")
    foreign = replace(two.file("Anna", [(MON_1, "Amal", "A")]), database_uid="another-db")
    with pytest.raises(UserError, match="another KVDS database"):
        two.run(foreign)
    unsent = replace(two.file("Anna", [(MON_1, "Amal", "A")]), pack_uid="never-sent")
    with pytest.raises(UserError, match="never sent"):
        two.run(unsent)
    assert count(aw.db, "mark_fact") == count(aw.db, "attendance_mark") == 0
    assert count(aw.db, "audit_entry") == audits


def test_receipts_count_expected_and_received_lessons(two: Two) -> None:
    aw = two.aw
    other = send_pack(aw.db, [aw.lesson(MON_2), "gone-lesson"], teacher="Bram", week="2026-W39")
    report = two.run(two.file("Anna", [(MON_1, "Amal", "A")]))
    receipt = report.receipt
    assert receipt is not None and receipt.pack_uid == two.pack
    assert (receipt.expected, receipt.received, receipt.teacher_name) == (2, 1, "Anna")
    assert [(m.lesson_date, m.group_name) for m in receipt.missing] == [(WED_1, "DRU-A1")]
    rows = merge.receipts(aw.db)
    assert [(r.teacher_name, r.week, r.expected, r.received) for r in rows] == [
        ("Anna", WEEK, 2, 1), ("Bram", "2026-W39", 1, 0)]  # fmt: skip
    assert [r.pack_uid for r in merge.receipts(aw.db, week="2026-W39")] == [other]
    svc.cancel_lesson(aw.db, aw.lesson(WED_1), reason="studiedag", actor=COORDINATOR)
    [done] = merge.receipts(aw.db, pack_uids=[two.pack])
    assert (done.expected, done.received, done.missing) == (1, 1, ())


def test_two_thousand_marks_go_in_at_once_and_again_change_nothing(tmp_path: Path) -> None:
    world = build(tmp_path)
    day_lessons = [r.uid for r in world.world.lessons(MON_1, date(2026, 11, 30))
                   if r.group_uid == world.group]  # fmt: skip
    people = list(world.people.values())
    people += [world.world.candidate(f"Kandidaat{n:03d}", "Test") for n in range(len(people), 85)]
    with world.db.session() as session:
        session.connection().execute(
            text(
                "INSERT INTO group_membership (uid, group_id, candidate_id, start_date) "
                "SELECT 'm-' || substr(c.uid, 3), g.id, c.id, '2026-09-07' "
                "FROM candidate c, study_group g "
                "WHERE c.voornamen LIKE 'Kandidaat%'"
            )
        )
    pack = send_pack(world.db, day_lessons)
    source = device_source(pack, "laptop")
    marks = [
        mark(source, lesson, person, "A" if (i + j) % 5 else "Z")
        for i, lesson in enumerate(day_lessons)
        for j, person in enumerate(people)
    ][:2000]
    assert len(marks) == 2000
    incoming = a_file(world.db, pack, source, "Anna", marks)
    report = merge.import_incoming(world.db, incoming, actor=COORDINATOR, now=NOW)
    assert report.imported == report.changed_marks == 2000
    again = merge.import_incoming(world.db, incoming, actor=COORDINATOR, now=LATER)
    assert (again.imported, again.changed_marks, again.unchanged) == (0, 0, 2000)
    world.world.close()
