"""Closure days: public holidays of the Netherlands, school holidays, own closure days.

Public holidays come from the ``holidays`` package (Dutch names). School holidays and
the location's own closure days are entered one by one or imported from a CSV file.
A closure without a location closes every location. After a change, callers generate
the lessons again: generation removes future lessons that now fall on a closed day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, select

from kvds_desktop.domain.enums import ClosureKind
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.closure_csv import RowProblem, check_closure, read_closures
from kvds_desktop.services.scheduling.common import (
    CLOSURE,
    LOCATION,
    transaction,
    write_audit,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid


@dataclass(frozen=True)
class ClosureRow:
    """One closure, for the list and the week grid."""

    uid: str
    date_from: date
    date_to: date
    kind: str
    name: str
    location_id: int | None
    location_name: str  # "" when the closure holds for every location

    @property
    def location(self) -> str:
        """The location's name ("" for every location)."""
        return self.location_name


@dataclass(frozen=True)
class ClosureImportReport:
    """What an import did: rows added, rows already there, rows refused (with why)."""

    added: int = 0
    unchanged: int = 0
    # (line number in the file, message id, its parameters)
    rejected: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)


def public_holidays(years: Iterable[int]) -> list[tuple[date, str]]:
    """The public holidays of the Netherlands in ``years``, by date, with Dutch names."""
    import holidays  # loaded only when asked: building the calendars takes a moment

    wanted = sorted(set(years))
    if not wanted:
        return []
    supported = getattr(holidays.Netherlands, "supported_languages", ())
    if "nl" in supported:
        calendar = holidays.Netherlands(years=wanted, language="nl")
    else:  # pragma: no cover - older releases name the days in Dutch already
        calendar = holidays.Netherlands(years=wanted)
    return sorted((day, str(name)) for day, name in calendar.items())


def ensure_public_holidays(db: Database, years: Iterable[int], actor: Actor) -> int:
    """Add the public holidays of ``years`` that are missing; return how many were added.

    A holiday is present when a closure of kind "feestdag" for every location starts
    on its date. Running it again adds nothing.
    """
    found = public_holidays(years)
    if not found:
        return 0
    with transaction(db) as conn:
        present = set(
            conn.execute(
                select(CLOSURE.c.date_from).where(
                    and_(
                        CLOSURE.c.kind == ClosureKind.PUBLIC_HOLIDAY.value,
                        CLOSURE.c.location_id.is_(None),
                        CLOSURE.c.date_from >= found[0][0],
                        CLOSURE.c.date_from <= found[-1][0],
                    )
                )
            ).scalars()
        )
        rows = [
            _closure_row(None, day, day, ClosureKind.PUBLIC_HOLIDAY.value, name)
            for day, name in found
            if day not in present
        ]
        _insert(conn, rows, actor, "closure.holiday")
    return len(rows)


def list_closures(db: Database, start: date, end: date) -> list[ClosureRow]:
    """The closures that touch ``start``..``end``, by first day."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(
                CLOSURE.c.uid,
                CLOSURE.c.date_from,
                CLOSURE.c.date_to,
                CLOSURE.c.kind,
                CLOSURE.c.name,
                CLOSURE.c.location_id,
                LOCATION.c.name,
            )
            .select_from(CLOSURE.outerjoin(LOCATION, LOCATION.c.id == CLOSURE.c.location_id))
            .where(and_(CLOSURE.c.date_from <= end, CLOSURE.c.date_to >= start))
            .order_by(CLOSURE.c.date_from, LOCATION.c.name, CLOSURE.c.name)
        )
        return [ClosureRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "") for r in rows]


def add_closure(
    db: Database,
    *,
    date_from: date,
    date_to: date,
    name: str,
    kind: str,
    location_id: int | None = None,
    actor: Actor,
) -> str:
    """Add one closure (for one location, or every location with None); return its uid."""
    name = name.strip()
    _check_closure(date_from, date_to, name, kind)
    with transaction(db) as conn:
        if location_id is not None and _location_name(conn, location_id) is None:
            raise UserError(N_("This location does not exist; refresh the list."))
        if _existing(conn, date_from, date_to) & {
            (location_id, date_from, date_to, name.casefold())
        }:
            raise UserError(N_("This closure exists already."))
        row = _closure_row(location_id, date_from, date_to, kind, name)
        _insert(conn, [row], actor, "closure.add")
        return str(row["uid"])


def delete_closure(db: Database, uid: str, actor: Actor) -> None:
    """Remove a closure. Lessons are not added back until the lessons are generated again."""
    with transaction(db) as conn:
        row = conn.execute(select(CLOSURE).where(CLOSURE.c.uid == uid)).mappings().first()
        if row is None:
            raise UserError(N_("This closure no longer exists; refresh the list."))
        conn.execute(CLOSURE.delete().where(CLOSURE.c.uid == uid))
        old = {k: row[k] for k in ("location_id", "date_from", "date_to", "kind", "name")}
        write_audit(conn, [audit_row(actor, "closure.delete", "closure", uid, old=old)])


def _check_closure(date_from: date, date_to: date, name: str, kind: str) -> None:
    try:
        check_closure(date_from, date_to, name)
    except RowProblem as problem:
        raise UserError(problem.message_id, **problem.params) from None
    if kind not in {k.value for k in ClosureKind}:
        raise UserError(
            N_("{value} is not a kind of closure (schoolvakantie, eigen or feestdag)."),
            value=kind,
        )


def _closure_row(
    location_id: int | None, first: date, last: date, kind: str, name: str
) -> dict[str, Any]:
    return {
        "uid": new_uid(),
        "location_id": location_id,
        "date_from": first,
        "date_to": last,
        "kind": kind,
        "name": name[:120],
    }


def _insert(conn: Connection, rows: list[dict[str, Any]], actor: Actor, action: str) -> None:
    if not rows:
        return
    conn.execute(CLOSURE.insert(), rows)
    write_audit(
        conn,
        [
            audit_row(
                actor,
                action,
                "closure",
                row["uid"],
                new={k: v for k, v in row.items() if k != "uid"},
            )
            for row in rows
        ],
    )


def _location_name(conn: Connection, location_id: int) -> str | None:
    name = conn.execute(select(LOCATION.c.name).where(LOCATION.c.id == location_id)).scalar()
    return None if name is None else str(name)


def _existing(conn: Connection, first: date, last: date) -> set[tuple[int | None, date, date, str]]:
    rows = conn.execute(
        select(CLOSURE.c.location_id, CLOSURE.c.date_from, CLOSURE.c.date_to, CLOSURE.c.name).where(
            and_(CLOSURE.c.date_from <= last, CLOSURE.c.date_to >= first)
        )
    )
    return {(r[0], r[1], r[2], str(r[3]).casefold()) for r in rows}


def import_closures_csv(db: Database, path: Path, actor: Actor) -> ClosureImportReport:
    """Import school holidays and own closure days from a CSV file, in one transaction.

    Columns (the first line names them; Dutch or English, any case): ``van`` (first
    day), ``tot`` / ``tot en met`` (last day; empty: one day), ``naam`` /
    ``omschrijving``, optionally ``locatie`` (empty: every location) and ``soort``
    (schoolvakantie, eigen; empty: a name with "vakantie" is a school holiday). Fields
    are separated by ``;`` or ``,``; dates are dd-mm-jjjj or jjjj-mm-dd. A closure that
    is already there (same location, days and name) is counted as unchanged.

    Raises:
        UserError: the file cannot be read, is empty, or lacks the required columns.
    """
    path = Path(path)
    with transaction(db) as conn:
        locations: dict[str, int] = {}
        for loc_id, loc_name, municipality in conn.execute(
            select(LOCATION.c.id, LOCATION.c.name, LOCATION.c.municipality)
        ):
            locations.setdefault(str(municipality).casefold(), loc_id)
            locations[str(loc_name).casefold()] = loc_id
        found, rejected = read_closures(path, locations)
        seen = _existing(conn, date.min + timedelta(days=1), date.max - timedelta(days=1))
        added: list[dict[str, Any]] = []
        unchanged = 0
        for item in found:
            key = (item.location_id, item.first, item.last, item.name.casefold())
            if key in seen:
                unchanged += 1
                continue
            seen.add(key)
            added.append(
                _closure_row(item.location_id, item.first, item.last, item.kind, item.name)
            )
        _insert(conn, added, actor, "closure.import")
        summary = {
            "file": path.name,
            "added": len(added),
            "unchanged": unchanged,
            "rejected": len(rejected),
        }
        write_audit(conn, [audit_row(actor, "closure.import_file", "closure", "", new=summary)])
    return ClosureImportReport(len(added), unchanged, rejected)


__all__ = [
    "ClosureImportReport",
    "ClosureRow",
    "add_closure",
    "delete_closure",
    "ensure_public_holidays",
    "import_closures_csv",
    "list_closures",
    "public_holidays",
]
