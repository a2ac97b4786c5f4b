"""Teacher workbooks: exported from the pilot database, filled in LibreOffice, read back."""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from kvds_desktop.errors import UserError
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import workbook
from kvds_desktop.services.offline.facts import WORKBOOK_KIND, fact_uid, workbook_source
from kvds_desktop.services.offline.workbook_read import (
    NEEDS_MINUTES,
    NOT_IN_GROUP,
    UNKNOWN_CODE,
    UNKNOWN_REASON,
    CodeRule,
    parse_cell,
)
from kvds_desktop.store.database import Database
from tests.fixtures.libreoffice import LibreOffice, requires_soffice

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
WEEK = "2026-W49"
MONDAY, TUESDAY, SUNDAY = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 6)
COORDINATOR = Actor("coordinator", "kantoor-pc")
SHEET = "Attendance"  # the English sheet title
STATUSES = [CodeRule("A", False, False), CodeRule("L", False, True), CodeRule("E", False, True),
            CodeRule("M", True, False), CodeRule("Z", False, False)]  # fmt: skip


@dataclass
class Exported:
    """A workbook of DRU-A1 in WEEK, saved to a file, with what the database says."""

    db: Database
    path: Path
    export: workbook.WorkbookExport
    group: str
    lessons: list[svc.LessonRow]  # the lessons that take attendance
    names: list[str]  # the roster in row order
    left_uid: str  # the member whose membership ended on Tuesday


@pytest.fixture
def exported(pilot_file: Path, tmp_path: Path) -> Iterator[Exported]:
    path = tmp_path / "coordinator.sqlite"
    shutil.copy(pilot_file, path)
    db = Database.open(path)
    group = svc.find_group(db, "DRU-A1")
    members = svc.group_members(db, group, MONDAY)
    left = members[-1].candidate_uid
    with db.session() as session:  # one member leaves the group on Tuesday
        session.connection().execute(
            text("UPDATE group_membership SET end_date = :d WHERE uid = :u"),
            {"d": TUESDAY, "u": members[-1].membership_uid},
        )
    export = workbook.export_workbook(db, group_uid=group, week=WEEK, language="en",
                                      actor=COORDINATOR, now=NOW)  # fmt: skip
    target = tmp_path / "sent" / export.suggested_file_name
    target.parent.mkdir()
    target.write_bytes(export.data)
    lessons = [
        x for x in svc.lessons_between(db, MONDAY, SUNDAY, group_uid=group) if not x.cancelled
    ]
    yield Exported(db, target, export, group, lessons, [m.name for m in members], left)
    db.close()


def _coordinate(exported: Exported, name: str, lesson_index: int) -> str:
    row = 6 + exported.names.index(name)
    return f"{chr(ord('B') + lesson_index)}{row}"


# --- the exported workbook ----------------------------------------------------------------


def test_the_workbook_has_one_row_per_member_and_a_column_per_lesson(exported: Exported) -> None:
    book = load_workbook(io.BytesIO(exported.export.data))
    assert book.sheetnames == [SHEET, "kvds"]
    sheet = book[SHEET]
    assert sheet["A1"].value == "Attendance DRU-A1 – Druten"
    assert sheet["A2"].value == "Week 49: Monday 30 November to Sunday 6 December 2026"
    names = [sheet.cell(6 + i, 1).value for i in range(len(exported.names))]
    assert names == exported.names and sheet.cell(6 + len(names), 1).value is None
    headers = [sheet.cell(5, 2 + i).value for i in range(len(exported.lessons))]
    first = exported.lessons[0]
    assert headers[0] == (f"Mon 30 Nov\n{first.start:%H:%M}–{first.end:%H:%M}\n"
                          f"{first.activity_name_en}")  # fmt: skip
    assert sheet.cell(5, 2 + len(headers)).value is None
    assert exported.export.suggested_file_name == "aanwezigheid-2026-W49-DRU-A1.xlsx"


def test_only_status_cells_are_open_and_they_offer_the_codes(exported: Exported) -> None:
    book = load_workbook(io.BytesIO(exported.export.data))
    sheet = book[SHEET]
    assert sheet.protection.sheet and book["kvds"].sheet_state == "veryHidden"
    last_row, last_column = 5 + len(exported.names), 1 + len(exported.lessons)
    open_cells = {c.coordinate for row in sheet.iter_rows() for c in row if not c.protection.locked}
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"A,L,E,M,Z"'
    assert validation.errorStyle in ("warning", "information")
    covered = {(row, col) for cells in validation.sqref.ranges for row, col in cells.cells}
    assert len(covered) == len(open_cells)
    left_row = 6 + len(exported.names) - 1
    closed = {f"{chr(64 + col)}{left_row}" for col in range(2, last_column + 1)
              if exported.lessons[col - 2].lesson_date > TUESDAY}  # fmt: skip
    assert closed and not closed & open_cells
    assert sheet[next(iter(closed))].fill.fgColor.rgb.endswith("BFBFBF")
    every = {f"{chr(64 + col)}{row}" for row in range(6, last_row + 1)
             for col in range(2, last_column + 1)}  # fmt: skip
    assert open_cells == every - closed


def test_the_page_is_set_up_for_printing_and_has_a_legend(exported: Exported) -> None:
    sheet = load_workbook(io.BytesIO(exported.export.data))[SHEET]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["A"].width >= max(len(n) for n in exported.names)
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Codes" in texts and "A  =  present" in texts and "M  =  absent with notice" in texts
    assert any("L 10" in t for t in texts) and any("M ziek" in t for t in texts)
    assert any("ziek (ill)" in t for t in texts)


def test_the_export_is_recorded_and_audited(exported: Exported) -> None:
    with exported.db.engine.connect() as conn:
        sent = conn.execute(text("SELECT kind, week, group_names FROM sent_pack WHERE uid = :u"),
                            {"u": exported.export.pack_uid}).one()  # fmt: skip
        audits = conn.execute(
            text("SELECT count(*) FROM audit_entry WHERE action = 'workbook.export' "
                 "AND record_uid = :u"), {"u": exported.export.pack_uid},
        ).scalar_one()  # fmt: skip
    assert tuple(sent) == ("workbook", WEEK, "DRU-A1") and audits == 1


def test_a_dutch_workbook_uses_dutch_dates_and_labels(exported: Exported) -> None:
    export = workbook.export_workbook(exported.db, group_uid=exported.group, week=WEEK,
                                      language="nl", actor=COORDINATOR, now=NOW)  # fmt: skip
    book = load_workbook(io.BytesIO(export.data))
    sheet = book[book.sheetnames[0]]
    assert "maandag 30 november" in str(sheet["A2"].value)
    assert str(sheet["B5"].value).startswith("ma 30 nov")
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "A  =  aanwezig" in texts


def test_a_week_without_lessons_makes_no_workbook(exported: Exported) -> None:
    with pytest.raises(UserError, match="no lessons in week 2035-W02"):
        workbook.export_workbook(exported.db, group_uid=exported.group, week="2035-W02",
                                 language="en", actor=COORDINATOR, now=NOW)  # fmt: skip


# --- reading back -------------------------------------------------------------------------


def test_an_untouched_workbook_gives_no_marks(exported: Exported) -> None:
    read = workbook.read_workbook(exported.path)
    incoming = read.incoming
    assert incoming.kind == WORKBOOK_KIND and incoming.marks == () and read.unreadable == ()
    assert incoming.pack_uid == exported.export.pack_uid
    assert incoming.source_key == workbook_source(exported.export.pack_uid)
    assert incoming.exported_at == NOW and incoming.device_id == ""
    teachers = ", ".join(dict.fromkeys(x.teacher_name for x in exported.lessons))
    assert incoming.source_label == teachers
    assert incoming.sha256 == hashlib.sha256(exported.path.read_bytes()).hexdigest()


@requires_soffice
def test_marks_typed_in_libreoffice_are_read_back(exported: Exported, tmp_path: Path) -> None:
    first, second, third = exported.names[:3]
    left = exported.names[-1]
    late = next(i for i, x in enumerate(exported.lessons) if x.lesson_date > TUESDAY)
    cells = {
        _coordinate(exported, first, 0): "A",
        _coordinate(exported, first, 1): "l 10",
        _coordinate(exported, second, 0): "M ziek",
        _coordinate(exported, second, 1): "Z",
        _coordinate(exported, third, 0): "L",  # minutes missing
        _coordinate(exported, third, 1): "hallo",
        _coordinate(exported, left, 0): "E15",
        _coordinate(exported, left, late): "A",  # not in the group any more that day
    }
    filled = LibreOffice(tmp_path / "lo").fill(exported.path, tmp_path / "back" / "filled.xlsx",
                                               SHEET, cells)  # fmt: skip
    read = workbook.read_workbook(filled)
    uids = {name: uid for name, uid in zip(exported.names, _roster_uids(exported), strict=True)}
    got = {(m.candidate_uid, m.lesson_uid): m for m in read.incoming.marks}
    lesson = [x.uid for x in exported.lessons]
    assert len(got) == 5
    assert got[uids[first], lesson[0]].status_code == "A"
    assert (got[uids[first], lesson[1]].status_code, got[uids[first], lesson[1]].minutes) == (
        "L", 10)  # fmt: skip
    sick = got[uids[second], lesson[0]]
    assert (sick.status_code, sick.reason, sick.revision) == ("M", "ziek", 0)
    assert got[uids[second], lesson[1]].status_code == "Z"
    assert got[uids[left], lesson[0]].minutes == 15
    source = read.incoming.source_key
    assert sick.uid == fact_uid(source, lesson[0], uids[second], "M", "ziek", None)
    problems = {(c.row_name, c.text): c.problem for c in read.unreadable}
    assert problems == {(third, "L"): NEEDS_MINUTES, (third, "hallo"): UNKNOWN_CODE,
                        (left, "A"): NOT_IN_GROUP}  # fmt: skip
    header = next(c.lesson_header for c in read.unreadable if c.text == "hallo")
    assert "\n" not in header and exported.lessons[1].activity_name_en in header
    again = workbook.read_workbook(filled)
    assert again.incoming.marks == read.incoming.marks  # the same facts, the same uids


def _roster_uids(exported: Exported) -> list[str]:
    return [m.candidate_uid for m in svc.group_members(exported.db, exported.group, MONDAY)]


@requires_soffice
def test_a_row_deleted_in_libreoffice_breaks_the_layout(exported: Exported, tmp_path: Path) -> None:
    office = LibreOffice(tmp_path / "lo")
    changed = office.delete_row(exported.path, tmp_path / "back" / "deleted.xlsx", SHEET, 7)
    with pytest.raises(UserError, match=r"row 7 should hold .* Rows were inserted, deleted"):
        workbook.read_workbook(changed)


def test_rows_and_columns_changed_with_openpyxl_break_the_layout(
    exported: Exported, tmp_path: Path
) -> None:
    for change, message in (
        (lambda s: s.delete_rows(8), "row 8 should hold"),
        (lambda s: s.insert_rows(6), "row 6 should hold"),
        (lambda s: s.insert_cols(2), "Columns were inserted, deleted or moved"),
        (lambda s: s.move_range("B5:B20", cols=20), "Columns were inserted"),
    ):
        book = load_workbook(exported.path)
        change(book[SHEET])
        target = tmp_path / "changed.xlsx"
        book.save(target)
        with pytest.raises(UserError, match=message):
            workbook.read_workbook(target)


def test_a_renamed_sheet_breaks_the_layout(exported: Exported, tmp_path: Path) -> None:
    book = load_workbook(exported.path)
    book[SHEET].title = "Blad1"
    book.save(tmp_path / "renamed.xlsx")
    with pytest.raises(UserError, match="sheet Attendance is missing or was renamed"):
        workbook.read_workbook(tmp_path / "renamed.xlsx")


def test_other_files_are_refused_clearly(tmp_path: Path) -> None:
    plain = tmp_path / "lijst.xlsx"
    Workbook().save(plain)
    with pytest.raises(UserError, match="not a KVDS teacher workbook"):
        workbook.read_workbook(plain)
    (tmp_path / "tekst.xlsx").write_text("naam;status\n", encoding="utf-8")
    with pytest.raises(UserError, match="not an Excel workbook"):
        workbook.read_workbook(tmp_path / "tekst.xlsx")
    (tmp_path / "oud.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UserError, match="old Excel file"):
        workbook.read_workbook(tmp_path / "oud.xls")
    with pytest.raises(UserError, match="does not exist"):
        workbook.read_workbook(tmp_path / "weg.xlsx")


def test_a_damaged_hidden_sheet_is_refused(exported: Exported, tmp_path: Path) -> None:
    book = load_workbook(exported.path)
    book["kvds"]["B4"] = "not a uid"  # pack_uid
    book.save(tmp_path / "damaged.xlsx")
    with pytest.raises(UserError, match=r"hidden part of the workbook damaged\.xlsx is damaged"):
        workbook.read_workbook(tmp_path / "damaged.xlsx")


def test_a_workbook_still_open_elsewhere_is_refused(exported: Exported) -> None:
    lock = exported.path.parent / f".~lock.{exported.path.name}#"
    lock.write_text("someone,pc", encoding="utf-8")
    with pytest.raises(UserError, match="still open in a spreadsheet program"):
        workbook.read_workbook(exported.path)
    lock.unlink()
    assert workbook.read_workbook(exported.path).incoming.marks == ()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("A", ("A", "", None)), ("a", ("A", "", None)), (" z ", ("Z", "", None)),
     ("L 10", ("L", "", 10)), ("l10", ("L", "", 10)), ("E 25 min", ("E", "", 25)),
     ("M ziek", ("M", "ziek", None)), ("m Ziek", ("M", "ziek", None)),
     ("M afspraak instantie", ("M", "afspraak_instantie", None)),
     ("M afspraak", ("M", "afspraak_instantie", None)), ("M ill", ("M", "ziek", None)),
     ("Z werk", ("Z", "werk", None)),
     ("L", NEEDS_MINUTES), ("L 0", "the minutes must be a whole number from 1 to 480"),
     ("L 600", "the minutes must be a whole number from 1 to 480"),
     ("A 10", "this code takes no minutes"), ("M", "the reason is missing; write it after "
                                              "the code, like M ziek"),
     ("M vakantie", UNKNOWN_REASON), ("Mziek", UNKNOWN_CODE), ("X", UNKNOWN_CODE),
     ("aanwezig", UNKNOWN_CODE), ("10", UNKNOWN_CODE)],
)  # fmt: skip
def test_cell_texts(cell: str, expected: object) -> None:
    assert parse_cell(cell.strip(), STATUSES) == expected
