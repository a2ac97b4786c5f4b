"""Teachers offline through the ``kvds`` command, with real files from the pilot database.

One coordinator database is prepared per module (a copy of the pilot demo): a week pack
for the busiest teacher of WEEK is exported, opened into the teacher's own database,
marked there and exported as a marks file; two workbooks of one group are exported and
filled in by LibreOffice. Every test that writes works on its own copy of it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Connection, text

from kvds_desktop.paths import AppPaths
from kvds_desktop.services.offline import merge
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run
from tests.fixtures.libreoffice import SOFFICE, LibreOffice

WEEK = "2026-W49"
MONDAY, SUNDAY = "2026-11-30", "2026-12-06"
PASSPHRASE = "koffie met appeltaart"
SHEET = "Attendance"  # the English sheet title
Key = tuple[str, str]  # (lesson uid, candidate uid)
Value = tuple[str, str, int | None]  # (status, reason, minutes)

# What the teacher types on the laptop: (lesson index, member index, status, extra options).
TYPED = [
    (0, 0, "A", ()), (0, 1, "L", ("--minutes", "10")), (0, 2, "M", ("--reason", "ziek")),
    (1, 0, "Z", ()), (1, 1, "A", ()), (2, 0, "E", ("--minutes", "5")), (2, 2, "A", ()),
]  # fmt: skip
CHANGED = (1, 1, "Z", ())  # then one mark is changed: A -> Z
# What the workbooks hold: (row index, column index) -> cell text; the second differs twice.
CELLS = {(0, 0): "A", (0, 1): "L 10", (1, 0): "M ziek", (1, 1): "Z", (2, 0): "A", (2, 1): "E 5"}
DIFFERENT = {(0, 0): "Z", (1, 1): "A"}


def _value(text: str) -> Value:
    code, _, extra = text.partition(" ")
    if extra.isdigit():
        return code, "", int(extra)
    return code, extra, None


@dataclass(frozen=True)
class Book:
    """A workbook as exported and filled in, with the marks it should give."""

    pack_uid: str
    filled: Path
    marks: dict[Key, Value]


@dataclass(frozen=True)
class World:
    """The prepared coordinator database and the files teachers sent back."""

    folder: Path
    coordinator: Path  # never written by a test: copy it
    passphrase: Path
    teacher: str
    pack: Path
    pack_uid: str
    open_lessons: int
    teacher_db: Path
    marks: Path
    typed: dict[Key, Value]  # the marks on the laptop after the change
    changed: Key
    group: str
    books: tuple[Book, Book] | None  # None without LibreOffice


# --- helpers ----------------------------------------------------------------------------


@contextmanager
def _connected(path: Path) -> Iterator[Connection]:
    """A connection to the database at ``path``, where the commands found it too (on the
    suite's PostgreSQL pass the database opened by path is on the server)."""
    db = Database.open(path)
    try:
        with db.engine.connect() as conn:
            yield conn
    finally:
        db.close()


def _rows(conn: Connection, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(text(sql), params)]


def _query(path: Path, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with _connected(path) as conn:
        return _rows(conn, sql, **params)


def _marks(path: Path) -> dict[Key, Value]:
    rows = _query(
        path,
        "SELECT l.uid, c.uid, s.code, m.reason, m.minutes FROM attendance_mark m "
        "JOIN lesson l ON l.id = m.lesson_id JOIN candidate c ON c.id = m.candidate_id "
        "JOIN attendance_status s ON s.id = m.status_id",
    )
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The tables an import writes to, row by row."""
    with _connected(path) as conn:
        return {
            table: _rows(conn, f"SELECT * FROM {table} ORDER BY id")
            for table in ("attendance_mark", "mark_fact", "mark_conflict")
        }


def _count(path: Path, table: str) -> int:
    return int(_query(path, f"SELECT count(*) FROM {table}")[0][0])


def _lessons_and_members(teacher_db: Path) -> list[tuple[str, list[str]]]:
    """The open lessons of a teacher database with the candidates in the group that day."""
    found = []
    with _connected(teacher_db) as conn:
        lessons = _rows(
            conn,
            "SELECT uid, group_id, lesson_date FROM lesson WHERE NOT cancelled "
            "ORDER BY lesson_date, start_time, uid",
        )
        for uid, group_id, day in lessons:
            members = _rows(
                conn,
                "SELECT c.uid FROM group_membership m JOIN candidate c ON c.id = m.candidate_id "
                "WHERE m.group_id = :group AND m.start_date <= :day AND (m.end_date IS NULL "
                "OR m.end_date >= :day) ORDER BY c.achternaam, c.uid",
                group=group_id, day=day,
            )  # fmt: skip
            found.append((uid, [m[0] for m in members]))
    return found


def _cell_map(path: Path) -> tuple[str, dict[tuple[int, int], tuple[str, Key]]]:
    """The pack uid of a workbook and, per (row index, column index) of an open cell, its
    coordinate and (lesson uid, candidate uid), from the workbook's hidden sheet."""
    meta = load_workbook(path)["kvds"]
    records = [[c.value for c in row] for row in meta.iter_rows()]
    pack_uid = next(str(r[1]) for r in records if r[0] == "pack_uid")
    columns = sorted((int(r[1]), str(r[2])) for r in records if r[0] == "column")
    rows = sorted((int(r[1]), str(r[2]), str(r[4] or "").split()) for r in records
                  if r[0] == "row")  # fmt: skip
    cells = {}
    for i, (row, candidate, closed) in enumerate(rows):
        for j, (column, lesson) in enumerate(columns):
            if lesson not in closed:
                cells[i, j] = (f"{chr(64 + column)}{row}", (lesson, candidate))
    return pack_uid, cells


def _flipped(source: Path, target: Path, position: int) -> Path:
    """A copy of ``source`` with the byte at ``position`` changed."""
    raw = bytearray(source.read_bytes())
    byte = raw[position]
    raw[position] = byte ^ 0x20 if chr(byte).isalpha() else byte ^ 0x01
    target.write_bytes(bytes(raw))
    return target


def _positions(path: Path) -> dict[str, int]:
    """Byte positions in a sealed file: in the magic line, in the header, in the body."""
    raw = path.read_bytes()
    head_end = raw.index(b"\n", raw.index(b"\n") + 1)
    nonce = raw.index(b'"nonce":"') + len(b'"nonce":"')
    nonce = next(i for i in range(nonce, head_end) if chr(raw[i]).isalnum())
    return {"magic": 2, "header": nonce, "body": (head_end + len(raw)) // 2,
            "last": len(raw) - 1}  # fmt: skip


# --- the module's world -----------------------------------------------------------------


def _prepare(folder: Path, pilot_file: Path, paths: AppPaths) -> World:
    coordinator = folder / "coordinator.sqlite"
    shutil.copy(pilot_file, coordinator)
    secret = folder / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    (teacher,) = _query(
        coordinator,
        "SELECT t.name FROM lesson l JOIN teacher t ON t.id = l.teacher_id "
        "WHERE l.lesson_date BETWEEN :monday AND :sunday AND NOT l.cancelled "
        "GROUP BY t.id, t.name ORDER BY count(*) DESC, t.name LIMIT 1",
        monday=MONDAY, sunday=SUNDAY,
    )[0]  # fmt: skip
    pack = folder / "sent" / "week.kvdspack"
    pack.parent.mkdir()
    sent = data(run(paths, coordinator, "--json", "pack", "export", "--teacher", teacher,
                    "--week", WEEK, "--out", str(pack),
                    "--passphrase-file", str(secret)))  # fmt: skip
    assert sent["teacher"] == teacher and sent["lessons"] > 2 and pack.is_file()

    teacher_db = folder / "laptop" / "teacher.sqlite"
    teacher_db.parent.mkdir()
    opened = data(run(paths, teacher_db, "--json", "pack", "open", str(pack),
                      "--passphrase-file", str(secret)))  # fmt: skip
    assert opened["pack"] == sent["pack"] and opened["week"] == WEEK
    lessons = _lessons_and_members(teacher_db)
    typed: dict[Key, Value] = {}
    for i, j, status, extra in [*TYPED, CHANGED]:
        lesson, members = lessons[i][0], lessons[i][1]
        done = data(run(paths, teacher_db, "--json", "attendance", "mark", "--lesson", lesson,
                        "--candidate", members[j], "--status", status, "--actor", teacher,
                        *extra))  # fmt: skip
        assert done["after"]["status"] == status
        options = dict(zip(extra[::2], extra[1::2], strict=True))
        minutes = options.get("--minutes")
        typed[lesson, members[j]] = (status, options.get("--reason", ""),
                                     int(minutes) if minutes else None)  # fmt: skip
    marks = folder / "back" / "marks.kvdsmarks"
    marks.parent.mkdir()
    written = data(run(paths, teacher_db, "--json", "marks", "export", "--out", str(marks),
                       "--passphrase-file", str(secret)))  # fmt: skip
    assert written == {"file": str(marks), "marks": len(typed), "withdrawn": 0}

    (group,) = _query(
        coordinator,
        "SELECT g.name FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "WHERE l.lesson_date BETWEEN :monday AND :sunday AND NOT l.cancelled "
        "GROUP BY g.id, g.name ORDER BY count(*) DESC, g.name LIMIT 1",
        monday=MONDAY, sunday=SUNDAY,
    )[0]  # fmt: skip
    books = _workbooks(folder, coordinator, paths, group) if SOFFICE else None
    return World(
        folder=folder, coordinator=coordinator, passphrase=secret, teacher=teacher, pack=pack,
        pack_uid=sent["pack"], open_lessons=len(lessons), teacher_db=teacher_db, marks=marks,
        typed=typed, changed=(lessons[CHANGED[0]][0], lessons[CHANGED[0]][1][CHANGED[1]]),
        group=group, books=books,
    )  # fmt: skip


def _workbooks(folder: Path, coordinator: Path, paths: AppPaths, group: str) -> tuple[Book, Book]:
    office = LibreOffice(folder / "lo")
    books = []
    for n, cells in enumerate((CELLS, {**CELLS, **DIFFERENT}), start=1):
        sent = folder / "sent" / f"workbook-{n}.xlsx"
        result = data(run(paths, coordinator, "--json", "workbook", "export", "--group", group,
                          "--week", WEEK, "--out", str(sent)))  # fmt: skip
        pack_uid, where = _cell_map(sent)
        assert result == {"workbook": pack_uid, "file": str(sent)}
        filled = office.fill(sent, folder / "back" / f"filled-{n}.xlsx", SHEET,
                             {where[spot][0]: text for spot, text in cells.items()})  # fmt: skip
        marks = {where[spot][1]: _value(text) for spot, text in cells.items()}
        books.append(Book(pack_uid, filled, marks))
    return books[0], books[1]


@pytest.fixture(scope="module")
def world(pilot_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("offline")
    home = folder / "home"
    with pytest.MonkeyPatch.context() as patch:  # the autouse home is per test only
        patch.setenv("KVDS_HOME", str(home))
        patch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
        patch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
        yield _prepare(folder, pilot_file, AppPaths.under(home))


@pytest.fixture
def coordinator(world: World, tmp_path: Path) -> Path:
    """This test's own copy of the prepared coordinator database."""
    target = tmp_path / "coordinator.sqlite"
    shutil.copy(world.coordinator, target)
    return target


def _import(paths: AppPaths, db: Path, *files: Path, secret: Path | None) -> dict[str, Any]:
    extra = ("--passphrase-file", str(secret)) if secret else ()
    result: dict[str, Any] = data(
        run(paths, db, "--json", "attendance", "import", *map(str, files), *extra)
    )
    return result


# --- 1. a week pack there and back --------------------------------------------------------


def test_a_week_pack_goes_out_and_its_marks_come_back(
    app_paths: AppPaths, world: World, coordinator: Path
) -> None:
    assert not _marks(coordinator).keys() & world.typed.keys()  # the week is still ahead
    report = _import(app_paths, coordinator, world.marks, secret=world.passphrase)
    (file,) = report["files"]
    assert (file["result"], file["source"]) == ("imported", world.teacher)
    assert (file["imported"], file["changed"], file["unchanged"]) == (len(world.typed),) * 2 + (0,)
    assert (file["conflicts"], file["unknown"], file["rejected"], file["unreadable"]) == (
        [], [], [], [])  # fmt: skip
    assert report["open_conflicts"] == 0
    marked_lessons = {lesson for lesson, _ in world.typed}
    receipt = file["receipt"]
    assert (receipt["pack"], receipt["kind"], receipt["week"]) == (world.pack_uid, "pack", WEEK)
    assert (receipt["expected"], receipt["received"]) == (world.open_lessons, len(marked_lessons))
    assert len(receipt["missing"]) == world.open_lessons - len(marked_lessons)

    arrived = _marks(coordinator)
    assert {key: arrived[key] for key in world.typed} == world.typed  # every mark, as typed
    rows = _query(
        coordinator,
        "SELECT l.uid, c.uid, m.source, m.recorded_by, m.origin FROM attendance_mark m "
        "JOIN lesson l ON l.id = m.lesson_id JOIN candidate c ON c.id = m.candidate_id",
    )
    origins = {(r[0], r[1]): r[2:] for r in rows if (r[0], r[1]) in world.typed}
    assert set(origins.values()) == {(world.teacher, world.teacher, "merged")}

    # Provenance: the changed mark is revision 2 of the laptop; its merge is audited.
    lesson, candidate = world.changed
    db = Database.open(coordinator)
    try:
        (claim,) = merge.provenance(db, lesson, candidate)
    finally:
        db.close()
    assert (claim.status_code, claim.revision, claim.label) == ("Z", 2, world.teacher)
    assert claim.key.startswith(f"pack:{world.pack_uid}:") and claim.file_name == "marks.kvdsmarks"
    history = data(run(app_paths, coordinator, "--json", "attendance", "history", "--lesson",
                       lesson, "--candidate", candidate))  # fmt: skip
    assert [(h["action"], h["new"]["status"], h["new"]["source"]) for h in history] == [
        ("attendance.merge", "Z", world.teacher)
    ]
    assert history[0]["new"]["facts"] == [claim.fact_uid]
    receipts = data(run(app_paths, coordinator, "--json", "attendance", "receipts", "--week",
                        "2026w49"))  # fmt: skip
    assert {r["pack"]: r["received"] for r in receipts}[world.pack_uid] == len(marked_lessons)

    # The same file again: nothing changes.
    before = _tables(coordinator)
    again = _import(app_paths, coordinator, world.marks, secret=world.passphrase)
    (file,) = again["files"]
    assert (file["imported"], file["changed"], file["unchanged"]) == (0, 0, len(world.typed))
    assert file["conflicts"] == [] and again["open_conflicts"] == 0
    assert _tables(coordinator) == before


def test_the_text_report_names_the_counts_and_what_is_missing(
    app_paths: AppPaths, world: World, coordinator: Path
) -> None:
    code, out, err = run(app_paths, coordinator, "attendance", "import", str(world.marks),
                         "--passphrase-file", str(world.passphrase))  # fmt: skip
    assert code == 0 and err == ""
    assert f"marks.kvdsmarks ({world.teacher}): {len(world.typed)} new marks" in out
    assert "not received yet:" in out
    code, out, _err = run(app_paths, coordinator, "attendance", "conflicts")
    assert (code, out.strip()) == (0, "No conflicts.")


def test_opening_the_pack_again_keeps_the_marks_typed(world: World, tmp_path: Path) -> None:
    laptop = tmp_path / "teacher.sqlite"
    shutil.copy(world.teacher_db, laptop)
    paths = AppPaths.under(tmp_path / "home")
    result = data(run(paths, laptop, "--json", "pack", "open", str(world.pack),
                      "--passphrase-file", str(world.passphrase)))  # fmt: skip
    assert result["pack"] == world.pack_uid
    assert _marks(laptop) == world.typed


# --- 2. teacher workbooks filled in by LibreOffice ---------------------------------------


def test_filled_workbooks_arrive_and_disagreements_wait_for_a_decision(
    app_paths: AppPaths, world: World, coordinator: Path
) -> None:
    if world.books is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    first, second = world.books
    report = _import(app_paths, coordinator, first.filled, secret=None)
    (file,) = report["files"]
    assert (file["imported"], file["changed"], file["unchanged"]) == (len(CELLS), len(CELLS), 0)
    assert file["unreadable"] == [] and file["receipt"]["kind"] == "workbook"
    arrived = _marks(coordinator)
    assert {key: arrived[key] for key in first.marks} == first.marks

    before = _tables(coordinator)
    (again,) = _import(app_paths, coordinator, first.filled, secret=None)["files"]
    assert (again["imported"], again["changed"], again["unchanged"]) == (0, 0, len(CELLS))
    assert _tables(coordinator) == before

    # A second workbook of the same group and week: the same marks but for two cells.
    report = _import(app_paths, coordinator, second.filled, secret=None)
    (file,) = report["files"]
    assert file["imported"] == len(CELLS) and len(file["conflicts"]) == 2
    assert report["open_conflicts"] == 2
    listed = data(run(app_paths, coordinator, "--json", "attendance", "conflicts"))
    differing = {key for key in second.marks if second.marks[key] != first.marks[key]}
    assert len(listed) == 2 and {(c["lesson"], c["candidate"]) for c in listed} == differing
    for conflict in listed:
        key = (conflict["lesson"], conflict["candidate"])
        claims = {c["key"]: c["status"] for c in conflict["claims"]}
        assert claims == {f"workbook:{first.pack_uid}": first.marks[key][0],
                          f"workbook:{second.pack_uid}": second.marks[key][0]}  # fmt: skip
        assert conflict["state"] == "open"
    code, out, _err = run(app_paths, coordinator, "attendance", "conflicts")
    assert code == 0 and len(out.strip().splitlines()) == 2
    assert f"[workbook:{second.pack_uid}]" in out  # same teachers: the key tells them apart

    chosen = listed[0]
    keep = f"workbook:{second.pack_uid}"
    resolved = data(run(app_paths, coordinator, "--json", "attendance", "resolve", chosen["id"],
                        "--keep", keep))  # fmt: skip
    assert (resolved["state"], resolved["kept"]) == ("resolved", keep)
    key = (chosen["lesson"], chosen["candidate"])
    assert _marks(coordinator)[key] == second.marks[key]
    history = data(run(app_paths, coordinator, "--json", "attendance", "history", "--lesson",
                       key[0], "--candidate", key[1]))  # fmt: skip
    assert history[-1]["action"] == "attendance.resolve"
    assert history[-1]["new"]["status"] == second.marks[key][0]
    left = data(run(app_paths, coordinator, "--json", "attendance", "conflicts"))
    assert [c["id"] for c in left] == [listed[1]["id"]]
    every = data(run(app_paths, coordinator, "--json", "attendance", "conflicts", "--all"))
    assert sorted(c["state"] for c in every) == ["open", "resolved"]
    code, _out, err = run(app_paths, coordinator, "attendance", "resolve", chosen["id"],
                          "--keep", "mine")  # fmt: skip
    assert code == 1 and "resolved already" in err


# --- 3. files that must be refused --------------------------------------------------------

REFUSED = {
    "magic": "not a KVDS week pack or marks file",
    "header": "changed or damaged after it was made",
    "body": "changed or damaged after it was made",
    "last": "changed or damaged after it was made",
}


@pytest.mark.parametrize("where", sorted(REFUSED))
def test_a_changed_byte_in_a_pack_is_refused(
    app_paths: AppPaths, world: World, tmp_path: Path, where: str
) -> None:
    broken = _flipped(world.pack, tmp_path / "week.kvdspack", _positions(world.pack)[where])
    laptop = tmp_path / "teacher.sqlite"
    code, out, err = run(app_paths, laptop, "pack", "open", str(broken),
                         "--passphrase-file", str(world.passphrase))  # fmt: skip
    assert (code, out) == (1, "") and REFUSED[where] in err and "Traceback" not in err
    assert not list(tmp_path.glob("teacher.sqlite*"))  # no database made, not even in part


@pytest.mark.parametrize("where", sorted(REFUSED))
def test_a_changed_byte_in_a_marks_file_is_refused(
    app_paths: AppPaths, world: World, coordinator: Path, tmp_path: Path, where: str
) -> None:
    broken = _flipped(world.marks, tmp_path / "marks.kvdsmarks", _positions(world.marks)[where])
    before = _tables(coordinator)
    code, out, err = run(app_paths, coordinator, "attendance", "import", str(broken),
                         "--passphrase-file", str(world.passphrase))  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("kvds: marks.kvdsmarks: rejected, nothing written.")
    assert REFUSED[where] in err
    assert _tables(coordinator) == before


def test_a_refused_file_does_not_stop_the_others(
    app_paths: AppPaths, world: World, coordinator: Path, tmp_path: Path
) -> None:
    broken = _flipped(world.marks, tmp_path / "broken.kvdsmarks", _positions(world.marks)["last"])
    code, out, err = run(app_paths, coordinator, "--json", "attendance", "import", str(broken),
                         str(world.marks), "--passphrase-file", str(world.passphrase))  # fmt: skip
    assert code == 1 and "broken.kvdsmarks: rejected" in err
    files = json.loads(out)["files"]
    assert [f["result"] for f in files] == ["rejected", "imported"]
    assert "changed or damaged" in files[0]["message"]
    assert files[1]["imported"] == len(world.typed)


def test_a_wrong_passphrase_is_told_apart(
    app_paths: AppPaths, world: World, coordinator: Path, tmp_path: Path
) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("koffie met appeltaart!", encoding="utf-8")
    fits = "passphrase does not fit this file"
    code, _out, err = run(app_paths, tmp_path / "teacher.sqlite", "pack", "open",
                          str(world.pack), "--passphrase-file", str(wrong))  # fmt: skip
    assert code == 1 and fits in err and not (tmp_path / "teacher.sqlite").exists()
    before = _tables(coordinator)
    code, _out, err = run(app_paths, coordinator, "attendance", "import", str(world.marks),
                          "--passphrase-file", str(wrong))  # fmt: skip
    assert code == 1 and fits in err
    assert _tables(coordinator) == before


def test_the_wrong_kind_of_file_is_refused_clearly(
    app_paths: AppPaths, world: World, coordinator: Path, tmp_path: Path
) -> None:
    before = _tables(coordinator)
    secret = ("--passphrase-file", str(world.passphrase))
    code, _out, err = run(app_paths, coordinator, "attendance", "import", str(world.pack), *secret)
    assert code == 1 and "is a week pack, the file you send to a teacher" in err
    renamed = tmp_path / "pack.kvdsmarks"
    shutil.copy(world.pack, renamed)
    code, _out, err = run(app_paths, coordinator, "attendance", "import", str(renamed), *secret)
    assert code == 1 and "This is a week pack, not a marks file" in err
    code, _out, err = run(app_paths, tmp_path / "t.sqlite", "pack", "open", str(world.marks),
                          *secret)  # fmt: skip
    assert code == 1 and "This is a marks file, not a week pack" in err
    code, _out, err = run(app_paths, tmp_path / "t.sqlite", "pack", "open",
                          str(tmp_path / "nothing.kvdspack"), *secret)  # fmt: skip
    assert code == 1 and "nothing.kvdspack does not exist" in err and "Traceback" not in err
    code, _out, err = run(app_paths, coordinator, "attendance", "import",
                          str(tmp_path / "nothing.kvdsmarks"), *secret)  # fmt: skip
    assert code == 1 and "nothing.kvdsmarks does not exist" in err
    code, _out, err = run(app_paths, coordinator, "marks", "export", "--out",
                          str(tmp_path / "m.kvdsmarks"), *secret)  # fmt: skip
    assert code == 1 and "not a teacher database" in err
    assert _tables(coordinator) == before and not (tmp_path / "t.sqlite").exists()


def test_a_marks_file_without_a_passphrase_file(
    app_paths: AppPaths, world: World, coordinator: Path
) -> None:
    before = _tables(coordinator)
    code, out, err = run(app_paths, coordinator, "attendance", "import", str(world.marks))
    assert (code, out) == (1, "")
    assert "marks.kvdsmarks is sealed" in err and "--passphrase-file FILE" in err
    assert _tables(coordinator) == before


def test_marks_from_another_database_are_refused(
    app_paths: AppPaths, world: World, coordinator: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite"
    data(run(app_paths, other, "--json", "demo", "--seed", "7"))
    secret = ("--passphrase-file", str(world.passphrase))
    (teacher,) = _query(
        other,
        "SELECT t.name FROM lesson l JOIN teacher t ON t.id = l.teacher_id "
        "WHERE l.lesson_date BETWEEN :monday AND :sunday GROUP BY t.id, t.name "
        "ORDER BY count(*) DESC, t.name LIMIT 1",
        monday=MONDAY, sunday=SUNDAY,
    )[0]  # fmt: skip
    pack = tmp_path / "other.kvdspack"
    data(run(app_paths, other, "--json", "pack", "export", "--teacher", teacher, "--week", WEEK,
             "--out", str(pack), *secret))  # fmt: skip
    laptop = tmp_path / "other-teacher.sqlite"
    data(run(app_paths, laptop, "--json", "pack", "open", str(pack), *secret))
    lesson, members = _lessons_and_members(laptop)[0]
    data(run(app_paths, laptop, "--json", "attendance", "mark", "--lesson", lesson,
             "--candidate", members[0], "--status", "A"))  # fmt: skip
    marks = tmp_path / "other.kvdsmarks"
    assert data(run(app_paths, laptop, "--json", "marks", "export", "--out", str(marks),
                    *secret))["marks"] == 1  # fmt: skip

    before = _tables(coordinator)
    code, out, err = run(app_paths, coordinator, "attendance", "import", str(marks), *secret)
    assert (code, out) == (1, "") and "made from another KVDS database" in err
    assert _tables(coordinator) == before


@pytest.mark.parametrize("kind", ["pack", "workbook", "marks"])
def test_an_impossible_out_path_writes_and_records_nothing(
    app_paths: AppPaths, world: World, coordinator: Path, tmp_path: Path, kind: str
) -> None:
    laptop = tmp_path / "teacher.sqlite"
    shutil.copy(world.teacher_db, laptop)
    secret = ("--passphrase-file", str(world.passphrase))
    db, argv = {
        "pack": (coordinator, ("pack", "export", "--teacher", world.teacher, "--week", WEEK,
                               *secret)),
        "workbook": (coordinator, ("workbook", "export", "--group", world.group, "--week", WEEK)),
        "marks": (laptop, ("marks", "export", *secret)),
    }[kind]  # fmt: skip
    sent = _count(coordinator, "sent_pack")
    for out, message in ((tmp_path / "nowhere" / "file.out", "does not exist"),
                         (tmp_path, "is a folder; give a file name")):  # fmt: skip
        code, stdout, err = run(app_paths, db, *argv, "--out", str(out))
        assert (code, stdout) == (1, "") and message in err and "Traceback" not in err
    assert _count(coordinator, "sent_pack") == sent  # no pack recorded that nobody can get
    assert not (tmp_path / "nowhere").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file
