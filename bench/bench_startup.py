"""Start-up time of the main window on the pilot database, against a bare PySide6 window.

Both are measured in fresh processes in the same run, from interpreter start (before
any import) to the first shown, painted window; the median of several runs is kept.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

RUNS = 5

BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""

KVDS = """
import time; t0 = time.perf_counter()
import sys
from pathlib import Path
from datetime import date
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from kvds_desktop.config import SettingsStore
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.store.database import Database
from kvds_desktop.ui import style
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.main_controller import MainController
from kvds_desktop.ui.main_window import MainWindow
from kvds_desktop.ui.qt_translations import QtTranslations
app = QApplication([])
style.apply(app)
QtTranslations(app).install("nl")
paths = AppPaths.under(Path(sys.argv[2]))
tr = Translator.for_language("nl")
window = MainWindow(tr)
qsettings = QSettings(str(paths.config_dir / "window.ini"), QSettings.Format.IniFormat)
controller = MainController(window, paths=paths, settings_store=SettingsStore(paths.settings_file),
    tr=tr, dialogs=DialogService(qsettings, window), qsettings=qsettings,
    set_language=Translator.for_language, today=lambda: date(2026, 11, 28))
controller.open_database(Path(sys.argv[1]))
window.show(); app.processEvents()
print(time.perf_counter() - t0)
"""


def _median_seconds(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


def run() -> dict[str, object]:
    """Measure both start-ups; the pilot database is generated first (not timed)."""
    from kvds_desktop.services.demo import generate_demo
    from kvds_desktop.store.database import Database

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "pilot.sqlite"
        db = Database.open(db_path, create=True)
        generate_demo(db, scale="pilot", seed=2019, today=date(2026, 11, 28))
        db.close()
        bare = _median_seconds(BARE)
        kvds = _median_seconds(KVDS, str(db_path), str(Path(folder) / "home"))
    return {
        "name": "startup_main_window",
        "runs": RUNS,
        "bare_pyside6_window_s": round(bare, 3),
        "kvds_main_window_pilot_db_s": round(kvds, 3),
        "overhead_s": round(kvds - bare, 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
