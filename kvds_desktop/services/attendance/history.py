"""The history of a mark: every audited step, oldest first, from the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select

from kvds_desktop.services.attendance.common import (
    AUDIT,
    CANDIDATE,
    LESSON,
    MARK,
    MARK_TABLE,
    mark_uid,
)
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class HistoryRow:
    """One audited step in the life of a mark."""

    at: datetime
    actor: str
    device: str
    action: str
    old: dict[str, Any]
    new: dict[str, Any]


def _loads(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def mark_history(db: Database, lesson_uid: str, candidate_uid: str) -> list[HistoryRow]:
    """Every audited step of a candidate's mark in a lesson, oldest first."""
    uids = {mark_uid(lesson_uid, candidate_uid)}
    with db.engine.connect() as conn:
        lesson = conn.execute(select(LESSON.c.id).where(LESSON.c.uid == lesson_uid)).scalar()
        person = conn.execute(
            select(CANDIDATE.c.id).where(CANDIDATE.c.uid == candidate_uid)
        ).scalar()
        if lesson is not None and person is not None:
            current = conn.execute(
                select(MARK.c.uid).where(
                    and_(MARK.c.lesson_id == lesson, MARK.c.candidate_id == person)
                )
            ).scalar()
            if current is not None:
                uids.add(str(current))
        rows = conn.execute(
            select(
                AUDIT.c.at, AUDIT.c.actor, AUDIT.c.device, AUDIT.c.action,
                AUDIT.c.old_values, AUDIT.c.new_values,
            )
            .where(and_(AUDIT.c.table_name == MARK_TABLE, AUDIT.c.record_uid.in_(sorted(uids))))
            .order_by(AUDIT.c.at, AUDIT.c.id)
        ).all()  # fmt: skip
    return [HistoryRow(r[0], r[1], r[2] or "", r[3], _loads(r[4]), _loads(r[5])) for r in rows]
