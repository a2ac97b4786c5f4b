"""The candidate list on the large dataset: loading it, and searching as one types.

Typing "muhammad alkhatib" one key at a time, each keystroke is timed twice: the search
alone (the service's matching over every row) and the whole page update in the window
(filters, search, model reset and sorting), offscreen.
"""

from __future__ import annotations

import json
import os
import statistics
import time

QUERY = "muhammad alkhatib"


def run() -> dict[str, object]:
    """Load the large list once, then time every keystroke of QUERY."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.domain.search import search
    from kvds_desktop.services import candidates as svc
    from kvds_desktop.store.database import Database

    db = Database.open(demo_database("large"))
    try:
        started = time.perf_counter()
        rows = svc.candidate_rows(db, TODAY)
        load_s = time.perf_counter() - started
        keys = [r.key for r in rows]
        search_ms = []
        for end in range(1, len(QUERY) + 1):
            started = time.perf_counter()
            search(QUERY[:end], keys)
            search_ms.append((time.perf_counter() - started) * 1000)
        page_ms = _page_keystrokes(db, TODAY)
    finally:
        db.close()
    return {
        "name": "candidate_list_large",
        "candidates": len(rows),
        "load_list_s": round(load_s, 3),
        "search_per_keystroke_ms_mean": round(statistics.mean(search_ms), 1),
        "search_per_keystroke_ms_max": round(max(search_ms), 1),
        "page_update_per_keystroke_ms_mean": round(statistics.mean(page_ms), 1),
        "page_update_per_keystroke_ms_max": round(max(page_ms), 1),
    }


def _page_keystrokes(db: object, today: object) -> list[float]:
    from datetime import date

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from kvds_desktop.i18n import Translator
    from kvds_desktop.services.audit import Actor
    from kvds_desktop.ui.dialogs import DialogService
    from kvds_desktop.ui.pages.candidates.controller import CandidatesController
    from kvds_desktop.ui.pages.candidates.view import CandidatesPage

    app = QApplication.instance() or QApplication([])
    tr = Translator.for_language("nl")
    page = CandidatesPage(tr)
    settings = QSettings()
    assert isinstance(today, date)
    controller = CandidatesController(
        page,
        tr=tr,
        dialogs=DialogService(settings),
        qsettings=settings,
        undo_stack=QUndoStack(),
        today=lambda: today,
        actor=Actor("bench", "bench"),
        status=lambda _text: None,
    )
    controller.set_database(db)  # type: ignore[arg-type]
    page.filters["status"].setCurrentIndex(page.filters["status"].findData("__all__"))
    timings = []
    for end in range(1, len(QUERY) + 1):
        page.search.blockSignals(True)
        page.search.setText(QUERY[:end])
        page.search.blockSignals(False)
        started = time.perf_counter()
        controller.apply_filters()
        app.processEvents()
        timings.append((time.perf_counter() - started) * 1000)
    page.deleteLater()
    return timings


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
