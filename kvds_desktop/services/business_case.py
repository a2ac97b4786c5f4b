"""The business case of the programme: what it costs and how much benefit it saves.

Costs are entered per period (housing and facility management per location, staff,
provider contracts, other), for one municipality or shared ("" municipality). The
assumptions the sums rest on are stored in the ``assumption`` table; a key without a row
has its default (:data:`DEFAULTS`), and every figure shows the assumptions it used.

The sums, and the assumptions behind them:

* A cost is spread evenly over the days of its own period; the days inside the reported
  period count (a yearly contract of EUR 36,500 counts EUR 100 a day).
* Shared costs ("" municipality) are divided over the municipalities in proportion to
  the candidates each served in the period.
* A candidate is served in the period when registered on or before its end and the
  candidacy had not ended (uitgestroomd, verhuisd, ontheven, gestopt) before its start.
* Benefit months saved by an outflow: without the programme the candidate would have
  stayed on benefit for the baseline years (5 in the pilot) from the start of the
  obligation (else the registration date). The months from the outflow to that baseline
  date count, capped at the period end; a day is 12/365.25 of a month. Outflow with the
  benefit ended counts in full, with a partial benefit for the share not paid
  (``partial_benefit_share`` is the share still paid), with the full benefit not at all;
  a move, an exemption or a stop (verhuisd, ontheffing, gestopt) never counts.
* The amount saved is the months saved times the benefit per month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import ENDED_STATUSES, BenefitAfterOutflow, OutflowKind
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    LOCATION,
    TABLES,
    transaction,
    write_audit,
)
from kvds_desktop.services.work.outflow import list_outflow
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

COST = TABLES["cost_entry"]
ASSUMPTION = TABLES["assumption"]
STATUS_CHANGE = TABLES["candidate_status_change"]

CATEGORIES: dict[str, str] = {
    "huisvesting": N_("housing and facility management"),
    "personeel": N_("staff"),
    "aanbieder": N_("provider contracts"),
    "overig": N_("other costs"),
}
BENEFIT_PER_MONTH = "benefit_per_month_eur"
BASELINE_YEARS = "baseline_years_on_benefit"
PARTIAL_SHARE = "partial_benefit_share"
# key: (default value, what it means: an English msgid shown with the value)
DEFAULTS: dict[str, tuple[float, str]] = {
    BENEFIT_PER_MONTH: (1400.0, N_("Assumption (example value): benefit paid per candidate "
                                   "per month, in euros. Replace it with your own figure.")),
    BASELINE_YEARS: (5.0, N_("Pilot baseline: years a candidate stays on benefit without "
                             "the programme, from the start of the obligation.")),
    PARTIAL_SHARE: (0.5, N_("Share of the benefit still paid after outflow with a partial "
                            "benefit (0 to 1).")),
}  # fmt: skip
LIMITS: dict[str, tuple[float, float]] = {
    BENEFIT_PER_MONTH: (0.0, 100_000.0), BASELINE_YEARS: (0.0, 40.0), PARTIAL_SHARE: (0.0, 1.0),
}  # fmt: skip
NOT_BY_PROGRAMME: frozenset[str] = frozenset(
    {OutflowKind.VERHUISD, OutflowKind.ONTHEFFING, OutflowKind.GESTOPT}
)
DAYS_PER_MONTH = 365.25 / 12
SHARED = ""


@dataclass(frozen=True)
class CostRow:
    """One cost entered for a period."""

    uid: str
    municipality: str  # "" shared
    location: str  # the location's name, "" none
    category: str
    period_start: date
    period_end: date
    amount_eur: float
    note: str


@dataclass(frozen=True)
class AssumptionRow:
    """A value the business case rests on; ``is_default``: not changed by the user."""

    key: str
    value: float
    note: str
    is_default: bool


@dataclass(frozen=True)
class OutflowSaving:
    """The benefit one outflow saves in the period (plain values, for tests and exports)."""

    municipality: str
    kind: str
    day: date
    benefit_start: date
    benefit_after: str


@dataclass(frozen=True)
class CaseFigures:
    """The business case of one municipality (or all: municipality "")."""

    municipality: str
    costs_by_category: tuple[tuple[str, float], ...]  # every category, own + shared part
    total_cost: float
    candidates_served: int
    outflows: int
    outflows_off_benefit: int  # outflows that count towards the saving
    cost_per_candidate: float | None  # None: no candidates served
    cost_per_outflow: float | None  # None: no outflow
    benefit_months_saved: float
    amount_saved: float


@dataclass(frozen=True)
class BusinessCase:
    """The business case for a period: all municipalities, each one, and the assumptions."""

    start: date
    end: date
    total: CaseFigures
    per_municipality: tuple[CaseFigures, ...]
    assumptions: tuple[AssumptionRow, ...]


def cost_in_period(amount: float, first: date, last: date, start: date, end: date) -> float:
    """The part of ``amount`` (spent evenly over ``first``..``last``) in ``start``..``end``."""
    days = (last - first).days + 1
    overlap = (min(last, end) - max(first, start)).days + 1
    if days <= 0 or overlap <= 0:
        return 0.0
    return amount * overlap / days


def months_saved(
    saving: OutflowSaving, *, period_end: date, baseline_years: float, partial_share: float
) -> float:
    """Benefit months one outflow saves up to ``period_end`` (see the module docstring)."""
    if saving.kind in NOT_BY_PROGRAMME:
        return 0.0
    factor = {BenefitAfterOutflow.NONE: 1.0, BenefitAfterOutflow.PARTIAL: 1.0 - partial_share}
    weight = factor.get(BenefitAfterOutflow(saving.benefit_after), 0.0)
    baseline_end = rules.add_months(saving.benefit_start, round(baseline_years * 12))
    days = (min(baseline_end, period_end) - saving.day).days
    return max(0, days) / DAYS_PER_MONTH * weight


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise UserError(N_("The period ends before it starts."))


def _cost_rows(conn: Connection, *conditions: Any) -> list[CostRow]:
    rows = conn.execute(
        select(COST.c.uid, COST.c.municipality, LOCATION.c.name, COST.c.category,
               COST.c.period_start, COST.c.period_end, COST.c.amount_eur, COST.c.note)
        .select_from(COST.outerjoin(LOCATION, LOCATION.c.id == COST.c.location_id))
        .where(*conditions)
        .order_by(COST.c.period_start, COST.c.municipality, COST.c.category, COST.c.id)
    ).all()  # fmt: skip
    return [CostRow(r[0], r[1] or "", r[2] or "", r[3], r[4], r[5], float(r[6]), r[7] or "")
            for r in rows]  # fmt: skip


def list_costs(
    db: Database, *, start: date | None = None, end: date | None = None
) -> list[CostRow]:
    """The costs whose period overlaps ``start``..``end`` (None: open), oldest first."""
    conditions: list[Any] = []
    if start is not None:
        conditions.append(COST.c.period_end >= start)
    if end is not None:
        conditions.append(COST.c.period_start <= end)
    with db.engine.connect() as conn:
        return _cost_rows(conn, *conditions)


def save_cost(
    db: Database,
    *,
    municipality: str,
    location: str | None,
    category: str,
    period_start: date,
    period_end: date,
    amount_eur: float,
    note: str,
    actor: Actor,
    now: datetime,
    uid: str | None = None,
) -> CostRow:
    """Add a cost (``uid`` None) or change one; ``location`` is a location's name or None.

    Raises:
        UserError: an unknown category or location, a negative amount, a period that ends
            before it starts, a note too long, or the cost to change no longer exists.
    """
    if category not in CATEGORIES:
        raise UserError(N_("Unknown cost category {value}; use one of: {values}."),
                        value=category, values=", ".join(CATEGORIES))  # fmt: skip
    _check_period(period_start, period_end)
    if amount_eur < 0:
        raise UserError(N_("An amount cannot be negative."))
    note = (note or "").strip()
    if len(note) > 200:
        raise UserError(N_("{field} is too long: at most {most} characters."), field="note",
                        most=200)  # fmt: skip
    values: dict[str, Any] = {
        "municipality": (municipality or "").strip(), "category": category,
        "period_start": period_start, "period_end": period_end,
        "amount_eur": float(amount_eur), "note": note,
    }  # fmt: skip
    with transaction(db) as conn:
        values["location_id"] = None
        if location:
            values["location_id"] = conn.execute(
                select(LOCATION.c.id).where(LOCATION.c.name == location.strip())
            ).scalar()
            if values["location_id"] is None:
                raise UserError(N_("No location is called {name}."), name=location)
        old: dict[str, Any] | None = None
        if uid is None:
            uid = new_uid()
            conn.execute(COST.insert().values(uid=uid, **values))
        else:
            found = conn.execute(select(COST).where(COST.c.uid == uid)).mappings().first()
            if found is None:
                raise UserError(N_("This cost no longer exists; refresh the list."))
            old = {key: found[key] for key in values}
            conn.execute(COST.update().where(COST.c.uid == uid).values(**values))
        action = "cost.add" if old is None else "cost.update"
        write_audit(conn, [audit_row(actor, action, "cost_entry", uid, old=old, new=values,
                                     at=now)])  # fmt: skip
        return _cost_rows(conn, COST.c.uid == uid)[0]


def delete_cost(db: Database, uid: str, *, actor: Actor, now: datetime) -> None:
    """Delete a cost.

    Raises:
        UserError: the cost no longer exists.
    """
    with transaction(db) as conn:
        found = conn.execute(select(COST).where(COST.c.uid == uid)).mappings().first()
        if found is None:
            raise UserError(N_("This cost no longer exists; refresh the list."))
        conn.execute(COST.delete().where(COST.c.uid == uid))
        old = {key: found[key] for key in ("municipality", "category", "period_start",
                                          "period_end", "amount_eur", "note")}  # fmt: skip
        write_audit(conn, [audit_row(actor, "cost.delete", "cost_entry", uid, old=old, at=now)])


def find_cost(db: Database, ref: str) -> str:
    """The uid of the cost whose uid is ``ref`` or starts with it (6 or more characters).

    Raises:
        UserError: no cost, or more than one, fits.
    """
    ref = ref.strip().lower()
    with db.engine.connect() as conn:
        found = conn.execute(
            select(COST.c.uid).where(COST.c.uid.startswith(ref, autoescape=True)).limit(2)
        ).all() if len(ref) >= 6 else []  # fmt: skip
    if len(found) == 1:
        return str(found[0][0])
    if found:
        raise UserError(N_("{ref} fits more than one cost; give more of the id."), ref=ref)
    raise UserError(N_("No cost has the id {ref}."), ref=ref)


def get_assumptions(db: Database) -> list[AssumptionRow]:
    """Every assumption: the stored value, else the default; in the order of DEFAULTS."""
    with db.engine.connect() as conn:
        stored = {r[0]: (float(r[1]), r[2] or "") for r in conn.execute(
            select(ASSUMPTION.c.key, ASSUMPTION.c.value, ASSUMPTION.c.note))}  # fmt: skip
    found = []
    for key, (value, note) in DEFAULTS.items():
        if key in stored:
            found.append(AssumptionRow(key, stored[key][0], stored[key][1] or note, False))
        else:
            found.append(AssumptionRow(key, value, note, True))
    return found


def set_assumption(
    db: Database, key: str, value: float, *, actor: Actor, now: datetime, note: str = ""
) -> AssumptionRow:
    """Set an assumption's value (and optionally its note).

    Raises:
        UserError: an unknown key or a value out of its range.
    """
    if key not in DEFAULTS:
        raise UserError(N_("Unknown assumption {value}; use one of: {values}."), value=key,
                        values=", ".join(DEFAULTS))  # fmt: skip
    low, high = LIMITS[key]
    if not low <= value <= high:
        raise UserError(N_("{key} lies between {low} and {high}."), key=key, low=low, high=high)
    note = (note or "").strip()[:200]
    with transaction(db) as conn:
        found = conn.execute(select(ASSUMPTION.c.value, ASSUMPTION.c.note)
                             .where(ASSUMPTION.c.key == key)).first()  # fmt: skip
        if found is None:
            conn.execute(ASSUMPTION.insert().values(uid=new_uid(), key=key, value=value,
                                                    note=note))  # fmt: skip
            old = {"value": DEFAULTS[key][0]}
        else:
            note = note or found[1] or ""
            conn.execute(ASSUMPTION.update().where(ASSUMPTION.c.key == key)
                         .values(value=value, note=note))  # fmt: skip
            old = {"value": found[0], "note": found[1]}
        write_audit(conn, [audit_row(actor, "assumption.set", "assumption", key, old=old,
                                     new={"value": value, "note": note}, at=now)])  # fmt: skip
    return next(a for a in get_assumptions(db) if a.key == key)


def _served(conn: Connection, start: date, end: date) -> dict[str, int]:
    """Candidates served in the period, per municipality."""
    latest = (
        select(STATUS_CHANGE.c.candidate_id, func.max(STATUS_CHANGE.c.id).label("last_id"))
        .where(STATUS_CHANGE.c.effective_date < start)
        .group_by(STATUS_CHANGE.c.candidate_id)
        .subquery()
    )
    before = STATUS_CHANGE.alias("before")
    rows = conn.execute(
        select(CANDIDATE.c.municipality, before.c.status)
        .select_from(CANDIDATE.outerjoin(latest, latest.c.candidate_id == CANDIDATE.c.id)
                     .outerjoin(before, before.c.id == latest.c.last_id))
        .where(CANDIDATE.c.merged_into_id.is_(None), CANDIDATE.c.registration_date <= end)
    ).all()  # fmt: skip
    counts: dict[str, int] = {}
    for municipality, status in rows:
        if status not in ENDED_STATUSES:
            counts[municipality or ""] = counts.get(municipality or "", 0) + 1
    return counts


def _savings(conn: Connection, db: Database, start: date, end: date) -> list[OutflowSaving]:
    rows = list_outflow(db, start=start, end=end)
    starts = dict(conn.execute(select(
        CANDIDATE.c.uid, func.coalesce(CANDIDATE.c.obligation_start, CANDIDATE.c.registration_date)
    ).where(CANDIDATE.c.uid.in_([r.candidate_uid for r in rows]))).all())  # fmt: skip
    return [OutflowSaving(r.municipality, r.kind, r.day, starts.get(r.candidate_uid, r.day),
                          r.benefit_after) for r in rows]  # fmt: skip


def compute_case(
    *,
    start: date,
    end: date,
    costs: Iterable[CostRow],
    served: dict[str, int],
    savings: Iterable[OutflowSaving],
    assumptions: tuple[AssumptionRow, ...],
    municipality: str | None = None,
) -> BusinessCase:
    """The business case from plain rows: the arithmetic of :func:`business_case`."""
    values = {a.key: a.value for a in assumptions}
    costs, savings = list(costs), list(savings)
    found = {c.municipality for c in costs} | set(served) | {s.municipality for s in savings}
    names = sorted(found - {SHARED}) if municipality is None else [municipality]
    all_served = sum(served.values())
    own = {name: dict.fromkeys(CATEGORIES, 0.0) for name in names}
    overall = dict.fromkeys(CATEGORIES, 0.0)
    for cost in costs:
        amount = cost_in_period(cost.amount_eur, cost.period_start, cost.period_end, start, end)
        overall[cost.category] += amount
        if cost.municipality != SHARED:
            if cost.municipality in own:
                own[cost.municipality][cost.category] += amount
            continue
        for name in own:  # shared: by candidates served, evenly when nobody was served
            share = served.get(name, 0) / all_served if all_served else 1 / max(1, len(found) - 1)
            own[name][cost.category] += amount * share
    per = tuple(
        _figures(name, own[name], served.get(name, 0),
                 [s for s in savings if s.municipality == name], end, values)
        for name in names
    )  # fmt: skip
    if municipality is None:
        total = _figures("", overall, all_served, savings, end, values)
    else:
        total = per[0]
    return BusinessCase(start, end, total, per, assumptions)


def _figures(
    name: str,
    costs: dict[str, float],
    served: int,
    savings: list[OutflowSaving],
    end: date,
    values: dict[str, float],
) -> CaseFigures:
    months = [
        months_saved(s, period_end=end, baseline_years=values.get(BASELINE_YEARS, 5.0),
                     partial_share=values.get(PARTIAL_SHARE, 0.5))
        for s in savings
    ]  # fmt: skip
    total_cost = sum(costs.values())
    saved = sum(months)
    return CaseFigures(
        municipality=name, costs_by_category=tuple(costs.items()), total_cost=total_cost,
        candidates_served=served, outflows=len(savings),
        outflows_off_benefit=sum(1 for m in months if m > 0),
        cost_per_candidate=total_cost / served if served else None,
        cost_per_outflow=total_cost / len(savings) if savings else None,
        benefit_months_saved=saved,
        amount_saved=saved * values.get(BENEFIT_PER_MONTH, DEFAULTS[BENEFIT_PER_MONTH][0]),
    )  # fmt: skip


def business_case(
    db: Database, *, start: date, end: date, municipality: str | None = None
) -> BusinessCase:
    """The business case of ``start``..``end`` for all municipalities or one.

    Raises:
        UserError: the period ends before it starts.
    """
    _check_period(start, end)
    assumptions = tuple(get_assumptions(db))
    with db.engine.connect() as conn:
        served = _served(conn, start, end)
        savings = _savings(conn, db, start, end)
    return compute_case(start=start, end=end, costs=list_costs(db, start=start, end=end),
                        served=served, savings=savings, assumptions=assumptions,
                        municipality=municipality)  # fmt: skip
