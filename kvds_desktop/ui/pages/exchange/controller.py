"""What the Uitwisseling page does: preview and import candidate lists, export candidates.

Reading and comparing a file and writing an import run off the GUI thread; the
preview is shown before anything is written, and conflicts are chosen row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem

from kvds_desktop.domain import bsn
from kvds_desktop.errors import UserError
from kvds_desktop.exchange import candidate_fields as fields
from kvds_desktop.exchange.candidate_export import export_candidates
from kvds_desktop.exchange.tabular import read_table, sheet_names
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidate_import import (
    ImportPreview,
    ImportResult,
    MissingColumns,
    commit_import,
    preview_import,
)
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.exchange.mapping_dialog import MappingDialog
from kvds_desktop.ui.pages.exchange.view import ExchangePage
from kvds_desktop.ui.tasks import Task, TaskRunner
from kvds_desktop.ui.widgets import refill_combo

FILTER = "CSV, Excel (*.csv *.txt *.xlsx);;*"
AUTOMATIC = "__automatic__"
THIS_SESSION = "__session__"


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0 and value.isdigit():
                item.setData(Qt.ItemDataRole.DisplayRole, int(value))
            table.setItem(r, c, item)
    table.setSortingEnabled(True)
    table.sortByColumn(
        table.horizontalHeader().sortIndicatorSection(),
        table.horizontalHeader().sortIndicatorOrder(),
    )
    table.resizeColumnsToContents()


def _shown(field: str, value: str) -> str:
    return bsn.mask(value) if field == "bsn" else value


class ExchangeController:
    """Drives the Uitwisseling page."""

    def __init__(
        self,
        page: ExchangePage,
        *,
        tr: Translator,
        dialogs: DialogService,
        runner: TaskRunner,
        qsettings: QSettings,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
        imported: Callable[[], None],
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.runner = runner
        self.qsettings = qsettings
        self.today = today
        self.actor = actor
        self.status = status
        self.imported = imported
        self.db: Database | None = None
        self.path: Path | None = None
        self.session_mapping: dict[str, str] | None = None
        self.preview: ImportPreview | None = None
        self.task: Task | None = None
        p = page
        p.choose.clicked.connect(self.choose_file)
        p.map_columns.clicked.connect(self.edit_mapping)
        p.preview_button.clicked.connect(self.run_preview)
        p.import_button.clicked.connect(self.run_import)
        p.export_csv.clicked.connect(lambda: self.export("csv"))
        p.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        p.retranslate_ui(tr)
        self._show_preview()

    def set_translator(self, tr: Translator) -> None:
        """Switch the page to another language."""
        self.tr = tr
        self.page.retranslate_ui(tr)
        self._fill_mappings()
        self._show_preview()

    def set_database(self, db: Database | None) -> None:
        """Work on ``db``; a preview of another database is dropped."""
        self.db = db
        self.preview = None
        self._fill_mappings()
        self._show_preview()

    # -- the file and its columns ----------------------------------------------------------
    def choose_file(self) -> None:
        """Pick the file to import."""
        path = self.dialogs.open_file(
            "import", self.tr._("Import a candidate list"), FILTER, Path.home()
        )
        if path is not None:
            self.set_file(path)

    def set_file(self, path: Path) -> None:
        """Use ``path`` as the file to import and preview it."""
        self.path = path
        self.preview = None
        self.page.file.setText(str(path))
        self.page.sheet.clear()
        try:
            sheets = sheet_names(path)
        except UserError as exc:
            self.dialogs.error(self.tr._("The file cannot be read"), exc.render(self.tr._))
            sheets = []
        for name in sheets:
            self.page.sheet.addItem(name, name)
        self.page.sheet.setEnabled(bool(sheets))
        self.run_preview()

    def _fill_mappings(self) -> None:
        items: list[tuple[str, str]] = [(AUTOMATIC, self.tr._("Recognise automatically"))]
        if self.session_mapping:
            items.append((THIS_SESSION, self.tr._("As mapped just now")))
        if self.db is not None:
            items += [(name, name) for name in fields.list_named_mappings(self.db)]
        refill_combo(self.page.mapping, items, self.page.mapping.currentData())

    def _mapping(self) -> dict[str, str] | None:
        chosen = self.page.mapping.currentData()
        if chosen == THIS_SESSION:
            return self.session_mapping
        if chosen in (AUTOMATIC, None) or self.db is None:
            return None
        return fields.load_named_mapping(self.db, str(chosen))

    def edit_mapping(self, headers: list[str] | None = None) -> bool:
        """Let the user map the file's columns; True when a mapping was chosen."""
        if self.path is None or self.db is None:
            return False
        if headers is None:
            try:
                headers = read_table(self.path, sheet=self.page.sheet.currentData()).headers
            except UserError as exc:
                self.dialogs.error(self.tr._("The file cannot be read"), exc.render(self.tr._))
                return False
        dialog = MappingDialog(headers, self._mapping(), self.tr, self.page)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        mapping = dialog.mapping()
        name = dialog.name.text().strip()
        self.session_mapping = mapping
        if name:
            try:
                fields.save_named_mapping(self.db, name, mapping)
            except UserError as exc:
                self.dialogs.error(
                    self.tr._("The mapping could not be saved"), exc.render(self.tr._)
                )
        self._fill_mappings()
        self.page.mapping.setCurrentIndex(
            self.page.mapping.findData(name if name else THIS_SESSION)
        )
        return True

    # -- preview ---------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        for button in (
            self.page.preview_button,
            self.page.import_button,
            self.page.choose,
            self.page.map_columns,
        ):
            button.setEnabled(not busy)
        if not busy:
            self.page.import_button.setEnabled(bool(self.preview and self.preview.has_valid_rows))

    def run_preview(self) -> None:
        """Read and compare the file in the background, then show what would change."""
        if self.path is None or self.db is None:
            return
        db, path, sheet, today = self.db, self.path, self.page.sheet.currentData(), self.today()
        try:
            mapping = self._mapping()
        except UserError as exc:
            self.dialogs.error(self.tr._("The file cannot be read"), exc.render(self.tr._))
            return
        self._busy(True)
        self.page.summary.setText(self.tr._("Reading {file}…").format(file=path.name))
        task = self.runner.submit(
            lambda _report, _cancelled: preview_import(
                db, path, mapping=mapping, sheet=sheet, today=today
            )
        )
        task.succeeded.connect(self._preview_ready)
        task.failed.connect(self._preview_failed)
        self.task = task
        task.start()

    def _preview_ready(self, preview: ImportPreview) -> None:
        self.preview = preview
        self._busy(False)
        self._show_preview()

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview = None
        self._busy(False)
        self._show_preview()
        if isinstance(exc, MissingColumns):
            question = exc.render(self.tr._) + "\n\n" + self.tr._("Map the columns now?")
            confirmed = self.dialogs.confirm(self.tr._("Columns not recognised"), question)
            if confirmed and self.edit_mapping(list(exc.headers)):
                self.run_preview()
            return
        if isinstance(exc, UserError):
            self.dialogs.error(self.tr._("The file cannot be imported"), exc.render(self.tr._))
            return
        raise exc

    def _show_preview(self) -> None:
        p, tr, preview = self.page, self.tr, self.preview
        if preview is None:
            p.summary.setText(tr._("Choose a file to see what it would change."))
            for table in (p.new_table, p.changed_table, p.conflict_table, p.rejected_table):
                table.setRowCount(0)
            p.set_tab_counts(tr, 0, 0, 0, 0)
            p.import_button.setEnabled(False)
            return
        text = "\n".join(preview.summary(tr._))
        p.summary.setText(text)
        _fill(
            p.new_table,
            [
                [
                    str(n.row),
                    n.display_name,
                    n.values.get("klantnummer", ""),
                    n.values.get("birth_date", ""),
                ]
                for n in preview.new
            ],
        )
        _fill(
            p.changed_table,
            [
                [
                    str(c.row),
                    c.display_name,
                    ch.field,
                    _shown(ch.field, ch.old),
                    _shown(ch.field, ch.new),
                ]
                for c in preview.changed
                for ch in c.changes
            ],
        )
        _fill(
            p.conflict_table,
            [
                [
                    "",
                    str(c.row),
                    c.display_name,
                    c.field,
                    _shown(c.field, c.app_value),
                    _shown(c.field, c.file_value),
                ]
                for c in preview.conflicts
            ],
        )
        p.conflict_table.setSortingEnabled(False)
        for row in range(p.conflict_table.rowCount()):
            item = p.conflict_table.item(row, 0)
            if item is not None:
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
        _fill(p.rejected_table, [[str(r.row), r.text(tr._)] for r in preview.rejected])
        p.set_tab_counts(
            tr,
            len(preview.new),
            len(preview.changed),
            len(preview.conflicts),
            len(preview.rejected_rows),
        )
        p.import_button.setEnabled(preview.has_valid_rows)

    def resolutions(self) -> dict[tuple[int, str], str]:
        """For every conflict: take the file's value when its box is ticked, else keep the app's."""
        chosen: dict[tuple[int, str], str] = {}
        table = self.page.conflict_table
        for row in range(table.rowCount()):
            box, number, name_field = table.item(row, 0), table.item(row, 1), table.item(row, 3)
            if box is None or number is None or name_field is None:
                continue
            take_file = box.checkState() == Qt.CheckState.Checked
            chosen[(int(number.text()), name_field.text())] = "file" if take_file else "app"
        return chosen

    # -- import ----------------------------------------------------------------------------
    def run_import(self) -> None:
        """Write the previewed file, after confirmation, in one transaction."""
        preview, db = self.preview, self.db
        if preview is None or db is None:
            return
        question = self.tr._(
            "Import {new} new and {changed} changed candidates from {source}?"
        ).format(new=len(preview.new), changed=len(preview.changed), source=preview.source)
        if not self.dialogs.confirm(self.tr._("Import"), question):
            return
        resolutions = self.resolutions()
        now, today, actor = datetime.now(UTC), self.today(), self.actor
        self._busy(True)
        task = self.runner.submit(
            lambda _report, _cancelled: commit_import(
                db,
                preview,
                resolutions=resolutions,
                actor=actor.name,
                device=actor.device,
                now=now,
                today=today,
            )
        )
        task.succeeded.connect(self._import_done)
        task.failed.connect(self._import_failed)
        self.task = task
        task.start()

    def _import_done(self, result: ImportResult) -> None:
        self.preview = None
        self._busy(False)
        self.imported()
        self.dialogs.info(
            self.tr._("Import"),
            self.tr._(
                "Imported: {created} new and {updated} changed candidates; {kept} conflicts kept "
                "the value in the app."
            ).format(
                created=result.created, updated=result.updated, kept=result.conflicts_kept_app
            ),
        )
        self.run_preview()

    def _import_failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, UserError):
            self.dialogs.error(self.tr._("The file cannot be imported"), exc.render(self.tr._))
            return
        raise exc

    # -- export ----------------------------------------------------------------------------
    def export(self, kind: str) -> None:
        """Write all candidates to a CSV or Excel file for the klantmanager."""
        if self.db is None:
            return
        include_bsn = self.page.with_bsn.isChecked()
        if include_bsn and not self.dialogs.confirm(
            self.tr._("Export with BSN"),
            self.tr._(
                "The file will hold the BSN of every candidate. Only send it to a "
                "recipient who needs it, and never by ordinary e-mail. Continue?"
            ),
        ):
            return
        suggested = f"kandidaten-{self.today():%Y%m%d}.{kind}"
        filters = "CSV (*.csv)" if kind == "csv" else "Excel (*.xlsx)"
        out = self.dialogs.save_file(
            "export", self.tr._("Export the candidates"), filters, Path.home(), suggested
        )
        if out is None:
            return
        if out.suffix.lower() != f".{kind}":
            out = out.with_suffix(f".{kind}")
        try:
            rows = export_candidates(
                self.db,
                out,
                include_bsn=include_bsn,
                actor=self.actor.name,
                device=self.actor.device,
            )
        except UserError as exc:
            self.dialogs.error(self.tr._("The export could not be written"), exc.render(self.tr._))
            return
        self.status(self.tr._("{rows} candidates exported to {path}.").format(rows=rows, path=out))
