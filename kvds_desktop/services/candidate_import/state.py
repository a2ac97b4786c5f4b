"""The app's side of an import: existing candidates loaded once, matching and diffing.

Everything is read with a handful of Core queries into dictionaries, so that a
10,000-row file is compared without a query per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table
from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import N_
from kvds_desktop.exchange.candidate_fields import FIELD_NAMES, Problem
from kvds_desktop.services.candidate_import.model import Conflict, FieldChange

# Import fields stored in a candidate column of the same name.
COLUMN_FIELDS: tuple[str, ...] = tuple(
    name for name in FIELD_NAMES if name not in ("klantmanager", "klantmanager_email", "pip_date")
)
MAX_MERGE_HOPS = 20


def table(name: str) -> Table:
    """A table of the schema by name."""
    return SQLModel.metadata.tables[name]


def as_text(value: Any) -> str:
    """A stored value in the form the import compares: dates ISO, None as ""."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def is_blank(field_name: str, value: str) -> bool:
    """Whether the app holds no real value for the field (gender 'o' is 'unknown')."""
    return value == "" or (field_name == "gender" and value == "o")


@dataclass
class AppCandidate:
    """An active candidate as the import compares it."""

    id: int
    uid: str
    values: dict[str, str]
    klantmanager_id: int | None

    @property
    def display_name(self) -> str:
        """'Voornamen tussenvoegsel Achternaam'."""
        v = self.values
        return display_name(v.get("voornamen", ""), v.get("tussenvoegsel"), v.get("achternaam", ""))


@dataclass
class KlantmanagerRow:
    """A klantmanager known to the app."""

    id: int
    name: str
    email: str
    municipality: str


@dataclass
class Diff:
    """How one file row compares with the candidate it matched."""

    changes: list[FieldChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    settled: dict[str, str] = field(default_factory=dict)  # file == app, baseline differs


@dataclass
class AppState:
    """The candidates, baselines, klantmanagers and locations in the database."""

    candidates: dict[int, AppCandidate]
    klantnummer_owner: dict[str, int]  # every candidate, merged ones too
    survivor: dict[int, int | None]  # candidate id -> active candidate it lives on in
    by_bsn: dict[str, list[int]]  # active candidates only
    baselines: dict[int, dict[str, str]]
    klantmanagers: dict[int, KlantmanagerRow]
    locations: list[tuple[int, str, str]]  # id, name, municipality
    by_uid: dict[str, int] = field(default_factory=dict)

    def match(self, values: dict[str, str]) -> tuple[AppCandidate | None, Problem | None]:
        """The active candidate a row refers to: by klantnummer, then by BSN."""
        number = values.get("klantnummer")
        if number and number in self.klantnummer_owner:
            owner = self.survivor.get(self.klantnummer_owner[number])
            if owner is None:
                return None, Problem(
                    N_(
                        "Row {row}: the klantnummer {value} belongs to a record that was "
                        "merged away and cannot be used again."
                    ),
                    {"value": number},
                )
            return self.candidates[owner], None
        bsn = values.get("bsn")
        if bsn and bsn in self.by_bsn:
            found = self.by_bsn[bsn]
            if len(found) > 1:
                return None, Problem(
                    N_(
                        "Row {row}: more than one candidate in the app has this BSN; merge "
                        "the duplicates first."
                    ),
                    {},
                )
            return self.candidates[found[0]], None
        return None, None

    def diff(self, row: int, candidate: AppCandidate, values: dict[str, str]) -> Diff:
        """Compare a file row with the app, three-way against the last imported values.

        file == app: nothing. file == baseline: only the app changed it, the app's
        value stands. app == baseline (or nothing in the app and no baseline): the
        municipality changed it, a change. Otherwise a conflict. Empty file cells are
        not in ``values`` and never blank a value.
        """
        result = Diff()
        baselines = self.baselines.get(candidate.id, {})
        for name, new in values.items():
            if name == "klantnummer" and self.klantnummer_owner.get(new, candidate.id) != (
                candidate.id
            ):
                continue  # held by a merged-away record: the number cannot move
            old = candidate.values.get(name, "")
            base = baselines.get(name)
            if new == old:
                if base != new:
                    result.settled[name] = new
                continue
            if base is not None and new == base:
                continue
            if (base is None and is_blank(name, old)) or (base is not None and old == base):
                result.changes.append(FieldChange(name, old, new))
            else:
                result.conflicts.append(
                    Conflict(row, candidate.uid, candidate.display_name, name, old, new, base)
                )
        return result

    def klantmanager_for(self, name: str, municipality: str) -> KlantmanagerRow | None:
        """The klantmanager of that name: in that municipality, else the only one so named."""
        key = name.casefold()
        named = [k for k in self.klantmanagers.values() if k.name.casefold() == key]
        exact = [k for k in named if k.municipality.casefold() == municipality.casefold()]
        if exact:
            return exact[0]
        return named[0] if len(named) == 1 else None

    def location_for(self, municipality: str) -> int | None:
        """The learning location in ``municipality`` (by municipality or location name)."""
        key = municipality.casefold()
        if not key:
            return None
        for location_id, name, location_municipality in self.locations:
            if key in (location_municipality.casefold(), name.casefold()):
                return location_id
        return None


def load_state(conn: Connection) -> AppState:
    """Read what the import compares against, in a few queries."""
    c = table("candidate")
    km = table("klantmanager")
    klantmanagers = {
        int(r.id): KlantmanagerRow(int(r.id), r.name or "", r.email or "", r.municipality or "")
        for r in conn.execute(select(km.c.id, km.c.name, km.c.email, km.c.municipality))
    }
    first_pip: dict[int, str] = {}
    pip = table("pip_version")
    for r in conn.execute(
        select(pip.c.candidate_id, pip.c.decision_date).order_by(
            pip.c.candidate_id.desc(), pip.c.version.desc(), pip.c.id.desc()
        )
    ):
        first_pip[int(r.candidate_id)] = as_text(r.decision_date)
    columns = [c.c[name] for name in COLUMN_FIELDS]
    rows = conn.execute(
        select(c.c.id, c.c.uid, c.c.merged_into_id, c.c.klantmanager_id, *columns)
    ).all()
    candidates: dict[int, AppCandidate] = {}
    merged: dict[int, int] = {}
    owner: dict[str, int] = {}
    by_bsn: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        mapping = r._mapping
        cid = int(r.id)
        if r.klantnummer:
            owner[str(r.klantnummer)] = cid
        if r.merged_into_id is not None:
            merged[cid] = int(r.merged_into_id)
            continue
        values = {name: as_text(mapping[name]) for name in COLUMN_FIELDS}
        kid = int(r.klantmanager_id) if r.klantmanager_id is not None else None
        manager = klantmanagers.get(kid) if kid is not None else None
        values["klantmanager"] = manager.name if manager else ""
        values["klantmanager_email"] = manager.email if manager else ""
        values["pip_date"] = first_pip.get(cid, "")
        candidates[cid] = AppCandidate(cid, str(r.uid), values, kid)
        if r.bsn:
            by_bsn[str(r.bsn)].append(cid)
    survivor: dict[int, int | None] = {cid: cid for cid in candidates}
    for cid in merged:
        current: int | None = cid
        for _ in range(MAX_MERGE_HOPS):
            if current is None or current in candidates:
                break
            current = merged.get(current)
        survivor[cid] = current if current in candidates else None
    baselines: dict[int, dict[str, str]] = defaultdict(dict)
    b = table("import_baseline")
    for cand_id, name, value in conn.execute(select(b.c.candidate_id, b.c.field, b.c.value)):
        baselines[int(cand_id)][str(name)] = str(value or "")
    loc = table("location")
    locations = [
        (int(r.id), str(r.name), str(r.municipality))
        for r in conn.execute(select(loc.c.id, loc.c.name, loc.c.municipality).order_by(loc.c.id))
    ]
    return AppState(
        candidates,
        owner,
        survivor,
        dict(by_bsn),
        dict(baselines),
        klantmanagers,
        locations,
        {cand.uid: cid for cid, cand in candidates.items()},
    )
