"""Small building blocks the pages share: cards and combo boxes filled from data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QVBoxLayout


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
