"""Niveaus & examens: who will not reach the target in time, and why, on one screen.

Also: levels entered for a whole group in one grid (a wrong cell keeps the dialog open
with everything typed), an assessment through its form, and a regrouping proposal
applied move by move.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from kvds_desktop.domain.progress import Outlook
from kvds_desktop.services import progress
from kvds_desktop.ui.forms import FormDialog
from kvds_desktop.ui.pages.levels.entry_dialog import LevelEntryDialog, read_level
from tests.gui.conftest import Harness


@dataclass
class RecordingPrinter:
    shown: list[tuple[bytes, str]] = field(default_factory=list)

    def preview(self, pdf: bytes, title: str) -> None:
        self.shown.append((pdf, title))


def choose_group_with_risk(h: Harness) -> progress.GroupProgress:
    page = h.window.levels_page
    db = h.controller.db
    assert db is not None
    for index in range(page.group.count()):
        group = progress.group_progress(db, page.group.itemData(index), h.controller.today())
        if any(r.worst in (Outlook.LATE, Outlook.STALLED) for r in group.rows):
            page.group.setCurrentIndex(index)
            return group
    raise AssertionError("the pilot data has a group with someone at risk")


def test_one_screen_says_who_will_not_reach_the_target_and_why(pilot: Harness) -> None:
    h = pilot
    h.window.show_page("niveaus")
    group = choose_group_with_risk(h)
    page = h.window.levels_page
    assert page.members.rowCount() == len(group.rows)
    page.at_risk.setChecked(True)
    at_risk = [r for r in group.rows if r.worst in (Outlook.LATE, Outlook.STALLED)]
    assert page.members.rowCount() == len(at_risk)
    names = {page.members.item(r, 0).text() for r in range(page.members.rowCount())}
    assert names == {r.name for r in at_risk}
    why = page.members.item(0, 2).text()
    assert why and ("no rise" in why or "term ends" in why), why
    outlook = page.members.item(0, 1).text()
    assert outlook in ("late", "no progress")
    # The chosen member's panel explains the forecast per skill and draws the chart.
    assert "target" in page.outlook.text() or "steps a year" in page.outlook.text()
    assert page.chart.data.series


def test_levels_for_a_group_in_one_grid_and_a_mistake_loses_nothing(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = pilot
    h.window.show_page("niveaus")
    group = choose_group_with_risk(h)
    seen: list[LevelEntryDialog] = []

    def run(dialog: LevelEntryDialog) -> int:
        seen.append(dialog)
        dialog.set_cell(0, 0, "a2")
        dialog.set_cell(1, 2, "B7")  # not a level
        dialog.try_save()
        assert not dialog.errors.isHidden() and "B7" in dialog.errors.text()
        assert dialog.grid.item(0, 0).text() == "a2"  # what was typed stays
        dialog.set_cell(1, 2, "Alfa C")
        dialog.try_save()
        return dialog.result()

    monkeypatch.setattr(LevelEntryDialog, "exec", run)
    h.controller.levels.enter_levels()
    assert seen and seen[0].saved == 2
    db = h.controller.db
    assert db is not None
    first, second = group.rows[0], group.rows[1]
    history = progress.assessment_history(db, first.candidate_uid)
    assert (history[-1].skill, history[-1].level) == ("lezen", "a2")
    history = progress.assessment_history(db, second.candidate_uid)
    assert (history[-1].skill, history[-1].level) == ("spreken", "alfa_c")


def test_read_level_understands_how_people_write_levels() -> None:
    assert read_level(" alfa  b ") == "alfa_b"
    assert read_level("Alfa C") == "alfa_c"
    assert read_level("B1") == "b1"
    assert read_level("") is None
    with pytest.raises(ValueError):
        read_level("B7")


def test_an_assessment_through_its_form_and_the_progress_report(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = pilot
    h.window.show_page("niveaus")
    choose_group_with_risk(h)
    panel = h.controller.levels.panel
    uid = panel.candidate_uid
    assert uid is not None
    before = len(progress.assessment_history(h.controller.db, uid))  # type: ignore[arg-type]

    def accept(dialog: FormDialog) -> int:
        dialog.fields["day"].setText("40-13-2026")  # type: ignore[attr-defined]
        dialog._try_accept()
        assert not dialog.errors.isHidden()
        dialog.fields["day"].setText("20-11-2026")  # type: ignore[attr-defined]
        dialog._try_accept()
        return dialog.result()

    monkeypatch.setattr(FormDialog, "exec", accept)
    panel.add_assessment()
    after = progress.assessment_history(h.controller.db, uid)  # type: ignore[arg-type]
    assert len(after) == before + 1
    recorder = RecordingPrinter()
    h.controller.printing.printer = recorder  # type: ignore[assignment]
    h.window.levels_page.print_report.click()
    [(pdf, _title)] = recorder.shown
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert 1 <= len(pages) <= 2
    text = "\n".join(p.extract_text() for p in pages)
    assert panel.name in text and "Forecast and advice" in text


def test_a_regrouping_proposal_is_applied_move_by_move(pilot: Harness, qtbot: QtBot) -> None:
    h = pilot
    page = h.window.levels_page
    h.window.show_page("niveaus")
    page.tabs.setCurrentIndex(1)
    page.location.setCurrentIndex(page.location.findData("Wijchen"))
    h.controller.regroup.propose()
    qtbot.waitUntil(lambda: h.controller.regroup.proposal is not None, timeout=60000)
    proposal = h.controller.regroup.proposal
    assert proposal.largest_after <= proposal.largest_before
    assert page.moves.rowCount() == len(proposal.moves)
    if not proposal.moves:
        return
    page.moves.selectRow(0)
    h.dialogs.answers.append(True)
    h.controller.regroup.apply_selected()
    assert h.dialogs.errors == []
    assert "applied" in page.moves.item(0, 4).text()
