"""What the Niveaus & examens page does: a group's levels and outlooks, one candidate's.

The group table answers on one screen who will not reach the target before the term
ends, and why (the skills that hold them back, with pace and forecast); choosing a
member shows their chart, assessments, exams and modules, and the buttons under it
record new facts. Entering levels for a whole group is one keyboard-driven grid.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTableWidgetItem

from kvds_desktop.domain import labels
from kvds_desktop.domain.progress import EXAM_SKILLS
from kvds_desktop.errors import UserError
from kvds_desktop.exchange.progress_export import export_progress
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.progress_words import (
    AT_RISK,
    level_text,
    month_text,
    outlook_text,
    why_text,
)
from kvds_desktop.services import progress
from kvds_desktop.services.audit import Actor, record_export
from kvds_desktop.services.lookups import group_choices
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.levels.candidate_panel import CandidatePanel
from kvds_desktop.ui.pages.levels.colours import level_colour
from kvds_desktop.ui.pages.levels.entry_dialog import LevelEntryDialog
from kvds_desktop.ui.pages.levels.view import LevelsPage
from kvds_desktop.ui.widgets import refill_combo

EXPORT_FILTER = "Excel (*.xlsx);;CSV (*.csv);;*"
FIRST_SKILL = 5  # name, outlook, why, term end, target, then the skills
WHY = 2


class LevelsController:
    """Drives the group side of the Niveaus & examens page."""

    def __init__(
        self,
        page: LevelsPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        qsettings: QSettings,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
        print_report: Callable[[str, str], None],
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.qsettings = qsettings
        self.today = today
        self.actor = actor
        self.status = status
        self.db: Database | None = None
        self.rows: list[Any] = []
        self.shown: list[Any] = []
        self.panel = CandidatePanel(
            page, tr=tr, dialogs=dialogs, today=today, actor=actor, status=status,
            changed=self.reload, print_report=print_report,
        )  # fmt: skip
        page.group.currentIndexChanged.connect(lambda _i: self.reload())
        page.at_risk.toggled.connect(lambda _on: self._fill())
        page.members.itemSelectionChanged.connect(self._member_chosen)
        page.enter_levels.clicked.connect(self.enter_levels)
        page.export.clicked.connect(self.export)
        page.at_risk.setChecked(bool(qsettings.value("levels/at_risk", False, type=bool)))
        state = qsettings.value("levels/splitter")
        if state is not None:
            page.splitter.restoreState(state)
        self.set_translator(tr)

    def save_state(self) -> None:
        """Remember the filter and the splitter."""
        self.qsettings.setValue("levels/at_risk", self.page.at_risk.isChecked())
        self.qsettings.setValue("levels/splitter", self.page.splitter.saveState())

    def set_translator(self, tr: Translator) -> None:
        """Switch the page to another language."""
        self.tr = tr
        self.page.retranslate_ui(tr)
        self.panel.set_translator(tr)
        self._headers()
        self.reload()

    def set_database(self, db: Database | None) -> None:
        """Show the groups of ``db``."""
        self.db = db
        self.panel.set_database(db)
        choices = group_choices(db) if db is not None else []
        refill_combo(self.page.group, choices, self.page.group.currentData())
        self.reload()

    def _headers(self) -> None:
        tr = self.tr
        skills = [tr._(labels.label(labels.SKILL, s)) for s in EXAM_SKILLS]
        self.page.members.setHorizontalHeaderLabels(
            [tr._("Name"), tr._("Outlook"), tr._("Why"), tr._("Term ends"), tr._("Target"),
             *skills]
        )  # fmt: skip

    # -- the group -----------------------------------------------------------------------
    def reload(self) -> None:
        """Read the chosen group's progress again."""
        uid = self.page.group.currentData()
        self.rows, spread = [], {}
        if self.db is not None and uid:
            try:
                group = progress.group_progress(self.db, uid, self.today())
            except UserError as exc:
                self.dialogs.error(self.tr._("The group cannot be shown"), exc.render(self.tr._))
                return
            self.rows, spread = list(group.rows), dict(group.spread)
        tr = self.tr
        parts = [
            tr._("{skill} {steps}").format(
                skill=tr._(labels.label(labels.SKILL, skill)), steps=steps
            )
            for skill, steps in spread.items()
        ]
        late = sum(1 for r in self.rows if r.worst in AT_RISK)
        self.page.spread.setText(
            tr._(
                "Spread of levels in this group (steps between highest and lowest): {parts}."
            ).format(parts=", ".join(parts) or "–")
            + "  "
            + tr.ngettext(
                "{n} member will not reach the target before the term ends.",
                "{n} members will not reach the target before the term ends.",
                late,
            ).format(n=late)
        )
        self._fill()

    def _fill(self) -> None:
        tr, table = self.tr, self.page.members
        keep = self.panel.candidate_uid
        only_risk = self.page.at_risk.isChecked()
        self.shown = [r for r in self.rows if not only_risk or r.worst in AT_RISK]
        table.setSortingEnabled(False)
        table.setRowCount(len(self.shown))
        for row, person in enumerate(self.shown):
            latest = {f.skill: f.latest for f in person.forecasts}
            values = [
                person.name,
                outlook_text(tr, person.worst),
                why_text(tr, person.forecasts, person.term_end),
                month_text(tr, person.term_end),
                level_text(tr, person.target),
                *[level_text(tr, latest.get(s.value)) for s in EXAM_SKILLS],
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, person.candidate_uid)
                if FIRST_SKILL <= column < FIRST_SKILL + len(EXAM_SKILLS):
                    colour = level_colour(latest.get(EXAM_SKILLS[column - FIRST_SKILL].value))
                    if colour is not None:
                        item.setBackground(colour)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column in (1, WHY) and person.worst in AT_RISK:
                    item.setForeground(Qt.GlobalColor.darkRed)
                if column == WHY:
                    item.setToolTip(value)
                table.setItem(row, column, item)
        table.setSortingEnabled(True)
        table.resizeColumnsToContents()
        table.setColumnWidth(WHY, 340)  # the full text is in the tooltip and on the right
        table.setColumnWidth(4, 52)  # the target: B1, A2, A1
        for column in range(FIRST_SKILL, FIRST_SKILL + len(EXAM_SKILLS)):
            table.setColumnWidth(column, 50)
        if keep:
            for row in range(table.rowCount()):
                cell = table.item(row, 0)
                if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == keep:
                    table.selectRow(row)
                    return
        if table.rowCount():
            table.selectRow(0)
        else:
            self.panel.show_candidate(None)

    def _member_chosen(self) -> None:
        row = self.page.members.currentRow()
        item = self.page.members.item(row, 0) if row >= 0 else None
        uid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.panel.show_candidate(uid)

    # -- actions -------------------------------------------------------------------------
    def enter_levels(self) -> None:
        """Levels for the whole group in one grid: one row per member, one column a skill."""
        if self.db is None or not self.rows:
            return
        db = self.db
        dialog = LevelEntryDialog(
            self.tr, [(r.candidate_uid, r.name) for r in self.rows], self.today(),
            self.page.window(),
        )  # fmt: skip

        def submit(day: date, instrument: str, assessor: str, entries: list[Any]) -> int:
            return progress.record_assessments(
                db, entries=entries, day=day, instrument=instrument, assessor=assessor,
                actor=self.actor, today=self.today(),
            )  # fmt: skip

        dialog.submit = submit
        if dialog.exec():
            self.status(
                self.tr.ngettext("{n} level saved.", "{n} levels saved.", dialog.saved).format(
                    n=dialog.saved
                )
            )
            self.reload()

    def export(self) -> None:
        """The progress of the chosen group (or everyone in progress) as CSV or Excel."""
        if self.db is None:
            return
        uid = self.page.group.currentData()
        name = self.page.group.currentText().split(" (")[0] or "kvds"
        path = self.dialogs.save_file(
            "exports", self.tr._("Export progress"), EXPORT_FILTER, Path.home(),
            f"voortgang-{name}-{self.today():%Y%m%d}.xlsx",
        )  # fmt: skip
        if path is None:
            return
        try:
            rows = list(self.rows) if uid else progress.progress_rows(self.db, today=self.today())
            count = export_progress(
                [progress.export_row(r) for r in rows], path, language=self.tr.language
            )
            record_export(self.db, self.actor, "progress", str(path), count=count)
        except UserError as exc:
            self.dialogs.error(self.tr._("The export failed"), exc.render(self.tr._))
            return
        self.status(
            self.tr._("{count} candidates written to {path}.").format(count=count, path=path)
        )


def now_utc() -> datetime:
    """The time to stamp a change with."""
    return datetime.now(UTC)
