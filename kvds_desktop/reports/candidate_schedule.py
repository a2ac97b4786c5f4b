"""A candidate's weekly schedule: one A4 page in large type to take home.

Per day the lessons (time, activity, group, place, room, teacher) and the placements
(volunteer work, internship, job) agreed for that weekday; closed days and cancelled
lessons say so. The type shrinks only when a very full week would not fit one page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.layout.common import (
    ALERT,
    GREY,
    INK,
    LIGHT,
    Box,
    fill,
    fonts,
    new_canvas,
    put,
    shown_days,
    stamp_line,
    strike,
    time_range,
    week_line,
)
from kvds_desktop.reports.layout.grid import closure_on
from kvds_desktop.reports.model import CandidateWeek, PlacementItem, Stamp

PAGE_W, PAGE_H = (float(side) for side in A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 42.0, 40.0, 36.0
TIME_W = 118.0
SMALLEST_SCALE = 0.6

PLACEMENT_KIND: dict[str, str] = {
    "vrijwilligerswerk": N_("Volunteer work"),
    "stage": N_("Internship"),
    "werkervaringsplaats": N_("Work experience placement"),
    "proefplaatsing": N_("Trial placement"),
    "betaald_werk": N_("Paid work"),
    "opleiding": N_("Education"),
}


@dataclass
class Entry:
    """One thing on a day: a lesson or a placement."""

    when: str
    title: str
    lines: list[str] = field(default_factory=list)
    cancelled: str | None = None  # the reason, when cancelled


@dataclass
class _Pen:
    """Writes lines down the page at a scale; without a canvas it only measures."""

    canvas: Canvas | None
    scale: float
    y: float = PAGE_H - MARGIN_TOP

    def line(
        self,
        x: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        color: Color = INK,
        advance: bool = True,
        struck: bool = False,
    ) -> None:
        f = fonts()
        size *= self.scale
        font = f.bold if bold else f.regular
        baseline = self.y - size
        if self.canvas is not None:
            width = PAGE_W - MARGIN_X - x
            put(self.canvas, x, baseline, text, font, size, width=width, color=color)
            if struck:
                self.canvas.setStrokeColor(INK)
                strike(self.canvas, x, baseline, text, font, size)
        if advance:
            self.y -= size * 1.35

    def band(self, text: str, size: float) -> None:
        height = size * self.scale * 1.7
        if self.canvas is not None:
            fill(self.canvas, Box(MARGIN_X, self.y - height, PAGE_W - 2 * MARGIN_X, height), LIGHT)
        self.y -= size * self.scale * 0.3
        self.line(MARGIN_X + 6, text, size, bold=True)
        self.y -= size * self.scale * 0.3

    def gap(self, points: float) -> None:
        self.y -= points * self.scale


def placement_label(kind: str, tr: Translator) -> str:
    """The kind of a placement in the chosen language."""
    return tr._(PLACEMENT_KIND.get(kind, kind))


def _hours(placement: PlacementItem, tr: Translator) -> str:
    hours = placement.hours_per_week
    if not hours:
        return ""
    return tr.ngettext("{count} hour a week", "{count} hours a week", hours).format(count=hours)


def _entries(week: CandidateWeek, day: date, tr: Translator) -> list[Entry]:
    entries = []
    for item in sorted(week.lessons, key=lambda s: (s.lesson.day, s.lesson.start)):
        lesson = item.lesson
        if lesson.day != day:
            continue
        place = ", ".join(p for p in (item.location, item.address) if p)
        room = tr._("online") if lesson.online else lesson.room
        details = " · ".join(
            p
            for p in (
                f"{tr._('Room')}: {room}" if room else "",
                f"{tr._('Teacher')}: {lesson.teacher}" if lesson.teacher else "",
            )
            if p
        )
        entries.append(
            Entry(
                when=time_range(lesson.start, lesson.end),
                title=lesson.activity.pick(tr.language),
                lines=[line for line in (f"{item.group_name} · {place}", details) if line],
                cancelled=(lesson.cancel_reason or "—") if lesson.cancelled else None,
            )
        )
    for placement in week.placements:
        on = day.isoweekday() in placement.weekdays
        running = placement.start <= day and (placement.end is None or day <= placement.end)
        if on and running:
            lines = [line for line in (placement.address, _hours(placement, tr)) if line]
            label = placement_label(placement.kind, tr)
            entries.append(Entry(label, placement.organisation, lines))
    return entries


def _draw(pen: _Pen, week: CandidateWeek, stamp: Stamp, tr: Translator) -> float:
    """Write the page with ``pen``; return the lowest y reached."""
    days = shown_days(week.days, [s.lesson.day for s in week.lessons])
    if pen.canvas is not None:
        put(pen.canvas, PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 14,
            stamp_line(tr, stamp.printed_on, None), fonts().regular, 9, align="right")  # fmt: skip
    pen.line(MARGIN_X, week.name, 22, bold=True)
    pen.line(MARGIN_X, f"{tr._('Weekly schedule')} · {week.short_id}", 13, color=GREY)
    pen.line(MARGIN_X, week_line(tr, week.iso_week, days[0], days[-1]), 14)
    pen.gap(8)
    for day in days:
        pen.band(tr.date(day, "EEEE d MMMM"), 15)
        pen.gap(3)
        closure = closure_on(week.closures, day)
        if closure is not None:
            pen.line(MARGIN_X + 6, tr._("Closed: {name}").format(name=closure.name), 14,
                     bold=True, color=ALERT)  # fmt: skip
        entries = _entries(week, day, tr)
        if not entries and closure is None:
            pen.line(MARGIN_X + 6, tr._("No lessons"), 13, color=GREY)
        for entry in entries:
            pen.line(MARGIN_X + 6, entry.when, 14, bold=True, advance=False)
            struck = entry.cancelled is not None
            color = GREY if struck else INK
            pen.line(MARGIN_X + TIME_W, entry.title, 14, bold=True, color=color, struck=struck)
            if entry.cancelled is not None:
                reason = tr._("Cancelled: {reason}").format(reason=entry.cancelled)
                pen.line(MARGIN_X + TIME_W, reason, 12.5, color=ALERT)
            for text in entry.lines:
                pen.line(MARGIN_X + TIME_W, text, 12.5)
            pen.gap(4)
        pen.gap(6)
    loose = [p for p in week.placements if not p.weekdays]
    if loose:
        pen.band(tr._("Placements"), 13)
        for placement in loose:
            text = f"{placement_label(placement.kind, tr)}: {placement.organisation}"
            pen.line(MARGIN_X + 6, text, 12.5, bold=True)
            extra = [placement.address, _hours(placement, tr)]
            pen.line(MARGIN_X + 6, " · ".join(e for e in extra if e), 12)
    return pen.y


def candidate_schedule_pdf(week: CandidateWeek, stamp: Stamp, tr: Translator) -> bytes:
    """A candidate's week on one A4 page (portrait), as a PDF."""
    needed = PAGE_H - MARGIN_TOP - _draw(_Pen(None, 1.0), week, stamp, tr)
    room = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    scale = 1.0 if needed <= room else max(SMALLEST_SCALE, room / needed)
    buffer = io.BytesIO()
    title = f"{week.short_id} {week.iso_year}-W{week.iso_week:02d}"
    canvas = new_canvas(buffer, (PAGE_W, PAGE_H), title)
    _draw(_Pen(canvas, scale), week, stamp, tr)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
