"""The main window's layout: navigation, pages, menus and status bar.

This module only builds widgets and sets texts; :mod:`kvds_desktop.ui.main_controller`
decides what the actions do.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.attendance.view import AttendancePage
from kvds_desktop.ui.pages.candidates.view import CandidatesPage
from kvds_desktop.ui.pages.catalog import PAGES
from kvds_desktop.ui.pages.exchange.view import ExchangePage
from kvds_desktop.ui.pages.groups.view import GroupsPage
from kvds_desktop.ui.pages.levels.view import LevelsPage
from kvds_desktop.ui.pages.overview_page import OverviewPage
from kvds_desktop.ui.pages.reports.view import ReportsPage
from kvds_desktop.ui.pages.work.view import WorkPage
from kvds_desktop.ui.style import icon

TEACHER_PAGE = "aanwezigheid"


class MainWindow(QMainWindow):
    """The window: a navigation list on the left, the current page on the right."""

    closing = Signal(QCloseEvent)

    def __init__(self, tr: Translator) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setMinimumSize(QSize(900, 600))
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setMinimumWidth(220)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.candidates_page = CandidatesPage(tr)
        self.exchange_page = ExchangePage()
        self.groups_page = GroupsPage()
        self.attendance_page = AttendancePage()
        self.levels_page = LevelsPage()
        self.work_page = WorkPage()
        self.reports_page = ReportsPage()
        own_pages = {
            "kandidaten": self.candidates_page,
            "groepen": self.groups_page,
            "aanwezigheid": self.attendance_page,
            "niveaus": self.levels_page,
            "werk": self.work_page,
            "overzichten": self.reports_page,
            "uitwisseling": self.exchange_page,
        }
        self.pages: dict[str, OverviewPage] = {}  # pages still showing figures only
        for spec in PAGES:
            if spec.key in own_pages:
                self.stack.addWidget(own_pages[spec.key])
            else:
                page = OverviewPage(spec)
                self.pages[spec.key] = page
                self.stack.addWidget(page)
            item = QListWidgetItem(icon(spec.icon), "")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 1060])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._build_actions()
        self._build_menus()
        self.database_label = QLabel()
        self.schema_label = QLabel()
        self.statusBar().addPermanentWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.schema_label)
        self.navigation.setCurrentRow(0)
        self.teacher_mode = False
        self.act_export_marks.setVisible(False)

    def _build_actions(self) -> None:
        def action(
            name: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
        ) -> QAction:
            act = QAction(self)
            act.setObjectName(name)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            return act

        self.act_new = action("actNew", QKeySequence.StandardKey.New)
        self.act_open = action("actOpen", QKeySequence.StandardKey.Open)
        self.act_connect = action("actConnect", "Ctrl+Shift+O")
        self.act_demo = action("actDemo")
        self.act_backup = action("actBackup", "Ctrl+B")
        self.act_restore = action("actRestore")
        self.act_encrypt = action("actEncrypt")
        self.act_open_pack = action("actOpenPack")
        self.act_export_marks = action("actExportMarks", "Ctrl+E")
        self.act_quit = action("actQuit", QKeySequence.StandardKey.Quit)
        self.act_refresh = action("actRefresh", QKeySequence.StandardKey.Refresh)
        self.act_settings = action("actSettings", "Ctrl+,")
        self.act_master_data = action("actMasterData")
        self.act_audit = action("actAudit")
        self.act_retention = action("actRetention")
        self.act_rules = action("actAttendanceRules")
        self.act_about = action("actAbout")
        self.act_about_qt = action("actAboutQt")
        self.undo_stack = QUndoStack(self)
        self.act_undo = self.undo_stack.createUndoAction(self)
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo_stack.createRedoAction(self)
        self.act_redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.page_actions: list[QAction] = []
        for index, spec in enumerate(PAGES):
            act = action(f"actPage_{spec.key}", f"Ctrl+{index + 1}")
            act.triggered.connect(lambda _=False, row=index: self.navigation.setCurrentRow(row))
            self.page_actions.append(act)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = QMenu(self)
        self.menu_file.addActions([self.act_new, self.act_open, self.act_connect, self.act_demo])
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_open_pack, self.act_export_marks])
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_backup, self.act_restore, self.act_encrypt])
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_edit = QMenu(self)
        self.menu_edit.addActions([self.act_undo, self.act_redo])
        self.menu_view = QMenu(self)
        self.menu_view.addActions(self.page_actions)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_refresh)
        self.menu_tools = QMenu(self)
        self.menu_tools.addAction(self.act_master_data)
        self.menu_tools.addAction(self.act_rules)
        self.menu_tools.addAction(self.act_audit)
        self.menu_tools.addAction(self.act_retention)
        self.menu_tools.addAction(self.act_settings)
        self.menu_help = QMenu(self)
        self.menu_help.addActions([self.act_about, self.act_about_qt])
        for menu in (
            self.menu_file,
            self.menu_edit,
            self.menu_view,
            self.menu_tools,
            self.menu_help,
        ):
            bar.addMenu(menu)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text of the window in the language of ``tr``."""
        self.setWindowTitle("KVDS Desktop")
        self.menu_file.setTitle(tr._("&File"))
        self.menu_edit.setTitle(tr._("&Edit"))
        self.menu_view.setTitle(tr._("&View"))
        self.menu_tools.setTitle(tr._("&Tools"))
        self.menu_help.setTitle(tr._("&Help"))
        self.act_new.setText(tr._("&New database…"))
        self.act_open.setText(tr._("&Open database…"))
        self.act_connect.setText(tr._("&Connect to a shared database…"))
        self.act_demo.setText(tr._("Load &demo data…"))
        self.act_backup.setText(tr._("Make a &backup…"))
        self.act_restore.setText(tr._("&Restore a backup…"))
        self.act_encrypt.setText(tr._("&Encrypt the database…"))
        self.act_open_pack.setText(tr._("Open a &week pack…"))
        self.act_export_marks.setText(tr._("&Export marks…"))
        self.act_quit.setText(tr._("&Quit"))
        self.act_refresh.setText(tr._("Re&fresh"))
        self.act_settings.setText(tr._("&Settings…"))
        self.act_master_data.setText(tr._("&Master data…"))
        self.act_audit.setText(tr._("&Audit trail…"))
        self.act_retention.setText(tr._("&Retention…"))
        self.act_rules.setText(tr._("Attendance statuses and signal &rules…"))
        self.act_about.setText(tr._("&About KVDS Desktop"))
        self.act_about_qt.setText(tr._("About &Qt"))
        for row, spec in enumerate(PAGES):
            title = tr._(spec.title)
            item = self.navigation.item(row)
            if item is not None:
                item.setText(title)
            self.page_actions[row].setText(title)
            if spec.key in self.pages:
                self.pages[spec.key].retranslate_ui(tr)

    def set_teacher_mode(self, on: bool) -> None:
        """Show only what a teacher with a week pack needs (the Aanwezigheid page)."""
        self.teacher_mode = on
        for row, spec in enumerate(PAGES):
            hidden = on and spec.key != TEACHER_PAGE
            self.navigation.setRowHidden(row, hidden)
            self.page_actions[row].setVisible(not hidden)
        for act in (self.act_new, self.act_demo, self.act_master_data, self.act_rules,
                    self.act_audit, self.act_retention, self.act_encrypt):  # fmt: skip
            act.setVisible(not on)
        self.act_export_marks.setVisible(on)
        self.attendance_page.set_teacher_mode(on)
        if on:
            self.show_page(TEACHER_PAGE)

    def show_page(self, key: str) -> None:
        """Make the page ``key`` the current one."""
        for row, spec in enumerate(PAGES):
            if spec.key == key:
                self.navigation.setCurrentRow(row)

    def current_page_key(self) -> str:
        """The key of the page on screen."""
        return PAGES[max(self.navigation.currentRow(), 0)].key

    def closeEvent(self, event: QCloseEvent) -> None:
        """Let the controller save state (and refuse while work is running)."""
        self.closing.emit(event)
