"""Composition root of the desktop application: arguments, paths, database, window.

Everything is built here and passed in; nothing else reaches for globals.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from kvds_desktop import APP_ID, APP_NAME, __version__
from kvds_desktop.config import SettingsStore
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import LANGUAGES, Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services import access
from kvds_desktop.services.offline.packs import PACK_SUFFIX
from kvds_desktop.store.database import Database
from kvds_desktop.store.location import is_server
from kvds_desktop.ui import style
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.main_controller import MainController, report_unexpected
from kvds_desktop.ui.main_window import MainWindow
from kvds_desktop.ui.pages.catalog import PAGES, find_page
from kvds_desktop.ui.qt_translations import QtTranslations

SCREENSHOT_SIZE = (1280, 800)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The desktop command line."""
    parser = argparse.ArgumentParser(prog="kvds-desktop", description=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help=f"a week pack ({PACK_SUFFIX}) to open in teacher mode, or a database file to open",
    )
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="database file to open, or a shared database: postgresql+psycopg://user@server/name",
    )
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help="language of the interface")
    parser.add_argument(
        "--teacher", metavar="PACK", help="teacher mode: open a week pack from the coordinator"
    )
    parser.add_argument(
        "--screenshot",
        nargs=2,
        metavar=("PAGE", "FILE"),
        help="render one page at 1280x800 to a PNG and exit; PAGE is one of: "
        + ", ".join(spec.key for spec in PAGES),
    )
    parser.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.file:  # a double-clicked file: a week pack means teacher mode
        if Path(args.file).suffix.lower() == PACK_SUFFIX:
            args.teacher = args.teacher or args.file
        else:
            args.db = args.db or args.file
    return args


def setup_logging(paths: AppPaths) -> None:
    """Log to a rotating file in the user's log folder (never to the screen)."""
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_dir / "kvds.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def take_screenshot(
    window: MainWindow, page: str, target: Path, busy: Callable[[], bool] = lambda: False
) -> bool:
    """Render ``page`` of the window at the screenshot size into ``target``.

    ``busy``: whether the page's background work still runs; the picture waits for it
    (at most a minute), so it shows the figures rather than 'working...'.
    """
    window.resize(*SCREENSHOT_SIZE)
    window.show_page(page)
    window.show()
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
    deadline = time.monotonic() + 60
    while busy() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    return window.grab().save(str(target), "PNG")


def main(argv: Sequence[str] | None = None) -> int:
    """Start the desktop application; return its exit status."""
    args = parse_args(argv)
    if args.screenshot and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a picture needs no display
    paths = AppPaths.default()
    setup_logging(paths)
    settings_store = SettingsStore(paths.settings_file)
    settings = settings_store.load()
    language = args.lang or settings.language

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    style.apply(app)
    qt_translations = QtTranslations(app)

    def set_language(code: str) -> Translator:
        qt_translations.install(code)
        return Translator.for_language(code)

    tr = set_language(language)
    # A picture of a page shows it as a new user sees it, not as this user left it.
    window_state = paths.config_dir / ("screenshot.ini" if args.screenshot else "window.ini")
    qsettings = QSettings(str(window_state), QSettings.Format.IniFormat)
    if args.screenshot:
        qsettings.clear()
    window = MainWindow(tr)
    dialogs = DialogService(qsettings, window)
    today = (lambda: args.today) if args.today else date.today
    controller = MainController(
        window,
        paths=paths,
        settings_store=settings_store,
        tr=tr,
        dialogs=dialogs,
        qsettings=qsettings,
        set_language=set_language,
        today=today,
    )
    explicit: Path | str | None = None
    if args.db:
        explicit = args.db if is_server(args.db) else Path(args.db).expanduser().resolve()

    if args.screenshot:
        return _screenshot(controller, window, tr, explicit, *args.screenshot)

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        report_unexpected(dialogs, controller.tr, paths, exc.with_traceback(tb))

    sys.excepthook = excepthook
    window.show()
    if args.teacher:
        controller.start_teacher(Path(args.teacher).expanduser())
    else:
        controller.start(explicit)
    return app.exec()


def _screenshot(
    controller: MainController,
    window: MainWindow,
    tr: Translator,
    explicit: Path | str | None,
    page: str,
    target: str,
) -> int:
    spec = find_page(page)
    if spec is None:
        names = ", ".join(s.key for s in PAGES)
        sys.stderr.write(f"kvds-desktop: unknown page {page!r}; choose one of: {names}\n")
        return 2
    path = controller.configured_database(explicit)
    try:
        db = Database.open_location(path)
        try:
            access.attach(db)
        except UserError:
            db.close()
            raise
    except UserError as exc:
        sys.stderr.write(f"kvds-desktop: {exc.render(tr.gettext)}\n")
        return 1
    controller.use_database(db)
    try:
        ok = take_screenshot(window, spec.key, Path(target), controller.runner.busy)
    finally:
        controller.runner.shutdown()
        controller.close_database()
    if not ok:
        sys.stderr.write(f"kvds-desktop: the screenshot could not be written to {target}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
