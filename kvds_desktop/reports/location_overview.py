"""The location overview, A4 landscape: every group of one location in one week.

One row per group (name, level band, members), one column per weekday; a cell lists the
group's lessons that day with time, activity, teacher and room. Rows never break over a
page; the day heads and the page header repeat. A pilot location fits on one page, a
large one on a few.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from kvds_desktop.i18n import Translator
from kvds_desktop.reports.layout.common import (
    ALERT,
    GREY,
    INK,
    LIGHT,
    Box,
    cell_lines,
    fill,
    fit,
    fonts,
    hatch,
    new_canvas,
    page_line,
    put,
    shown_days,
    stamp_line,
    strike,
    time_range,
    week_line,
)
from kvds_desktop.reports.layout.grid import closure_on, label, lesson_place
from kvds_desktop.reports.model import GroupWeek, LessonItem, LocationWeek, Stamp

PAGE_W, PAGE_H = (float(side) for side in landscape(A4))
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 28.0, 22.0, 18.0
HEADER_H, HEAD_H, FOOTER_H = 50.0, 16.0, 14.0
GROUP_W, PAD = 150.0, 3.0
SIZE, STEP = 8.5, 10.5
GROUP_MIN_H = 40.0


def _days(week: LocationWeek) -> list[date]:
    busy = [lesson.day for group in week.groups for lesson in group.lessons]
    return shown_days(week.days, busy)


def _row_height(group: GroupWeek, days: Sequence[date]) -> float:
    most = max((sum(1 for lesson in group.lessons if lesson.day == day) for day in days), default=0)
    return max(GROUP_MIN_H, most * 2 * STEP + 2 * PAD)


def _pages(week: LocationWeek, days: Sequence[date]) -> list[list[GroupWeek]]:
    room = PAGE_H - MARGIN_TOP - HEADER_H - HEAD_H - FOOTER_H - MARGIN_BOTTOM
    pages: list[list[GroupWeek]] = [[]]
    used = 0.0
    for group in week.groups:
        height = _row_height(group, days)
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(group)
        used += height
    return pages


def _header(canvas: Canvas, week: LocationWeek, stamp: Stamp, tr: Translator) -> float:
    f = fonts()
    top = PAGE_H - MARGIN_TOP
    left, right = MARGIN_X, PAGE_W - MARGIN_X
    days = _days(week)
    put(canvas, right, top - 12, stamp_line(tr, stamp.printed_on, None), f.regular, 9,
        align="right")  # fmt: skip
    title = f"{week.location} · {tr._('Groups')}"
    put(canvas, left, top - 14, title, f.bold, 15, width=right - left - 200)
    put(canvas, left, top - 29, week_line(tr, week.iso_week, days[0], days[-1]), f.regular, 11.5)
    count = len(week.groups)
    members = sum(len(group.members) for group in week.groups)
    facts = tr.ngettext("{count} group", "{count} groups", count).format(count=count)
    facts += " · " + tr.ngettext("{count} member", "{count} members", members).format(count=members)
    closed = [
        tr._("Closed: {name}").format(name=c.name)
        + f" ({tr.date(c.first, 'd MMM')}–{tr.date(c.last, 'd MMM')})"
        for c in week.closures
    ]
    put(canvas, left, top - 42, "    ".join([facts, *closed]), f.regular, 9, width=right - left)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.line(left, top - HEADER_H + 2, right, top - HEADER_H + 2)
    return top - HEADER_H


def _lesson(
    canvas: Canvas, lesson: LessonItem, x: float, y: float, w: float, tr: Translator
) -> None:
    f = fonts()
    title = fit(f"{time_range(lesson.start, lesson.end)} {lesson.activity_code}", f.bold, SIZE, w)
    if lesson.cancelled:
        put(canvas, x, y, title, f.bold, SIZE, color=GREY)
        canvas.setStrokeColor(INK)
        strike(canvas, x, y, title, f.bold, SIZE)
        reason = tr._("Cancelled: {reason}").format(reason=lesson.cancel_reason or "—")
        put(canvas, x, y - STEP, reason, f.regular, SIZE, width=w, color=ALERT)
        return
    put(canvas, x, y, title, f.bold, SIZE)
    put(canvas, x, y - STEP, lesson_place(lesson, tr), f.regular, SIZE, width=w)


def _group_row(
    canvas: Canvas, group: GroupWeek, days: Sequence[date], top: float, tr: Translator
) -> float:
    f = fonts()
    height = _row_height(group, days)
    day_w = (PAGE_W - 2 * MARGIN_X - GROUP_W) / len(days)
    left = MARGIN_X
    put(canvas, left + PAD, top - 12, group.group_name, f.bold, 10.5, width=GROUP_W - 2 * PAD)
    put(canvas, left + PAD, top - 23, group.level_band, f.regular, SIZE, width=GROUP_W - 2 * PAD)
    members = tr.ngettext("{count} member", "{count} members", len(group.members))
    put(canvas, left + PAD, top - 34, members.format(count=len(group.members)), f.regular, SIZE,
        width=GROUP_W - 2 * PAD, color=GREY)  # fmt: skip
    for index, day in enumerate(days):
        cell = Box(left + GROUP_W + index * day_w, top - height, day_w, height)
        lessons = [lesson for lesson in group.lessons if lesson.day == day]
        closure = closure_on(group.closures, day)
        if closure is not None:
            fill(canvas, cell, LIGHT)
            if not lessons:
                label(canvas, cell, tr._("Closed: {name}").format(name=closure.name), f.bold, SIZE)
        elif not any(not lesson.cancelled for lesson in lessons):
            hatch(canvas, cell)
        y = top - PAD - SIZE
        for lesson in lessons:
            _lesson(canvas, lesson, cell.x + PAD, y, day_w - 2 * PAD, tr)
            y -= 2 * STEP
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    canvas.line(left, top - height, PAGE_W - MARGIN_X, top - height)
    return top - height


def _page(
    canvas: Canvas,
    week: LocationWeek,
    groups: Sequence[GroupWeek],
    stamp: Stamp,
    tr: Translator,
    number: tuple[int, int],
) -> None:
    f = fonts()
    days = _days(week)
    top = _header(canvas, week, stamp, tr)
    left, width = MARGIN_X, PAGE_W - 2 * MARGIN_X
    day_w = (width - GROUP_W) / len(days)
    fill(canvas, Box(left, top - HEAD_H, width, HEAD_H), LIGHT)
    put(canvas, left + PAD, top - 11.5, tr._("Group"), f.bold, 9)
    for index, day in enumerate(days):
        middle = left + GROUP_W + (index + 0.5) * day_w
        label = tr.date(day, "EEEE d MMM")
        put(canvas, middle, top - 11.5, label, f.bold, 9, width=day_w - 2 * PAD, align="center")
    y = top - HEAD_H
    for group in groups:
        y = _group_row(canvas, group, days, y, tr)
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    for index in range(len(days) + 1):
        x = left + GROUP_W + index * day_w
        canvas.line(x, y, x, top)
    cell_lines(canvas, Box(left, y, width, top - y), 0.8)
    if not groups:
        put(canvas, left, y - 20, tr._("No groups in this week."), f.bold, 12)
    where = f"{week.location} · {week.iso_year}-W{week.iso_week:02d} · "
    put(canvas, PAGE_W - MARGIN_X, MARGIN_BOTTOM + 3, where + page_line(tr, *number), f.bold, 9,
        align="right")  # fmt: skip


def location_overview_pdf(week: LocationWeek, stamp: Stamp, tr: Translator) -> bytes:
    """The overview of every group of a location in one week, as a PDF."""
    buffer = io.BytesIO()
    title = f"{week.location} {week.iso_year}-W{week.iso_week:02d}"
    canvas = new_canvas(buffer, (PAGE_W, PAGE_H), title)
    pages = _pages(week, _days(week))
    for number, groups in enumerate(pages, start=1):
        _page(canvas, week, groups, stamp, tr, (number, len(pages)))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
