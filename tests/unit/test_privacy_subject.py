"""Data-subject requests: the export holds everything about one person and nobody else;
erasure leaves no trace of them and nothing broken."""

from __future__ import annotations

import argparse
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    inspect,
    text,
)

from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.candidates.commands import add_note, update_candidate
from kvds_desktop.services.candidates.duplicates import mark_not_duplicate
from kvds_desktop.services.privacy import (
    erase_candidate,
    export_subject_file,
    subject_export,
    subject_json,
    write_subject_json,
    write_subject_pdf,
)
from kvds_desktop.services.privacy.headings import HEADINGS
from kvds_desktop.services.privacy.reach import candidate_reach
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database
from kvds_desktop.store.summaries import check_attendance_months

ACTOR = Actor("coordinator", "laptop-1")
TODAY = date(2026, 11, 28)


@dataclass
class Person:
    id: int
    uid: str
    klantnummer: str
    bsn: str
    name: str


@dataclass
class World:
    db: Database
    path: Path
    person: Person
    other: Person
    others: list[Person]


def _people(db: Database) -> list[Person]:
    with db.engine.connect() as raw:
        rows = raw.execute(
            text(
                "SELECT id, uid, coalesce(klantnummer, ''), coalesce(bsn, ''), "
                "voornamen, tussenvoegsel, achternaam FROM candidate"
            )
        ).all()
    return [Person(r[0], r[1], r[2], r[3], display_name(r[4], r[5], r[6])) for r in rows]


def _pick(db: Database) -> int:
    """A candidate with marks, levels, exams, placements, notes, PIP, outflow, a profile,
    and a name no other candidate's name contains."""
    query = """
        SELECT c.id FROM candidate c WHERE
        EXISTS (SELECT 1 FROM attendance_mark x WHERE x.candidate_id = c.id) AND
        EXISTS (SELECT 1 FROM assessment x WHERE x.candidate_id = c.id) AND
        EXISTS (SELECT 1 FROM exam_attempt a JOIN exam_part p ON p.id = a.exam_part_id
                WHERE p.candidate_id = c.id) AND
        EXISTS (SELECT 1 FROM placement x WHERE x.candidate_id = c.id) AND
        EXISTS (SELECT 1 FROM candidate_note x WHERE x.candidate_id = c.id) AND
        EXISTS (SELECT 1 FROM pip_version x WHERE x.candidate_id = c.id) AND
        EXISTS (SELECT 1 FROM outflow_follow_up f JOIN outflow o ON o.id = f.outflow_id
                WHERE o.candidate_id = c.id) AND
        EXISTS (SELECT 1 FROM work_profile x WHERE x.candidate_id = c.id) AND
        c.bsn IS NOT NULL AND c.klantnummer IS NOT NULL
        ORDER BY c.id
    """
    people = _people(db)
    with db.engine.connect() as raw:
        for (cid,) in raw.execute(text(query)):
            name = next(p.name for p in people if p.id == cid).casefold()
            if not any(name in p.name.casefold() for p in people if p.id != cid):
                return int(cid)
    raise AssertionError("the pilot demo has no candidate with every kind of data")


@pytest.fixture
def world(pilot_file: Path, tmp_path: Path) -> Iterator[World]:
    """A copy of the pilot demo with extra traces of one person in notes and the audit trail."""
    path = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    db = Database.open(path)
    cid = _pick(db)
    people = _people(db)
    person = next(p for p in people if p.id == cid)
    others = [p for p in people if p.id != cid]
    other = others[0]
    update_candidate(db, person.uid, {"phone": "06-99887766"}, ACTOR, TODAY)
    add_note(db, person.uid, f"Komt samen met {other.name} ({other.klantnummer}).", ACTOR)
    mark_not_duplicate(db, other.uid, person.uid, ACTOR)
    with transaction(db) as conn:  # a mark cleared long ago: only its values name the person
        write_audit(
            conn,
            [
                audit_row(
                    ACTOR,
                    "attendance.clear",
                    "attendance_mark",
                    "00000000-0000-4000-8000-000000000001",
                    old={"candidate": person.uid, "reason": "ziek"},
                )
            ],
        )
        conn.execute(
            migrate.METADATA.tables["mark_fact"]
            .insert()
            .values(
                uid="10000000-0000-4000-8000-000000000002",
                lesson_uid="lesson",
                candidate_uid=person.uid,
                source_key="teacher",
                status_code="A",
                reason="ziek",
            )
        )
    world = World(db, path, person, other, others)
    yield world
    world.db.close()  # a test may have opened it again (a server engine keeps connections)


def _fk_tables(raw: Connection, target: str) -> list[tuple[str, str]]:
    """(table, column) pointing at ``target``.id, read from the database itself."""
    found = inspect(raw)
    return [
        (t, column)
        for t in found.get_table_names()
        for fk in found.get_foreign_keys(t)
        if fk["referred_table"] == target and t != target
        for column in fk["constrained_columns"]
    ]


def _expected(db: Database, person: Person) -> dict[str, set[Any]]:
    """Independently, with raw SQL: the keys of every row that points at the person."""
    expected: dict[str, set[Any]] = {"candidate": {person.id}}
    with db.engine.connect() as raw:
        for table, column in _fk_tables(raw, "candidate"):
            query = text(f"SELECT id FROM {table} WHERE {column} = :id")
            ids = {r[0] for r in raw.execute(query, {"id": person.id})}
            if ids:
                expected.setdefault(table, set()).update(ids)
        for parent in list(expected):
            for table, column in _fk_tables(raw, parent):
                if parent == "candidate":
                    continue
                query = text(f"SELECT id FROM {table} WHERE {column} IN :ids").bindparams(
                    bindparam("ids", expanding=True)
                )
                ids = {r[0] for r in raw.execute(query, {"ids": sorted(expected[parent])})}
                if ids:
                    expected.setdefault(table, set()).update(ids)
        expected["mark_fact"] = {
            r[0]
            for r in raw.execute(
                text("SELECT id FROM mark_fact WHERE candidate_uid = :uid"), {"uid": person.uid}
            )
        }
        expected["attendance_month"] = {
            tuple(r)
            for r in raw.execute(
                text(
                    "SELECT candidate_id, status_id, month FROM attendance_month"
                    " WHERE candidate_id = :id"
                ),
                {"id": person.id},
            )
        }
    return expected


def test_every_table_pointing_at_a_candidate_is_covered_and_has_a_heading() -> None:
    found = candidate_reach(migrate.METADATA)
    for table in migrate.METADATA.sorted_tables:
        points = any(
            fk.column.table.name in found.tables and table.name != "candidate"
            for c in table.columns
            for fk in c.foreign_keys
        )
        if points or "candidate_id" in table.c or "candidate_uid" in table.c:
            assert table.name in found.tables, table.name
    for name in found.tables:
        assert name in HEADINGS, f"{name} has no plain-language heading in the export"


def test_a_new_table_with_a_candidate_id_is_picked_up_with_its_children() -> None:
    metadata = MetaData()
    for table in migrate.METADATA.sorted_tables:
        table.to_metadata(metadata)
    Table(
        "diary",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("candidate_id", ForeignKey("candidate.id")),
        Column("text", String),
    )
    Table(
        "diary_page",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("diary_id", ForeignKey("diary.id")),
    )
    found = candidate_reach(metadata)
    assert {"diary", "diary_page"} <= set(found.tables)
    assert found.tables.index("diary") < found.tables.index("diary_page")


def test_export_holds_every_row_about_the_person(world: World) -> None:
    export = subject_export(world.db, world.person.klantnummer, today=TODAY)
    expected = _expected(world.db, world.person)
    for table, keys in expected.items():
        if table == "attendance_month":
            got = {
                (r["candidate_id"], r["status_id"], r["month"])
                for r in export.tables.get(table, [])
            }
        else:
            got = {r["id"] for r in export.tables.get(table, [])}
        assert got == keys, table
    assert {
        "attendance_mark",
        "assessment",
        "exam_attempt",
        "placement",
        "candidate_note",
        "pip_version",
        "outflow",
        "outflow_follow_up",
        "not_duplicate",
    } <= set(export.tables)
    assert export.tables["candidate"][0]["bsn"] == world.person.bsn  # in full, for the person
    actions = {e["action"] for e in export.tables["audit_entry"]}
    assert {
        "candidate.update",
        "candidate.note",
        "candidate.not_duplicate",
        "attendance.clear",
    } <= actions
    assert "lesson" in export.context and "study_group" in export.context


def _leaks(text: str, person: Person, others: list[Person]) -> list[str]:
    own = [person.uid, person.klantnummer, person.bsn, person.name.casefold()]
    found = []
    for other in others:
        for value in (other.uid, other.klantnummer, other.bsn):
            if value and value in text and not any(value in o for o in own):
                found.append(value)
        name = other.name.casefold()
        if name and name in text.casefold() and name not in person.name.casefold():
            found.append(other.name)
    return found


def test_export_names_nobody_else(world: World) -> None:
    export = subject_export(world.db, world.person.uid, today=TODAY)
    text = json.dumps(subject_json(export), ensure_ascii=False)
    assert _leaks(text, world.person, world.others) == []
    note = next(n["text"] for n in export.tables["candidate_note"] if "Komt samen" in n["text"])
    assert "[another person]" in note
    pair = export.tables["not_duplicate"][0]
    assert world.other.id not in (pair["candidate_a_id"], pair["candidate_b_id"])
    assert "candidate" not in export.context  # never another person's record


def test_json_round_trips(world: World, tmp_path: Path) -> None:
    export = subject_export(world.db, world.person.uid, today=TODAY)
    out = write_subject_json(export, tmp_path / "subject.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == subject_json(export)
    assert data["about"]["klantnummer"] == world.person.klantnummer
    assert data["tables"]["candidate"][0]["birth_date"].count("-") == 2  # ISO date


def test_pdf_shows_the_person_and_the_kinds_of_data(world: World, tmp_path: Path) -> None:
    export = subject_export(world.db, world.person.uid, today=TODAY)
    out = write_subject_pdf(export, tmp_path / "subject.pdf", Translator.for_language("en"))
    reader = pypdf.PdfReader(out)
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert f"Everything KVDS Desktop holds about {world.person.name}" in flat
    assert world.person.klantnummer in flat
    for heading in (
        "Your personal details",
        "Your attendance",
        "Your Dutch language levels",
        "Your placements",
        "Leaving the programme",
        "Changes to your records",
    ):
        assert heading in flat, heading
    assert "page 2" in flat and reader.pages[0].mediabox.width < reader.pages[0].mediabox.height
    assert _leaks(flat, world.person, world.others) == []


def test_export_file_is_audited_without_content(world: World, tmp_path: Path) -> None:
    export_subject_file(world.db, world.person.klantnummer, tmp_path / "s.json", ACTOR, today=TODAY)
    with world.db.engine.connect() as raw:
        rows = raw.execute(
            text("SELECT record_uid, new_values FROM audit_entry WHERE action = 'privacy.export'")
        ).all()
    assert len(rows) == 1 and rows[0][0] == world.person.uid
    assert json.loads(rows[0][1])["file_kind"] == "json"
    for value in (world.person.name, world.person.bsn, world.person.klantnummer):
        assert value not in rows[0][1]
    with pytest.raises(UserError):
        export_subject_file(world.db, world.person.uid, tmp_path / "s.txt", ACTOR, today=TODAY)


def test_unknown_candidate_is_refused(world: World) -> None:
    with pytest.raises(UserError, match="No candidate"):
        subject_export(world.db, "nobody", today=TODAY)
    with pytest.raises(UserError, match="No candidate"):
        erase_candidate(world.db, "nobody", ACTOR, today=TODAY, reason="request")


def _counts_of_others(db: Database, person: Person) -> dict[str, int]:
    """Rows about other people: per table pointing at candidates, rows not naming the person."""
    with db.engine.connect() as raw:
        columns: dict[str, list[str]] = {}
        for table, column in _fk_tables(raw, "candidate"):
            columns.setdefault(table, []).append(column)
        columns["attendance_month"] = ["candidate_id"]
        counts = {}
        for table, cols in columns.items():
            not_person = " AND ".join(f"coalesce({c}, -1) != :id" for c in cols)
            counts[table] = raw.execute(
                text(f"SELECT count(*) FROM {table} WHERE {not_person}"), {"id": person.id}
            ).scalar_one()
        counts["candidate"] = raw.execute(
            text("SELECT count(*) FROM candidate WHERE id != :id"), {"id": person.id}
        ).scalar_one()
        for table in ("lesson", "study_group", "organisation", "opportunity", "klantmanager"):
            counts[table] = raw.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    return counts


def _text_hits(db: Database, needles: list[str]) -> list[tuple[str, str, str]]:
    """Where any of ``needles`` occurs (any case) in any text column of any table."""
    hits = []
    lowered = [n.casefold() for n in needles]
    with db.engine.connect() as raw:
        found = inspect(raw)
        for table in found.get_table_names():
            for column in found.get_columns(table):
                if not isinstance(column["type"], String):  # VARCHAR, CHAR and TEXT
                    continue
                name = column["name"]
                query = text(f"SELECT DISTINCT {name} FROM {table} WHERE {name} != ''")
                for (value,) in raw.execute(query):
                    folded = str(value).casefold()
                    hits += [(table, name, n) for n in lowered if n in folded]
    return hits


def test_erasure_leaves_no_trace_and_nothing_broken(world: World) -> None:
    person = world.person
    before = _counts_of_others(world.db, person)
    expected = _expected(world.db, person)
    personal = [person.uid, person.name, person.bsn, person.klantnummer]
    assert _text_hits(world.db, personal)  # the check can see them before
    result = erase_candidate(
        world.db,
        person.klantnummer,
        ACTOR,
        today=TODAY,
        reason=f"request of {person.name} by letter",
    )
    assert result.deleted["attendance_mark"] == len(expected["attendance_mark"])
    assert _text_hits(world.db, personal) == []
    with world.db.engine.connect() as raw:
        if raw.dialect.name == "sqlite":  # PostgreSQL enforces every foreign key itself
            assert raw.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        entry = raw.execute(
            text(
                "SELECT actor, device, record_uid, new_values FROM audit_entry "
                "WHERE action = 'privacy.erase'"
            )
        ).all()
        cleared = raw.execute(
            text(
                "SELECT count(*) FROM audit_entry WHERE action = 'candidate.update'"
                " AND old_values = '' AND record_uid = ''"
            )
        ).scalar_one()
    assert len(entry) == 1 and tuple(entry[0][:3]) == ("coordinator", "laptop-1", "")
    values = json.loads(entry[0][3])
    assert values["deleted"]["candidate"] == 1 and values["deleted"]["outflow"] >= 1
    assert "[erased]" in values["reason"]
    assert cleared >= 1
    assert _counts_of_others(world.db, person) == before
    with world.db.engine.connect() as conn:
        assert check_attendance_months(conn) == []


def _run(paths: AppPaths, db: Path, *argv: str) -> tuple[int, str]:
    """Run a command of cli_privacy through a throwaway parser (it is registered by the lead)."""
    from kvds_desktop import cli_privacy
    from kvds_desktop.cli import Context

    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        return cmd

    cli_privacy.add_commands(command)
    args = parser.parse_args(list(argv))
    args.db = str(db)
    out = io.StringIO()
    ctx = Context(args, paths, Translator.for_language("en"), out, io.StringIO(), TODAY)
    return int(args.run(ctx)), out.getvalue()


def test_cli_exports_and_erases(world: World, app_paths: AppPaths, tmp_path: Path) -> None:
    world.db.close()
    code, out = _run(
        app_paths,
        world.path,
        "subject",
        "export",
        "--candidate",
        world.person.klantnummer,
        "--out",
        str(tmp_path / "me.pdf"),
    )
    assert code == 0 and (tmp_path / "me.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(UserError, match="--yes"):
        _run(
            app_paths,
            world.path,
            "subject",
            "erase",
            "--candidate",
            world.person.uid,
            "--reason",
            "request",
        )
    code, out = _run(
        app_paths,
        world.path,
        "subject",
        "erase",
        "--json",
        "--candidate",
        world.person.uid,
        "--reason",
        "request",
        "--yes",
    )
    assert code == 0 and json.loads(out)["deleted"]["candidate"] == 1
    world.db = Database.open(world.path)
