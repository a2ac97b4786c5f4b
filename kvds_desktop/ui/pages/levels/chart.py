"""A candidate's levels per skill over time, with the target and the end of the term.

Drawn with QPainter (Qt Charts is not part of the essential Qt packages): time runs to
the right, the level scale goes up from Alfa A; each skill is a stepped line in its own
colour with a dot per assessment, the dashed line of its forecast runs on to the
forecast date, the target is a horizontal band and the term end a vertical line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kvds_desktop.domain.enums import LEVEL_ORDER, level_rank

SKILL_COLOURS = {
    "lezen": "#1f6fb2",
    "luisteren": "#2e9d5b",
    "spreken": "#c9731a",
    "schrijven": "#b03a58",
    "gesprekken": "#6b5bb5",
}
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 16, 16, 52


@dataclass
class ChartData:
    """What the chart shows, in plain values (labels already translated)."""

    series: dict[str, list[tuple[date, str]]] = field(default_factory=dict)  # skill -> points
    skill_labels: dict[str, str] = field(default_factory=dict)
    level_labels: dict[str, str] = field(default_factory=dict)
    forecasts: dict[str, date] = field(default_factory=dict)  # skill -> date target reached
    target: str | None = None
    target_label: str = ""
    term_end: date | None = None
    term_end_label: str = ""
    today: date | None = None
    empty_text: str = ""


class LevelChart(QWidget):
    """The chart widget; give it data with :meth:`set_data`."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("levelChart")
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.data = ChartData()

    def set_data(self, data: ChartData) -> None:
        """Show ``data``."""
        self.data = data
        self.update()

    # -- geometry ------------------------------------------------------------------------
    def _span(self) -> tuple[date, date]:
        d = self.data
        days = [day for points in d.series.values() for day, _level in points]
        days += list(d.forecasts.values())
        days += [x for x in (d.term_end, d.today) if x is not None]
        if not days:
            today = d.today or date(2000, 1, 1)
            return today - timedelta(days=365), today
        first, last = min(days), max(days)
        if last <= first:
            last = first + timedelta(days=30)
        pad = timedelta(days=max(15, (last - first).days // 20))
        return first - pad, last + pad

    def _plot(self) -> QRectF:
        return QRectF(
            MARGIN_LEFT,
            MARGIN_TOP,
            max(10.0, self.width() - MARGIN_LEFT - MARGIN_RIGHT),
            max(10.0, self.height() - MARGIN_TOP - MARGIN_BOTTOM),
        )

    def _x(self, day: date, first: date, last: date, plot: QRectF) -> float:
        total = max(1, (last - first).days)
        return plot.left() + plot.width() * (day - first).days / total

    def _y(self, rank: float, plot: QRectF) -> float:
        top = len(LEVEL_ORDER) - 1
        return plot.bottom() - plot.height() * rank / top

    # -- drawing -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw axes, target, term end, series and forecasts."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        d, plot = self.data, self._plot()
        if not d.series:
            painter.setPen(QColor("#6b7280"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, d.empty_text)
            painter.end()
            return
        first, last = self._span()
        self._draw_scale(painter, plot)
        self._draw_years(painter, plot, first, last)
        if d.target:
            y = self._y(level_rank(d.target), plot)
            painter.fillRect(QRectF(plot.left(), y - 3, plot.width(), 6), QColor("#fde68a"))
            painter.setPen(QColor("#92400e"))
            painter.drawText(QPointF(plot.left() + 4, y - 6), d.target_label)
        if d.term_end is not None:
            x = self._x(d.term_end, first, last, plot)
            painter.setPen(QPen(QColor("#b91c1c"), 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.drawText(QPointF(x - 4 - self._width(d.term_end_label), plot.top() + 12),
                             d.term_end_label)  # fmt: skip
        if d.today is not None:
            x = self._x(d.today, first, last, plot)
            painter.setPen(QPen(QColor("#9ca3af"), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        for skill, points in d.series.items():
            self._draw_series(painter, plot, first, last, skill, points)
        self._draw_legend(painter, plot)
        painter.end()

    def _width(self, text: str) -> float:
        return float(self.fontMetrics().horizontalAdvance(text))

    def _draw_scale(self, painter: QPainter, plot: QRectF) -> None:
        painter.setPen(QColor("#e5e7eb"))
        for level in LEVEL_ORDER:
            y = self._y(level_rank(level), plot)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor("#374151"))
        for level in LEVEL_ORDER:
            y = self._y(level_rank(level), plot)
            label = self.data.level_labels.get(level.value, level.value)
            painter.drawText(
                QRectF(0, y - 8, MARGIN_LEFT - 8, 16),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
        painter.setPen(QColor("#9ca3af"))
        painter.drawRect(plot)

    def _draw_years(self, painter: QPainter, plot: QRectF, first: date, last: date) -> None:
        painter.setPen(QColor("#374151"))
        for year in range(first.year + 1, last.year + 1):
            x = self._x(date(year, 1, 1), first, last, plot)
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            painter.drawText(QPointF(x - self._width(str(year)) / 2, plot.bottom() + 17), str(year))

    def _draw_series(
        self,
        painter: QPainter,
        plot: QRectF,
        first: date,
        last: date,
        skill: str,
        points: list[tuple[date, str]],
    ) -> None:
        colour = QColor(SKILL_COLOURS.get(skill, "#111827"))
        ordered = sorted(points)
        path = QPainterPath()
        for index, (day, level) in enumerate(ordered):
            x, y = self._x(day, first, last, plot), self._y(level_rank(level), plot)
            if index == 0:
                path.moveTo(x, y)
            else:
                path.lineTo(x, path.currentPosition().y())
                path.lineTo(x, y)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(colour)
        for day, level in ordered:
            center = QPointF(self._x(day, first, last, plot), self._y(level_rank(level), plot))
            painter.drawEllipse(center, 3.5, 3.5)
        reach = self.data.forecasts.get(skill)
        if reach is not None and ordered and self.data.target:
            start = QPointF(
                self._x(ordered[-1][0], first, last, plot),
                self._y(level_rank(ordered[-1][1]), plot),
            )
            end = QPointF(
                self._x(reach, first, last, plot), self._y(level_rank(self.data.target), plot)
            )
            painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(start, end)

    def _draw_legend(self, painter: QPainter, plot: QRectF) -> None:
        x = plot.left()
        y = plot.bottom() + 38
        font = QFont(painter.font())
        painter.setFont(font)
        for skill in self.data.series:
            colour = QColor(SKILL_COLOURS.get(skill, "#111827"))
            painter.fillRect(QRectF(x, y - 9, 14, 10), colour)
            label = self.data.skill_labels.get(skill, skill)
            painter.setPen(QColor("#111827"))
            painter.drawText(QPointF(x + 18, y), label)
            x += 30 + self._width(label)
