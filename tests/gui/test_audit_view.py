"""Tools > Audit trail: filters, details of one entry, and nothing in it can be edited."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QAbstractItemView

from kvds_desktop.errors import UserError
from kvds_desktop.services.audit import Actor, record_export
from kvds_desktop.services.audit_log import AuditFilter, audit_choices, audit_entries
from kvds_desktop.services.candidates import add_note, reveal_bsn
from kvds_desktop.ui.audit.controller import open_audit
from kvds_desktop.ui.audit.view import AuditDialog
from tests.gui.conftest import Harness

ACTOR = Actor("m.jansen", "laptop-wijchen")


def _a_candidate(h: Harness) -> str:
    db = h.controller.db
    assert db is not None
    with db.engine.connect() as conn:
        return str(conn.exec_driver_sql("SELECT uid FROM candidate ORDER BY id LIMIT 1").scalar())


def test_the_trail_filters_and_shows_what_changed(pilot: Harness) -> None:
    db = pilot.controller.db
    assert db is not None
    uid = _a_candidate(pilot)
    add_note(db, uid, "Belde over de stage", ACTOR)
    reveal_bsn(db, uid, ACTOR)
    record_export(db, ACTOR, "progress", "/tmp/voortgang.xlsx", count=12)
    found = audit_entries(db, AuditFilter(actor="m.jansen"))
    assert [r.action for r in found.rows] == [
        "export.progress", "candidate.bsn_reveal", "candidate.note",
    ]  # fmt: skip
    assert found.total == 3
    assert found.rows[1].candidate and found.rows[1].record_uid == uid
    assert "m.jansen" in audit_choices(db).actors

    def look(dialog: AuditDialog) -> int:
        dialog.actor.setCurrentIndex(dialog.actor.findData("m.jansen"))
        assert dialog.entries.rowCount() == 3
        assert dialog.entries.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        dialog.text.setText("voortgang")
        dialog.search.click()
        assert dialog.entries.rowCount() == 1
        dialog.entries.selectRow(0)
        assert "file: /tmp/voortgang.xlsx" in dialog.details.toPlainText()
        dialog.start.setText("31-02-2026")
        dialog.search.click()
        assert "Not a date" in dialog.count.text()
        return 0

    open_audit(pilot.window, db, pilot.controller.tr, runner=look)


def test_a_backwards_period_is_refused(pilot: Harness) -> None:
    db = pilot.controller.db
    assert db is not None
    with pytest.raises(UserError, match="starts"):
        audit_entries(db, AuditFilter(start=date(2026, 2, 1), end=date(2026, 1, 1)))
