"""The Kandidaten page's layout: search and filters, the list with the record beside it,
the deadlines and the possible duplicates (layout only; see controller.py)."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.candidates.detail_view import CandidateDetailView
from kvds_desktop.ui.pages.candidates.models import (
    SORT_ROLE,
    CandidateTableModel,
    DeadlineTableModel,
    DuplicateTableModel,
    RowsModel,
)

FILTERS = ("municipality", "status", "law", "route", "group", "klantmanager", "deadline")


def make_table(
    model: RowsModel, name: str, owner: QWidget
) -> tuple[QTableView, QSortFilterProxyModel]:
    """A sortable, row-selecting table over ``model``; ``owner`` owns model and proxy."""
    model.setParent(owner)
    proxy = QSortFilterProxyModel(owner)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    table = QTableView()
    table.setObjectName(name)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.setWordWrap(False)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return table, proxy


class CandidatesPage(QWidget):
    """Search, filters, tabs; every widget a controller needs is an attribute."""

    def __init__(self, tr: Translator) -> None:
        super().__init__()
        self.setObjectName("candidatesPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        top.addWidget(self.title)
        self.search = QLineEdit()
        self.search.setObjectName("candidateSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(360)
        top.addWidget(self.search, 1)
        self.count = QLabel()
        top.addWidget(self.count)
        self.new_button = QPushButton()
        self.new_button.setObjectName("newCandidate")
        top.addWidget(self.new_button)
        outer.addLayout(top)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.filters: dict[str, QComboBox] = {}
        for name in FILTERS:
            combo = QComboBox()
            combo.setObjectName(f"filter_{name}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
            self.filters[name] = combo
            bar.addWidget(combo, 1)
        self.clear_filters = QPushButton()
        bar.addWidget(self.clear_filters)
        outer.addLayout(bar)

        self.tabs = QTabWidget()
        self.model = CandidateTableModel(tr)
        self.table, self.proxy = make_table(self.model, "candidateTable", self)
        for column, width in enumerate((190, 90, 80, 90, 90, 70, 90, 150, 100)):
            self.table.setColumnWidth(column, width)
        self.detail = CandidateDetailView()
        self.splitter = QSplitter()
        self.splitter.setObjectName("candidateSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([540, 500])  # room for the record and its buttons
        self.tabs.addTab(self.splitter, "")

        self.deadline_model = DeadlineTableModel(tr)
        self.deadline_table, self.deadline_proxy = make_table(
            self.deadline_model, "deadlineTable", self
        )
        for column, width in enumerate((100, 60, 200, 200, 520)):
            self.deadline_table.setColumnWidth(column, width)
        self.tabs.addTab(self.deadline_table, "")

        duplicates = QWidget()
        dup_layout = QVBoxLayout(duplicates)
        dup_layout.setContentsMargins(0, 6, 0, 0)
        self.duplicate_hint = QLabel()
        self.duplicate_hint.setWordWrap(True)
        dup_layout.addWidget(self.duplicate_hint)
        self.duplicate_model = DuplicateTableModel(tr)
        self.duplicate_table, self.duplicate_proxy = make_table(
            self.duplicate_model, "duplicateTable", self
        )
        dup_layout.addWidget(self.duplicate_table)
        for column, width in enumerate((240, 240, 120)):
            self.duplicate_table.setColumnWidth(column, width)
        dup_buttons = QHBoxLayout()
        self.merge_button = QPushButton()
        self.not_duplicate_button = QPushButton()
        dup_buttons.addWidget(self.merge_button)
        dup_buttons.addWidget(self.not_duplicate_button)
        dup_buttons.addStretch(1)
        dup_layout.addLayout(dup_buttons)
        self.tabs.addTab(duplicates, "")
        outer.addWidget(self.tabs, 1)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._("Candidates"))
        self.new_button.setText(tr._("New candidate…"))
        self.new_button.setToolTip(tr._("Register a new candidate (Ctrl+Shift+N)"))
        self.search.setPlaceholderText(
            tr._("Search by any part of a name or a client number (Ctrl+F)")
        )
        self.clear_filters.setText(tr._("Clear filters"))
        self.tabs.setTabText(0, tr._("List"))
        self.tabs.setTabText(1, tr._("Deadlines"))
        self.tabs.setTabText(2, tr._("Possible duplicates"))
        self.duplicate_hint.setText(
            tr._(
                "Records with the same BSN, or the same birth date and a similar name. "
                "Merging keeps all history of both records in the first one."
            )
        )
        self.merge_button.setText(tr._("Merge into the first record…"))
        self.not_duplicate_button.setText(tr._("Not the same person"))
        for model in (self.model, self.deadline_model, self.duplicate_model):
            model.set_translator(tr)
        self.detail.retranslate_ui(tr)
