"""Printed weekly overviews, location overviews and schedules, read back as text.

The PDFs are made from a copy of the pilot demo database and read with pypdf: what
must be on the paper (every member, the week's dates in Dutch and English, the lesson
ids, "page x of y", the version) and what must never be (BSN, birth dates).
"""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.dates import format_date
from pypdf import PdfReader
from sqlalchemy import text

from kvds_desktop.errors import DiskFull, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import printouts
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.printouts.gather import group_head, group_weeks
from kvds_desktop.store.database import Database

WEEK = (2026, 49)
MONDAY, FRIDAY = date(2026, 11, 30), date(2026, 12, 4)
ACTOR = Actor("tester", "test-laptop")
BIG = "DRU-A1"
BIG_SIZE = 25


@dataclass
class World:
    """A copy of the pilot database, with DRU-A1 grown to 25 members."""

    db: Database
    now: datetime

    def group(self, name: str) -> str:
        return svc.find_group(self.db, name)

    def overview(self, name: str, language: str = "en", week: tuple[int, int] = WEEK) -> bytes:
        return printouts.week_overview_pdf(
            self.db,
            group_uid=self.group(name),
            week=week,
            tr=Translator.for_language(language),
            now=self.now,
            actor=ACTOR,
        )

    def members(self, name: str) -> list[dict[str, object]]:
        """The members of a group in week 49 with the columns that must not be printed."""
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.uid, c.voornamen, c.tussenvoegsel, c.achternaam, c.bsn, "
                    "c.birth_date, c.klantnummer FROM candidate c "
                    "JOIN group_membership m ON m.candidate_id = c.id "
                    "JOIN study_group g ON g.id = m.group_id WHERE g.name = :name "
                    "AND m.start_date <= :last AND (m.end_date IS NULL OR m.end_date >= :first)"
                ),
                {"name": name, "first": MONDAY.isoformat(), "last": "2026-12-06"},
            ).mappings()
            return [dict(r) for r in rows]


@pytest.fixture
def world(pilot_file: Path, tmp_path: Path, reference_date: date) -> Iterator[World]:
    path = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    db = Database.open(path)
    group = svc.find_group(db, BIG)
    with db.engine.connect() as conn:
        have = conn.execute(
            text(
                "SELECT count(*) FROM group_membership m JOIN study_group g ON g.id = m.group_id "
                "WHERE g.name = :name AND m.start_date <= :day "
                "AND (m.end_date IS NULL OR m.end_date >= :day)"
            ),
            {"name": BIG, "day": MONDAY.isoformat()},
        ).scalar_one()
        # newcomers with letters beyond ASCII first: they must print as registered
        outside = conn.execute(
            text(
                "SELECT uid, voornamen || achternaam FROM candidate WHERE merged_into_id IS NULL "
                "AND id NOT IN (SELECT candidate_id FROM group_membership m JOIN study_group g "
                " ON g.id = m.group_id WHERE g.name = :name) ORDER BY id"
            ),
            {"name": BIG},
        ).all()
    # a stable sort: names with a letter beyond printable ASCII first, each part by id
    ordered = sorted(outside, key=lambda row: all(" " <= ch <= "~" for ch in row[1]))
    uids = [uid for uid, _name in ordered[: BIG_SIZE - have]]
    for uid in uids:
        svc.add_member(db, group, uid, date(2026, 11, 2), ACTOR)
    now = datetime(reference_date.year, reference_date.month, reference_date.day, 9, tzinfo=UTC)
    try:
        yield World(db, now)
    finally:
        db.close()


def pages(data: bytes) -> list[str]:
    """The text of every page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def lesson_uids(world: World, name: str, week: tuple[int, int] = WEEK) -> list[tuple[str, bool]]:
    return [
        (row.uid, row.cancelled)
        for row in svc.lessons_for_group_week(world.db, world.group(name), *week)
    ]


def test_a_25_person_group_breaks_cleanly_over_two_pages(world: World) -> None:
    members = world.members(BIG)
    assert len(members) == BIG_SIZE
    texts = pages(world.overview(BIG))
    assert len(texts) == 2
    assert "page 1 of 2" in texts[0] and "page 2 of 2" in texts[1]
    for page in texts:  # the header and the lesson columns repeat
        assert "DRU-A1" in page and "week 49, Monday 30 November" in page
        assert all(uid[:8] in page for uid, cancelled in lesson_uids(world, BIG) if not cancelled)
        assert "Teacher's signature" in page
    assert "Present (total)" not in texts[0] and "Present (total)" in texts[1]
    everything = "\n".join(texts)
    names = [" ".join(p for p in (m["voornamen"], m["tussenvoegsel"], m["achternaam"]) if p)
             for m in members]  # fmt: skip
    assert any(not name.isascii() for name in names)  # diacritics are really tested
    for name in names:
        assert everything.count(str(name)) == 1, name
    numbers = [int(n) for n in re.findall(r"^(\d+)$", everything, re.MULTILINE)]
    assert numbers[:BIG_SIZE] == list(range(1, BIG_SIZE + 1))  # numbering goes on over pages


def test_week_dates_in_dutch_and_in_english(world: World) -> None:
    english = pages(world.overview(BIG, "en"))[0]
    assert "week 49, Monday 30 November to Friday 4 December 2026" in english
    dutch = pages(world.overview(BIG, "nl"))[0]
    assert "maandag 30 november" in dutch and "vrijdag 4 december 2026" in dutch
    assert "Monday" not in dutch
    catalog = Translator(
        "nl", {"week {number}, {first} to {last}": "week {number}, {first} t/m {last}"}
    )
    data = printouts.week_overview_pdf(
        world.db, group_uid=world.group(BIG), week=WEEK, tr=catalog, now=world.now, actor=ACTOR
    )
    assert "week 49, maandag 30 november t/m vrijdag 4 december 2026" in pages(data)[0]


def test_every_lesson_column_has_its_id_and_qr_code(world: World) -> None:
    data = world.overview("DRU-A2")
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    forms = {str(name) for name in page["/Resources"]["/XObject"]}
    held = [uid for uid, cancelled in lesson_uids(world, "DRU-A2") if not cancelled]
    assert len(held) == 6
    for uid in held:
        assert uid[:8] in page.extract_text()
        assert f"/FormXob.qr-{uid}" in forms  # the QR code encodes the full uid


def test_no_bsn_and_no_birth_date_on_the_paper(world: World) -> None:
    members = world.members(BIG)
    assert any(m["bsn"] for m in members) and any(m["birth_date"] for m in members)
    everything = "\n".join(pages(world.overview(BIG, "nl")) + pages(world.overview(BIG, "en")))
    compact = everything.replace(" ", "")
    for member in members:
        if member["bsn"]:
            assert str(member["bsn"]) not in compact
        born = member["birth_date"]
        if born:
            day = date.fromisoformat(str(born))
            forms = [day.isoformat(), day.strftime("%d-%m-%Y"), day.strftime("%d/%m/%Y")]
            forms += [format_date(day, "long", locale=loc) for loc in ("nl_NL", "en_GB")]
            assert not any(form in everything for form in forms), member["uid"]


def test_the_version_goes_up_only_when_the_content_changes(world: World) -> None:
    group = world.group(BIG)
    first = pages(world.overview(BIG))[0]
    assert "printed on 28 November 2026, version 1" in first
    assert printouts.printed_version(world.db, group, WEEK) == 1
    world.overview(BIG, "nl")  # the same content in another language: the same version
    assert "version 1" in pages(world.overview(BIG))[0]
    uid = next(uid for uid, cancelled in lesson_uids(world, BIG) if not cancelled)
    svc.cancel_lesson(world.db, uid, "docent ziek", ACTOR)
    changed = pages(world.overview(BIG))
    assert "version 2" in changed[0]
    assert "Cancelled: docent ziek" in changed[0] and uid[:8] not in "\n".join(changed)
    assert "version 2" in pages(world.overview(BIG))[0]
    assert printouts.printed_version(world.db, group, WEEK) == 2
    other = world.group("DRU-B1")
    world.overview("DRU-B1")
    assert printouts.printed_version(world.db, other, WEEK) == 1  # per group and week
    assert printouts.printed_version(world.db, group, (2026, 50)) is None
    with world.db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT new_values FROM audit_entry WHERE action = 'print.week' "
                 "AND record_uid = :key ORDER BY id"),
            {"key": f"{group}/2026-W49"},
        ).scalars().all()  # fmt: skip
    assert len(rows) == 2 and '"version": 2' in rows[1]


def test_marks_fill_the_totals_of_past_lessons(world: World) -> None:
    head = group_head(world.db, world.group("DRU-A2"))
    past = group_weeks(world.db, [head], (2026, 48))[0]
    held = [lesson for lesson in past.lessons if not lesson.cancelled]
    assert held and all(lesson.present is not None for lesson in held)
    marked = sum(1 for m in past.members for _ in m.marks)
    assert marked >= sum(lesson.present or 0 for lesson in held) > 0
    future = group_weeks(world.db, [head], WEEK)[0]
    assert all(lesson.present is None for lesson in future.lessons)  # left to fill by hand
    text_48 = pages(world.overview("DRU-A2", week=(2026, 48)))[-1]
    after = text_48.split("Present (total)", 1)[1].split()
    assert after[: len(held)] == [str(lesson.present) for lesson in held]


def test_a_closed_week_says_so_on_one_page(world: World) -> None:
    texts = pages(world.overview(BIG, week=(2026, 52)))
    assert len(texts) == 1 and "page 1 of 1" in texts[0]
    assert texts[0].count("Closed: Kerstvakantie") == 5
    assert "No lessons this week." in texts[0]


def test_a_week_that_does_not_exist_is_refused(world: World) -> None:
    with pytest.raises(UserError, match="Week 53 of 2025 does not exist"):
        world.overview(BIG, week=(2025, 53))


def test_the_location_overview_shows_every_group_on_one_page(world: World) -> None:
    data = printouts.location_overview_pdf(
        world.db, location="wijchen", week=WEEK, tr=Translator.for_language("en"), now=world.now
    )
    texts = pages(data)
    assert len(texts) == 1 and "page 1 of 1" in texts[0]
    for name in ("WIJ-A1", "WIJ-A1-2", "WIJ-A2-1", "WIJ-A2-2", "WIJ-Alfa", "WIJ-B1"):
        assert name in texts[0]
    assert "DRU-A1" not in texts[0]
    assert "Monday 30 November to Friday 4 December 2026" in texts[0]
    with pytest.raises(UserError, match="No location is called Nijmegen"):
        printouts.location_overview_pdf(
            world.db, location="Nijmegen", week=WEEK, tr=Translator(), now=world.now
        )


def test_all_groups_in_one_pdf_with_progress_and_cancel(world: World) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return True

    data = printouts.all_groups_pdf(
        world.db, week=WEEK, tr=Translator.for_language("en"), now=world.now,
        progress=progress, actor=ACTOR,
    )  # fmt: skip
    total = calls[0][1]
    assert total == 10 and calls[-1] == (total, total)
    assert [done for done, _ in calls] == list(range(total + 1))
    texts = pages(data)
    assert len(texts) == total + 1  # DRU-A1 has two pages
    assert sum("page 1 of" in page for page in texts) == total

    def stop_at_three(done: int, total: int) -> bool:
        return done < 3

    with pytest.raises(printouts.Cancelled):
        printouts.all_groups_pdf(
            world.db, week=WEEK, tr=Translator(), now=world.now, progress=stop_at_three
        )


def test_the_candidate_schedule_is_one_portrait_page(world: World) -> None:
    with world.db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT c.uid, c.voornamen, c.achternaam, c.bsn, o.name FROM candidate c "
                "JOIN placement p ON p.candidate_id = c.id "
                "JOIN organisation o ON o.id = p.organisation_id "
                "JOIN group_membership m ON m.candidate_id = c.id "
                "WHERE p.start_date <= '2026-12-04' AND p.days != '' "
                "AND (p.end_date IS NULL OR p.end_date >= '2026-11-30') "
                "AND m.start_date <= '2026-11-30' AND m.end_date IS NULL LIMIT 1"
            )
        ).one()
    data = printouts.candidate_schedule_pdf(
        world.db, candidate_uid=row[0], week=WEEK, tr=Translator.for_language("nl"), now=world.now
    )
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) < float(box.height)  # portrait
    page = reader.pages[0].extract_text()
    assert row[1] in page and row[2] in page and row[4] in page
    assert "maandag 30 november" in page
    assert re.search(r"\d\d:\d\d–\d\d:\d\d", page)
    if row[3]:
        assert row[3] not in page.replace(" ", "")
    with pytest.raises(UserError):
        printouts.candidate_schedule_pdf(
            world.db, candidate_uid="nobody", week=WEEK, tr=Translator(), now=world.now
        )


def test_write_pdf_replaces_whole_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "week.pdf"
    printouts.write_pdf(target, b"%PDF-old")
    assert target.read_bytes() == b"%PDF-old"

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskFull, match="disk is full"):
        printouts.write_pdf(target, b"%PDF-new")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError, match="open in another program"):
        printouts.write_pdf(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["week.pdf"]  # no temporary file left
    with pytest.raises(UserError, match="is a folder"):
        printouts.write_pdf(tmp_path, b"%PDF")
    with pytest.raises(UserError, match="does not exist"):
        printouts.write_pdf(tmp_path / "missing" / "week.pdf", b"%PDF")
