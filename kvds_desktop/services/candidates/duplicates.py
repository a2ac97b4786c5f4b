"""Possible duplicate records, and merging two records of one person.

Two records are flagged when they share a BSN, or a birth date and a similar name
(the spelling-tolerant skeleton of the name). Merging moves all history of the
second record to the first: every row in any table that points at a candidate.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, Table, and_, delete, select, tuple_, update
from sqlmodel import col

from kvds_desktop.domain.names import display_name
from kvds_desktop.domain.search import skeleton
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, record
from kvds_desktop.services.candidates.validation import EDITABLE_FIELDS
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Candidate, NotDuplicate

NAME_SIMILARITY = 85


@dataclass(frozen=True)
class DuplicatePair:
    """Two records that may be one person, and why they were flagged."""

    first_uid: str
    first_name: str
    second_uid: str
    second_name: str
    birth_date: date | None
    reason: str  # message id


def _people(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            Candidate.id,
            Candidate.uid,
            Candidate.voornamen,
            Candidate.tussenvoegsel,  # type: ignore[call-overload]
            Candidate.achternaam,
            Candidate.birth_date,
            Candidate.bsn,
        )
        .where(col(Candidate.merged_into_id).is_(None))
        .order_by(col(Candidate.id))
    )
    return [dict(r._mapping) for r in rows]


def find_duplicates(db: Database) -> list[DuplicatePair]:
    """Pairs of records that may belong to one person, not yet judged different."""
    with db.engine.connect() as conn:
        people = _people(conn)
        judged = {
            frozenset(pair)
            for pair in conn.execute(
                select(col(NotDuplicate.candidate_a_id), col(NotDuplicate.candidate_b_id))
            )
        }
    found: dict[frozenset[int], tuple[dict[str, Any], dict[str, Any], str]] = {}
    by_bsn: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_birth: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for person in people:
        if person["bsn"]:
            by_bsn[person["bsn"]].append(person)
        if person["birth_date"]:
            by_birth[person["birth_date"]].append(person)
    for same in by_bsn.values():
        for a, b in combinations(same, 2):
            found[frozenset((a["id"], b["id"]))] = (a, b, N_("same BSN"))
    for same in by_birth.values():
        for a, b in combinations(same, 2):
            key = frozenset((a["id"], b["id"]))
            if key in found:
                continue
            name_a = skeleton(display_name(a["voornamen"], a["tussenvoegsel"], a["achternaam"]))
            name_b = skeleton(display_name(b["voornamen"], b["tussenvoegsel"], b["achternaam"]))
            if fuzz.token_sort_ratio(name_a, name_b) >= NAME_SIMILARITY:
                found[key] = (a, b, N_("same birth date and a similar name"))
    pairs = []
    for key, (a, b, reason) in found.items():
        if key in judged:
            continue
        pairs.append(
            DuplicatePair(
                a["uid"],
                display_name(a["voornamen"], a["tussenvoegsel"], a["achternaam"]),
                b["uid"],
                display_name(b["voornamen"], b["tussenvoegsel"], b["achternaam"]),
                a["birth_date"],
                reason,
            )
        )
    pairs.sort(key=lambda p: (p.first_name.casefold(), p.second_name.casefold()))
    return pairs


def mark_not_duplicate(db: Database, first_uid: str, second_uid: str, actor: Actor) -> None:
    """Remember that two records are different people, so they are not flagged again."""
    with db.session() as session:
        ids = _ids(session.connection(), first_uid, second_uid)
        session.add(
            NotDuplicate(candidate_a_id=min(ids), candidate_b_id=max(ids), decided_by=actor.name)
        )
        record(
            session,
            actor,
            "candidate.not_duplicate",
            "candidate",
            first_uid,
            new={"other": second_uid},
        )


def _ids(conn: Connection, first_uid: str, second_uid: str) -> tuple[int, int]:
    found: dict[str, int] = {
        uid: int(cid or 0)
        for uid, cid in conn.execute(
            select(col(Candidate.uid), col(Candidate.id)).where(
                col(Candidate.uid).in_([first_uid, second_uid])
            )
        )
    }
    if first_uid == second_uid or len(found) != 2:
        raise UserError(N_("These candidates no longer exist; refresh the list."))
    return found[first_uid], found[second_uid]


def _references() -> list[tuple[Table, str]]:
    """Every (table, column) that points at candidate.id."""
    refs = []
    for table in migrate.METADATA.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name == "candidate" and column.name != "merged_into_id":
                    refs.append((table, column.name))
    return refs


def _move(
    conn: Connection, table: Table, column: str, keep: int, drop: int
) -> list[dict[str, Any]]:
    """Point the rows of ``drop`` at ``keep``; rows that would clash with keep's are removed
    and returned (they go into the audit trail)."""
    removed: list[dict[str, Any]] = []
    for constraint in table.constraints:
        names = [c.name for c in getattr(constraint, "columns", [])]
        if constraint.__class__.__name__ != "UniqueConstraint" and not (
            getattr(constraint, "unique", False)
        ):
            continue
        if column not in names:
            continue
        others = [table.c[n] for n in names if n != column]
        owned = table.c[column]
        if others:
            clash = and_(owned == drop, tuple_(*others).in_(select(*others).where(owned == keep)))
        else:
            clash = and_(owned == drop, select(owned).where(owned == keep).exists())
        removed += [dict(r._mapping) for r in conn.execute(select(table).where(clash))]
        conn.execute(delete(table).where(clash))
    conn.execute(update(table).where(table.c[column] == drop).values({column: keep}))
    return removed


def merge_candidates(db: Database, keep_uid: str, drop_uid: str, actor: Actor) -> None:
    """Merge the record ``drop_uid`` into ``keep_uid``, keeping all history of both.

    Empty fields of the kept record are filled from the other; the other record stays
    in the database, marked as merged, and leaves the lists.
    """
    with db.session() as session:
        conn = session.connection()
        keep, drop = _ids(conn, keep_uid, drop_uid)
        kept = session.get(Candidate, keep)
        dropped = session.get(Candidate, drop)
        assert kept is not None and dropped is not None
        if kept.merged_into_id or dropped.merged_into_id:
            raise UserError(N_("One of these records was merged already; refresh the list."))
        filled: dict[str, Any] = {}
        for field in EDITABLE_FIELDS:
            value = getattr(dropped, field)
            if getattr(kept, field) in (None, "") and value not in (None, ""):
                filled[field] = value
        if "klantnummer" in filled:  # unique: it moves, it is not copied
            dropped.klantnummer = None
            session.add(dropped)
            session.flush()
        for field, value in filled.items():
            setattr(kept, field, value)
        session.add(kept)
        session.flush()
        clashes: dict[str, list[dict[str, Any]]] = {}
        for table, column in _references():
            removed = _move(conn, table, column, keep, drop)
            if removed:
                clashes[table.name] = removed
        candidates = migrate.METADATA.tables["candidate"]
        conn.execute(
            update(candidates)
            .where(candidates.c.merged_into_id == drop)
            .values(merged_into_id=keep)
        )
        session.expire_all()
        dropped = session.get(Candidate, drop)
        assert dropped is not None
        dropped.merged_into_id = keep
        dropped.updated_at = datetime.now(UTC)
        session.add(dropped)
        record(
            session,
            actor,
            "candidate.merge",
            "candidate",
            keep_uid,
            old={"merged": drop_uid, "clashing_rows": json.loads(json.dumps(clashes, default=str))},
            new=filled,
        )
