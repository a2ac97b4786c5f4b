"""Retention: what is kept how long after a candidate leaves, and the run that enforces it.

Each category of data has a period in months counted from the candidate's end date: the
latest outflow, or the date their status became an ended one (uitgestroomd, verhuisd,
ontheven, gestopt). Candidates still in the programme are never touched. The categories:

- ``notes``: notes in the file and the aandachtspunten, and every free-text note or
  reason on the candidate's other records (levels, modules, exams, placements, outflow).
- ``absence_reasons``: the reason and note of every attendance mark (they may be about
  health); the mark itself stays, so attendance figures still add up.
- ``work_profiles``: the work profile and the consents to share it.
- ``anonymise``: the whole record: names, BSN, birth date, address, phone, e-mail,
  nationality and client number are replaced or cleared (and the three categories above
  are applied too); municipality, law, route, dates, status and outflow kind stay, so the
  dashboard's figures are the same before and after.

Periods default to :data:`DEFAULT_PERIODS`; the GUI keeps the coordinator's own in
Settings and passes them in. :func:`plan_retention` shows what a run would do;
:func:`apply_retention` does it in one transaction with one audit entry per candidate and
category (counts only). Audit entries about the cleared fields lose those values too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from kvds_desktop.domain.enums import ENDED_STATUSES
from kvds_desktop.domain.names import display_name
from kvds_desktop.domain.rules import add_months
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.privacy import reach as r
from kvds_desktop.services.privacy.clearing import (
    ACTIONS,
    ANONYMOUS_FIRST,
    CLEARED,
    MARK_TEXTS,
    PERSONAL_FIELDS,
    PROFILE_TABLES,
    Person,
    Rows,
    note_columns,
)
from kvds_desktop.services.privacy.erase import scrub_texts
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database

CATEGORIES = ("notes", "absence_reasons", "work_profiles", "anonymise")


@dataclass(frozen=True)
class RetentionPeriods:
    """Months after a candidate's end date before each category is deleted or anonymised."""

    notes: int = 12
    absence_reasons: int = 12
    work_profiles: int = 24
    anonymise: int = 60

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RetentionPeriods:
        """Periods from Settings (missing keys keep their default).

        Raises:
            UserError: a period is not a whole number of months from 0 to 1200.
        """
        given: dict[str, int] = {}
        for item in fields(cls):
            if item.name not in values:
                continue
            try:
                months = int(values[item.name])
            except (TypeError, ValueError):
                months = -1
            if not 0 <= months <= 1200:
                raise UserError(
                    N_("A retention period must be 0 to 1200 months: {category}."),
                    category=item.name,
                )
            given[item.name] = months
        return cls(**given)

    def months(self, category: str) -> int:
        """The period of ``category``."""
        return int(getattr(self, category))


DEFAULT_PERIODS = RetentionPeriods()


@dataclass(frozen=True)
class PlanItem:
    """One candidate in one category: what would be deleted or cleared, counted."""

    category: str
    candidate_uid: str
    name: str
    ended_on: date
    due_on: date
    rows: int


@dataclass(frozen=True)
class RetentionPlan:
    """What a retention run on ``today`` with ``periods`` would delete or anonymise."""

    today: date
    periods: RetentionPeriods
    items: tuple[PlanItem, ...]

    def count(self, category: str) -> int:
        """Candidates affected in ``category``."""
        return sum(1 for i in self.items if i.category == category)

    def candidates(self, category: str) -> list[str]:
        """The uids of the candidates affected in ``category``."""
        return [i.candidate_uid for i in self.items if i.category == category]

    def as_json(self) -> dict[str, Any]:
        """The plan as plain JSON values (for ``kvds retention --json``)."""
        return {
            "today": self.today.isoformat(),
            "periods": asdict(self.periods),
            "categories": {
                c: {
                    "candidates": self.count(c),
                    "rows": sum(i.rows for i in self.items if i.category == c),
                }
                for c in CATEGORIES
            },
            "items": [
                {**asdict(i), "ended_on": i.ended_on.isoformat(), "due_on": i.due_on.isoformat()}
                for i in self.items
            ],
        }


@dataclass(frozen=True)
class RetentionResult:
    """What a run did: rows changed per category, and the candidates per category."""

    today: date
    rows: dict[str, int]
    candidates: dict[str, list[str]] = field(default_factory=dict)


def _ended(conn: Connection) -> list[Person]:
    """Candidates whose programme has ended, with the date it ended (merged records included)."""
    md = migrate.METADATA.tables
    cand, outflow, change = md["candidate"], md["outflow"], md["candidate_status_change"]
    last_out = dict(
        conn.execute(
            select(outflow.c.candidate_id, func.max(outflow.c.outflow_date)).group_by(
                outflow.c.candidate_id
            )
        ).all()
    )
    ended_change = dict(
        conn.execute(
            select(change.c.candidate_id, func.max(change.c.effective_date))
            .select_from(change.join(cand, cand.c.id == change.c.candidate_id))
            .where(change.c.status == cand.c.status)
            .group_by(change.c.candidate_id)
        ).all()
    )
    rows = conn.execute(
        select(
            cand.c.id,
            cand.c.uid,
            cand.c.status,
            cand.c.merged_into_id,
            cand.c.voornamen,
            cand.c.tussenvoegsel,
            cand.c.achternaam,
            cand.c.updated_at,
        )
    ).all()
    merged: dict[int, list[tuple[int, str]]] = {}
    for row in rows:
        if row.merged_into_id is not None:
            merged.setdefault(row.merged_into_id, []).append((row.id, row.uid))
    ended = {s.value for s in ENDED_STATUSES}
    people = []
    for row in rows:
        if row.merged_into_id is not None or row.status not in ended:
            continue
        dates = [d for d in (last_out.get(row.id), ended_change.get(row.id)) if d is not None]
        end = max(dates) if dates else row.updated_at.date()
        extra = merged.get(row.id, [])
        people.append(
            Person(
                row.id,
                row.uid,
                display_name(row.voornamen, row.tussenvoegsel, row.achternaam),
                end,
                [row.id, *(i for i, _ in extra)],
                [row.uid, *(u for _, u in extra)],
            )
        )
    return people


def _rows_by_person(conn: Connection, found: r.Reach, people: list[Person]) -> dict[int, Rows]:
    """The owned rows of all ``people`` in one pass per table, split per person (by id)."""
    subject = r.Subject(
        ids=[i for p in people for i in p.ids],
        uids=[u for p in people for u in p.uids],
        name="",
        klantnummers=[],
        bsns=[],
    )
    owned = r.owned_rows(conn, migrate.METADATA, found, subject)
    root: dict[Any, int] = {i: p.id for p in people for i in p.ids}
    root.update({u: p.id for p in people for u in p.uids})
    owner: dict[str, dict[Any, int]] = {
        r.CANDIDATE: {row["id"]: root[row["id"]] for row in owned[r.CANDIDATE]}
    }
    split: dict[int, Rows] = {p.id: {name: [] for name in found.tables} for p in people}
    for row in owned[r.CANDIDATE]:
        split[root[row["id"]]][r.CANDIDATE].append(row)
    for name in found.tables[1:]:
        owner[name] = {}
        for row in owned.get(name, []):
            person = None
            for link in found.links_of(name):
                value = row.get(link.column)
                if link.target == r.CANDIDATE:
                    person = root.get(value) if value is not None else None
                else:
                    person = owner[link.target].get(value)
                if person is not None:
                    break
            if person is None:
                continue
            if "id" in row:
                owner[name][row["id"]] = person
            split[person][name].append(row)
    return split


def _work(category: str, owned: dict[str, list[dict[str, Any]]], found: r.Reach) -> int:
    """How many rows or fields ``category`` would delete or clear for one person."""
    if category == "notes":
        count = len(owned.get("candidate_note", []))
        count += sum(1 for c in owned["candidate"] if c["aandachtspunten"])
        return count + sum(
            1 for t, c in note_columns(found) for row in owned.get(t, []) if row.get(c)
        )
    if category == "absence_reasons":
        return sum(
            1
            for t in ("attendance_mark", "mark_fact")
            for row in owned.get(t, [])
            if any(row.get(c) for c in MARK_TEXTS)
        )
    if category == "work_profiles":
        return sum(len(owned.get(t, [])) for t in PROFILE_TABLES)
    return sum(1 for c in owned["candidate"] if _identifiable(c))


def _identifiable(row: Mapping[str, Any]) -> bool:
    if row["voornamen"] != ANONYMOUS_FIRST or row["achternaam"] != row["uid"][:8]:
        return True
    return any(row[k] != v for k, v in PERSONAL_FIELDS.items())


Planned = tuple[PlanItem, Person, dict[str, list[dict[str, Any]]]]


def _plan(conn: Connection, periods: RetentionPeriods, today: date) -> list[Planned]:
    items: list[Planned] = []
    found = r.candidate_reach(migrate.METADATA)
    people = []
    for person in _ended(conn):
        due = {c: add_months(person.ended_on, periods.months(c)) for c in CATEGORIES}
        if any(d <= today for d in due.values()):
            people.append((person, due))
    by_person = _rows_by_person(conn, found, [p for p, _ in people])
    for person, due in people:
        owned = by_person[person.id]
        for category in CATEGORIES:
            rows = _work(category, owned, found) if due[category] <= today else 0
            if rows:
                items.append(
                    (
                        PlanItem(
                            category, person.uid, person.name, person.ended_on, due[category], rows
                        ),
                        person,
                        owned,
                    )
                )
    return items


def plan_retention(
    db: Database, periods: RetentionPeriods = DEFAULT_PERIODS, *, today: date
) -> RetentionPlan:
    """What a retention run on ``today`` would delete or anonymise, per category and candidate."""
    with db.engine.connect() as conn:
        items = _plan(conn, periods, today)
    return RetentionPlan(today, periods, tuple(i[0] for i in items))


def apply_retention(
    db: Database,
    plan_or_periods: RetentionPlan | RetentionPeriods,
    actor: Actor,
    *,
    today: date,
    now: datetime | None = None,
) -> RetentionResult:
    """Delete or anonymise what is due, in one transaction, audited per candidate and category.

    Given a plan (the one the coordinator confirmed), only its candidates and categories
    are done, and only what is still due on ``today``.
    """
    periods = (
        plan_or_periods.periods if isinstance(plan_or_periods, RetentionPlan) else plan_or_periods
    )
    confirmed = (
        {(i.category, i.candidate_uid) for i in plan_or_periods.items}
        if isinstance(plan_or_periods, RetentionPlan)
        else None
    )
    rows: dict[str, int] = {c: 0 for c in CATEGORIES}
    done: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    with transaction(db) as conn:
        entries, identifiers = [], []
        for item, person, owned in _plan(conn, periods, today):
            if confirmed is not None and (item.category, item.candidate_uid) not in confirmed:
                continue
            identifiers += ACTIONS[item.category](conn, person, owned)
            rows[item.category] += item.rows
            done[item.category].append(item.candidate_uid)
            entries.append(
                audit_row(
                    actor,
                    f"retention.{item.category}",
                    r.CANDIDATE,
                    person.uid,
                    new={
                        "rows": item.rows,
                        "months": periods.months(item.category),
                        "ended_on": item.ended_on,
                    },
                    at=now,
                )
            )
        scrub_texts(conn, identifiers, CLEARED)
        write_audit(conn, entries)
    return RetentionResult(today, rows, done)


__all__ = [
    "CATEGORIES",
    "DEFAULT_PERIODS",
    "PlanItem",
    "RetentionPeriods",
    "RetentionPlan",
    "RetentionResult",
    "apply_retention",
    "plan_retention",
]
