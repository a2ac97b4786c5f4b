"""Fuzzing every importer: malformed, truncated and hostile files, seeded and repeatable.

Starting from real files the app makes from a copy of the pilot demo database (a
candidate export as CSV and XLSX, a closures CSV, a sealed week pack, a sealed marks
file and a teacher workbook), each input is a random mutation: truncation, flipped,
inserted or deleted bytes, random junk, re-encoded text (UTF-16, latin-1, NUL bytes),
wrong delimiters, formulas, huge fields, zip archives with junk members, JSON fields of
the wrong type sealed again with the right passphrase. Every input must end in a
:class:`~kvds_desktop.errors.UserError` or a correct import, and a rejected file must
leave every row of the database as it was.

The tests (tests/unit/test_fuzz_importers.py) drive the same importers and mutations with
hypothesis; :func:`run` feeds ``KVDS_FUZZ_BENCH`` inputs (default 10,000) per importer.
To keep 10,000 sealed files affordable, the seeds are sealed with a cheap scrypt cost
(the format carries its own cost, and the importer accepts any allowed one).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from kvds_desktop.errors import UserError

PASSPHRASE = "koffie met appeltaart"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
WEEK = "2026-W49"
CHEAP_SCRYPT_N = 16
CANDIDATE_ROWS = 25
CLOSURES = (
    "\ufeffDatum van;Tot en met;Omschrijving;Locatie;Soort\r\n"
    "19-12-2026;03-01-2027;Kerstvakantie;;schoolvakantie\r\n"
    "2027-02-15;2027-02-19;Voorjaarsvakantie;Wijchen;\r\n"
    "12-10-2026;;Studiedag team;Druten;eigen\r\n"
    "31-02-2027;01-03-2027;Foute datum;;\r\n"
    "2027-05-03;2027-05-07;Meivakantie;Nijmegen;\r\n"
)
FORMULAS = ("=1+1", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", '=HYPERLINK("x")')
IMPORTERS = ("candidates_csv", "candidates_xlsx", "closures", "packs", "marks", "workbooks")


# --- the database ---------------------------------------------------------------------


def table_digest(path: Path) -> str:
    """A hash of every row of every table of the database file at ``path``."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        for name in names:
            width = len(conn.execute(f'SELECT * FROM "{name}" LIMIT 0').description)
            order = ", ".join(str(i) for i in range(1, width + 1))
            digest.update(name.encode())
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):
                digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


@contextmanager
def cheap_sealing() -> Iterator[None]:
    """Seal with a low scrypt cost meanwhile (files stay valid: they carry their cost)."""
    from kvds_desktop.exchange import sealed

    saved = sealed.SCRYPT_N
    sealed.SCRYPT_N = CHEAP_SCRYPT_N
    try:
        yield
    finally:
        sealed.SCRYPT_N = saved


# --- the seeds ------------------------------------------------------------------------


@dataclass
class Fuzzer:
    """A coordinator database, the files made from it, and where inputs are written."""

    db: Any
    path: Path
    folder: Path
    seeds: dict[str, bytes] = field(default_factory=dict)
    marks_payload: bytes = b""
    pack_payload: bytes = b""
    digest: str | None = None
    watch: sqlite3.Connection | None = None

    @classmethod
    def create(cls, pilot: Path, folder: Path) -> Fuzzer:
        """Copy ``pilot`` into ``folder`` and make one valid file of every kind from it."""
        from kvds_desktop.store.database import Database

        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "coordinator.sqlite"
        shutil.copy(pilot, path)
        fuzzer = cls(Database.open(path), path, folder)
        with cheap_sealing():
            fuzzer._make_seeds()
        return fuzzer

    def close(self) -> None:
        """Close the database."""
        if self.watch is not None:
            self.watch.close()
        self.db.close()

    def _make_seeds(self) -> None:
        from kvds_desktop.exchange.candidate_export import export_candidates
        from kvds_desktop.exchange.sealed import MARKS_KIND, PACK_KIND, unseal
        from kvds_desktop.services import attendance as att
        from kvds_desktop.services.audit import Actor
        from kvds_desktop.services.offline import packs, workbook

        coordinator, teacher = Actor("fuzz", "fuzz-pc"), Actor("Bas Bakker", "laptop")
        with self.db.engine.connect() as conn:
            uids = [str(r[0]) for r in conn.exec_driver_sql(
                f"SELECT uid FROM candidate ORDER BY id LIMIT {CANDIDATE_ROWS}")]  # fmt: skip
        for kind in ("csv", "xlsx"):
            out = self.folder / f"seed.{kind}"
            export_candidates(self.db, out, include_bsn=True, uids=uids)
            self.seeds[f"candidates_{kind}"] = out.read_bytes()
        self.seeds["closures"] = CLOSURES.encode("utf-8")
        teacher_id, group_uid = self._busiest()
        pack = packs.export_pack(self.db, week=WEEK, teacher_id=teacher_id,
                                 passphrase=PASSPHRASE, actor=coordinator, now=NOW)  # fmt: skip
        self.seeds["packs"] = pack.data
        self.pack_payload = unseal(pack.data, PASSPHRASE, kind=PACK_KIND)
        opened = packs.open_pack(pack.data, PASSPHRASE)
        laptop = packs.teacher_database(opened, self.folder / "laptop" / "teacher.sqlite")
        try:
            for lesson in opened.lessons[:3]:
                att.mark_rest_present(laptop, lesson_uid=lesson.uid, actor=teacher, now=LATER)
            marks = packs.export_marks(laptop, passphrase=PASSPHRASE, now=LATER)
        finally:
            laptop.close()
        self.seeds["marks"] = marks.data
        self.marks_payload = unseal(marks.data, PASSPHRASE, kind=MARKS_KIND)
        book = workbook.export_workbook(self.db, group_uid=group_uid, week=WEEK, language="en",
                                        actor=coordinator, now=NOW)  # fmt: skip
        self.seeds["workbooks"] = book.data

    def _busiest(self) -> tuple[int, str]:
        """The teacher and the group with the most lessons in ``WEEK``."""
        from kvds_desktop.services.offline.week_scope import parse_week

        week = parse_week(WEEK)
        days = {"monday": week.monday.isoformat(), "sunday": week.sunday.isoformat()}
        where = "WHERE l.lesson_date BETWEEN :monday AND :sunday"
        with self.db.engine.connect() as conn:
            teacher = conn.execute(
                text(
                    f"SELECT l.teacher_id FROM lesson l {where} AND l.teacher_id IS NOT NULL "
                    "GROUP BY l.teacher_id ORDER BY count(*) DESC, l.teacher_id LIMIT 1"
                ),
                days,
            ).scalar_one()
            group = conn.execute(text(
                f"SELECT g.uid FROM lesson l JOIN study_group g ON g.id = l.group_id {where} "
                "GROUP BY g.id ORDER BY count(*) DESC, g.id LIMIT 1"), days,
            ).scalar_one()  # fmt: skip
        return int(teacher), str(group)

    # --- feeding ------------------------------------------------------------------

    def feed(self, importer: str, data: bytes, *, check_rows: bool = True) -> str:
        """Give ``data`` to ``importer``: "imported", "rejected", or "changed" (a bug).

        Any other exception propagates. ``check_rows`` compares every row of the
        database after a rejection (else only SQLite's commit counter).
        """
        if check_rows and self.digest is None:
            self.digest = table_digest(self.path)
        version = self._data_version()
        try:
            with cheap_sealing(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about what it repairs
                FEEDERS[importer](self, data)
        except UserError:
            if self._data_version() != version:
                return "changed"
            if check_rows and table_digest(self.path) != self.digest:
                return "changed"
            return "rejected"
        self.digest = None  # an import changes rows: hash them again when needed
        return "imported"

    def _data_version(self) -> int:
        """SQLite's counter of commits made by other connections (any write bumps it)."""
        if self.watch is None:
            self.watch = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        return int(self.watch.execute("PRAGMA data_version").fetchone()[0])

    def write(self, name: str, data: bytes) -> Path:
        """``data`` as the file ``name`` in the input folder."""
        target = self.folder / "in" / name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(data)
        return target


def _candidates(fuzzer: Fuzzer, data: bytes, suffix: str) -> None:
    from kvds_desktop.services.candidate_import import commit_import, preview_import

    path = fuzzer.write(f"kandidaten{suffix}", data)
    preview = preview_import(fuzzer.db, path, today=TODAY)
    commit_import(fuzzer.db, preview, actor="fuzz", device="fuzz", now=NOW, today=TODAY)


def _closures(fuzzer: Fuzzer, data: bytes) -> None:
    from kvds_desktop.services.audit import Actor
    from kvds_desktop.services.scheduling.closures import import_closures_csv

    import_closures_csv(fuzzer.db, fuzzer.write("sluitingen.csv", data), Actor("fuzz", "fuzz"))


def _pack(fuzzer: Fuzzer, data: bytes) -> None:
    from kvds_desktop.services.offline.packs import open_pack

    open_pack(data, PASSPHRASE)  # never writes the coordinator database: feed() checks


def _incoming(fuzzer: Fuzzer, data: bytes, name: str) -> None:
    from kvds_desktop.services.audit import Actor
    from kvds_desktop.services.offline.intake import read_incoming
    from kvds_desktop.services.offline.merge import import_incoming

    intake = read_incoming(fuzzer.write(name, data), PASSPHRASE)
    import_incoming(fuzzer.db, intake.incoming, actor=Actor("fuzz", "fuzz"), now=LATER)


FEEDERS: dict[str, Callable[[Fuzzer, bytes], None]] = {
    "candidates_csv": lambda f, d: _candidates(f, d, ".csv"),
    "candidates_xlsx": lambda f, d: _candidates(f, d, ".xlsx"),
    "closures": _closures,
    "packs": _pack,
    "marks": lambda f, d: _incoming(f, d, "marks.kvdsmarks"),
    "workbooks": lambda f, d: _incoming(f, d, "werkmap.xlsx"),
}


# --- mutations ------------------------------------------------------------------------


def truncate(rng: random.Random, data: bytes) -> bytes:
    """Cut the file off at a random point."""
    return data[: rng.randrange(len(data) + 1)]


def flip(rng: random.Random, data: bytes) -> bytes:
    """Flip one to eight random bits."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if buffer:
            buffer[rng.randrange(len(buffer))] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def insert(rng: random.Random, data: bytes) -> bytes:
    """Insert a few random bytes somewhere."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def delete(rng: random.Random, data: bytes) -> bytes:
    """Delete a random slice."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[at + rng.randint(1, 512) :]


def junk(rng: random.Random, data: bytes) -> bytes:
    """Random bytes, an empty file, or only white space."""
    return rng.choice([rng.randbytes(rng.randint(0, 4096)), b"", b" \r\n\t", b"\x00" * 64])


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def reencode(rng: random.Random, data: bytes) -> bytes:
    """The same text as UTF-16, latin-1, with BOMs or NUL bytes."""
    text = _text(data)
    choice = rng.randrange(5)
    if choice == 0:
        return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
    if choice == 1:
        return text.encode("latin-1", errors="replace")
    if choice == 2:
        return b"\xef\xbb\xbf" * rng.randint(1, 3) + text.encode()
    if choice == 3:
        return text.replace(";", ";\x00").encode()
    return text.encode().replace(b"\n", b"\r", rng.randint(1, 5))


def cells(rng: random.Random, data: bytes) -> bytes:
    """Change fields: formulas, huge values, wrong delimiters, header only, odd quotes."""
    lines = _text(data).splitlines()
    choice = rng.randrange(7)
    if choice == 0:
        return (lines[0] if lines else "").encode()  # header only
    if choice == 1:
        delimiter = rng.choice([",", "\t", "|", " ", ""])
        return "\n".join(line.replace(";", delimiter) for line in lines).encode()
    rows = [line.split(";") for line in lines] or [[""]]
    row = rng.choice(rows)
    at = rng.randrange(len(row))
    if choice == 2:
        row[at] = rng.choice(FORMULAS)
    elif choice == 3:
        row[at] = rng.choice('ABZ9é"') * rng.choice([1_000, 100_000, 1_000_000])
    elif choice == 4:
        row[at] = rng.choice(['"', '"""', "'", "\r", "\x00", "\u2028", "\ud800x"])
    elif choice == 5:
        row.extend([""] * rng.randint(1, 50) + ["x"])
    else:
        del row[at:]
    return "\n".join(";".join(r) for r in rows).encode("utf-8", errors="surrogatepass")


def _members(data: bytes) -> list[tuple[str, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(name, archive.read(name)) for name in archive.namelist()]
    except Exception:  # a seed that is no zip any more: mutate bytes instead
        return None


def zipped(rng: random.Random, data: bytes) -> bytes:
    """Change the archive: junk or missing members, damaged XML, a huge member."""
    members = _members(data)
    if not members:
        return flip(rng, data)
    choice = rng.randrange(6)
    at = rng.randrange(len(members))
    name, content = members[at]
    if choice == 0:
        members.append((rng.choice(["junk.bin", "xl/junk.xml", "[Content_Types].xml"]),
                        rng.randbytes(rng.randint(0, 2048))))  # fmt: skip
    elif choice == 1:
        del members[at]
    elif choice == 2:
        members[at] = (name, rng.choice([truncate, flip, insert, delete])(rng, content))
    elif choice == 3:
        members[at] = (name, rng.randbytes(rng.randint(0, 512)))
    elif choice == 4:
        members[at] = (name, content + b"<" * rng.randint(1, 4) + b"\x00" * 4000000)
    else:
        text = content.decode("utf-8", errors="replace")
        for word in ("<c ", "<row ", "<sheet ", 't="s"', 'r="', "<v>"):
            if word in text and rng.random() < 0.5:
                text = text.replace(word, rng.choice(["", word + word, "<x ", 't="e"']), 1)
        members[at] = (name, text.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, body in members:
            archive.writestr(member, body)
    return out.getvalue()


def sheet_cells(rng: random.Random, data: bytes) -> bytes:
    """Write random values (formulas, long texts, numbers, dates) into random cells."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data))
    except Exception:  # not a workbook any more: mutate bytes instead
        return flip(rng, data)
    if not book.sheetnames:
        return flip(rng, data)
    for _ in range(rng.randint(1, 6)):
        sheet = book[rng.choice(book.sheetnames)]
        cell = sheet.cell(rng.randint(1, max(2, sheet.max_row + 1)),
                          rng.randint(1, max(2, sheet.max_column + 1)))  # fmt: skip
        cell.value = rng.choice([
            rng.choice(FORMULAS), "A", "M ziek", "L 10", "x" * 40000, -1, 10**20, 3.5,
            datetime(1900, 1, 1), "", None, "\u202eA", "A 99999", "Z foo bar",
        ])  # fmt: skip
    if rng.random() < 0.1 and len(book.sheetnames) > 1:
        book[book.sheetnames[-1]].title = "renamed"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _leaf_change(rng: random.Random, value: Any) -> Any:
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        if rng.random() < 0.2:
            del value[key]
        else:
            value[key] = _leaf_change(rng, value[key])
        return value
    if isinstance(value, list) and value:
        at = rng.randrange(len(value))
        if rng.random() < 0.2:
            value.append(value[at])  # a duplicate entry
        else:
            value[at] = _leaf_change(rng, value[at])
        return value
    return rng.choice([None, "", -1, 0, 10**30, 1.5, True, [], {}, "x" * 10000,
                       "2026-13-45", "=1+1", "\x00", str(value) + "x"])  # fmt: skip


def sealed_json(rng: random.Random, payload: bytes, kind: str) -> bytes:
    """The payload with one field changed (or its bytes damaged), sealed correctly."""
    from kvds_desktop.exchange.sealed import seal

    if rng.random() < 0.2:
        changed = rng.choice([truncate, flip, insert, delete])(rng, payload)
    else:
        document = json.loads(payload)
        for _ in range(rng.randint(1, 3)):
            document = _leaf_change(rng, document)
        changed = json.dumps(document).encode()
    with cheap_sealing():
        return seal(changed, PASSPHRASE, kind=kind)


BYTES = (truncate, flip, insert, delete, junk)
TEXT = (reencode, cells)
ZIP = (zipped, sheet_cells)


def mutate(fuzzer: Fuzzer, importer: str, rng: random.Random) -> bytes:
    """One random mutation of the seed of ``importer``."""

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate zip members, repaired cells: on purpose
        return _mutate(fuzzer, importer, rng)


def _mutate(fuzzer: Fuzzer, importer: str, rng: random.Random) -> bytes:
    from kvds_desktop.exchange.sealed import MARKS_KIND, PACK_KIND

    seed = fuzzer.seeds[importer]
    if importer in ("packs", "marks"):
        if rng.random() < 0.5:
            payload = fuzzer.pack_payload if importer == "packs" else fuzzer.marks_payload
            return sealed_json(rng, payload, PACK_KIND if importer == "packs" else MARKS_KIND)
        return rng.choice(BYTES)(rng, seed)
    family = ZIP if importer in ("candidates_xlsx", "workbooks") else TEXT
    data = rng.choice(family + BYTES)(rng, seed)
    if rng.random() < 0.2:  # now and then a second mutation on top
        data = rng.choice(family + BYTES)(rng, data)
    return data


# --- the long run ---------------------------------------------------------------------


def run() -> dict[str, object]:
    """Feed ``KVDS_FUZZ_BENCH`` (default 10,000) fuzzed inputs to every importer.

    ``KVDS_FUZZ_IMPORTERS`` (comma separated names from :data:`IMPORTERS`) limits the
    run to some importers; each importer's figures go to stderr as soon as it is done.
    """
    from bench.datasets import demo_database

    count = int(os.environ.get("KVDS_FUZZ_BENCH", "10000"))
    chosen = os.environ.get("KVDS_FUZZ_IMPORTERS", "").split(",")
    importers = [name for name in IMPORTERS if name in chosen] or list(IMPORTERS)
    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-fuzz-"))
    results: dict[str, object] = {"name": "fuzz", "inputs_per_importer": count}
    try:
        for importer in importers:
            fuzzer = Fuzzer.create(demo_database("pilot"), folder / importer)
            rng = random.Random(f"kvds-fuzz-{importer}")
            tally = {"inputs": 0, "rejected": 0, "imported": 0, "unexpected": 0, "changed": 0}
            examples: list[str] = []
            started = time.perf_counter()
            try:
                for number in range(count):
                    data = mutate(fuzzer, importer, rng)
                    tally["inputs"] += 1
                    try:  # every 50th input compares every row, the others the file times
                        outcome = fuzzer.feed(importer, data, check_rows=number % 50 == 0)
                    except Exception as exc:  # counting the bugs is the point
                        tally["unexpected"] += 1
                        if len(examples) < 5:
                            examples.append(f"{type(exc).__name__}: {str(exc)[:160]}")
                        continue
                    tally[outcome] += 1
                    if (number + 1) % 1000 == 0:
                        seconds = round(time.perf_counter() - started)
                        print(f"fuzz {importer}: {number + 1} in {seconds} s {tally}",
                              file=sys.stderr, flush=True)  # fmt: skip
            finally:
                fuzzer.close()
            results[importer] = {**tally, "seconds": round(time.perf_counter() - started, 1),
                                 "unexpected_examples": examples}  # fmt: skip
            print(f"fuzz {importer}: {results[importer]}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results
