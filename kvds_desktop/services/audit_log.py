"""Reading the audit trail: who did what, to which record, when and from where.

The trail can only be read here, never changed: the application has no function that
updates or deletes an audit entry (erasure and retention blank the values of what they
erase, and say so in an entry of their own). :func:`audit_entries` filters by period,
person, action, kind of record and free text, newest first, and names the candidate an
entry is about where the record is a candidate's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.scheduling.common import CANDIDATE, TABLES
from kvds_desktop.store.database import Database

AUDIT = TABLES["audit_entry"]
LIMIT = 2000  # rows shown at once; narrow the filter for older entries


@dataclass(frozen=True)
class AuditFilter:
    """What to show; None or "" means any."""

    start: date | None = None
    end: date | None = None
    actor: str = ""
    action: str = ""  # a prefix: "attendance." shows every attendance action
    table: str = ""
    text: str = ""  # in the record id, the values, the candidate's name or client number


@dataclass(frozen=True)
class AuditRow:
    """One entry as the audit view shows it."""

    uid: str
    at: datetime  # UTC
    actor: str
    device: str
    action: str
    table: str
    record_uid: str
    candidate: str  # "Name (klantnummer)" when the record is a candidate's, else ""
    changes: tuple[tuple[str, str, str], ...]  # (field, old, new)
    result: str


@dataclass(frozen=True)
class AuditPage:
    """The rows found (at most LIMIT, newest first) and how many matched in all."""

    rows: tuple[AuditRow, ...]
    total: int


@dataclass(frozen=True)
class AuditChoices:
    """The values the filters offer."""

    actors: tuple[str, ...]
    actions: tuple[str, ...]
    tables: tuple[str, ...]


def _values(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {"": text}
    return data if isinstance(data, dict) else {"": data}


def _changes(old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    before, after = _values(old), _values(new)
    fields = sorted(set(before) | set(after))
    return tuple(
        (name, "" if before.get(name) is None else str(before.get(name)),
         "" if after.get(name) is None else str(after.get(name)))
        for name in fields
    )  # fmt: skip


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    if start and end and start > end:
        raise UserError(N_("The period starts ({start}) after it ends ({end})."),
                        start=start, end=end)  # fmt: skip
    low = datetime.combine(start, time.min) if start else None  # stored as naive UTC
    high = datetime.combine(end + timedelta(days=1), time.min) if end else None
    return low, high


def audit_entries(db: Database, selection: AuditFilter, *, limit: int = LIMIT) -> AuditPage:
    """The audit entries that match ``selection``, newest first.

    Raises:
        UserError: the period runs backwards.
    """
    low, high = _bounds(selection.start, selection.end)
    name = func.trim(
        CANDIDATE.c.voornamen + " " + func.coalesce(CANDIDATE.c.tussenvoegsel, "") + " "
        + CANDIDATE.c.achternaam
    )  # fmt: skip
    joined = AUDIT.outerjoin(
        CANDIDATE, and_(AUDIT.c.table_name == "candidate", CANDIDATE.c.uid == AUDIT.c.record_uid)
    )
    conditions = []
    if low is not None:
        conditions.append(AUDIT.c.at >= low)
    if high is not None:
        conditions.append(AUDIT.c.at < high)
    if selection.actor:
        conditions.append(AUDIT.c.actor == selection.actor)
    if selection.action:
        conditions.append(AUDIT.c.action.startswith(selection.action, autoescape=True))
    if selection.table:
        conditions.append(AUDIT.c.table_name == selection.table)
    if selection.text.strip():
        needle = f"%{selection.text.strip().lower()}%"
        conditions.append(or_(
            func.lower(AUDIT.c.record_uid).like(needle),
            func.lower(AUDIT.c.old_values).like(needle),
            func.lower(AUDIT.c.new_values).like(needle),
            func.lower(name).like(needle),
            func.lower(cast(CANDIDATE.c.klantnummer, String)).like(needle),
        ))  # fmt: skip
    where = and_(*conditions) if conditions else None
    query = select(
        AUDIT.c.uid, AUDIT.c.at, AUDIT.c.actor, AUDIT.c.device, AUDIT.c.action,
        AUDIT.c.table_name, AUDIT.c.record_uid, AUDIT.c.old_values, AUDIT.c.new_values,
        AUDIT.c.result, name.label("name"), CANDIDATE.c.klantnummer,
    ).select_from(joined)  # fmt: skip
    count = select(func.count()).select_from(joined)
    if where is not None:
        query, count = query.where(where), count.where(where)
    query = query.order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc()).limit(limit)
    with db.engine.connect() as conn:
        total = int(conn.execute(count).scalar_one())
        found = conn.execute(query).all()
    rows = tuple(
        AuditRow(
            uid=r.uid, at=r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC), actor=r.actor,
            device=r.device, action=r.action, table=r.table_name, record_uid=r.record_uid,
            candidate=_who(r.name, r.klantnummer),
            changes=_changes(r.old_values, r.new_values), result=r.result,
        )
        for r in found
    )  # fmt: skip
    return AuditPage(rows, total)


def _who(name: str | None, klantnummer: str | None) -> str:
    """'Name (klantnummer)' with single spaces; "" without a name."""
    if not name:
        return ""
    name = " ".join(name.split())
    return f"{name} ({klantnummer})" if klantnummer else name


def audit_choices(db: Database) -> AuditChoices:
    """The people, actions (up to the first dot, and whole) and kinds of record in the trail."""
    with db.engine.connect() as conn:
        actors = [r[0] for r in conn.execute(select(AUDIT.c.actor).distinct())]
        actions = [r[0] for r in conn.execute(select(AUDIT.c.action).distinct())]
        tables = [r[0] for r in conn.execute(select(AUDIT.c.table_name).distinct())]
    prefixes = {a.split(".", 1)[0] + "." for a in actions if "." in a}
    return AuditChoices(
        tuple(sorted(set(actors), key=str.casefold)),
        tuple(sorted(prefixes | set(actions))),
        tuple(sorted(set(tables))),
    )
