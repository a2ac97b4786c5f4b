"""The labour-market module (MAP under Wi2021, ONA under Wi2013), the PVT, and Z-route hours.

Progress is kept in ``module_progress`` rows, as the demo data writes them:

- one row per MAP theme or ONA result card, ticked with the date it was done;
- one ``praktijkuren`` row that holds the total practical hours; its date is set when
  the total reaches what the module needs (MAP 40 hours, ONA 64 hours);
- ``eindgesprek``: the final interview, with its date;
- PVT: ``participatieverklaring``, with the date it was signed.

MAP is complete with 40 practical hours, the 8 themes and the final interview; ONA with
the 8 result cards and the final interview, or 64 practical hours; either is complete
too when its exam part is passed or exempted. The Z-route counters (800 hours of
language, 800 of participation) are the attendance figures since the term start.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata
from kvds_desktop.domain.enums import MAP_THEMES, ExamPartKind, Law, ModuleKind, Route
from kvds_desktop.domain.progress import exam_parts_for, labour_module_for
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance.figures import figures_for_candidate
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.progress.exams import (
    CandidateLaw,
    choice,
    exam_overview,
    load_candidate_law,
)
from kvds_desktop.services.scheduling.common import MAX_PERIOD_DAYS, transaction, write_audit
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

MODULE: Table = SQLModel.metadata.tables["module_progress"]

PRACTICAL_HOURS = "praktijkuren"
FINAL_INTERVIEW = "eindgesprek"
PVT_STATEMENT = "participatieverklaring"
ONA_CARDS: tuple[str, ...] = tuple(f"resultaatkaart {n}" for n in range(1, 9))
HOURS_NEEDED: dict[ModuleKind, float] = {ModuleKind.MAP: 40.0, ModuleKind.ONA: 64.0}
Z_ROUTE_HOURS = 800.0  # language and participation, each
MAX_HOURS = 2000.0  # more in one entry is a typing error
ITEM_ALIASES: dict[str, str] = {
    "final interview": FINAL_INTERVIEW,
    "practical hours": PRACTICAL_HOURS,
    "pvt": PVT_STATEMENT,
}


@dataclass(frozen=True)
class ThemeRow:
    """A MAP theme or an ONA result card, with the date it was done (None: not yet)."""

    item: str
    completed_on: date | None
    note: str
    hours: float = 0.0


@dataclass(frozen=True)
class ModuleOverview:
    """Where a candidate stands on the labour-market module, the PVT and the Z-route hours.

    ``kind`` is "MAP", "ONA" or None (onderwijsroute, no duty, no PIP yet); the Z-route
    hours are 0 unless ``z_route``.
    """

    law: str
    kind: str | None
    practical_hours: float
    hours_needed: float
    themes: tuple[ThemeRow, ...]
    final_interview: date | None
    pvt_signed: date | None
    z_language_hours: float
    z_participation_hours: float
    z_language_needed: float
    z_participation_needed: float
    complete: bool
    z_route: bool = False
    pvt_applies: bool = False

    @property
    def themes_done(self) -> int:
        """Themes or result cards with a date."""
        return sum(1 for theme in self.themes if theme.completed_on is not None)


def module_items(module: ModuleKind) -> tuple[str, ...]:
    """The items of a module, in the order they are shown."""
    if module is ModuleKind.MAP:
        return (*MAP_THEMES, PRACTICAL_HOURS, FINAL_INTERVIEW)
    if module is ModuleKind.ONA:
        return (*ONA_CARDS, PRACTICAL_HOURS, FINAL_INTERVIEW)
    return (PVT_STATEMENT,)


def _plain(text: str) -> str:
    """Lower case without accents, with spaces for ``_`` and ``-`` (beroepsoriëntatie)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().replace("_", " ").replace("-", " ").split())


def check_item(module: ModuleKind, item: str) -> str:
    """The stored name of ``item`` of ``module``; a card may be given by its number.

    Raises:
        UserError: not an item of the module.
    """
    wanted = _plain(item)
    if module is ModuleKind.ONA and wanted.removeprefix("kaart ").isdigit():
        wanted = f"resultaatkaart {int(wanted.removeprefix('kaart '))}"
    wanted = ITEM_ALIASES.get(wanted, wanted)
    items = module_items(module)
    found = next((name for name in items if _plain(name) == wanted), None)
    if found is None:
        raise UserError(
            N_("Unknown item {item} of {module}; choose one of: {choices}."),
            item=item,
            module=module.value.upper(),
            choices=", ".join(items),
        )
    return found


def _applies(person: CandidateLaw, module: ModuleKind) -> bool:
    if module is ModuleKind.PVT:
        return ExamPartKind.PVT in exam_parts_for(person.law, person.route)
    return labour_module_for(person.law, person.route) is module


def _rows(conn: Connection, candidate_id: int) -> dict[tuple[str, str], list[Any]]:
    """The candidate's module rows by (module, item), oldest first."""
    found: dict[tuple[str, str], list[Any]] = {}
    query = select(MODULE).where(MODULE.c.candidate_id == candidate_id).order_by(MODULE.c.id)
    for row in conn.execute(query):
        found.setdefault((row.module, row.item), []).append(row)
    return found


def _done_on(rows: list[Any]) -> date | None:
    return min((r.completed_on for r in rows if r.completed_on is not None), default=None)


def _theme(item: str, rows: list[Any]) -> ThemeRow:
    ticked = [r for r in rows if r.completed_on is not None] or rows
    if not ticked:
        return ThemeRow(item, None, "")
    first = min(ticked, key=lambda r: (r.completed_on or date.max, r.id))
    return ThemeRow(item, first.completed_on, first.note, float(first.hours))


def _z_hours(db: Database, person: CandidateLaw, today: date) -> tuple[float, float]:
    """Language and participation hours followed since the term start (attendance figures)."""
    if person.term_start is None or person.term_start > today:
        return 0.0, 0.0
    start = max(person.term_start, today - timedelta(days=MAX_PERIOD_DAYS))
    figures = figures_for_candidate(db, person.uid, start, today)
    return figures.z_route_language_hours, figures.z_route_participation_hours


def module_overview(db: Database, candidate_uid: str, today: date) -> ModuleOverview:
    """The candidate's MAP or ONA, PVT and Z-route hours on ``today``.

    Raises:
        UserError: the candidate does not exist.
    """
    with db.engine.connect() as conn:
        person = load_candidate_law(conn, candidate_uid)
        rows = _rows(conn, person.id)
    kind = labour_module_for(person.law, person.route)
    themes: tuple[ThemeRow, ...] = ()
    practical, interview, complete = 0.0, None, False
    if kind is not None:
        names = MAP_THEMES if kind is ModuleKind.MAP else ONA_CARDS
        themes = tuple(_theme(name, rows.get((kind.value, name), [])) for name in names)
        practical = sum(float(r.hours) for r in rows.get((kind.value, PRACTICAL_HOURS), []))
        interview = _done_on(rows.get((kind.value, FINAL_INTERVIEW), []))
        all_themes = all(theme.completed_on is not None for theme in themes)
        enough = practical >= HOURS_NEEDED[kind]
        if kind is ModuleKind.MAP:
            complete = enough and all_themes and interview is not None
        else:
            complete = enough or (all_themes and interview is not None)
        part = next((p for p in exam_overview(db, candidate_uid) if p.part == kind.value), None)
        complete = complete or (part is not None and part.done)
    z_route = person.law == Law.WI2021.value and person.route == Route.Z.value
    language, participation = _z_hours(db, person, today) if z_route else (0.0, 0.0)
    return ModuleOverview(
        law=person.law,
        kind=kind.value.upper() if kind is not None else None,
        practical_hours=practical,
        hours_needed=HOURS_NEEDED[kind] if kind is not None else 0.0,
        themes=themes,
        final_interview=interview,
        pvt_signed=_done_on(rows.get((ModuleKind.PVT.value, PVT_STATEMENT), [])),
        z_language_hours=language,
        z_participation_hours=participation,
        z_language_needed=Z_ROUTE_HOURS,
        z_participation_needed=Z_ROUTE_HOURS,
        complete=complete,
        z_route=z_route,
        pvt_applies=_applies(person, ModuleKind.PVT),
    )


def _check_entry(
    item: str, hours: float, completed_on: date | None, total: bool, today: date
) -> None:
    if not (math.isfinite(hours) and 0 <= hours <= MAX_HOURS):
        raise UserError(N_("Hours lie between 0 and {max}."), max=int(MAX_HOURS))
    if item == PRACTICAL_HOURS and hours == 0 and not total:
        raise UserError(N_("Give the practical hours to add (more than 0)."))
    if completed_on is not None and completed_on > today:
        raise UserError(
            N_("A module item cannot be done in the future ({date})."),
            date=completed_on.isoformat(),
        )


def _load(
    conn: Connection, candidate_uid: str, module: str, item: str
) -> tuple[CandidateLaw, ModuleKind, str, list[Any]]:
    """The candidate, the checked module and item, and the item's stored rows."""
    kind = choice(ModuleKind, module, N_("Unknown module {value}; choose one of: {choices}."))
    name = check_item(kind, item)
    person = load_candidate_law(conn, candidate_uid)
    if not _applies(person, kind):
        raise UserError(
            N_("The module {module} does not apply to this candidate's law and route."),
            module=kind.value.upper(),
        )
    stored = list(
        conn.execute(
            select(MODULE)
            .where(and_(MODULE.c.candidate_id == person.id, MODULE.c.module == kind.value))
            .where(MODULE.c.item == name)
            .order_by(MODULE.c.id)
        )
    )
    return person, kind, name, stored


def record_module_item(
    db: Database,
    *,
    candidate_uid: str,
    module: str,
    item: str,
    hours: float = 0,
    completed_on: date | None = None,
    note: str = "",
    actor: Actor,
    today: date,
    total: bool = False,
    now: datetime | None = None,
) -> ModuleOverview:
    """Record progress on one item of MAP, ONA or PVT; returns the new overview.

    ``praktijkuren``: ``hours`` are added to the total (``total=True``: they are the new
    total); the total gets a date once it reaches the module's hours. Any other item
    (a theme, a result card, ``eindgesprek``, ``participatieverklaring``) is ticked on
    ``completed_on`` (default ``today``). Audited as ``module.item``.

    Raises:
        UserError: unknown candidate, module or item; the module does not apply; hours
            out of range or none to add; a date in the future.
    """
    with transaction(db) as conn:
        person, kind, name, stored = _load(conn, candidate_uid, module, item)
        _check_entry(name, hours, completed_on, total, today)
        first = stored[0] if stored else None
        if name == PRACTICAL_HOURS:
            new_hours = hours if total else sum(float(r.hours) for r in stored) + hours
            reached = new_hours >= HOURS_NEEDED[kind]
            kept = first.completed_on if first is not None else None
            day = (kept or completed_on or today) if reached else None
        else:
            new_hours = hours or (float(first.hours) if first is not None else 0.0)
            day = completed_on or today
        values = {
            "hours": new_hours,
            "completed_on": day,
            "note": note.strip() or (first.note if first is not None else ""),
        }
        audited = {**values, "candidate": person.uid, "module": kind.value, "item": name}
        if first is None:
            uid = new_uid()
            keys = {"uid": uid, "candidate_id": person.id, "module": kind.value, "item": name}
            conn.execute(MODULE.insert(), [{**keys, **values}])
            entry = audit_row(actor, "module.item", "module_progress", uid, new=audited, at=now)
        else:
            old = {"hours": first.hours, "completed_on": first.completed_on, "note": first.note}
            conn.execute(MODULE.update().where(MODULE.c.id == first.id).values(**values))
            if name == PRACTICAL_HOURS and len(stored) > 1:  # merge older split totals
                conn.execute(MODULE.delete().where(MODULE.c.id.in_([r.id for r in stored[1:]])))
            entry = audit_row(actor, "module.item", "module_progress", first.uid, old=old,
                              new=audited, at=now)  # fmt: skip
        write_audit(conn, [entry])
    return module_overview(db, candidate_uid, today)


def clear_module_item(
    db: Database,
    *,
    candidate_uid: str,
    module: str,
    item: str,
    actor: Actor,
    today: date,
    now: datetime | None = None,
) -> ModuleOverview:
    """Untick an item recorded by mistake (its rows are removed; audited ``module.item.clear``).

    Raises:
        UserError: unknown candidate, module or item; the module does not apply.
    """
    with transaction(db) as conn:
        person, kind, name, stored = _load(conn, candidate_uid, module, item)
        if stored:
            conn.execute(MODULE.delete().where(MODULE.c.id.in_([r.id for r in stored])))
            old = {
                "candidate": person.uid, "module": kind.value, "item": name,
                "hours": sum(float(r.hours) for r in stored),
                "completed_on": _done_on(stored),
            }  # fmt: skip
            write_audit(conn, [audit_row(actor, "module.item.clear", "module_progress",
                                         stored[0].uid, old=old, at=now)])  # fmt: skip
    return module_overview(db, candidate_uid, today)
