"""The application's look: one palette-friendly style sheet and the shipped fonts."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QFont, QFontDatabase, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from kvds_desktop.resources import resource

ACCENT = "#1f5f8b"

STYLE_SHEET = f"""
QListWidget#navigation {{
    background: #eef2f6; border: none; border-right: 1px solid #d5dde6;
    padding-top: 8px; font-size: 10.5pt; outline: 0;
}}
QListWidget#navigation::item {{
    padding: 9px 10px; margin: 1px 6px; border-radius: 6px; color: #23364a;
}}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#navigation::item:hover:!selected {{ background: #dde6ef; }}
QLabel#pageTitle {{ font-size: 19pt; font-weight: bold; color: #1b2b3c; }}
QLabel#pageSummary {{ font-size: 11pt; color: #3b4b5c; }}
QFrame#card {{ background: white; border: 1px solid #dfe5ec; border-radius: 8px; }}
QLabel#cardTitle {{ font-size: 11pt; font-weight: bold; color: {ACCENT}; }}
QLabel#figureValue {{ font-size: 15pt; font-weight: bold; color: #1b2b3c; }}
QLabel#figureLabel {{ color: #4a5b6c; }}
QLabel#banner {{
    background: #fff6e0; border: 1px solid #f0d58c; border-radius: 6px; padding: 8px;
}}
QWidget#pageBody {{ background: #f7f9fb; }}
"""


def load_fonts() -> str | None:
    """Register the shipped DejaVu Sans so screens look the same everywhere; return its family."""
    family = None
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource(f"fonts/{name}")))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else None)
    return family


def apply(app: QApplication) -> None:
    """Fonts, icon and style sheet for the whole application."""
    family = load_fonts()
    if family:
        app.setFont(QFont(family, 10))
    app.setWindowIcon(QIcon(str(resource("icons/app.svg"))))
    app.setStyleSheet(STYLE_SHEET)


ICON_COLOUR = "#2f4a66"


def _svg_pixmap(svg: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


def icon(name: str, size: int = 44) -> QIcon:
    """An icon shipped in resources/icons, drawn white when its item is selected."""
    svg = resource(f"icons/{name}").read_text(encoding="utf-8")
    result = QIcon()
    result.addPixmap(_svg_pixmap(svg, size), QIcon.Mode.Normal)
    result.addPixmap(_svg_pixmap(svg.replace(ICON_COLOUR, "#ffffff"), size), QIcon.Mode.Selected)
    return result
