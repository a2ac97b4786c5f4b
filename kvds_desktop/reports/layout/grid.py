"""The week grid of a group: weekdays across, time blocks down, one lesson per cell.

A cell shows the activity, the teacher and the room. A cancelled lesson is struck
through with its reason; a closed day is shaded with the closure's name; a day without
lessons is hatched, so nobody wonders whether it was forgotten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from kvds_desktop.i18n import Translator
from kvds_desktop.reports.fonts import text_width
from kvds_desktop.reports.layout.common import (
    ALERT,
    GREY,
    INK,
    LIGHT,
    WHITE,
    Box,
    cell_lines,
    fill,
    fit,
    fit_size,
    fonts,
    hatch,
    put,
    strike,
    time_range,
)
from kvds_desktop.reports.model import ClosureItem, LessonItem

PAD = 3.0


@dataclass(frozen=True)
class GridStyle:
    """Sizes of the grid in points."""

    head_size: float = 9.0
    text_size: float = 8.5
    step: float = 10.5  # distance between two text lines
    head_height: float = 14.0
    time_width: float = 64.0

    def lesson_height(self) -> float:
        """The height one lesson takes in a cell (two lines)."""
        return 2 * self.step + PAD


def time_blocks(lessons: Sequence[LessonItem]) -> list[tuple[time, time]]:
    """The distinct (start, end) pairs of the lessons, in the order of the day."""
    return sorted({(lesson.start, lesson.end) for lesson in lessons})


def _cells(lessons: Sequence[LessonItem]) -> dict[tuple[date, time, time], list[LessonItem]]:
    cells: dict[tuple[date, time, time], list[LessonItem]] = defaultdict(list)
    for lesson in lessons:
        cells[(lesson.day, lesson.start, lesson.end)].append(lesson)
    return cells


def _row_heights(
    lessons: Sequence[LessonItem], days: Sequence[date], style: GridStyle
) -> list[float]:
    cells = _cells(lessons)
    if not lessons:  # room for a closure's name on two lines
        return [1.5 * style.lesson_height()]
    heights = []
    for start, end in time_blocks(lessons):
        most = max((len(cells.get((day, start, end), [])) for day in days), default=0)
        heights.append(max(1, most) * style.lesson_height())
    return heights


def grid_height(lessons: Sequence[LessonItem], days: Sequence[date], style: GridStyle) -> float:
    """The height :func:`draw_week_grid` will use."""
    return style.head_height + sum(_row_heights(lessons, days, style))


def closure_on(closures: Sequence[ClosureItem], day: date) -> ClosureItem | None:
    """The closure covering ``day``, if any."""
    return next((c for c in closures if c.covers(day)), None)


def draw_week_grid(
    canvas: Canvas,
    box: Box,
    days: Sequence[date],
    lessons: Sequence[LessonItem],
    closures: Sequence[ClosureItem],
    tr: Translator,
    style: GridStyle,
) -> None:
    """Draw the grid in ``box`` (its height from :func:`grid_height`)."""
    f = fonts()
    day_width = (box.w - style.time_width) / max(1, len(days))
    blocks = time_blocks(lessons)
    heights = _row_heights(lessons, days, style)
    cells = _cells(lessons)
    labels: list[tuple[Box, str, str, Color]] = []  # drawn last, over the lines
    body_top = box.top - style.head_height
    body = Box(box.x + style.time_width, box.y, box.w - style.time_width, body_top - box.y)
    for index, day in enumerate(days):
        column = Box(body.x + index * day_width, body.y, day_width, body.h)
        closure = closure_on(closures, day)
        held = [lesson for lesson in lessons if lesson.day == day and not lesson.cancelled]
        heading = tr.date(day, "EEEE d MMM")
        if closure is not None:
            fill(canvas, column, LIGHT)
            text = tr._("Closed: {name}").format(name=closure.name)
            if any(lesson.day == day for lesson in lessons):  # no room in the cells: say it on top
                heading = f"{tr.date(day, 'EEE d MMM')} · {text}"
            else:
                labels.append((column, text, f.bold, INK))
        elif not held:
            hatch(canvas, column)
            labels.append((column, tr._("No lessons"), f.regular, GREY))
        header = Box(column.x, body_top, day_width, style.head_height)
        fill(canvas, header, LIGHT)
        size = fit_size(heading, f.bold, style.head_size, 7.0, day_width - 2 * PAD)
        put(canvas, header.x + day_width / 2, header.y + 4, heading, f.bold, size,
            width=day_width - 2 * PAD, align="center")  # fmt: skip
    top = body_top
    for (start, end), height in zip(blocks, heights, strict=False):
        put(canvas, box.x + PAD, top - style.step, time_range(start, end), f.regular,
            style.text_size, width=style.time_width - 2 * PAD)  # fmt: skip
        for index, day in enumerate(days):
            x = body.x + index * day_width + PAD
            y = top
            for lesson in cells.get((day, start, end), []):
                _lesson(canvas, lesson, x, y, day_width - 2 * PAD, tr, style)
                y -= style.lesson_height()
        top -= height
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.4)
        canvas.line(box.x, top, box.right, top)
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    for index in range(1, len(days)):
        x = body.x + index * day_width
        canvas.line(x, box.y, x, box.top)
    canvas.line(body.x, box.y, body.x, box.top)
    canvas.line(box.x, body_top, box.right, body_top)
    for column, text, font, color in labels:
        label(canvas, column, text, font, style.text_size, color)
    cell_lines(canvas, box, 0.8)


def label(canvas: Canvas, box: Box, text: str, font: str, size: float, color: Color = INK) -> None:
    """Centre ``text`` in ``box`` on a white ground, so it reads over shading and hatching.

    A text too wide for the box takes two lines when the box is high enough.
    """
    room = box.w - 4 * PAD
    lines = wrap(text, font, size, room, 2 if box.h >= 3.2 * size else 1)
    width = max(canvas.stringWidth(line, font, size) for line in lines)
    step = size * 1.2
    middle = box.y + box.h / 2
    height = step * len(lines) + size * 0.3
    fill(canvas, Box(box.x + (box.w - width) / 2 - PAD, middle - height / 2, width + 2 * PAD,
                     height), WHITE)  # fmt: skip
    y = middle + step * (len(lines) - 1) / 2 - size * 0.35
    for line in lines:
        put(canvas, box.x + box.w / 2, y, line, font, size, align="center", color=color)
        y -= step


def wrap(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """``text`` in at most ``most`` lines of ``width``; the last one cut when needed."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < most - 1:
        count = len(words)
        while count > 1 and text_width(" ".join(words[:count]), font, size) > width:
            count -= 1
        lines.append(" ".join(words[:count]))
        words = words[count:]
    if words:
        lines.append(fit(" ".join(words), font, size, width))
    return [line for line in lines if line] or [""]


def lesson_title(lesson: LessonItem, language: str) -> str:
    """'NT2 Dutch as a second language'."""
    return f"{lesson.activity_code} {lesson.activity.pick(language)}".strip()


def lesson_place(lesson: LessonItem, tr: Translator) -> str:
    """'Bas Bakker · Lokaal 1' (or online)."""
    place = tr._("online") if lesson.online else lesson.room
    return " · ".join(part for part in (lesson.teacher, place) if part)


def _lesson(
    canvas: Canvas,
    lesson: LessonItem,
    x: float,
    top: float,
    width: float,
    tr: Translator,
    style: GridStyle,
) -> None:
    f = fonts()
    first = top - style.step + 1
    title = fit(lesson_title(lesson, tr.language), f.bold, style.text_size, width)
    if lesson.cancelled:
        put(canvas, x, first, title, f.bold, style.text_size, color=GREY)
        canvas.setStrokeColor(INK)
        strike(canvas, x, first, title, f.bold, style.text_size)
        reason = tr._("Cancelled: {reason}").format(reason=lesson.cancel_reason or "—")
        put(canvas, x, first - style.step, reason, f.regular, style.text_size, width=width,
            color=ALERT)  # fmt: skip
        return
    put(canvas, x, first, title, f.bold, style.text_size)
    put(canvas, x, first - style.step, lesson_place(lesson, tr), f.regular, style.text_size,
        width=width)  # fmt: skip
