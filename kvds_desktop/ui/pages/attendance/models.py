"""The register of a lesson as a thin Qt model over the service's rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.candidates.models import Column, RowsModel

PRESENT = QColor("#e3f4e1")
ABSENT = QColor("#fbe3e1")


def _mark(row: Any, attr: str) -> Any:
    return getattr(row.mark, attr) if row.mark is not None else None


def _recorded(row: Any, tr: Translator) -> str:
    if row.mark is None:
        return ""
    return f"{row.mark.recorded_by}, {tr.datetime(row.mark.recorded_at, 'short')}"


REGISTER_COLUMNS: tuple[Column[Any], ...] = (
    Column(N_("Name"), lambda r, tr: r.name, lambda r: r.name.casefold()),
    Column(N_("Client no."), lambda r, tr: r.klantnummer or "", lambda r: r.klantnummer or ""),
    Column(
        N_("Mark"),
        lambda r, tr: _mark(r, "status_code") or "",
        lambda r: _mark(r, "status_code") or "",
    ),
    Column(
        N_("Reason"), lambda r, tr: _mark(r, "reason") or "", lambda r: _mark(r, "reason") or ""
    ),
    Column(
        N_("Minutes"),
        lambda r, tr: str(_mark(r, "minutes") or ""),
        lambda r: _mark(r, "minutes") or 0,
    ),
    Column(N_("Recorded by"), _recorded, lambda r: _recorded(r, Translator())),
)


class RegisterModel(RowsModel[Any]):
    """One row per candidate on the lesson's roster; present rows green, absent rows red."""

    def __init__(self, tr: Translator) -> None:
        super().__init__(REGISTER_COLUMNS, tr)
        self.present_codes: set[str] = set()

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        code = _mark(row, "status_code")
        if role == Qt.ItemDataRole.BackgroundRole and code:
            return QBrush(PRESENT if code in self.present_codes else ABSENT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
