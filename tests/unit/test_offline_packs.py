"""Week packs and marks files: from the pilot database to a teacher's laptop and back."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.sealed import (
    MARKS_KIND as SEALED_MARKS,
)
from kvds_desktop.exchange.sealed import (
    PACK_KIND,
    WrongKind,
    WrongPassphrase,
    seal,
    unseal,
)
from kvds_desktop.services import attendance as att
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import packs
from kvds_desktop.services.offline.facts import MARKS_KIND, device_source, fact_uid
from kvds_desktop.store.database import Database

PASSPHRASE = "koffie met appeltaart"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
WEEK = "2026-W49"
MONDAY, SUNDAY = date(2026, 11, 30), date(2026, 12, 6)
COORDINATOR = Actor("coordinator", "kantoor-pc")
TEACHER = Actor("Bas Bakker", "laptop-bas")
MEMBER_KEYS = {"candidate_uid", "voornamen", "tussenvoegsel", "achternaam", "start", "end"}


@dataclass
class Coordinator:
    """A copy of the pilot database and a teacher with lessons in WEEK."""

    db: Database
    path: Path
    teacher_id: int


@pytest.fixture
def coordinator(pilot_file: Path, tmp_path: Path) -> Iterator[Coordinator]:
    path = tmp_path / "coordinator.sqlite"
    shutil.copy(pilot_file, path)
    db = Database.open(path)
    yield Coordinator(db, path, svc.find_teacher(db, "Bas Bakker"))
    db.close()


@pytest.fixture
def exported(coordinator: Coordinator) -> packs.PackExport:
    return packs.export_pack(
        coordinator.db, week=WEEK, teacher_id=coordinator.teacher_id, passphrase=PASSPHRASE,
        actor=COORDINATOR, now=NOW,
    )  # fmt: skip


@pytest.fixture
def teacher_db(exported: packs.PackExport, tmp_path: Path) -> Iterator[Database]:
    pack = packs.open_pack(exported.data, PASSPHRASE)
    db = packs.teacher_database(pack, tmp_path / "laptop" / "teacher.sqlite")
    yield db
    db.close()


def _pack_json(export: packs.PackExport) -> dict[str, object]:
    return dict(json.loads(unseal(export.data, PASSPHRASE, kind=PACK_KIND)))


def _database_uid(db: Database) -> str:
    with db.engine.connect() as conn:
        uid = conn.execute(
            text("SELECT value FROM database_info WHERE key = 'database_uid'")
        ).scalar_one()
    return str(uid)


# --- exporting a pack -------------------------------------------------------------------


def test_a_teacher_pack_holds_the_week_of_that_teacher(
    coordinator: Coordinator, exported: packs.PackExport
) -> None:
    lessons = svc.lessons_between(coordinator.db, MONDAY, SUNDAY, teacher_id=coordinator.teacher_id)
    assert exported.teacher_name == "Bas Bakker"
    assert exported.lesson_count == len(lessons) > 0
    assert set(exported.group_names) == {lesson.group_name for lesson in lessons}
    assert exported.suggested_file_name == "weekpack-2026-W49-Bas-Bakker.kvdspack"
    document = _pack_json(exported)
    assert document["week"] == WEEK and document["pack_uid"] == exported.pack_uid
    assert document["database_uid"] == _database_uid(coordinator.db)
    assert {x["uid"] for x in document["lessons"]} == {x.uid for x in lessons}  # type: ignore[attr-defined]
    codes = [s["code"] for s in document["statuses"]]  # type: ignore[attr-defined]
    assert codes == ["A", "L", "E", "M", "Z"]  # 'O' is for the coordinator only


def test_the_export_is_recorded_and_audited(
    coordinator: Coordinator, exported: packs.PackExport
) -> None:
    with coordinator.db.engine.connect() as conn:
        sent = conn.execute(
            text("SELECT kind, teacher_name, week, lesson_uids, created_by FROM sent_pack "
                 "WHERE uid = :u"), {"u": exported.pack_uid},
        ).one()  # fmt: skip
        audit = conn.execute(
            text("SELECT actor FROM audit_entry WHERE action = 'pack.export' AND record_uid = :u"),
            {"u": exported.pack_uid},
        ).all()
    assert sent[:3] == ("pack", "Bas Bakker", WEEK) and sent[4] == COORDINATOR.name
    assert len(json.loads(sent[3])) == exported.lesson_count
    assert [a[0] for a in audit] == [COORDINATOR.name]


def test_the_pack_holds_no_personal_numbers_of_any_candidate(
    coordinator: Coordinator, exported: packs.PackExport
) -> None:
    document = _pack_json(exported)
    raw = json.dumps(document, ensure_ascii=False)
    members = [m for g in document["groups"] for m in g["members"]]  # type: ignore[attr-defined]
    assert members and all(set(m) == MEMBER_KEYS for m in members)
    uids = {m["candidate_uid"] for m in members}
    with coordinator.db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT uid, bsn, birth_date, klantnummer, phone, email, address, postcode "
                 "FROM candidate")
        ).all()  # fmt: skip
    checked = 0
    for uid, *private in rows:
        if uid not in uids:
            continue
        for value in private:
            if value:
                assert str(value) not in raw, (uid, value)
                checked += 1
    assert checked > len(uids)  # the pilot candidates do have BSNs, birth dates, numbers


def test_a_group_pack_names_its_teachers_and_flags_cancelled_lessons(
    coordinator: Coordinator,
) -> None:
    group = svc.find_group(coordinator.db, "DRU-A1")
    lessons = svc.lessons_between(coordinator.db, MONDAY, SUNDAY, group_uid=group)
    svc.cancel_lesson(coordinator.db, lessons[0].uid, "docent ziek", COORDINATOR)
    export = packs.export_pack(coordinator.db, week="2026w49", group_uid=group,
                               passphrase=PASSPHRASE, actor=COORDINATOR, now=NOW)  # fmt: skip
    assert export.suggested_file_name == "weekpack-2026-W49-DRU-A1.kvdspack"
    assert export.teacher_name == ", ".join(dict.fromkeys(x.teacher_name for x in lessons))
    pack = packs.open_pack(export.data, PASSPHRASE)
    cancelled = [x for x in pack.lessons if x.cancelled]
    assert [(x.uid, x.cancel_reason) for x in cancelled] == [(lessons[0].uid, "docent ziek")]
    with coordinator.db.engine.connect() as conn:
        asked = json.loads(conn.execute(text("SELECT lesson_uids FROM sent_pack WHERE uid = :u"),
                                        {"u": export.pack_uid}).scalar_one())  # fmt: skip
    assert lessons[0].uid not in asked and len(asked) == len(lessons) - 1


@pytest.mark.parametrize(
    ("week", "who", "message"),
    [("week 49", "teacher", "is not a week"), ("2026-W54", "teacher", "is not a week"),
     ("2035-W10", "teacher", "no lessons in week 2035-W10"),
     (WEEK, "nobody", "either a teacher or a group"), (WEEK, "both", "either a teacher"),
     (WEEK, "ghost", "teacher does not exist"), (WEEK, "lost group", "group no longer")],
)  # fmt: skip
def test_a_pack_that_cannot_be_made_is_refused(
    coordinator: Coordinator, week: str, who: str, message: str
) -> None:
    teacher_id = {"teacher": coordinator.teacher_id, "both": coordinator.teacher_id,
                  "ghost": 9999}.get(who)  # fmt: skip
    group_uid = {"both": svc.find_group(coordinator.db, "DRU-A1"),
                 "lost group": "00000000-0000-4000-8000-000000000000"}.get(who)  # fmt: skip
    with pytest.raises(UserError, match=message):
        packs.export_pack(coordinator.db, week=week, teacher_id=teacher_id, group_uid=group_uid,
                          passphrase=PASSPHRASE, actor=COORDINATOR, now=NOW)  # fmt: skip


def test_a_short_passphrase_makes_no_pack(coordinator: Coordinator) -> None:
    with pytest.raises(UserError, match="at least 10"):
        packs.export_pack(coordinator.db, week=WEEK, teacher_id=coordinator.teacher_id,
                          passphrase="geheim", actor=COORDINATOR, now=NOW)  # fmt: skip
    with coordinator.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sent_pack")).scalar_one() == 0


# --- opening a pack ---------------------------------------------------------------------


def test_open_pack_refuses_wrong_passphrase_and_marks_files(exported: packs.PackExport) -> None:
    with pytest.raises(WrongPassphrase):
        packs.open_pack(exported.data, "koffie met appeltaart!")
    with pytest.raises(WrongKind):
        packs.open_pack(seal(b"{}", PASSPHRASE, kind=SEALED_MARKS), PASSPHRASE)


def _resealed(export: packs.PackExport, change: object) -> bytes:
    document = _pack_json(export)
    assert callable(change)
    change(document)
    return seal(json.dumps(document).encode(), PASSPHRASE, kind=PACK_KIND)


@pytest.mark.parametrize(
    ("change", "message"),
    [(lambda d: d.update(version=2), "newer version"),
     (lambda d: d.update(format="something"), "cannot be used"),
     (lambda d: d.pop("lessons"), "cannot be used"),
     (lambda d: d["lessons"][0].update(group_uid=d["pack_uid"]), "cannot be used"),
     (lambda d: d["lessons"][0].update(start="half tien"), "lessons\\[0\\].start"),
     (lambda d: d["groups"][0]["members"][0].update(voornamen=None), "voornamen"),
     (lambda d: d["statuses"].append(d["statuses"][0]), "statuses")],
)  # fmt: skip
def test_open_pack_checks_every_field(
    exported: packs.PackExport, change: object, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        packs.open_pack(_resealed(exported, change), PASSPHRASE)


# --- the teacher's database -------------------------------------------------------------


def test_the_teacher_database_knows_its_pack(
    exported: packs.PackExport, teacher_db: Database, coordinator: Coordinator
) -> None:
    info = packs.teacher_info(teacher_db)
    assert info is not None
    assert (info.pack_uid, info.teacher_name, info.week) == (exported.pack_uid, "Bas Bakker", WEEK)
    assert info.coordinator_database_uid == _database_uid(coordinator.db)
    assert len(info.device_id) == 36
    assert packs.teacher_info(coordinator.db) is None
    assert [s.code for s in att.list_statuses(teacher_db)] == ["A", "L", "E", "M", "Z"]


def test_the_registers_match_the_coordinators(
    exported: packs.PackExport, teacher_db: Database, coordinator: Coordinator
) -> None:
    pack = packs.open_pack(exported.data, PASSPHRASE)
    for lesson in pack.lessons:
        header, rows = att.open_register(teacher_db, lesson.uid)
        their_header, theirs = att.open_register(coordinator.db, lesson.uid)
        assert header == their_header
        assert [(r.candidate_uid, r.name) for r in rows] == [
            (r.candidate_uid, r.name) for r in theirs
        ]
        assert all(r.klantnummer == "" for r in rows)
    with teacher_db.engine.connect() as conn:
        private = conn.execute(
            text("SELECT count(*) FROM candidate WHERE bsn IS NOT NULL OR klantnummer IS NOT NULL "
                 "OR birth_date IS NOT NULL")
        ).scalar_one()  # fmt: skip
    assert private == 0


def _mark(db: Database, lesson: str, candidate: str, code: str, **extra: object) -> None:
    att.set_mark(db, lesson_uid=lesson, candidate_uid=candidate, status_code=code,
                 actor=TEACHER, now=LATER, **extra)  # type: ignore[arg-type]  # fmt: skip


def test_marks_go_back_with_revisions_and_withdrawals(
    exported: packs.PackExport, teacher_db: Database, coordinator: Coordinator
) -> None:
    pack = packs.open_pack(exported.data, PASSPHRASE)
    first, second = pack.lessons[0].uid, pack.lessons[1].uid
    _, rows = att.open_register(teacher_db, first)
    a, b, c = (r.candidate_uid for r in rows[:3])
    att.mark_rest_present(teacher_db, lesson_uid=first, actor=TEACHER, now=LATER)
    _mark(teacher_db, first, b, "L", minutes=10)  # changed: revision 2
    att.clear_mark(teacher_db, lesson_uid=first, candidate_uid=c, actor=TEACHER, now=LATER)
    _mark(teacher_db, second, a, "M", reason="ziek", note="belde om 8:30")
    _mark(teacher_db, second, b, "Z")
    att.clear_mark(teacher_db, lesson_uid=second, candidate_uid=b, actor=TEACHER, now=LATER)
    _mark(teacher_db, second, b, "A")  # cleared and set again: no withdrawal, revision 3

    export = packs.export_marks(teacher_db, passphrase=PASSPHRASE, now=LATER)
    info = packs.teacher_info(teacher_db)
    assert info is not None
    assert export.mark_count == len(rows) - 1 + 2 and export.withdrawn_count == 1
    assert export.suggested_file_name == "marks-2026-W49-Bas-Bakker.kvdsmarks"

    incoming = packs.read_marks(export.data, PASSPHRASE, file_name="marks.kvdsmarks")
    assert incoming.kind == MARKS_KIND and incoming.file_name == "marks.kvdsmarks"
    assert incoming.sha256 == hashlib.sha256(export.data).hexdigest()
    assert incoming.database_uid == _database_uid(coordinator.db)
    assert incoming.pack_uid == exported.pack_uid and incoming.device_id == info.device_id
    assert incoming.source_key == device_source(exported.pack_uid, info.device_id)
    assert incoming.source_label == "Bas Bakker" and incoming.exported_at == LATER
    got = {(m.lesson_uid, m.candidate_uid): m for m in incoming.marks}
    assert len(got) == len(incoming.marks) == len(rows) + 2
    assert (got[first, a].status_code, got[first, a].revision) == ("A", 1)
    assert (got[first, b].status_code, got[first, b].minutes, got[first, b].revision) == (
        "L", 10, 2)  # fmt: skip
    withdrawn = got[first, c]
    assert (withdrawn.status_code, withdrawn.revision, withdrawn.recorded_at) == ("", 2, LATER)
    sick = got[second, a]
    assert (sick.status_code, sick.reason, sick.note, sick.revision) == (
        "M", "ziek", "belde om 8:30", 1)  # fmt: skip
    assert (got[second, b].status_code, got[second, b].revision) == ("A", 3)
    for m in incoming.marks:
        assert m.uid == fact_uid(incoming.source_key, m.lesson_uid, m.candidate_uid, m.revision)


def test_a_second_export_keeps_the_uids_of_unchanged_marks(
    exported: packs.PackExport, teacher_db: Database
) -> None:
    lesson = packs.open_pack(exported.data, PASSPHRASE).lessons[0].uid
    att.mark_rest_present(teacher_db, lesson_uid=lesson, actor=TEACHER, now=LATER)
    before = packs.read_marks(packs.export_marks(teacher_db, passphrase=PASSPHRASE, now=LATER).data,
                              PASSPHRASE, file_name="1.kvdsmarks")  # fmt: skip
    changed = before.marks[0].candidate_uid
    _mark(teacher_db, lesson, changed, "Z")
    _mark(teacher_db, lesson, before.marks[1].candidate_uid, "A")  # the same again: no change
    after = packs.read_marks(packs.export_marks(teacher_db, passphrase=PASSPHRASE, now=NOW).data,
                             PASSPHRASE, file_name="2.kvdsmarks")  # fmt: skip
    old = {m.candidate_uid: m.uid for m in before.marks}
    new = {m.candidate_uid: m.uid for m in after.marks}
    assert old.keys() == new.keys()
    assert [c for c in old if old[c] != new[c]] == [changed]


def test_reopening_the_teacher_database_keeps_the_marks(
    exported: packs.PackExport, teacher_db: Database, tmp_path: Path
) -> None:
    pack = packs.open_pack(exported.data, PASSPHRASE)
    lesson = pack.lessons[0].uid
    att.mark_rest_present(teacher_db, lesson_uid=lesson, actor=TEACHER, now=LATER)
    device = packs.teacher_info(teacher_db)
    teacher_db.close()
    again = packs.teacher_database(pack, tmp_path / "laptop" / "teacher.sqlite")
    try:
        assert packs.teacher_info(again) == device
        _, rows = att.open_register(again, lesson)
        assert rows and all(r.mark is not None and r.mark.status_code == "A" for r in rows)
    finally:
        again.close()


def test_another_pack_or_a_coordinator_database_is_refused(
    coordinator: Coordinator, exported: packs.PackExport, teacher_db: Database, tmp_path: Path
) -> None:
    other = packs.export_pack(coordinator.db, week="2026-W50", teacher_id=coordinator.teacher_id,
                              passphrase=PASSPHRASE, actor=COORDINATOR, now=NOW)  # fmt: skip
    other_pack = packs.open_pack(other.data, PASSPHRASE)
    with pytest.raises(UserError, match="holds another week pack \\(week 2026-W49\\)"):
        packs.teacher_database(other_pack, tmp_path / "laptop" / "teacher.sqlite")
    coordinator.db.close()
    fingerprint = hashlib.sha256(coordinator.path.read_bytes()).hexdigest()
    with pytest.raises(UserError, match="coordinator's database"):
        packs.teacher_database(other_pack, coordinator.path)
    assert hashlib.sha256(coordinator.path.read_bytes()).hexdigest() == fingerprint
    (tmp_path / "notes.sqlite").write_text("boodschappen", encoding="utf-8")
    with pytest.raises(UserError, match="not a KVDS database"):
        packs.teacher_database(other_pack, tmp_path / "notes.sqlite")


def test_a_cancelled_lesson_takes_no_marks_in_the_teacher_app(
    coordinator: Coordinator, tmp_path: Path
) -> None:
    group = svc.find_group(coordinator.db, "DRU-A1")
    lesson = svc.lessons_between(coordinator.db, MONDAY, SUNDAY, group_uid=group)[0]
    svc.cancel_lesson(coordinator.db, lesson.uid, "studiedag", COORDINATOR)
    export = packs.export_pack(coordinator.db, week=WEEK, group_uid=group, passphrase=PASSPHRASE,
                               actor=COORDINATOR, now=NOW)  # fmt: skip
    db = packs.teacher_database(packs.open_pack(export.data, PASSPHRASE), tmp_path / "t.sqlite")
    try:
        header, rows = att.open_register(db, lesson.uid)
        assert header.cancelled and rows
        with pytest.raises(UserError, match="cancelled"):
            _mark(db, lesson.uid, rows[0].candidate_uid, "A")
    finally:
        db.close()


# --- reading marks files ----------------------------------------------------------------


def test_marks_are_exported_only_from_a_teacher_database(coordinator: Coordinator) -> None:
    with pytest.raises(UserError, match="not a teacher database"):
        packs.export_marks(coordinator.db, passphrase=PASSPHRASE, now=NOW)


def test_read_marks_refuses_packs_wrong_passphrases_and_forged_entries(
    exported: packs.PackExport, teacher_db: Database
) -> None:
    lesson = packs.open_pack(exported.data, PASSPHRASE).lessons[0].uid
    att.mark_rest_present(teacher_db, lesson_uid=lesson, actor=TEACHER, now=LATER)
    data = packs.export_marks(teacher_db, passphrase=PASSPHRASE, now=LATER).data
    with pytest.raises(WrongKind):
        packs.read_marks(exported.data, PASSPHRASE, file_name="x")
    with pytest.raises(WrongPassphrase):
        packs.read_marks(data, "een ander wachtwoord", file_name="x")
    document = json.loads(unseal(data, PASSPHRASE, kind=SEALED_MARKS))
    document["marks"][0]["status_code"] = "Z"  # a bigger revision was not made on the laptop
    document["marks"][0]["revision"] = 7
    forged = seal(json.dumps(document).encode(), PASSPHRASE, kind=SEALED_MARKS)
    with pytest.raises(UserError, match="marks file cannot be used"):
        packs.read_marks(forged, PASSPHRASE, file_name="x")
    document["marks"][0]["revision"] = "1"
    with pytest.raises(UserError, match="revision"):
        packs.read_marks(seal(json.dumps(document).encode(), PASSPHRASE, kind=SEALED_MARKS),
                         PASSPHRASE, file_name="x")  # fmt: skip
