"""Erasing a candidate: every row about them, and every trace of them in the audit trail.

:func:`erase_candidate` deletes, in one transaction, every row :mod:`.reach` finds about
the person (children before parents, the candidate record last), clears the old and new
values and the record id of the audit entries about those rows, and replaces any
remaining mention of the person (uid, client number, BSN, full name) in any text of any
table with ``[erased]``. It then writes one audit entry of the erasure itself: who, when,
from which device, the reason (with the person's identifiers taken out) and the number
of rows per table, never the erased content.

Figures on the dashboard: ``attendance_month`` rows go with the marks (the database's
triggers keep it equal to them). The outflow row is deleted too, so the municipal target
counts (started, flowed out) no longer count this person. That is the choice made here:
an erasure request means the person is gone from the file; an anonymised record that
keeps municipality, dates and outflow kind could still point at one person in a pilot of
a few hundred. The number of rows erased per table, including outflow, survives in the
erasure's own audit entry, so a report already sent can be explained. Where the figures
must keep counting a person (a legal duty to report), use the retention run's
anonymisation (:mod:`.retention`) instead of erasure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, String, Table, Text, select, update

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.privacy import reach as r
from kvds_desktop.services.privacy.subject import collect
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database

ERASED = "[erased]"
# Columns that identify a row or a person themself: never rewritten by the text scrub.
_KEPT_COLUMNS = frozenset({"uid", "bsn", "klantnummer"})


@dataclass(frozen=True)
class ErasureResult:
    """What the erasure removed: rows per table, audit entries cleared, texts scrubbed."""

    uid: str
    deleted: dict[str, int]
    audit_cleared: int
    scrubbed: dict[str, int]

    @property
    def total(self) -> int:
        """All rows deleted."""
        return sum(self.deleted.values())


def _delete_owned(
    conn: Connection, found: r.Reach, owned: dict[str, list[dict[str, Any]]]
) -> dict[str, int]:
    """Delete the owned rows, children before parents, by the links that found them."""
    metadata = migrate.METADATA
    deleted: dict[str, int] = {}
    for name in reversed(found.tables[1:]):
        table = metadata.tables[name]
        for link in found.links_of(name):
            values = [
                p[link.key] for p in owned.get(link.target, []) if p.get(link.key) is not None
            ]
            for part in r._chunks(values):
                conn.execute(table.delete().where(table.c[link.column].in_(part)))
        if owned.get(name):
            deleted[name] = len(owned[name])
    candidates = metadata.tables[r.CANDIDATE]
    ids = [row["id"] for row in owned[r.CANDIDATE]]
    conn.execute(candidates.update().where(candidates.c.id.in_(ids)).values(merged_into_id=None))
    conn.execute(candidates.delete().where(candidates.c.id.in_(ids)))
    deleted[r.CANDIDATE] = len(ids)
    return deleted


def _clear_audit(conn: Connection, entries: list[dict[str, Any]]) -> int:
    table = migrate.METADATA.tables[r.AUDIT]
    ids = [e["id"] for e in entries]
    for part in r._chunks(ids):
        conn.execute(
            update(table)
            .where(table.c.id.in_(part))
            .values(old_values="", new_values="", record_uid="")
        )
    return len(ids)


def _text_columns(table: Table) -> list[str]:
    keys = {c.name for c in table.primary_key.columns}
    return [
        c.name
        for c in table.columns
        if isinstance(c.type, String | Text) and c.name not in keys and c.name not in _KEPT_COLUMNS
    ]


def scrub_texts(
    conn: Connection, identifiers: list[str], replacement: str = ERASED
) -> dict[str, int]:
    """Replace every whole-word mention of ``identifiers`` in every text of every table.

    Returns the number of rows changed per table. Primary keys, uids, BSNs and client
    numbers of other rows are never rewritten.
    """
    pattern = r.identity_pattern(identifiers)
    if pattern is None:
        return {}
    changed: dict[str, int] = {}
    for table in migrate.METADATA.sorted_tables:
        for column in _text_columns(table):
            target = table.c[column]
            values = conn.execute(select(target).distinct().where(target != "")).scalars()
            for text in [v for v in values if v and pattern.search(v)]:
                result = conn.execute(
                    update(table)
                    .where(target == text)
                    .values({column: pattern.sub(replacement, text)})
                )
                changed[table.name] = changed.get(table.name, 0) + (result.rowcount or 0)
    return changed


def _check_references(conn: Connection) -> None:
    """Fail (a bug) when the erasure left a row pointing at a deleted one.

    SQLite checks foreign keys per statement but a broken one must not reach the commit
    unnoticed; PostgreSQL enforces every foreign key itself, so there is nothing to ask.
    """
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"erasure left broken references: {broken[:5]}")


def erase_candidate(
    db: Database,
    candidate_ref: str,
    actor: Actor,
    *,
    today: date,
    reason: str,
    now: datetime | None = None,
) -> ErasureResult:
    """Delete everything about a candidate and every trace of them in the audit trail.

    Raises:
        UserError: no candidate has that uid or client number, or no reason is given.
    """
    if not (reason or "").strip():
        raise UserError(N_("Give the reason for erasing this candidate."))
    candidates = migrate.METADATA.tables[r.CANDIDATE]
    with transaction(db) as conn:
        subject = r.find_subject(conn, candidates, candidate_ref)
        owned, _context = collect(conn, subject)
        audit_entries = owned.pop(r.AUDIT)
        deleted = _delete_owned(conn, r.candidate_reach(migrate.METADATA), owned)
        cleared = _clear_audit(conn, audit_entries)
        scrubbed = scrub_texts(conn, subject.identifiers())
        _check_references(conn)
        pattern = r.identity_pattern(subject.identifiers())
        said = pattern.sub(ERASED, reason.strip()) if pattern else reason.strip()
        write_audit(
            conn,
            [
                audit_row(
                    actor,
                    "privacy.erase",
                    r.CANDIDATE,
                    "",
                    new={
                        "reason": said[:500],
                        "on": today,
                        "deleted": deleted,
                        "audit_entries_cleared": cleared,
                        "texts_scrubbed": scrubbed,
                    },
                    at=now,
                )
            ],
        )
    return ErasureResult(subject.uids[0], deleted, cleared, scrubbed)
