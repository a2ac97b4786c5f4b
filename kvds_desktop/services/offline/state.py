"""Reading and writing what the merge works on: facts, current marks and conflict rows.

Everything is loaded and written in bulk (a few queries per import, whatever the
number of marks), on the caller's Core connection and inside its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, bindparam, select

from kvds_desktop.services.attendance.common import (
    LESSON,
    MARK,
    MARK_TABLE,
    STATUS,
    TABLES,
    MarkRow,
    mark_uid,
)
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.offline.claims import (
    OPEN,
    RESOLVED,
    ClaimRow,
    ConflictState,
    CurrentMark,
    claim_signature,
    claims_json,
    parse_claims_json,
)
from kvds_desktop.store.models import new_uid

FACT: Table = TABLES["mark_fact"]
CONFLICT: Table = TABLES["mark_conflict"]
SENT_PACK: Table = TABLES["sent_pack"]
INFO: Table = TABLES["database_info"]
CONFLICT_TABLE = "mark_conflict"
CHUNK = 500

Key = tuple[str, str]  # lesson uid, candidate uid
IdKey = tuple[int, int]  # lesson id, candidate id
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for an SQL ``IN`` list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def aware(moment: datetime | None) -> datetime | None:
    """A time with a time zone (a laptop's clock without one is taken as UTC)."""
    if moment is not None and moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment


_FACT_COLUMNS = (
    FACT.c.lesson_uid, FACT.c.candidate_uid, FACT.c.source_key, FACT.c.source_label,
    FACT.c.uid, FACT.c.status_code, FACT.c.reason, FACT.c.minutes, FACT.c.note,
    FACT.c.revision, FACT.c.recorded_at, FACT.c.file_name,
)  # fmt: skip


def fact_claim(r: Any) -> ClaimRow:
    """A ClaimRow from a row of ``_FACT_COLUMNS`` (from the source key on)."""
    return ClaimRow(
        key=str(r[2]), label=str(r[3] or ""), fact_uid=str(r[4]), status_code=str(r[5] or ""),
        reason=str(r[6] or ""), minutes=r[7], note=str(r[8] or ""), revision=int(r[9]),
        recorded_at=r[10], file_name=str(r[11] or ""),
    )  # fmt: skip


def load_facts(conn: Connection, keys: Iterable[Key]) -> dict[Key, list[ClaimRow]]:
    """Every fact for the marks in ``keys``, ordered by source, revision and uid."""
    wanted = set(keys)
    found: dict[Key, list[ClaimRow]] = {key: [] for key in wanted}
    for part in chunks(sorted({lesson for lesson, _ in wanted})):
        rows = conn.execute(
            select(*_FACT_COLUMNS)
            .where(FACT.c.lesson_uid.in_(part))
            .order_by(FACT.c.source_key, FACT.c.revision, FACT.c.uid)
        )
        for r in rows:
            key = (str(r[0]), str(r[1]))
            if key in found:
                found[key].append(fact_claim(r))
    return found


def lock_lessons(conn: Connection, lesson_ids: Iterable[int]) -> None:
    """Hold these lessons for the merge until the transaction ends (on a server).

    Two imports that merge marks of one lesson then merge one after the other, the
    second from every fact the first committed; the locks are taken in id order, so
    two imports cannot wait for each other. ``FOR NO KEY UPDATE`` leaves marks of the
    lesson free to be written by others meanwhile (their foreign key check does not
    wait). SQLite lets one writer in at a time anyway.
    """
    if conn.dialect.name != "postgresql":
        return
    for part in chunks(sorted(set(lesson_ids))):
        conn.execute(
            select(LESSON.c.id)
            .where(LESSON.c.id.in_(part))
            .order_by(LESSON.c.id)
            .with_for_update(key_share=True)
        ).all()


MARK_COLUMNS = (
    MARK.c.uid, MARK.c.status_id, STATUS.c.code, MARK.c.reason, MARK.c.minutes, MARK.c.note,
    MARK.c.recorded_by, MARK.c.recorded_at, MARK.c.source, MARK.c.id, MARK.c.origin,
)  # fmt: skip


def current_mark(r: Any, offset: int = 0) -> CurrentMark | None:
    """A CurrentMark from ``MARK_COLUMNS`` starting at ``offset`` (None: no mark)."""
    if r[offset] is None:
        return None
    row = MarkRow(
        uid=str(r[offset]), status_id=int(r[offset + 1]), status_code=str(r[offset + 2]),
        reason=str(r[offset + 3] or ""), minutes=r[offset + 4], note=str(r[offset + 5] or ""),
        recorded_by=str(r[offset + 6] or ""), recorded_at=r[offset + 7],
        source=str(r[offset + 8] or ""),
    )  # fmt: skip
    return CurrentMark(int(r[offset + 9]), str(r[offset + 10] or "local"), row)


def load_marks(conn: Connection, lesson_ids: Iterable[int]) -> dict[IdKey, CurrentMark]:
    """The current marks in these lessons by (lesson id, candidate id)."""
    found: dict[IdKey, CurrentMark] = {}
    for part in chunks(sorted(set(lesson_ids))):
        rows = conn.execute(
            select(*MARK_COLUMNS, MARK.c.lesson_id, MARK.c.candidate_id)
            .select_from(MARK.join(STATUS, STATUS.c.id == MARK.c.status_id))
            .where(MARK.c.lesson_id.in_(part))
        )
        for r in rows:
            mark = current_mark(r)
            assert mark is not None
            found[(int(r[11]), int(r[12]))] = mark
    return found


CONFLICT_COLUMNS = (
    CONFLICT.c.id,
    CONFLICT.c.uid,
    CONFLICT.c.state,
    CONFLICT.c.kept,
    CONFLICT.c.claims_json,
)


def conflict_state(r: Any, offset: int = 0) -> ConflictState | None:
    """A ConflictState from ``CONFLICT_COLUMNS`` starting at ``offset`` (None: no row)."""
    if r[offset] is None:
        return None
    claims, considered = parse_claims_json(str(r[offset + 4] or ""))
    return ConflictState(
        id=int(r[offset]), uid=str(r[offset + 1]), state=str(r[offset + 2]),
        kept=str(r[offset + 3] or ""), claims=claims, considered=considered,
    )  # fmt: skip


def load_conflicts(conn: Connection, lesson_ids: Iterable[int]) -> dict[IdKey, ConflictState]:
    """The conflict rows of these lessons by (lesson id, candidate id)."""
    found: dict[IdKey, ConflictState] = {}
    for part in chunks(sorted(set(lesson_ids))):
        rows = conn.execute(
            select(*CONFLICT_COLUMNS, CONFLICT.c.lesson_id, CONFLICT.c.candidate_id).where(
                CONFLICT.c.lesson_id.in_(part)
            )
        )
        for r in rows:
            state = conflict_state(r)
            assert state is not None
            found[(int(r[5]), int(r[6]))] = state
    return found


@dataclass(frozen=True)
class Target:
    """One candidate in one lesson, by uid and by key."""

    lesson_uid: str
    candidate_uid: str
    lesson_id: int
    candidate_id: int


@dataclass(frozen=True)
class NewMark:
    """The values a mark gets (``recorded_at`` None: the time of the write)."""

    status_id: int
    status_code: str
    reason: str
    minutes: int | None
    note: str
    recorded_by: str
    source: str
    origin: str
    recorded_at: datetime | None = None

    def same_as(self, mark: CurrentMark) -> bool:
        """Whether writing this over ``mark`` would change nothing."""
        row = mark.row
        return (self.status_id, self.reason, self.minutes, self.note, self.recorded_by,
                self.source, self.origin) == (row.status_id, row.reason, row.minutes,
                row.note, row.recorded_by, row.source, mark.origin)  # fmt: skip


@dataclass(frozen=True)
class MarkWrite:
    """A change of one mark: ``after`` None deletes it; ``extra`` goes into the audit."""

    target: Target
    before: CurrentMark | None
    after: NewMark | None
    action: str
    extra: dict[str, Any]


def _audited(target: Target, values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {**values, "lesson": target.lesson_uid, "candidate": target.candidate_uid}


def write_marks(
    conn: Connection, writes: Sequence[MarkWrite], *, actor: Actor, now: datetime
) -> list[dict[str, Any]]:
    """Insert, update and delete marks in bulk; returns their audit rows (not yet written)."""
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[int] = []
    audits: list[dict[str, Any]] = []
    for w in writes:
        uid = (
            w.before.row.uid if w.before else mark_uid(w.target.lesson_uid, w.target.candidate_uid)
        )
        old = w.before.row.audit_values() if w.before else None
        new: dict[str, Any] | None = None
        if w.after is not None:
            a = w.after
            values = {
                "status_id": a.status_id, "reason": a.reason, "minutes": a.minutes,
                "note": a.note, "recorded_by": a.recorded_by, "recorded_at": a.recorded_at or now,
                "source": a.source, "origin": a.origin,
            }  # fmt: skip
            new = {
                "status": a.status_code, "reason": a.reason, "minutes": a.minutes,
                "note": a.note, "recorded_by": a.recorded_by, "source": a.source,
                "origin": a.origin, **w.extra,
            }  # fmt: skip
            if w.before is None:
                inserts.append({"uid": uid, "lesson_id": w.target.lesson_id,
                                "candidate_id": w.target.candidate_id, **values})  # fmt: skip
            else:
                updates.append({"b_id": w.before.id, **{f"b_{k}": v for k, v in values.items()}})
        elif w.before is not None:
            deletes.append(w.before.id)
        audits.append(
            audit_row(actor, w.action, MARK_TABLE, uid, old=_audited(w.target, old),
                      new=_audited(w.target, new), at=now)
        )  # fmt: skip
    if inserts:
        conn.execute(MARK.insert(), inserts)
    if updates:
        names = [k[2:] for k in updates[0] if k != "b_id"]
        statement = (
            MARK.update()
            .where(MARK.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in names})
        )
        conn.execute(statement, updates)
    for part in chunks(deletes):
        conn.execute(MARK.delete().where(MARK.c.id.in_(part)))
    return audits


@dataclass(frozen=True)
class ConflictWrite:
    """A conflict row to open (or refresh) with ``claims``, or to close (``claims`` empty)."""

    target: Target
    before: ConflictState | None
    open: bool
    claims: tuple[ClaimRow, ...]


def _conflict_audit(
    actor: Actor, action: str, uid: str, w: ConflictWrite, state: str, now: datetime
) -> dict[str, Any]:
    claims = [
        {"key": c.key, "status": c.status_code, "reason": c.reason, "minutes": c.minutes}
        for c in w.claims
    ]
    new = {"state": state, "lesson": w.target.lesson_uid, "candidate": w.target.candidate_uid,
           "claims": claims}  # fmt: skip
    return audit_row(actor, action, CONFLICT_TABLE, uid, new=new, at=now)


def write_conflicts(
    conn: Connection, writes: Sequence[ConflictWrite], *, actor: Actor, now: datetime
) -> tuple[list[dict[str, Any]], list[str]]:
    """Open, reopen, refresh or close conflict rows.

    A conflict that closes goes back to ``resolved`` when the coordinator decided it
    before; one that only files ever took part in is deleted (settled: nothing is left
    to decide, and the facts stay). Returns the audit rows (not yet written) and the
    uids of the conflicts opened, reopened or given other claims.
    """
    audits: list[dict[str, Any]] = []
    touched: list[str] = []
    for w in writes:
        before = w.before
        if w.open:
            considered = before.considered if before else frozenset()
            text = claims_json(w.claims, considered)
            if before is None:
                uid = new_uid()
                conn.execute(
                    CONFLICT.insert().values(
                        uid=uid, lesson_id=w.target.lesson_id, candidate_id=w.target.candidate_id,
                        state=OPEN, claims_json=text, opened_at=now, resolved_at=None,
                        resolved_by="", kept="",
                    )
                )  # fmt: skip
                audits.append(_conflict_audit(actor, "attendance.conflict.open", uid, w, OPEN,
                                              now))  # fmt: skip
            elif before.state != OPEN:
                uid = before.uid
                conn.execute(
                    CONFLICT.update()
                    .where(CONFLICT.c.id == before.id)
                    .values(state=OPEN, claims_json=text, opened_at=now)
                )
                audits.append(_conflict_audit(actor, "attendance.conflict.reopen", uid, w, OPEN,
                                              now))  # fmt: skip
            elif claim_signature(before.claims) != claim_signature(w.claims):
                uid = before.uid
                conn.execute(
                    CONFLICT.update().where(CONFLICT.c.id == before.id).values(claims_json=text)
                )
            else:
                continue
            touched.append(uid)
        elif before is not None and before.state == OPEN:
            if before.kept:
                conn.execute(
                    CONFLICT.update().where(CONFLICT.c.id == before.id).values(state=RESOLVED)
                )
                state = RESOLVED
            else:
                conn.execute(CONFLICT.delete().where(CONFLICT.c.id == before.id))
                state = "settled"
            audits.append(_conflict_audit(actor, "attendance.conflict.settle", before.uid, w,
                                          state, now))  # fmt: skip
    return audits, touched


def load_status_ids(conn: Connection) -> dict[str, int]:
    """Every status key by its code."""
    return {str(code): int(sid) for sid, code in conn.execute(select(STATUS.c.id, STATUS.c.code))}


def candidate_marked(conn: Connection, pairs: Iterable[IdKey]) -> set[IdKey]:
    """Which of these (lesson id, candidate id) pairs have a mark."""
    wanted = set(pairs)
    found: set[IdKey] = set()
    for part in chunks(sorted({lesson for lesson, _ in wanted})):
        rows = conn.execute(
            select(MARK.c.lesson_id, MARK.c.candidate_id).where(MARK.c.lesson_id.in_(part))
        )
        found.update(p for p in ((int(r[0]), int(r[1])) for r in rows) if p in wanted)
    return found
