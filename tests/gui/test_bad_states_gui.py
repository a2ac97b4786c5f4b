"""The window in bad states: a second instance, a vanished file, no room for backups,
a network drive. Each ends in a message saying what happened and what to do."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kvds_desktop.ui import notices
from kvds_desktop.ui.pages.candidates.forms import NoteDialog
from tests.gui.conftest import Harness

pytestmark = pytest.mark.sqlite_only  # about files: locks, vanishing files, backups, encryption


@pytest.fixture
def db_file(pilot_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "work" / "kvds.sqlite"
    path.parent.mkdir()
    shutil.copy(pilot_file, path)
    return path


def test_a_second_window_on_the_same_database_is_told_it_is_in_use(
    make_harness: Callable[..., Harness], db_file: Path
) -> None:
    first, second = make_harness("en"), make_harness("en")
    assert first.controller.open_database(db_file)
    assert not second.controller.open_database(db_file)
    title, message = second.dialogs.errors[-1]
    assert title == "The database cannot be opened"
    assert "already open in KVDS Desktop" in message and "Close it there first" in message
    assert second.controller.db is None
    first.controller.close_database()
    assert second.controller.open_database(db_file)


def test_a_note_typed_while_the_file_vanished_is_kept_in_its_dialog(
    make_harness: Callable[..., Harness], db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make_harness("en")
    assert h.controller.open_database(db_file)
    h.window.candidates_page.table.selectRow(0)
    db_file.unlink()
    seen: dict[str, object] = {}

    def write(dialog: NoteDialog) -> int:
        dialog.fields["text"].setPlainText("Gesprek over stage")  # type: ignore[attr-defined]
        dialog._try_accept()
        seen["error"] = dialog.errors.text()
        seen["text"] = dialog.fields["text"].toPlainText()  # type: ignore[attr-defined]
        return dialog.result()

    monkeypatch.setattr(NoteDialog, "exec", write)
    h.controller.candidates.add_note()
    assert "was removed while KVDS Desktop had it open" in str(seen["error"])
    assert seen["text"] == "Gesprek over stage"  # still there, to copy or save later
    assert not db_file.exists()


def test_a_backup_folder_that_cannot_be_written_is_reported_and_work_goes_on(
    make_harness: Callable[..., Harness], db_file: Path
) -> None:
    h = make_harness("en")
    h.paths.data_dir.mkdir(parents=True, exist_ok=True)
    h.paths.backup_dir.write_text("a file where the backup folder should be")
    assert h.controller.open_database(db_file)
    title, message = h.dialogs.errors[-1]
    assert title == "The daily backup could not be made"
    assert "The database itself is fine and open" in message
    assert h.controller.db is not None


def test_a_database_on_a_network_drive_gets_a_warning(
    make_harness: Callable[..., Harness], db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notices, "on_network_drive", lambda path: True)
    h = make_harness("en")
    assert h.controller.open_database(db_file)
    title, message = h.dialogs.errors[-1]
    assert title == "The database is on a network drive"
    assert str(db_file) in message and "Copy the database to this computer" in message
    assert h.controller.db is not None
