"""The audit trail window: filters above, the entries in a read-only table, details below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator


class AuditDialog(QDialog):
    """Shows the audit trail; nothing in it can be edited."""

    COLUMNS = 7

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(tr._("Audit trail"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr._("Who changed, looked up, exported or printed what, and when. The "
                            "trail cannot be changed from the application."))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        filters = QGridLayout()
        self.start, self.end = QLineEdit(), QLineEdit()
        for field in (self.start, self.end):
            field.setPlaceholderText(tr._("dd-mm-jjjj"))
            field.setClearButtonEnabled(True)
        self.actor, self.action, self.table = QComboBox(), QComboBox(), QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText(tr._("Name, client number, record id or value"))
        self.text.setClearButtonEnabled(True)
        self.search = QPushButton(tr._("Show"))
        self.search.setDefault(True)
        cells = [
            (tr._("From"), self.start), (tr._("To"), self.end), (tr._("Person"), self.actor),
            (tr._("Action"), self.action), (tr._("Kind of record"), self.table),
            (tr._("Search"), self.text),
        ]  # fmt: skip
        for index, (label, widget) in enumerate(cells):
            row, column = divmod(index, 3)
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption, row, column * 2)
            filters.addWidget(widget, row, column * 2 + 1)
        filters.addWidget(self.search, 1, 6)
        layout.addLayout(filters)
        self.count = QLabel()
        layout.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Vertical)
        self.entries = QTableWidget(0, self.COLUMNS)
        self.entries.setObjectName("auditEntries")
        self.entries.setHorizontalHeaderLabels([
            tr._("When"), tr._("Person"), tr._("Device"), tr._("Action"),
            tr._("Kind of record"), tr._("Candidate"), tr._("Record id"),
        ])  # fmt: skip
        self.entries.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entries.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.entries.setSortingEnabled(True)
        self.entries.verticalHeader().setVisible(False)
        self.entries.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.entries.horizontalHeader().setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setObjectName("auditDetails")
        self.details.setReadOnly(True)
        split.addWidget(self.entries)
        split.addWidget(self.details)
        split.setSizes([420, 160])
        layout.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1100, 700)
