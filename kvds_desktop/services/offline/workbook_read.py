"""Reading a filled-in teacher workbook back into marks for the merge.

The hidden ``kvds`` sheet says which lesson each column and which candidate each row
is; the visible headers and names must still be where the map puts them, otherwise
rows or columns were inserted, deleted or moved and the file is refused as a whole. A
cell is a status code, optionally followed by minutes (``L 10``) or a reason
(``M ziek``). A cell that cannot be understood is never dropped silently: it is
returned as an :class:`UnreadableCell` for the coordinator to look at.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.common import MAX_MINUTES, REASONS
from kvds_desktop.services.offline.facts import (
    WORKBOOK_KIND,
    IncomingFile,
    IncomingMark,
    fact_uid,
    workbook_source,
)
from kvds_desktop.services.offline.workbook_layout import (
    COLUMN_RECORD,
    HEADER_ROW,
    META_SHEET,
    NAME_COLUMN,
    REASON_WORDS,
    ROW_RECORD,
    STATUS_RECORD,
    WORKBOOK_FORMAT,
    WORKBOOK_VERSION,
    one_line,
    same_text,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls files
MAX_SHEET_ROW = 1_048_576  # the most rows (and more than the columns) a worksheet has
MINUTES = re.compile(r"(\d{1,4})\s*(?:m|min|min\.|minuten|minutes)?", re.IGNORECASE)

# Why a cell was not understood (msgids; translate at display time).
UNKNOWN_CODE = N_("not one of the codes in the legend")
NEEDS_MINUTES = N_("the minutes are missing; write them after the code, like L 10")
BAD_MINUTES = N_("the minutes must be a whole number from 1 to 480")
NO_MINUTES_HERE = N_("this code takes no minutes")
NEEDS_REASON = N_("the reason is missing; write it after the code, like M ziek")
UNKNOWN_REASON = N_("not a reason from the legend")
NOT_IN_GROUP = N_("the candidate was not in the group on this day")


@dataclass(frozen=True)
class UnreadableCell:
    """A filled-in cell that could not be understood, with its row and column names.

    ``problem`` says why (an English message id; translate it for display).
    """

    row_name: str
    lesson_header: str
    text: str
    problem: str = ""


@dataclass(frozen=True)
class WorkbookRead:
    """The marks of a workbook, and the cells that could not be understood."""

    incoming: IncomingFile
    unreadable: tuple[UnreadableCell, ...]


@dataclass(frozen=True)
class CodeRule:
    """A status code of the workbook and what must follow it in a cell."""

    code: str
    needs_reason: bool
    needs_minutes: bool


@dataclass
class _Map:
    """The hidden sheet of a workbook."""

    values: dict[str, str] = field(default_factory=dict)
    statuses: list[CodeRule] = field(default_factory=list)
    columns: list[tuple[int, str, str]] = field(default_factory=list)  # column, lesson, header
    rows: list[tuple[int, str, str, frozenset[str]]] = field(default_factory=list)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise UserError(N_("The file {path} does not exist."), path=str(path))
    if path.is_dir():
        raise UserError(N_("{path} is a folder, not a file."), path=str(path))
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise UserError(
            N_(
                "The workbook {name} cannot be opened: another program (Excel?) has it open, "
                "or you have no permission to read it. Close it and try again."
            ),
            name=path.name,
        ) from exc
    except OSError as exc:
        raise UserError(
            N_("The file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc


def _check_not_open(path: Path) -> None:
    """Refuse a workbook a spreadsheet program still has open (its lock file exists)."""
    for lock in (f".~lock.{path.name}#", f"~${path.name}", f"~${path.name[2:]}"):
        if (path.parent / lock).exists():
            raise UserError(
                N_(
                    "The workbook {name} is still open in a spreadsheet program, so the last "
                    "changes may not be saved. Save it, close it and try again. If it is "
                    "closed already, delete the file {lock} in the same folder."
                ),
                name=path.name,
                lock=lock,
            )


def _load(path: Path, data: bytes) -> Any:
    from openpyxl import load_workbook

    if data.startswith(OLE_MAGIC):
        raise UserError(
            N_("The file {name} is an old Excel file (.xls). Save it as .xlsx and try again."),
            name=path.name,
        )
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # a damaged zip, XML or deflate data: openpyxl raises anything
        raise UserError(
            N_(
                "The file {name} is not an Excel workbook (.xlsx) that can be read. Import "
                "the teacher workbook, saved as .xlsx."
            ),
            name=path.name,
        ) from exc


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _damaged(path: Path, detail: str) -> UserError:
    return UserError(
        N_(
            "The hidden part of the workbook {name} is damaged ({detail}). Ask the "
            "coordinator for a new workbook."
        ),
        name=path.name,
        detail=detail,
    )


def _number(value: object) -> int:
    """A row or column number, within what a worksheet can hold."""
    text = _text(value)
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_SHEET_ROW:
        raise ValueError(text)
    return int(text)


def _uid(value: object) -> str:
    return str(uuid.UUID(_text(value)))


def _read_map(book: Any, path: Path) -> _Map:
    if META_SHEET not in book.sheetnames:
        raise UserError(
            N_(
                "The workbook {name} is not a KVDS teacher workbook. Import the workbook "
                "that KVDS Desktop exported, filled in by the teacher."
            ),
            name=path.name,
        )
    found = _Map()
    for number, cells in enumerate(book[META_SHEET].iter_rows(values_only=True), start=1):
        tag, rest = _text(cells[0] if cells else None), list(cells[1:])
        rest += [None] * (4 - len(rest))
        try:
            if tag == STATUS_RECORD:
                found.statuses.append(
                    CodeRule(_text(rest[0]).upper(), _text(rest[1]) == "1", _text(rest[2]) == "1")
                )
            elif tag == COLUMN_RECORD:
                found.columns.append((_number(rest[0]), _uid(rest[1]), _text(rest[2])))
            elif tag == ROW_RECORD:
                closed = frozenset(_text(rest[3]).split())
                found.rows.append((_number(rest[0]), _uid(rest[1]), _text(rest[2]), closed))
            elif tag:
                found.values[tag] = _text(rest[0])
        except ValueError:
            raise _damaged(path, f"{META_SHEET}!A{number}") from None
    if found.values.get("format") != WORKBOOK_FORMAT:
        raise _damaged(path, "format")
    if found.values.get("version") != str(WORKBOOK_VERSION):
        raise UserError(
            N_(
                "The workbook {name} was made by a newer version of KVDS Desktop. Install "
                "the newest version to import it."
            ),
            name=path.name,
        )
    for key in ("database_uid", "pack_uid", "group_uid"):
        try:
            found.values[key] = _uid(found.values.get(key))
        except ValueError:
            raise _damaged(path, key) from None
    if not found.statuses or not found.columns or not found.rows:
        raise _damaged(path, "map")
    return found


def _check_layout(sheet: Any, layout: _Map, path: Path) -> None:
    """Refuse a sheet whose headers or names are no longer where the map puts them."""
    for column, _lesson, header in layout.columns:
        if not same_text(sheet.cell(HEADER_ROW, column).value, header):
            raise UserError(
                N_(
                    "The workbook {name} was changed: the column of the lesson {lesson} is "
                    "not where it was. Columns were inserted, deleted or moved, so the marks "
                    "cannot be matched to lessons. Enter the marks in the workbook as it was "
                    "sent, or ask the coordinator for a new one."
                ),
                name=path.name,
                lesson=one_line(header),
            )
    for row, _candidate, name, _closed in layout.rows:
        found = _text(sheet.cell(row, NAME_COLUMN).value)
        if not same_text(found, name):
            raise UserError(
                N_(
                    "The workbook {name} was changed: row {row} should hold {expected} but "
                    "holds {found}. Rows were inserted, deleted or sorted, so the marks "
                    "cannot be matched to candidates. Enter the marks in the workbook as it "
                    "was sent, or ask the coordinator for a new one."
                ),
                name=path.name,
                row=row,
                expected=name,
                found=found or "-",
            )


def _reason(word: str) -> str | None:
    key = re.sub(r"[\s-]+", "_", word.strip().casefold())
    if key in REASONS:
        return key
    if key in REASON_WORDS:
        return REASON_WORDS[key]
    matches = [r for r in REASONS if len(key) >= 3 and r.startswith(key)]
    return matches[0] if len(matches) == 1 else None


def parse_cell(text: str, statuses: list[CodeRule]) -> tuple[str, str, int | None] | str:
    """``(code, reason, minutes)`` from a cell's text, or why it cannot be understood."""
    upper = text.upper()
    for status in sorted(statuses, key=lambda s: -len(s.code)):
        if not upper.startswith(status.code):
            continue
        rest = text[len(status.code) :]
        if rest and not rest[0].isspace() and not rest[0].isdigit():
            continue
        return _rest(status, rest.strip())
    return UNKNOWN_CODE


def _rest(status: CodeRule, rest: str) -> tuple[str, str, int | None] | str:
    minutes: int | None = None
    reason = ""
    if rest:
        matched = MINUTES.fullmatch(rest)
        if matched:
            if not status.needs_minutes:
                return NO_MINUTES_HERE
            minutes = int(matched.group(1))
            if not 1 <= minutes <= MAX_MINUTES:
                return BAD_MINUTES
        else:
            found = _reason(rest)
            if found is None:
                return UNKNOWN_REASON
            reason = found
    if status.needs_minutes and minutes is None:
        return NEEDS_MINUTES
    if status.needs_reason and not reason:
        return NEEDS_REASON
    return status.code, reason, minutes


def read_workbook(path: Path) -> WorkbookRead:
    """The marks typed into a teacher workbook, and the cells not understood.

    Empty cells give no mark.

    Raises:
        UserError: the file is missing, locked or still open, not an XLSX file, not a
            KVDS teacher workbook, made by a newer version, or its layout was broken
            (rows or columns inserted, deleted or moved).
    """
    path = Path(path)
    data = _read_bytes(path)
    _check_not_open(path)
    book = _load(path, data)
    layout = _read_map(book, path)
    title = layout.values.get("sheet", "")
    if title not in book.sheetnames:
        raise UserError(
            N_(
                "The workbook {name} was changed: its sheet {sheet} is missing or was "
                "renamed. Give the sheet its name back, or ask the coordinator for a new "
                "workbook."
            ),
            name=path.name,
            sheet=title,
        )
    sheet = book[title]
    _check_layout(sheet, layout, path)
    pack_uid = layout.values["pack_uid"]
    source = workbook_source(pack_uid)
    marks, unreadable = [], []
    for row, candidate, name, closed in layout.rows:
        for column, lesson, header in layout.columns:
            text = _text(sheet.cell(row, column).value)
            if not text:
                continue
            parsed = NOT_IN_GROUP if lesson in closed else parse_cell(text, layout.statuses)
            if isinstance(parsed, str):
                unreadable.append(UnreadableCell(name, one_line(header), text, parsed))
                continue
            code, reason, minutes = parsed
            marks.append(IncomingMark(
                uid=fact_uid(source, lesson, candidate, code, reason, minutes),
                lesson_uid=lesson, candidate_uid=candidate, status_code=code, reason=reason,
                minutes=minutes,
            ))  # fmt: skip
    try:
        exported = datetime.fromisoformat(layout.values.get("exported_at", ""))
    except ValueError:
        exported = None
    incoming = IncomingFile(
        kind=WORKBOOK_KIND, file_name=path.name, sha256=hashlib.sha256(data).hexdigest(),
        database_uid=layout.values["database_uid"], pack_uid=pack_uid, source_key=source,
        source_label=(layout.values.get("source_label") or layout.values.get("group_name")
                      or "")[:120],
        device_id="", exported_at=exported, marks=tuple(marks),
    )  # fmt: skip
    return WorkbookRead(incoming, tuple(unreadable))
