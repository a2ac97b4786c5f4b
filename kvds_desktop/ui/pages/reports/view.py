"""The Overzichten page's layout: the dashboard and the files for the municipality.

A row of choices (reference date, period, municipality, location, law, route); a grid
of figures, each a button that opens the list of candidates behind it; a chart of
outflow per kind; and the management report, the klantmanager digests and the DUO file.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.forms import DateField
from kvds_desktop.ui.pages.reports.chart import LineChart
from kvds_desktop.ui.widgets import card, table


class ReportsPage(QWidget):
    """The dashboard; ``shown`` tells the controller the page came on screen."""

    shown = Signal()

    def showEvent(self, event: QShowEvent) -> None:
        """Compute the figures only when someone looks at them."""
        super().showEvent(event)
        self.shown.emit()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("reportsPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        top.addWidget(self.title)
        top.addStretch(1)
        self.report = QPushButton()
        self.report.setObjectName("managementReport")
        self.digests = QPushButton()
        self.duo = QPushButton()
        for widget in (self.report, self.digests, self.duo):
            top.addWidget(widget)
        outer.addLayout(top)

        choices = QHBoxLayout()
        self.at_label = QLabel()
        self.at = DateField()
        self.from_label = QLabel()
        self.start = DateField()
        self.to_label = QLabel()
        self.end = DateField()
        self.municipality = QComboBox()
        self.municipality.setObjectName("kpiMunicipality")
        self.location = QComboBox()
        self.law = QComboBox()
        self.route = QComboBox()
        self.refresh = QPushButton()
        self.refresh.setObjectName("kpiRefresh")
        for field in (self.at, self.start, self.end):
            field.setMinimumWidth(104)
        row: list[QWidget] = [
            self.at_label, self.at, self.from_label, self.start, self.to_label, self.end,
            self.municipality, self.location, self.law, self.route, self.refresh,
        ]  # fmt: skip
        for item in row:
            choices.addWidget(item)
        choices.addStretch(1)
        outer.addLayout(choices)

        self.splitter = QSplitter()
        self.splitter.setObjectName("reportsSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        figures_card, figures_layout, self.figures_title = card()
        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(10)
        self.figures.setVerticalSpacing(6)
        figures_layout.addLayout(self.figures)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("pageSummary")
        figures_layout.addWidget(self.note)
        left_layout.addWidget(figures_card)
        self.chart = LineChart()
        left_layout.addWidget(self.chart, 1)
        self.splitter.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.list_title = QLabel()
        self.list_title.setObjectName("cardTitle")
        self.list_title.setWordWrap(True)
        right_layout.addWidget(self.list_title)
        self.people = table(4, "kpiCandidates")
        right_layout.addWidget(self.people, 1)
        self.splitter.addWidget(right)
        self.splitter.setSizes([800, 380])
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._("Reports"))
        self.report.setText(tr._("Management report…"))
        self.digests.setText(tr._("Digests for klantmanagers…"))
        self.duo.setText(tr._("DUO file…"))
        self.at_label.setText(tr._("On"))
        self.from_label.setText(tr._("Period"))
        self.to_label.setText(tr._("to"))
        self.refresh.setText(tr._("Show"))
        self.figures_title.setText(tr._("Figures (click a figure for the candidates behind it)"))
        self.people.setHorizontalHeaderLabels(
            [tr._("Name"), tr._("Client no."), tr._("Municipality"), tr._("Status")]
        )
