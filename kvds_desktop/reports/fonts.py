"""The fonts of the printed documents: DejaVu Sans, embedded, so every name prints.

Candidates' names carry letters from many alphabets (ç, ş, ı, ğ, é ...). The PDF base
fonts cannot show all of them; DejaVu Sans can, and reportlab embeds the subset used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kvds_desktop.resources import resource

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "fonts/DejaVuSans.ttf", BOLD: "fonts/DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class Fonts:
    """The font names to pass to the canvas."""

    regular: str = REGULAR
    bold: str = BOLD


def register_fonts(folder: Path | None = None) -> Fonts:
    """Register DejaVu Sans with reportlab (once per process) and return the names.

    reportlab keeps registered fonts in its own registry; asking again is cheap.

    Args:
        folder: where the .ttf files are (default: the application's resources).

    Raises:
        FileNotFoundError: the font files are missing (a broken installation).
    """
    known = set(pdfmetrics.getRegisteredFontNames())
    for name, relative in _FILES.items():
        if name in known:
            continue
        path = (folder / Path(relative).name) if folder else resource(relative)
        if not path.is_file():
            raise FileNotFoundError(f"font file missing: {path}; reinstall KVDS Desktop")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return Fonts()


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points."""
    return float(pdfmetrics.stringWidth(text, font, size))
