"""The bar charts of the management report (reportlab.graphics), in the report's colours."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from kvds_desktop.reports.fonts import register_fonts

BAR_COLOURS = (
    colors.HexColor("#1f6f8b"),
    colors.HexColor("#e07a1f"),
    colors.HexColor("#6a994e"),
    colors.HexColor("#8e5ea2"),
)


def _legend(drawing: Drawing, names: list[str], x: float, y: float) -> None:
    fonts = register_fonts()
    for index, name in enumerate(names):
        colour = BAR_COLOURS[index % len(BAR_COLOURS)]
        drawing.add(Rect(x, y, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 11, y + 1, name, fontName=fonts.regular, fontSize=8))
        x += 24 + len(name) * 4.8


def bars(
    data: list[list[float]], labels: list[str], width: float, height: float, legend: list[str]
) -> Drawing:
    """A bar chart: one series per row of ``data`` (coloured, named in ``legend``), one
    group of bars per entry of ``labels``, each bar labelled with its count."""
    fonts = register_fonts()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 44
    chart.width, chart.height = width - 44, height - 66
    chart.data = data or [[0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max((v for row in data for v in row), default=0)
    chart.valueAxis.valueMax = max(4, int(top * 1.15) + 1)
    chart.valueAxis.valueStep = max(1, round(chart.valueAxis.valueMax / 5))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e5e7eb")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.regular
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.groupSpacing = 8
    for index in range(len(data)):
        chart.bars[index].fillColor = BAR_COLOURS[index % len(BAR_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if legend:
        _legend(drawing, legend, chart.x, 4)
    return drawing


def short_label(text: str) -> str:
    """Break a category label over two lines so the bars keep their width."""
    words = text.split()
    if len(text) <= 16 or len(words) < 2:
        return text
    half = len(words) // 2 + (len(words) % 2)
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])
