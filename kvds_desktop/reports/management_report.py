"""The management report for a period: a few pages a councillor reads without help.

One idea per section, in plain words: the period in short, where people went when they
left, outflow month by month, the figures per municipality, the costs, and what the
benefit estimate rests on. It takes plain values (:class:`ManagementReport`), words them
with the reader's Translator and never reads the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_currency
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from kvds_desktop.i18n import Translator
from kvds_desktop.reports.fonts import register_fonts
from kvds_desktop.reports.layout.common import MM
from kvds_desktop.reports.layout.flow import flow_document, page_footer
from kvds_desktop.reports.management_charts import bars, short_label

HEAD_COLOUR = colors.HexColor("#1f3b57")
GRID = colors.HexColor("#9ca3af")


@dataclass(frozen=True)
class AreaFigures:
    """The figures of one municipality, or of all (``name`` "")."""

    name: str
    served: int  # candidates who took part at some time in the period
    new: int  # registered in the period
    outflow: int  # left the programme in the period
    to_work: int  # ... to paid work (with or without support, BBL)
    attendance_rate: float | None  # present / marked lessons in the period
    exams_passed: int  # candidates who passed an exam part in the period
    total_cost: float
    cost_per_candidate: float | None
    cost_per_outflow: float | None
    months_saved: float
    amount_saved: float


@dataclass(frozen=True)
class AssumptionLine:
    """An assumption as shown: its meaning (msgid), value and unit (eur, years, share)."""

    key: str
    note_id: str
    value: float
    unit: str
    is_default: bool


@dataclass(frozen=True)
class ManagementReport:
    """Everything the management report shows, as plain values."""

    start: date
    end: date
    printed_on: date
    total: AreaFigures
    areas: tuple[AreaFigures, ...]  # per municipality, by name
    outflow_kinds: tuple[tuple[str, tuple[int, ...]], ...]  # (label msgid, count per area)
    outflow_months: tuple[tuple[date, int], ...]  # first of each month, outflows
    costs: tuple[tuple[str, tuple[float, ...]], ...]  # (category msgid, amount per area)
    shared_cost: float  # of the total, costs shared by the municipalities
    assumptions: tuple[AssumptionLine, ...]


def _styles() -> dict[str, ParagraphStyle]:
    fonts = register_fonts()
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=17, leading=21, spaceAfter=3
        ),
        "sub": ParagraphStyle("sub", parent=base, fontSize=11, leading=15, spaceAfter=6),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=fonts.bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            textColor=HEAD_COLOUR,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "bold": ParagraphStyle("bold", parent=base, fontName=fonts.bold),
        "num": ParagraphStyle("num", parent=base, fontName=fonts.bold, alignment=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, alignment=2),
        "th": ParagraphStyle("th", parent=base, fontName=fonts.bold, fontSize=7.5, leading=9.5),
    }


def _e(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Words:
    """The report's numbers in the reader's language."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr

    def euro(self, value: float | None) -> str:
        if value is None:
            return "–"
        return str(
            format_currency(
                round(value), "EUR", format="¤ #,##0", locale=self.tr.locale, currency_digits=False
            )
        )

    def count(self, value: float) -> str:
        return self.tr.number(round(value))

    def share(self, value: float | None) -> str:
        return "–" if value is None else self.tr.percent(value)

    def months(self, value: float) -> str:
        return self.tr.number(round(value, 1))

    def area(self, name: str) -> str:
        return name or self.tr._("All municipalities")


def _table(
    rows: list[list[str]],
    widths: list[float],
    styles: dict[str, ParagraphStyle],
    *,
    total_row: bool = False,
) -> Table:
    cells = [
        [
            Paragraph(_e(text), styles["th"] if r == 0 else styles["cell" if c else "small"])
            for c, text in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f4f6")))
    table.setStyle(TableStyle(style))
    return table


def _summary(
    report: ManagementReport, w: _Words, styles: dict[str, ParagraphStyle], width: float
) -> list[object]:
    tr, t = w.tr, report.total
    lines = [
        (
            tr._("Candidates served"),
            w.count(t.served),
            tr._("people who took part in the programme at some time in this period"),
        ),
        (tr._("New candidates"), w.count(t.new), tr._("registered in this period")),
        (
            tr._("Flowed out"),
            w.count(t.outflow),
            tr._("left the programme in this period; {work} of them to paid work").format(
                work=w.count(t.to_work)
            ),
        ),
        (
            tr._("Attendance"),
            w.share(t.attendance_rate),
            tr._("of the lessons registered, the share the candidates attended"),
        ),
        (
            tr._("Passed an exam part"),
            w.count(t.exams_passed),
            tr._("candidates who passed at least one part of the integration exam"),
        ),
        (tr._("Costs"), w.euro(t.total_cost), tr._("all costs entered for this period")),
        (
            tr._("Cost per candidate"),
            w.euro(t.cost_per_candidate),
            tr._("the costs divided by the candidates served"),
        ),
        (
            tr._("Cost per outflow"),
            w.euro(t.cost_per_outflow),
            tr._("the costs divided by the people who flowed out"),
        ),
        (
            tr._("Benefit saved (estimate)"),
            w.euro(t.amount_saved),
            tr._(
                "{months} months of benefit not paid because people left for work or study; "
                "see the assumptions at the end"
            ).format(months=w.months(t.months_saved)),
        ),
    ]
    rows = [
        [
            Paragraph(_e(a), styles["base"]),
            Paragraph(_e(b), styles["num"]),
            Paragraph(_e(c), styles["small"]),
        ]
        for a, b, c in lines
    ]
    table = Table(rows, colWidths=[width * 0.27, width * 0.17, width * 0.56])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d1d5db")),
                ("LEFTPADDING", (2, 0), (2, -1), 10),
            ]
        )
    )
    return [Paragraph(_e(tr._("The period in short")), styles["head"]), table]


def _outflow_sections(
    report: ManagementReport, w: _Words, styles: dict[str, ParagraphStyle], width: float
) -> list[object]:
    tr = w.tr
    names = [w.area(a.name) for a in report.areas]
    kinds = [short_label(tr._(label)) for label, _counts in report.outflow_kinds]
    data = [
        [float(counts[i]) for _label, counts in report.outflow_kinds]
        for i in range(len(report.areas))
    ]
    per_kind = [
        Paragraph(_e(tr._("Where people went when they left")), styles["head"]),
        Paragraph(
            _e(
                tr._(
                    "Each bar is the number of people from one municipality who left "
                    "the programme in this period for the destination below it."
                )
            ),
            styles["base"],
        ),
        bars(data, kinds, width, 190, names),
    ]
    months = [f"{tr.date(day, 'MMM')}\n{day.year}" for day, _n in report.outflow_months]
    over_time = [
        Paragraph(_e(tr._("Outflow month by month")), styles["head"]),
        Paragraph(
            _e(
                tr._(
                    "Each bar is the number of people who left the programme in that "
                    "month, all municipalities together."
                )
            ),
            styles["base"],
        ),
        bars([[float(n) for _day, n in report.outflow_months]], months, width, 170, []),
    ]
    return [KeepTogether(per_kind), KeepTogether(over_time)]


def _area_section(
    report: ManagementReport, w: _Words, styles: dict[str, ParagraphStyle], width: float
) -> list[object]:
    tr = w.tr
    head = [
        tr._("Municipality"),
        tr._("Served"),
        tr._("New"),
        tr._("Flowed out"),
        tr._("To paid work"),
        tr._("Attendance"),
        tr._("Costs"),
        tr._("Cost per candidate"),
        tr._("Cost per outflow"),
        tr._("Benefit saved"),
    ]
    rows = [head] + [
        [
            w.area(a.name),
            w.count(a.served),
            w.count(a.new),
            w.count(a.outflow),
            w.count(a.to_work),
            w.share(a.attendance_rate),
            w.euro(a.total_cost),
            w.euro(a.cost_per_candidate),
            w.euro(a.cost_per_outflow),
            w.euro(a.amount_saved),
        ]
        for a in (*report.areas, report.total)
    ]
    widths = [width * f for f in (0.14, 0.075, 0.06, 0.08, 0.08, 0.12, 0.115, 0.11, 0.11, 0.11)]
    return [
        KeepTogether(
            [
                Paragraph(_e(tr._("Figures per municipality")), styles["head"]),
                Paragraph(
                    _e(
                        tr._(
                            "The same figures for each municipality; the last row is the "
                            "programme as a whole."
                        )
                    ),
                    styles["base"],
                ),
                Spacer(1, 4),
                _table(rows, widths, styles, total_row=True),
            ]
        )
    ]


def _cost_section(
    report: ManagementReport, w: _Words, styles: dict[str, ParagraphStyle], width: float
) -> list[object]:
    tr = w.tr
    names = [w.area(a.name) for a in report.areas]
    rows = [[tr._("Cost category"), *names, tr._("Total")]]
    for label, amounts in report.costs:
        rows.append([tr._(label), *(w.euro(a) for a in amounts), w.euro(sum(amounts))])
    rows.append(
        [
            tr._("Total"),
            *(w.euro(a.total_cost) for a in report.areas),
            w.euro(report.total.total_cost),
        ]
    )
    first = 0.34
    rest = (1 - first) / (len(names) + 1)
    text = tr._(
        "Costs entered for this period. A cost that runs longer than the period "
        "counts for the days inside it. Costs shared by the municipalities "
        "({shared}) are divided in proportion to the candidates each served."
    )
    return [
        KeepTogether(
            [
                Paragraph(_e(tr._("What the programme cost")), styles["head"]),
                Paragraph(_e(text.format(shared=w.euro(report.shared_cost))), styles["base"]),
                Spacer(1, 4),
                _table(
                    rows,
                    [width * first] + [width * rest] * (len(names) + 1),
                    styles,
                    total_row=True,
                ),
            ]
        )
    ]


def _assumption_section(
    report: ManagementReport, w: _Words, styles: dict[str, ParagraphStyle], width: float
) -> list[object]:
    tr = w.tr
    rows = [[tr._("Assumption"), tr._("Value")]]
    for a in report.assumptions:
        value = {"eur": w.euro(a.value), "share": w.share(a.value)}.get(
            a.unit, tr._("{n} years").format(n=tr.number(a.value))
        )
        changed = "" if a.is_default else " " + tr._("(changed by the user)")
        rows.append([tr._(a.note_id) + changed, value])
    how = tr._(
        "How the benefit saved is estimated: without the programme a candidate "
        "would stay on benefit for the baseline years from the start of the "
        "integration obligation. For each person who left for work or study, the "
        "months from leaving until that baseline date count, up to the end of the "
        "period; with a partial benefit only the part not paid counts. Moving away, "
        "an exemption or stopping never counts. The months times the benefit per "
        "month give the amount."
    )
    table = Table(
        [[Paragraph(_e(a), styles["small"]), Paragraph(_e(b), styles["cell"])] for a, b in rows],
        colWidths=[width * 0.8, width * 0.2],
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ]
        )
    )
    return [
        KeepTogether(
            [
                Paragraph(_e(tr._("What the estimate rests on")), styles["head"]),
                Paragraph(_e(how), styles["base"]),
                Spacer(1, 4),
                table,
            ]
        )
    ]


def management_report_pdf(report: ManagementReport, tr: Translator) -> bytes:
    """The report as PDF bytes (A4, at most four pages for a pilot of two municipalities)."""
    styles = _styles()
    words = _Words(tr)
    buffer = io.BytesIO()
    margin = 16 * MM
    title = tr._("Klaar voor de Start: management report")
    doc = flow_document(buffer, title, side=margin, bottom=16 * MM)
    width = A4[0] - 2 * margin
    period = tr._("{start} to {end}").format(start=tr.date(report.start), end=tr.date(report.end))
    areas = ", ".join(a.name for a in report.areas) or tr._("no municipality")
    story: list[object] = [
        Paragraph(_e(title), styles["title"]),
        Paragraph(_e(tr._("Period: {period}").format(period=period)), styles["sub"]),
        Paragraph(_e(tr._("Municipalities: {names}").format(names=areas)), styles["base"]),
    ]
    story += _summary(report, words, styles, width)
    story += _outflow_sections(report, words, styles, width)
    story += _area_section(report, words, styles, width)
    story += _cost_section(report, words, styles, width)
    story += _assumption_section(report, words, styles, width)
    footer_text = tr._("printed on {date}").format(date=tr.date(report.printed_on))

    footer = page_footer(
        f"{title} · {period} · {footer_text} · ", tr._("page {page}"), A4[0] - margin, 8 * MM
    )

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
