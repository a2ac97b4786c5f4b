"""The Aanwezigheid page's layout (see controller.py for what it does)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.attendance.overview_tabs import FiguresTab, SignalsTab
from kvds_desktop.ui.widgets import table


class RegisterTable(QTableView):
    """The roster of a lesson. A status key marks the current row; Enter goes down."""

    status_key = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Letters and digits are status keys; Enter and Return move to the next row."""
        text = event.text()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if plain and len(text) == 1 and text.isalnum():
            self.status_key.emit(text.upper())
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_down()
            return
        super().keyPressEvent(event)

    def move_down(self) -> None:
        """Select the next row (stay on the last)."""
        row = min(self.currentIndex().row() + 1, self.model().rowCount() - 1)
        if row >= 0:
            self.selectRow(row)
            self.setCurrentIndex(self.model().index(row, 0))


class AttendancePage(QWidget):
    """Lessons of a day on the left, the chosen lesson's register on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("attendancePage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        top.addWidget(self.title)
        top.addStretch(1)
        self.teacher = QComboBox()
        self.teacher.setMinimumContentsLength(20)
        self.previous_day = QPushButton("◀")
        self.previous_day.setFixedWidth(36)
        self.day_label = QLabel()
        self.day_label.setObjectName("weekLabel")
        self.next_day = QPushButton("▶")
        self.next_day.setFixedWidth(36)
        self.today_button = QPushButton()
        for widget in (
            self.teacher,
            self.previous_day,
            self.day_label,
            self.next_day,
            self.today_button,
        ):
            top.addWidget(widget)
        outer.addLayout(top)

        self.splitter = QSplitter()
        self.splitter.setObjectName("attendanceSplitter")
        self.left_tabs = QTabWidget()
        self.lessons = table(5, "dayLessons")
        self.lessons.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.unregistered = table(5, "unregistered")
        self.left_tabs.addTab(self.lessons, "")
        self.left_tabs.addTab(self.unregistered, "")
        self.splitter.addWidget(self.left_tabs)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.header = QLabel()
        self.header.setObjectName("cardTitle")
        self.header.setWordWrap(True)
        right_layout.addWidget(self.header)
        self.register = RegisterTable()
        self.register.setObjectName("register")
        self.register.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.register.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.register.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.register.setAlternatingRowColors(True)
        self.register.verticalHeader().setVisible(False)
        self.register.verticalHeader().setDefaultSectionSize(28)
        self.register.horizontalHeader().setStretchLastSection(True)
        self.register.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        right_layout.addWidget(self.register, 1)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setObjectName("banner")
        right_layout.addWidget(self.legend)
        buttons = QHBoxLayout()
        self.rest_present = QPushButton()
        self.history = QPushButton()
        buttons.addWidget(self.rest_present)
        buttons.addWidget(self.history)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([440, 700])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.splitter, "")
        self.figures = FiguresTab()
        self.signals = SignalsTab()
        self.tabs.addTab(self.figures, "")
        self.tabs.addTab(self.signals, "")
        outer.addWidget(self.tabs, 1)

    def set_teacher_mode(self, on: bool) -> None:
        """A teacher's week pack has no figures or signals: show the register only."""
        self.tabs.setTabVisible(1, not on)
        self.tabs.setTabVisible(2, not on)
        if on:
            self.tabs.setCurrentIndex(0)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._("Attendance"))
        self.tabs.setTabText(0, tr._("Register"))
        self.tabs.setTabText(1, tr._("Figures"))
        self.tabs.setTabText(2, tr._("Signals"))
        self.today_button.setText(tr._("Today"))
        self.previous_day.setToolTip(tr._("Previous day (Alt+Left)"))
        self.next_day.setToolTip(tr._("Next day (Alt+Right)"))
        self.left_tabs.setTabText(0, tr._("Lessons of the day"))
        self.left_tabs.setTabText(1, tr._("Not registered yet"))
        self.lessons.setHorizontalHeaderLabels(
            [tr._("Time"), tr._("Group"), tr._("Activity"), tr._("Teacher"), tr._("Registered")]
        )
        self.unregistered.setHorizontalHeaderLabels(
            [tr._("Date"), tr._("Time"), tr._("Group"), tr._("Teacher"), tr._("Registered")]
        )
        self.rest_present.setText(tr._("Everyone without a mark present (Ctrl+Shift+A)"))
        self.history.setText(tr._("History of the mark…"))
