"""Overzichten: the dashboard's figures, each clicking through to the candidates behind it.

On the pilot data, 17 December 2020 shows the evaluation's table (Druten 30 candidates,
10 flowed out; Wijchen 24, 8), and every figure's number equals the length of its list.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Harness


@dataclass
class RecordingPrinter:
    shown: list[tuple[bytes, str]] = field(default_factory=list)

    def preview(self, pdf: bytes, title: str) -> None:
        self.shown.append((pdf, title))


def show_date(h: Harness, qtbot: QtBot, at: str, start: str) -> None:
    page = h.window.reports_page
    controller = h.controller.reports
    qtbot.waitUntil(lambda: controller.task is None or not controller.task.is_running(),
                    timeout=60000)  # fmt: skip
    page.at.setText(at)
    page.start.setText(start)
    page.end.setText(at)
    controller.refresh()
    year = int(at[-4:])
    qtbot.waitUntil(
        lambda: controller.kpis is not None and controller.kpis.reference.year == year,
        timeout=60000,
    )


def test_the_evaluations_table_and_every_figure_clicks_through(
    pilot: Harness, qtbot: QtBot
) -> None:
    h = pilot
    h.window.show_page("overzichten")
    show_date(h, qtbot, "17-12-2020", "01-01-2019")
    page = h.window.reports_page
    note = page.note.text()
    assert "Druten: 30 started, 10 flowed out" in note
    assert "Wijchen: 24 started, 8 flowed out" in note
    kpis = h.controller.reports.kpis
    assert kpis is not None
    for button, figure in zip(h.controller.reports.buttons, kpis.figures, strict=True):
        button.click()
        assert page.people.rowCount() == figure.count, figure.key
        assert page.list_title.text().endswith(f": {figure.count}")
    assert page.chart.data.series and set(page.chart.data.series) == {"Druten", "Wijchen"}


def test_the_management_report_is_shown_for_the_period(pilot: Harness, qtbot: QtBot) -> None:
    h = pilot
    recorder = RecordingPrinter()
    h.controller.reports.printer = recorder  # type: ignore[assignment]
    show_date(h, qtbot, "28-11-2026", "01-01-2026")
    h.controller.reports.print_report()
    [(pdf, _title)] = recorder.shown
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 4
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Druten" in text and "Wijchen" in text


def test_digests_are_written_as_pdf_one_per_klantmanager(
    pilot: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    h = pilot
    show_date(h, qtbot, "28-11-2026", "01-09-2026")
    h.dialogs.choices.append(0)  # PDF
    h.dialogs.folders.append(tmp_path)
    h.controller.reports.write_digests()
    files = sorted(tmp_path.glob("overzicht-*.pdf"))
    assert len(files) >= 2, h.dialogs.errors
    text = "\n".join(p.extract_text() for p in PdfReader(files[0]).pages)
    assert "Overview for the klantmanager" in text
    assert "1 September 2026" in text and "28 November 2026" in text
    assert "Digests for klantmanagers" in h.dialogs.infos[-1][0]


def test_digests_into_a_folder_that_is_gone_say_so(
    pilot: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    h = pilot
    show_date(h, qtbot, "28-11-2026", "01-09-2026")
    h.dialogs.choices.append(1)
    h.dialogs.folders.append(tmp_path / "removed")
    h.controller.reports.write_digests()
    title, message = h.dialogs.errors[-1]
    assert title == "The digests cannot be written"
    assert "removed" in message and "does not exist" in message
    assert not (tmp_path / "removed").exists()
    assert not list(tmp_path.rglob("overzicht-*"))
