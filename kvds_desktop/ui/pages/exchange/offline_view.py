"""The Uitwisseling page's tab for teachers working offline (layout only).

Sending: a week pack or a workbook per teacher or group and week. Receiving: marks
files and filled-in workbooks, the conflicts they raised, what has not come back yet.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.widgets import card, table


class OfflinePanel(QWidget):
    """Week packs and workbooks out, marks in."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("offlinePanel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(10)

        send_card, layout, self.send_title = card()
        self.send_hint = QLabel()
        self.send_hint.setWordWrap(True)
        layout.addWidget(self.send_hint)
        row = QHBoxLayout()
        self.week_label = QLabel()
        self.week = QComboBox()
        self.week.setObjectName("packWeek")
        self.week.setMinimumContentsLength(26)
        self.for_label = QLabel()
        self.target = QComboBox()
        self.target.setObjectName("packTarget")
        self.target.setMinimumContentsLength(28)
        self.export_pack = QPushButton()
        self.export_pack.setObjectName("exportPack")
        self.export_workbook = QPushButton()
        self.export_workbook.setObjectName("exportWorkbook")
        for widget in (self.week_label, self.week, self.for_label, self.target):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.export_pack)
        row.addWidget(self.export_workbook)
        layout.addLayout(row)
        outer.addWidget(send_card)

        receive_card, layout, self.receive_title = card()
        row = QHBoxLayout()
        self.import_marks = QPushButton()
        self.import_marks.setObjectName("importMarks")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("pageSummary")
        row.addWidget(self.import_marks)
        row.addWidget(self.summary, 1)
        layout.addLayout(row)
        self.tabs = QTabWidget()
        conflicts = QWidget()
        conflicts_layout = QVBoxLayout(conflicts)
        conflicts_layout.setContentsMargins(0, 4, 0, 0)
        self.conflicts = table(6, "markConflicts")
        conflicts_layout.addWidget(self.conflicts, 1)
        buttons = QHBoxLayout()
        self.resolve = QPushButton()
        self.resolve.setObjectName("resolveConflict")
        buttons.addWidget(self.resolve)
        buttons.addStretch(1)
        conflicts_layout.addLayout(buttons)
        self.receipts = table(5, "receipts")
        self.report = table(3, "importReport")
        self.tabs.addTab(conflicts, "")
        self.tabs.addTab(self.receipts, "")
        self.tabs.addTab(self.report, "")
        layout.addWidget(self.tabs, 1)
        outer.addWidget(receive_card, 1)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.send_title.setText(tr._("Send to teachers"))
        self.send_hint.setText(
            tr._(
                "A week pack holds the lessons and the names of one teacher or group for "
                "one week, sealed with a passphrase you agree with the teacher: tell it by "
                "phone, never in the same e-mail. The teacher opens it in KVDS Desktop "
                "(File > Open a week pack) and sends back a marks file. A workbook is for "
                "teachers without the app; it is not sealed, so send it only by secure mail."
            )
        )
        self.week_label.setText(tr._("Week"))
        self.for_label.setText(tr._("For"))
        self.export_pack.setText(tr._("Export week pack…"))
        self.export_workbook.setText(tr._("Export workbook…"))
        self.export_workbook.setToolTip(tr._("A workbook is made per group."))
        self.receive_title.setText(tr._("Received from teachers"))
        self.import_marks.setText(tr._("Import marks files and workbooks…"))
        self.resolve.setText(tr._("Decide which mark to keep…"))
        self.conflicts.setHorizontalHeaderLabels(
            [
                tr._("Date"),
                tr._("Time"),
                tr._("Group"),
                tr._("Candidate"),
                tr._("Now"),
                tr._("The sources say"),
            ]
        )
        self.receipts.setHorizontalHeaderLabels(
            [tr._("Teacher or group"), tr._("Week"), tr._("Expected"), tr._("Received"),
             tr._("Not received yet")]
        )  # fmt: skip
        self.report.setHorizontalHeaderLabels([tr._("File"), tr._("Result"), tr._("Details")])

    def set_tab_counts(self, tr: Translator, conflicts: int, missing: int, report: int) -> None:
        """Put the counts in the tab titles."""
        self.tabs.setTabText(0, tr._("Conflicts ({n})").format(n=conflicts))
        self.tabs.setTabText(1, tr._("Not received yet ({n})").format(n=missing))
        self.tabs.setTabText(2, tr._("Last import ({n})").format(n=report))
