"""The Uitwisseling page: a messy municipal list previewed and imported through the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kvds_desktop.services import candidates as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.ui.pages.exchange.mapping_dialog import MappingDialog
from tests.fixtures.candidate_files import EXPECTED_NEW, EXPECTED_REJECTED, REFERENCE, write_csv
from tests.gui.conftest import Harness


def wait_idle(h: Harness, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not h.controller.runner.busy(), timeout=20000)


@pytest.fixture
def ready(make_harness: Callable[..., Harness], tmp_path: Path) -> Harness:
    h = make_harness("en")
    assert h.controller.open_database(tmp_path / "kvds.sqlite", create=True)
    return h


def test_preview_then_import_a_messy_list(ready: Harness, qtbot: QtBot, tmp_path: Path) -> None:
    page = ready.window.exchange_page
    ready.dialogs.files.append(write_csv(tmp_path / "export-klantsysteem.csv"))
    page.choose.click()
    wait_idle(ready, qtbot)
    preview = ready.controller.exchange.preview
    assert preview is not None
    assert len(preview.new) == EXPECTED_NEW
    assert set(preview.rejected_rows) == set(EXPECTED_REJECTED)
    assert page.new_table.rowCount() == EXPECTED_NEW
    assert page.results.tabText(3) == f"Rejected ({len(preview.rejected)})"
    reasons = [page.rejected_table.item(r, 1).text() for r in range(page.rejected_table.rowCount())]
    assert any("11-check" in reason for reason in reasons)
    assert page.import_button.isEnabled()
    assert ready.controller.db is not None
    assert svc.candidate_rows(ready.controller.db, REFERENCE) == []  # nothing written yet

    ready.dialogs.answers.append(True)
    page.import_button.click()
    wait_idle(ready, qtbot)
    assert ready.dialogs.infos and "Imported: 4 new" in ready.dialogs.infos[-1][1]
    assert ready.window.candidates_page.model.rowCount() == EXPECTED_NEW
    again = ready.controller.exchange.preview
    assert again is not None and not again.new and not again.changed and not again.conflicts


def test_a_conflict_is_chosen_in_the_table(ready: Harness, qtbot: QtBot, tmp_path: Path) -> None:
    db = ready.controller.db
    assert db is not None
    first = tmp_path / "a.csv"
    first.write_text(
        "klantnummer;voornamen;achternaam;telefoon\nK1;Sara;Ali;0611111111\n", encoding="utf-8"
    )
    ready.controller.exchange.set_file(first)
    wait_idle(ready, qtbot)
    ready.dialogs.answers.append(True)
    ready.window.exchange_page.import_button.click()
    wait_idle(ready, qtbot)
    uid = svc.candidate_rows(db, REFERENCE)[0].uid
    svc.update_candidate(db, uid, {"phone": "0622222222"}, Actor("test", "pc"), REFERENCE)
    second = tmp_path / "b.csv"
    second.write_text(
        "klantnummer;voornamen;achternaam;telefoon\nK1;Sara;Ali;0633333333\n", encoding="utf-8"
    )
    ready.controller.exchange.set_file(second)
    wait_idle(ready, qtbot)
    table = ready.window.exchange_page.conflict_table
    assert table.rowCount() == 1
    item = table.item(0, 0)
    assert item is not None
    item.setCheckState(Qt.CheckState.Checked)
    ready.dialogs.answers.append(True)
    ready.window.exchange_page.import_button.click()
    wait_idle(ready, qtbot)
    assert svc.candidate_detail(db, uid, REFERENCE).values["phone"] == "0633333333"


def test_unknown_headers_lead_to_the_mapping_dialog(
    ready: Harness, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("Ref;Roepnaam;Familie\nK9;Hiba;Saleh\n", encoding="utf-8")

    def map_columns(dialog: MappingDialog) -> int:
        for header, field in (
            ("Ref", "klantnummer"),
            ("Roepnaam", "voornamen"),
            ("Familie", "achternaam"),
        ):
            box = dialog.boxes[header]
            box.setCurrentIndex(box.findData(field))
        dialog.name.setText("Systeem X")
        return 1

    monkeypatch.setattr(MappingDialog, "exec", map_columns)
    ready.dialogs.answers.append(True)  # "Map the columns now?"
    ready.controller.exchange.set_file(odd)
    wait_idle(ready, qtbot)
    qtbot.waitUntil(lambda: ready.controller.exchange.preview is not None, timeout=20000)
    preview = ready.controller.exchange.preview
    assert preview is not None and len(preview.new) == 1
    assert ready.window.exchange_page.mapping.currentText() == "Systeem X"


def test_an_unreadable_file_gives_a_message_and_writes_nothing(
    ready: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    bad = tmp_path / "kandidaten.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a spreadsheet")
    ready.controller.exchange.set_file(bad)
    wait_idle(ready, qtbot)
    assert ready.dialogs.errors
    assert "not a CSV or XLSX file" in ready.dialogs.errors[-1][1]
    assert not ready.window.exchange_page.import_button.isEnabled()


def test_export_from_the_page(ready: Harness, qtbot: QtBot, tmp_path: Path) -> None:
    ready.controller.exchange.set_file(write_csv(tmp_path / "lijst.csv"))
    wait_idle(ready, qtbot)
    ready.dialogs.answers.append(True)
    ready.window.exchange_page.import_button.click()
    wait_idle(ready, qtbot)
    out = tmp_path / "uit.csv"
    ready.dialogs.files.append(out)
    ready.window.exchange_page.export_csv.click()
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert b"bsn" not in text.split(b"\n")[0].lower()
