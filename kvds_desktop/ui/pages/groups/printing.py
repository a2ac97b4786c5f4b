"""Printing from the Groepen & rooster page: the week overview that is the attendance sheet.

The Print button's menu: the chosen group's week overview (preview and print, or save
as PDF), every group of the week in one PDF (in the background, with progress and
cancel), and the location's overview of the week.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QProgressDialog, QToolButton

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.files import write_bytes
from kvds_desktop.i18n import Translator
from kvds_desktop.services import printouts
from kvds_desktop.services.audit import Actor, record_export
from kvds_desktop.services.printouts.progress import progress_report_pdf_bytes
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.printing import PrintService
from kvds_desktop.ui.tasks import Task, TaskRunner

PDF_FILTER = "PDF (*.pdf);;*"


def iso_week(monday: date) -> tuple[int, int]:
    """(ISO year, ISO week) of the week of ``monday``."""
    year, week, _ = monday.isocalendar()
    return year, week


class GroupPrinting:
    """The Print menu of the Groepen & rooster page."""

    def __init__(
        self,
        button: QToolButton,
        *,
        tr: Translator,
        dialogs: DialogService,
        printer: PrintService,
        runner: TaskRunner,
        actor: Actor,
        group: Callable[[], tuple[str, str] | None],
        location: Callable[[], str | None],
        monday: Callable[[], date],
        status: Callable[[str], None],
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.button = button
        self.tr = tr
        self.dialogs = dialogs
        self.printer = printer
        self.runner = runner
        self.actor = actor
        self.group = group
        self.location = location
        self.monday = monday
        self.status = status
        self.today = today
        self.now = now
        self.db: Database | None = None
        self.task: Task | None = None
        menu = QMenu(button)
        self.act_group = QAction(menu)
        self.act_group.setShortcut("Ctrl+P")
        self.act_group_pdf = QAction(menu)
        self.act_all = QAction(menu)
        self.act_location = QAction(menu)
        menu.addActions([self.act_group, self.act_group_pdf])
        menu.addSeparator()
        menu.addActions([self.act_all, self.act_location])
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.addActions([self.act_group])  # Ctrl+P works while the page is shown
        self.act_group.triggered.connect(self.preview_group)
        self.act_group_pdf.triggered.connect(self.save_group)
        self.act_all.triggered.connect(self.save_all_groups)
        self.act_location.triggered.connect(self.preview_location)
        self.set_translator(tr)

    def set_translator(self, tr: Translator) -> None:
        """Speak another language from now on."""
        self.tr = tr
        self.button.setText(tr._("Print"))
        self.act_group.setText(tr._("Week overview of this group…"))
        self.act_group_pdf.setText(tr._("Save the week overview as PDF…"))
        self.act_all.setText(tr._("All groups of this week as one PDF…"))
        self.act_location.setText(tr._("Week overview of the location…"))

    def set_database(self, db: Database | None) -> None:
        """Print from ``db``."""
        self.db = db
        self.button.setEnabled(db is not None)

    # -- one group -----------------------------------------------------------------------
    def _group_pdf(self) -> tuple[bytes, str] | None:
        chosen = self.group()
        if self.db is None or chosen is None:
            self.status(self.tr._("Choose a group first."))
            return None
        uid, name = chosen
        year, week = iso_week(self.monday())
        try:
            pdf = printouts.week_overview_pdf(
                self.db, group_uid=uid, week=(year, week), tr=self.tr, now=self.now(),
                actor=self.actor,
            )  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The overview cannot be made"), exc.render(self.tr._))
            return None
        return pdf, f"{name}-{year}-W{week:02d}"

    def preview_group(self) -> None:
        """The chosen group's week overview in the print preview."""
        made = self._group_pdf()
        if made is not None:
            self.printer.preview(made[0], made[1])

    def save_group(self) -> None:
        """The chosen group's week overview saved as a PDF file."""
        made = self._group_pdf()
        if made is not None:
            self._save(made[0], f"{made[1]}.pdf")

    def _save(self, pdf: bytes, suggested: str) -> Path | None:
        path = self.dialogs.save_file(
            "printouts", self.tr._("Save as PDF"), PDF_FILTER, Path.home(), suggested
        )
        if path is None:
            return None
        try:
            write_bytes(path, pdf)
        except UserError as exc:
            self.dialogs.error(self.tr._("The PDF cannot be saved"), exc.render(self.tr._))
            return None
        self.status(self.tr._("Saved as {path}.").format(path=path))
        return path

    # -- the location --------------------------------------------------------------------
    def preview_location(self) -> None:
        """The week of every group of the chosen location, in the print preview."""
        location = self.location()
        if self.db is None or location is None:
            self.status(self.tr._("Choose a location first."))
            return
        year, week = iso_week(self.monday())
        try:
            pdf = printouts.location_overview_pdf(
                self.db, location=location, week=(year, week), tr=self.tr, now=self.now()
            )
        except UserError as exc:
            self.dialogs.error(self.tr._("The overview cannot be made"), exc.render(self.tr._))
            return
        self.printer.preview(pdf, f"{location}-{year}-W{week:02d}")

    # -- one candidate -------------------------------------------------------------------
    def preview_schedule(self, candidate: tuple[str, str] | None) -> None:
        """A candidate's schedule of the week shown, in large type, in the print preview."""
        if self.db is None or candidate is None:
            return
        uid, name = candidate
        year, week = iso_week(self.monday())
        try:
            pdf = printouts.candidate_schedule_pdf(
                self.db, candidate_uid=uid, week=(year, week), tr=self.tr, now=self.now()
            )
            record_export(self.db, self.actor, "schedule", "preview", about=uid)
        except UserError as exc:
            self.dialogs.error(self.tr._("The schedule cannot be made"), exc.render(self.tr._))
            return
        self.printer.preview(pdf, f"{name}-{year}-W{week:02d}")

    def preview_progress(self, candidate: tuple[str, str] | None) -> None:
        """A candidate's progress report for the klantmanager, in the print preview."""
        if self.db is None or candidate is None:
            return
        uid, name = candidate
        try:
            pdf = progress_report_pdf_bytes(
                self.db, candidate_uid=uid, tr=self.tr, today=self.today(),
                now=self.now(),
            )  # fmt: skip
            record_export(self.db, self.actor, "progress_report", "preview", about=uid,
                          recipient="klantmanager")  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The report cannot be made"), exc.render(self.tr._))
            return
        self.printer.preview(pdf, self.tr._("Progress report {name}").format(name=name))

    # -- every group ---------------------------------------------------------------------
    def save_all_groups(self) -> None:
        """Every group's week overview in one PDF, made in the background."""
        db = self.db
        if db is None or (self.task is not None and self.task.is_running()):
            return
        year, week = iso_week(self.monday())
        location = self.location()
        suffix = f"-{location}" if location else ""
        path = self.dialogs.save_file(
            "printouts",
            self.tr._("All groups of week {week}").format(week=week),
            PDF_FILTER,
            Path.home(),
            f"weekoverzichten-{year}-W{week:02d}{suffix}.pdf",
        )
        if path is None:
            return
        tr, now, actor = self.tr, self.now(), self.actor
        progress = QProgressDialog(
            tr._("Making the week overviews…"), tr._("Cancel"), 0, 100, self.button.window()
        )
        progress.setWindowTitle(tr._("All groups of week {week}").format(week=week))
        progress.setMinimumDuration(300)

        def job(report: Callable[[float, str], None], cancelled: Callable[[], bool]) -> bytes:
            def step(done: int, total: int) -> bool:
                report(done / total if total else 1.0, "")
                return not cancelled()

            return printouts.all_groups_pdf(
                db, week=(year, week), tr=tr, now=now, progress=step, location=location,
                actor=actor,
            )  # fmt: skip

        task = self.runner.submit(job)
        task.progress.connect(lambda fraction, _stage: progress.setValue(int(fraction * 100)))
        progress.canceled.connect(task.cancel)
        task.succeeded.connect(lambda pdf: self._all_done(progress, path, pdf))
        task.failed.connect(lambda exc: self._all_failed(progress, exc))
        self.task = task
        task.start()

    def _all_done(self, progress: QProgressDialog, path: Path, pdf: object) -> None:
        progress.reset()
        assert isinstance(pdf, bytes)
        try:
            write_bytes(path, pdf)
        except UserError as exc:
            self.dialogs.error(self.tr._("The PDF cannot be saved"), exc.render(self.tr._))
            return
        self.status(self.tr._("Saved as {path}.").format(path=path))
        self.printer.preview(pdf, path.stem)

    def _all_failed(self, progress: QProgressDialog, exc: BaseException) -> None:
        progress.reset()
        if isinstance(exc, printouts.Cancelled):
            self.status(self.tr._("Cancelled; no PDF was saved."))
        elif isinstance(exc, UserError):
            self.dialogs.error(self.tr._("The overviews cannot be made"), exc.render(self.tr._))
        else:
            raise exc
