"""Printing from the window: a group's week overview, every group at once, a schedule.

The preview is replaced by a recorder (a modal dialog cannot run in a test); what it
would show is read back as text. Printing itself is checked by printing to a PDF file
through Qt's printer, as a real printer driver would receive it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from kvds_desktop.services.scheduling import groups
from kvds_desktop.ui.printing import page_images, print_pages
from kvds_desktop.ui.tasks import TaskRunner
from tests.gui.conftest import Harness

WEEK_49 = date(2026, 11, 30)


@dataclass
class RecordingPrinter:
    shown: list[tuple[bytes, str]] = field(default_factory=list)

    def preview(self, pdf: bytes, title: str) -> None:
        self.shown.append((pdf, title))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def printing(pilot: Harness) -> tuple[Harness, RecordingPrinter]:
    recorder = RecordingPrinter()
    pilot.controller.printing.printer = recorder  # type: ignore[assignment]
    pilot.window.show_page("groepen")
    pilot.controller.groups.go_to(WEEK_49)
    pilot.window.groups_page.groups.selectRow(0)
    return pilot, recorder


def test_the_week_overview_of_the_chosen_group_shows_its_members(
    printing: tuple[Harness, RecordingPrinter], reference_date: date, tmp_path: Path
) -> None:
    h, recorder = printing
    chosen = h.controller.groups.current_group()
    assert chosen is not None
    uid, name = chosen
    h.controller.printing.preview_group()
    [(pdf, title)] = recorder.shown
    assert title == f"{name}-2026-W49"
    text = text_of(pdf)
    assert db_members(h, uid)
    for member in db_members(h, uid):
        assert member in text
    assert "30 November" in text and "Attendance list" in text
    target = tmp_path / "overview.pdf"
    h.dialogs.files.append(target)
    h.controller.printing.save_group()
    assert target.read_bytes().startswith(b"%PDF")


def db_members(h: Harness, group_uid: str) -> list[str]:
    assert h.controller.db is not None
    return [m.name for m in groups.group_members(h.controller.db, group_uid, WEEK_49)]


def test_all_groups_of_the_week_go_into_one_pdf_in_the_background(
    printing: tuple[Harness, RecordingPrinter], qtbot: QtBot, tmp_path: Path
) -> None:
    h, recorder = printing
    target = tmp_path / "all.pdf"
    h.dialogs.files.append(target)
    h.controller.printing.save_all_groups()
    qtbot.waitUntil(lambda: target.exists(), timeout=30000)
    rows = groups.group_rows(h.controller.db, WEEK_49)  # type: ignore[arg-type]
    text = text_of(target.read_bytes())
    for row in rows:
        assert row.name in text
    assert recorder.shown and recorder.shown[-1][1] == "all"


def test_cancelling_all_groups_saves_nothing(
    printing: tuple[Harness, RecordingPrinter],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h, recorder = printing
    submit = TaskRunner.submit

    def cancelled_at_once(self: TaskRunner, job: object) -> object:
        task = submit(self, job)  # type: ignore[arg-type]
        task.cancel()
        return task

    monkeypatch.setattr(TaskRunner, "submit", cancelled_at_once)
    messages: list[str] = []
    h.controller.printing.status = messages.append
    target = tmp_path / "all.pdf"
    h.dialogs.files.append(target)
    h.controller.printing.save_all_groups()
    qtbot.waitUntil(lambda: bool(messages), timeout=30000)
    assert "Cancelled" in messages[0]
    assert not target.exists() and recorder.shown == []


def test_a_candidates_schedule_is_one_page(printing: tuple[Harness, RecordingPrinter]) -> None:
    h, recorder = printing
    assert h.controller.db is not None
    member = groups.group_members(
        h.controller.db,
        h.controller.groups.current_group()[0],
        WEEK_49,  # type: ignore[index]
    )[0]
    h.controller.printing.preview_schedule((member.candidate_uid, member.name))
    [(pdf, _title)] = recorder.shown
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert member.name in text_of(pdf)


def test_printing_sends_every_page_to_the_printer(
    printing: tuple[Harness, RecordingPrinter], tmp_path: Path
) -> None:
    h, recorder = printing
    h.controller.printing.preview_group()
    [(pdf, _title)] = recorder.shown
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert len(list(page_images(pdf, dpi=50))) == pages
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert print_pages(pdf, printer) == pages
    assert len(PdfReader(printed).pages) == pages
