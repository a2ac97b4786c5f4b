"""Everything the app holds about one person, as a readable PDF (a data-subject export).

A4 portrait, a title with the person's name, then one section per kind of data with a
plain-language heading and a short explanation, and the rows in tables. A kind with one
record, or with many columns, is shown as field/value pairs; a kind with many records as
a table. Page numbers at the bottom. It takes plain values (:class:`SubjectDocument`)
and never reads the database.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

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

PAGE = A4
MARGIN = 15 * MM
WIDE = 9  # more columns than this: each record as field/value pairs
MAX_CELL = 400  # characters of one cell; longer texts are in the JSON file in full


@dataclass(frozen=True)
class SubjectSection:
    """One kind of data: a heading and explanation (message ids), column names, rows."""

    heading: str
    explanation: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    detail: str = ""  # shown after the heading as it is (a table's name)


@dataclass(frozen=True)
class SubjectDocument:
    """What the PDF shows: who it is about, when it was made, and the sections."""

    name: str
    klantnummer: str
    uid: str
    made_on: date
    sections: tuple[SubjectSection, ...]


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + " …"
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _style(table: Table, header: bool) -> Table:
    commands: list[tuple[object, ...]] = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


def _pairs(
    section: SubjectSection, row: Sequence[str], styles: dict[str, ParagraphStyle], width: float
) -> Table:
    data = [
        [_cell(name, styles["bold"]), _cell(value or "–", styles["small"])]
        for name, value in zip(section.columns, row, strict=True)
    ]
    return _style(Table(data, colWidths=[width * 0.32, width * 0.68]), header=False)


def _grid(section: SubjectSection, styles: dict[str, ParagraphStyle], width: float) -> Table:
    small = styles["small"]
    head = [Paragraph(f"<b>{escape(c)}</b>", small) for c in section.columns]
    data = [head] + [[_cell(v or "–", small) for v in row] for row in section.rows]
    weights = [
        min(
            30.0,
            max(
                6.0,
                len(title) * 1.1,
                sum(len(row[i]) for row in section.rows) / max(1, len(section.rows)),
            ),
        )
        for i, title in enumerate(section.columns)
    ]
    widths = [width * w / sum(weights) for w in weights]
    return _style(Table(data, colWidths=widths, repeatRows=1), True)


def _section(
    section: SubjectSection, tr: Translator, styles: dict[str, ParagraphStyle], width: float
) -> list[object]:
    count = tr.ngettext("{n} record", "{n} records", len(section.rows)).format(n=len(section.rows))
    story: list[object] = [
        KeepTogether(
            [
                Paragraph(
                    escape(tr._(section.heading))
                    + (f": {escape(section.detail)}" if section.detail else ""),
                    styles["head"],
                ),
                Paragraph(
                    escape(tr._(section.explanation)) + f" ({escape(count)})", styles["muted"]
                ),
                Spacer(1, 2 * MM),
            ]
        )
    ]
    if len(section.rows) == 1 or len(section.columns) > WIDE:
        for row in section.rows:
            story += [_pairs(section, row, styles, width), Spacer(1, 2 * MM)]
    elif section.rows:
        story.append(_grid(section, styles, width))
    return story


def subject_pdf(document: SubjectDocument, tr: Translator) -> bytes:
    """The export as PDF bytes: A4 portrait, one section per kind of data, page numbers."""
    styles = flow_styles(9)
    buffer = io.BytesIO()
    title = tr._("Everything KVDS Desktop holds about {name}").format(name=document.name)
    doc = flow_document(buffer, title, pagesize=PAGE, side=MARGIN)
    width = PAGE[0] - 2 * MARGIN
    intro = tr._(
        "Made on {date}. Client number {number}; record id {uid}. This document lists every "
        "record the application keeps about this person, grouped by kind. Groups, lessons and "
        "organisations are named where they explain a record; other participants are not "
        "shown. The accompanying JSON file holds the same data in full."
    ).format(
        date=tr.date(document.made_on, "long"), number=document.klantnummer or "–", uid=document.uid
    )
    story: list[object] = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(intro), styles["muted"]),
        Spacer(1, 3 * MM),
    ]
    for section in document.sections:
        story += _section(section, tr, styles, width)
    footer = page_footer(f"{document.name} · ", tr._("page {page}"), PAGE[0] - MARGIN, 7 * MM)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
