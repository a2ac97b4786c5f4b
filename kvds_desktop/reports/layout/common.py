"""Page furniture and text helpers for the printed documents.

Everything is drawn straight on a reportlab canvas with sizes in points (1/72 inch):
the documents paginate themselves, so "page x of y" is known before the first page is
drawn and nothing is laid out twice. A QR code is drawn once per document as a form
(XObject) and placed again on every page that shows it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from kvds_desktop.i18n import Translator
from kvds_desktop.reports.fonts import Fonts, register_fonts, text_width

MM = 72 / 25.4
INK = Color(0, 0, 0)
GREY = Color(0.4, 0.4, 0.4)
LIGHT = Color(0.88, 0.88, 0.88)
FAINT = Color(0.95, 0.95, 0.95)
WHITE = Color(1, 1, 1)
ALERT = Color(0.62, 0.05, 0.05)
ELLIPSIS = "…"
QR_MASK = 2  # a fixed mask: choosing the "best" one costs eight encodings per code


@dataclass(frozen=True)
class Box:
    """A rectangle on the page: left, bottom, width, height in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        """The y of the upper edge."""
        return self.y + self.h

    @property
    def right(self) -> float:
        """The x of the right edge."""
        return self.x + self.w


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], title: str) -> Canvas:
    """A canvas writing a compressed PDF into ``buffer``, with the fonts registered."""
    register_fonts()
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("KVDS Desktop")
    canvas.setAuthor("KVDS Desktop")
    return canvas


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` at ``size``."""
    if text_width(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def fit_size(text: str, font: str, size: float, smallest: float, width: float) -> float:
    """The largest size from ``size`` down to ``smallest`` at which ``text`` fits."""
    needed = text_width(text, font, size)
    if needed <= width:
        return size
    return max(smallest, size * width / needed)


def put(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    *,
    width: float | None = None,
    align: str = "left",
    color: Color = INK,
) -> None:
    """Draw one line of text at baseline ``y``; cut to ``width`` when given."""
    if width is not None:
        text = fit(text, font, size, width)
    if not text:
        return
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    if align == "center":
        canvas.drawCentredString(x, y, text)
    elif align == "right":
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def strike(canvas: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw a line through the text drawn at (x, y), left-aligned."""
    width = text_width(text, font, size)
    canvas.setLineWidth(0.8)
    canvas.line(x, y + size * 0.3, x + width, y + size * 0.3)


def hhmm(value: time) -> str:
    """A time of day as 09:30."""
    return f"{value.hour:02d}:{value.minute:02d}"


def time_range(start: time, end: time) -> str:
    """09:00–11:30."""
    return f"{hhmm(start)}–{hhmm(end)}"


def shown_days(days: Iterable[date], busy: Iterable[date]) -> list[date]:
    """Monday to Friday, plus Saturday and Sunday when something happens on them."""
    busy_days = set(busy)
    week = list(days)
    last = max([d for d in week if d.isoweekday() <= 5] + [d for d in week if d in busy_days])
    return [d for d in week if d <= last and (d.isoweekday() <= 5 or d in busy_days)]


def week_line(tr: Translator, iso_week: int, first: date, last: date) -> str:
    """'week 49, Monday 30 November to Friday 4 December 2026' in the chosen language."""
    first_text = tr.date(first, "EEEE d MMMM" if first.year == last.year else "EEEE d MMMM y")
    return tr._("week {number}, {first} to {last}").format(
        number=iso_week, first=first_text, last=tr.date(last, "EEEE d MMMM y")
    )


def stamp_line(tr: Translator, printed_on: date, version: int | None) -> str:
    """'printed on 28 November 2026, version 3' (without a version when there is none)."""
    day = tr.date(printed_on, "long")
    if version is None:
        return tr._("printed on {date}").format(date=day)
    return tr._("printed on {date}, version {version}").format(date=day, version=version)


def page_line(tr: Translator, page: int, pages: int) -> str:
    """'page 1 of 2'."""
    return tr._("page {page} of {pages}").format(page=page, pages=pages)


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``text`` on a white square with its lower left corner at (x, y).

    The code is encoded once per canvas and kept as a form, so a lesson column that
    returns on the next page costs nothing more.
    """
    name = f"qr-{text}"
    if not canvas.hasForm(name):
        _qr_form(canvas, name, text)
    canvas.saveState()
    canvas.setFillColor(WHITE)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.translate(x, y)
    canvas.scale(size, size)
    canvas.doForm(name)
    canvas.restoreState()


def _qr_form(canvas: Canvas, name: str, text: str) -> None:
    """Define the form ``name``: the QR code of ``text`` in a unit square.

    The dark modules are written as one path of rectangles in whole module units (a
    2-module margin around), which keeps the stream small and quick to produce.
    """
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.version = code.calculate_version()
    code.makeImpl(False, QR_MASK)
    count = int(code.getModuleCount())
    side = count + 4
    parts = [f"{1 / side:.6f} 0 0 {1 / side:.6f} 0 0 cm 0 g"]
    for row in range(count):
        modules = code.modules[row]
        col = 0
        while col < count:
            if not modules[col]:
                col += 1
                continue
            run = col
            while run < count and modules[run]:
                run += 1
            parts.append(f"{col + 2} {side - row - 3} {run - col} 1 re")
            col = run
    parts.append("f")
    canvas.saveState()
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=1, uppery=1)
    canvas.addLiteral("\n".join(parts))
    canvas.endForm()
    canvas.restoreState()


def cell_lines(canvas: Canvas, box: Box, step: float, color: Color = INK) -> None:
    """Draw the outline of ``box``."""
    canvas.setStrokeColor(color)
    canvas.setLineWidth(step)
    canvas.rect(box.x, box.y, box.w, box.h, stroke=1, fill=0)


def fill(canvas: Canvas, box: Box, color: Color) -> None:
    """Fill ``box`` without an outline."""
    canvas.setFillColor(color)
    canvas.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)


def hatch(canvas: Canvas, box: Box, color: Color = LIGHT, gap: float = 6.0) -> None:
    """Light diagonal lines over ``box``: "nothing to fill in here"."""
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(box.x, box.y, box.w, box.h)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.setStrokeColor(color)
    canvas.setLineWidth(0.6)
    offset = -box.h
    while offset < box.w:
        canvas.line(box.x + offset, box.y, box.x + offset + box.h, box.top)
        offset += gap
    canvas.restoreState()


def fonts() -> Fonts:
    """The registered font names."""
    return register_fonts()
