"""Showing and printing the PDFs the application makes.

The PDF (made by :mod:`kvds_desktop.reports`) is the document; here its pages are drawn
with PDFium at the printer's resolution, in Qt's print preview, and sent to the printer
the user picks in the system's print dialog. Saving the PDF itself is one click away.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

PREVIEW_DPI = 200


def page_images(pdf: bytes, dpi: int = PREVIEW_DPI) -> Iterator[QImage]:
    """Every page of ``pdf`` as an image at ``dpi``."""
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB888,
            ).copy()  # the copy owns its pixels once the bitmap is gone
            bitmap.close()
            page.close()
            yield image
    finally:
        document.close()


def is_landscape(pdf: bytes) -> bool:
    """Whether the first page of ``pdf`` is wider than it is high."""
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = document[0].get_size() if len(document) else (0.0, 1.0)
    finally:
        document.close()
    return width > height


def print_pages(pdf: bytes, printer: QPrinter) -> int:
    """Draw every page of ``pdf`` on ``printer``, one sheet each; the number of pages."""
    dpi = min(max(printer.resolution(), 72), 300)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    count = 0
    try:
        for image in page_images(pdf, dpi):
            if count:
                printer.newPage()
            area = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            size = image.size().toSizeF().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(area.topLeft(), size)
            painter.drawImage(target, image)
            count += 1
    finally:
        painter.end()
    return count


class PrintService:
    """Print preview with printing, for any PDF the application made."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def preview(self, pdf: bytes, title: str) -> None:
        """Show ``pdf`` in the print preview, from which the user prints it."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        orientation = (
            QPageLayout.Orientation.Landscape
            if is_landscape(pdf)
            else QPageLayout.Orientation.Portrait
        )
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4), orientation, printer.pageLayout().margins()
            )
        )
        dialog = QPrintPreviewDialog(printer, self.parent)
        dialog.setWindowTitle(title)
        dialog.paintRequested.connect(lambda target: print_pages(pdf, target))
        dialog.resize(1100, 800)
        dialog.exec()


def write_pdf(path: Path, pdf: bytes) -> None:
    """Save ``pdf`` at ``path`` (whole or not at all)."""
    from kvds_desktop.exchange.files import write_bytes

    write_bytes(path, pdf)
