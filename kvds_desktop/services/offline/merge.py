"""Importing the marks teachers recorded offline: facts, the merge, conflicts, receipts.

Every mark a file reports is kept as a fact under the id it got at the source, so the
same file imported twice changes nothing and files may come in any order: the marks
follow from the set of facts known (and the coordinator's own marks) alone, by the
rules in ``claims``. Per candidate and lesson, each source's latest revision is its
claim; when the claims agree the register gets that mark (origin ``merged``), when
they disagree with each other or with the coordinator's mark the mark waits in the
conflict queue (``conflicts``). Nothing is decided by file order or a laptop's clock.

A conflict that only files took part in and that later facts settle (all claims
agree again, or none is left) is deleted and the merged mark set; the facts and the
audit trail (``attendance.conflict.open`` / ``.settle``) keep its history. One the
coordinator decided before goes back to ``resolved``.

Several coordinators may import at once into one server database, even the same file.
The database's unique keys, not a look before the write, keep every fact and mark
single: a fact is stored with ``ON CONFLICT DO NOTHING`` on its uid, and only the facts
this import actually stored are merged (one that another import stored meanwhile counts
as known already). The lessons an import merges are locked for its transaction, so two
imports touching one lesson merge one after the other, each from every fact committed.
A mark or conflict row that another writer inserted first breaks its unique key: the
import is rolled back and run again from what is committed then (a few times at most).
On a file, SQLite lets one import write at a time (its write lock is taken at the start).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.offline.checks import (
    Accepted,
    RejectedMark,
    UnknownMark,
    check_file,
    check_marks,
    database_uid_in,
)
from kvds_desktop.services.offline.claims import (
    MERGED,
    OPEN,
    ClaimRow,
    decide,
    head_claims,
    merged_fields,
)
from kvds_desktop.services.offline.conflicts import (
    ConflictRow,
    conflicts_in,
    list_conflicts,
    provenance,
    resolve_conflict,
)
from kvds_desktop.services.offline.facts import IncomingFile
from kvds_desktop.services.offline.receipts import (
    MissingLesson,
    ReceiptRow,
    receipts,
    receipts_in,
)
from kvds_desktop.services.offline.state import (
    FACT,
    ConflictWrite,
    Key,
    MarkWrite,
    NewMark,
    Target,
    aware,
    load_conflicts,
    load_facts,
    load_marks,
    load_status_ids,
    lock_lessons,
    write_conflicts,
    write_marks,
)
from kvds_desktop.services.scheduling.common import write_audit
from kvds_desktop.store.database import WRITE_AT_BEGIN, Database
from kvds_desktop.store.server import ChangedMeanwhile
from kvds_desktop.store.upsert import insert_new, is_unique_violation

__all__ = [
    "ClaimRow",
    "ConflictRow",
    "ImportCollided",
    "ImportReport",
    "MissingLesson",
    "ReceiptRow",
    "RejectedMark",
    "UnknownMark",
    "database_uid",
    "import_incoming",
    "list_conflicts",
    "provenance",
    "receipts",
    "resolve_conflict",
]

IMPORT_TABLE = "mark_fact"
ATTEMPTS = 3  # runs of one import when other writers keep getting in first


class ImportCollided(UserError):
    """Other imports or edits of the same marks kept being saved first; nothing was imported."""


@dataclass(frozen=True)
class ImportReport:
    """What importing one file did.

    ``imported``: new facts stored; ``unchanged``: facts known already (also those
    another import stored at the same moment); ``nothing_new`` says neither happened;
    ``changed_marks``: marks set, changed or removed in the register; ``conflicts``:
    conflicts this file opened, reopened or added a claim to (open after the import);
    ``unknown`` and ``rejected``: marks not imported, with why; ``receipt``: the
    lessons of the file's pack received so far.
    """

    file_name: str
    source_label: str
    imported: int
    changed_marks: int
    unchanged: int
    conflicts: tuple[ConflictRow, ...]
    unknown: tuple[UnknownMark, ...]
    rejected: tuple[RejectedMark, ...]
    receipt: ReceiptRow | None

    @property
    def nothing_new(self) -> bool:
        """Whether no fact was stored: every mark was known already, unknown or rejected."""
        return self.imported == 0


def database_uid(db: Database) -> str:
    """This database's identity, written into every pack and workbook it sends.

    Raises:
        RuntimeError: the database has none (every migrated database has one).
    """
    with db.engine.connect() as conn:
        return database_uid_in(conn)


def _store_facts(
    conn: Connection, incoming: IncomingFile, accepted: Sequence[Accepted], now: datetime
) -> list[Accepted]:
    """Store the facts whose uid is new to the database; return the marks stored."""
    rows = [
        {
            "uid": a.mark.uid, "lesson_uid": a.mark.lesson_uid,
            "candidate_uid": a.mark.candidate_uid, "source_key": incoming.source_key[:80],
            "source_label": incoming.source_label[:120], "device_id": incoming.device_id[:80],
            "pack_uid": incoming.pack_uid[:36], "file_name": incoming.file_name[:200],
            "file_sha256": incoming.sha256[:64], "status_code": a.mark.status_code,
            "reason": a.mark.reason, "minutes": a.mark.minutes, "note": a.mark.note,
            "revision": a.mark.revision, "recorded_at": aware(a.mark.recorded_at),
            "imported_at": now,
        }
        for a in accepted
    ]  # fmt: skip
    stored = insert_new(conn, FACT, rows, key="uid")
    return [a for a in accepted if a.mark.uid in stored]


def _merged_mark(agreeing: Sequence[ClaimRow], status_ids: dict[str, int]) -> NewMark | None:
    first = agreeing[0]
    status_id = status_ids.get(first.status_code)
    if status_id is None:  # a status removed since the fact came in: leave the mark
        return None
    note, recorded_by, source = merged_fields(agreeing)
    return NewMark(status_id, first.status_code, first.reason, first.minutes, note, recorded_by,
                   source, MERGED)  # fmt: skip


def plan(
    conn: Connection, targets: dict[Key, Target]
) -> tuple[list[MarkWrite], list[ConflictWrite]]:
    """What the marks and conflict rows of ``targets`` become, from every fact known."""
    lesson_ids = {t.lesson_id for t in targets.values()}
    facts = load_facts(conn, targets)
    marks = load_marks(conn, lesson_ids)
    conflicts = load_conflicts(conn, lesson_ids)
    status_ids = load_status_ids(conn)
    mark_writes: list[MarkWrite] = []
    conflict_writes: list[ConflictWrite] = []
    for key in sorted(targets):
        target = targets[key]
        pair = (target.lesson_id, target.candidate_id)
        mark, conflict = marks.get(pair), conflicts.get(pair)
        decision = decide(head_claims(facts[key]), mark, conflict)
        if decision.merged is not None:
            after = _merged_mark(decision.merged, status_ids)
            if after is not None and (mark is None or not after.same_as(mark)):
                extra = {"facts": sorted(c.fact_uid for c in decision.merged if c.fact_uid)}
                mark_writes.append(MarkWrite(target, mark, after, "attendance.merge", extra))
        elif decision.remove_merged and mark is not None:
            mark_writes.append(MarkWrite(target, mark, None, "attendance.merge", {}))
        if decision.conflict:
            is_open = decision.conflict == OPEN
            conflict_writes.append(ConflictWrite(target, conflict, is_open, decision.claims))
    return mark_writes, conflict_writes


def import_incoming(
    db: Database, incoming: IncomingFile, *, actor: Actor, now: datetime
) -> ImportReport:
    """Import the marks of one file and merge them into the register, in one transaction.

    New facts are stored (rejected and unknown marks are not); the marks they touch
    are merged again from every fact known; conflicts open, reopen or settle. The
    import is audited as ``attendance.import`` (file, sha256, counts), each changed
    mark as ``attendance.merge`` (old -> new).

    Importing a file again, even while another coordinator imports it, stores and
    changes nothing: its facts count as ``unchanged`` (see ``ImportReport.nothing_new``).

    Raises:
        UserError: the file was made from another database, or answers a pack this
            database never sent; nothing is written then. ImportCollided: other
            writers saved the same marks first in every attempt.
    """
    failure: Exception | None = None
    for _ in range(ATTEMPTS):
        try:
            return _import_once(db, incoming, actor=actor, now=now)
        except IntegrityError as exc:  # a mark or conflict row written first by another
            if not is_unique_violation(exc):
                raise
            failure = exc
        except ChangedMeanwhile as exc:  # the server broke a deadlock by stopping this one
            failure = exc
    raise ImportCollided(
        N_("{file} was not imported: other imports or changes of the same marks were saved "
           "at the same moment, in {attempts} attempts. Nothing of it was saved; import it "
           "again."),
        file=incoming.file_name, attempts=ATTEMPTS,
    ) from failure  # fmt: skip


@contextmanager
def _writing(db: Database) -> Iterator[Connection]:
    """One unit of work that writes: on a file it waits for SQLite's write lock first."""
    with db.session() as session:
        yield session.connection(execution_options={WRITE_AT_BEGIN: True})


def _import_once(
    db: Database, incoming: IncomingFile, *, actor: Actor, now: datetime
) -> ImportReport:
    with _writing(db) as conn:
        check_file(conn, incoming)
        checked = check_marks(conn, incoming)
        stored = _store_facts(conn, incoming, checked.accepted, now)
        targets = {
            (a.mark.lesson_uid, a.mark.candidate_uid): Target(
                a.mark.lesson_uid, a.mark.candidate_uid, a.lesson.id, a.candidate_id
            )
            for a in stored
        }
        lock_lessons(conn, {t.lesson_id for t in targets.values()})
        mark_writes, conflict_writes = plan(conn, targets)
        audits = write_marks(conn, mark_writes, actor=actor, now=now)
        conflict_audits, touched = write_conflicts(conn, conflict_writes, actor=actor, now=now)
        conflicts = conflicts_in(conn, state=OPEN, uids=touched) if touched else []
        found = receipts_in(conn, pack_uids=[incoming.pack_uid])
        report = ImportReport(
            file_name=incoming.file_name, source_label=incoming.source_label,
            imported=len(stored), changed_marks=len(mark_writes),
            unchanged=checked.unchanged + len(checked.accepted) - len(stored),
            conflicts=tuple(conflicts), unknown=checked.unknown,
            rejected=checked.rejected, receipt=found[0] if found else None,
        )  # fmt: skip
        write_audit(conn, [*audits, *conflict_audits, _import_audit(incoming, report, actor, now)])
    return report


def _import_audit(
    incoming: IncomingFile, report: ImportReport, actor: Actor, now: datetime
) -> dict[str, Any]:
    new = {
        "file": incoming.file_name, "sha256": incoming.sha256, "kind": incoming.kind,
        "pack": incoming.pack_uid, "source": incoming.source_key, "label": incoming.source_label,
        "device": incoming.device_id, "imported": report.imported,
        "unchanged": report.unchanged, "changed_marks": report.changed_marks,
        "conflicts": len(report.conflicts), "unknown": len(report.unknown),
        "rejected": len(report.rejected),
    }  # fmt: skip
    return audit_row(actor, "attendance.import", IMPORT_TABLE, incoming.pack_uid[:36], new=new,
                     at=now)  # fmt: skip
