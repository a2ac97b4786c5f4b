"""Two coordinators import the same teacher's marks file at the same moment.

A real round trip makes the file: a week pack of the small attendance world is sealed,
opened into a teacher database, marked there and sealed back as a marks file. Two
Database objects (two coordinators, each with its own connections) then import that
one file at once, started together by a barrier, on a PostgreSQL server and on one
SQLite file. Every mark must exist once, the month summary must agree with the marks,
one import reports the marks and the other "nothing new", and neither fails. The race
is run a few times, each on a fresh copy of the coordinator's database.

On the server two more: files of two other teachers imported at once merge as if one
came after the other, and a mark another user saves first makes the import run again
(or, when that keeps happening, refuse the file with a message and save nothing).
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from kvds_desktop.exchange import sealed
from kvds_desktop.services import attendance as att
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import merge, packs
from kvds_desktop.services.offline.facts import IncomingFile, device_source, fact_uid
from kvds_desktop.services.offline.intake import read_incoming
from kvds_desktop.services.store_move import copy_database
from kvds_desktop.store.database import Database
from kvds_desktop.store.summaries import check_attendance_months
from tests import pg_support
from tests.unit.test_attendance_world import MON_1, NOW, WED_1, build

PASSPHRASE = "koffie met appeltaart"
WEEK = "2026-W37"  # MON_1 and WED_1
TEACHER = Actor("Anna", "laptop-anna")
LAPTOP_CLOCK = datetime(2026, 9, 9, 16, 0, tzinfo=UTC)
SERVER_ROUNDS = 5
FILE_ROUNDS = 3
WAIT_SECONDS = 60

# The teacher's laptop database is a file even on the PostgreSQL run (which sends every
# Database.open to the server): kept here before any fixture patches it.
OPEN_FILE = Database.__dict__["open"]

Key = tuple[str, str]  # lesson uid, candidate uid
Value = tuple[str, str, int | None]  # status, reason, minutes


@dataclass(frozen=True)
class Returned:
    """A coordinator database (closed) and the marks file a teacher sent back for it."""

    location: str  # a file path, or a server URL on the PostgreSQL run
    marks_file: Path
    typed: dict[Key, Value]


@pytest.fixture
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A low scrypt cost: each coordinator opens the sealed file itself, every round."""
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**10)


@pytest.fixture
def returned(tmp_path: Path, cheap_kdf: None) -> Returned:
    aw = build(tmp_path / "office")
    db = aw.db
    export = packs.export_pack(db, week=WEEK, group_uid=aw.group, passphrase=PASSPHRASE,
                               actor=Actor("coordinator", "office-pc"), now=NOW)  # fmt: skip
    pack = packs.open_pack(export.data, PASSPHRASE)
    with pytest.MonkeyPatch.context() as on_laptop:
        on_laptop.setattr(Database, "open", OPEN_FILE)
        laptop = packs.teacher_database(pack, tmp_path / "laptop" / "teacher.sqlite")
    try:
        monday, wednesday = aw.lesson(MON_1), aw.lesson(WED_1)
        amal, bilal, chaya = (aw.people[n] for n in ("Amal", "Bilal", "Chaya"))
        typed: dict[Key, Value] = {
            (monday, bilal): ("L", "", 10), (monday, chaya): ("M", "ziek", None),
            (wednesday, amal): ("Z", "", None),
        }  # fmt: skip
        for (lesson, person), (code, reason, minutes) in typed.items():
            att.set_mark(laptop, lesson_uid=lesson, candidate_uid=person, status_code=code,
                         reason=reason, minutes=minutes, actor=TEACHER,
                         now=LAPTOP_CLOCK)  # fmt: skip
        att.mark_rest_present(laptop, lesson_uid=monday, actor=TEACHER, now=LAPTOP_CLOCK)
        typed[monday, amal] = ("A", "", None)
        sent_back = packs.export_marks(laptop, passphrase=PASSPHRASE, now=LAPTOP_CLOCK)
    finally:
        laptop.close()
    assert sent_back.mark_count == len(typed) == 4
    marks_file = tmp_path / "back" / sent_back.suggested_file_name
    marks_file.parent.mkdir()
    marks_file.write_bytes(sent_back.data)
    location = str(db.path) if db.url is None else db.url.render_as_string(hide_password=False)
    aw.world.close()
    return Returned(location, marks_file, typed)


# --- the race ----------------------------------------------------------------------------


def opened(marks_file: Path) -> Callable[[], IncomingFile]:
    """Reading ``marks_file`` as a coordinator does (with the passphrase)."""
    return lambda: read_incoming(marks_file, PASSPHRASE).incoming


def race(open_db: Callable[[], Database], files: list[Callable[[], IncomingFile]]) -> list[Any]:
    """Coordinators, each with its own Database, import one file each, all at once.

    Returns what each import returned (an ImportReport) or raised.
    """
    barrier = threading.Barrier(len(files), timeout=WAIT_SECONDS)
    outcomes: list[Any] = [None] * len(files)

    def coordinator(n: int) -> None:
        try:
            db = open_db()
            try:
                incoming = files[n]()
                barrier.wait()
                outcomes[n] = merge.import_incoming(
                    db, incoming, actor=Actor(f"coordinator-{n}", f"office-pc-{n}"), now=NOW
                )
            finally:
                db.close()
        except BaseException as exc:  # reported by the test, in the main thread
            outcomes[n] = exc

    threads = [threading.Thread(target=coordinator, args=(n,)) for n in range(len(files))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "an import did not finish"
    return outcomes


def merged_marks(db: Database) -> list[tuple[Key, Value]]:
    """Every mark of the register, one entry per row (so a double would show twice)."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT l.uid, c.uid, s.code, m.reason, m.minutes FROM attendance_mark m "
                "JOIN lesson l ON l.id = m.lesson_id JOIN candidate c ON c.id = m.candidate_id "
                "JOIN attendance_status s ON s.id = m.status_id"
            )
        ).all()
    return sorted(((r[0], r[1]), (r[2], r[3], r[4])) for r in rows)


def check_outcome(db: Database, outcomes: list[Any], got: Returned) -> None:
    """Each mark once, the summary right, one import with the marks and one with nothing."""
    failures = [o for o in outcomes if not isinstance(o, merge.ImportReport)]
    assert not failures, failures
    first, second = sorted(outcomes, key=lambda report: -report.imported)
    count = len(got.typed)
    assert (first.imported, first.changed_marks, first.unchanged) == (count, count, 0)
    assert (second.imported, second.changed_marks, second.unchanged) == (0, 0, count)
    assert second.nothing_new and not first.nothing_new
    assert first.conflicts == second.conflicts == ()
    assert first.receipt == second.receipt and first.receipt is not None
    assert merged_marks(db) == sorted(got.typed.items())
    with db.engine.connect() as conn:
        assert check_attendance_months(conn) == []
        facts = conn.execute(text("SELECT count(*), count(DISTINCT uid) FROM mark_fact")).one()
        conflicts = conn.execute(text("SELECT count(*) FROM mark_conflict")).scalar_one()
        audited = {
            str(action): int(n)
            for action, n in conn.execute(
                text("SELECT action, count(*) FROM audit_entry WHERE action IN "
                     "('attendance.import', 'attendance.merge') GROUP BY action")
            )
        }  # fmt: skip
    assert tuple(facts) == (count, count) and conflicts == 0
    assert audited == {"attendance.import": 2, "attendance.merge": count}


# --- on a PostgreSQL server ----------------------------------------------------------------


@pytest.fixture
def on_server(
    returned: Returned, pg_server: pg_support.TestServer, pg_url: str
) -> Iterator[Callable[[], str]]:
    """Makes fresh server copies of the coordinator's database; yields the maker."""
    source = Database.open_location(returned.location)
    target = Database.connect(pg_url)
    try:
        copy_database(source, target)
    finally:
        source.close()
        target.close()
    template = make_url(pg_url).database
    assert template is not None
    made: list[str] = []

    def fresh() -> str:
        made.append(pg_server.new_database(template))
        return pg_server.url(made[-1])

    yield fresh
    for name in made:
        pg_server.drop(name)


def test_two_coordinators_on_a_server_import_one_file_at_once(
    returned: Returned, on_server: Callable[[], str]
) -> None:
    for _ in range(SERVER_ROUNDS):
        url = on_server()
        file = opened(returned.marks_file)
        outcomes = race(partial(Database.connect, url), [file, file])
        db = Database.connect(url)
        try:
            check_outcome(db, outcomes, returned)
        finally:
            db.close()


# --- on one SQLite file --------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_two_coordinators_on_one_file_import_one_file_at_once(
    returned: Returned, tmp_path: Path
) -> None:
    for round_ in range(FILE_ROUNDS):
        path = tmp_path / f"shared-{round_}" / "kvds.sqlite"
        path.parent.mkdir()
        shutil.copyfile(returned.location, path)
        file = opened(returned.marks_file)
        outcomes = race(partial(Database.open, path), [file, file])
        db = Database.open(path)
        try:
            check_outcome(db, outcomes, returned)
        finally:
            db.close()


# --- two teachers at once, and a mark saved first by someone else (server) -----------------


def other_teacher(incoming: IncomingFile, device: str, label: str) -> IncomingFile:
    """The same marks as ``incoming``, sent from another teacher's laptop."""
    source = device_source(incoming.pack_uid, device)
    marks = tuple(
        replace(m, uid=fact_uid(source, m.lesson_uid, m.candidate_uid, m.revision))
        for m in incoming.marks
    )
    return replace(incoming, file_name=f"{label}.kvdsmarks", source_key=source,
                   source_label=label, device_id=device, marks=marks)  # fmt: skip


def register(db: Database) -> tuple[Any, ...]:
    """The marks with their provenance, and the conflicts with their claims."""
    with db.engine.connect() as conn:
        marks = conn.execute(
            text(
                "SELECT l.uid, c.uid, s.code, m.reason, m.minutes, m.origin, m.source, m.note, "
                "m.recorded_by FROM attendance_mark m JOIN lesson l ON l.id = m.lesson_id "
                "JOIN candidate c ON c.id = m.candidate_id "
                "JOIN attendance_status s ON s.id = m.status_id"
            )
        ).all()
        assert check_attendance_months(conn) == []
    conflicts = sorted(
        (c.lesson_uid, c.candidate_uid, c.state, tuple(sorted((k.key, k.status_code)
                                                              for k in c.claims)))
        for c in merge.list_conflicts(db, state=None)
    )  # fmt: skip
    return sorted(tuple(r) for r in marks), conflicts


def test_two_teachers_files_imported_at_once_merge_as_one_after_the_other(
    returned: Returned, on_server: Callable[[], str]
) -> None:
    first = read_incoming(returned.marks_file, PASSPHRASE).incoming
    bram, carla = other_teacher(first, "laptop-bram", "Bram"), other_teacher(
        first, "laptop-carla", "Carla")  # fmt: skip

    def prepared() -> str:  # the first teacher's marks are in; the other two agree with them
        url = on_server()
        db = Database.connect(url)
        try:
            merge.import_incoming(db, first, actor=Actor("coordinator", "office-pc"), now=NOW)
        finally:
            db.close()
        return url

    url = prepared()
    db = Database.connect(url)
    try:
        for incoming in (bram, carla):
            merge.import_incoming(db, incoming, actor=Actor("coordinator", "office-pc"), now=NOW)
        in_turn = register(db)
    finally:
        db.close()
    # in turn, every mark names all three teachers; a lost update would drop one
    assert len(in_turn[0]) == len(returned.typed) and in_turn[1] == []
    assert {frozenset(r[6].split(", ")) for r in in_turn[0]} == {
        frozenset({first.source_label, "Bram", "Carla"})}  # fmt: skip
    for _ in range(SERVER_ROUNDS):
        url = prepared()
        outcomes = race(partial(Database.connect, url), [lambda: bram, lambda: carla])
        assert all(isinstance(o, merge.ImportReport) and o.imported == len(returned.typed)
                   for o in outcomes), outcomes  # fmt: skip
        db = Database.connect(url)
        try:
            assert register(db) == in_turn
        finally:
            db.close()


def _waiting_on_a_lock(url: str) -> bool:
    """Whether a KVDS connection to the database at ``url`` waits for a row lock."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND application_name = 'KVDS Desktop' "
                        "AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("attempts", [merge.ATTEMPTS, 1], ids=["run-again", "give-up"])
def test_a_mark_saved_first_by_another_user_runs_the_import_again(
    returned: Returned, on_server: Callable[[], str], attempts: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(merge, "ATTEMPTS", attempts)
    url = on_server()
    (lesson, candidate), _ = next((k, v) for k, v in sorted(returned.typed.items())
                                  if v[0] != "Z")  # fmt: skip
    other = create_engine(url, poolclass=NullPool)
    try:
        with other.connect() as conn:
            held = conn.begin()  # another user's mark for the same candidate, not yet saved
            conn.execute(
                text(
                    "INSERT INTO attendance_mark (uid, lesson_id, candidate_id, status_id, reason, "
                    "note, recorded_by, recorded_at, source, origin) SELECT :uid, l.id, c.id, "
                    "s.id, '', '', 'another user', :at, '', 'local' FROM lesson l, candidate c, "
                    "attendance_status s WHERE l.uid = :lesson AND c.uid = :candidate "
                    "AND s.code = 'Z'"
                ),
                {"uid": "held-mark", "at": NOW, "lesson": lesson, "candidate": candidate},
            )
            outcome: list[Any] = []
            worker = threading.Thread(
                target=lambda: outcome.extend(race(lambda: Database.connect(url),
                                                   [opened(returned.marks_file)]))
            )  # fmt: skip
            worker.start()
            deadline = time.monotonic() + WAIT_SECONDS
            while not _waiting_on_a_lock(url):
                assert time.monotonic() < deadline and worker.is_alive(), outcome
                time.sleep(0.05)
            held.commit()
        worker.join(WAIT_SECONDS)
    finally:
        other.dispose()
    (result,) = outcome
    db = Database.connect(url)
    try:
        marks, conflicts = register(db)
        with db.engine.connect() as conn:
            facts = conn.execute(text("SELECT count(*) FROM mark_fact")).scalar_one()
    finally:
        db.close()
    if attempts == 1:
        assert isinstance(result, merge.ImportCollided), result
        assert "nothing of it was saved" in str(result).lower()
        assert facts == 0 and [(m[0], m[1], m[2]) for m in marks] == [(lesson, candidate, "Z")]
        assert conflicts == []
        return
    assert isinstance(result, merge.ImportReport), result
    count = len(returned.typed)
    assert (result.imported, result.changed_marks, len(result.conflicts)) == (count, count - 1, 1)
    assert facts == count
    mine = [m for m in marks if (m[0], m[1]) == (lesson, candidate)]
    assert [(m[2], m[5], m[8]) for m in mine] == [("Z", "local", "another user")]
    assert [(c[0], c[1], c[2]) for c in conflicts] == [(lesson, candidate, "open")]
