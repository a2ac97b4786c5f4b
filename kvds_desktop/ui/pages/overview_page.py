"""The view of a page: what it is for, what it will hold, and the live figures.

Pages whose feature has not landed yet still show their real figures from the
open database, so the coordinator sees at a glance what the file holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.catalog import PageSpec
from kvds_desktop.ui.widgets import card


class OverviewPage(QScrollArea):
    """One page of the main window (layout only; the controller fills it)."""

    def __init__(self, spec: PageSpec) -> None:
        super().__init__()
        self.spec = spec
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("pageBody")
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(16)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("pageSummary")
        self.summary.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        outer.addWidget(self.title)
        outer.addWidget(self.summary)
        outer.addWidget(self.banner)

        row = QHBoxLayout()
        row.setSpacing(16)
        figures_card, figures_layout, self.figures_title = card()
        self.figures_grid = QGridLayout()
        self.figures_grid.setHorizontalSpacing(24)
        self.figures_grid.setVerticalSpacing(10)
        figures_layout.addLayout(self.figures_grid)
        self.figures_empty = QLabel()
        self.figures_empty.setWordWrap(True)
        figures_layout.addWidget(self.figures_empty)
        figures_layout.addStretch(1)

        coming_card, coming_layout, self.coming_title = card()
        self.coming_list = QLabel()
        self.coming_list.setWordWrap(True)
        self.coming_list.setTextFormat(Qt.TextFormat.RichText)
        coming_layout.addWidget(self.coming_list)
        coming_layout.addStretch(1)

        row.addWidget(figures_card, 1)
        row.addWidget(coming_card, 1)
        outer.addLayout(row)
        outer.addStretch(1)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._(self.spec.title))
        self.summary.setText(tr._(self.spec.summary))
        self.banner.setText(
            tr._("This page is being built. Until then it shows what the database holds.")
        )
        self.figures_title.setText(tr._("In this database"))
        self.coming_title.setText(tr._("What this page will hold"))
        items = "".join(
            f"<li style='margin-bottom:6px'>{tr._(line)}</li>" for line in self.spec.coming
        )
        self.coming_list.setText(f"<ul style='margin-left:-20px'>{items}</ul>")

    def show_figures(self, lines: list[tuple[str, str]], empty_text: str) -> None:
        """Replace the figures shown (an empty list shows ``empty_text``)."""
        while self.figures_grid.count():
            item = self.figures_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for row, (label, value) in enumerate(lines):
            value_label = QLabel(value)
            value_label.setObjectName("figureValue")
            value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            text_label = QLabel(label)
            text_label.setObjectName("figureLabel")
            self.figures_grid.addWidget(value_label, row, 0)
            self.figures_grid.addWidget(text_label, row, 1)
        self.figures_grid.setColumnStretch(1, 1)
        self.figures_empty.setVisible(not lines)
        self.figures_empty.setText(empty_text)
