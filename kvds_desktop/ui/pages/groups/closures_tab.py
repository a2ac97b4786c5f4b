"""The Conflicts and Closures tabs of the Groepen & rooster page, and the calendar export.

A part of :class:`~kvds_desktop.ui.pages.groups.controller.GroupsController`, kept in its
own module: conflicts in the coming weeks, closure days (public holidays, school holidays
and own closures, entered or imported), and the ICS calendar of what the week shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from kvds_desktop.domain import labels
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.lookups import location_choices
from kvds_desktop.services.scheduling import calendar_ics, closures, conflicts
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.groups.dialogs import ClosureDialog
from kvds_desktop.ui.pages.groups.view import GroupsPage

CONFLICT_WEEKS = 8
GENERATE_AHEAD_DAYS = 366


def fill_table(
    table: QTableWidget, rows: Sequence[Sequence[str]], data: Sequence[Any] = ()
) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0 and r < len(data):
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)
    table.setSortingEnabled(True)
    table.resizeColumnsToContents()


def selected_data(table: QTableWidget) -> Any:
    """The data of the selected row's first cell (None: nothing selected)."""
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class ConflictsAndClosures:
    """The conflicts, closures and calendar part of the Groepen & rooster controller."""

    page: GroupsPage
    tr: Translator
    dialogs: DialogService
    today: Callable[[], date]
    actor: Actor
    status: Callable[[str], None]
    db: Database | None
    group_uid: str | None
    monday: date
    group_rows: list[Any]
    _regenerate: Callable[[list[str]], None]
    _run: Callable[..., None]
    show_week: Callable[[], None]

    # -- conflicts and closures ------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self._fill_conflicts()
        elif index == 2:
            self._fill_closures()

    def _fill_conflicts(self) -> None:
        found = []
        if self.db is not None:
            start = self.today()
            found = conflicts.find_conflicts(
                self.db, start=start, end=start + timedelta(weeks=CONFLICT_WEEKS)
            )
        fill_table(
            self.page.conflicts,
            [
                [
                    self.tr.date(c.lesson_date, "short"),
                    self.tr._(labels.label(labels.CONFLICT, str(c.kind))),
                    self.tr._(c.message_id).format(**c.params),
                    str(len(c.lesson_uids)),
                ]
                for c in found
            ],
        )
        self.page.tabs.setTabText(1, self.tr._("Conflicts ({n})").format(n=len(found)))

    def _fill_closures(self) -> None:
        rows = []
        if self.db is not None:
            year = self.today().year
            rows = closures.list_closures(self.db, date(year - 1, 1, 1), date(year + 1, 12, 31))
        fill_table(
            self.page.closures,
            [
                [
                    self.tr.date(c.date_from, "short"),
                    self.tr.date(c.date_to, "short"),
                    c.name,
                    c.location_name or self.tr._("all locations"),
                ]
                for c in rows
            ],
            [c.uid for c in rows],
        )

    def add_public_holidays(self) -> None:
        """Add the Dutch public holidays of this year and the next."""
        if self.db is None:
            return
        year = self.today().year
        added = closures.ensure_public_holidays(self.db, [year, year + 1], self.actor)
        self.status(self.tr._("{n} public holidays added.").format(n=added))
        self._fill_closures()

    def import_closures(self) -> None:
        """Import school holidays and closure days from a CSV file."""
        if self.db is None:
            return
        path = self.dialogs.open_file(
            "closures", self.tr._("Import closures"), "CSV (*.csv *.txt);;*", Path.home()
        )
        if path is None:
            return
        try:
            report = closures.import_closures_csv(self.db, path, self.actor)
        except UserError as exc:
            self.dialogs.error(
                self.tr._("The closures could not be imported"), exc.render(self.tr._)
            )
            return
        lines = [
            self.tr._("{added} added, {unchanged} unchanged, {rejected} rejected.").format(
                added=report.added, unchanged=report.unchanged, rejected=len(report.rejected)
            )
        ]
        lines += [self.tr._(message).format(**params) for _row, message, params in report.rejected]
        self.dialogs.info(self.tr._("Import closures"), "\n".join(lines))
        self._fill_closures()
        self._regenerate([r.uid for r in self.group_rows])
        self.show_week()

    def add_closure(self) -> None:
        """Add a school holiday or closure day."""
        db = self.db
        if db is None:
            return
        dialog = ClosureDialog(self.tr, location_choices(db), self.today())
        self._run(
            dialog,
            lambda v: closures.add_closure(
                db,
                date_from=v["date_from"],
                date_to=v["date_to"] or v["date_from"],
                name=v["name"],
                location_id=v["location_id"],
                kind=v["kind"],
                actor=self.actor,
            ),
            self.tr._("The closure was added; lessons on it are no longer planned."),
        )
        self._regenerate([r.uid for r in self.group_rows])

    def remove_closure(self) -> None:
        """Remove the chosen closure."""
        uid = selected_data(self.page.closures)
        if uid is None or self.db is None:
            return
        closures.delete_closure(self.db, uid, self.actor)
        self._fill_closures()

    def export_calendar(self) -> None:
        """Write the lessons of the shown group, teacher or room as an ICS calendar."""
        if self.db is None:
            return
        mode = self.page.view_mode.currentData()
        target = self.page.view_target.currentData()
        out = self.dialogs.save_file(
            "calendar",
            self.tr._("Calendar"),
            "iCalendar (*.ics)",
            Path.home(),
            f"rooster-{self.monday:%Y-%m-%d}.ics",
        )
        if out is None:
            return
        start, end = self.today(), self.today() + timedelta(days=GENERATE_AHEAD_DAYS)
        try:
            data = calendar_ics.calendar_ics(
                self.db,
                group_uid=self.group_uid if mode == "group" else None,
                teacher_id=target if mode == "teacher" else None,
                start=start,
                end=end,
                language=self.tr.language,
                now=datetime.now(UTC),
            )
            calendar_ics.write_calendar(out, data)
        except UserError as exc:
            self.dialogs.error(
                self.tr._("The calendar could not be written"), exc.render(self.tr._)
            )
            return
        self.status(self.tr._("Calendar written to {path}.").format(path=out))
