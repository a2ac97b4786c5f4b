"""Every page's controller, built together and told together about the database and language.

The main controller owns one :class:`PageControllers`; opening a database, switching the
language and closing the window reach every page through it, so adding a page means
adding it here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QSettings

from kvds_desktop.config import MATCH_WEIGHT_NAMES, Settings
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.work.pairs import ScoreWeights
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.main_window import MainWindow
from kvds_desktop.ui.pages.attendance.controller import AttendanceController
from kvds_desktop.ui.pages.candidates.controller import CandidatesController
from kvds_desktop.ui.pages.exchange.controller import ExchangeController
from kvds_desktop.ui.pages.exchange.offline_controller import OfflineController
from kvds_desktop.ui.pages.groups.controller import GroupsController
from kvds_desktop.ui.pages.groups.printing import GroupPrinting
from kvds_desktop.ui.pages.levels.controller import LevelsController
from kvds_desktop.ui.pages.levels.regroup_controller import RegroupController
from kvds_desktop.ui.pages.reports.controller import ReportsController
from kvds_desktop.ui.pages.work.controller import WorkController
from kvds_desktop.ui.pages.work.matching_controller import MatchingController
from kvds_desktop.ui.printing import PrintService
from kvds_desktop.ui.tasks import TaskRunner
from kvds_desktop.ui.teacher_mode import TeacherMode


@dataclass
class Shared:
    """What every page controller is given."""

    window: MainWindow
    paths: AppPaths
    tr: Translator
    dialogs: DialogService
    qsettings: QSettings
    today: Callable[[], date]
    runner: TaskRunner

    settings: Callable[[], Settings]

    def weights(self) -> ScoreWeights:
        """The score weights as Settings has them."""
        chosen = self.settings().match_weights
        defaults = ScoreWeights()
        return ScoreWeights(**{
            name: float(chosen.get(name, getattr(defaults, name))) for name in MATCH_WEIGHT_NAMES
        })  # fmt: skip

    def status(self, text: str) -> None:
        """Show ``text`` in the status bar for a while."""
        self.window.statusBar().showMessage(text, 8000)


class PageControllers:
    """The controllers of all pages."""

    def __init__(
        self,
        shared: Shared,
        *,
        after_import: Callable[[], None],
        use_pack_database: Callable[[Database], None],
    ) -> None:
        s, w = shared, shared.window
        common: dict[str, Any] = {"tr": s.tr, "dialogs": s.dialogs, "today": s.today,
                                  "actor": Actor.current(), "status": s.status}  # fmt: skip
        self.candidates = CandidatesController(
            w.candidates_page, qsettings=s.qsettings, undo_stack=w.undo_stack, **common
        )
        self.exchange = ExchangeController(
            w.exchange_page, runner=s.runner, qsettings=s.qsettings, imported=after_import,
            **common,
        )  # fmt: skip
        self.groups = GroupsController(w.groups_page, qsettings=s.qsettings, **common)
        self.attendance = AttendanceController(
            w.attendance_page, qsettings=s.qsettings, undo_stack=w.undo_stack, **common
        )
        self.offline = OfflineController(
            w.exchange_page.offline, changed=lambda: self.attendance.reload(), **common
        )
        self.printing = GroupPrinting(
            w.groups_page.print_button,
            printer=PrintService(w),
            runner=s.runner,
            group=self.groups.current_group,
            location=lambda: w.groups_page.location.currentData(),
            monday=lambda: self.groups.monday,
            **common,
        )
        self.levels = LevelsController(
            w.levels_page, qsettings=s.qsettings,
            print_report=lambda uid, name: self.printing.preview_progress((uid, name)),
            **common,
        )  # fmt: skip
        self.regroup = RegroupController(
            w.levels_page, runner=s.runner, changed=self._after_regroup, **common
        )
        self.matching = MatchingController(
            w.work_page, runner=s.runner, weights=s.weights, changed=lambda: self.work.reload(),
            **common,
        )  # fmt: skip
        self.work = WorkController(w.work_page, **common)
        self.groups.timetable_changed = self.work.clashes_after_change
        self.reports = ReportsController(
            w.reports_page, runner=s.runner, printer=PrintService(w), **common
        )
        self.teacher = TeacherMode(
            paths=s.paths, tr=s.tr, dialogs=s.dialogs, use=use_pack_database, status=s.status
        )

    def _after_regroup(self) -> None:
        self.groups.reload()
        self.levels.reload()

    def _database_pages(self) -> list[Any]:
        return [
            self.candidates, self.exchange, self.groups, self.attendance, self.offline,
            self.printing, self.levels, self.regroup, self.matching, self.work, self.reports,
        ]  # fmt: skip

    def set_database(self, db: Database | None) -> None:
        """Show ``db`` (None: no database) on every page."""
        for page in self._database_pages():
            page.set_database(db)

    def set_translator(self, tr: Translator) -> None:
        """Switch every page to another language."""
        for page in [*self._database_pages(), self.teacher]:
            page.set_translator(tr)

    def save_state(self) -> None:
        """Remember what every page remembers between sessions."""
        for page in (self.candidates, self.groups, self.attendance, self.levels):
            page.save_state()

    def reload_all(self) -> None:
        """Read every page anew (F5): on a shared database, what others changed appears."""
        for page in self._database_pages():
            reload = getattr(page, "reload", None)
            if callable(reload):
                reload()

    def reload_after_import(self) -> None:
        """Candidates or groups changed outside the pages."""
        self.candidates.reload()
        self.groups.reload()
        self.levels.set_database(self.levels.db)
