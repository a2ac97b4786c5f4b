"""Which rows of the database are about one candidate, found from the schema itself.

The tables about a candidate are not listed by hand: they are read from
``SQLModel.metadata``. A table is *owned* by the candidate when

- one of its columns has a foreign key to ``candidate.id``, or is named ``candidate_id``
  (a summary without a foreign key, such as ``attendance_month``), or is named
  ``candidate_uid`` (facts that arrived by file, such as ``mark_fact``); or
- one of its columns has a foreign key to a table that is owned (``exam_attempt`` ->
  ``exam_part``, ``placement_step`` -> ``placement``, ``outflow_follow_up`` -> ``outflow``).

Records merged into the candidate (``candidate.merged_into_id``) are the same person and
belong to the same subject. A new table with a ``candidate_id`` is picked up without any
change here. Rows of other tables that an owned row points at (a lesson, a group, an
organisation) are *context*: only their describing columns are shown, never the other
people in them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, or_, select

from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import N_, UserError

CANDIDATE = "candidate"
AUDIT = "audit_entry"
# Columns of context rows that name a thing without saying anything about other people.
DESCRIBING = frozenset(
    {
        "uid",
        "name",
        "title",
        "code",
        "label_nl",
        "label_en",
        "name_nl",
        "name_en",
        "lesson_date",
        "start_time",
        "end_time",
        "cancelled",
        "kind",
        "sector",
        "city",
        "municipality",
        "start_date",
        "end_date",
        "category",
    }
)
_CHUNK = 500


@dataclass(frozen=True)
class Link:
    """A column of ``table`` that points at ``target``'s ``key`` column."""

    table: str
    column: str
    target: str
    key: str = "id"


@dataclass(frozen=True)
class Reach:
    """The tables about a candidate, in the order they are found (parents before children)."""

    links: tuple[Link, ...]

    @property
    def tables(self) -> list[str]:
        """The owned tables, candidate first, each once, parents before children."""
        seen = [CANDIDATE]
        for link in self.links:
            if link.table not in seen:
                seen.append(link.table)
        return seen

    def links_of(self, table: str) -> list[Link]:
        """The links that make ``table`` owned."""
        return [link for link in self.links if link.table == table]


def _points_at(column: Column[Any], table: str) -> str | None:
    for fk in column.foreign_keys:
        if fk.column.table.name == table:
            return str(fk.column.name)
    return None


def candidate_reach(metadata: MetaData) -> Reach:
    """Read from ``metadata`` every table about a candidate (see the module docstring)."""
    links: list[Link] = []
    owned = {CANDIDATE}
    for table in metadata.sorted_tables:
        if table.name in (CANDIDATE, AUDIT):
            continue
        for column in table.columns:
            key = _points_at(column, CANDIDATE)
            if key is None and column.name == "candidate_id":
                key = "id"
            elif key is None and column.name == "candidate_uid":
                key = "uid"
            if key is not None:
                links.append(Link(table.name, column.name, CANDIDATE, key))
                owned.add(table.name)
    grew = True
    while grew:
        grew = False
        for table in metadata.sorted_tables:
            if table.name in owned or table.name == AUDIT:
                continue
            for column in table.columns:
                parent = next((t for t in owned - {CANDIDATE} if _points_at(column, t)), None)
                if parent is not None:
                    links.append(Link(table.name, column.name, parent, "id"))
                    owned.add(table.name)
                    grew = True
    return Reach(tuple(links))


@dataclass
class Subject:
    """The candidate records of one person: the one asked for and those merged into it."""

    ids: list[int]
    uids: list[str]
    name: str
    klantnummers: list[str]
    bsns: list[str]
    names: list[str] = field(default_factory=list)

    def identifiers(self) -> list[str]:
        """Every text that identifies the person: uids, client numbers, BSNs, names."""
        return [v for v in [*self.uids, *self.klantnummers, *self.bsns, *self.names] if v]


def find_subject(conn: Connection, table: Table, ref: str) -> Subject:
    """The person with uid or klantnummer ``ref``, with every record merged into them.

    Raises:
        UserError: no candidate has that uid or client number.
    """
    ref = (ref or "").strip()
    row = conn.execute(
        select(table.c.id, table.c.merged_into_id).where(
            or_(table.c.uid == ref, table.c.klantnummer == ref)
        )
    ).first()
    if not ref or row is None:
        raise UserError(N_("No candidate has the id or client number {ref}."), ref=ref)
    root, seen = int(row[0]), set()
    while row is not None and row[1] is not None and root not in seen:
        seen.add(root)
        root = int(row[1])
        row = conn.execute(
            select(table.c.id, table.c.merged_into_id).where(table.c.id == root)
        ).first()
    ids, frontier = [root], [root]
    while frontier:
        found = [
            int(r[0])
            for r in conn.execute(select(table.c.id).where(table.c.merged_into_id.in_(frontier)))
        ]
        frontier = [i for i in found if i not in ids]
        ids += frontier
    rows = conn.execute(select(table).where(table.c.id.in_(ids))).mappings().all()
    rows = sorted(rows, key=lambda r: ids.index(r["id"]))
    names = [display_name(r["voornamen"], r["tussenvoegsel"], r["achternaam"]) for r in rows]
    return Subject(
        ids=ids,
        uids=[r["uid"] for r in rows],
        name=names[0],
        klantnummers=[r["klantnummer"] for r in rows if r["klantnummer"]],
        bsns=[r["bsn"] for r in rows if r["bsn"]],
        names=sorted(set(names)),
    )


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _select_in(
    conn: Connection, table: Table, columns: list[str], values: list[Any]
) -> list[dict[str, Any]]:
    """Rows of ``table`` where any of ``columns`` is one of ``values`` (each row once)."""
    found: dict[Any, dict[str, Any]] = {}
    keys = [c.name for c in table.primary_key.columns]
    for part in _chunks(values):
        condition = or_(*(table.c[c].in_(part) for c in columns))
        for row in conn.execute(select(table).where(condition)).mappings():
            found[tuple(row[k] for k in keys)] = dict(row)
    return [found[k] for k in sorted(found, key=lambda k: tuple(str(x) for x in k))]


def owned_rows(
    conn: Connection, metadata: MetaData, reach: Reach, subject: Subject
) -> dict[str, list[dict[str, Any]]]:
    """Every row of every owned table that is about ``subject``, per table."""
    rows: dict[str, list[dict[str, Any]]] = {
        CANDIDATE: _select_in(conn, metadata.tables[CANDIDATE], ["id"], subject.ids)
    }
    for name in reach.tables[1:]:
        table = metadata.tables[name]
        found: dict[Any, dict[str, Any]] = {}
        keys = [c.name for c in table.primary_key.columns]
        for link in reach.links_of(name):
            parents = rows.get(link.target, [])
            values = [p[link.key] for p in parents if p.get(link.key) is not None]
            for row in _select_in(conn, table, [link.column], values):
                found[tuple(row[k] for k in keys)] = row
        rows[name] = [found[k] for k in sorted(found, key=lambda k: tuple(str(x) for x in k))]
    return rows


def context_rows(
    conn: Connection, metadata: MetaData, reach: Reach, owned: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of other tables that owned rows point at, with their describing columns only.

    Context rows are followed further (a lesson names its group); the candidate table is
    never context, so no other person's record is ever included.
    """
    wanted: dict[str, set[Any]] = {}
    owned_names = set(reach.tables)

    def note(table_name: str, row: dict[str, Any]) -> None:
        for column in metadata.tables[table_name].columns:
            for fk in column.foreign_keys:
                target = fk.column.table.name
                if target in owned_names or row.get(column.name) is None:
                    continue
                wanted.setdefault(target, set()).add(row[column.name])

    for name, rows in owned.items():
        for row in rows:
            note(name, row)
    context: dict[str, list[dict[str, Any]]] = {}
    done: dict[str, set[Any]] = {}
    while any(wanted.get(t, set()) - done.get(t, set()) for t in wanted):
        for name in sorted(wanted):
            todo = sorted(wanted[name] - done.setdefault(name, set()), key=str)
            if not todo:
                continue
            done[name] |= set(todo)
            table = metadata.tables[name]
            key = next(iter(table.primary_key.columns)).name
            for row in _select_in(conn, table, [key], todo):
                note(name, row)
                shown = {
                    k: v
                    for k, v in row.items()
                    if k == key or k in DESCRIBING or table.c[k].foreign_keys
                }
                context.setdefault(name, []).append(shown)
    return {name: context[name] for name in sorted(context)}


def identity_pattern(texts: Iterable[str]) -> re.Pattern[str] | None:
    """A regex that finds any of ``texts`` as a whole word (not inside a longer number)."""
    words = sorted({t.strip() for t in texts if t and len(t.strip()) >= 3}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
