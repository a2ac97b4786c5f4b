"""The attendance workbook for teachers who cannot install the app (XLSX).

One protected sheet per group and week: a row per candidate on the roster, a column
per lesson that takes attendance, and only the status cells open for typing, with a
drop-down of the teacher codes (typed extras such as ``L 10`` or ``M ziek`` stay
allowed). A legend under the table explains the codes in the teacher's language. A
very hidden sheet maps the cells to lesson and candidate uids; :func:`read_workbook`
(in :mod:`~kvds_desktop.services.offline.workbook_read`) reads a filled-in copy back.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.cells import set_text
from kvds_desktop.i18n import Translator
from kvds_desktop.services.attendance.common import REASONS
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline.facts import WORKBOOK_KIND
from kvds_desktop.services.offline.week_scope import (
    GroupInfo,
    RosterMember,
    WeekScope,
    load_week,
    record_sent,
    safe_file_part,
)
from kvds_desktop.services.offline.workbook_layout import (
    COLUMN_RECORD,
    FIRST_LESSON_COLUMN,
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    NAME_COLUMN,
    REASON_LABELS,
    ROW_RECORD,
    STATUS_RECORD,
    WORKBOOK_FORMAT,
    WORKBOOK_VERSION,
    joined,
)
from kvds_desktop.services.offline.workbook_read import UnreadableCell, WorkbookRead, read_workbook
from kvds_desktop.services.scheduling.common import transaction
from kvds_desktop.services.scheduling.lesson_rows import LessonRow
from kvds_desktop.store.database import Database

__all__ = [
    "WORKBOOK_KIND",
    "UnreadableCell",
    "WorkbookExport",
    "WorkbookRead",
    "export_workbook",
    "read_workbook",
]

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
CLOSED_FILL = PatternFill("solid", fgColor="BFBFBF")
OPEN = Protection(locked=False)
FONT = "Calibri"
BOLD = Font(name=FONT, bold=True)
Record = list[object]  # one row of the hidden sheet
LESSON_WIDTH = 17
HEADER_HEIGHT = 80  # five lines: date, time, an activity name over up to three lines
ROW_HEIGHT = 20
MAX_NAME_WIDTH = 40


@dataclass(frozen=True)
class WorkbookExport:
    """A teacher workbook, ready to be saved."""

    pack_uid: str
    data: bytes
    suggested_file_name: str


def _header(lesson: LessonRow, tr: Translator) -> str:
    activity = lesson.activity_name_nl if tr.language == "nl" else lesson.activity_name_en
    when = f"{lesson.start:%H:%M}–{lesson.end:%H:%M}"
    return f"{tr.date(lesson.lesson_date, 'EEE d MMM')}\n{when}\n{activity or lesson.activity_code}"


def _title(sheet: Worksheet, scope: WeekScope, group: GroupInfo, tr: Translator) -> None:
    week = scope.week
    sheet["A1"] = tr._("Attendance {group} – {location}").format(
        group=group.name, location=group.location_name
    )
    sheet["A1"].font = Font(name=FONT, bold=True, size=14)
    sheet["A2"] = tr._("Week {number}: {first} to {last}").format(
        number=week.monday.isocalendar().week,
        first=tr.date(week.monday, "EEEE d MMMM"),
        last=tr.date(week.sunday, "EEEE d MMMM y"),
    )
    sheet["A2"].font = BOLD
    sheet["A3"] = tr._(
        "Write a code in each cell (see the codes under the table); leave a cell empty when "
        "you do not know. Save as .xlsx and send the file back to the coordinator."
    )


def _examples(scope: WeekScope) -> list[str]:
    """How minutes and a reason are written, with this database's codes (``L 10``)."""
    examples = []
    minutes = [s.code for s in scope.statuses if s.needs_minutes]
    if minutes:
        examples.append(f"{minutes[0]} 10")
    reasons = [s.code for s in scope.statuses if s.needs_reason]
    if reasons:
        examples.append(f"{reasons[0]} {REASONS[0]}")
    return examples


def _validation(scope: WeekScope, tr: Translator) -> DataValidation:
    """A drop-down of the codes that still accepts typed extras such as ``L 10``."""
    codes = ",".join(s.code for s in scope.statuses)
    prompt = tr._("Choose a code, or type one with minutes or a reason, like {examples}.")
    return DataValidation(
        type="list", formula1=f'"{codes}"', allow_blank=True, showErrorMessage=True,
        errorStyle="information", showInputMessage=True,
        promptTitle=tr._("Attendance code")[:32],
        prompt=prompt.format(examples=", ".join(_examples(scope)) or codes)[:255],
        errorTitle=tr._("Attendance code")[:32],
        error=tr._("This is not one of the codes. Check it against the codes under the "
                   "table.")[:255],
    )  # fmt: skip


def _header_row(sheet: Worksheet, lessons: Sequence[LessonRow], tr: Translator) -> list[Record]:
    """The column headers; returns the map records of the lesson columns."""
    records: list[Record] = []
    name_cell = sheet.cell(HEADER_ROW, NAME_COLUMN, tr._("Name"))
    name_cell.font, name_cell.fill, name_cell.border = BOLD, HEADER_FILL, BOX
    name_cell.alignment = Alignment(vertical="bottom")
    for offset, lesson in enumerate(lessons):
        column = FIRST_LESSON_COLUMN + offset
        text = _header(lesson, tr)
        cell = sheet.cell(HEADER_ROW, column, text)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = LESSON_WIDTH
        records.append([COLUMN_RECORD, column, lesson.uid, text])
    sheet.row_dimensions[HEADER_ROW].height = HEADER_HEIGHT
    return records


def _member_rows(
    sheet: Worksheet, group: GroupInfo, lessons: Sequence[LessonRow], validation: DataValidation
) -> list[Record]:
    """A row per candidate: open cells on days in the group, grey ones on other days."""
    spans: dict[str, list[RosterMember]] = {}
    for member in group.members:  # a candidate may have two memberships in one week
        spans.setdefault(member.candidate_uid, []).append(member)
    records: list[Record] = []
    for row, (candidate_uid, memberships) in enumerate(spans.items(), start=FIRST_ROW):
        name = sheet.cell(row, NAME_COLUMN)
        set_text(name, memberships[0].name)  # a name is never run as a formula
        name.border, name.alignment = BOX, Alignment(vertical="center")
        sheet.row_dimensions[row].height = ROW_HEIGHT
        closed = []
        for offset, lesson in enumerate(lessons):
            cell = sheet.cell(row, FIRST_LESSON_COLUMN + offset)
            cell.border = BOX
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if any(m.active_on(lesson.lesson_date) for m in memberships):
                cell.protection = OPEN
                validation.add(cell.coordinate)
            else:
                cell.fill = CLOSED_FILL
                closed.append(lesson.uid)
        records.append([ROW_RECORD, row, candidate_uid, memberships[0].name, joined(closed)])
    widest = max(len(str(r[3])) for r in records)
    sheet.column_dimensions["A"].width = min(MAX_NAME_WIDTH, max(widest, 10) + 3)
    return records


def _reasons(tr: Translator) -> list[str]:
    """The reason words a teacher may write, explained where the word is not plain."""
    shown = []
    for reason in REASONS:
        label = tr._(REASON_LABELS[reason])
        plain = label.casefold() == reason.replace("_", " ")
        shown.append(reason if plain else f"{reason} ({label})")
    return shown


def _legend(sheet: Worksheet, row: int, scope: WeekScope, tr: Translator) -> int:
    """The codes and how to write minutes and reasons, from ``row`` on; the last row."""
    sheet.cell(row, NAME_COLUMN, tr._("Codes")).font = BOLD
    for status in scope.statuses:
        row += 1
        label = status.label_nl if tr.language == "nl" else status.label_en
        sheet.cell(row, NAME_COLUMN, f"{status.code}  =  {label}")
    notes = []
    minutes = [s.code for s in scope.statuses if s.needs_minutes]
    if minutes:
        notes.append(tr._(
            "{codes}: write the minutes after the code, for example {example}."
        ).format(codes=", ".join(minutes), example=f"{minutes[0]} 10"))  # fmt: skip
    reasons = [s.code for s in scope.statuses if s.needs_reason]
    if reasons:
        notes.append(tr._(
            "{codes}: write the reason after the code, for example {example}."
        ).format(codes=", ".join(reasons), example=f"{reasons[0]} {REASONS[0]}"))  # fmt: skip
    notes.append(tr._("Reasons: {reasons}.").format(reasons="; ".join(_reasons(tr))))
    notes.append(tr._("A grey cell: the candidate was not in the group on that day."))
    row += 1
    for note in notes:
        row += 1
        sheet.cell(row, NAME_COLUMN, note)
    return row


def _meta(book: Workbook, records: list[Record]) -> None:
    meta = book.create_sheet(META_SHEET)
    for number, record in enumerate(records, start=1):
        for column, value in enumerate(record, start=1):
            if isinstance(value, str):
                set_text(meta.cell(number, column), value)  # read back as written
            else:
                meta.cell(number, column, value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def _page_setup(sheet: Worksheet) -> None:
    sheet.freeze_panes = sheet.cell(FIRST_ROW, FIRST_LESSON_COLUMN).coordinate
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may change; cells stay where they are
    sheet.protection.formatRows = False
    sheet.sheet_view.showGridLines = False


def export_workbook(
    db: Database, *, group_uid: str, week: str, language: str, actor: Actor, now: datetime
) -> WorkbookExport:
    """The attendance workbook of a group's lessons in an ISO week, in ``language``.

    Recorded in ``sent_pack`` (kind ``workbook``) and audited as ``workbook.export``.

    Raises:
        UserError: the week text is wrong; the group is unknown; there are no lessons
            that take attendance that week, or nobody on the roster.
    """
    scope, group_name = load_week(db, week, group_uid=group_uid)
    group = scope.groups[0]
    if not scope.open_lessons or not group.members:
        raise UserError(
            N_("Group {group} has no lessons or no candidates in week {week}; there is "
               "nothing to fill in."),
            group=group_name, week=scope.week.key,
        )  # fmt: skip
    tr = Translator.for_language(language)
    teachers = ", ".join(
        dict.fromkeys(x.teacher_name for x in scope.open_lessons if x.teacher_name)
    )
    label = (teachers or group_name)[:120]
    pack_uid = str(uuid.uuid4())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = tr._("Attendance")[:31]
    _title(sheet, scope, group, tr)
    validation = _validation(scope, tr)
    sheet.add_data_validation(validation)
    cells = _header_row(sheet, scope.open_lessons, tr)
    rows = _member_rows(sheet, group, scope.open_lessons, validation)
    _legend(sheet, FIRST_ROW + len(rows) + 1, scope, tr)
    _page_setup(sheet)
    records: list[Record] = [
        ["format", WORKBOOK_FORMAT], ["version", WORKBOOK_VERSION],
        ["database_uid", scope.database_uid], ["pack_uid", pack_uid], ["group_uid", group.uid],
        ["group_name", group.name], ["week", scope.week.key], ["exported_at", now.isoformat()],
        ["language", tr.language], ["source_label", label], ["sheet", sheet.title],
    ]  # fmt: skip
    records += [[STATUS_RECORD, s.code, int(s.needs_reason), int(s.needs_minutes)]
                for s in scope.statuses]  # fmt: skip
    _meta(book, records + cells + rows)
    book.properties.creator = "KVDS Desktop"
    book.properties.title = str(sheet["A1"].value)
    buffer = io.BytesIO()
    book.save(buffer)
    with transaction(db) as conn:
        record_sent(
            conn, pack_uid=pack_uid, kind="workbook", teacher_name=label, scope=scope,
            actor=actor, now=now, action="workbook.export",
            details={"lessons": len(scope.open_lessons), "candidates": scope.candidate_count,
                     "language": tr.language},
        )  # fmt: skip
    return WorkbookExport(
        pack_uid=pack_uid,
        data=buffer.getvalue(),
        suggested_file_name=f"aanwezigheid-{scope.week.key}-{safe_file_part(group_name)}.xlsx",
    )
