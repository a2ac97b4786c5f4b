"""The work profile a candidate allows to be shared with one employer: one A4 page.

Only what an employer needs to judge a match: the name, the Dutch level per skill, when
the candidate is available (the weekdays without lessons, hours, from when), how they
travel, certificates, education and work experience in short, and the sectors they
wish to work in. Nothing else about the person (no BSN, birth date, address, phone,
client number, nationality, attendance or benefit) is in :class:`SharedProfile`, so it
cannot end up on the page. It takes plain values and never reads the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from kvds_desktop.domain import labels
from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.fonts import register_fonts
from kvds_desktop.reports.layout.common import MM
from kvds_desktop.reports.layout.flow import flow_document

MAX_TEXT = 600  # characters of a free text; the page must stay one page
TRANSPORT: dict[str, str] = {
    "fiets": N_("bicycle"),
    "ov": N_("public transport"),
    "auto": N_("car"),
    "lopen": N_("on foot"),
}


@dataclass(frozen=True)
class SharedProfile:
    """Everything the shared profile shows (codes and plain values; worded when drawn)."""

    name: str
    organisation: str
    consent_given_on: date
    printed_on: date
    levels: tuple[tuple[str, str | None], ...]  # (Skill code, Level code or None)
    free_days: tuple[int, ...]  # ISO weekdays without lessons
    available_days: tuple[int, ...]  # ISO weekdays the candidate offers
    hours_per_week: int | None
    available_from: date | None
    flexibility: str
    transport: str  # fiets, ov, auto, lopen (or free text)
    max_travel_minutes: int | None
    driving_licence: bool
    certificates: str
    education: str
    education_country: str
    education_years: int | None
    work_history: str
    work_years: int | None
    sector_wishes: str
    has_work_profile: bool = True


def _styles() -> dict[str, ParagraphStyle]:
    fonts = register_fonts()
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=10, leading=13.5)
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=17, leading=21, spaceAfter=2
        ),
        "name": ParagraphStyle(
            "name", parent=base, fontName=fonts.bold, fontSize=14, leading=18, spaceAfter=3
        ),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=11, textColor=colors.HexColor("#4b5563")
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=fonts.bold,
            fontSize=11.5,
            leading=15,
            spaceBefore=9,
            spaceAfter=3,
            textColor=colors.HexColor("#1f3b57"),
        ),
        "label": ParagraphStyle("label", parent=base, textColor=colors.HexColor("#374151")),
        "bold": ParagraphStyle("bold", parent=base, fontName=fonts.bold),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def _days(tr: Translator, days: tuple[int, ...]) -> str:
    return ", ".join(tr._(labels.WEEKDAYS_LONG[d]) for d in days if d in labels.WEEKDAYS_LONG)


def _or_dash(text: str) -> str:
    return text.strip() or "–"


def _years(tr: Translator, years: int | None) -> str:
    if years is None:
        return ""
    return tr.ngettext("{count} year", "{count} years", years).format(count=years)


def _availability(p: SharedProfile, tr: Translator) -> list[tuple[str, str]]:
    hours = (
        tr.ngettext("{count} hour a week", "{count} hours a week", p.hours_per_week).format(
            count=p.hours_per_week
        )
        if p.hours_per_week is not None
        else "–"
    )
    return [
        (tr._("Days without lessons"), _or_dash(_days(tr, p.free_days))),
        (tr._("Available on"), _or_dash(_days(tr, p.available_days))),
        (tr._("Hours"), hours),
        (tr._("Available from"), tr.date(p.available_from, "long") if p.available_from else "–"),
        (tr._("Flexibility"), _or_dash(p.flexibility)),
    ]


def _mobility(p: SharedProfile, tr: Translator) -> list[tuple[str, str]]:
    minutes = (
        tr._("{minutes} minutes").format(minutes=p.max_travel_minutes)
        if p.max_travel_minutes is not None
        else "–"
    )
    transport = tr._(TRANSPORT[p.transport]) if p.transport in TRANSPORT else p.transport
    return [
        (tr._("Transport"), _or_dash(transport)),
        (tr._("Longest travel time"), minutes),
        (tr._("Driving licence"), tr._(N_("yes")) if p.driving_licence else tr._(N_("no"))),
    ]


def _background(p: SharedProfile, tr: Translator) -> list[tuple[str, str]]:
    def with_facts(text: str, *facts: str) -> str:
        extra = ", ".join(f for f in facts if f)
        text = _short(text)
        return _or_dash(f"{text} ({extra})" if text and extra else text or extra)

    return [
        (
            tr._("Education"),
            with_facts(p.education, p.education_country, _years(tr, p.education_years)),
        ),
        (tr._("Work experience"), with_facts(p.work_history, _years(tr, p.work_years))),
        (tr._("Certificates"), _or_dash(_short(p.certificates))),
        (tr._("Sector wishes"), _or_dash(_short(p.sector_wishes))),
    ]


def _pairs(pairs: list[tuple[str, str]], styles: dict[str, ParagraphStyle], width: float) -> Table:
    table = Table(
        [[Paragraph(_escape(label), styles["label"]), Paragraph(_escape(value), styles["bold"])]
         for label, value in pairs],
        colWidths=[width * 0.3, width * 0.7],
    )  # fmt: skip
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return table


def _levels(p: SharedProfile, tr: Translator, styles: dict[str, ParagraphStyle],
            width: float) -> Table:  # fmt: skip
    head = [tr._(labels.label(labels.SKILL, skill)).capitalize() for skill, _l in p.levels]
    values = [tr._(labels.label(labels.LEVEL, level)) if level else "–" for _s, level in p.levels]
    table = Table(
        [[Paragraph(_escape(t), styles["label"]) for t in head],
         [Paragraph(_escape(v), styles["bold"]) for v in values]],
        colWidths=[width / max(1, len(head))] * len(head),
    )  # fmt: skip
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9ca3af")),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]))  # fmt: skip
    return table


def work_profile_pdf(profile: SharedProfile, tr: Translator) -> bytes:
    """The shared work profile as PDF bytes (one A4 page, portrait)."""
    styles = _styles()
    buffer = io.BytesIO()
    margin = 18 * MM
    title = tr._("Work profile")
    doc = flow_document(buffer, f"{title} {profile.name}", side=margin, top=16 * MM,
                        bottom=16 * MM)  # fmt: skip
    width = doc.width - 12  # the frame keeps 6 points of padding on either side
    shared = tr._("Shared with {organisation} with the candidate's consent of {date}.").format(
        organisation=profile.organisation, date=tr.date(profile.consent_given_on, "long")
    )
    story: list[object] = [
        Paragraph(_escape(title), styles["title"]),
        Paragraph(_escape(profile.name), styles["name"]),
        Paragraph(_escape(shared), styles["small"]),
        Paragraph(_escape(tr._("Dutch language level")), styles["head"]),
        _levels(profile, tr, styles, width),
        Paragraph(_escape(tr._("Availability")), styles["head"]),
        _pairs(_availability(profile, tr), styles, width),
        Paragraph(_escape(tr._("Mobility")), styles["head"]),
        _pairs(_mobility(profile, tr), styles, width),
        Paragraph(_escape(tr._("Background and wishes")), styles["head"]),
        _pairs(_background(profile, tr), styles, width),
    ]
    if not profile.has_work_profile:
        note = tr._("No work profile has been filled in yet; ask the coordinator for more.")
        story += [Spacer(1, 6), Paragraph(_escape(note), styles["small"])]
    footer_text = tr._("printed on {date}").format(date=tr.date(profile.printed_on, "long"))
    footer_text += " · " + tr._("Do not pass this profile on to others.")

    def footer(canvas: object, _document: object) -> None:
        fonts = register_fonts()
        canvas.setFont(fonts.regular, 8)  # type: ignore[attr-defined]
        canvas.setFillColor(colors.HexColor("#4b5563"))  # type: ignore[attr-defined]
        canvas.drawString(margin + 6, 9 * MM, footer_text)  # type: ignore[attr-defined]

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
