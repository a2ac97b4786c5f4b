"""Data-subject requests from the candidate record, and Tools > Retention."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import text

from kvds_desktop.services.audit import Actor
from kvds_desktop.ui.privacy.retention_controller import open_retention
from kvds_desktop.ui.privacy.retention_view import RetentionDialog
from tests.gui.conftest import Harness


def _current(h: Harness) -> tuple[str, str]:
    h.window.candidates_page.table.selectRow(0)
    detail = h.controller.candidates.detail
    assert detail is not None
    return detail.uid, detail.name


def _count(h: Harness, sql: str, **params: object) -> int:
    db = h.controller.db
    assert db is not None
    with db.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def test_all_data_of_a_person_as_pdf_from_the_record(pilot: Harness, tmp_path: Path) -> None:
    uid, name = _current(pilot)
    out = tmp_path / "gegevens.pdf"
    pilot.dialogs.files.append(out)
    pilot.window.candidates_page.detail.subject_button.click()
    assert pilot.dialogs.errors == []
    words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert name.split()[-1] in words
    assert "audit trail" in pilot.dialogs.infos[-1][1]
    assert _count(pilot, "SELECT count(*) FROM audit_entry WHERE action = 'privacy.export' "
                  "AND record_uid = :uid", uid=uid) == 1  # fmt: skip


def test_erasure_asks_twice_and_then_leaves_nothing(pilot: Harness) -> None:
    uid, _name = _current(pilot)
    pilot.dialogs.texts.append("Verzoek van 12-11-2026 (AVG art. 17)")
    pilot.dialogs.answers.append(False)  # not sure after all
    pilot.window.candidates_page.detail.erase_button.click()
    assert _count(pilot, "SELECT count(*) FROM candidate WHERE uid = :uid", uid=uid) == 1
    pilot.dialogs.texts.append("Verzoek van 12-11-2026 (AVG art. 17)")
    pilot.dialogs.answers.append(True)
    pilot.window.candidates_page.detail.erase_button.click()
    assert pilot.dialogs.errors == []
    assert _count(pilot, "SELECT count(*) FROM candidate WHERE uid = :uid", uid=uid) == 0
    assert _count(pilot, "SELECT count(*) FROM audit_entry WHERE action = 'privacy.erase'") == 1
    assert uid not in {r.uid for r in pilot.controller.candidates.rows}


def test_retention_shows_what_is_due_then_does_it(pilot: Harness) -> None:
    db = pilot.controller.db
    assert db is not None
    seen: dict[str, object] = {}

    def run(dialog: RetentionDialog) -> int:
        dialog.months["notes"].setValue(6)
        dialog.plan_button.click()
        seen["rows"] = dialog.items.rowCount()
        seen["summary"] = dialog.summary.text()
        pilot.dialogs.answers.append(True)
        dialog.apply_button.click()
        seen["after"] = dialog.items.rowCount()
        return 0

    open_retention(pilot.window, db, runner=run, tr=pilot.controller.tr,
                   dialogs=pilot.dialogs, settings=pilot.controller.settings,
                   save_settings=pilot.controller._save_settings,
                   actor=Actor("coördinator", "laptop"),
                   today=pilot.controller.today)  # fmt: skip
    assert isinstance(seen["rows"], int) and seen["rows"] > 0
    assert "Due now" in str(seen["summary"])
    assert seen["after"] == 0
    assert pilot.controller.settings_store.load().retention_months["notes"] == 6
    assert _count(pilot, "SELECT count(*) FROM audit_entry WHERE action LIKE 'retention.%'") > 0
