"""The Uitwisseling page's layout: import with preview, and export (layout only)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.exchange.offline_view import OfflinePanel
from kvds_desktop.ui.widgets import card, table


class ExchangePage(QWidget):
    """Import of candidate lists with a preview, and the candidate export."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("exchangePage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(10)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        outer.addWidget(self.title)
        self.sections = QTabWidget()
        self.sections.setObjectName("exchangeSections")
        outer.addWidget(self.sections, 1)
        candidates = QWidget()
        self.sections.addTab(candidates, "")
        self.offline = OfflinePanel()
        self.sections.addTab(self.offline, "")
        outer = QVBoxLayout(candidates)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(10)

        import_card, layout, self.import_title = card()
        self.import_hint = QLabel()
        self.import_hint.setWordWrap(True)
        layout.addWidget(self.import_hint)
        row = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.choose = QPushButton()
        self.sheet_label = QLabel()
        self.sheet = QComboBox()
        self.mapping_label = QLabel()
        self.mapping = QComboBox()
        self.mapping.setMinimumContentsLength(14)
        self.map_columns = QPushButton()
        self.preview_button = QPushButton()
        self.import_button = QPushButton()
        self.import_button.setObjectName("importButton")
        row.addWidget(self.file, 3)
        row.addWidget(self.choose)
        row.addWidget(self.sheet_label)
        row.addWidget(self.sheet, 1)
        row.addWidget(self.mapping_label)
        row.addWidget(self.mapping, 1)
        row.addWidget(self.map_columns)
        row.addWidget(self.preview_button)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("pageSummary")
        layout.addWidget(self.summary)
        self.results = QTabWidget()
        self.new_table = table(4, "newTable")
        self.changed_table = table(5, "changedTable")
        self.conflict_table = table(6, "conflictTable")
        self.rejected_table = table(2, "rejectedTable")
        for widget in (
            self.new_table,
            self.changed_table,
            self.conflict_table,
            self.rejected_table,
        ):
            self.results.addTab(widget, "")
        layout.addWidget(self.results, 1)
        outer.addWidget(import_card, 1)

        export_card, layout, self.export_title = card()
        row = QHBoxLayout()
        self.with_bsn = QCheckBox()
        self.export_csv = QPushButton()
        self.export_xlsx = QPushButton()
        row.addWidget(self.with_bsn, 1)
        row.addWidget(self.export_csv)
        row.addWidget(self.export_xlsx)
        layout.addLayout(row)
        outer.addWidget(export_card)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._("Exchange"))
        self.sections.setTabText(0, tr._("Candidates"))
        self.sections.setTabText(1, tr._("Teachers (offline)"))
        self.offline.retranslate_ui(tr)
        self.import_title.setText(tr._("Import a candidate list"))
        self.import_hint.setText(
            tr._(
                "A CSV or Excel file exported from the municipality's client system. The preview "
                "shows what would change; nothing is written until you press Import."
            )
        )
        self.file.setPlaceholderText(tr._("No file chosen"))
        self.choose.setText(tr._("Choose file…"))
        self.sheet_label.setText(tr._("Sheet"))
        self.mapping_label.setText(tr._("Columns"))
        self.map_columns.setText(tr._("Map columns…"))
        self.preview_button.setText(tr._("Preview"))
        self.import_button.setText(tr._("Import"))
        headers = {
            self.new_table: [tr._("Row"), tr._("Name"), tr._("Client no."), tr._("Birth date")],
            self.changed_table: [
                tr._("Row"),
                tr._("Name"),
                tr._("Field"),
                tr._("Now"),
                tr._("In the file"),
            ],
            self.conflict_table: [
                tr._("Take the file's value"),
                tr._("Row"),
                tr._("Name"),
                tr._("Field"),
                tr._("In the app"),
                tr._("In the file"),
            ],
            self.rejected_table: [tr._("Row"), tr._("Why")],
        }
        for widget, labels in headers.items():
            widget.setHorizontalHeaderLabels(labels)
        self.export_title.setText(tr._("Export the candidates"))
        self.with_bsn.setText(tr._("Include the BSN (only when the recipient needs it)"))
        self.export_csv.setText(tr._("Export as CSV…"))
        self.export_xlsx.setText(tr._("Export as Excel…"))

    def set_tab_counts(
        self, tr: Translator, new: int, changed: int, conflicts: int, rejected: int
    ) -> None:
        """Put the counts in the tab titles."""
        for index, (label, count) in enumerate(
            (
                (tr._("New"), new),
                (tr._("Changed"), changed),
                (tr._("Conflicts"), conflicts),
                (tr._("Rejected"), rejected),
            )
        ):
            self.results.setTabText(index, f"{label} ({count})")
