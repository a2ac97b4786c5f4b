"""Receipts: per pack or workbook sent, the lessons expected back and those received.

A lesson counts as expected while it exists and is not cancelled; it counts as
received once any file answering that pack reported a mark (or a withdrawal) for it.
What is missing is what the coordinator still waits for ("not received yet").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Connection, and_, select

from kvds_desktop.services.attendance.common import GROUP, LESSON
from kvds_desktop.services.offline.state import FACT, SENT_PACK, chunks
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class MissingLesson:
    """A lesson of a pack for which no mark came back yet."""

    lesson_uid: str
    lesson_date: date
    start: time
    group_name: str


@dataclass(frozen=True)
class ReceiptRow:
    """One pack or workbook sent: how many of its lessons came back, and which did not."""

    pack_uid: str
    kind: str
    teacher_name: str
    group_names: str
    week: str
    expected: int
    received: int
    missing: tuple[MissingLesson, ...]


def _lesson_uids(text: str) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(uid) for uid in value] if isinstance(value, list) else []


def receipts_in(
    conn: Connection, *, week: str | None = None, pack_uids: Iterable[str] | None = None
) -> list[ReceiptRow]:
    """:func:`receipts` on an open connection (inside an import's transaction)."""
    query = select(
        SENT_PACK.c.uid, SENT_PACK.c.kind, SENT_PACK.c.teacher_name, SENT_PACK.c.group_names,
        SENT_PACK.c.week, SENT_PACK.c.lesson_uids,
    )  # fmt: skip
    if week is not None:
        query = query.where(SENT_PACK.c.week == week)
    wanted = sorted(set(pack_uids)) if pack_uids is not None else None
    if wanted is not None:
        query = query.where(SENT_PACK.c.uid.in_(wanted))
    packs = conn.execute(query).all()
    asked = {str(p[0]): _lesson_uids(str(p[5])) for p in packs}
    all_uids = sorted({uid for uids in asked.values() for uid in uids})
    lessons: dict[str, MissingLesson] = {}
    for part in chunks(all_uids):
        rows = conn.execute(
            select(LESSON.c.uid, LESSON.c.lesson_date, LESSON.c.start_time, GROUP.c.name)
            .select_from(LESSON.join(GROUP, GROUP.c.id == LESSON.c.group_id))
            .where(and_(LESSON.c.uid.in_(part), LESSON.c.cancelled.is_(False)))
        )
        for r in rows:
            lessons[str(r[0])] = MissingLesson(str(r[0]), r[1], r[2], str(r[3]))
    received: dict[str, set[str]] = {}
    for part in chunks(sorted(asked)):
        rows = conn.execute(
            select(FACT.c.pack_uid, FACT.c.lesson_uid).where(FACT.c.pack_uid.in_(part)).distinct()
        )
        for r in rows:
            received.setdefault(str(r[0]), set()).add(str(r[1]))
    result = []
    for p in packs:
        expected = [lessons[uid] for uid in dict.fromkeys(asked[str(p[0])]) if uid in lessons]
        got = received.get(str(p[0]), set())
        missing = sorted(
            (lesson for lesson in expected if lesson.lesson_uid not in got),
            key=lambda m: (m.lesson_date, m.start, m.group_name, m.lesson_uid),
        )
        result.append(
            ReceiptRow(
                pack_uid=str(p[0]), kind=str(p[1]), teacher_name=str(p[2] or ""),
                group_names=str(p[3] or ""), week=str(p[4]), expected=len(expected),
                received=len(expected) - len(missing), missing=tuple(missing),
            )
        )  # fmt: skip
    result.sort(key=lambda r: (r.week, r.teacher_name.casefold(), r.group_names, r.pack_uid))
    return result


def receipts(
    db: Database, *, week: str | None = None, pack_uids: Iterable[str] | None = None
) -> list[ReceiptRow]:
    """Per pack or workbook sent: lessons expected back, received, and those still missing.

    Args:
        db: the coordinator's database.
        week: only packs for this ISO week (``2026-W49``); None: every week.
        pack_uids: only these packs; None: every pack.

    Returns:
        One row per pack, by week, teacher and groups; missing lessons by date and time.
    """
    with db.engine.connect() as conn:
        return receipts_in(conn, week=week, pack_uids=pack_uids)
