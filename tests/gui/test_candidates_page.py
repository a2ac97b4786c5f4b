"""The Kandidaten page as the coordinator uses it: search, filters, forms, undo, merge."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from kvds_desktop.services import candidates as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.ui.pages.candidates.forms import CandidateForm, StatusDialog
from tests.gui.conftest import Harness

TODAY = date(2026, 11, 28)
ME = Actor("test", "pc")


def shown_names(h: Harness) -> list[str]:
    return [r.name for r in h.window.candidates_page.model.rows()]


def test_typing_in_the_search_field_filters_as_you_type(pilot: Harness, qtbot: QtBot) -> None:
    page = pilot.window.candidates_page
    everyone = len(shown_names(pilot))
    assert everyone > 50 and page.count.text() == f"{everyone} candidates"
    pilot.window.show()
    qtbot.keySequence(page, "Ctrl+F")
    qtbot.keyClicks(page.search, "muhammad")
    qtbot.waitUntil(lambda: len(shown_names(pilot)) < everyone, timeout=2000)
    names = shown_names(pilot)
    assert names and all(any(v in n for v in ("Mu", "Mo")) for n in names)
    assert {n.split()[0] for n in names} & {"Mohamed", "Mohammed", "Mohamud", "Muhammad"}


def test_filters_combine_and_clear(pilot: Harness) -> None:
    page = pilot.window.candidates_page
    everyone = len(shown_names(pilot))
    combo = page.filters["municipality"]
    combo.setCurrentIndex(combo.findData("Druten"))
    druten = pilot.controller.candidates.visible_rows()
    assert druten and all(r.municipality == "Druten" for r in druten)
    status = page.filters["status"]
    status.setCurrentIndex(status.findData("__all__"))
    assert len(shown_names(pilot)) > len(druten)
    page.clear_filters.click()
    assert len(shown_names(pilot)) == everyone


def test_selecting_a_row_shows_the_record_without_the_bsn(pilot: Harness, qtbot: QtBot) -> None:
    page = pilot.window.candidates_page
    page.table.selectRow(0)
    detail = pilot.controller.candidates.detail
    assert detail is not None
    assert page.detail.name.text() == detail.name
    texts = " ".join(w.text() for w in page.detail.findChildren(type(page.detail.name)))
    assert "Days without lessons this week" in texts
    if detail.has_bsn:
        assert detail.bsn_masked in texts


def test_a_form_with_mistakes_stays_open_and_keeps_what_was_typed(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def fill(form: CandidateForm) -> int:
        fields = form.fields
        assert isinstance(fields["voornamen"], QLineEdit)
        fields["voornamen"].setText("Amal")
        fields["achternaam"].setText("Haddad")  # type: ignore[attr-defined]
        fields["bsn"].setText("123456789")  # type: ignore[attr-defined]
        fields["birth_date"].setText("31-02-1990")  # type: ignore[attr-defined]
        form._try_accept()
        seen["open"] = form.result() != QDialog.DialogCode.Accepted
        seen["error"] = form.errors.text()
        seen["kept"] = fields["voornamen"].text()
        fields["bsn"].setText("")  # type: ignore[attr-defined]
        fields["birth_date"].setText("3-2-1990")  # type: ignore[attr-defined]
        form._try_accept()
        seen["second_error"] = form.errors.text() if not form.errors.isHidden() else ""
        return form.result()

    monkeypatch.setattr(CandidateForm, "exec", fill)
    pilot.window.candidates_page.new_button.click()
    assert seen["open"] is True and seen["kept"] == "Amal"
    assert "Not a date" in str(seen["error"])
    assert seen["second_error"] == ""
    current = pilot.controller.candidates.detail
    assert current is not None and current.name == "Amal Haddad"
    assert current.values["birth_date"] == date(1990, 2, 3)


def test_an_edit_can_be_undone_and_redone(pilot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    page = pilot.window.candidates_page
    page.table.selectRow(0)
    detail = pilot.controller.candidates.detail
    assert detail is not None
    old_phone = detail.values["phone"]

    def change_phone(form: CandidateForm) -> int:
        form.fields["phone"].setText("0612340000")  # type: ignore[attr-defined]
        form._try_accept()
        return form.result()

    monkeypatch.setattr(CandidateForm, "exec", change_phone)
    page.detail.edit_button.click()
    db = pilot.controller.db
    assert db is not None

    def phone() -> str:
        return str(svc.candidate_detail(db, detail.uid, TODAY).values["phone"])

    assert phone() == "0612340000"
    pilot.window.act_undo.trigger()
    assert phone() == old_phone
    pilot.window.act_redo.trigger()
    assert phone() == "0612340000"


def test_status_change_from_the_record(pilot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    page = pilot.window.candidates_page
    page.table.selectRow(0)
    detail = pilot.controller.candidates.detail
    assert detail is not None and detail.status == "actief"

    def pause(dialog: StatusDialog) -> int:
        box = dialog.fields["status"]
        box.setCurrentIndex(box.findData("gepauzeerd"))  # type: ignore[attr-defined]
        dialog.fields["reason"].setText("ziek")  # type: ignore[attr-defined]
        dialog._try_accept()
        return dialog.result()

    monkeypatch.setattr(StatusDialog, "exec", pause)
    page.detail.status_button.click()
    after = pilot.controller.candidates.detail
    assert after is not None and after.status == "gepauzeerd"


def test_duplicates_tab_merges_after_confirmation(pilot: Harness) -> None:
    db = pilot.controller.db
    assert db is not None
    svc.create_candidate(
        db,
        {
            "voornamen": "Yusuf",
            "achternaam": "Abdi",
            "municipality": "Druten",
            "law": "wi2021",
            "registration_date": TODAY,
            "birth_date": date(1991, 1, 1),
        },
        ME,
        TODAY,
    )
    svc.create_candidate(
        db,
        {
            "voornamen": "Youssef",
            "achternaam": "Abdi",
            "municipality": "Druten",
            "law": "wi2021",
            "registration_date": TODAY,
            "birth_date": date(1991, 1, 1),
        },
        ME,
        TODAY,
    )
    pilot.controller.candidates.reload()
    page = pilot.window.candidates_page
    pairs = page.duplicate_model.rows()
    assert any({p.first_name, p.second_name} == {"Yusuf Abdi", "Youssef Abdi"} for p in pairs)
    row = next(i for i, p in enumerate(pairs) if "Abdi" in p.first_name)
    page.duplicate_table.selectRow(
        page.duplicate_proxy.mapFromSource(page.duplicate_model.index(row, 0)).row()
    )
    pilot.dialogs.answers.append(True)
    page.merge_button.click()
    assert not any("Abdi" in p.first_name for p in page.duplicate_model.rows())
    names = [r.name for r in svc.candidate_rows(db, TODAY)]
    assert names.count("Yusuf Abdi") + names.count("Youssef Abdi") == 1


def test_the_deadlines_tab_lists_reasons(pilot: Harness) -> None:
    page = pilot.window.candidates_page
    lines = page.deadline_model.rows()
    assert lines
    reason = page.deadline_model.index(0, 4).data(Qt.ItemDataRole.DisplayRole)
    assert str(lines[0].deadline.due.year) in reason or "days" in reason


def test_models_pass_the_model_tester(pilot: Harness, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    page = pilot.window.candidates_page
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.deadline_model)
    qtmodeltester.check(page.duplicate_model)
