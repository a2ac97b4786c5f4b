"""The weekly group overview, A4 landscape: the week grid and the attendance list.

The paper copy is the presentielijst of the quality mark (Blik op Werk norm 2.9.2):
per lesson a box for the initials of every present participant and the teacher's
signature. Every page repeats the header (group, week, printed on, version), the
column heads with each lesson's short id and QR code, and "page x of y"; the week grid
opens the first page. Sizes are chosen to be read at arm's length: names at 10 pt or
more, boxes of about 20 x 6 mm for initials.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from kvds_desktop.i18n import Translator
from kvds_desktop.reports.layout.common import (
    FAINT,
    GREY,
    INK,
    LIGHT,
    Box,
    cell_lines,
    draw_qr,
    fill,
    fit,
    fit_size,
    fonts,
    hatch,
    new_canvas,
    page_line,
    put,
    shown_days,
    stamp_line,
    text_width,
    time_range,
    week_line,
)
from kvds_desktop.reports.layout.grid import GridStyle, draw_week_grid, grid_height
from kvds_desktop.reports.model import GroupWeek, LessonItem, MemberItem, Stamp

PAGE_W, PAGE_H = (float(side) for side in landscape(A4))
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 28.0, 22.0, 18.0
HEADER_H, GAP, FOOTER_H = 46.0, 6.0, 14.0
HEAD_H, ROW_H, SIGN_H, TOTAL_H = 70.0, 17.0, 30.0, 17.0
NO_W, ID_W, NAME_MIN, NAME_MAX = 22.0, 62.0, 170.0, 250.0
COL_MIN, COL_MAX = 62.0, 100.0
NAME_SIZE, NAME_SMALLEST = 10.5, 10.0
QR_SIZE, PAD = 36.0, 3.0
MIN_EMPTY, MAX_EMPTY = 2, 6
MIN_ROWS_UNDER_GRID = 4
GRID = GridStyle()


@dataclass(frozen=True)
class Columns:
    """The lesson columns of one sheet and the widths of the table."""

    lessons: tuple[LessonItem, ...]
    name_w: float
    col_w: float

    @property
    def width(self) -> float:
        """The table's width."""
        return NO_W + self.name_w + ID_W + self.col_w * len(self.lessons)


@dataclass(frozen=True)
class Sheet:
    """One printed page of a group's overview."""

    columns: Columns
    rows: tuple[MemberItem | None, ...]  # None: an empty row for a newcomer
    first_number: int
    with_grid: bool
    with_table: bool
    with_totals: bool


def _content_width() -> float:
    return PAGE_W - 2 * MARGIN_X


def _column_sets(lessons: Sequence[LessonItem]) -> list[Columns]:
    """Split the lessons into sheets of columns that stay wide enough to write in."""
    room = _content_width() - NO_W - ID_W - NAME_MIN
    per_sheet = max(1, int(room // COL_MIN))
    count = max(1, -(-len(lessons) // per_sheet))
    size = -(-len(lessons) // count) if lessons else 0
    sets = []
    for index in range(count):
        part = tuple(lessons[index * size : (index + 1) * size])
        col_w = min(COL_MAX, room / len(part)) if part else 0.0
        name_w = min(NAME_MAX, _content_width() - NO_W - ID_W - col_w * len(part))
        sets.append(Columns(part, name_w, col_w))
    return sets


def _capacity(grid_h: float | None, totals: bool) -> int:
    free = PAGE_H - MARGIN_TOP - HEADER_H - HEAD_H - SIGN_H - FOOTER_H - MARGIN_BOTTOM
    if grid_h is not None:
        free -= grid_h + GAP
    if totals:
        free -= TOTAL_H
    return max(0, int(free // ROW_H))


def plan_sheets(week: GroupWeek) -> list[Sheet]:
    """The pages of a group's overview: column sets times pages of rows.

    The last page of each column set holds at least one member (when there are any),
    a few empty rows for newcomers and the totals row. A week without lessons (closed,
    or every lesson cancelled) is one page: the grid says why.
    """
    listed = [lesson for lesson in week.lessons if not lesson.cancelled]
    grid_h = grid_height(week.lessons, _days(week), GRID)
    if not listed:
        return [Sheet(Columns((), 0.0, 0.0), (), 1, True, False, False)]
    sheets: list[Sheet] = []
    for set_index, columns in enumerate(_column_sets(listed)):
        rest = list(week.members)
        number = 1
        with_grid = set_index == 0
        if with_grid and _capacity(grid_h, True) < MIN_ROWS_UNDER_GRID:
            sheets.append(Sheet(columns, (), 1, True, False, False))
            with_grid = False
        while True:
            grid = grid_h if with_grid else None
            last_room = _capacity(grid, True)
            if len(rest) + MIN_EMPTY <= last_room:
                empty = min(MAX_EMPTY, last_room - len(rest))
                rows: tuple[MemberItem | None, ...] = (*rest, *([None] * empty))
                sheets.append(Sheet(columns, rows, number, with_grid, True, True))
                break
            take = max(1, min(_capacity(grid, False), len(rest) - 1))
            sheets.append(Sheet(columns, tuple(rest[:take]), number, with_grid, True, False))
            rest, number, with_grid = rest[take:], number + take, False
    return sheets


def _days(week: GroupWeek) -> list[date]:
    return shown_days(week.days, (lesson.day for lesson in week.lessons))


def _names(values: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(v for v in values if v))


def _header(canvas: Canvas, week: GroupWeek, stamp: Stamp, tr: Translator) -> float:
    f = fonts()
    top = PAGE_H - MARGIN_TOP
    left, right = MARGIN_X, PAGE_W - MARGIN_X
    days = _days(week)
    title = " · ".join(p for p in (week.group_name, week.level_band, week.location) if p)
    stamp_text = stamp_line(tr, stamp.printed_on, stamp.version)
    put(canvas, right, top - 12, stamp_text, f.regular, 9, align="right")
    stamp_w = canvas.stringWidth(stamp_text, f.regular, 9) + 12
    put(canvas, left, top - 14, title, f.bold, 15, width=right - left - stamp_w)
    put(canvas, left, top - 29, week_line(tr, week.iso_week, days[0], days[-1]), f.regular, 11.5)
    held = [lesson for lesson in week.lessons if not lesson.cancelled] or list(week.lessons)
    rooms = [tr._("online") if lesson.online else lesson.room for lesson in held]
    facts = "    ".join(
        f"{label}: {names}"
        for label, names in (
            (tr._("Teachers"), _names(lesson.teacher for lesson in held)),
            (tr._("Rooms"), _names(rooms)),
        )
        if names
    )
    put(canvas, left, top - 41, facts, f.regular, 9, width=right - left)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.line(left, top - HEADER_H + 2, right, top - HEADER_H + 2)
    return top - HEADER_H


def _footer(canvas: Canvas, week: GroupWeek, tr: Translator, page: int, pages: int) -> None:
    f = fonts()
    y = MARGIN_BOTTOM + 3
    where = f"{week.group_name} · {week.week_key} · {page_line(tr, page, pages)}"
    put(canvas, PAGE_W - MARGIN_X, y, where, f.bold, 9, align="right")
    room = _content_width() - canvas.stringWidth(where, f.bold, 9) - 16
    legend = "  ".join(f"{s.code} {s.label.pick(tr.language)}" for s in week.statuses)
    hint = tr._("Absent: the teacher writes the code.")
    text = f"{legend}  ·  {hint}" if legend else hint
    if legend and text_width(text, f.regular, 6.5) > room:
        text = legend  # the codes matter more than the hint
    size = fit_size(text, f.regular, 8, 6.5, room)
    put(canvas, MARGIN_X, y, text, f.regular, size, width=room)


def _column_heads(canvas: Canvas, columns: Columns, top: float, tr: Translator) -> None:
    f = fonts()
    left = MARGIN_X
    fill(canvas, Box(left, top - HEAD_H, columns.width, HEAD_H), LIGHT)
    name_x = left + NO_W
    put(canvas, name_x + PAD, top - 14, tr._("Attendance list"), f.bold, 12,
        width=columns.name_w + ID_W - 2 * PAD)  # fmt: skip
    hints = (tr._("Present: write your initials in the box."),
             tr._("Teacher: sign under every lesson."))  # fmt: skip
    for index, hint in enumerate(hints):
        width = columns.name_w - 2 * PAD
        size = fit_size(hint, f.regular, 8, 6.5, width)
        put(canvas, name_x + PAD, top - 27 - 10 * index, hint, f.regular, size, width=width)
    bottom = top - HEAD_H + 5
    put(canvas, left + NO_W - PAD, bottom, tr._("No."), f.bold, 8.5, align="right")
    put(canvas, name_x + PAD, bottom, tr._("Name"), f.bold, 8.5)
    put(canvas, name_x + columns.name_w + PAD, bottom, tr._("Id"), f.bold, 8.5)
    x = name_x + columns.name_w + ID_W
    for lesson in columns.lessons:
        middle = x + columns.col_w / 2
        width = columns.col_w - 2 * PAD
        day = tr.date(lesson.day, "EEE d MMM")
        size = fit_size(day, f.bold, 9, 7.5, width)
        put(canvas, middle, top - 11, day, f.bold, size, width=width, align="center")
        hours = time_range(lesson.start, lesson.end)
        size = fit_size(hours, f.regular, 8.5, 7.5, width)
        put(canvas, middle, top - 21, hours, f.regular, size, width=width, align="center")
        draw_qr(canvas, lesson.uid, middle - QR_SIZE / 2, top - 24 - QR_SIZE, QR_SIZE)
        put(canvas, middle, top - HEAD_H + 3.5, lesson.short_id, f.regular, 7, align="center")
        x += columns.col_w


def _row(
    canvas: Canvas, columns: Columns, y: float, number: int, member: MemberItem | None
) -> None:
    f = fonts()
    left = MARGIN_X
    base = y - ROW_H + 5
    put(canvas, left + NO_W - PAD, base, str(number), f.regular, 9, align="right", color=GREY)
    x = left + NO_W + columns.name_w + ID_W
    if member is None:
        return
    size = fit_size(member.name, f.regular, NAME_SIZE, NAME_SMALLEST, columns.name_w - 2 * PAD)
    put(canvas, left + NO_W + PAD, base, member.name, f.regular, size,
        width=columns.name_w - 2 * PAD)  # fmt: skip
    put(canvas, left + NO_W + columns.name_w + PAD, base, member.short_id, f.regular, 8.5,
        width=ID_W - 2 * PAD)  # fmt: skip
    for lesson in columns.lessons:
        cell = Box(x, y - ROW_H, columns.col_w, ROW_H)
        if not member.member_on(lesson.day):
            hatch(canvas, cell, GREY, 4.0)
        code = member.marks.get(lesson.uid)
        if code:
            put(canvas, x + 2, y - 7, code, f.bold, 7, color=GREY)
        x += columns.col_w


def _signature_and_totals(
    canvas: Canvas, columns: Columns, y: float, totals: bool, tr: Translator
) -> float:
    f = fonts()
    left = MARGIN_X
    name_x = left + NO_W + PAD
    first = left + NO_W + columns.name_w + ID_W
    put(canvas, name_x, y - 18, tr._("Teacher's signature"), f.bold, 9.5,
        width=columns.name_w + ID_W - 2 * PAD)  # fmt: skip
    for index, lesson in enumerate(columns.lessons):
        middle = first + (index + 0.5) * columns.col_w
        put(canvas, middle, y - SIGN_H + 3, lesson.teacher, f.regular, 6.5,
            width=columns.col_w - 2 * PAD, align="center", color=GREY)  # fmt: skip
    y -= SIGN_H
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.line(left, y, left + columns.width, y)
    if not totals:
        return y
    put(canvas, name_x, y - ROW_H + 5, tr._("Present (total)"), f.bold, 9.5,
        width=columns.name_w + ID_W - 2 * PAD)  # fmt: skip
    for index, lesson in enumerate(columns.lessons):
        if lesson.present is not None:
            middle = first + (index + 0.5) * columns.col_w
            put(canvas, middle, y - ROW_H + 5, str(lesson.present), f.bold, 10, align="center")
    return y - ROW_H


def _table(canvas: Canvas, sheet: Sheet, top: float, tr: Translator) -> None:
    columns = sheet.columns
    left = MARGIN_X
    _column_heads(canvas, columns, top, tr)
    y = top - HEAD_H
    table_top = top
    for index in range(1, len(sheet.rows), 2):  # every other row shaded, under the lines
        fill(canvas, Box(left, y - (index + 1) * ROW_H, columns.width, ROW_H), FAINT)
    for index, member in enumerate(sheet.rows):
        _row(canvas, columns, y, sheet.first_number + index, member)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.4)
        canvas.line(left, y - ROW_H, left + columns.width, y - ROW_H)
        y -= ROW_H
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.line(left, top - HEAD_H, left + columns.width, top - HEAD_H)
    bottom = _signature_and_totals(canvas, columns, y, sheet.with_totals, tr)
    canvas.setLineWidth(0.4)
    x = left + NO_W
    for width in (columns.name_w, ID_W):
        canvas.line(x, table_top, x, bottom)
        x += width
    canvas.setLineWidth(0.8)
    for _lesson in columns.lessons:
        canvas.line(x, table_top, x, bottom)
        x += columns.col_w
    cell_lines(canvas, Box(left, bottom, columns.width, table_top - bottom), 0.8)


def draw_group_week(canvas: Canvas, week: GroupWeek, stamp: Stamp, tr: Translator) -> int:
    """Draw every page of one group's overview on ``canvas``; return the page count."""
    sheets = plan_sheets(week)
    days = _days(week)
    for page, sheet in enumerate(sheets, start=1):
        top = _header(canvas, week, stamp, tr)
        if sheet.with_grid:
            height = grid_height(week.lessons, days, GRID)
            box = Box(MARGIN_X, top - height, _content_width(), height)
            draw_week_grid(canvas, box, days, week.lessons, week.closures, tr, GRID)
            top -= height + GAP
        if sheet.with_table:
            _table(canvas, sheet, top, tr)
        elif not sheet.columns.lessons:
            put(canvas, MARGIN_X, top - 20, tr._("No lessons this week."), fonts().bold, 13)
        _footer(canvas, week, tr, page, len(sheets))
        canvas.showPage()
    return len(sheets)


def weekly_overview_pdf(week: GroupWeek, stamp: Stamp, tr: Translator) -> bytes:
    """The overview of one group as a PDF."""
    return weekly_overviews_pdf([(week, stamp)], tr, title=f"{week.group_name} {week.week_key}")


def weekly_overviews_pdf(
    weeks: Iterable[tuple[GroupWeek, Stamp]], tr: Translator, *, title: str
) -> bytes:
    """The overviews of several groups in one PDF, each with its own page numbers.

    ``weeks`` may be a generator: an exception it raises (a cancelled print job) ends
    the document without a result.
    """
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (PAGE_W, PAGE_H), title)
    pages = 0
    for week, stamp in weeks:
        pages += draw_group_week(canvas, week, stamp, tr)
    if not pages:
        put(canvas, MARGIN_X, PAGE_H / 2, fit(tr._("Nothing to print."), fonts().bold, 14,
            _content_width()), fonts().bold, 14)  # fmt: skip
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
