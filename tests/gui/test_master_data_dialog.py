"""The Master data dialog: add a teacher and a room through the forms, edit, refuse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QSpinBox,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from kvds_desktop.i18n import Translator
from kvds_desktop.services import master_data as md
from kvds_desktop.services.audit import Actor
from kvds_desktop.store.database import Database
from kvds_desktop.ui.master_data import open_master_data
from kvds_desktop.ui.master_data.dialog import MasterDataDialog, RoomForm, TeacherForm
from tests.gui.conftest import FakeDialogs

TODAY = date(2026, 11, 28)
ACTOR = Actor("coordinator", "laptop")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "x.sqlite", create=True)
    md.save_location(
        database,
        id=None,
        name="Druten",
        municipality="Druten",
        address="",
        postcode="",
        city="",
        actor=ACTOR,
    )
    md.save_provider(
        database,
        id=None,
        name="ROC Rivor",
        kind="taal",
        contact_name="",
        contact_email="",
        actor=ACTOR,
    )
    yield database
    database.close()


def line(form: QDialog, name: str) -> QLineEdit:
    widget = form.findChild(QLineEdit, f"field_{name}")
    assert widget is not None
    return widget


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def test_add_a_teacher_and_a_room(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def fill_teacher(form: TeacherForm) -> int:
        line(form, "name").setText("Anna Jansen")
        line(form, "email").setText("anna@rivor.example")
        for day in range(1, 8):
            form.day_box(day).setChecked(day in (1, 3))
        line(form, "available_from").setText("16:00")
        line(form, "available_until").setText("9:00")
        form._try_accept()  # a mistake: the form stays open and says why
        seen["error"] = form.errors.text()
        seen["still open"] = form.result() != QDialog.DialogCode.Accepted
        line(form, "available_from").setText("9:00")
        line(form, "available_until").setText("15:30")
        form._try_accept()
        return form.result()

    def fill_room(form: RoomForm) -> int:
        box = form.findChild(QComboBox, "field_location_id")
        assert box is not None and box.currentText() == "Druten"
        line(form, "name").setText("Lokaal 1")
        capacity = form.findChild(QSpinBox, "field_capacity")
        assert capacity is not None
        capacity.setValue(12)
        form._try_accept()
        return form.result()

    def drive(dialog: MasterDataDialog) -> int:
        seen["title"] = dialog.windowTitle()
        seen["tabs"] = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        assert not dialog.teachers.edit.isEnabled()
        dialog.tabs.setCurrentWidget(dialog.teachers)
        dialog.teachers.add.click()
        dialog.tabs.setCurrentWidget(dialog.rooms)
        dialog.rooms.add.click()
        seen["teachers"] = [
            cell(dialog.teachers.table, 0, c) for c in range(dialog.teachers.table.columnCount())
        ]
        seen["rooms"] = dialog.rooms.table.rowCount()
        seen["room count"] = cell(dialog.locations.table, 0, 5)
        return 0

    monkeypatch.setattr(TeacherForm, "exec", fill_teacher)
    monkeypatch.setattr(RoomForm, "exec", fill_room)
    monkeypatch.setattr(MasterDataDialog, "exec", drive)
    dialogs = FakeDialogs()
    tr = Translator.for_language("en")
    open_master_data(None, db, tr, dialogs, ACTOR, TODAY)  # type: ignore[arg-type]

    assert seen["title"] == "Master data"
    assert seen["tabs"] == ["Locations", "Rooms", "Providers", "Teachers", "Activities"]
    assert seen["error"] == "The teacher's available hours end before they start."
    assert seen["still open"]
    assert seen["teachers"] == [
        "Anna Jansen",
        "ROC Rivor",
        "anna@rivor.example",
        "",
        "Mon, Wed",
        "09:00–15:30",
        "yes",
    ]
    assert seen["rooms"] == 1 and seen["room count"] == "1"
    assert dialogs.errors == []
    (anna,) = md.list_teachers(db)
    assert (anna.name, anna.provider_name, anna.available_days) == (
        "Anna Jansen",
        "ROC Rivor",
        "1,3",
    )
    assert (anna.available_from, anna.available_until, anna.active) == (time(9), time(15, 30), True)
    (room,) = md.list_rooms(db)
    assert (room.location_name, room.name, room.capacity) == ("Druten", "Lokaal 1", 12)


def test_a_double_click_edits_and_a_teacher_is_made_inactive(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = md.list_providers(db)[0].id
    md.save_teacher(
        db,
        id=None,
        provider_id=provider,
        name="Anna Jansen",
        email="",
        phone="",
        available_days="1,2",
        available_from=time(8, 30),
        available_until=time(12, 0),
        active=True,
        actor=ACTOR,
    )
    seen: dict[str, object] = {}

    def deactivate(form: TeacherForm) -> int:
        seen["days"] = [form.day_box(d).isChecked() for d in range(1, 8)]
        seen["from"] = line(form, "available_from").text()
        active = form.findChild(QCheckBox, "field_active")
        assert active is not None and active.isChecked()
        active.setChecked(False)
        form._try_accept()
        return form.result()

    def drive(dialog: MasterDataDialog) -> int:
        table = dialog.teachers.table
        table.selectRow(0)
        assert dialog.teachers.edit.isEnabled()
        table.cellDoubleClicked.emit(0, 0)
        seen["active"] = cell(table, 0, 6)
        return 0

    monkeypatch.setattr(TeacherForm, "exec", deactivate)
    monkeypatch.setattr(MasterDataDialog, "exec", drive)
    open_master_data(None, db, Translator.for_language("nl"), FakeDialogs(), ACTOR, TODAY)  # type: ignore[arg-type]

    assert seen["days"] == [True, True, False, False, False, False, False]
    assert seen["from"] == "08:30"
    assert seen["active"] == "nee"
    assert [t.active for t in md.list_teachers(db)] == [False]


def test_a_room_is_removed_only_after_a_yes(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    druten = md.list_locations(db)[0].id
    md.save_room(db, id=None, location_id=druten, name="Lokaal 1", capacity=12, actor=ACTOR)

    def drive(dialog: MasterDataDialog) -> int:
        dialog.rooms.table.selectRow(0)
        assert dialog.rooms.remove is not None
        dialog.rooms.remove.click()  # the first answer is No: nothing happens
        dialog.rooms.remove.click()  # Yes: removed
        return 0

    dialogs = FakeDialogs(answers=[False, True])
    monkeypatch.setattr(MasterDataDialog, "exec", drive)
    open_master_data(None, db, Translator.for_language("en"), dialogs, ACTOR, TODAY)  # type: ignore[arg-type]
    assert md.list_rooms(db) == []
    assert dialogs.errors == []
