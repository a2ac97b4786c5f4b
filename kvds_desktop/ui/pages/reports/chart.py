"""A small line chart: outflow over time, one line per municipality (cumulative).

Drawn with QPainter (Qt Charts is not part of the essential Qt packages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

COLOURS = ("#1f6fb2", "#c9731a", "#2e9d5b", "#b03a58", "#6b5bb5")


@dataclass
class LineData:
    """Labels along the bottom and one series of values per name."""

    title: str = ""
    labels: list[str] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)
    empty_text: str = ""


class LineChart(QWidget):
    """The chart; give it data with :meth:`set_data`."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("outflowChart")
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.data = LineData()

    def set_data(self, data: LineData) -> None:
        """Show ``data``."""
        self.data = data
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Axes, a line per series, the legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        d = self.data
        plot = QRectF(44, 26, max(10.0, self.width() - 60), max(10.0, self.height() - 66))
        painter.setPen(QColor("#111827"))
        painter.drawText(QPointF(8, 16), d.title)
        values = [v for line in d.series.values() for v in line]
        if not d.labels or not values:
            painter.setPen(QColor("#6b7280"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, d.empty_text)
            painter.end()
            return
        top = max(values) or 1.0
        steps = max(1, len(d.labels) - 1)

        def point(index: int, value: float) -> QPointF:
            return QPointF(plot.left() + plot.width() * index / steps,
                           plot.bottom() - plot.height() * value / top)  # fmt: skip

        painter.setPen(QColor("#e5e7eb"))
        for fraction in (0.25, 0.5, 0.75, 1.0):
            y = plot.bottom() - plot.height() * fraction
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor("#374151"))
            painter.drawText(QRectF(0, y - 8, 38, 16), int(Qt.AlignmentFlag.AlignRight),
                             f"{top * fraction:.0f}")  # fmt: skip
            painter.setPen(QColor("#e5e7eb"))
        painter.setPen(QColor("#9ca3af"))
        painter.drawRect(plot)
        painter.setPen(QColor("#374151"))
        every = max(1, len(d.labels) // 8)
        for index, label in enumerate(d.labels):
            if index % every == 0:
                x = point(index, 0).x()
                painter.drawText(QRectF(x - 30, plot.bottom() + 4, 60, 16),
                                 int(Qt.AlignmentFlag.AlignHCenter), label)  # fmt: skip
        legend_x = plot.left()
        for number, (name, line) in enumerate(d.series.items()):
            colour = QColor(COLOURS[number % len(COLOURS)])
            painter.setPen(QPen(colour, 2))
            for index in range(1, len(line)):
                painter.drawLine(point(index - 1, line[index - 1]), point(index, line[index]))
            painter.fillRect(QRectF(legend_x, self.height() - 16, 12, 8), colour)
            painter.setPen(QColor("#111827"))
            painter.drawText(QPointF(legend_x + 16, self.height() - 8), name)
            legend_x += 40 + self.fontMetrics().horizontalAdvance(name)
        painter.end()
