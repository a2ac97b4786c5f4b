"""Editing a candidate that someone else saved meanwhile: the dialog, and each way on.

Bert changes the record through his own connection to the same database while the
coordinator has the form open; the form's OK then brings up the conflict dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from kvds_desktop.services import candidates as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates import CandidateDetail
from kvds_desktop.store.database import Database
from kvds_desktop.ui.conflict_dialog import Choice, ConflictDialog
from kvds_desktop.ui.pages.candidates.forms import CandidateForm
from tests.gui.conftest import Harness

TODAY = date(2026, 11, 28)
BERT = Actor("bert", "laptop-wijchen")
MINE = "0612340000"
BERTS = "0698765432"


@pytest.fixture
def bert(pilot: Harness, tmp_path: Path) -> Iterator[Database]:
    """Bert's own connection to the database the window has open."""
    other = Database.open(tmp_path / "pilot.sqlite")
    yield other
    other.close()


def _open_record(pilot: Harness) -> CandidateDetail:
    pilot.window.candidates_page.table.selectRow(0)
    detail = pilot.controller.candidates.detail
    assert detail is not None
    return detail


def _stored(db: Database, uid: str) -> CandidateDetail:
    return svc.candidate_detail(db, uid, TODAY)


@dataclass
class Seen:
    """What the coordinator saw: each dialog's message and rows, and the form afterwards."""

    uid: str
    before: CandidateDetail
    dialogs: list[tuple[str, list[tuple[str, ...]]]] = field(default_factory=list)
    open: bool = False
    typed: str = ""
    banner: str = ""


def _edit_while_bert_saves(
    pilot: Harness,
    bert: Database,
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[ConflictDialog], None],
    *,
    presses: int = 1,
) -> Seen:
    """Open the form, type a phone number, let Bert save, press OK ``presses`` times."""
    detail = _open_record(pilot)
    seen = Seen(detail.uid, detail)

    def fill(form: CandidateForm) -> int:
        form.fields["phone"].setText(MINE)  # type: ignore[attr-defined]
        svc.update_candidate(bert, detail.uid, {"phone": BERTS, "city": "Wijchen"}, BERT, TODAY)
        for _ in range(presses):
            form._try_accept()
            seen.open = form.result() != QDialog.DialogCode.Accepted and form.isVisible()
            seen.typed = form.fields["phone"].text()  # type: ignore[attr-defined]
            seen.banner = form.errors.text() if not form.errors.isHidden() else ""
        return form.result()

    def ask(dialog: ConflictDialog) -> int:
        table = dialog.table
        rows = [
            tuple(table.item(r, c).text() for c in range(3))  # type: ignore[union-attr]
            for r in range(table.rowCount())
        ]
        seen.dialogs.append((dialog.message.text(), rows))
        answer(dialog)
        return dialog.result()

    monkeypatch.setattr(CandidateForm, "exec", lambda form: (form.show(), fill(form))[1])
    monkeypatch.setattr(ConflictDialog, "exec", ask)
    pilot.window.candidates_page.detail.edit_button.click()
    return seen


def test_the_dialog_says_who_changed_what_and_keep_mine_saves_on_top(
    pilot: Harness, bert: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _edit_while_bert_saves(pilot, bert, monkeypatch, lambda d: d.keep_button.click())
    before = seen.before
    [(message, rows)] = seen.dialogs
    assert message.startswith("bert changed this record on ")
    assert ("Phone", BERTS, MINE) in rows
    assert ("Town", "Wijchen", "(not changed by you: theirs stays)") in rows
    stored = _stored(bert, before.uid)
    assert (stored.values["phone"], stored.values["city"]) == (MINE, "Wijchen")
    assert stored.version == before.version + 2
    shown = pilot.controller.candidates.detail
    assert shown is not None and shown.version == stored.version  # the page shows it now
    # an undo takes back my change only, to Bert's value
    pilot.window.act_undo.trigger()
    assert _stored(bert, before.uid).values["phone"] == BERTS


def test_take_theirs_drops_my_entries_and_shows_their_record(
    pilot: Harness, bert: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _edit_while_bert_saves(pilot, bert, monkeypatch, lambda d: d.theirs_button.click())
    uid = seen.uid
    stored = _stored(bert, uid)
    assert (stored.values["phone"], stored.values["city"]) == (BERTS, "Wijchen")
    shown = pilot.controller.candidates.detail
    assert shown is not None
    assert (shown.values["phone"], shown.version) == (BERTS, stored.version)
    assert "record shows their changes" in pilot.window.statusBar().currentMessage()
    assert pilot.controller.candidates.undo_stack.count() == 0  # nothing of mine to undo


def _clicking(answers: list[Choice]) -> Callable[[ConflictDialog], None]:
    """Answer each conflict dialog with the next of ``answers`` (taken off the list)."""

    def answer(dialog: ConflictDialog) -> None:
        buttons = {Choice.BACK: dialog.back_button, Choice.KEEP_MINE: dialog.keep_button,
                   Choice.TAKE_THEIRS: dialog.theirs_button}  # fmt: skip
        buttons[answers.pop(0)].click()

    return answer


def test_back_to_editing_keeps_what_was_typed_and_saves_nothing(
    pilot: Harness, bert: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [Choice.BACK, Choice.KEEP_MINE]
    answer = _clicking(answers)

    seen = _edit_while_bert_saves(pilot, bert, monkeypatch, answer, presses=1)
    # after Back to editing the form is still open with my number, and nothing was saved
    assert seen.open is True and seen.typed == MINE
    assert "bert changed this record" in seen.banner
    assert _stored(bert, seen.uid).values["phone"] == BERTS
    assert answers == [Choice.KEEP_MINE]  # asked once: the form is still open


def test_back_then_ok_again_asks_again_and_keep_mine_saves(
    pilot: Harness, bert: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [Choice.BACK, Choice.KEEP_MINE]
    answer = _clicking(answers)

    seen = _edit_while_bert_saves(pilot, bert, monkeypatch, answer, presses=2)
    assert answers == [] and len(seen.dialogs) == 2
    assert _stored(bert, seen.uid).values["phone"] == MINE


def test_escape_is_back_to_editing(
    pilot: Harness, bert: Database, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    def escape(dialog: ConflictDialog) -> None:
        dialog.show()
        assert dialog.back_button.isDefault()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.choice is Choice.BACK

    seen = _edit_while_bert_saves(pilot, bert, monkeypatch, escape)
    assert seen.open is True and seen.typed == MINE
    assert _stored(bert, seen.uid).values["phone"] == BERTS


def test_an_edit_without_a_conflict_shows_no_dialog_and_reads_the_new_version(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = _open_record(pilot)

    def change(form: CandidateForm) -> int:
        form.fields["phone"].setText(MINE)  # type: ignore[attr-defined]
        form._try_accept()
        return form.result()

    def never(_dialog: ConflictDialog) -> int:
        raise AssertionError("no conflict dialog expected")

    monkeypatch.setattr(CandidateForm, "exec", change)
    monkeypatch.setattr(ConflictDialog, "exec", never)
    page = pilot.window.candidates_page
    page.detail.edit_button.click()
    shown = pilot.controller.candidates.detail
    assert shown is not None and shown.version == detail.version + 1
    page.detail.edit_button.click()  # a second edit of my own is no conflict either
