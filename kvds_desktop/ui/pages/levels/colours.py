"""Colours of levels on the Niveaus & examens page (the words are in reports.progress_words)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from kvds_desktop.domain.enums import level_rank

# From literacy (Alfa A) to independent use (B2, C1): warm to cool, light enough for text.
LEVEL_COLOURS = (
    "#fde2e1", "#fde9d9", "#fef3c7", "#fef9c3", "#ecfccb", "#d1fae5", "#cffafe", "#dbeafe",
)  # fmt: skip


def level_colour(level: str | None) -> QColor | None:
    """The background of a cell showing ``level``."""
    if not level:
        return None
    try:
        return QColor(LEVEL_COLOURS[min(level_rank(level), len(LEVEL_COLOURS) - 1)])
    except ValueError:
        return None
