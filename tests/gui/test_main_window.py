"""The main window as the coordinator meets it: pages, languages, databases, errors."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from kvds_desktop.app import take_screenshot
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Location
from kvds_desktop.ui.first_start import FirstStartChoice, FirstStartDialog
from kvds_desktop.ui.pages.catalog import PAGES
from kvds_desktop.ui.settings_dialog import SettingsDialog
from tests.gui.conftest import Harness


def test_every_page_is_reachable_from_the_navigation_and_the_keyboard(
    make_harness: Callable[..., Harness], qtbot: QtBot
) -> None:
    h = make_harness()
    assert h.window.navigation.count() == len(PAGES) == 7
    h.window.show()
    for row, spec in enumerate(PAGES):
        h.window.page_actions[row].trigger()
        assert h.window.stack.currentIndex() == row
        assert h.window.current_page_key() == spec.key
    h.window.navigation.setFocus()
    h.window.navigation.setCurrentRow(0)
    qtbot.keyClick(h.window.navigation, Qt.Key.Key_Down)
    assert h.window.current_page_key() == "groepen"


def test_dutch_is_the_default_and_english_is_complete(make_harness: Callable[..., Harness]) -> None:
    h = make_harness()
    assert h.window.menu_file.title() == "&Bestand"
    assert h.window.navigation.item(0).text() == "Kandidaten"
    assert h.window.navigation.item(1).text() == "Groepen & rooster"
    h.controller.set_language("en")
    assert h.languages == ["en"]
    assert h.window.menu_file.title() == "&File"
    assert h.window.navigation.item(0).text() == "Candidates"
    assert h.window.reports_page.title.text() == "Reports"


def test_without_a_database_the_pages_say_what_to_do(make_harness: Callable[..., Harness]) -> None:
    h = make_harness()
    assert h.window.database_label.text() == "Geen database geopend"
    assert not h.window.act_backup.isEnabled()
    assert h.window.reports_page.people.rowCount() == 0
    assert h.controller.reports.kpis is None


@pytest.mark.sqlite_only  # a database file itself
def test_opening_a_database_shows_its_figures(
    make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    path = tmp_path / "kvds.sqlite"
    Database.open(path, create=True).close()
    h = make_harness()
    assert h.controller.open_database(path)
    assert str(path) in h.window.database_label.text()
    assert h.window.schema_label.text() == f"Schema {migrate.head_revision()}"
    assert h.controller.db is not None


def test_a_file_that_is_not_a_database_gives_a_message_and_stays_untouched(
    make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    path = tmp_path / "kandidaten.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    h = make_harness()
    h.dialogs.files.append(path)
    h.window.act_open.trigger()
    assert len(h.dialogs.errors) == 1
    title, text = h.dialogs.errors[0]
    assert title == "De database kan niet worden geopend"
    assert "geen KVDS-database" in text
    assert h.controller.db is None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.sqlite_only  # a database file itself
def test_new_database_from_the_menu_becomes_the_default(
    make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    h = make_harness()
    target = tmp_path / "druten.sqlite"
    h.dialogs.files.append(target)
    h.window.act_new.trigger()
    assert target.exists()
    assert h.controller.db is not None and h.controller.db.path == target
    assert h.controller.settings_store.load().database == str(target)


def test_demo_data_loads_in_the_background(
    make_harness: Callable[..., Harness], tmp_path: Path, qtbot: QtBot
) -> None:
    path = tmp_path / "demo.sqlite"
    h = make_harness()
    assert h.controller.open_database(path, create=True)
    h.window.act_demo.trigger()
    task = h.controller.current_task
    assert task is not None
    with qtbot.waitSignal(task.done, timeout=60000):
        pass
    qtbot.waitUntil(lambda: not h.controller.runner.busy(), timeout=10000)
    assert h.dialogs.errors == []
    assert h.window.groups_page.groups.rowCount() > 5
    assert h.window.candidates_page.model.rowCount() > 50


def test_window_geometry_and_page_are_remembered(make_harness: Callable[..., Harness]) -> None:
    first = make_harness()
    first.window.show()
    first.window.splitter.setSizes([300, 600])
    first.window.show_page("werk")
    first.window.close()
    saved_splitter = first.window.splitter.saveState()
    second = make_harness()
    assert second.window.current_page_key() == "werk"
    assert not first.controller.qsettings.value("window/geometry").isEmpty()
    assert second.window.splitter.saveState() == saved_splitter


def test_screenshot_of_a_page_is_1280_by_800(
    make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    h = make_harness("en")
    target = tmp_path / "shot.png"
    assert take_screenshot(h.window, "aanwezigheid", target)
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1280, 800)
    assert h.window.current_page_key() == "aanwezigheid"


def test_settings_switch_language_and_keep_the_choice(
    make_harness: Callable[..., Harness], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make_harness()

    def choose_english(dialog: SettingsDialog) -> int:
        assert dialog.windowTitle() == "Instellingen"
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        dialog.keep.setValue(5)
        return SettingsDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", choose_english)
    h.window.act_settings.trigger()
    assert h.window.menu_help.title() == "&Help"
    assert h.window.navigation.item(2).text() == "Attendance"
    saved = h.controller.settings_store.load()
    assert (saved.language, saved.backups_keep) == ("en", 5)


@pytest.mark.sqlite_only  # a database file itself
def test_first_start_can_create_an_empty_database(
    make_harness: Callable[..., Harness], monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make_harness()

    told: list[str] = []

    def pick_empty(dialog: FirstStartDialog) -> int:
        told.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.buttons[FirstStartChoice.EMPTY].click()
        return 1

    monkeypatch.setattr(FirstStartDialog, "exec", pick_empty)
    h.controller.start()
    assert h.paths.default_database.exists()
    assert h.controller.db is not None
    assert any(str(h.paths.data_dir) in text and "backups" in text for text in told)


@pytest.mark.sqlite_only  # a database file itself
def test_about_says_where_the_data_and_backups_are(make_harness: Callable[..., Harness]) -> None:
    h = make_harness("en")
    text = h.controller.about_text()
    assert "No database open" in text
    for folder in (h.paths.data_dir, h.paths.backup_dir, h.paths.log_dir):
        assert str(folder) in text
    assert h.controller.open_database(h.paths.default_database, create=True)
    assert f"Database: {h.paths.default_database}" in h.controller.about_text()


@pytest.mark.sqlite_only  # a database file itself
def test_restore_replaces_the_database_and_keeps_the_old_one(
    make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    path = tmp_path / "kvds.sqlite"
    backup = tmp_path / "copy.sqlite"
    h = make_harness("en")
    assert h.controller.open_database(path, create=True)
    h.dialogs.files.append(backup)
    h.window.act_backup.trigger()
    assert backup.exists()
    with h.controller.db.session() as session:  # type: ignore[union-attr]
        session.add(Location(name="Wijchen", municipality="Wijchen"))
    h.dialogs.files.append(backup)
    h.dialogs.answers.append(True)
    h.window.act_restore.trigger()
    assert h.dialogs.errors == []
    assert h.dialogs.infos and "restored" in h.dialogs.infos[-1][1]
    assert h.controller.db is not None
    with h.controller.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM location")).scalar_one() == 0
    assert any("pre-restore" in p.name for p in h.paths.backup_dir.iterdir())


@pytest.mark.sqlite_only  # a database file itself
def test_restoring_a_wrong_file_keeps_the_open_database(
    make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    path = tmp_path / "kvds.sqlite"
    h = make_harness("en")
    assert h.controller.open_database(path, create=True)
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a database")
    h.dialogs.files.append(wrong)
    h.dialogs.answers.append(True)
    h.window.act_restore.trigger()
    assert h.dialogs.errors and "not a KVDS database" in h.dialogs.errors[0][1]
    assert h.controller.db is not None and h.controller.db.path == path


@pytest.mark.sqlite_only  # a database file itself
def test_a_database_from_a_newer_version_is_refused_in_the_window(
    make_harness: Callable[..., Harness], tmp_path: Path
) -> None:
    path = tmp_path / "newer.sqlite"
    Database.open(path, create=True).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    h = make_harness("en")
    assert not h.controller.open_database(path)
    assert h.dialogs.errors[0][0] == "The database cannot be opened"
    assert "newer version" in h.dialogs.errors[0][1]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_master_data_is_reachable_from_the_tools_menu(
    make_harness: Callable[..., Harness], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kvds_desktop.ui.master_data.dialog import MasterDataDialog

    h = make_harness("en")
    assert not h.window.act_master_data.isEnabled()  # nothing to edit without a database
    assert h.controller.open_database(tmp_path / "kvds.sqlite", create=True)
    shown: list[str] = []

    def look(dialog: MasterDataDialog) -> int:
        shown.append(dialog.windowTitle())
        return 0

    monkeypatch.setattr(MasterDataDialog, "exec", look)
    h.window.act_master_data.trigger()
    assert shown == ["Master data"]
