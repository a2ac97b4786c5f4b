"""What the window says around the open database: the About box and warnings at opening."""

from __future__ import annotations

from html import escape

from PySide6 import __version__ as pyside_version

from kvds_desktop import APP_NAME, __version__
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.store.database import Database
from kvds_desktop.store.lock import on_network_drive
from kvds_desktop.ui.dialogs import DialogService


def about_html(tr: Translator, db: Database | None, paths: AppPaths) -> str:
    """The About box: version, the open database, where data, backups and logs live."""

    where = db.where if db is not None else tr._("No database open")
    if db is not None and db.encrypted:
        where += " (" + tr._("encrypted") + ")"
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        + "<p>"
        + tr._(
            "For the coordinator of the learning location 'Klaar voor de "
            "Start' of Druten and Wijchen: candidates, groups, attendance, "
            "levels, work and outflow."
        )
        + "</p>"
        + "<p>"
        + tr._("Database: {path}").format(path=escape(where))
        + "<br>"
        + tr._("Data folder: {path}").format(path=escape(str(paths.data_dir)))
        + "<br>"
        + tr._("Backups: {path}").format(path=escape(str(paths.backup_dir)))
        + "<br>"
        + tr._("Settings and logs: {path}").format(
            path=escape(f"{paths.config_dir}, {paths.log_dir}")
        )
        + "</p><p>"
        + tr._(
            "Back up the data folder (or use File > Make a backup); the program folder "
            "holds no data and can be reinstalled at any time."
        )
        + "</p>"
        + f"<p>Qt for Python {pyside_version}</p>"
    )


def warn_about(dialogs: DialogService, tr: Translator, db: Database) -> None:
    """Say what is wrong around a database that opened: backups, a network drive."""
    if db.report.backup_problem is not None:
        dialogs.error(
            tr._("The daily backup could not be made"),
            db.report.backup_problem.render(tr._)
            + "\n\n"
            + tr._("The database itself is fine and open. Choose a folder you can write "
                   "to in Tools > Settings, or free some space, so backups are made again."),
        )  # fmt: skip
    if db.path is not None and on_network_drive(db.path):
        dialogs.error(
            tr._("The database is on a network drive"),
            tr._("{path} is on a network drive. SQLite cannot keep the file safe over a "
                 "network: a dropped connection can damage it, and a second user is not "
                 "always noticed. Copy the database to this computer (File > Make a "
                 "backup, then open the copy), or ask IT for a shared database server."
                 ).format(path=db.path),
        )  # fmt: skip
