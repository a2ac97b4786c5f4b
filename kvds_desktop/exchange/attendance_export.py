"""Exporting attendance for the municipality: per mark (detail) and per candidate (summary).

CSV (``;``, UTF-8 with BOM, dates ``jjjj-mm-dd``) or XLSX by the file's extension, written
next to the target and moved over it at the end (no half files); never the BSN. The detail
export streams: rows come from the database in chunks and go straight to the file, so a
million marks never sit in memory at once. The signals report is written per klantmanager,
one CSV each, from signal rows the attendance service found.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Table, and_, func, select, union
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.candidate_export import export_format
from kvds_desktop.exchange.cells import csv_value, set_text
from kvds_desktop.exchange.files import atomic_write
from kvds_desktop.store.database import Database

CHUNK = 5000
DETAIL_HEADERS = (
    "datum", "les", "groep", "klantnummer", "naam", "status", "reden", "minuten",
    "geregistreerd door", "geregistreerd op", "bron",
)  # fmt: skip
SUMMARY_HEADERS = (
    "klantnummer", "naam", "gemeente", "klantmanager", "uren aangeboden", "uren gevolgd",
    "uren afwezig geoorloofd", "uren afwezig ongeoorloofd", "aanwezigheid %", "te laat",
)  # fmt: skip
SIGNAL_HEADERS = (
    "datum", "klantnummer", "naam", "gemeente", "klantmanager", "regel", "reden", "periode",
    "verstuurd op",
)  # fmt: skip
WIDTHS = {"naam": 30, "les": 22, "groep": 14, "klantmanager": 26, "geregistreerd op": 18}


def _t(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _name(voornamen: str | None, tussen: str | None, achternaam: str | None) -> str:
    return " ".join(p for p in ((voornamen or "").strip(), (tussen or "").strip(),
                                (achternaam or "").strip()) if p)  # fmt: skip


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _stamp(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")  # the computer's local time


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise UserError(N_("The period ends before it starts."))


def _detail_query(start: date, end: date) -> Any:
    mark, lesson, group = _t("attendance_mark"), _t("lesson"), _t("study_group")
    kind, cand, status = _t("activity_kind"), _t("candidate"), _t("attendance_status")
    return (
        select(
            lesson.c.lesson_date, kind.c.code, lesson.c.start_time, lesson.c.end_time,
            group.c.name, cand.c.klantnummer, cand.c.voornamen, cand.c.tussenvoegsel,
            cand.c.achternaam, status.c.label_nl, mark.c.reason, mark.c.minutes,
            mark.c.recorded_by, mark.c.recorded_at, mark.c.source,
        )
        .select_from(
            mark.join(lesson, lesson.c.id == mark.c.lesson_id)
            .join(group, group.c.id == lesson.c.group_id)
            .join(kind, kind.c.id == lesson.c.activity_kind_id)
            .join(cand, cand.c.id == mark.c.candidate_id)
            .join(status, status.c.id == mark.c.status_id)
        )
        .where(lesson.c.lesson_date.between(start, end))
        .order_by(lesson.c.lesson_date, lesson.c.start_time, group.c.name, mark.c.id)
    )  # fmt: skip


def _detail_rows(conn: Connection, start: date, end: date) -> Iterator[list[Any]]:
    result = conn.execution_options(yield_per=CHUNK).execute(_detail_query(start, end))
    for chunk in result.partitions(CHUNK):
        for r in chunk:
            yield [
                r[0], f"{r[1]} {_hhmm(r[2])}–{_hhmm(r[3])}", r[4], r[5] or "",
                _name(r[6], r[7], r[8]), r[9], r[10] or "", "" if r[11] is None else r[11],
                r[12] or "", _stamp(r[13]), r[14] or "",
            ]  # fmt: skip


def export_attendance_detail(db: Database, out: Path, *, start: date, end: date) -> int:
    """Write one row per mark in lessons from ``start`` to ``end``; returns the rows written.

    Raises:
        UserError: unknown extension, reversed period, or the file cannot be written.
    """
    out = Path(out).expanduser()
    kind = export_format(out)
    _check_period(start, end)
    count = 0

    def write(target: Path) -> None:
        nonlocal count
        with db.engine.connect() as conn:
            count = _write(kind, target, DETAIL_HEADERS, _detail_rows(conn, start, end),
                           "Aanwezigheid")  # fmt: skip

    atomic_write(out, write)
    return count


def _offered(start: date, end: date) -> Any:
    """(candidate_id, lesson_id) of every held lesson offered to a candidate in the period."""
    mark, lesson, member = _t("attendance_mark"), _t("lesson"), _t("group_membership")
    held = and_(lesson.c.lesson_date.between(start, end), lesson.c.cancelled.is_(False))
    active = and_(
        member.c.start_date <= lesson.c.lesson_date,
        (member.c.end_date.is_(None)) | (member.c.end_date >= lesson.c.lesson_date),
    )
    by_member = (
        select(member.c.candidate_id, lesson.c.id.label("lesson_id"))
        .select_from(lesson.join(member, and_(member.c.group_id == lesson.c.group_id, active)))
        .where(held)
    )
    by_mark = (
        select(mark.c.candidate_id, mark.c.lesson_id)
        .select_from(mark.join(lesson, lesson.c.id == mark.c.lesson_id))
        .where(held)
    )
    return union(by_member, by_mark).subquery()


def _hours(start: time, end: time) -> float:
    return max(0, (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)) / 60


def _summary_rows(conn: Connection, start: date, end: date) -> list[list[Any]]:
    lesson, mark, status = _t("lesson"), _t("attendance_mark"), _t("attendance_status")
    cand, km = _t("candidate"), _t("klantmanager")
    pairs = _offered(start, end)
    grouped = (
        select(
            pairs.c.candidate_id, lesson.c.start_time, lesson.c.end_time, mark.c.status_id,
            status.c.counts_present, status.c.counts_late, status.c.excused,
            func.count().label("n"), func.sum(func.coalesce(mark.c.minutes, 0)).label("minutes"),
        )
        .select_from(
            pairs.join(lesson, lesson.c.id == pairs.c.lesson_id)
            .outerjoin(mark, and_(mark.c.lesson_id == pairs.c.lesson_id,
                                  mark.c.candidate_id == pairs.c.candidate_id))
            .outerjoin(status, status.c.id == mark.c.status_id)
        )
        .group_by(pairs.c.candidate_id, lesson.c.start_time, lesson.c.end_time, mark.c.status_id,
                  status.c.counts_present, status.c.counts_late, status.c.excused)
    )  # fmt: skip
    totals: dict[
        int, list[float]
    ] = {}  # offered, followed, excused, unexcused, present, marked, late
    for r in conn.execute(grouped):
        t = totals.setdefault(int(r.candidate_id), [0.0] * 7)
        hours = int(r.n) * _hours(r.start_time, r.end_time)
        t[0] += hours
        if r.status_id is None:
            continue
        t[5] += r.n
        if r.counts_present:
            t[1] += max(0.0, hours - int(r.minutes or 0) / 60)
            t[4] += r.n
            t[6] += r.n if r.counts_late else 0
        elif r.excused:
            t[2] += hours
        else:
            t[3] += hours
    people = conn.execute(
        select(
            cand.c.id, cand.c.klantnummer, cand.c.voornamen, cand.c.tussenvoegsel,
            cand.c.achternaam, cand.c.municipality, km.c.name,
        )
        .select_from(cand.outerjoin(km, km.c.id == cand.c.klantmanager_id))
        .where(cand.c.id.in_(list(totals)))
        .order_by(cand.c.achternaam, cand.c.voornamen, cand.c.id)
    )  # fmt: skip
    rows = []
    for p in people:
        t = totals[int(p.id)]
        rate = round(100 * t[4] / t[5], 1) if t[5] else ""
        rows.append([
            p.klantnummer or "", _name(p.voornamen, p.tussenvoegsel, p.achternaam),
            p.municipality or "", p.name or "", round(t[0], 2), round(t[1], 2), round(t[2], 2),
            round(t[3], 2), rate, int(t[6]),
        ])  # fmt: skip
    return rows


def export_attendance_summary(db: Database, out: Path, *, start: date, end: date) -> int:
    """Write one row per candidate with hours and attendance over the period; rows written.

    Hours offered count every held lesson of the candidate's groups (and any lesson with
    a mark); followed hours leave out the minutes late or left early.

    Raises:
        UserError: unknown extension, reversed period, or the file cannot be written.
    """
    out = Path(out).expanduser()
    kind = export_format(out)
    _check_period(start, end)
    with db.engine.connect() as conn:
        rows = _summary_rows(conn, start, end)

    def write(target: Path) -> None:
        _write(kind, target, SUMMARY_HEADERS, rows, "Overzicht")

    atomic_write(out, write)
    return len(rows)


class SignalLike(Protocol):
    """What the signals report needs of a signal (services.attendance.SignalRow)."""

    @property
    def candidate_uid(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def municipality(self) -> str: ...
    @property
    def klantmanager(self) -> str: ...
    @property
    def rule_kind(self) -> str: ...
    @property
    def message_id(self) -> str: ...
    @property
    def params(self) -> dict[str, Any]: ...
    @property
    def period_key(self) -> str: ...
    @property
    def sent_on(self) -> date | None: ...
    @property
    def klantnummer(self) -> str: ...


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "zonder-klantmanager"


def write_signals_per_klantmanager(
    signals: Sequence[SignalLike],
    folder: Path,
    *,
    at: date,
    gettext: Callable[[str], str] = lambda message: message,
) -> list[Path]:
    """One CSV per klantmanager (``signalen-<at>-<klantmanager>.csv``) in ``folder``.

    The reason column is the signal's message, translated with ``gettext``.

    Raises:
        UserError: the folder does not exist or a file cannot be written.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=str(folder))
    per_manager: dict[str, list[SignalLike]] = {}
    for signal in signals:
        per_manager.setdefault(signal.klantmanager, []).append(signal)
    written: list[Path] = []
    for manager, rows in sorted(per_manager.items()):
        out = folder / f"signalen-{at.isoformat()}-{_slug(manager)}.csv"
        data = [
            [at, s.klantnummer, s.name, s.municipality, s.klantmanager, s.rule_kind,
             gettext(s.message_id).format(**s.params), s.period_key, s.sent_on or ""]
            for s in rows
        ]  # fmt: skip

        def write(target: Path, data: list[list[Any]] = data) -> None:
            _write_csv(target, SIGNAL_HEADERS, data)

        atomic_write(out, write)
        written.append(out)
    return written


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def _write(kind: str, target: Path, headers: Sequence[str], rows: Iterable[list[Any]],
           title: str) -> int:  # fmt: skip
    if kind == "csv":
        return _write_csv(target, headers, rows)
    return _write_xlsx(target, headers, rows, title)


def _write_csv(target: Path, headers: Sequence[str], rows: Iterable[list[Any]]) -> int:
    count = 0
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_value(value) if isinstance(value, str) else _cell_text(value)
                             for value in row])  # fmt: skip
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    return count


def _write_xlsx(target: Path, headers: Sequence[str], rows: Iterable[list[Any]],
                title: str) -> int:  # fmt: skip
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, header in enumerate(headers):
        width = WIDTHS.get(header, max(12, len(header) + 2))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=None if value == "" else value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.number_format = "@"
                if value:
                    set_text(cell, value)  # text from the database is never a formula
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(str(target))
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    return count
