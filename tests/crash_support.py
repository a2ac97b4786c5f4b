"""Killing the real ``kvds`` command at random moments and checking what survived.

``run_crash_trial`` prepares real marks files on a coordinator database (pack export,
the teacher's own database, marks export: as a teacher's laptop would), then runs the
command in a child process again and again, ``attendance mark`` (each with its own note)
or ``attendance import`` of one of those files, and kills the child with SIGKILL after a
seeded random delay. A write is *acknowledged* only when the child exited 0 on its own
and printed its confirmation. Afterwards the database must pass ``PRAGMA
integrity_check`` and ``foreign_key_check``, keep its attendance summary equal to the
marks, hold every acknowledged write, and hold nothing half-written (see ``verify``).

Used by tests/unit/test_crash_safety.py (short) and bench/bench_crash.py (long).
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PASSPHRASE = "koffie met appeltaart"
TODAY = "2026-11-28"
PACK_WEEK, PACK_DAYS = "2026-W49", ("2026-11-30", "2026-12-06")
MARK_DAYS = ("2026-11-23", "2026-11-27")  # the driver's own marks: last week, no pack there
Key = tuple[str, str]  # (lesson uid, candidate uid)
NO_MARK = ("-", "-")  # (status, note) of a key without a mark
LATE = 0.4  # most kills come after this share of a run: Python's imports take about half


@dataclass(frozen=True)
class Attempt:
    """One child run: a mark (key, status, unique note) or an import (file index)."""

    number: int
    kind: str  # "mark" or "import"
    key: Key | None = None
    status: str = ""
    note: str = ""
    file: int = -1


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended: acknowledged, killed, or failed on its own."""

    attempt: Attempt
    killed: bool
    acknowledged: bool
    returncode: int
    delay: float
    stderr: str


@dataclass
class CrashResult:
    """The figures of one trial; ``ok`` when nothing was lost, broken or half-written."""

    kills: int = 0
    runs: int = 0
    acknowledged_marks: int = 0
    acknowledged_imports: int = 0
    committed_before_kill: int = 0  # present although the child was killed: fine
    lost_writes: list[str] = field(default_factory=list)
    integrity_errors: list[str] = field(default_factory=list)
    half_written: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # exited non-zero on its own
    seconds: float = 0.0
    prepare_seconds: float = 0.0  # making the marks files
    verify_seconds: float = 0.0
    world: World | None = field(default=None, repr=False)
    outcomes: list[Outcome] = field(default_factory=list, repr=False)

    @property
    def acknowledged(self) -> int:
        """Acknowledged writes of both kinds."""
        return self.acknowledged_marks + self.acknowledged_imports

    @property
    def ok(self) -> bool:
        """Whether the database kept every promise."""
        return not (self.lost_writes or self.integrity_errors or self.half_written
                    or self.failures)  # fmt: skip


@dataclass(frozen=True)
class World:
    """What the trial works with, prepared before the first kill."""

    db: Path
    home: Path
    secret: Path
    marks_files: tuple[Path, ...]
    mark_keys: tuple[Key, ...]
    statuses: tuple[str, ...]
    audit_baseline: int
    before: dict[Key, tuple[str, str]]  # (status, note) of the driver's keys before the trial


# --- preparation ---------------------------------------------------------------------------


def _query(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.execute(sql, params).fetchall())


def _members(path: Path, days: tuple[str, str]) -> list[Key]:
    """(lesson uid, candidate uid) of every open lesson in ``days`` and its group that day."""
    sql = (
        "SELECT l.uid, c.uid FROM lesson l JOIN group_membership m ON m.group_id = l.group_id "
        "JOIN candidate c ON c.id = m.candidate_id WHERE NOT l.cancelled AND l.lesson_date "
        "BETWEEN ? AND ? AND m.start_date <= l.lesson_date AND (m.end_date IS NULL OR "
        "m.end_date >= l.lesson_date) ORDER BY 1, 2"
    )
    rows = _query(path, sql, days)
    return [(str(r[0]), str(r[1])) for r in rows]


def _cli(home: Path, db: Path, *argv: str) -> Any:
    """Run ``kvds --json ARGV`` in this process (preparation only) and return its JSON."""
    from kvds_desktop.cli import main
    from kvds_desktop.paths import AppPaths

    out, err = io.StringIO(), io.StringIO()
    argv = ("--today", TODAY, "--lang", "en", "--db", str(db), "--json", *argv)
    code = main(list(argv), paths=AppPaths.under(home), out=out, err=err)
    if code != 0:
        raise RuntimeError(f"kvds {' '.join(argv)} failed: {err.getvalue()}")
    return json.loads(out.getvalue())


def _mark_teacher_db(
    path: Path, teacher: str, keys: list[Key], rng: random.Random, share: float
) -> None:
    """Set (or change, for ``share`` of them) the marks of ``keys`` in a teacher database."""
    from kvds_desktop.services import attendance as att
    from kvds_desktop.services.audit import Actor
    from kvds_desktop.store.database import Database

    db = Database.open(path)
    try:
        for lesson, candidate in keys:
            if rng.random() < share:
                att.set_mark(db, lesson_uid=lesson, candidate_uid=candidate,
                             status_code=rng.choice(("A", "Z")), note=f"r{rng.randrange(1000)}",
                             actor=Actor(teacher, "laptop"), now=datetime.now(UTC))  # fmt: skip
    finally:
        db.close()


def prepare(
    db: Path, workdir: Path, *, teachers: int, revisions: int, file_marks: int, seed: int
) -> World:
    """Make ``teachers`` x ``revisions`` marks files from week packs of ``db``.

    Each teacher gets a pack of PACK_WEEK, opened into a database of their own; the
    first revision marks up to ``file_marks`` members of its lessons there, each later one
    changes about half of them, and each exports a marks file, so every file brings new
    facts. Also picks the keys and statuses of the driver's own marks.
    """
    rng = random.Random(seed)
    home = workdir / "home"
    secret = workdir / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    busiest = _query(db, "SELECT t.name FROM lesson l JOIN teacher t ON t.id = l.teacher_id "
                     "WHERE l.lesson_date BETWEEN ? AND ? AND NOT l.cancelled GROUP BY t.id "
                     "ORDER BY count(*) DESC, t.name LIMIT ?", (*PACK_DAYS, teachers))  # fmt: skip
    files = []
    for t, teacher in enumerate(str(r[0]) for r in busiest):
        pack = workdir / f"pack-{t}.kvdspack"
        _cli(home, db, "pack", "export", "--teacher", teacher, "--week", PACK_WEEK,
             "--out", str(pack), "--passphrase-file", str(secret))  # fmt: skip
        laptop = workdir / f"teacher-{t}.sqlite"
        _cli(home, laptop, "pack", "open", str(pack), "--passphrase-file", str(secret))
        members = _members(laptop, PACK_DAYS)
        members = rng.sample(members, min(file_marks, len(members)))
        for r in range(revisions):
            _mark_teacher_db(laptop, teacher, members, rng, 1.0 if r == 0 else 0.5)
            out = workdir / f"marks-{t}-{r}.kvdsmarks"
            _cli(home, laptop, "marks", "export", "--out", str(out),
                 "--passphrase-file", str(secret))  # fmt: skip
            files.append(out)
    keys = _members(db, MARK_DAYS)
    statuses = tuple(str(r[0]) for r in _query(
        db, "SELECT code FROM attendance_status WHERE active AND NOT needs_reason "
        "AND NOT needs_minutes ORDER BY code"))  # fmt: skip
    (baseline,) = _query(db, "SELECT coalesce(max(id), 0) FROM audit_entry")[0]
    return World(db=db, home=home, secret=secret, marks_files=tuple(files),
                 mark_keys=tuple(rng.sample(keys, min(40, len(keys)))), statuses=statuses,
                 audit_baseline=int(baseline),
                 before={k: v[1:] for k, v in _register(db).items()})  # fmt: skip


def _register(db: Path) -> dict[Key, tuple[str, str, str]]:
    """(mark uid, status, note) per (lesson uid, candidate uid) of every mark."""
    rows = _query(db, "SELECT l.uid, c.uid, m.uid, s.code, m.note FROM attendance_mark m "
                  "JOIN lesson l ON l.id = m.lesson_id JOIN candidate c ON c.id = m.candidate_id "
                  "JOIN attendance_status s ON s.id = m.status_id")  # fmt: skip
    return {(str(r[0]), str(r[1])): (str(r[2]), str(r[3]), str(r[4])) for r in rows}


# --- the loop --------------------------------------------------------------------------------


def _argv(world: World, attempt: Attempt) -> list[str]:
    head = [sys.executable, "-m", "kvds_desktop.cli", "--today", TODAY, "--lang", "en",
            "--db", str(world.db), "--json", "attendance"]  # fmt: skip
    if attempt.kind == "mark":
        assert attempt.key is not None
        return [*head, "mark", "--lesson", attempt.key[0], "--candidate", attempt.key[1],
                "--status", attempt.status, "--note", attempt.note]  # fmt: skip
    file = world.marks_files[attempt.file]
    return [*head, "import", str(file), "--passphrase-file", str(world.secret)]


def _confirmed(attempt: Attempt, stdout: str) -> bool:
    """Whether the child printed the confirmation of exactly this write."""
    try:
        data = json.loads(stdout)
    except ValueError:
        return False
    if attempt.kind == "mark":
        after = data.get("after") or {}
        return bool(after.get("note") == attempt.note and after.get("status") == attempt.status)
    files = data.get("files") or []
    return len(files) == 1 and files[0].get("result") == "imported"


def _run_child(world: World, workdir: Path, attempt: Attempt, delay: float | None) -> Outcome:
    """Start the command; SIGKILL it after ``delay`` seconds unless it exited before."""
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    env = {**os.environ, "KVDS_HOME": str(world.home)}
    with out_path.open("w+b") as out, err_path.open("w+b") as err:
        child = subprocess.Popen(_argv(world, attempt), stdout=out, stderr=err, env=env)
        killed = False
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.kill()  # SIGKILL
            child.wait()
            killed = child.returncode == -signal.SIGKILL  # else it exited just before
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    ok = child.returncode == 0 and _confirmed(attempt, stdout)
    return Outcome(attempt, killed, ok, child.returncode, delay or 0.0, stderr.strip()[-300:])


def run_crash_trial(
    db_path: Path,
    kills: int,
    seed: int,
    workdir: Path,
    *,
    teachers: int = 1,
    revisions: int = 2,
    file_marks: int = 30,
    unkilled_share: float = 0.0,
) -> CrashResult:
    """Kill ``kills`` children writing to ``db_path`` (a coordinator database) and check it.

    The marks files come from ``prepare`` (``teachers``, ``revisions``, ``file_marks``).
    ``unkilled_share`` of the runs are left to finish, for more acknowledged writes.

    The delay before each kill is seeded: a fifth anywhere in the child's life (start-up
    included), the rest in its later part (from LATE of it on), where it opens the
    database, writes, commits, checkpoints, prints and exits. How long each kind of run
    takes is measured first with unkilled runs and kept up to date with every run that
    finished. ``committed_before_kill`` tells how many kills came after a commit.
    """
    began = time.perf_counter()
    workdir.mkdir(parents=True, exist_ok=True)
    world = prepare(db_path, workdir, teachers=teachers, revisions=revisions,
                    file_marks=file_marks, seed=seed)  # fmt: skip
    prepared = time.perf_counter()
    rng = random.Random(seed)
    numbers = iter(range(1, 1_000_000))

    def next_attempt() -> Attempt:
        n = next(numbers)
        if rng.random() < 0.35:
            return Attempt(n, "import", file=rng.randrange(len(world.marks_files)))
        key = rng.choice(world.mark_keys)
        return Attempt(n, "mark", key=key, status=rng.choice(world.statuses),
                       note=f"crash-{seed}-{n}")  # fmt: skip

    outcomes: list[Outcome] = []
    durations: dict[str, list[float]] = {"mark": [], "import": []}
    for kind in durations:  # one unkilled run of each kind, to learn how long they take
        attempt = next_attempt()
        while attempt.kind != kind:
            attempt = next_attempt()
        began_child = time.perf_counter()
        outcomes.append(_run_child(world, workdir, attempt, None))
        durations[kind].append(time.perf_counter() - began_child)
    killed = 0
    while killed < kills and len(outcomes) < 10 * kills:  # bounded if every run fails
        attempt = next_attempt()
        full = statistics.median(durations[attempt.kind][-5:])
        delay: float | None = None  # left to finish
        if rng.random() >= unkilled_share:
            delay = rng.uniform(0.0 if rng.random() < 0.2 else LATE * full, full)
        began_child = time.perf_counter()
        outcome = _run_child(world, workdir, attempt, delay)
        if not outcome.killed:
            durations[attempt.kind].append(time.perf_counter() - began_child)
        outcomes.append(outcome)
        killed += outcome.killed
    checked = time.perf_counter()
    result = verify(world, outcomes)
    result.kills = killed
    result.prepare_seconds = round(prepared - began, 1)
    result.verify_seconds = round(time.perf_counter() - checked, 1)
    result.seconds = round(time.perf_counter() - began, 1)
    return result


# --- the checks --------------------------------------------------------------------------------


def verify(world: World, outcomes: list[Outcome]) -> CrashResult:
    """Check the database against what the children were told and what they acknowledged."""
    result = CrashResult(runs=len(outcomes), world=world, outcomes=outcomes)
    for o in outcomes:
        if not o.killed and not o.acknowledged:
            result.failures.append(f"run {o.attempt.number} exited {o.returncode}: {o.stderr}")
    with closing(sqlite3.connect(world.db)) as conn:
        check = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            result.integrity_errors += check
        result.integrity_errors += [f"foreign key: {r}" for r in
                                    conn.execute("PRAGMA foreign_key_check")]  # fmt: skip
        audits = [(str(r[0]), str(r[1]), json.loads(r[2]) if r[2] else {}) for r in conn.execute(
            "SELECT action, record_uid, new_values FROM audit_entry WHERE id > ? ORDER BY id",
            (world.audit_baseline,))]  # fmt: skip
    _verify_derived(world, result)
    _verify_marks(world, outcomes, audits, _register(world.db), result)
    _verify_imports(world, outcomes, audits, result)
    return result


def _verify_derived(world: World, result: CrashResult) -> None:
    """The summary table equals the marks, and every mark with facts is what they imply
    (a merge written only in part would differ), with no conflict."""
    from sqlalchemy import create_engine

    from kvds_desktop.services.offline.merge import plan
    from kvds_desktop.services.offline.state import Target
    from kvds_desktop.store.summaries import check_attendance_months

    rows = _query(world.db, "SELECT DISTINCT f.lesson_uid, f.candidate_uid, l.id, c.id "
                  "FROM mark_fact f JOIN lesson l ON l.uid = f.lesson_uid "
                  "JOIN candidate c ON c.uid = f.candidate_uid")  # fmt: skip
    targets = {(str(r[0]), str(r[1])): Target(str(r[0]), str(r[1]), int(r[2]), int(r[3]))
               for r in rows}  # fmt: skip
    engine = create_engine(f"sqlite:///{world.db}")
    try:
        with engine.connect() as conn:
            wrong = check_attendance_months(conn)
            writes, conflicts = plan(conn, targets)
    finally:
        engine.dispose()
    result.integrity_errors += [f"attendance_month differs: {row}" for row in wrong[:20]]
    # One source per key and no marks of the coordinator's own there: no conflict either.
    result.half_written += [f"mark {w.target.lesson_uid}/{w.target.candidate_uid} differs "
                            "from its facts" for w in writes]  # fmt: skip
    result.half_written += [f"mark {c.target.lesson_uid}/{c.target.candidate_uid} in conflict "
                            "with its facts" for c in conflicts]  # fmt: skip


def _verify_marks(
    world: World,
    outcomes: list[Outcome],
    audits: list[tuple[str, str, dict[str, Any]]],
    marks: dict[Key, tuple[str, str, str]],
    result: CrashResult,
) -> None:
    """Every acknowledged mark is in the audit trail with its values, and the register
    holds, per key, the last acknowledged write or one attempted after it."""
    audited: dict[str, list[dict[str, Any]]] = defaultdict(list)
    latest: dict[str, dict[str, Any]] = {}
    for action, uid, new in audits:
        if action in ("attendance.mark", "attendance.change"):
            audited[str(new.get("note"))].append(new)
        if action in ("attendance.mark", "attendance.change", "attendance.merge"):
            latest[uid] = new
    # Per key, the values it may hold: those of the last acknowledged write and of every
    # write attempted after it (it may have committed just before its kill); with no
    # acknowledged write, the value before the trial too.
    allowed = {key: {world.before.get(key, NO_MARK)} for key in world.mark_keys}
    for o in outcomes:
        a = o.attempt
        if a.kind != "mark" or a.key is None:
            continue
        entries = audited.get(a.note, [])
        if len(entries) > 1:
            result.half_written.append(f"mark {a.note} audited {len(entries)} times")
        if o.acknowledged:
            result.acknowledged_marks += 1
            allowed[a.key] = {(a.status, a.note)}
            if not entries or entries[0].get("status") != a.status:
                result.lost_writes.append(f"acknowledged mark {a.note} {a.key} not in the audit")
        else:
            allowed[a.key].add((a.status, a.note))
            result.committed_before_kill += bool(entries) and o.killed
    for key in {o.attempt.key for o in outcomes if o.attempt.key is not None}:
        _uid, status, note = marks.get(key, ("", *NO_MARK))
        if (status, note) not in allowed[key]:
            result.lost_writes.append(f"mark {key} is {status}/{note}, not one of {allowed[key]}")
    for uid, status, note in marks.values():
        said = latest.get(uid)
        if said is not None and (said.get("status"), said.get("note")) != (status, note):
            result.half_written.append(f"mark {uid} is {status}/{note}, its audit says {said}")


def _verify_imports(
    world: World,
    outcomes: list[Outcome],
    audits: list[tuple[str, str, dict[str, Any]]],
    result: CrashResult,
) -> None:
    """Per marks file: its facts and its audit entries agree (all or nothing), an
    acknowledged file's facts are all there, and the register is what the facts imply."""
    from kvds_desktop.services.offline.intake import read_incoming

    imported: dict[str, int] = Counter()
    entries: dict[str, int] = Counter()
    for action, _uid, new in audits:
        if action == "attendance.import":
            imported[str(new.get("sha256"))] += int(new.get("imported", 0))
            entries[str(new.get("sha256"))] += 1
    attempts: dict[int, int] = Counter(o.attempt.file for o in outcomes
                                       if o.attempt.kind == "import")  # fmt: skip
    acks: dict[int, int] = Counter(o.attempt.file for o in outcomes
                                   if o.attempt.kind == "import" and o.acknowledged)  # fmt: skip
    result.acknowledged_imports = sum(acks.values())
    with closing(sqlite3.connect(world.db)) as conn:
        facts = {str(r[0]): str(r[1]) for r in conn.execute(
            "SELECT uid, file_sha256 FROM mark_fact")}  # fmt: skip
    per_sha = Counter(facts.values())
    for index, path in enumerate(world.marks_files):
        incoming = read_incoming(path, PASSPHRASE).incoming
        sha = incoming.sha256
        if per_sha[sha] != imported[sha]:
            result.half_written.append(
                f"{path.name}: {per_sha[sha]} facts but the audit says {imported[sha]}"
            )
        if entries[sha] > attempts[index]:
            result.half_written.append(f"{path.name}: {entries[sha]} audits, "
                                       f"{attempts[index]} imports")  # fmt: skip
        if acks[index]:
            missing = [m.uid for m in incoming.marks if m.uid not in facts]
            if missing or entries[sha] < acks[index]:
                result.lost_writes.append(
                    f"{path.name}: acknowledged {acks[index]} times, "
                    f"{entries[sha]} audits, {len(missing)} facts missing"
                )
        result.committed_before_kill += max(0, entries[sha] - acks[index])
