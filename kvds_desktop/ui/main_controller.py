"""What the main window's actions do: open, create, fill, back up, restore, settings.

The controller owns the open :class:`Database` and talks to the services; the
window only shows. Errors a person can act on come back as dialogs in their
language; unexpected ones are logged and reported without a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from kvds_desktop.config import SettingsStore, resolve_location
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services import access, maintenance, overview
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import packs
from kvds_desktop.store.backup import BackupPolicy
from kvds_desktop.store.database import Database
from kvds_desktop.store.location import shown_location
from kvds_desktop.ui.audit.controller import open_audit
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.encryption import Encryption
from kvds_desktop.ui.first_start import FirstStartChoice, FirstStartDialog
from kvds_desktop.ui.main_window import MainWindow
from kvds_desktop.ui.master_data import open_master_data
from kvds_desktop.ui.notices import about_html, warn_about
from kvds_desktop.ui.page_controllers import PageControllers, Shared
from kvds_desktop.ui.pages.attendance.rules_dialog import open_rules
from kvds_desktop.ui.privacy.retention_controller import open_retention
from kvds_desktop.ui.settings_dialog import SettingsDialog
from kvds_desktop.ui.shared_database import SharedDatabase, who_works
from kvds_desktop.ui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)
DB_FILTER = "KVDS (*.sqlite *.db);;*"


class MainController:
    """Drives the main window."""

    def __init__(
        self,
        window: MainWindow,
        *,
        paths: AppPaths,
        settings_store: SettingsStore,
        tr: Translator,
        dialogs: DialogService,
        qsettings: QSettings,
        set_language: Callable[[str], Translator],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.window = window
        self.paths = paths
        self.settings_store = settings_store
        self.settings = settings_store.load()
        self.tr = tr
        self.dialogs = dialogs
        self.encryption = Encryption(dialogs, tr)
        self.shared = SharedDatabase(dialogs, tr)
        self.qsettings = qsettings
        self._set_language = set_language
        self.today = today
        self.runner = TaskRunner()
        self.db: Database | None = None
        self.current_task: Task | None = None
        self.pages = PageControllers(
            Shared(
                window, paths, tr, dialogs, qsettings, today, self.runner, lambda: self.settings
            ),
            after_import=self._after_import,
            use_pack_database=self._use_pack_database,
        )
        p = self.pages
        self.candidates, self.exchange, self.groups = p.candidates, p.exchange, p.groups
        self.attendance, self.offline, self.printing = p.attendance, p.offline, p.printing
        self.levels, self.regroup, self.teacher = p.levels, p.regroup, p.teacher
        self.matching, self.work, self.reports = p.matching, p.work, p.reports
        self._connect()
        self.window.retranslate_ui(tr)
        self._restore_geometry()
        self.refresh()

    # -- wiring -------------------------------------------------------------------------
    def _connect(self) -> None:
        w = self.window
        w.act_new.triggered.connect(self.new_database)
        w.act_open.triggered.connect(self.choose_database)
        w.act_connect.triggered.connect(self.connect_server)
        w.act_demo.triggered.connect(self.load_demo)
        w.act_backup.triggered.connect(self.make_backup)
        w.act_restore.triggered.connect(self.restore_backup)
        w.candidates_page.detail.schedule_button.clicked.connect(
            lambda: self.printing.preview_schedule(self._shown_candidate())
        )
        w.act_open_pack.triggered.connect(self.teacher.choose_pack)
        w.act_export_marks.triggered.connect(lambda: self.teacher.export_marks(self.db))
        w.act_quit.triggered.connect(w.close)
        w.act_refresh.triggered.connect(self.refresh)
        w.act_refresh.triggered.connect(self.pages.reload_all)
        w.act_settings.triggered.connect(self.edit_settings)
        w.act_master_data.triggered.connect(self.edit_master_data)
        w.act_audit.triggered.connect(self.show_audit)
        w.act_encrypt.triggered.connect(self.encrypt_database)
        w.act_retention.triggered.connect(self.show_retention)
        w.act_rules.triggered.connect(self.edit_attendance_rules)
        w.act_about.triggered.connect(self.about)
        w.act_about_qt.triggered.connect(lambda: QMessageBox.aboutQt(w))
        w.closing.connect(self._on_close)

    def _shown_candidate(self) -> tuple[str, str] | None:
        detail = self.candidates.detail
        return (detail.uid, detail.name) if detail is not None else None

    def _restore_geometry(self) -> None:
        geometry = self.qsettings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        else:
            self.window.resize(1280, 800)
        splitter = self.qsettings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.window.splitter.restoreState(splitter)
        page = self.qsettings.value("window/page")
        if isinstance(page, str):
            self.window.show_page(page)

    def _on_close(self, event: QCloseEvent) -> None:
        if self.runner.busy() and not self.dialogs.confirm(
            self.tr._("Work in progress"),
            self.tr._("A job is still running. Stop it and quit?"),
        ):
            event.ignore()
            return
        self.runner.shutdown()
        self.qsettings.setValue("window/geometry", self.window.saveGeometry())
        self.qsettings.setValue("window/splitter", self.window.splitter.saveState())
        self.qsettings.setValue("window/page", self.window.current_page_key())
        self.pages.save_state()
        self.qsettings.sync()
        self.close_database()
        event.accept()

    # -- the database -------------------------------------------------------------------
    def backup_policy(self) -> BackupPolicy:
        """Automatic backups as the settings say."""
        return BackupPolicy(
            self.paths.backup_dir, self.settings.backups_keep, self.settings.daily_backup
        )

    def configured_database(self, explicit: Path | str | None = None) -> Path | str:
        """The database to open: --db, the saved choice, or the default file (or a server)."""
        return resolve_location(explicit, self.settings, self.paths.default_database)

    def start(self, explicit: Path | str | None = None) -> None:
        """Open the configured database, or welcome the user when there is none yet."""
        path = self.configured_database(explicit)
        if isinstance(path, str) or path.exists():
            self.open_database(path)
            return
        dialog = FirstStartDialog(path, self.tr, self.window)
        dialog.exec()
        if dialog.choice is FirstStartChoice.EMPTY:
            self.open_database(path, create=True)
        elif dialog.choice is FirstStartChoice.DEMO:
            if self.open_database(path, create=True):
                self.load_demo()
        elif dialog.choice is FirstStartChoice.OPEN:
            self.choose_database()

    def open_database(self, path: Path | str, *, create: bool = False) -> bool:
        """Open ``path`` (or a server's address) in place of the current database.

        False (and a message) on failure.
        """
        try:
            if isinstance(path, str):
                db = self.shared.connect(path)
            else:
                db = self._open_file(path, create)
            try:
                access.attach(db)  # who works here: their role and municipality hold from now
            except BaseException:
                db.close()
                raise
        except UserError as exc:
            self.dialogs.error(self.tr._("The database cannot be opened"), exc.render(self.tr._))
            return False
        self.use_database(db)
        self._remember_recent(db.where)
        warn_about(self.dialogs, self.tr, db)
        if db.report.migrated_from and db.report.backup:
            self.window.statusBar().showMessage(
                self.tr._("The database was updated; a backup was saved as {path}.").format(
                    path=db.report.backup
                ),
                10000,
            )
        return True

    def _open_file(self, path: Path, create: bool) -> Database:
        return self.encryption.open(
                lambda passphrase: Database.open(
                    path, create=create, backups=self.backup_policy(), exclusive=True,
                    passphrase=passphrase,
                )
        )  # fmt: skip

    def connect_server(self) -> None:
        """Ask for a shared database's address, connect, and open it next time too."""
        address = self.shared.ask_address()
        if address is not None and self.open_database(address):
            self._make_default(address)

    def use_database(self, db: Database) -> None:
        """Show ``db`` (already opened) in every page."""
        self.close_database()
        self.db = db
        self.pages.set_database(db)
        self.window.set_teacher_mode(packs.teacher_info(db) is not None)
        self.refresh()

    def _use_pack_database(self, db: Database) -> None:
        """Show a teacher database just made from a week pack, and open it next time."""
        self.use_database(db)
        assert db.path is not None  # a week pack is always a file
        self._remember_recent(db.where)
        self._make_default(db.path)

    def start_teacher(self, pack: Path) -> None:
        """Teacher mode from the command line: open ``pack``, or the usual database."""
        if self.teacher.open_pack(pack) is None and self.db is None:
            self.start()

    def _after_import(self) -> None:
        self.candidates.reload()
        self.groups.reload()
        self.refresh()

    def close_database(self) -> None:
        """Close the open database, if any."""
        if self.db is not None:
            self.pages.set_database(None)
            self.db.close()
            self.db = None

    def _remember_recent(self, path: Path | str) -> None:
        recent = [str(path)] + [p for p in self.settings.recent_databases if p != str(path)]
        self.settings.recent_databases = recent[:8]
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            self.settings_store.save(self.settings)
        except UserError as exc:
            self.window.statusBar().showMessage(exc.render(self.tr._), 10000)

    # -- showing ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw the figures and the status bar from the open database."""
        w, tr = self.window, self.tr
        if self.db is None:
            w.database_label.setText(tr._("No database open"))
            w.schema_label.setText("")
            for page in w.pages.values():
                page.show_figures(
                    [],
                    tr._("No database is open. Use File > New database or File > Open database."),
                )
            self._enable_database_actions(False)
            return
        try:
            figures = overview.figures(self.db, self.today())
        except UserError as exc:
            self.dialogs.error(self.tr._("The database cannot be read"), exc.render(tr._))
            return
        w.database_label.setText(
            (
                tr._("Shared database: {path}").format(path=self.db.where)
                if self.db.is_server
                else tr._("Database: {path}").format(path=self.db.where)
            )
            + who_works(self.db, tr)
        )
        info = packs.teacher_info(self.db)
        w.setWindowTitle(
            tr._("KVDS Desktop – week pack of {teacher}, {week}").format(
                teacher=info.teacher_name, week=info.week
            )
            if info is not None
            else "KVDS Desktop"
        )
        if info is not None:
            w.database_label.setText(
                tr._(
                    "Week pack of {teacher}, {week}: every mark is saved on this laptop. "
                    "When you are done: File > Export marks."
                ).format(teacher=info.teacher_name, week=info.week)
            )
        w.schema_label.setText(
            tr._("Schema {version}").format(version=self.db.report.schema_version)
        )
        empty_text = tr._(
            "The database is empty. Load the demo data (File > Load demo data) "
            "or wait for the import of candidates."
        )
        for page in w.pages.values():
            lines = [] if figures.is_empty else page.spec.figures(figures, tr)
            page.show_figures(lines, empty_text)
        self._enable_database_actions(True)

    def _enable_database_actions(self, enabled: bool) -> None:
        for action in (
            self.window.act_backup,
            self.window.act_demo,
            self.window.act_refresh,
            self.window.act_master_data,
            self.window.act_audit,
            self.window.act_retention,
        ):
            action.setEnabled(enabled)
        on_server = self.db is not None and self.db.is_server
        for action in (self.window.act_backup, self.window.act_restore, self.window.act_encrypt):
            action.setEnabled(not on_server and (enabled or action is self.window.act_restore))

    # -- actions ------------------------------------------------------------------------
    def new_database(self) -> None:
        """Create a new, empty database at a chosen file and open it."""
        path = self.dialogs.save_file(
            "database",
            self.tr._("New database"),
            DB_FILTER,
            self.paths.data_dir,
            "kvds.sqlite",
        )
        if path is None:
            return
        if path.exists():
            self.dialogs.error(
                self.tr._("The database cannot be created"),
                self.tr._("{path} exists already. Choose a new file name.").format(path=path),
            )
            return
        if self.open_database(path, create=True):
            self._make_default(path)

    def choose_database(self) -> None:
        """Open an existing database file."""
        path = self.dialogs.open_file(
            "database", self.tr._("Open database"), DB_FILTER, self.paths.data_dir
        )
        if path is not None and self.open_database(path):
            self._make_default(path)

    def _make_default(self, path: Path | str) -> None:
        self.settings.database = None if path == self.paths.default_database else str(path)
        self._save_settings()

    def load_demo(self) -> None:
        """Fill the open (empty) database with the fictional pilot dataset, in the background."""
        db = self.db
        if db is None:
            return
        from kvds_desktop.services.demo import accepts_demo, generate_demo  # only when asked

        if not accepts_demo(db):
            self.dialogs.error(
                self.tr._("Demo data"),
                self.tr._(
                    "Demo data goes only into an empty database. Make a new database "
                    "first (File > New database), then load the demo data."
                ),
            )
            return
        today = self.today()
        progress = QProgressDialog(
            self.tr._("Writing the demo data…"), self.tr._("Cancel"), 0, 100, self.window
        )
        progress.setWindowTitle(self.tr._("Demo data"))
        progress.setMinimumDuration(300)
        task = self.runner.submit(
            lambda report, cancelled: generate_demo(
                db, scale="pilot", today=today, progress=report, cancelled=cancelled
            )
        )
        task.progress.connect(lambda fraction, _stage: progress.setValue(int(fraction * 100)))
        progress.canceled.connect(task.cancel)
        task.succeeded.connect(lambda _summary: self._demo_done(progress))
        task.failed.connect(lambda exc: self._task_failed(progress, exc))
        self.current_task = task
        task.start()

    def _demo_done(self, progress: QProgressDialog) -> None:
        progress.reset()
        self.refresh()
        self.candidates.reload()
        self.groups.reload()
        self.window.statusBar().showMessage(self.tr._("The demo data is ready."), 8000)

    def _task_failed(self, progress: QProgressDialog, exc: BaseException) -> None:
        progress.reset()
        from kvds_desktop.services.demo import DemoCancelled

        if isinstance(exc, DemoCancelled):
            self.window.statusBar().showMessage(self.tr._("Cancelled; nothing was written."), 8000)
        elif isinstance(exc, UserError):
            self.dialogs.error(self.tr._("The job could not be finished"), exc.render(self.tr._))
        else:
            report_unexpected(self.dialogs, self.tr, self.paths, exc)
        self.refresh()

    def make_backup(self) -> None:
        """Write a backup of the open database to a chosen file."""
        if self.db is None:
            return
        if self.db.is_server:
            self.shared.explain_no_files()
            return
        suggested = f"kvds-backup-{datetime.now():%Y%m%d-%H%M}.sqlite"
        path = self.dialogs.save_file(
            "backup", self.tr._("Make a backup"), DB_FILTER, self.paths.backup_dir, suggested
        )
        if path is None:
            return
        try:
            target = maintenance.backup_to(self.db, path)
        except UserError as exc:
            self.dialogs.error(self.tr._("The backup could not be made"), exc.render(self.tr._))
            return
        self.window.statusBar().showMessage(
            self.tr._("Backup written to {path}.").format(path=target), 8000
        )

    def restore_backup(self) -> None:
        """Replace the open database by a chosen backup, after confirmation."""
        target = self.db.path if self.db is not None else self.configured_database()
        if not isinstance(target, Path):  # a shared database: IT restores it on the server
            self.shared.explain_no_files()
            return
        source = self.dialogs.open_file(
            "backup", self.tr._("Restore a backup"), DB_FILTER, self.paths.backup_dir
        )
        if source is None:
            return
        question = self.tr._(
            "Replace the database {path} by the backup {source}? The current "
            "database is saved aside first."
        ).format(path=target, source=source)
        if not self.dialogs.confirm(self.tr._("Restore a backup"), question):
            return
        self.close_database()
        try:
            saved = maintenance.restore_from(
                source, target, safety_folder=self.paths.backup_dir,
                passphrase=self.encryption.passphrase,
            )  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The backup could not be restored"), exc.render(self.tr._))
            self.open_database(target)
            return
        if self.open_database(target):
            text = self.tr._("The backup was restored.")
            if saved is not None:
                text += " " + self.tr._("The replaced database was saved as {path}.").format(
                    path=saved
                )
            self.dialogs.info(self.tr._("Restore a backup"), text)

    def edit_settings(self) -> None:
        """Show the Settings dialog and apply what changed."""
        dialog = SettingsDialog(
            self.settings, self.paths.default_database, self.paths.backup_dir, self.tr, self.window
        )
        dialog.browse.clicked.connect(lambda: self._browse_database(dialog))
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        chosen = dialog.result_settings()
        old = self.settings
        self.settings = chosen
        self._save_settings()
        if chosen.language != old.language:
            self.set_language(chosen.language)
        new_path = self.configured_database()
        if self.db is None or shown_location(new_path) != self.db.where:
            if isinstance(new_path, str) or new_path.exists():
                self.open_database(new_path)
            else:
                self.dialogs.error(
                    self.tr._("The database cannot be opened"),
                    self.tr._(
                        "There is no database at {path}. Check the path, or create a new "
                        "database with File > New database."
                    ).format(path=new_path),
                )

    def edit_master_data(self) -> None:
        """Locations, rooms, providers, teachers and activities; the pages follow."""
        if self.db is None:
            return
        open_master_data(self.window, self.db, self.tr, self.dialogs, Actor.current(), self.today())
        self.groups.reload()
        self.refresh()

    def encrypt_database(self) -> None:
        """Encrypt the open database with a new passphrase (SQLCipher), then reopen it."""
        if self.db is None:
            return
        if self.db.encrypted:
            self.dialogs.info(self.tr._("Encrypt the database"),
                              self.tr._("This database is encrypted already."))  # fmt: skip
            return
        path = self.db.path
        if path is None:
            self.shared.explain_no_files()
            return
        self.close_database()
        passphrase = self.encryption.encrypt(path, self.paths.backup_dir)
        if passphrase is not None:
            self.encryption.passphrase = passphrase
        self.open_database(path)

    def show_audit(self) -> None:
        """The audit trail, read-only, with filters."""
        if self.db is not None:
            open_audit(self.window, self.db, self.tr)

    def show_retention(self) -> None:
        """What is due for deletion or anonymisation, and the run."""
        if self.db is None:
            return
        open_retention(self.window, self.db, tr=self.tr, dialogs=self.dialogs,
                       settings=self.settings, save_settings=self._save_settings,
                       actor=Actor.current(), today=self.today)  # fmt: skip
        self.candidates.reload()
        self.refresh()

    def edit_attendance_rules(self) -> None:
        """Attendance statuses and signal rules; the Aanwezigheid page follows."""
        if self.db is None:
            return
        open_rules(self.window, self.db, self.tr, self.dialogs, Actor.current())
        self.attendance.reload()
        self.attendance.overview.reload()

    def _browse_database(self, dialog: SettingsDialog) -> None:
        path = self.dialogs.open_file(
            "database", self.tr._("Open database"), DB_FILTER, self.paths.data_dir
        )
        if path is not None:
            dialog.database.setText(str(path))

    def set_language(self, language: str) -> None:
        """Switch every text of the window to ``language``."""
        self.tr = self._set_language(language)
        self.encryption.tr = self.tr
        self.shared.tr = self.tr
        self.window.retranslate_ui(self.tr)
        self.pages.set_translator(self.tr)
        self.refresh()

    def about(self) -> None:
        """Show the About box."""
        QMessageBox.about(self.window, self.tr._("About KVDS Desktop"), self.about_text())

    def about_text(self) -> str:
        """The About box: version, the open database, where data, backups and logs live."""
        return about_html(self.tr, self.db, self.paths)


def report_unexpected(
    dialogs: DialogService, tr: Translator, paths: AppPaths, exc: BaseException
) -> None:
    """Log an unexpected error and tell the user without showing a traceback.

    A :class:`UserError` that no screen caught (the database file vanished during a
    refresh, say) still gets its own message: it says what happened and what to do.
    """
    if isinstance(exc, UserError):
        log.warning("uncaught user error: %s", exc)
        dialogs.error(tr._("Something went wrong"), exc.render(tr._))
        return
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    dialogs.error(
        tr._("Something went wrong"),
        tr._(
            "KVDS Desktop ran into an unexpected problem. Your data is safe; the last step "
            "may not have been saved. The details are in {path}."
        ).format(path=paths.log_dir / "kvds.log"),
    )


__all__ = ["MainController", "report_unexpected"]
