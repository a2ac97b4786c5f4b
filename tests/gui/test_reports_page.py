"""Overzichten: the dashboard's figures, each clicking through to the candidates behind it.

On the pilot data, 17 December 2020 shows the evaluation's table (Druten 30 candidates,
10 flowed out; Wijchen 24, 8), and every figure's number equals the length of its list.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

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
