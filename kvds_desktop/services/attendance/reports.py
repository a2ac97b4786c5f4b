"""Attendance files for the municipality that need the services' rules (signals)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from kvds_desktop.exchange.attendance_export import write_signals_per_klantmanager
from kvds_desktop.services.attendance.signals import find_signals
from kvds_desktop.store.database import Database


def export_signals_per_klantmanager(
    db: Database,
    folder: Path,
    *,
    at: date,
    gettext: Callable[[str], str] = lambda message: message,
    include_sent: bool = True,
) -> list[Path]:
    """The signals found on ``at``, one CSV per klantmanager in ``folder``; the files.

    Raises:
        UserError: the folder does not exist or a file cannot be written.
    """
    signals = find_signals(db, at)
    if not include_sent:
        signals = [s for s in signals if s.sent_on is None]
    return write_signals_per_klantmanager(signals, folder, at=at, gettext=gettext)
