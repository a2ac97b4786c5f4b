"""Helpers for the documents that flow with reportlab's platypus (paragraphs and tables)."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from kvds_desktop.reports.fonts import register_fonts
from kvds_desktop.reports.layout.common import MM

MUTED = colors.HexColor("#4b5563")
HEADING = colors.HexColor("#1f3b57")
RULE = colors.HexColor("#9ca3af")
HEADER_FILL = colors.HexColor("#e5e7eb")


def escape(text: str) -> str:
    """``text`` safe inside a reportlab Paragraph (which reads a little markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def flow_styles(size: float = 10) -> dict[str, ParagraphStyle]:
    """Body text at ``size`` with title, heading, small, muted and bold variants."""
    fonts = register_fonts()
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=size, leading=size * 1.32)
    return {
        "base": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=fonts.bold),
        "small": ParagraphStyle("small", parent=base, fontSize=size - 1.5,
                                leading=(size - 1.5) * 1.3),
        "muted": ParagraphStyle("muted", parent=base, fontSize=size - 1.5,
                                leading=(size - 1.5) * 1.3, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.bold, fontSize=size + 7,
                                leading=size + 11, spaceAfter=2),
        "head": ParagraphStyle("head", parent=base, fontName=fonts.bold, fontSize=size + 1.5,
                               leading=size + 5, spaceBefore=8, spaceAfter=3, textColor=HEADING),
    }  # fmt: skip


def page_footer(
    text: str, page_label: str, right: float, bottom: float
) -> Callable[[object, object], None]:
    """A reportlab page callback writing ``text`` and the page number at the bottom right.

    ``page_label`` holds ``{page}`` ("page {page}", translated); ``text`` is written as it
    is (a name with braces in it stays a name).
    """

    def draw(canvas: object, _document: object) -> None:
        fonts = register_fonts()
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        canvas.setFont(fonts.regular, 8)  # type: ignore[attr-defined]
        canvas.setFillColor(MUTED)  # type: ignore[attr-defined]
        line = text + page_label.format(page=page)
        canvas.drawRightString(right, bottom, line)  # type: ignore[attr-defined]

    return draw


def flow_document(
    buffer: io.BytesIO,
    title: str,
    *,
    pagesize: tuple[float, float] = A4,
    side: float = 16 * MM,
    top: float = 14 * MM,
    bottom: float = 14 * MM,
) -> SimpleDocTemplate:
    """A platypus document writing into ``buffer``: margins, title and author set."""
    return SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=side, rightMargin=side, topMargin=top,
        bottomMargin=bottom, title=title, author="KVDS Desktop",
    )  # fmt: skip
