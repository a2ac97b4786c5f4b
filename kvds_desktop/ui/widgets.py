"""Small building blocks the pages share: cards, read-only tables, combo boxes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
)


def card() -> tuple[QFrame, QVBoxLayout, QLabel]:
    """A white card with a title: returns the frame, its layout and the title label."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(8)
    title = QLabel()
    title.setObjectName("cardTitle")
    layout.addWidget(title)
    return frame, layout, title


def refill_combo(combo: QComboBox, items: Sequence[tuple[Any, str]], current: Any) -> None:
    """Replace the items of ``combo`` (data, text) and select ``current`` (else the first),
    without emitting change signals on the way."""
    combo.blockSignals(True)
    combo.clear()
    for value, text in items:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def table(columns: int, name: str) -> QTableWidget:
    """A read-only table of ``columns`` columns."""
    widget = QTableWidget(0, columns)
    widget.setObjectName(name)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setAlternatingRowColors(True)
    widget.verticalHeader().setVisible(False)
    widget.horizontalHeader().setStretchLastSection(True)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    widget.setSortingEnabled(True)
    widget.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return widget
