"""Teachers offline through the windows: a week pack out, teacher mode, marks back in.

The coordinator exports a pack on the Uitwisseling page; a teacher opens it in teacher
mode (a second database), types marks with the keyboard and exports them; the
coordinator imports the marks file, sees every mark with where it came from, and works
through a conflict. A changed byte or a wrong passphrase ends in a message, not a mark.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from kvds_desktop.services import attendance as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import merge, packs
from kvds_desktop.store.database import Database
from tests.gui.conftest import Harness

MONDAY = date(2026, 11, 30)  # the first day of week 49, the week after the pilot's today
PASSPHRASE = "zonnebloem-tulp-42"


def choose(combo: object, data: object) -> None:
    index = combo.findData(data)  # type: ignore[attr-defined]
    assert index >= 0, data
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def busiest_teacher(db: Database) -> int:
    lessons = svc.lessons_for_day(db, MONDAY)
    counts: dict[int, int] = {}
    for row in lessons:
        if row.teacher_id is not None:
            counts[row.teacher_id] = counts.get(row.teacher_id, 0) + 1
    assert counts, "the pilot data has lessons on Monday of week 49"
    return max(counts, key=lambda key: counts[key])


def export_pack(coordinator: Harness, tmp_path: Path) -> tuple[Path, int]:
    db = coordinator.controller.db
    assert db is not None
    teacher = busiest_teacher(db)
    offline = coordinator.controller.offline
    panel = coordinator.window.exchange_page.offline
    choose(panel.week, "2026-W49")
    choose(panel.target, f"teacher:{teacher}")
    target = tmp_path / "week49.kvdspack"
    coordinator.dialogs.files.append(target)
    coordinator.dialogs.passphrases += ["kort", PASSPHRASE, PASSPHRASE]
    offline.export_pack()
    assert coordinator.dialogs.errors and "10" in coordinator.dialogs.errors[0][1]
    assert target.is_file() and target.read_bytes().startswith(b"KVDS-SEALED 1\n")
    return target, teacher


def open_in_teacher_mode(teacher: Harness, pack: Path) -> None:
    teacher.dialogs.passphrases += ["verkeerd-wachtwoord", PASSPHRASE]
    assert teacher.controller.teacher.open_pack(pack) is not None
    assert len(teacher.dialogs.errors) == 1  # the wrong passphrase, said once
    assert teacher.window.teacher_mode
    assert teacher.window.current_page_key() == "aanwezigheid"
    visible = [
        teacher.window.navigation.item(row).data(256)
        for row in range(teacher.window.navigation.count())
        if not teacher.window.navigation.isRowHidden(row)
    ]
    assert visible == ["aanwezigheid"]
    assert teacher.window.act_export_marks.isVisible() or teacher.window.teacher_mode


def type_marks(teacher: Harness, qtbot: QtBot, keys: str) -> tuple[str, list[str]]:
    attendance = teacher.controller.attendance
    attendance.go_to(MONDAY)
    page = teacher.window.attendance_page
    assert page.lessons.rowCount() > 0
    page.lessons.selectRow(0)
    lesson = attendance.lesson_uid
    assert lesson is not None
    teacher.window.show()
    page.register.setFocus()
    page.register.selectRow(0)
    count = page.register.model().rowCount()
    for key in keys[:count]:
        qtbot.keyClick(page.register, key)
    model = page.register.model()
    codes = [model.index(r, 2).data() or "" for r in range(count)]
    return lesson, codes


def test_a_pack_goes_out_and_the_marks_come_back_with_their_source(
    pilot: Harness, make_harness: Callable[..., Harness], qtbot: QtBot, tmp_path: Path
) -> None:
    coordinator = pilot
    pack, _teacher = export_pack(coordinator, tmp_path)

    teacher = make_harness("nl")
    teacher.controller.attendance.today = lambda: MONDAY
    open_in_teacher_mode(teacher, pack)
    lesson, codes = type_marks(teacher, qtbot, "AAZAAAAA")
    assert codes[:3] == ["A", "A", "Z"]
    marks_file = tmp_path / "marks-week49.kvdsmarks"
    teacher.dialogs.files.append(marks_file)
    assert teacher.controller.teacher.export_marks(teacher.controller.db) == marks_file
    assert marks_file.is_file()

    coordinator.dialogs.many_files.append([marks_file])
    coordinator.dialogs.passphrases.append(PASSPHRASE)
    coordinator.controller.offline.import_files()
    db = coordinator.controller.db
    assert db is not None
    _header, rows = svc.open_register(db, lesson)
    arrived = [r.mark.status_code for r in rows if r.mark is not None]
    assert arrived == [c for c in codes if c]
    info = packs.teacher_info(teacher.controller.db)  # type: ignore[arg-type]
    assert info is not None
    first = next(r for r in rows if r.mark is not None)
    claims = merge.provenance(db, lesson, first.candidate_uid)
    assert [c.label for c in claims] == [info.teacher_name]
    assert claims[0].file_name == marks_file.name
    panel = coordinator.window.exchange_page.offline
    assert panel.conflicts.rowCount() == 0
    assert "marks-week49.kvdsmarks" in panel.report.item(0, 0).text()
    attendance = coordinator.controller.attendance
    attendance.go_to(MONDAY)
    attendance.open_lesson(lesson)
    coordinator.window.attendance_page.register.selectRow(0)
    attendance.show_history()
    _title, text = coordinator.dialogs.infos[-1]
    assert "Received from teachers" in text and info.teacher_name in text
    assert marks_file.name in text

    # The same file again changes nothing; a file with one flipped byte is refused.
    before = [(r.candidate_uid, r.mark) for r in svc.open_register(db, lesson)[1]]
    data = bytearray(marks_file.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken = tmp_path / "broken.kvdsmarks"
    broken.write_bytes(bytes(data))
    coordinator.dialogs.many_files.append([marks_file, broken])
    coordinator.dialogs.passphrases.append(PASSPHRASE)
    coordinator.controller.offline.import_files()
    after = [(r.candidate_uid, r.mark) for r in svc.open_register(db, lesson)[1]]
    assert after == before
    results = [panel.report.item(r, 1).text() for r in range(panel.report.rowCount())]
    assert any("refused" in text for text in results), results


def test_a_disagreement_waits_in_the_queue_until_the_coordinator_keeps_one(
    pilot: Harness, make_harness: Callable[..., Harness], qtbot: QtBot, tmp_path: Path
) -> None:
    coordinator = pilot
    pack, _teacher = export_pack(coordinator, tmp_path)
    teacher = make_harness("en")
    teacher.controller.attendance.today = lambda: MONDAY
    open_in_teacher_mode(teacher, pack)
    lesson, codes = type_marks(teacher, qtbot, "Z")
    assert codes[0] == "Z"
    marks_file = tmp_path / "marks.kvdsmarks"
    teacher.dialogs.files.append(marks_file)
    assert teacher.controller.teacher.export_marks(teacher.controller.db) == marks_file

    db = coordinator.controller.db
    assert db is not None
    _header, rows = svc.open_register(db, lesson)
    first = rows[0]
    svc.set_mark(
        db, lesson_uid=lesson, candidate_uid=first.candidate_uid, status_code="A",
        actor=Actor("coordinator", "office"), now=datetime(2026, 11, 30, 12, tzinfo=UTC),
    )  # fmt: skip
    coordinator.dialogs.many_files.append([marks_file])
    coordinator.dialogs.passphrases.append(PASSPHRASE)
    coordinator.controller.offline.import_files()
    panel = coordinator.window.exchange_page.offline
    assert panel.conflicts.rowCount() == 1
    assert panel.tabs.currentIndex() == 0
    row = merge.list_conflicts(db)[0]
    theirs = next(i for i, c in enumerate(row.claims) if c.key != "mine")
    panel.conflicts.selectRow(0)
    coordinator.dialogs.choices.append(theirs)
    coordinator.controller.offline.resolve()
    assert panel.conflicts.rowCount() == 0
    _header, rows = svc.open_register(db, lesson)
    assert rows[0].mark is not None and rows[0].mark.status_code == "Z"
    history = svc.mark_history(db, lesson, first.candidate_uid)
    assert any(h.new and h.new.get("status") == "Z" for h in history)


def test_the_command_line_opens_a_pack_in_teacher_mode_and_the_app_remembers_it(
    pilot: Harness, make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    pack, _teacher = export_pack(pilot, tmp_path)
    teacher = make_harness("nl")
    teacher.dialogs.passphrases.append(PASSPHRASE)
    teacher.controller.start_teacher(pack)  # kvds-desktop --teacher PACK
    assert teacher.window.teacher_mode
    db = teacher.controller.db
    assert db is not None and db.path.parent == teacher.paths.teacher_dir
    assert "weekpakket" in teacher.window.database_label.text().lower()
    # Next start without --teacher opens the same teacher database again.
    assert teacher.controller.configured_database() == db.path
