"""The Aanwezigheid page: a lesson registered with the keyboard alone, saved at once, undoable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kvds_desktop.services import attendance as svc
from kvds_desktop.services.demo import generate_demo
from kvds_desktop.store.database import Database
from kvds_desktop.ui.pages.attendance.controller import MarkDetails
from tests.gui.conftest import Harness

TODAY = date(2026, 11, 26)  # a Thursday with lessons in the pilot data


@pytest.fixture(scope="module")
def pilot_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pilot") / "pilot.sqlite"
    db = Database.open(path, create=True)
    generate_demo(db, scale="pilot", seed=2019, today=date(2026, 11, 24))
    db.close()
    return path


@pytest.fixture
def page_on_a_fresh_lesson(
    make_harness: Callable[..., Harness],
    pilot_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Harness]:
    copy = tmp_path / "pilot.sqlite"
    copy.write_bytes(pilot_file.read_bytes())
    h = make_harness("en")
    h.controller.attendance.today = lambda: TODAY
    assert h.controller.open_database(copy)
    h.window.show_page("aanwezigheid")
    h.controller.attendance.go_to(TODAY)
    yield h


def register_codes(h: Harness) -> list[str]:
    model = h.window.attendance_page.register.model()
    return [model.index(r, 2).data() or "" for r in range(model.rowCount())]


def test_a_lesson_is_registered_with_the_keyboard_alone(
    page_on_a_fresh_lesson: Harness, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = page_on_a_fresh_lesson
    page = h.window.attendance_page
    assert page.lessons.rowCount() > 0
    assert all(code == "" for code in register_codes(h))  # no defaults in place of marks
    monkeypatch.setattr(
        MarkDetails, "exec", lambda dialog: (dialog._try_accept(), dialog.result())[1]
    )
    h.window.show()
    page.register.setFocus()
    keys = "ALAMAAZAAAEAAAA"
    count = len(register_codes(h))
    for key in keys[:count]:
        qtbot.keyClick(page.register, key)
    codes = register_codes(h)
    assert codes[: min(count, len(keys))] == list(keys[:count])
    db = h.controller.db
    assert db is not None
    # as after a crash: a new connection (to the file, or to the server) sees every mark
    reopened = Database.open(db.path) if db.path is not None else Database.connect(db.url or "")
    try:
        _header, rows = svc.open_register(reopened, h.controller.attendance.lesson_uid or "")
        assert [r.mark.status_code for r in rows if r.mark] == codes[: len(rows)]
    finally:
        reopened.close()


def test_undo_takes_a_mark_back_and_redo_puts_it_again(
    page_on_a_fresh_lesson: Harness, qtbot: QtBot
) -> None:
    h = page_on_a_fresh_lesson
    page = h.window.attendance_page
    page.register.setFocus()
    qtbot.keyClick(page.register, "Z")
    assert register_codes(h)[0] == "Z"
    h.window.act_undo.trigger()
    assert register_codes(h)[0] == ""
    h.window.act_redo.trigger()
    assert register_codes(h)[0] == "Z"


def test_everyone_else_present_and_the_count_in_the_header(
    page_on_a_fresh_lesson: Harness, qtbot: QtBot
) -> None:
    h = page_on_a_fresh_lesson
    page = h.window.attendance_page
    page.register.setFocus()
    qtbot.keyClick(page.register, "Z")
    page.rest_present.click()
    codes = register_codes(h)
    assert codes[0] == "Z" and set(codes[1:]) == {"A"}
    assert f"{len(codes)} of {len(codes)} registered" in page.header.text()


def test_an_unknown_key_says_so(page_on_a_fresh_lesson: Harness, qtbot: QtBot) -> None:
    h = page_on_a_fresh_lesson
    page = h.window.attendance_page
    page.register.setFocus()
    qtbot.keyClick(page.register, "Q")
    assert "No status has the key Q" in h.window.statusBar().currentMessage()
    assert register_codes(h)[0] == ""


def test_enter_moves_to_the_next_person(page_on_a_fresh_lesson: Harness, qtbot: QtBot) -> None:
    h = page_on_a_fresh_lesson
    page = h.window.attendance_page
    page.register.setFocus()
    qtbot.keyClick(page.register, Qt.Key.Key_Return)
    assert page.register.currentIndex().row() == 1


def test_figures_and_signals_tabs(page_on_a_fresh_lesson: Harness) -> None:
    h = page_on_a_fresh_lesson
    page = h.window.attendance_page
    page.tabs.setCurrentIndex(1)
    page.figures.start.setText("01-09-2026")
    page.figures.end.setText("24-11-2026")
    page.figures.show_button.click()
    assert page.figures.table.rowCount() > 3
    rate = page.figures.table.item(0, 2).text()
    assert rate.endswith("%")
    signals = page.signals.table
    assert signals.rowCount() >= 1  # the demo has candidates with poor attendance
    why = signals.item(0, 3).text()
    assert "rule" in why
    signals.selectRow(0)
    page.signals.mark_sent.click()
    sent = [signals.item(r, 5).text() for r in range(signals.rowCount())]
    assert any(sent)


def test_a_bad_period_is_explained(page_on_a_fresh_lesson: Harness) -> None:
    h = page_on_a_fresh_lesson
    page = h.window.attendance_page
    page.figures.start.setText("31-02-2026")
    page.figures.show_button.click()
    assert "Give a period" in h.window.statusBar().currentMessage()


def test_statuses_and_rules_are_edited_as_data(
    page_on_a_fresh_lesson: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kvds_desktop.ui.pages.attendance.rules_dialog import RuleForm, RulesDialog, StatusForm

    h = page_on_a_fresh_lesson
    seen: dict[str, str] = {}

    def new_status(form: StatusForm) -> int:
        form.fields["code"].setText("A")  # type: ignore[attr-defined]  # taken: refused
        form.fields["label_nl"].setText("stage")  # type: ignore[attr-defined]
        form.fields["label_en"].setText("internship")  # type: ignore[attr-defined]
        form._try_accept()
        seen["error"] = form.errors.text()
        form.fields["code"].setText("S")  # type: ignore[attr-defined]
        form._try_accept()
        return form.result()

    def new_rule(form: RuleForm) -> int:
        form.fields["municipality"].setText("Wijchen")  # type: ignore[attr-defined]
        form.fields["threshold"].setValue(70)  # type: ignore[attr-defined]
        form._try_accept()
        return form.result()

    def drive(dialog: RulesDialog) -> int:
        dialog.add_status()
        dialog.add_rule()
        seen["statuses"] = ",".join(
            dialog.statuses.item(r, 0).text() for r in range(dialog.statuses.rowCount())
        )
        seen["rules"] = str(dialog.rules.rowCount())
        return 0

    monkeypatch.setattr(StatusForm, "exec", new_status)
    monkeypatch.setattr(RuleForm, "exec", new_rule)
    monkeypatch.setattr(RulesDialog, "exec", drive)
    h.window.act_rules.trigger()
    assert "already used" in seen["error"]
    assert "S" in seen["statuses"].split(",")
    assert int(seen["rules"]) >= 4
    assert "S = stage" in h.window.attendance_page.legend.text() or "S = internship" in (
        h.window.attendance_page.legend.text()
    )
