"""Fills the audit trail window from :mod:`kvds_desktop.services.audit_log`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableWidgetItem, QWidget

from kvds_desktop.domain.dates import parse_date
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit_log import (
    LIMIT,
    AuditFilter,
    AuditRow,
    audit_choices,
    audit_entries,
)
from kvds_desktop.store.database import Database
from kvds_desktop.ui.audit.view import AuditDialog


class AuditController:
    """Reads the filters, shows the entries, and the changes of the selected one."""

    def __init__(self, dialog: AuditDialog, db: Database, tr: Translator) -> None:
        self.dialog, self.db, self.tr = dialog, db, tr
        self.rows: list[AuditRow] = []
        choices = audit_choices(db)
        self._fill(dialog.actor, choices.actors)
        self._fill(dialog.action, choices.actions)
        self._fill(dialog.table, choices.tables)
        dialog.search.clicked.connect(self.show)
        for field in (dialog.start, dialog.end, dialog.text):
            field.returnPressed.connect(self.show)
        for box in (dialog.actor, dialog.action, dialog.table):
            box.currentIndexChanged.connect(self.show)
        dialog.entries.itemSelectionChanged.connect(self.show_details)

    def _fill(self, box: QComboBox, values: tuple[str, ...]) -> None:
        box.blockSignals(True)
        box.addItem(self.tr._("(all)"), "")
        for value in values:
            box.addItem(value, value)
        box.blockSignals(False)

    def selection(self) -> AuditFilter | None:
        """The filters as typed; None (and a message) when a date cannot be read."""
        d = self.dialog
        dates: list[date | None] = []
        for field in (d.start, d.end):
            text = field.text().strip()
            try:
                day = parse_date(text)
            except ValueError:
                day = None
            if text and day is None:
                d.count.setText(self.tr._("Not a date (use dd-mm-jjjj): {text}").format(text=text))
                field.setFocus()
                return None
            dates.append(day)
        return AuditFilter(dates[0], dates[1], d.actor.currentData() or "",
                           d.action.currentData() or "", d.table.currentData() or "",
                           d.text.text())  # fmt: skip

    def show(self) -> None:
        """Show the entries that match the filters."""
        selection = self.selection()
        if selection is None:
            return
        try:
            page = audit_entries(self.db, selection)
        except UserError as exc:
            self.dialog.count.setText(exc.render(self.tr._))
            return
        self.rows = list(page.rows)
        table = self.dialog.entries
        table.setSortingEnabled(False)
        table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            local = row.at.astimezone()
            cells = [local.strftime("%Y-%m-%d %H:%M:%S"), row.actor, row.device, row.action,
                     row.table, row.candidate, row.record_uid]  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, index)
                table.setItem(index, column, item)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        table.resizeColumnsToContents()
        tr = self.tr
        if page.total > len(self.rows):
            text = tr._("{shown} of {total} entries, newest first; narrow the filters to see "
                        "older ones.").format(shown=len(self.rows), total=page.total)  # fmt: skip
        else:
            text = tr.ngettext("{n} entry", "{n} entries", page.total).format(n=page.total)
        self.dialog.count.setText(text)
        self.dialog.details.setPlainText("")

    def show_details(self) -> None:
        """The changed fields of the selected entry, old and new."""
        items = self.dialog.entries.selectedItems()
        if not items:
            return
        row = self.rows[int(items[0].data(Qt.ItemDataRole.UserRole))]
        tr = self.tr
        by = tr._("By {actor} on {device}, {when} (UTC {utc}); result: {result}").format(
            actor=row.actor, device=row.device or "?",
            when=row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            utc=row.at.astimezone(UTC).strftime("%H:%M"), result=row.result,
        )  # fmt: skip
        lines = [f"{row.action} · {row.table} {row.record_uid}".strip(), by, ""]
        for name, old, new in row.changes:
            label = name or tr._("value")
            if old and new:
                lines.append(f"{label}: {old} → {new}")
            else:
                lines.append(f"{label}: {new or old}")
        self.dialog.details.setPlainText("\n".join(lines))


def open_audit(
    parent: QWidget,
    db: Database,
    tr: Translator,
    runner: Callable[[AuditDialog], int] | None = None,
) -> AuditController:
    """Show the audit trail window (modal) and return its controller after it closes."""
    dialog = AuditDialog(tr, parent)
    controller = AuditController(dialog, db, tr)
    controller.show()
    (runner or (lambda d: d.exec()))(dialog)
    return controller


__all__ = ["LIMIT", "AuditController", "open_audit"]
