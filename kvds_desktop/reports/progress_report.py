"""The progress report (voortgangsrapportage) of one candidate for the klantmanager.

A4 portrait, at most two pages: who and which route; the levels per skill over time as
a chart with the target and the term end; per skill where it stands and the forecast;
exams; MAP, ONA and PVT; attendance; the advice that follows; the last conversation.
It takes a :class:`ProgressReport` of plain values and never reads the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kvds_desktop.domain.enums import LEVEL_ORDER, level_rank
from kvds_desktop.domain.progress import Forecast
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.fonts import register_fonts
from kvds_desktop.reports.layout.common import MM
from kvds_desktop.reports.layout.flow import flow_document, page_footer

SKILL_COLOURS = {
    "lezen": colors.HexColor("#1f6fb2"),
    "luisteren": colors.HexColor("#2e9d5b"),
    "spreken": colors.HexColor("#c9731a"),
    "schrijven": colors.HexColor("#b03a58"),
    "gesprekken": colors.HexColor("#6b5bb5"),
}


@dataclass(frozen=True)
class ProgressReport:
    """Everything the report shows; texts already in the reader's language."""

    title: str
    name: str
    facts: tuple[tuple[str, str], ...]  # (label, value) of the candidate and the route
    series: dict[str, list[tuple[date, str]]]  # skill -> (date, level)
    skill_labels: dict[str, str]
    level_labels: dict[str, str]
    target: str | None
    term_end: date | None
    today: date
    forecasts: tuple[Forecast, ...]
    forecast_lines: tuple[str, ...]  # one sentence per skill
    exams: tuple[tuple[str, ...], ...]  # rows: part, target, attempts, result, exemption
    exam_headers: tuple[str, ...]
    modules: tuple[str, ...]  # lines
    attendance: tuple[tuple[str, str], ...]  # (label, value)
    advice: tuple[str, ...]
    conversation: str
    footer: str  # "printed on ... · page"
    headings: dict[str, str]  # section key -> heading text


def _styles() -> dict[str, ParagraphStyle]:
    fonts = register_fonts()
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=16, leading=20, spaceAfter=2
        ),
        "name": ParagraphStyle(
            "name", parent=base, fontName=fonts.bold, fontSize=12.5, leading=16, spaceAfter=4
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=fonts.bold,
            fontSize=11,
            leading=14,
            spaceBefore=7,
            spaceAfter=3,
            textColor=colors.HexColor("#1f3b57"),
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "bold": ParagraphStyle("bold", parent=base, fontName=fonts.bold),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pairs_table(pairs: tuple[tuple[str, str], ...], styles: dict[str, ParagraphStyle],
                 width: float, columns: int = 2) -> Table:  # fmt: skip
    cells = [
        [Paragraph(_escape(label), styles["small"]), Paragraph(_escape(value), styles["bold"])]
        for label, value in pairs
    ]
    per = (len(cells) + columns - 1) // columns
    rows = []
    for index in range(per):
        row: list[object] = []
        for column in range(columns):
            at = column * per + index
            row += cells[at] if at < len(cells) else ["", ""]
        rows.append(row)
    part = width / columns
    table = Table(rows, colWidths=[part * 0.42, part * 0.58] * columns)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5)]))  # fmt: skip
    return table


def _chart(report: ProgressReport, width: float, height: float) -> Drawing:
    fonts = register_fonts()
    drawing = Drawing(width, height)
    left, bottom, right, top = 46.0, 26.0, width - 8, height - 8
    days = [day for points in report.series.values() for day, _level in points]
    days += [d for d in (report.term_end, report.today) if d is not None]
    days += [f.reach_date for f in report.forecasts if f.reach_date is not None]
    first, last = (min(days), max(days)) if days else (report.today, report.today)
    span = max(30, (last - first).days)

    def x(day: date) -> float:
        return left + (right - left) * (day - first).days / span

    def y(level: str) -> float:
        return bottom + (top - bottom) * level_rank(level) / (len(LEVEL_ORDER) - 1)

    for rung in LEVEL_ORDER:
        drawing.add(Line(left, y(rung), right, y(rung), strokeColor=colors.HexColor("#e5e7eb"),
                         strokeWidth=0.5))  # fmt: skip
        drawing.add(String(left - 4, y(rung) - 3, report.level_labels.get(rung.value, ""),
                           fontName=fonts.regular, fontSize=7, textAnchor="end"))  # fmt: skip
    if report.target:
        drawing.add(Rect(left, y(report.target) - 2, right - left, 4,
                         fillColor=colors.HexColor("#fde68a"), strokeColor=None))  # fmt: skip
    for year in range(first.year + 1, last.year + 1):
        drawing.add(Line(x(date(year, 1, 1)), bottom, x(date(year, 1, 1)), bottom - 3))
        drawing.add(String(x(date(year, 1, 1)), bottom - 12, str(year), fontName=fonts.regular,
                           fontSize=7, textAnchor="middle"))  # fmt: skip
    if report.term_end is not None:
        red = colors.HexColor("#b91c1c")
        end_x = x(report.term_end)
        drawing.add(Line(end_x, bottom, end_x, top, strokeColor=red, strokeDashArray=[3, 2]))
    drawing.add(Rect(left, bottom, right - left, top - bottom, fillColor=None,
                     strokeColor=colors.HexColor("#9ca3af"), strokeWidth=0.6))  # fmt: skip
    legend_x = left
    for skill, points in report.series.items():
        colour = SKILL_COLOURS.get(skill, colors.black)
        ordered = sorted(points)
        steps: list[float] = []
        for index, (day, level) in enumerate(ordered):
            if index:
                steps += [x(day), steps[-1]]
            steps += [x(day), y(level)]
        if len(steps) >= 4:
            drawing.add(PolyLine(steps, strokeColor=colour, strokeWidth=1.4))
        for day, level in ordered:
            drawing.add(Rect(x(day) - 1.6, y(level) - 1.6, 3.2, 3.2, fillColor=colour,
                             strokeColor=None))  # fmt: skip
        reach = next((f.reach_date for f in report.forecasts
                      if f.skill == skill and f.reach_date and f.outlook.value in
                      ("on_track", "late")), None)  # fmt: skip
        if reach is not None and ordered and report.target:
            last_day, last_level = ordered[-1]
            drawing.add(
                Line(
                    x(last_day),
                    y(last_level),
                    x(reach),
                    y(report.target),
                    strokeColor=colour,
                    strokeDashArray=[2, 2],
                    strokeWidth=0.9,
                )
            )
        label = report.skill_labels.get(skill, skill)
        drawing.add(Rect(legend_x, 2, 8, 6, fillColor=colour, strokeColor=None))
        drawing.add(String(legend_x + 11, 2, label, fontName=fonts.regular, fontSize=7.5))
        legend_x += 24 + len(label) * 4.2
    return drawing


def progress_report_pdf(report: ProgressReport, tr: Translator) -> bytes:
    """The report as PDF bytes."""
    styles = _styles()
    buffer = io.BytesIO()
    margin = 16 * MM
    doc = flow_document(buffer, f"{report.title} {report.name}", side=margin)
    width = A4[0] - 2 * margin
    h = report.headings
    story: list[object] = [
        Paragraph(_escape(report.title), styles["title"]),
        Paragraph(_escape(report.name), styles["name"]),
        _pairs_table(report.facts, styles, width),
        Paragraph(_escape(h["levels"]), styles["head"]),
        _chart(report, width, 150),
        Spacer(1, 3),
    ]
    story += [Paragraph("• " + _escape(line), styles["base"]) for line in report.forecast_lines]
    exam_rows = [list(report.exam_headers), *[list(row) for row in report.exams]]
    exams = Table(
        [[Paragraph(_escape(cell), styles["small"]) for cell in row] for row in exam_rows],
        colWidths=[width * w for w in (0.34, 0.1, 0.12, 0.24, 0.2)], repeatRows=1,
    )  # fmt: skip
    exams.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9ca3af")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    story += [KeepTogether([Paragraph(_escape(h["exams"]), styles["head"]), exams])]
    if report.modules:
        story += [Paragraph(_escape(h["modules"]), styles["head"])]
        story += [Paragraph(_escape(line), styles["base"]) for line in report.modules]
    story += [
        KeepTogether([Paragraph(_escape(h["attendance"]), styles["head"]),
                      _pairs_table(report.attendance, styles, width)])
    ]  # fmt: skip
    advice = [Paragraph(_escape(h["advice"]), styles["head"])]
    advice += [Paragraph("• " + _escape(line), styles["base"]) for line in report.advice]
    story += [KeepTogether(advice)]
    story += [
        KeepTogether([Paragraph(_escape(h["conversation"]), styles["head"]),
                      Paragraph(_escape(report.conversation), styles["base"])])
    ]  # fmt: skip

    footer = page_footer(
        f"{report.name} · {report.footer} · ", tr._("page {page}"), A4[0] - margin, 8 * MM
    )

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
