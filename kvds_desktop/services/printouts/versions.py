"""The version number on a printed group week: it goes up only when the content changes.

The printed content (lessons, members, closures, marks and the status legend, not the
language or the print date) is hashed. The audit trail keeps, per group and week, the
last printed hash and version (action ``print.week``, record ``<group uid>/2026-W49``);
printing the same content again gives the same number, so a teacher holding version 2
while the coordinator's screen says 3 knows the sheet is stale. No table is needed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from kvds_desktop.reports.model import GroupWeek
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import AUDIT, transaction, write_audit
from kvds_desktop.store.database import Database

ACTION = "print.week"
TABLE = "study_group"
CHUNK = 900


def content_hash(week: GroupWeek) -> str:
    """A hash of everything the overview of ``week`` prints, except the print date."""
    content: dict[str, Any] = {
        "group": [week.group_uid, week.group_name, week.level_band, week.location],
        "week": week.week_key,
        "lessons": [
            [
                lesson.uid, lesson.day.isoformat(), lesson.start.isoformat(),
                lesson.end.isoformat(), lesson.activity_code, lesson.activity.nl,
                lesson.activity.en, lesson.teacher, lesson.room, lesson.online,
                lesson.cancelled, lesson.cancel_reason, lesson.present,
            ]
            for lesson in week.lessons
        ],
        "members": [
            [
                member.uid, member.name, member.short_id, member.since.isoformat(),
                member.until.isoformat() if member.until else None, sorted(member.marks.items()),
            ]
            for member in week.members
        ],
        "closures": [[c.first.isoformat(), c.last.isoformat(), c.name] for c in week.closures],
        "statuses": [[s.code, s.label.nl, s.label.en] for s in week.statuses],
    }  # fmt: skip
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_uid(week: GroupWeek) -> str:
    """The audit record of a group week: ``<group uid>/2026-W49``."""
    return f"{week.group_uid}/{week.week_key}"


def _last_printed(db: Database, keys: Sequence[str]) -> dict[str, tuple[str, int]]:
    """Per record uid: the hash and version of the latest print."""
    found: dict[str, tuple[str, int]] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(keys), CHUNK):
            rows = conn.execute(
                select(AUDIT.c.record_uid, AUDIT.c.new_values)
                .where(AUDIT.c.action == ACTION)
                .where(AUDIT.c.record_uid.in_(keys[start : start + CHUNK]))
                .order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc())
            )
            for key, values in rows:
                if key in found:
                    continue
                try:
                    data = json.loads(values or "{}")
                    found[key] = (str(data["hash"]), int(data["version"]))
                except (ValueError, KeyError, TypeError):
                    continue  # an entry written by hand or damaged: ignore it
    return found


def printed_version(db: Database, group_uid: str, week: tuple[int, int]) -> int | None:
    """The version of the last printed overview of a group week (None: never printed)."""
    key = f"{group_uid}/{week[0]}-W{week[1]:02d}"
    found = _last_printed(db, [key]).get(key)
    return found[1] if found else None


def stamp_versions(
    db: Database, weeks: Sequence[GroupWeek], *, actor: Actor, now: datetime
) -> dict[str, int]:
    """The version to print for each group week (keyed by group uid), recording new ones.

    A week printed for the first time gets version 1; a week whose content changed since
    the last print gets the next number. Both are written to the audit trail in one
    transaction; an unchanged week writes nothing.

    Raises:
        StorageError: the database cannot be written (locked, read-only, disk full).
    """
    keys = [record_uid(week) for week in weeks]
    last = _last_printed(db, keys)
    versions: dict[str, int] = {}
    rows = []
    for week, key in zip(weeks, keys, strict=True):
        digest = content_hash(week)
        previous = last.get(key)
        if previous is not None and previous[0] == digest:
            versions[week.group_uid] = previous[1]
            continue
        version = previous[1] + 1 if previous else 1
        versions[week.group_uid] = version
        last[key] = (digest, version)
        rows.append(
            audit_row(actor, ACTION, TABLE, key, new={"hash": digest, "version": version}, at=now)
        )
    if rows:
        with transaction(db) as conn:
            write_audit(conn, rows)
    return versions
