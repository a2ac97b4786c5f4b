"""The klantmanager digest as a PDF: one landscape table of their candidates for a period.

Drawn from :class:`~kvds_desktop.domain.digest.DigestRow` values (the same rows as the
CSV and XLSX); it reads no database. One row per candidate: who (name, klantnummer, law
and route), attendance (rate, hours followed of offered, hours absent with and without
notice), language (target, latest level per skill, outlook), the term's end, the open
signals, placements and outflow. A line of totals above the table, the column header
repeated on every page, page numbers in the footer. Never the BSN.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph, Table, TableStyle

from kvds_desktop.domain import labels
from kvds_desktop.domain.digest import SKILLS, DigestRow
from kvds_desktop.domain.progress import Outlook
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.layout.common import MM
from kvds_desktop.reports.layout.flow import (
    HEADER_FILL,
    RULE,
    escape,
    flow_document,
    flow_styles,
    page_footer,
)
from kvds_desktop.reports.progress_words import AT_RISK, level_text, outlook_text

PAGE = landscape(A4)
MARGIN = 13 * MM
COLUMNS = (0.18, 0.17, 0.21, 0.08, 0.17, 0.19)  # shares of the text width


@dataclass(frozen=True)
class DigestDocument:
    """One klantmanager's digest: for whom, the period, the rows."""

    klantmanager: str
    municipality: str
    start: date
    end: date
    printed_on: date
    rows: tuple[DigestRow, ...]


def _hours(tr: Translator, value: float) -> str:
    return tr.number(round(value, 1))


def _who(row: DigestRow, tr: Translator) -> str:
    law = tr._(labels.label(labels.LAW, row.law)) if row.law else ""
    route = tr._(labels.label(labels.ROUTE, row.route)) if row.route else ""
    parts = [f"<b>{escape(row.name)}</b>"]
    if row.klantnummer:
        parts.append(escape(tr._("client number {number}").format(number=row.klantnummer)))
    if law or route:
        parts.append(escape(", ".join(p for p in (law, route) if p)))
    return "<br/>".join(parts)


def _attendance(row: DigestRow, tr: Translator) -> str:
    if row.rate is None:
        return escape(tr._("no lessons marked"))
    lines = [
        f"<b>{escape(tr.percent(row.rate))}</b>",
        escape(tr._("{followed} of {offered} hours followed").format(
            followed=_hours(tr, row.hours_followed), offered=_hours(tr, row.hours_offered))),
    ]  # fmt: skip
    if row.hours_excused or row.hours_unexcused:
        absent = tr._("absent: {excused} h with notice, {unexcused} h without")
        excused, unexcused = _hours(tr, row.hours_excused), _hours(tr, row.hours_unexcused)
        lines.append(escape(absent.format(excused=excused, unexcused=unexcused)))
    return "<br/>".join(lines)


def _language(row: DigestRow, tr: Translator) -> str:
    levels = ", ".join(
        f"{tr._(labels.label(labels.SKILL, skill))} {level_text(tr, level or None)}"
        for skill, level in zip(SKILLS, row.levels, strict=False)
    )
    target = tr._("target {level}").format(level=level_text(tr, row.target or None))
    lines = [escape(target), escape(levels)]
    if row.outlook:
        outlook = Outlook(row.outlook)
        words = escape(outlook_text(tr, outlook))
        lines.append(f"<b>{words}</b>" if outlook in AT_RISK else words)
    return "<br/>".join(lines)


def _lines(items: Sequence[str]) -> str:
    return "<br/>".join(escape(item) for item in items) or "–"


def _work(row: DigestRow, tr: Translator) -> str:
    parts = [escape(p) for p in row.placements]
    parts += [f"<b>{escape(tr._('Outflow'))}:</b> {escape(o)}" for o in row.outflows]
    return "<br/>".join(parts) or "–"


def _summary(document: DigestDocument, tr: Translator) -> str:
    rows = document.rows
    offered = sum(r.hours_offered for r in rows)
    followed = sum(r.hours_followed for r in rows)
    parts = [
        tr.ngettext("{n} candidate", "{n} candidates", len(rows)).format(n=len(rows)),
        tr._("{followed} of {offered} hours followed").format(
            followed=_hours(tr, followed), offered=_hours(tr, offered)),
        tr.ngettext("{n} with an open signal", "{n} with open signals",
                    sum(1 for r in rows if r.signals)).format(n=sum(1 for r in rows if r.signals)),
        tr.ngettext("{n} flowed out in the period", "{n} flowed out in the period",
                    sum(1 for r in rows if r.outflows)).format(
            n=sum(1 for r in rows if r.outflows)),
    ]  # fmt: skip
    return " · ".join(parts)


def digest_pdf(document: DigestDocument, tr: Translator) -> bytes:
    """The digest as PDF bytes (A4 landscape, as many pages as the candidates need)."""
    styles = flow_styles(9)
    buffer = io.BytesIO()
    title = tr._("Overview for the klantmanager")
    doc = flow_document(buffer, f"{title} {document.klantmanager}", pagesize=PAGE, side=MARGIN,
                        top=12 * MM, bottom=13 * MM)  # fmt: skip
    width = PAGE[0] - 2 * MARGIN
    period = tr._("{start} to {end}").format(
        start=tr.date(document.start, "long"), end=tr.date(document.end, "long")
    )
    story: list[object] = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(
            f"<b>{escape(document.klantmanager)}</b> · {escape(document.municipality)} · "
            + escape(tr._("period {period}").format(period=period)),
            styles["base"],
        ),
        Paragraph(
            escape(
                tr._(
                    "Printed on {date}. Signals are those open at the end of the period; "
                    "levels are the latest assessed. No BSN: the client number identifies "
                    "the candidate."
                ).format(date=tr.date(document.printed_on, "long"))
            ),
            styles["muted"],
        ),
        Paragraph(escape(_summary(document, tr)), styles["head"]),
    ]
    if not document.rows:
        story.append(Paragraph(escape(tr._("No candidates in this period.")), styles["base"]))
    else:
        story.append(_table(document.rows, tr, styles, width))
    footer = page_footer(
        f"{document.klantmanager} · {period} · ", tr._("page {page}"), PAGE[0] - MARGIN, 7 * MM
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _table(
    rows: Sequence[DigestRow], tr: Translator, styles: dict[str, object], width: float
) -> Table:
    head = [tr._("Candidate"), tr._("Attendance"), tr._("Language"), tr._("Term ends"),
            tr._("Open signals"), tr._("Placements and outflow")]  # fmt: skip
    small = styles["small"]
    data = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in head]]
    for row in rows:
        cells = [
            _who(row, tr),
            _attendance(row, tr),
            _language(row, tr),
            escape(tr.date(row.term_end, "short")) if row.term_end else "–",
            _lines(row.signals),
            _work(row, tr),
        ]
        data.append([Paragraph(cell, small) for cell in cells])
    table = Table(data, colWidths=[width * share for share in COLUMNS], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))  # fmt: skip
    return table
