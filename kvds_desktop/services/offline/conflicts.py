"""The conflict queue: marks on which sources disagree, and the coordinator's decisions.

An open conflict lists every source's current claim (and the coordinator's own mark
as ``mine``); the coordinator keeps one. The decision is audited on the mark and
remembered with the facts it considered, so the same disagreement never comes back
but a new, different fact reopens it. ``provenance`` shows where any mark came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, and_, func, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.common import (
    CANDIDATE,
    GROUP,
    KIND,
    LESSON,
    MARK,
    STATUS,
    MarkRow,
    person_name,
    person_sort_key,
)
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline.claims import (
    MINE,
    OPEN,
    RESOLVED,
    ClaimRow,
    claim_order,
    claims_json,
    head_claims,
    mine_claim,
)
from kvds_desktop.services.offline.state import (
    CONFLICT,
    CONFLICT_COLUMNS,
    MARK_COLUMNS,
    MarkWrite,
    NewMark,
    Target,
    chunks,
    conflict_state,
    current_mark,
    load_facts,
    load_marks,
    write_marks,
)
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store.database import Database

THEIRS = "theirs"


@dataclass(frozen=True)
class ConflictRow:
    """One disagreement on a candidate's mark in a lesson, as the queue shows it.

    ``state`` is ``open`` or ``resolved``. For an open conflict ``claims`` are the
    sources' current claims (and ``mine``); for a resolved one, those the coordinator
    decided on. ``current`` is the mark in the register (None while files disagree).
    ``resolved_at``, ``resolved_by`` and ``kept`` describe the last decision (they stay
    when a new fact reopens the conflict).
    """

    uid: str
    state: str
    lesson_uid: str
    lesson_date: date
    start: time
    end: time
    group_name: str
    activity_name_nl: str
    activity_name_en: str
    candidate_uid: str
    candidate_name: str
    claims: tuple[ClaimRow, ...]
    current: MarkRow | None
    opened_at: datetime
    resolved_at: datetime | None
    resolved_by: str
    kept: str


_COLUMNS = (
    *CONFLICT_COLUMNS, LESSON.c.uid, LESSON.c.lesson_date, LESSON.c.start_time,
    LESSON.c.end_time, GROUP.c.name, KIND.c.name_nl, KIND.c.name_en, CANDIDATE.c.uid,
    CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam,
    CONFLICT.c.opened_at, CONFLICT.c.resolved_at, CONFLICT.c.resolved_by, *MARK_COLUMNS,
)  # fmt: skip
_MARK_AT = len(CONFLICT_COLUMNS) + 14


def conflicts_in(
    conn: Connection, *, state: str | None = OPEN, uids: Sequence[str] | None = None
) -> list[ConflictRow]:
    """:func:`list_conflicts` on an open connection, optionally only for ``uids``."""
    query = select(*_COLUMNS).select_from(
        CONFLICT.join(LESSON, LESSON.c.id == CONFLICT.c.lesson_id)
        .join(GROUP, GROUP.c.id == LESSON.c.group_id)
        .join(KIND, KIND.c.id == LESSON.c.activity_kind_id)
        .join(CANDIDATE, CANDIDATE.c.id == CONFLICT.c.candidate_id)
        .outerjoin(MARK, and_(MARK.c.lesson_id == CONFLICT.c.lesson_id,
                              MARK.c.candidate_id == CONFLICT.c.candidate_id))
        .outerjoin(STATUS, STATUS.c.id == MARK.c.status_id)
    )  # fmt: skip
    if state is not None:
        query = query.where(CONFLICT.c.state == state)
    rows: list[Any] = []
    if uids is None:
        rows = list(conn.execute(query))
    else:
        for part in chunks(sorted(set(uids))):
            rows.extend(conn.execute(query.where(CONFLICT.c.uid.in_(part))))
    live = load_facts(conn, [(str(r[5]), str(r[12])) for r in rows if r[2] == OPEN])
    result = []
    for r in rows:
        stored = conflict_state(r)
        mark = current_mark(r, _MARK_AT)
        assert stored is not None
        claims = stored.claims
        if stored.state == OPEN:  # what the sources say now, and the mark in the register
            mine = (mine_claim(mark.row),) if mark is not None else ()
            claims = tuple(sorted((*head_claims(live[(r[5], r[12])]), *mine), key=claim_order))
        result.append(
            ConflictRow(
                uid=stored.uid, state=stored.state, lesson_uid=str(r[5]), lesson_date=r[6],
                start=r[7], end=r[8], group_name=str(r[9]), activity_name_nl=str(r[10]),
                activity_name_en=str(r[11]), candidate_uid=str(r[12]),
                candidate_name=person_name(r[13], r[14], r[15]), claims=claims,
                current=mark.row if mark is not None else None, opened_at=r[16],
                resolved_at=r[17], resolved_by=str(r[18] or ""), kept=stored.kept,
            )
        )  # fmt: skip
    names = {c.uid: person_sort_key(r[13], r[14], r[15]) for c, r in zip(result, rows, strict=True)}
    result.sort(key=lambda c: (c.lesson_date, c.group_name, names[c.uid], c.start, c.uid))
    return result


def list_conflicts(db: Database, *, state: str | None = OPEN) -> list[ConflictRow]:
    """The conflict queue, by lesson date, group and candidate name.

    Args:
        db: the coordinator's database.
        state: ``"open"`` (the queue), ``"resolved"`` (decisions taken) or None (all).
    """
    with db.engine.connect() as conn:
        return conflicts_in(conn, state=state)


def provenance(db: Database, lesson_uid: str, candidate_uid: str) -> list[ClaimRow]:
    """Every fact any file reported for this mark, by source and then revision.

    This is the register's "where did this mark come from": all revisions of all
    sources, withdrawals (empty status) included.
    """
    with db.engine.connect() as conn:
        key = (lesson_uid, candidate_uid)
        return load_facts(conn, [key])[key]


def _choices(claims: Sequence[ClaimRow]) -> str:
    theirs = [c for c in claims if c.key != MINE]
    names = [MINE] if any(c.key == MINE for c in claims) else []
    if len({c.value for c in theirs}) == 1:
        names.append(THEIRS)
    names.extend(dict.fromkeys(c.key for c in theirs))
    return ", ".join(names)


def choose(claims: Sequence[ClaimRow], keep: str) -> ClaimRow:
    """The claim ``keep`` names: ``mine``, ``theirs``, a source key, a fact uid or a label.

    Raises:
        UserError: nothing to keep under that name, or it names different values.
    """
    wanted = keep.strip()
    folded = wanted.casefold()
    theirs = sorted((c for c in claims if c.key != MINE), key=claim_order)
    if folded == MINE:
        mine = [c for c in claims if c.key == MINE]
        if not mine:
            raise UserError(N_("There is no mark of yours in this lesson to keep."))
        return mine[0]
    if folded == THEIRS:
        if len({c.value for c in theirs}) != 1:
            raise UserError(
                N_("The files disagree among themselves; choose which to keep: {choices}."),
                choices=_choices(claims),
            )
        return theirs[0]
    matches = (
        [c for c in theirs if c.key == wanted]
        or [c for c in theirs if c.fact_uid == wanted]
        or sorted((c for c in claims if c.label.casefold() == folded), key=claim_order)
    )
    if not matches:
        raise UserError(
            N_("{keep} is not one of the claims; choose one of: {choices}."),
            keep=wanted,
            choices=_choices(claims),
        )
    if len({c.value for c in matches}) > 1:
        raise UserError(
            N_("{keep} names more than one value; choose one of: {choices}, or a fact id."),
            keep=wanted,
            choices=_choices(claims),
        )
    return matches[0]


def _kept_mark(conn: Connection, chosen: ClaimRow, mark: MarkRow | None) -> NewMark:
    if chosen.key == MINE and mark is not None:
        return NewMark(
            mark.status_id, mark.status_code, mark.reason, mark.minutes, mark.note,
            mark.recorded_by, mark.source, RESOLVED, recorded_at=mark.recorded_at,
        )  # fmt: skip
    status = conn.execute(
        select(STATUS.c.id, STATUS.c.code, STATUS.c.active).where(
            func.upper(STATUS.c.code) == chosen.status_code.upper()
        )
    ).first()
    if status is None or not status.active:
        raise UserError(
            N_("There is no active attendance status with code {code}."), code=chosen.status_code
        )
    label = chosen.label or chosen.key
    return NewMark(
        int(status.id), str(status.code), chosen.reason, chosen.minutes, chosen.note,
        label[:120], (chosen.file_name or label)[:200], RESOLVED,
    )  # fmt: skip


def resolve_conflict(
    db: Database, conflict_uid: str, *, keep: str, actor: Actor, now: datetime
) -> ConflictRow:
    """Keep one claim of an open conflict: the mark takes its value (origin ``resolved``).

    ``keep`` is ``"mine"`` (the mark in the register stays), ``"theirs"`` (only when
    the files all say the same), a source key, a fact uid, or a teacher's name when it
    names one value. The change is audited as ``attendance.resolve`` on the mark (old,
    new, the kept claim and the conflict); the conflict remembers the facts it
    considered, so only a new, different fact reopens it.

    Raises:
        UserError: the conflict does not exist or was resolved already; ``keep`` names
            nothing or more than one value; the lesson was cancelled meanwhile; the
            kept status is no longer active.
    """
    with transaction(db) as conn:
        row = conn.execute(
            select(*CONFLICT_COLUMNS, LESSON.c.uid, LESSON.c.cancelled, CANDIDATE.c.uid,
                   LESSON.c.id, CANDIDATE.c.id)
            .select_from(CONFLICT.join(LESSON, LESSON.c.id == CONFLICT.c.lesson_id)
                         .join(CANDIDATE, CANDIDATE.c.id == CONFLICT.c.candidate_id))
            .where(CONFLICT.c.uid == conflict_uid)
        ).first()  # fmt: skip
        conflict = conflict_state(row) if row is not None else None
        if row is None or conflict is None:
            raise UserError(N_("This conflict no longer exists; refresh the list."))
        if conflict.state != OPEN:
            raise UserError(N_("This conflict was resolved already; refresh the list."))
        target = Target(str(row[5]), str(row[7]), int(row[8]), int(row[9]))
        mark = load_marks(conn, [target.lesson_id]).get((target.lesson_id, target.candidate_id))
        key = (target.lesson_uid, target.candidate_uid)
        mine = (mine_claim(mark.row),) if mark is not None else ()
        claims = tuple(sorted((*head_claims(load_facts(conn, [key])[key]), *mine), key=claim_order))
        chosen = choose(claims, keep)
        if chosen.key != MINE and bool(row[6]):
            raise UserError(N_("This lesson was cancelled; it takes no attendance."))
        after = _kept_mark(conn, chosen, mark.row if mark is not None else None)
        extra = {"kept": chosen.key, "fact": chosen.fact_uid, "conflict": conflict.uid}
        audits = write_marks(
            conn,
            [MarkWrite(target, mark, after, "attendance.resolve", extra)],
            actor=actor,
            now=now,
        )
        considered = conflict.considered | {c.fact_uid for c in claims if c.fact_uid}
        conn.execute(
            CONFLICT.update()
            .where(CONFLICT.c.id == conflict.id)
            .values(state=RESOLVED, kept=chosen.key[:80], resolved_by=actor.name[:120],
                    resolved_at=now, claims_json=claims_json(claims, considered))
        )  # fmt: skip
        write_audit(conn, audits)
        return conflicts_in(conn, state=None, uids=[conflict.uid])[0]
